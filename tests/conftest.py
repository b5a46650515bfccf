import pytest

from tests.factories import make_world


@pytest.fixture
def world(db):
    return make_world("home-network")


@pytest.fixture
def other_world(db):
    return make_world("other-network", default_language="da", country="DK")


@pytest.fixture(autouse=True)
def _clear_cache():
    """allauth's rate limits count in the (Redis) cache; every test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language_between_tests():
    """A request activates its person's language for the thread; the next test starts fresh."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")

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

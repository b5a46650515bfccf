import pytest

from tests.factories import ROLES, make_world


@pytest.fixture
def world(db):
    return make_world("home-network")


@pytest.fixture
def english_speakers(world):
    """The world's people read Bro in English, for tests that assert the English texts; others
    compare with gettext in the page's language."""
    for role in ROLES:
        person = world.person(role)
        person.language = "en"
        person.save(update_fields=["language"])


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

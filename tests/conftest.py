import io

import pytest

from tests.factories import ROLES, make_world


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, seeded once for a module's tests (seeding is slow): in a transaction that is
    rolled back after the module's last test. Each test still runs in its own savepoint (the
    django_db mark), so it sees the demo as seeded. Returns what seed_demo printed."""
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        output = io.StringIO()
        call_command("seed_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def world(db):
    return make_world("home-network")


@pytest.fixture
def identity_provider(monkeypatch):
    """The identity providers' side of OpenID Connect, in-process (tests/identity_provider)."""
    from tenancy.adapters import SocialAccountAdapter
    from tests.identity_provider import FakeIdentityProvider, FakeSession

    fake = FakeIdentityProvider()
    monkeypatch.setattr(SocialAccountAdapter, "get_requests_session",
                        lambda self: FakeSession(fake))
    return fake


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
    """allauth's rate limits count in the (Redis) cache, and shared parts of pages are kept
    there and in each process: every test starts from zero."""
    from django.core.cache import cache

    from assessments.results.live import forget_held_parts
    from tenancy.generations import forget_recent

    cache.clear()
    forget_held_parts()
    forget_recent()
    yield


CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


def _reset_broker_pools():
    from config.celery_app import app

    app._pool = None
    app.__dict__.get("amqp") and setattr(app.amqp, "_producer_pool", None)


@pytest.fixture
def broker_down():
    """Publishing tasks goes to a port nobody listens on, as when Redis is down."""
    from config.celery_app import app

    saved = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager, app.conf.broker_url = False, CLOSED_PORT_REDIS
    _reset_broker_pools()
    yield
    app.conf.task_always_eager, app.conf.broker_url = saved
    _reset_broker_pools()


@pytest.fixture
def cache_down(settings):
    """The cache is the production backend pointed at a port nobody listens on."""
    from django.core.cache import cache

    settings.CACHES = {"default": {
        "BACKEND": "config.cache.RedisCacheWithFallback", "LOCATION": CLOSED_PORT_REDIS,
        "KEY_PREFIX": "down", "OPTIONS": settings.REDIS_CACHE_OPTIONS}}
    cache.clear()  # the memory fallback of this process, left from an earlier test
    yield


@pytest.fixture
def redis_down(broker_down, cache_down):
    """Redis is down: neither tasks nor the cache reach it."""
    yield


@pytest.fixture(autouse=True)
def _default_language_between_tests():
    """A request activates its person's language for the thread; the next test starts fresh."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(scope="session", autouse=True)
def _no_stray_sessions_when_the_database_is_dropped(django_db_setup, django_db_blocker):
    """Some connection opened in another thread during the run (not yet found: it stays idle
    after a ROLLBACK) can outlive its test; pytest-django would then wait and fail to drop the
    worker's database. End such sessions of this test database before it is dropped."""
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")

"""Tests run against the machine's real PostgreSQL and Redis."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bro")
os.environ.setdefault("EMAIL_URL", "locmem://")

from config.cache import REDIS_ERRORS, RedisCacheWithFallback  # noqa: E402
from config.env import env_bool  # noqa: E402

from .base import *  # noqa: E402,F403

# Each concurrent test run may name its own database (see README, "Tests").
DATABASES["default"]["TEST"] = {  # noqa: F405
    "NAME": os.environ.get("BRO_TEST_DATABASE", "test_bro")}
# Connections of the live server's request threads close with each request, so no session is
# left open on a worker's test database when pytest drops it at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Tasks run in-process, except in the worker processes that tests/integration starts
# (BRO_CELERY_EAGER=false), which take tasks from a queue of their own (BRO_CELERY_QUEUE).
CELERY_TASK_ALWAYS_EAGER = env_bool("BRO_CELERY_EAGER", True)
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("BRO_CELERY_QUEUE", "celery")
# Tests give reminders explicit times; a retry waits a second, not a minute.
REMINDER_EARLIEST_HOUR = 0
REMINDER_RETRY_BASE_SECONDS = 1
CELERY_BROKER_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


class RunScopedRedisCache(RedisCacheWithFallback):
    """Concurrent test runs share one Redis: each run keeps its keys under its own prefix, and
    clear() (called before every test, see tests/conftest.py) removes only those keys instead
    of flushing every run's rate-limit counters (and empties the memory fallback)."""

    def clear(self):
        self._fallback.clear()
        try:
            client = self._cache.get_client(None, write=True)
            for key in client.scan_iter(match=f"{self.key_prefix}:*", count=1000):
                client.delete(key)
        except REDIS_ERRORS:
            pass
        return True


CACHES = {"default": {"BACKEND": "config.settings.test.RunScopedRedisCache",
                      "LOCATION": CELERY_BROKER_URL,
                      "OPTIONS": REDIS_CACHE_OPTIONS,  # noqa: F405
                      "KEY_PREFIX": DATABASES["default"]["TEST"]["NAME"]  # noqa: F405
                      + os.environ.get("PYTEST_XDIST_WORKER", "")}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS = True
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage")
# One folder per pytest-xdist worker (the Celery workers that tests/integration starts inherit
# PYTEST_XDIST_WORKER, so they write where their test reads).
MEDIA_ROOT = BASE_DIR / "media-test" / os.environ.get("PYTEST_XDIST_WORKER", "")  # noqa: F405

"""Tests run against the machine's real PostgreSQL and Redis."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bro")
os.environ.setdefault("TENANT_STRICT_SCOPING", "true")
os.environ.setdefault("EMAIL_URL", "locmem://")

from .base import *  # noqa: E402,F403

# Each concurrent test run may name its own database (see README, "Tests").
DATABASES["default"]["TEST"] = {  # noqa: F405
    "NAME": os.environ.get("BRO_TEST_DATABASE", "test_bro")}
# Tasks run in-process unless a test starts a real worker (tests/integration).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                      "LOCATION": CELERY_BROKER_URL, "KEY_PREFIX": "bro-test"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS = True
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage")
MEDIA_ROOT = BASE_DIR / "media-test"  # noqa: F405

"""The embedded default for a laptop: SQLite, tasks in-process, mail to the console."""

import os

os.environ.setdefault("SECRET_KEY", "local-development-only-not-secret")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
os.environ.setdefault("DATABASE_URL", "sqlite:///" + os.path.join(
    os.path.dirname(__file__), "..", "..", "db.sqlite3"))

from .base import *  # noqa: E402,F403

STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage")

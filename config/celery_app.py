"""The Celery app: Redis as broker, JSON only, tasks discovered in every app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("bro")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

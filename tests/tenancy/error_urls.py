"""Bro's URLs plus pages that fail on purpose, for tests/tenancy/test_error_pages.py."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns


def broken(request):
    raise RuntimeError("a bug")


def suspicious(request):
    raise SuspiciousOperation("a forged request")


def forbidden(request):
    raise PermissionDenied


def reads_the_database(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


urlpatterns = [
    path("fail/500/", broken),
    path("fail/400/", suspicious),
    path("fail/403/", forbidden),
    path("fail/database/", reads_the_database),
    *urlpatterns,
]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

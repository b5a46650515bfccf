"""Probes for a load balancer or orchestrator: /healthz (the process answers) and /readyz
(PostgreSQL and Redis answer). Plain text, no session, no personal or tenant data.

The cache (config.cache.RedisCacheWithFallback) quietly falls back to process memory while
Redis is down, so readiness asks Redis itself rather than going through the cache.
"""

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

REDIS_TIMEOUT_SECONDS = 1


def _plain(text, status=200):
    return HttpResponse(text + "\n", status=status, content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def healthz(request):
    """The process is up; touches neither the database nor the cache."""
    return _plain("ok")


def _database_problem():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return f"database: unreachable ({type(error).__name__})"
    return None


def _redis_location():
    """The Redis URL of the cache, or None when the cache is not Redis (local development)."""
    cache = settings.CACHES.get("default", {})
    if "redis" not in cache.get("BACKEND", "").lower():
        return None
    location = cache.get("LOCATION")
    return location[0] if isinstance(location, list | tuple) else location


def _redis_problem():
    location = _redis_location()
    if not location:
        return None
    try:
        client = redis.Redis.from_url(
            location,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
        )
        try:
            client.ping()
        finally:
            client.close()
    except redis.RedisError as error:
        return f"redis: unreachable ({type(error).__name__})"
    return None


@never_cache
@require_safe
def readyz(request):
    """200 when PostgreSQL and Redis answer; 503 with one line per dependency that does not."""
    problems = [problem for problem in (_database_problem(), _redis_problem()) if problem]
    if problems:
        return _plain("\n".join(problems), status=503)
    cache_note = "" if _redis_location() else "\nredis: not configured"
    return _plain("ready" + cache_note)

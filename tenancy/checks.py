"""Deployment checks (`manage.py check --deploy`) for what sign-in relies on."""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def shared_cache_for_rate_limits(app_configs, **kwargs):
    """allauth's rate limits count in the cache: a per-process memory cache lets every web
    process allow its own share of code requests and password guesses."""
    backend = settings.CACHES["default"]["BACKEND"]
    if "redis" in backend.lower():
        return []
    return [Warning(
        "The cache is not Redis, so sign-in rate limits count per process.",
        hint="Set REDIS_URL.", id="tenancy.W001")]

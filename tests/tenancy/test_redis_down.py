"""Redis down (the cache at a closed port, tests/conftest.py `redis_down`): everyone can still
sign in, the rate limits still hold, and pages answer."""

import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from config import cache as redis_cache
from tests.factories import sign_in_with_code

pytestmark = pytest.mark.django_db

CODE_PAGE = "/accounts/login/code/"


def test_a_leader_signs_in_with_a_code_while_redis_is_down(client, world, redis_down):
    response = sign_in_with_code(client, world.leader.email)
    assert response.status_code == 200
    assert response.resolver_match.url_name == "leader_home"
    assert response.context["user"] == world.leader


def test_the_code_limit_per_email_still_holds_while_redis_is_down(world, redis_down):
    for _attempt in range(3):
        assert Client().post(CODE_PAGE, {"email": world.leader.email}).status_code == 302
    response = Client().post(CODE_PAGE, {"email": world.leader.email})
    assert response.status_code == 200
    assert "Too many" in response.content.decode()
    assert len(mail.outbox) == 3


def test_wrong_passwords_still_lock_the_account_while_redis_is_down(client, world, redis_down):
    world.leader.set_password("bro-bridges-2026")
    world.leader.save()
    for _attempt in range(5):
        client.post("/accounts/login/", {"login": world.leader.email, "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"login": world.leader.email, "password": "bro-bridges-2026"}
    )
    assert "_auth_user_id" not in client.session
    assert "Too many" in response.content.decode()


def test_a_down_redis_is_tried_again_only_every_few_seconds(world, redis_down, monkeypatch):
    """One refused connection per few seconds, not one per cache call: a page stays fast."""
    attempts = []
    real_get = redis_cache.RedisCache.get

    def counted_get(self, *args, **kwargs):
        attempts.append(1)
        return real_get(self, *args, **kwargs)

    monkeypatch.setattr(redis_cache.RedisCache, "get", counted_get)
    outage = redis_cache._outage_of(cache._location_key)
    outage.down_until = 0.0  # as if Redis had answered until now
    cache.get("a")  # refused: Redis is taken as down
    for _call in range(20):
        cache.get("b")
    assert len(attempts) == 1
    outage.down_until = time.monotonic() - 1  # the pause is over
    cache.get("c")
    assert len(attempts) == 2


def test_the_cache_uses_redis_again_once_it_is_back(settings):
    """The production backend against the real Redis of the tests: values go to Redis."""
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCacheWithFallback",
            "LOCATION": settings.CELERY_BROKER_URL,
            "KEY_PREFIX": "back-" + settings.DATABASES["default"]["TEST"]["NAME"],
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    cache.set("fallback-test", "in redis", 30)
    assert cache._fallback.get("fallback-test") is None
    assert cache.get("fallback-test") == "in redis"
    cache.delete("fallback-test")


@pytest.mark.parametrize("role", ["leader", "coordinator", "facilitator", "admin"])
def test_each_role_s_start_page_answers_while_redis_is_down(client, world, redis_down, role):
    person = world.person(role)
    if role == "admin":
        from tests.factories import with_mfa

        with_mfa(person)
    client.force_login(person)
    response = client.get(reverse("network_home", args=[world.network.slug]), follow=True)
    assert response.status_code == 200
    assert client.get(reverse("profile")).status_code == 200


def test_the_cache_keeps_one_redis_client_for_its_calls():
    """A redis.Redis made for every cache call cost a third of a millisecond each (issue 11);
    each thread's cache keeps one for its connection pool."""
    client = cache._cache.get_client()
    cache.set("reused", 1)
    assert cache.get("reused") == 1
    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is client  # one server: one pool

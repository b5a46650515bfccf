"""The cache: Redis, and a memory cache in this process while Redis cannot be reached.

Sign-in's rate limits (allauth) take a lock and count in the cache on every code request and
password try, and the national benchmark keeps its sums there. Django's Redis backend raises
when Redis is down, which would turn sign-in into a server error. This backend answers from a
memory cache of its own process instead: the rate limits keep counting (per process, so each
web process allows its own share until Redis is back) and pages keep answering. After a
failure it leaves Redis alone for REDIS_RETRY_SECONDS, so a down Redis costs one refused
connection every few seconds, not one per cache call.
"""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_ERRORS = (RedisConnectionError, RedisTimeoutError)
REDIS_RETRY_SECONDS = 5


class _Outage:
    """Whether Redis at one location is taken as down, shared by the threads of a process."""

    def __init__(self):
        self.down_until = 0.0
        self.lock = threading.Lock()

    def is_down(self):
        return time.monotonic() < self.down_until

    def began(self, location, error):
        with self.lock:
            already_down = self.down_until > 0.0
            self.down_until = time.monotonic() + REDIS_RETRY_SECONDS
        if not already_down:
            logger.warning(
                "Redis cache at %s unreachable, using this process's memory: %s", location, error
            )

    def ended(self, location):
        if self.down_until:
            with self.lock:
                self.down_until = 0.0
            logger.warning("Redis cache at %s reachable again", location)


_outages = {}
_outages_lock = threading.Lock()


def _outage_of(location):
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


def _with_fallback(name):
    def method(self, *args, **kwargs):
        outage = _outage_of(self._location_key)
        if not outage.is_down():
            try:
                result = getattr(RedisCache, name)(self, *args, **kwargs)
            except REDIS_ERRORS as error:
                outage.began(self._location_key, error)
            else:
                outage.ended(self._location_key)
                return result
        return getattr(self._fallback, name)(*args, **kwargs)

    method.__name__ = name
    method.__doc__ = f"RedisCache.{name}, or the memory cache while Redis is down."
    return method


class _ReusedClients(RedisCacheClient):
    """Django's client makes a redis.Redis (with its table of some 170 reply parsers) for
    every cache call; one per connection pool does: about a third of a millisecond less per
    cache call (bench/bench_results.py, issue 11)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCacheWithFallback(RedisCache):
    """Django's Redis cache that never raises because Redis is down (see the module), with
    one client per connection pool (_ReusedClients)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedClients
        self._location_key = f"{server}|{params.get('KEY_PREFIX', '')}"
        self._fallback = LocMemCache(
            f"redis-fallback|{self._location_key}",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "OPTIONS": {"MAX_ENTRIES": 10_000},
            },
        )

    def is_shared(self):
        """Whether this process reaches Redis now, so every process sees what it stores."""
        return not _outage_of(self._location_key).is_down()

    def bump(self, key, start):
        """Add one to the integer under `key`, first setting it to `start` if it is missing:
        one round trip (tenancy.generations)."""
        outage = _outage_of(self._location_key)
        if not outage.is_down():
            made = self.make_and_validate_key(key)
            pipeline = self._cache.get_client(made, write=True).pipeline(transaction=False)
            pipeline.set(made, start, nx=True).incr(made)
            try:
                result = pipeline.execute()[1]
            except REDIS_ERRORS as error:
                outage.began(self._location_key, error)
            else:
                outage.ended(self._location_key)
                return result
        try:
            return self._fallback.incr(key)
        except ValueError:
            self._fallback.add(key, start)
            return start

    add = _with_fallback("add")
    get = _with_fallback("get")
    set = _with_fallback("set")
    touch = _with_fallback("touch")
    delete = _with_fallback("delete")
    get_many = _with_fallback("get_many")
    has_key = _with_fallback("has_key")
    incr = _with_fallback("incr")
    set_many = _with_fallback("set_many")
    delete_many = _with_fallback("delete_many")
    clear = _with_fallback("clear")

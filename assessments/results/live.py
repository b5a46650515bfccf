"""The gathering screen's live part, shared by every screen and worker (issue 11).

Each facilitator's screen asks for it every few seconds. Besides the count of answers, which
one small query reads on every poll, it shows only released blocks, so that part is made once
per released block (for each dimension, language and set of the viewer's organisations) and
kept in the cache. When a block is released, the first worker whose screen asks takes a short
lock and makes the new part; the others meanwhile answer with the previous one (one block
behind, until their next poll), so three screens on three workers never make it together
and the projector is never kept waiting.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from assessments.results import selectors

PART_CACHE_SECONDS = 60  # names or groups changed meanwhile show within a minute
MAKING_LOCK_SECONDS = 10  # a worker that died while making it holds nobody up for longer
WAIT_SECONDS = 2.0  # with nothing to answer yet, how long to wait for another worker's part
WAIT_STEP_SECONDS = 0.05

@dataclass(frozen=True)
class LiveState:
    submitted: int
    last_block: int


def live_state(network, round):
    """How many have submitted, and the last block released: one small query."""
    return LiveState(*selectors.released_state(round))


def part_key(network, roles, round, position, language):
    """The cache key of the part made from the released blocks, or None when it must be made
    afresh (a closed round whose remaining answers are not pooled yet: the first read pools
    them). Besides the blocks (kept with the part) it depends on the dimension shown, the
    language, k, the pooling and the organisations the viewer coordinates (shown too)."""
    if selectors.waits_for_pooling(round, timezone.now()):
        return None
    coordinated = ",".join(map(str, sorted(roles.coordinated_organisation_ids)))
    return (f"assessments:gathering-live:{selectors.common_key(network, round, language)}:"
            f"{position}:{coordinated}")


_UNREAD = object()
# Each process also keeps the parts it read or made last (the entry and until when), so a
# reload costs no round trip to Redis and nothing to unpickle: an entry is still checked
# against the state and expires when Redis's copy does, so it is never fresher or older.
_IN_PROCESS = {}
_IN_PROCESS_MAX = 64


def _remembered(key):
    found = _IN_PROCESS.get(key)
    return found[1] if found is not None and found[0] > time.monotonic() else None


def _remember(key, entry, seconds):
    if len(_IN_PROCESS) >= _IN_PROCESS_MAX:
        _IN_PROCESS.clear()
    _IN_PROCESS[key] = (time.monotonic() + seconds, entry)


def forget_held_parts():
    """Drop what this process holds (with the cache cleared: a part made afresh, as after a
    new block; for tests and bench/)."""
    _IN_PROCESS.clear()


def shared_parts(parts, seconds=PART_CACHE_SECONDS):
    """shared_part for each (key, state, make) of `parts`, those this process does not hold
    read from the cache in one round trip."""
    held = {key: _remembered(key) for key, _state, _make in parts if key is not None}
    missing = [key for key, entry in held.items() if entry is None]
    entries = {**held, **(cache.get_many(missing) if missing else {})}
    return [shared_part(key, state, make, seconds, entry=entries.get(key))
            for key, state, make in parts]


def shared_part(key, state, make, seconds=PART_CACHE_SECONDS, entry=_UNREAD):
    """The part for `state` from this process or the cache, or `make()` run by one worker at a
    time. Also the group results page's numbers (views.round_results), whose key names its
    block. `entry`: what was held under `key`, when already read (shared_parts)."""
    if key is None:
        return make()
    if entry is _UNREAD:
        entry = _remembered(key)
        if entry is None or entry[0] < state.last_block:
            entry = cache.get(key)
    if entry is not None and entry[0] >= state.last_block:  # block ids only grow
        _remember(key, entry, seconds)
        return entry[1]
    lock = f"{key}:making"
    if not cache.add(lock, 1, MAKING_LOCK_SECONDS):
        # Another worker is making it: answer with the previous part, or wait for theirs.
        deadline = time.monotonic() + WAIT_SECONDS
        while entry is None and time.monotonic() < deadline:
            time.sleep(WAIT_STEP_SECONDS)
            entry = cache.get(key)
        return entry[1] if entry is not None else make()
    try:
        part = make()
        cache.set(key, (state.last_block, part), seconds)
        _remember(key, (state.last_block, part), seconds)
    finally:
        cache.delete(lock)
    return part

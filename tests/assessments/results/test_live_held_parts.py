"""assessments.results.live: what each process holds of the shared parts answers reloads
without a round trip to Redis, but never past its block or its time."""

import time

from django.core.cache import cache

from assessments.results import live


def test_a_held_part_answers_without_redis_but_never_past_its_block_or_time(monkeypatch):
    made = []

    def make():
        made.append(1)
        return f"part {len(made)}"

    key = "assessments:test-held-part"
    assert live.shared_part(key, live.LiveState(5, 1), make) == "part 1"
    cache.delete(key)  # Redis lost it; this process still holds it
    assert live.shared_part(key, live.LiveState(5, 1), make) == "part 1"
    assert live.shared_part(key, live.LiveState(10, 2), make) == "part 2"  # a new block
    cache.delete(key)
    later = time.monotonic() + live.PART_CACHE_SECONDS + 1
    monkeypatch.setattr(live.time, "monotonic", lambda: later)
    assert live.shared_part(key, live.LiveState(10, 2), make) == "part 3"  # expired as Redis's


def test_several_parts_come_from_this_process_from_redis_or_made():
    cache.set("assessments:test-in-redis", (1, "from redis"), 60)
    live.shared_part("assessments:test-held", live.LiveState(0, 1), lambda: "held")
    parts = live.shared_parts([
        ("assessments:test-held", live.LiveState(0, 1), lambda: "made"),
        ("assessments:test-in-redis", live.LiveState(0, 1), lambda: "made"),
        ("assessments:test-nowhere", live.LiveState(0, 1), lambda: "made")])
    assert parts == ["held", "from redis", "made"]

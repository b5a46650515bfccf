"""Which version of the data a cached part of a page was made from (issue 11).

A part of a page that is read far more often than what it shows changes (the cohort page
below its heading, the facilitator's home's cohorts, the candidates for the own results
page's recommendations) is kept under
the *generation* of the data: two counters in the cache, the network's and the platform's.
Every statement that writes a table through Django's connection moves one on: the network's
when the table holds one network's rows (tenancy.scoping.TenantModel, their M2M tables) and
the statement runs in that network's scope, the platform's otherwise (people, the programme,
writes made platform-wide). The hook sits on the connection (`track_writes`), so ORM saves,
updates, bulk writes, M2M changes and raw SQL all count, and no writer has to remember it.
A counter moves once the write is committed (when its transaction commits), so a part made
from what a reader saw before the commit is never kept under the newest generation.

A part nobody sees right after their own write (the recommendations' candidates, which admins
edit) may ask for a `recent` generation instead: read by each process at most RECENT_SECONDS
ago, so most of its requests make no round trip; the process's own writes are seen at once.

Left out (UNTRACKED): tables no cached part reads that are written on every request or
answer. While the cache cannot be reached no part is kept (`current` is None); a write that
could not move its counter then moves the platform's once the cache is back, and parts expire
after PART_SECONDS whatever happens.
"""

import re
import time
from functools import cache as once
from functools import lru_cache

from django.apps import apps
from django.core.cache import cache

from tenancy.scoping import TenantModel, current_scope

PART_SECONDS = 600
RECENT_SECONDS = 1.0
PLATFORM = "generation:platform"
UNTRACKED = frozenset({
    "django_session",  # every sign-in and form kept for later
    "assessments_answer",  # every autosave: only released blocks are ever shown of answers
    "tenancy_auditevent",  # appended next to the writes it records
})
_FIRST_WORD = re.compile(r"\s*(\w+)")
_WRITTEN = re.compile(r'(?:INSERT\s+INTO|(?<!FOR )(?<!DO )UPDATE|DELETE\s+FROM|TRUNCATE)\s+'
                      r'(?:TABLE\s+)?(?:ONLY\s+)?"?(\w+)"?', re.IGNORECASE)
_WRITES = frozenset({"INSERT", "UPDATE", "DELETE", "WITH", "TRUNCATE"})
_missed = False  # a counter could not be moved while the cache was down


def network_counter(network_id):
    return f"generation:network:{network_id}"


@once
def _tenant_tables():
    """The tables holding one network's rows: TenantModels' and their own M2M tables'."""
    tables = set()
    for model in apps.get_models():
        if issubclass(model, TenantModel):
            tables.add(model._meta.db_table)
            tables.update(field.remote_field.through._meta.db_table
                          for field in model._meta.local_many_to_many)
    return frozenset(tables)


@lru_cache(maxsize=1024)
def written_tables(sql):
    """The tables a statement writes, or () when it only reads; remembered per statement, as
    the same few are run again and again (the autosave's: issue 11)."""
    first = _FIRST_WORD.match(sql)
    if first is None or first.group(1).upper() not in _WRITES:
        return ()
    return frozenset(table.lower() for table in _WRITTEN.findall(sql))


def track_writes(execute, sql, params, many, context):
    """The connection's execute wrapper (installed by tenancy.signals): after a statement
    that writes a tracked table, move the counter of what it wrote."""
    result = execute(sql, params, many, context)
    tables = written_tables(sql)
    if tables and not tables <= UNTRACKED:
        scope = current_scope()
        network = scope.network if scope is not None and not scope.platform_wide else None
        if network is not None and tables - UNTRACKED <= _tenant_tables():
            _moved(context["connection"], network_counter(getattr(network, "pk", network)))
        else:
            _moved(context["connection"], PLATFORM)
    return result


class _MoveOnCommit:
    """Moves one counter when the transaction commits; one per counter and transaction."""

    def __init__(self, counter):
        self.counter = counter

    def __call__(self):
        _move(self.counter)


def _moved(db, counter):
    """Move the counter once the write is committed: at once outside a transaction, else
    when it commits (once per counter). A test's transaction never commits and reads what it
    wrote: there every write moves at once."""
    if not db.in_atomic_block or any(getattr(block, "_from_testcase", False)
                                     for block in db.atomic_blocks):
        _move(counter)
    elif not any(isinstance(callback, _MoveOnCommit) and callback.counter == counter
                 for _savepoints, callback, _robust in db.run_on_commit):
        db.on_commit(_MoveOnCommit(counter))


def _move(counter):
    global _missed
    _RECENT.clear()
    bump = getattr(cache, "bump", None)
    if bump is not None:
        bump(counter, time.time_ns())
    else:
        try:
            cache.incr(counter)
        except ValueError:  # never moved, evicted or cleared: start from a value never used
            cache.add(counter, time.time_ns())
    if not _cache_is_shared():
        _missed = True


def _cache_is_shared():
    """False while the Redis cache is down and each process answers from its own memory
    (config.cache)."""
    return getattr(cache, "is_shared", lambda: True)()


def current(network):
    """(the platform's counter, the network's), or None when no part may be kept now."""
    global _missed
    if _missed and _cache_is_shared():
        _missed = False
        _move(PLATFORM)
    counters = [PLATFORM, network_counter(network.pk)]
    values = cache.get_many(counters)
    if not _cache_is_shared():
        return None
    for counter in counters:
        if counter not in values:
            cache.add(counter, time.time_ns())
            values[counter] = cache.get(counter)
    return tuple(values[counter] for counter in counters)


_RECENT = {}


def recent(network):
    """current(network) as this process read it at most RECENT_SECONDS ago (or after its own
    last write): for parts that may trail another process's write by that long (module
    docstring), as most requests then need no round trip to the cache (issue 11)."""
    now = time.monotonic()
    held = _RECENT.get(network.pk)
    if held is not None and held[0] > now:
        return held[1]
    generation = current(network)
    if generation is not None:
        _RECENT[network.pk] = (now + RECENT_SECONDS, generation)
    return generation


def forget_recent():
    """Drop the generations this process read (with the cache cleared; for tests)."""
    _RECENT.clear()


_IN_PROCESS = {}
_IN_PROCESS_MAX = 1024


def kept_in_process(network, key, make, generation):
    """`make()`'s result kept in this process's memory under the network, `key` and
    `generation` (current(network)): for a few rows every view of a page needs, with no round
    trip and nothing to unpickle. Made afresh when the generation is None."""
    if generation is None:
        return make()
    full_key = (network.pk, key, generation)
    value = _IN_PROCESS.get(full_key)
    if value is None:
        if len(_IN_PROCESS) >= _IN_PROCESS_MAX:
            _IN_PROCESS.clear()
        value = _IN_PROCESS[full_key] = make()
    return value


def cached_part(network, key, make, seconds=PART_SECONDS):
    """`make()`'s result (HTML, or a few rows), kept under the network, `key` and the
    generation of the data: made again after any write that could change it. `key` must name
    everything else it depends on (the object, the language, the viewer's roles, the
    date...)."""
    generation = current(network)
    if generation is None:
        return make()
    full_key = f"part:{network.pk}:{key}:{generation[0]}:{generation[1]}"
    part = cache.get(full_key)
    if part is None:
        part = make()
        cache.set(full_key, part, seconds)
    return part


def install(db):
    """Track the writes of this connection (once per connection object)."""
    if track_writes not in db.execute_wrappers:
        db.execute_wrappers.append(track_writes)


"""tenancy.generations: every write moves the counter a cached part is kept under, however it
is written; reading does not; a part is never kept while the cache is down."""

import time
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from assessments.models import Item
from assessments.taking.services import save_answers, start_response
from cohorts.models import Cohort
from tenancy import generations
from tenancy.models import Network, Organisation, Person
from tenancy.scoping import network_scope, platform_wide
from tests.factories import (
    build_instrument,
    build_round,
    make_cohort,
    make_network,
    make_organisation,
    make_person,
    make_world,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("sql", "tables"), [
    ('SELECT "a"."id" FROM "tenancy_person" "a"', set()),
    ("SELECT id FROM assessments_response WHERE id = %s FOR UPDATE", set()),
    ('INSERT INTO "tenancy_person" ("email") VALUES (%s)', {"tenancy_person"}),
    ('UPDATE "cohorts_cohort" SET "name" = %s', {"cohorts_cohort"}),
    ('DELETE FROM "cohorts_cohort_facilitators" WHERE id = 1', {"cohorts_cohort_facilitators"}),
    ("\nWITH target AS (SELECT id FROM assessments_response WHERE id = %s FOR SHARE), saved AS "
     "(INSERT INTO assessments_answer (response_id) SELECT 1 ON CONFLICT (response_id) "
     "DO UPDATE SET value = 1 RETURNING item_id) SELECT 1", {"assessments_answer"}),
    ("TRUNCATE tenancy_role", {"tenancy_role"}),
])
def test_only_statements_that_write_name_tables(sql, tables):
    assert set(generations.written_tables(sql)) == tables


def counters(network):
    return generations.current(network)


def test_a_write_in_a_network_moves_that_networks_counter_only():
    home, away = make_network("home"), make_network("away")
    before_home, before_away = counters(home), counters(away)
    with network_scope(home):
        make_organisation(home, "Agder kommune")
    after_home, after_away = counters(home), counters(away)
    assert after_home[1] != before_home[1]
    assert after_home[0] == before_home[0] == after_away[0]  # the platform's stays
    assert after_away == before_away


@pytest.mark.parametrize("write", [
    "save", "update", "bulk_create", "m2m", "delete", "raw"])
def test_every_kind_of_write_counts(write):
    world = make_world("home")
    cohort = make_cohort(world)
    before = counters(world.network)
    with network_scope(world.network):
        if write == "save":
            cohort.name = "Renamed"
            cohort.save()
        elif write == "update":
            Cohort.objects.filter(pk=cohort.pk).update(name="Renamed")
        elif write == "bulk_create":
            Organisation.objects.bulk_create([Organisation(network=world.network, name="Ny")])
        elif write == "m2m":
            cohort.facilitators.add(world.facilitator)
        elif write == "delete":
            world.group.delete()
        else:
            with connection.cursor() as cursor:
                cursor.execute("UPDATE cohorts_cohort SET name = %s WHERE id = %s",
                               ["Renamed", cohort.pk])
    assert counters(world.network) != before


def test_people_and_platform_wide_writes_move_every_networks_counter():
    home = make_network("home")
    before = counters(home)
    with network_scope(home):
        make_person(name="Kari Nordmann")  # a person is nobody's tenant row
    moved = counters(home)
    assert moved[0] != before[0]
    with platform_wide():
        Network.objects.filter(pk=home.pk).update(name="Renamed")
    assert counters(home)[0] != moved[0]


def test_reading_and_autosaving_move_nothing():
    world = make_world("home")
    instrument = build_instrument()
    with network_scope(world.network):
        response = start_response(build_round(world, instrument=instrument), world.leader,
                                  world.group)
    item = Item.objects.filter(dimension__instrument=instrument).first()
    before = counters(world.network)
    with network_scope(world.network):
        list(Person.objects.all())
        list(Cohort.objects.all())
        save_answers(response, [(item, "today", 3), (item, "ambition", 4)])
    assert counters(world.network) == before


@pytest.mark.django_db(transaction=True)
def test_a_transaction_moves_the_counter_once_when_it_commits():
    home = make_network("home")
    seen = [counters(home)[1]]
    with network_scope(home), transaction.atomic():
        make_organisation(home, "One")
        seen.append(counters(home)[1])  # not yet: a reader could not see the row yet
        make_organisation(home, "Two")
        seen.append(counters(home)[1])
    seen.append(counters(home)[1])
    assert seen[0] == seen[1] == seen[2] != seen[3]
    assert len({seen[3], counters(home)[1]}) == 1  # once


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_moves_nothing_and_leaves_nothing_pending():
    home = make_network("home")
    before = counters(home)[1]
    with network_scope(home):
        with pytest.raises(RuntimeError), transaction.atomic():
            make_organisation(home, "Gone")
            raise RuntimeError
        assert counters(home)[1] == before
        with transaction.atomic():
            make_organisation(home, "Kept")
        assert counters(home)[1] != before


def test_a_counter_lost_from_the_cache_starts_again_at_a_new_value():
    home = make_network("home")
    first = counters(home)[1]
    cache.delete(generations.network_counter(home.pk))
    with network_scope(home):
        make_organisation(home, "Ny")
    assert counters(home)[1] not in (first, 1)


def test_a_part_is_made_again_after_a_write_and_kept_meanwhile():
    home = make_network("home")
    made = []

    def part():
        made.append(1)
        return f"part {len(made)}"

    assert generations.cached_part(home, "test", part) == "part 1"
    assert generations.cached_part(home, "test", part) == "part 1"
    with network_scope(home):
        make_organisation(home, "Ny")
    assert generations.cached_part(home, "test", part) == "part 2"
    cache.clear()  # the counters are lost too: never the old generation again
    assert generations.cached_part(home, "test", part) == "part 3"


def test_no_part_is_kept_while_the_cache_is_down(cache_down):
    home = make_network("home")
    made = []

    def part():
        made.append(1)
        return "part"

    for _ in range(3):
        generations.cached_part(home, "test", part)
    assert len(made) == 3


def test_a_recent_generation_trails_another_processs_write_by_at_most_recent_seconds(
        monkeypatch):
    home = make_network("home")
    first = generations.recent(home)
    cache.incr(generations.network_counter(home.pk))  # what a write in another process does
    assert generations.recent(home) == first
    later = time.monotonic() + generations.RECENT_SECONDS
    monkeypatch.setattr(generations, "time", SimpleNamespace(
        monotonic=lambda: later, time_ns=time.time_ns))
    assert generations.recent(home) == counters(home) != first


def test_a_recent_generation_moves_at_once_with_this_processs_own_write():
    home = make_network("home")
    first = generations.recent(home)
    with network_scope(home):
        make_organisation(home, "Ny")
    assert generations.recent(home) == counters(home) != first


def test_there_is_no_recent_generation_while_the_cache_is_down(cache_down):
    assert generations.recent(make_network("home")) is None

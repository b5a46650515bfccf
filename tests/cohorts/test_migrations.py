"""cohorts 0005 in a rolling deploy: old code may add links without a network after 0004."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cohorts.models import CohortGroup
from tests.factories import make_cohort

BEFORE = [("cohorts", "0004_through_tables_are_scoped")]


def migrate(targets=None):
    """To `targets`, or back to the latest migration of every app: going back to 0004 also
    unapplied every later migration that depends on cohorts, which later tests need."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_links_added_between_0004_and_0005_get_their_network(world):
    cohort = make_cohort(world)
    migrate(BEFORE)
    try:
        with connection.cursor() as cursor:  # what code before 0004 inserts
            cursor.execute(
                "INSERT INTO cohorts_cohort_leader_groups (cohort_id, leadergroup_id) "
                "VALUES (%s, %s)", [cohort.pk, world.group.pk])
    finally:
        migrate()  # 0005 and everything after it
    assert CohortGroup.unscoped.get(cohort=cohort).network_id == world.network.pk

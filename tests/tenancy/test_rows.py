"""tenancy.rows.rows_of_each: several small reads sent together (a PostgreSQL pipeline), each
with its own rows."""

import pytest

from tenancy.rows import rows_of_each
from tests.factories import make_network

pytestmark = pytest.mark.django_db


def test_each_statement_sent_together_gets_its_own_rows():
    home, away = make_network("home"), make_network("away")
    named, positional, empty = rows_of_each([
        ("SELECT slug FROM tenancy_network WHERE id = %(home)s AND slug LIKE '%%o%%'",
         {"home": home.pk}),
        ("SELECT slug FROM tenancy_network WHERE id IN (%s, %s) ORDER BY slug",
         [home.pk, away.pk]),
        ("SELECT slug FROM tenancy_network WHERE id = %s", [-1]),
    ])
    assert named == [("home",)]
    assert positional == [("away",), ("home",)]
    assert empty == []


def test_a_statement_run_again_and_again_is_prepared_once_on_the_connection():
    """Server-side binding with prepared statements (config/settings/base.py): the look-ups
    every request makes are planned once per connection, not on every request."""
    from django.db import connection

    statement = "SELECT slug FROM tenancy_network WHERE id = %s"
    for _ in range(6):
        rows_of_each([(statement, [-1])])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements "
                       "WHERE statement LIKE 'SELECT slug FROM tenancy_network WHERE id = $1%%'")
        assert cursor.fetchone() == (1,)

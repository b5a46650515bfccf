"""tenancy.rows.rows_of_each: several small reads in one round trip, each with its own rows,
whatever style of parameters each is written in."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenancy.rows import rows_of_each
from tests.factories import make_network

pytestmark = pytest.mark.django_db


def test_each_statement_gets_its_own_rows_in_one_round_trip():
    home, away = make_network("home"), make_network("away")
    with CaptureQueriesContext(connection) as queries:
        named, positional, empty = rows_of_each([
            ("SELECT slug FROM tenancy_network WHERE id = %(home)s AND slug LIKE '%%o%%'",
             {"home": home.pk}),
            ("SELECT slug FROM tenancy_network WHERE id IN (%s, %s) ORDER BY slug;",
             [home.pk, away.pk]),
            ("SELECT slug FROM tenancy_network WHERE id = %s", [-1]),
        ])
    assert named == [("home",)]
    assert positional == [("away",), ("home",)]
    assert empty == []
    assert len(queries) == 1

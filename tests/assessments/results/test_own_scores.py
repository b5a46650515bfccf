"""assessments.results.selectors reads a response's scores in the response's own row, as JSON:
every score must come back as exactly the float stored, on PostgreSQL (the tests' database)
and on SQLite (the demo's), since the generation is read off their mean."""

from types import SimpleNamespace

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper

from assessments.results.selectors import _SCORES, _scores_of

# Scores whose 15-digit forms differ from the float: their mean is 3.0 exactly, generation 3,
# but 2.9999999999999964 (generation 2) from 15 digits.
AWKWARD = (23 / 6, 11 / 6, 10 / 3, 1 / 3, 2.9999999999999996)


def test_sqlite_gives_back_each_score_exactly(django_db_blocker):
    """Through Django's SQLite backend, as the demo runs it (its %s placeholders, and the
    query log that DEBUG keeps)."""
    database = DatabaseWrapper({
        "NAME": ":memory:", "OPTIONS": {}, "TIME_ZONE": None, "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False,
        "USER": "", "PASSWORD": "", "HOST": "", "PORT": "", "TEST": {}}, alias="sqlite-demo")
    database.force_debug_cursor = True
    try:
        with django_db_blocker.unblock(), database.cursor() as cursor:
            cursor.execute("CREATE TABLE assessments_dimension (id integer, code text)")
            cursor.execute("CREATE TABLE assessments_dimensionscore (network_id integer,"
                           " response_id integer, dimension_id integer, kind text, score real)")
            for number, score in enumerate(AWKWARD, start=1):
                cursor.execute("INSERT INTO assessments_dimension VALUES (%s, %s)",
                               [number, f"d{number}"])
                cursor.execute("INSERT INTO assessments_dimensionscore"
                               " VALUES (1, 7, %s, 'today', %s)", [number, score])
            cursor.execute(f"SELECT {_SCORES['sqlite']} FROM (SELECT %s AS network_id,"
                           " %s AS id) found", [1, 7])
            (written,) = cursor.fetchone()
    finally:
        database.close()
    response = SimpleNamespace(score_rows=written)
    by_id, by_code = _scores_of(response), _scores_of(response, by_code=True)
    assert by_id == {(number, "today"): score for number, score in enumerate(AWKWARD, start=1)}
    assert by_code == {(f"d{n}", "today"): score for n, score in enumerate(AWKWARD, start=1)}


@pytest.mark.django_db
def test_postgresql_gives_back_each_score_exactly():
    from django.db import connection

    values = ", ".join(f"({n}, 'd{n}', {score!r})" for n, score in enumerate(AWKWARD, start=1))
    with connection.cursor() as cursor:
        cursor.execute(f"""
            WITH assessments_dimension (id, code) AS (
                SELECT n, code FROM (VALUES {values}) given (n, code, score)),
            assessments_dimensionscore (network_id, response_id, dimension_id, kind, score) AS (
                SELECT 1, 7, n, 'today', score::float8
                FROM (VALUES {values}) given (n, code, score))
            SELECT {_SCORES['postgresql']} FROM (SELECT 1 AS network_id, 7 AS id) found""")
        (written,) = cursor.fetchone()
    by_id = _scores_of(SimpleNamespace(score_rows=written))
    assert by_id == {(number, "today"): score for number, score in enumerate(AWKWARD, start=1)}

"""Rows read on every request, built into model instances without the ORM's per-query work.

Compiling a queryset costs more CPU than PostgreSQL spends answering these small look-ups
(issue 11: the session, the person's roles, the autosave's response). `instances` writes the
SQL of a look-up once per process and builds the instances with Model.from_db, as the ORM
would. The condition is the caller's and must name the network where the model has one
(tenancy.scoping): these reads go around the tenant query checks.
"""

from functools import lru_cache

from django.core.exceptions import EmptyResultSet
from django.db import connection

_COMPILED = {}
_COMPILED_MAX = 4096


def compiled_once(key, build):
    """(sql, params) of the queryset `build()` returns, compiled once per process for `key`,
    which must name everything its SQL depends on (e.g. the ids a policy reads of the roles,
    tenancy.roles.Roles.key); None when it can match nothing. For policies asked on every
    request, as assessments.access does for the autosave's."""
    if key not in _COMPILED:
        if len(_COMPILED) >= _COMPILED_MAX:
            _COMPILED.clear()
        try:
            _COMPILED[key] = build().query.sql_with_params()
        except EmptyResultSet:
            _COMPILED[key] = None
    return _COMPILED[key]


def rows_of_each(statements):
    """The rows of each (sql, params) of `statements`: sent to PostgreSQL together in one
    pipeline (one round trip), one at a time elsewhere (SQLite, the demo). For a page's small
    reads that do not depend on each other (issue 11)."""
    if connection.vendor != "postgresql" or len(statements) == 1:
        results = []
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                results.append(cursor.fetchall())
        return results
    connection.ensure_connection()
    cursors = []
    try:
        with connection.connection.pipeline():
            for sql, params in statements:
                cursors.append(connection.cursor())
                cursors[-1].execute(sql, params)
        return [cursor.fetchall() for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()


def instances(model, where, params, related=(), extra=()):
    """The rows of `model` matching `where` (SQL on the alias `found`), each with the objects
    of the foreign keys named in `related` attached (LEFT JOINs: a NULL key gives None), and
    the value of each (attribute, SQL expression) of `extra` set on it (their parameters come
    first in `params`)."""
    statement, build = instances_read(model, where, params, related, extra)
    (rows,) = rows_of_each([statement])
    return build(rows)


def instances_read(model, where, params, related=(), extra=()):
    """instances() in two steps, for rows_of_each: ((sql, params), build), where build(rows)
    makes the instances of the statement's rows."""
    sql, parts, conversions = _select(model, where, tuple(related), tuple(extra))

    def build(rows):
        built_rows = []
        for row in rows:
            row = list(row)
            for position, converters, column in conversions:
                for convert in converters:
                    row[position] = convert(row[position], column, connection)
            start = 0
            built = []
            for part_model, attnames, key_position in parts:
                values = row[start:start + len(attnames)]
                start += len(attnames)
                null = key_position is not None and values[key_position] is None
                built.append(None if null
                             else part_model.from_db(connection.alias, attnames, values))
            instance = built[0]
            for name, related_instance in zip(related, built[1:], strict=True):
                setattr(instance, name, related_instance)
            for (name, _sql), value in zip(extra, row[start:], strict=True):
                setattr(instance, name, value)
            built_rows.append(instance)
        return built_rows

    return (sql, params), build


@lru_cache(maxsize=256)
def _select(model, where, related, extra=()):
    """For instances(): the SQL; [(model, attnames, position of the primary key or None)];
    and the columns whose values the database backend and the field convert, as the ORM's
    compiler does (JSON text, SQLite's dates and booleans)."""
    quote = connection.ops.quote_name
    columns, joins = [], []
    parts = [(model, *_part(model, "found", columns, primary_key_checked=False))]
    for number, name in enumerate(related):
        field = model._meta.get_field(name)
        target, alias = field.related_model, f"related_{number}"
        parts.append((target, *_part(target, alias, columns, primary_key_checked=True)))
        joins.append(f" LEFT JOIN {quote(target._meta.db_table)} {alias}"
                     f" ON {alias}.{quote(target._meta.pk.column)} = found.{quote(field.column)}")
    columns.extend(f"({expression})" for _name, expression in extra)
    sql = (f"SELECT {', '.join(columns)} FROM {quote(model._meta.db_table)} found"
           f"{''.join(joins)} WHERE {where}")
    conversions = []
    for position, column in enumerate(column for part in parts
                                      for column in _columns_of(part[0])):
        converters = (connection.ops.get_db_converters(column)
                      + column.get_db_converters(connection))
        if converters:
            conversions.append((position, converters, column))
    return sql, parts, conversions


def _columns_of(model):
    return [field.get_col(model._meta.db_table) for field in model._meta.concrete_fields]


def _part(model, alias, columns, primary_key_checked):
    quote = connection.ops.quote_name
    fields = model._meta.concrete_fields
    columns.extend(f"{alias}.{quote(field.column)}" for field in fields)
    attnames = [field.attname for field in fields]
    key_position = attnames.index(model._meta.pk.attname) if primary_key_checked else None
    return attnames, key_position

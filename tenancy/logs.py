"""Log lines that say which request or task they belong to, and nothing about the people in it.

Every line carries the request id (tenancy.middleware.RequestIdMiddleware) or the Celery task
id (config/celery_app.py), and the slug of the network worked in when there is one, so an
operator can follow one request or task through the logs. Production writes them as JSON
lines (`JSONFormatter`); a laptop keeps them readable (`TextFormatter`). No line names a
person: Bro logs ids, never names or email addresses, and `scrub` takes out what slips
through anyway (an email address, a query string, a link's token in a path). README,
"Operations".
"""

import json
import logging
import re
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

_context = ContextVar("log_context", default=None)

# A request id from the proxy is kept only if it looks like one (a UUID, a hex or base64 id);
# anything else, too long or with spaces, could smuggle text into the logs.
REQUEST_ID = re.compile(r"[A-Za-z0-9+/=._-]{8,128}")

EMAIL = re.compile(r"[^\s@<>\"'(),;:/]+@[^\s@<>\"'(),;:/]+\.[A-Za-z]{2,}")
QUERY_STRING = re.compile(r"\?[^\s\"']+")
# A path segment of 20 or more characters with a digit in it: an invitation's or an
# unsubscribe link's token (a network's slug is rarely that long and has no digits).
TOKEN_SEGMENT = re.compile(r"(?<=/)(?=[^/\s]*\d)[A-Za-z0-9_:=-]{20,}(?=[/\s\"']|$)")


def scrub(text):
    """`text` without email addresses, query strings or link tokens."""
    text = EMAIL.sub("[email]", text)
    text = QUERY_STRING.sub("?[removed]", text)
    return TOKEN_SEGMENT.sub("[token]", text)


def request_id_from(header):
    """The proxy's X-Request-ID when it is well-formed, else a new one."""
    if header and REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


@contextmanager
def log_context(**fields):
    """Lines logged in the block carry these fields (request_id, task_id, …); `bind` adds
    more as they become known, such as the network once the URL is resolved."""
    token = _context.set(dict(fields))
    try:
        yield
    finally:
        _context.reset(token)


def bind(**fields):
    context = _context.get()
    if context is not None:
        context.update(fields)


def current_context():
    return dict(_context.get() or {})


def enter_task(task_id, name):
    """Celery's task_prerun (config/celery_app.py): the task's lines carry its id and name,
    and, for a task run in-process during a request, the request's id as well."""
    _task_tokens[task_id] = _context.set({**current_context(), "task_id": task_id,
                                          "task": name})


def leave_task(task_id):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        _context.reset(token)


_task_tokens = {}
_network_slugs = {}


def network_slug(network):
    """The slug of a Network or a network id (tasks often scope by id); looked up once per
    process, never failing a log line."""
    slug = getattr(network, "slug", None)
    if slug is not None or network is None:
        return slug
    if network not in _network_slugs:
        _network_slugs[network] = None  # a line the lookup itself logs goes without it
        try:
            from tenancy.models import Network

            _network_slugs[network] = Network.objects.filter(pk=network).values_list(
                "slug", flat=True).first()
        except Exception:  # a broken transaction, no database: the line goes without it
            _network_slugs.pop(network, None)
            return None
    return _network_slugs[network]


CONTEXT_FIELDS = ("request_id", "task_id", "task", "network")


class ContextFilter(logging.Filter):
    """Puts the request's or task's fields on every record; the network comes from the
    tenant scope (tenancy/scoping.py) when the context does not name one."""

    def filter(self, record):
        context = current_context()
        if "network" not in context:
            from tenancy.scoping import current_scope

            scope = current_scope()
            if scope is not None and scope.network is not None:
                context["network"] = network_slug(scope.network)
        for field, value in context.items():
            if value is not None and not hasattr(record, field):
                setattr(record, field, value)
        return True


# What a record may add to its JSON line (the request line's `extra`, the context's fields).
EXTRA_FIELDS = (*CONTEXT_FIELDS, "method", "route", "status", "duration_ms")


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message and the known fields."""

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        for field in EXTRA_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                line[field] = value
        if record.exc_info:
            line["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Readable lines for a laptop, with the same fields in brackets."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s%(context)s")

    def format(self, record):
        fields = [f"{field}={getattr(record, field)}" for field in CONTEXT_FIELDS
                  if getattr(record, field, None) is not None]
        record.context = f" [{' '.join(fields)}]" if fields else ""
        return scrub(super().format(record))

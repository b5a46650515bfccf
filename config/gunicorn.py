"""gunicorn's settings for Bro's web process (Procfile, Dockerfile, docker-compose.yml and the
gathering benchmark all start it with `-c config/gunicorn.py`).

Overload must degrade gracefully (issue 11): a request is never worked on for minutes after its
browser gave up. gunicorn kills a worker stuck longer than WEB_TIMEOUT; PostgreSQL cancels a
web request's statement after DATABASE_STATEMENT_TIMEOUT (config/wsgi.py); and a request that
waited in the proxy's queue longer than REQUEST_QUEUE_TIMEOUT is answered 503 at once
(tenancy.middleware.QueueTimeoutMiddleware).
"""

import os

bind = os.environ.get("WEB_BIND", "0.0.0.0:8000")
# Sync workers: Bro's requests are short and CPU-bound; about 1.5 per core.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 20
# Requests waiting for a worker; beyond this the kernel refuses new connections.
backlog = int(os.environ.get("WEB_BACKLOG", "512"))
# No access log of gunicorn's own: it writes the client's address and the query string. Bro
# logs one JSON line per request instead (tenancy.middleware.RequestIdMiddleware), and
# gunicorn's own lines (workers starting, timing out) are JSON lines too.
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "tenancy.logs.JSONFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json",
                             "stream": "ext://sys.stderr"}},
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {"gunicorn.error": {"level": "INFO", "handlers": ["console"],
                                   "propagate": False}},
}

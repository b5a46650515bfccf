"""What every script in bench/ shares (issue 11): production settings with the floor page on,
the benchmark database with its `seed_scale` dataset, and the floor measured in the same run.

This machine is shared and absolute times wander with its load, so every script prints its
figures also as a ratio to the floor: the cheapest signed-in network page through the same
middleware (tenancy.views.bench_floor, open only with BENCH_FLOOR on), measured in the same run.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Production settings for a local http benchmark: no https redirect or https-only cookies,
# mail never leaves the process, the floor page open. The secret key is the benchmark's own.
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "bench-only-not-secret-bench-only-not-secret-bench-only",
    "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "SECURE_HSTS_SECONDS": "0",
    "EMAIL_URL": "locmem://",
    "BENCH_FLOOR": "true",
    "DEBUG": "false",
}


def use_production_settings(database, redis_db=12):
    """Point this process (and the servers it starts) at production settings, the benchmark's
    own database (unless DATABASE_URL is set) and a Redis database of its own (REDIS_URL)."""
    sys.path.insert(0, str(ROOT))
    for name, value in PRODUCTION.items():
        if name in ("DJANGO_SETTINGS_MODULE", "EMAIL_URL", "BENCH_FLOOR", "DEBUG"):
            os.environ[name] = value  # whatever the environment says
        else:
            os.environ.setdefault(name, value)
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{database}")
    os.environ.setdefault("REDIS_URL", f"redis://127.0.0.1:6379/{redis_db}")


def ensure_database(url):
    """Create the benchmark database when it does not exist yet."""
    import dj_database_url
    import psycopg

    settings = dj_database_url.parse(url)
    if settings["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("The benchmark needs PostgreSQL: set DATABASE_URL to a postgres:// address.")
    server = psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
                             user=settings["USER"] or None, password=settings["PASSWORD"] or None,
                             dbname="postgres", autocommit=True)
    with server:
        exists = server.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                [settings["NAME"]]).fetchone()
        if not exists:
            server.execute(f'CREATE DATABASE "{settings["NAME"]}"')


def prepare_scale_dataset(leaders):
    """Create and migrate the benchmark database, collect the static files (production
    settings need their manifest), and (re)seed it with `seed_scale` unless it already holds
    a dataset of this many leaders."""
    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from tenancy.models import Role
    from tenancy.scoping import platform_wide

    with platform_wide():
        existing = Role.objects.filter(kind="leader", network__slug__startswith="scale-").count()
    if existing != leaders:
        print(f"Generating the scale dataset ({leaders} leaders) ...")
        started = time.perf_counter()
        call_command("seed_scale", leaders=leaders, replace=True)
        print(f"  seed_scale: {time.perf_counter() - started:.0f} s")


def median_seconds(function, repeat):
    """(median seconds, last result) of `repeat` calls."""
    durations, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations), result


class Floor:
    """The floor page served in this process (Django's test client, the whole middleware),
    timed as the median of many requests; `ratio` divides another figure by it."""

    def __init__(self, person, network, repeat=50):
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        client = Client()
        client.force_login(person)
        url = reverse("bench_floor", kwargs={"network_slug": network.slug})
        for _ in range(5):
            assert client.get(url).status_code == 200, "the floor page is not open (BENCH_FLOOR)"
        self.seconds, _ = median_seconds(lambda: client.get(url), repeat)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        self.queries = len(captured.captured_queries)

    def ratio(self, seconds):
        return f"{seconds / self.seconds:6.1f}x floor"

    def line(self):
        return (f"  floor: the cheapest signed-in network page, in this process: "
                f"{self.seconds * 1000:.1f} ms, {self.queries} queries (= 1.0x)")

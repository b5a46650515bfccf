"""Under overload nothing is worked on long after the browser gave up (issue 11): a request
that waited too long in the proxy's queue is answered 503 at once, and the web process's
database statements have a time limit."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.urls import reverse

from tenancy.middleware import _seconds_in_queue

pytestmark = pytest.mark.django_db


def test_a_request_that_waited_too_long_is_refused_before_any_work(
        client, world, django_assert_num_queries):
    client.force_login(world.leader)
    url = reverse("leader_home", kwargs={"network_slug": world.network.slug})
    stale = f"t={time.time() - settings.REQUEST_QUEUE_TIMEOUT - 5:.3f}"  # nginx's ${msec}
    with django_assert_num_queries(0):
        response = client.get(url, headers={"X-Request-Start": stale,
                                            "Accept-Language": "nb"})
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "Bro er veldig opptatt" in response.content.decode()
    fresh = f"t={time.time() - 1:.3f}"
    assert client.get(url, headers={"X-Request-Start": fresh}).status_code == 200
    assert client.get(url, headers={"X-Request-Start": "nonsense"}).status_code == 200
    assert client.get(url).status_code == 200  # no proxy, no stamp: nothing happens


@pytest.mark.parametrize("scale", [1, 1_000, 1_000_000], ids=["s", "ms", "us"])
def test_the_proxys_stamp_is_read_in_seconds_milli_or_microseconds(scale):
    now = 1_780_000_000.0
    assert _seconds_in_queue(f"t={(now - 42) * scale:.0f}", now) == pytest.approx(42, abs=0.01)
    assert _seconds_in_queue(f"{(now - 42) * scale:.0f}", now) == pytest.approx(42, abs=0.01)


def test_the_web_process_cancels_a_statement_after_its_time_limit():
    """config/wsgi.py (what gunicorn loads) sets the limit; PostgreSQL enforces it."""
    code = ("import config.wsgi; from django.db import connection\n"
            "with connection.cursor() as c:\n"
            "    c.execute('show statement_timeout'); print(c.fetchone()[0])\n")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "testserver", "EMAIL_URL": "locmem://",
           "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres"}
    env.pop("DATABASE_STATEMENT_TIMEOUT", None)
    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True, cwd=settings.BASE_DIR).stdout.strip()
    assert shown == "15s"

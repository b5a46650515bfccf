"""Real Celery workers (subprocesses) against the machine's Redis and the test database.

Each test gets its own queue on Redis database 14, an SMTP sink in a thread on a port of its
own, and workers started with `celery -A config worker` exactly as in production, but with test
settings (BRO_CELERY_EAGER=false). The test process publishes to the same queue. Under
pytest-xdist the workers get their test process's own database (test_…_gwN) and node names
that carry the queue, so tests on parallel pytest workers never share anything."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connection

from config.celery_app import app
from tests.integration.smtp_sink import SmtpSink

BROKER = os.environ.get("BRO_INTEGRATION_REDIS_URL", "redis://127.0.0.1:6379/14")
REPO = Path(__file__).resolve().parents[2]


def _reset_app():
    app._pool = None
    app.__dict__.pop("amqp", None)  # rebuilt from the conf below (queues, router, producers)


@pytest.fixture
def queue_name():
    return f"bro-test-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def smtp_sink():
    sink = SmtpSink()
    yield sink
    sink.stop()


@pytest.fixture
def real_broker(queue_name):
    """The test process publishes to Redis, to this test's queue, instead of running tasks."""
    saved = (app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.broker_url = BROKER
    app.conf.task_default_queue = queue_name
    _reset_app()
    yield
    app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue = saved
    _reset_app()
    redis.Redis.from_url(BROKER).delete(queue_name)


class Workers:
    def __init__(self, queue, smtp_port, logs):
        self.queue, self.smtp_port, self.logs = queue, smtp_port, logs
        self.processes = []

    def start(self, name):
        env = {**os.environ,
               "DJANGO_SETTINGS_MODULE": "config.settings.test",
               "DATABASE_URL": f"postgres://{connection.settings_dict['USER'] or 'postgres'}"
                               f"@{connection.settings_dict['HOST'] or '127.0.0.1'}:"
                               f"{connection.settings_dict['PORT'] or 5432}/"
                               f"{connection.settings_dict['NAME']}",
               "REDIS_URL": BROKER, "BRO_CELERY_EAGER": "false", "BRO_CELERY_QUEUE": self.queue,
               "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}?timeout=5"}
        log = self.logs / f"{name}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
             "-Q", self.queue, "-n", f"{name}.{self.queue}@%h", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"],
            cwd=REPO, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        process.log = log
        self.processes.append(process)
        deadline = time.monotonic() + 30
        while "ready." not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"worker {name} did not start:\n{log.read_text()}")
            time.sleep(0.1)
        return process

    def kill(self, process):
        process.send_signal(signal.SIGKILL)
        process.wait(10)

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


@pytest.fixture
def workers(transactional_db, real_broker, queue_name, smtp_sink, tmp_path):
    pool = Workers(queue_name, smtp_sink.port, tmp_path)
    yield pool
    pool.stop_all()


def wait_until(condition, timeout=30, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    raise AssertionError(f"not within {timeout}s: {condition.__doc__ or condition}")

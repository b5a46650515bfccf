"""Operations: log lines as JSON with a request id and the network and no personal data
(tenancy/logs.py, RequestIdMiddleware), and error reports without personal data
(tenancy/error_reporting.py)."""

import io
import json
import logging
import logging.config

import pytest
from django.urls import reverse

from tenancy import error_reporting, logs

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """The production handler (JSON formatter and the context filter) on a string, for the
    duration of a test; answers a function reading the lines written so far."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JSONFormatter())
    handler.addFilter(logs.ContextFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


def test_production_writes_json_lines():
    from config.settings import production  # noqa: F401  (needs the production env)

    assert production.LOGGING["handlers"]["console"]["formatter"] == "json"
    assert production.LOGGING["handlers"]["console"]["filters"] == ["context"]


def test_a_request_logs_one_json_line_with_its_id_and_network_and_nobody_in_it(
        client, world, json_lines):
    client.force_login(world.leader)
    url = reverse("library", kwargs={"network_slug": world.network.slug})
    response = client.get(url + f"?email={world.leader.email}&token=secret1234567890abcdefXYZ")
    assert response.status_code == 200
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    (line,) = [line for line in json_lines() if line["logger"] == "bro.request"]
    assert line["request_id"] == request_id
    assert line["network"] == world.network.slug
    assert (line["method"], line["status"]) == ("GET", 200)
    assert line["route"] == "n/<slug:network_slug>/library/"
    written = json.dumps(json_lines())
    for personal in (world.leader.email, world.leader.name, "secret1234567890", "127.0.0.1"):
        assert personal not in written


@pytest.mark.urls("tests.tenancy.error_urls")
def test_an_error_during_a_request_is_logged_with_its_id_and_without_the_query(
        client, world, json_lines):
    client.raise_request_exception = False
    client.force_login(world.leader)
    response = client.get(f"/fail/500/?email={world.leader.email}",
                          HTTP_X_REQUEST_ID="3f2c9a7e-proxy-given")
    assert response.status_code == 500
    assert response["X-Request-ID"] == "3f2c9a7e-proxy-given"
    (error,) = [line for line in json_lines() if line["logger"] == "django.request"]
    assert error["request_id"] == "3f2c9a7e-proxy-given"
    assert error["level"] == "ERROR" and "RuntimeError: a bug" in error["exception"]
    assert world.leader.email not in json.dumps(json_lines())


@pytest.mark.parametrize("given", ["", "short", "has spaces in it", "x" * 129, "a\nfake line"])
def test_a_malformed_request_id_from_the_proxy_is_replaced(client, given):
    response = client.get(reverse("healthz"), HTTP_X_REQUEST_ID=given)
    assert response["X-Request-ID"] != given and len(response["X-Request-ID"]) == 32


def test_a_task_or_code_working_in_a_network_logs_its_slug(world, json_lines):
    from tenancy.scoping import network_scope

    with logs.log_context(task_id="task-1234"), network_scope(world.network.pk):
        logging.getLogger("bro.test").info("Erased person %s", 7)
    (line,) = json_lines()
    assert (line["task_id"], line["network"], line["message"]) == (
        "task-1234", world.network.slug, "Erased person 7")


def test_celery_task_lines_carry_the_task_id():
    logs.enter_task("c0ffee-task", "gdpr.tasks.erase_due_personal_data")
    try:
        assert logs.current_context() == {"task_id": "c0ffee-task",
                                          "task": "gdpr.tasks.erase_due_personal_data"}
    finally:
        logs.leave_task("c0ffee-task")
    assert logs.current_context() == {}


def test_scrub_takes_out_addresses_query_strings_and_link_tokens():
    token = "kJ3_x9QvT2mZ8aLw0pRt5YuVb7NcEf1GhIo4sDq6"
    assert logs.scrub(f"Gone: /invitations/{token}/ for lene.berg@kristiansand.kommune.no") == (
        "Gone: /invitations/[token]/ for [email]")
    assert logs.scrub("GET /n/digi-agder/manage/audit/?kind=signed_in&page=2") == (
        "GET /n/digi-agder/manage/audit/?[removed]")
    assert logs.scrub("Why? Because.") == "Why? Because."


def test_the_readable_format_carries_the_same_fields():
    formatter = logs.TextFormatter()
    record = logging.makeLogRecord({"msg": "Report %s failed", "args": (4,), "levelname": "INFO",
                                    "name": "bro", "request_id": "abc12345"})
    assert formatter.format(record).endswith("bro Report 4 failed [request_id=abc12345]")


# --- error reporting ---------------------------------------------------------------------------


def test_error_reporting_is_off_without_sentry_dsn(monkeypatch):
    import sentry_sdk
    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: calls.append(options))
    assert error_reporting.init_error_reporting("") is False
    assert calls == []


def test_error_reporting_sends_no_personal_data(monkeypatch):
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: calls.append(options))
    assert error_reporting.init_error_reporting("https://public@errors.example.invalid/4")
    (options,) = calls
    assert options["dsn"] == "https://public@errors.example.invalid/4"
    assert options["send_default_pii"] is False
    assert options["include_local_variables"] is False
    assert options["max_request_body_size"] == "never"
    assert options["before_send"] is error_reporting.scrub_event
    assert options["before_breadcrumb"]({"message": "lene@example.no"}, {}) is None
    assert {type(integration) for integration in options["integrations"]} == {
        DjangoIntegration, CeleryIntegration}


def sentry_event(email, token):
    """An event as sentry-sdk's Django integration builds it for a failed request."""
    return {
        "level": "error",
        "request": {
            "url": f"https://bro.example/invitations/{token}/?email={email}",
            "method": "POST", "query_string": f"email={email}",
            "data": {"email": email, "name": "Lene Berg"},
            "cookies": {"sessionid": "s3cr3t"},
            "headers": {"Cookie": "sessionid=s3cr3t", "X-Forwarded-For": "203.0.113.9"},
            "env": {"REMOTE_ADDR": "203.0.113.9", "SERVER_NAME": "bro.example"},
        },
        "user": {"id": "17", "email": email, "ip_address": "203.0.113.9"},
        "exception": {"values": [{
            "type": "ValidationError", "value": f"['{email} is already invited']",
            "stacktrace": {"frames": [{"filename": "tenancy/services.py", "lineno": 10,
                                       "function": "create_invitation",
                                       "vars": {"email": email, "name": "Lene Berg"}}]}}]},
        "logentry": {"message": "Could not invite %s", "params": [email]},
        "breadcrumbs": {"values": [{"category": "query",
                                    "message": f"SELECT … WHERE email = '{email}'"}]},
        "extra": {"person": email},
        "transaction": "/invitations/{token}/",
    }


def test_the_scrubber_leaves_nothing_of_the_person_in_a_realistic_event():
    email, token = "lene.berg@kristiansand.kommune.no", "kJ3_x9QvT2mZ8aLw0pRt5YuVb7NcEf1GhIo4s"
    with logs.log_context(request_id="req-12345678", network="digi-agder"):
        event = error_reporting.scrub_event(sentry_event(email, token), {})
    text = json.dumps(event)
    for personal in (email, "Lene Berg", "s3cr3t", "203.0.113.9", token, "sessionid"):
        assert personal not in text
    assert event["request"] == {"method": "POST",
                                "url": "https://bro.example/invitations/[token]/"}
    assert "user" not in event and "breadcrumbs" not in event and "extra" not in event
    (exception,) = event["exception"]["values"]
    assert exception["type"] == "ValidationError"
    assert exception["stacktrace"]["frames"][0]["function"] == "create_invitation"
    assert event["tags"] == {"request_id": "req-12345678", "network": "digi-agder"}

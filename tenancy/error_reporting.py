"""Errors to a Sentry-compatible service (Sentry, GlitchTip, …), only when SENTRY_DSN is set.

An error report says where Bro broke, never whom it happened to: no request body, cookies,
headers, query string or user, no local variables of the stack frames (they hold people's
answers and addresses) and no breadcrumbs (log lines and SQL leading up to it). The request
id and the network go along as tags, so a report leads to its log lines. Works for the web
process and the Celery workers alike (both load the settings). README, "Operations".
"""

from tenancy.logs import current_context, scrub


def init_error_reporting(dsn):
    """Start reporting when `dsn` is set; answers whether it did."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,
        before_breadcrumb=drop_breadcrumb,
        traces_sample_rate=0,
    )
    return True


def drop_breadcrumb(crumb, hint):
    return None


def scrub_event(event, hint):
    """Keep what locates the fault (exception types, code lines, the URL pattern's path
    without its query) and drop what could name a person."""
    request = event.get("request") or {}
    event["request"] = {key: request[key] for key in ("method",) if key in request}
    if request.get("url"):
        event["request"]["url"] = scrub(request["url"].split("?", 1)[0])
    for key in ("user", "breadcrumbs", "extra"):
        event.pop(key, None)
    for part in ("exception", "threads"):
        for value in (event.get(part) or {}).get("values", []):
            if isinstance(value.get("value"), str):
                value["value"] = scrub(value["value"])
            for frame in (value.get("stacktrace") or {}).get("frames", []):
                frame.pop("vars", None)
    logentry = event.get("logentry") or {}
    if isinstance(logentry.get("message"), str):
        logentry["message"] = scrub(logentry["message"])
    if isinstance(logentry.get("formatted"), str):
        logentry["formatted"] = scrub(logentry["formatted"])
    if logentry.get("params"):
        logentry["params"] = [scrub(str(param)) for param in logentry["params"]]
    if isinstance(event.get("message"), str):
        event["message"] = scrub(event["message"])
    if isinstance(event.get("transaction"), str):
        event["transaction"] = scrub(event["transaction"])
    context = current_context()
    tags = event.setdefault("tags", {})
    for field in ("request_id", "task_id", "network"):
        if context.get(field):
            tags[field] = context[field]
    return event

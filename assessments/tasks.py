"""Celery tasks of assessments that are not about reports (those are in reports/tasks.py)."""

from celery import shared_task

from assessments import services


@shared_task(ignore_result=True)
def record_rounds_opening_and_closing():
    """Every minute: the audit trail's "round opened" and "round closed", once each."""
    return services.record_rounds_opening_and_closing()

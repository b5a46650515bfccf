"""Answers to other apps' signals (connected in modules.apps)."""

from django.dispatch import receiver

from assessments.reports.signals import group_report_work
from modules.selectors import group_work


@receiver(group_report_work)
def group_work_in_report(sender, report, **kwargs):
    """A group report shows the group's ambition and initiatives in the report's cohort."""
    return [entry for entry in group_work(report.network, report.leader_group)
            if entry["cohort_module"].cohort_id == report.cohort_id]

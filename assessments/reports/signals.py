"""Signals through which apps above assessments add to a report.

Bro's layers (README, "How Bro is organised") put modules above assessments: modules reads
rounds and answers, so assessments may not read modules. A group report still carries the
group's own work, so modules hands it in through this signal, in the manner of pretix's
plugin signals.
"""

from django.dispatch import Signal

# Sent while a group report is put together (sender: the Report class, report=the Report).
# Each receiver answers with a list of the group's work in the report's cohort, one entry per
# module: {"cohort_module", "ambition", "initiatives"}.
group_report_work = Signal()

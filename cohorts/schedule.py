"""Dates of a cohort's modules: the suggested rhythm, the rules they must follow, shifting a
whole schedule (copying last year's cohort), and the one phase rule. Pure functions.

Phase of a module on a day (`module_state`): *upcoming* until pre-work opens; *prework* until
the gathering day (without a gathering date, until post-work is due); *gathering* on that day;
*postwork* until post-work is due; then *finished*. What's next, the progress tables, the
schedule's "Now" and the reminders (through modules.progress) all ask here.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The recommended rhythm: a module about every three months, the gathering four weeks into
# it, a day from 09:00 to 15:30, and post-work due eight weeks after the gathering.
MODULE_INTERVAL = timedelta(weeks=13)
PREWORK_LENGTH = timedelta(weeks=4)
POSTWORK_LENGTH = timedelta(weeks=8)
GATHERING_STARTS = time(9, 0)
GATHERING_ENDS = time(15, 30)


def local_zone():
    return ZoneInfo(settings.TIME_ZONE)


def local_datetime(day, at):
    """A wall-clock time on a day where the gatherings take place (Norway and Denmark)."""
    return datetime.combine(day, at, tzinfo=local_zone())


@dataclass(frozen=True)
class SuggestedDates:
    prework_opens_on: object
    gathering_starts_at: datetime
    gathering_ends_at: datetime
    postwork_due_on: object


def suggested_dates(starts_on, index):
    """The dates a new cohort's module number `index` (from 0) starts with."""
    opens = starts_on + MODULE_INTERVAL * index
    gathering_day = opens + PREWORK_LENGTH
    return SuggestedDates(
        prework_opens_on=opens,
        gathering_starts_at=local_datetime(gathering_day, GATHERING_STARTS),
        gathering_ends_at=local_datetime(gathering_day, GATHERING_ENDS),
        postwork_due_on=gathering_day + POSTWORK_LENGTH,
    )


def schedule_problems(prework_opens_on, gathering_starts_at, gathering_ends_at, postwork_due_on):
    """{field: message} for every rule the dates of one module break."""
    problems = {}
    gathering_day = gathering_starts_at.astimezone(local_zone()).date()
    if prework_opens_on >= gathering_day:
        problems["prework_opens_on"] = _(
            "Pre-work must open before the gathering (%(day)s).") % {"day": gathering_day}
    if postwork_due_on <= gathering_day:
        problems["postwork_due_on"] = _(
            "Post-work must be due after the gathering (%(day)s).") % {"day": gathering_day}
    if gathering_ends_at <= gathering_starts_at:
        problems["gathering_ends"] = _("The gathering must end after it starts.")
    return problems


def shift_datetime(moment, days):
    """The same wall-clock time `days` later, also across a change to or from summer time."""
    local = moment.astimezone(local_zone())
    return datetime.combine(local.date() + timedelta(days=days), local.time(),
                            tzinfo=local_zone())


UPCOMING, PREWORK, GATHERING, POSTWORK, FINISHED = (
    "upcoming", "prework", "gathering", "postwork", "finished")
RUNNING = (PREWORK, GATHERING, POSTWORK)


def local_day(moment):
    return timezone.localtime(moment).date() if isinstance(moment, datetime) else moment


def gathering_of(cohort_module):
    """The module's gathering, or None (a missing reverse one-to-one raises an
    AttributeError subclass)."""
    return getattr(cohort_module, "gathering", None)


def module_state(cohort_module, gathering, today):
    """(state, due date) of a cohort module on a day."""
    gathering_day = local_day(gathering.starts_at) if gathering else None
    if today < cohort_module.prework_opens_on:
        return UPCOMING, cohort_module.prework_opens_on
    if gathering_day is None:
        if today <= cohort_module.postwork_due_on:
            return PREWORK, None
        return FINISHED, cohort_module.postwork_due_on
    if today < gathering_day:
        return PREWORK, gathering_day
    if today == gathering_day:
        return GATHERING, gathering_day
    if today <= cohort_module.postwork_due_on:
        return POSTWORK, cohort_module.postwork_due_on
    return FINISHED, cohort_module.postwork_due_on


def state_of(cohort_module, today):
    """The module's phase on a day, with its own gathering (module_state)."""
    return module_state(cohort_module, gathering_of(cohort_module), today)[0]


def current_module(cohort_modules, today):
    """The module to show today: the first that is running (module_state), else the next to
    come, else the last; None without modules."""
    states = [state_of(cohort_module, today) for cohort_module in cohort_modules]
    for wanted in (RUNNING, (UPCOMING,)):
        for cohort_module, state in zip(cohort_modules, states, strict=True):
            if state in wanted:
                return cohort_module
    return cohort_modules[-1] if cohort_modules else None

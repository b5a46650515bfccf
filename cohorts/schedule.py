"""Dates of a cohort's modules: the suggested rhythm, the rules they must follow, and shifting
a whole schedule (copying last year's cohort). Pure functions."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
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


def current_index(windows, today):
    """Which of (opens, due) windows is the one to show today: the running one, else the next,
    else the last."""
    for index, (opens, due) in enumerate(windows):
        if opens <= today <= due:
            return index
    for index, (opens, _due) in enumerate(windows):
        if opens > today:
            return index
    return len(windows) - 1 if windows else None

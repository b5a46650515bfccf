"""Shared builders for the reminders tests: a cohort in a NetworkWorld with two leaders in
one group, one module with pre-work and a gathering, and fixed local times."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core import mail

from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.factories import make_cohort, make_cohort_module, make_person

OSLO = ZoneInfo("Europe/Oslo")


def local(year, month, day, hour=9, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=OSLO)


@dataclass
class CohortWorld:
    world: object
    cohort: object
    leaders: list
    cohort_module: object

    @property
    def gathering(self):
        return self.cohort_module.gathering

    @property
    def network(self):
        return self.world.network


def make_cohort_world(world, *, gathering_at=None, prework_opens_on=date(2026, 5, 4),
                      postwork_due_on=date(2026, 6, 15)):
    cohort = make_cohort(world)
    cohort.leader_groups.add(world.group)
    for person in (world.leader, world.coordinator, world.facilitator, world.admin):
        person.language = "en"  # the tests read English; test_reminders_emails checks the rest
        person.save(update_fields=["language"])
    second = make_person(language="en")
    grant_role(second, world.network, RoleKind.LEADER, leader_group=world.group)
    cohort_module = make_cohort_module(
        cohort, slug=None, content="prework", prework_opens_on=prework_opens_on,
        postwork_due_on=postwork_due_on,
        gathering_at=gathering_at or local(2026, 5, 20, 9), place="Kilden, Kristiansand",
        online_url="https://meet.example/samling")
    return CohortWorld(world, cohort, [world.leader, second], cohort_module)


def complete_prework(cohort_world, person):
    """The standard programme's pre-work activities (not the cohort's own) marked done."""
    from modules.models import ActivityCompletion
    from programmes.models import Activity

    for activity in Activity.objects.standard().filter(
            phase__module=cohort_world.cohort_module.module, phase__kind="prework"):
        ActivityCompletion.objects.create(network=cohort_world.network, cohort=cohort_world.cohort,
                                          person=person, activity=activity)


def sent_to(kind_subject_part=None):
    """Recipients of the emails in the outbox (whose subject contains the text, if given)."""
    return sorted(address for message in mail.outbox for address in message.to
                  if kind_subject_part is None or kind_subject_part in message.subject)


def set_clock(monkeypatch, moment):
    """From now on the reminders app believes it is `moment`."""
    from reminders import clock

    monkeypatch.setattr(clock, "now", lambda: moment)

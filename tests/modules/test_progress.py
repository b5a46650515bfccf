"""The one progress rule (modules.progress): when an activity is done and which phase a module
is in, asked the same way by What's next, the progress table and its CSV, the reminders and the
coordinator's nudges."""

import csv
import io
from datetime import date, time, timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.models import Instrument, Response
from cohorts import schedule
from cohorts.schedule import local_datetime
from modules import progress, selectors
from modules.models import ActivityCompletion, Ambition, GroupTaskAnswer, Initiative, Reflection
from programmes.models import Activity, ActivityKind, Module, Phase, PhaseKind
from reminders import services
from reminders.models import ReminderKind
from reminders.planning import PLANS
from reminders.selectors import nudge_options
from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.factories import (
    build_instrument,
    build_round,
    build_submission,
    make_cohort,
    make_cohort_module,
    make_person,
    make_programme,
    network_roles_of,
    world_cohort,
)
from tests.reminders.world import complete_prework, local, make_cohort_world, sent_to, set_clock

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]

INSTRUMENT = "test-profile"


def module_with(kinds, slug="rule"):
    """A programme module whose pre-work holds one activity of each kind, in that order."""
    module = Module.objects.create(programme=make_programme(), slug=slug, theme="organisation",
                                   position=1, title={"en": "Organisation"})
    phase = Phase.objects.create(module=module, kind=PhaseKind.PREWORK, position=1)
    for position, kind in enumerate(kinds, start=1):
        Activity.objects.create(
            phase=phase, slug=f"{kind}-{position}", kind=kind, position=position,
            title={"en": f"Do the {kind}"},
            instrument_slug=INSTRUMENT if kind == ActivityKind.ASSESSMENT else "")
    return module


def running(world, kinds):
    """The world's cohort runs a module with these pre-work activities: pre-work opened a week
    ago, the gathering is in a week."""
    cohort = world_cohort(world)
    today = timezone.localdate()
    return make_cohort_module(cohort, module_with(kinds),
                              prework_opens_on=today - timedelta(days=7),
                              gathering_on=today + timedelta(days=7))


def instrument():
    return Instrument.objects.filter(slug=INSTRUMENT).first() or build_instrument(slug=INSTRUMENT)


def done(world, cohort_module, person=None):
    """{activity kind: done?} for the person in the module's pre-work."""
    person = person or world.leader
    activities = list(Activity.objects.filter(phase__module=cohort_module.module_id))
    rule = progress.done_by(world.network, [person.pk], [cohort_module.cohort_id])
    return {activity.kind: rule(person.pk, cohort_module, activity) for activity in activities}


# --- The two bugs users saw -------------------------------------------------------------


def test_a_leader_who_submitted_the_baseline_and_did_the_rest_is_not_told_to_finish(
        world, monkeypatch, django_capture_on_commit_callbacks):
    """The standard programme puts the baseline assessment in module 1's pre-work; submitting
    it writes no completion row, and the reminders used to count only completion rows."""
    cw = make_cohort_world(world)
    finished, behind = cw.leaders
    complete_prework(cw, finished)  # the films
    prework = cw.cohort_module.module.phases.get(kind=PhaseKind.PREWORK)
    Activity.objects.create(phase=prework, slug="baseline", kind=ActivityKind.ASSESSMENT,
                            position=0, title={"en": "Baseline"}, instrument_slug=INSTRUMENT)
    round_ = build_round(world, instrument=instrument(), cohort=cw.cohort, name="Baseline",
                         opens_at=local(2026, 5, 4, 8), closes_at=local(2026, 6, 1, 8))
    build_submission(round_, person=finished, group=world.group,
                     submitted_at=local(2026, 5, 6, 10))

    for moment in (local(2026, 5, 7, 9), local(2026, 5, 17, 9)):  # opens; due in three days
        set_clock(monkeypatch, moment)
        with django_capture_on_commit_callbacks(execute=True):
            services.dispatch()
    assert sent_to("pre-work") == [behind.email, behind.email]
    assert [m.to for m in mail.outbox if "Finish the pre-work" in m.subject] == [[behind.email]]

    option = next(option for option in nudge_options(world.network, world.organisation,
                                                    now=local(2026, 5, 11, 10))
                  if option.key == f"module-{cw.cohort_module.pk}")
    assert (option.leaders, option.unfinished) == (2, 1)
    nudge = PLANS[ReminderKind.COORDINATOR_NUDGE]
    assert nudge.done_among(SimpleNamespace(round_id=None, cohort_module=cw.cohort_module),
                            [finished.pk, behind.pk]) == {finished.pk}


def test_a_round_opened_before_prework_counts_the_same_for_leader_and_coordinator(
        client, world):
    cohort_module = running(world, [ActivityKind.ASSESSMENT])
    opened = local_datetime(cohort_module.prework_opens_on - timedelta(days=3), time(9))
    round_ = build_round(world, instrument=instrument(), cohort=cohort_module.cohort,
                         opens_at=opened, closes_at=timezone.now() + timedelta(days=5))
    build_submission(round_, person=world.leader, group=world.group)

    (journey,) = selectors.leader_journeys(
        world.network, world.leader, network_roles_of(world.leader, world.network))
    assert (journey.modules[0].done_count, journey.modules[0].total) == (1, 1)
    client.force_login(world.leader)
    home = client.get(reverse("leader_home", kwargs={"network_slug": world.network.slug}))
    assert "1 of 1 activity done" in home.content.decode()

    table = selectors.leaders_progress(world.network, cohort_module.cohort, [world.group],
                                       [cohort_module])
    (row,) = table.rows
    assert (row.cells[0].done, row.cells[0].total) == (1, 1)
    client.force_login(world.coordinator)
    response = client.get(reverse("organisation_progress_csv", kwargs={
        "network_slug": world.network.slug, "organisation_id": world.organisation.pk}))
    header, line = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")),
                                   delimiter=";"))
    prework = next(i for i, title in enumerate(header) if "Pre-work (done of 1)" in title)
    assert line[prework] == "1"


# --- Every activity kind ----------------------------------------------------------------

BY_HAND = [kind for kind in ActivityKind.values if kind != ActivityKind.ASSESSMENT]


@pytest.mark.parametrize("kind", BY_HAND)
def test_an_activity_done_by_hand_counts_only_with_its_completion(world, kind):
    cohort_module = running(world, [kind])
    cohort, activity = cohort_module.cohort, Activity.objects.get(
        phase__module=cohort_module.module_id)
    # What the leader wrote or the group decided does not by itself mark the activity done.
    Reflection.objects.create(network=world.network, cohort=cohort, person=world.leader,
                              activity=activity, text="Mine")
    GroupTaskAnswer.objects.create(network=world.network, cohort=cohort,
                                   leader_group=world.group, activity=activity, text="Ours")
    Ambition.objects.create(network=world.network, cohort=cohort, leader_group=world.group,
                            module=cohort_module.module, text="Be digital")
    Initiative.objects.create(network=world.network, cohort=cohort, leader_group=world.group,
                              module=cohort_module.module, title="Radar", horizon="short")
    assert done(world, cohort_module) == {kind: False}

    ActivityCompletion.objects.create(network=world.network, cohort=cohort, person=world.leader,
                                      activity=activity)
    assert done(world, cohort_module) == {kind: True}
    assert done(world, cohort_module, person=world.coordinator) == {kind: False}


def test_an_assessment_is_done_by_a_submitted_round_overlapping_the_module(world):
    cohort_module = running(world, [ActivityKind.ASSESSMENT])
    cohort, opens = cohort_module.cohort, cohort_module.prework_opens_on
    assert done(world, cohort_module) == {ActivityKind.ASSESSMENT: False}

    answering = build_round(world, instrument=instrument(), cohort=cohort, name="Answering")
    Response.objects.create(network=world.network, round=answering, person=world.leader,
                            leader_group=world.group)  # answered, never submitted
    other = build_round(world, instrument=build_instrument(slug="other-profile"), cohort=cohort,
                        name="Other instrument")
    build_submission(other, person=world.leader, group=world.group)
    before = build_round(world, instrument=instrument(), cohort=cohort, name="Before",
                         opens_at=local_datetime(opens - timedelta(days=30), time(9)),
                         closes_at=local_datetime(opens - timedelta(days=1), time(9)))
    build_submission(before, person=world.leader, group=world.group)
    elsewhere = build_round(world, instrument=instrument(),
                            cohort=make_cohort(world, name="Another cohort"), name="Elsewhere")
    build_submission(elsewhere, person=world.leader, group=world.group)
    assert done(world, cohort_module) == {ActivityKind.ASSESSMENT: False}

    overlapping = build_round(world, instrument=instrument(), cohort=cohort, name="Start",
                              opens_at=local_datetime(opens - timedelta(days=3), time(9)),
                              closes_at=local_datetime(opens, time(9)))
    build_submission(overlapping, person=world.leader, group=world.group)
    assert done(world, cohort_module) == {ActivityKind.ASSESSMENT: True}


# --- Phases -----------------------------------------------------------------------------

OPENS, GATHERING_DAY, DUE = date(2026, 3, 2), date(2026, 3, 30), date(2026, 5, 25)


def test_without_a_gathering_prework_runs_until_postwork_is_due():
    cohort_module = SimpleNamespace(prework_opens_on=OPENS, postwork_due_on=DUE)
    assert schedule.module_state(cohort_module, None, DUE) == (schedule.PREWORK, None)
    assert schedule.module_state(cohort_module, None, DUE + timedelta(days=1)) == (
        schedule.FINISHED, DUE)


def test_prework_is_open_until_the_gathering_starts():
    gathering = SimpleNamespace(starts_at=local_datetime(GATHERING_DAY, time(9)))
    cohort_module = SimpleNamespace(prework_opens_on=OPENS, postwork_due_on=DUE,
                                    gathering=gathering)
    assert not progress.prework_is_open(cohort_module, local_datetime(OPENS, time(0)) -
                                        timedelta(minutes=1))
    assert progress.prework_is_open(cohort_module, local_datetime(OPENS, time(0)))
    assert progress.prework_is_open(cohort_module, local_datetime(GATHERING_DAY, time(8, 59)))
    assert not progress.prework_is_open(cohort_module, local_datetime(GATHERING_DAY, time(9)))


# --- A fixed number of queries ----------------------------------------------------------


@pytest.mark.parametrize("leaders", [3, 30])
def test_the_rule_reads_two_queries_for_any_number_of_people(world, leaders,
                                                            django_assert_num_queries):
    cohort_module = running(world, [ActivityKind.ASSESSMENT, *BY_HAND])
    round_ = build_round(world, instrument=instrument(), cohort=cohort_module.cohort)
    people = [make_person() for _ in range(leaders)]
    activities = list(Activity.objects.filter(phase__module=cohort_module.module_id))
    for person in people:
        grant_role(person, world.network, RoleKind.LEADER, leader_group=world.group)
        build_submission(round_, person=person, group=world.group)
        ActivityCompletion.objects.create(network=world.network, cohort=cohort_module.cohort,
                                          person=person, activity=activities[1])
    with django_assert_num_queries(2):
        rule = progress.done_by(world.network, [p.pk for p in people], [cohort_module.cohort_id])
    counts = {rule.count(person.pk, cohort_module, activities) for person in people}
    assert counts == {2}
    with django_assert_num_queries(3):
        assert progress.done_with_phase(cohort_module, [p.pk for p in people],
                                        PhaseKind.PREWORK) == set()

"""Reminders are planned from the cohort's current dates whenever the dispatcher runs."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import translation

from cohorts import tailoring
from modules.models import ActivityCompletion, Ambition, Initiative
from reminders import services
from reminders.models import DeliveryStatus, ReminderDelivery, ReminderKind
from reminders.selectors import nudge_options
from tenancy.models import Invitation, RoleKind
from tenancy.services import create_invitation, find_invitation
from tests.factories import make_group, make_person, make_round
from tests.reminders.world import (
    complete_prework,
    local,
    make_cohort_world,
    sent_to,
    set_clock,
)


@pytest.fixture
def dispatch(django_capture_on_commit_callbacks, monkeypatch):
    def run(now):
        set_clock(monkeypatch, now)
        with django_capture_on_commit_callbacks(execute=True):
            return services.dispatch()
    return run


@pytest.fixture
def cw(world):
    return make_cohort_world(world)


def deliveries(network, kind):
    return ReminderDelivery.objects.for_network(network).filter(kind=kind)


@pytest.mark.django_db
def test_prework_opens_goes_to_every_leader_once_across_runs(cw, dispatch):
    dispatch(local(2026, 5, 3, 12))
    assert not mail.outbox  # the day before it opens
    dispatch(local(2026, 5, 4, 9))
    dispatch(local(2026, 5, 4, 9, 5))
    dispatch(local(2026, 5, 5, 9))
    assert sent_to("pre-work") == sorted(p.email for p in cw.leaders)
    assert all(d.status == DeliveryStatus.SENT
               for d in deliveries(cw.network, ReminderKind.PREWORK_OPENS))


@pytest.mark.django_db
def test_nothing_date_based_goes_out_before_the_earliest_hour(cw, dispatch, settings):
    settings.REMINDER_EARLIEST_HOUR = 7
    dispatch(local(2026, 5, 4, 0, 5))
    assert not mail.outbox
    dispatch(local(2026, 5, 4, 7, 0))
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_prework_due_only_to_leaders_who_have_not_finished(cw, dispatch):
    done, behind = cw.leaders
    dispatch(local(2026, 5, 4, 9))  # "opens" for both
    mail.outbox.clear()
    complete_prework(cw, done)
    dispatch(local(2026, 5, 16, 9))  # four days before the gathering: not yet
    assert not mail.outbox
    dispatch(local(2026, 5, 17, 9))  # three days before
    assert sent_to() == [behind.email]
    assert "Finish the pre-work" in mail.outbox[0].subject


@pytest.mark.django_db
def test_the_cohorts_own_activity_is_reminded_like_a_standard_one(cw, dispatch):
    own = tailoring.write_activity(
        cw.cohort_module, phase=cw.cohort_module.module.phases.get(kind="prework"),
        kind="reflection", title={"en": "Our own"}, instructions={}, dimension_tags=[])
    all_done, standard_done = cw.leaders
    dispatch(local(2026, 5, 4, 9))
    mail.outbox.clear()
    for person in cw.leaders:
        complete_prework(cw, person)
    ActivityCompletion.objects.create(network=cw.network, cohort=cw.cohort, person=all_done,
                                      activity=own)
    options = nudge_options(cw.network, cw.world.organisation, local(2026, 5, 10, 9))
    assert [option.unfinished for option in options] == [1]
    dispatch(local(2026, 5, 17, 9))  # three days before the gathering
    assert sent_to() == [standard_done.email]


@pytest.mark.django_db
def test_a_leader_who_finishes_after_planning_is_not_reminded(cw, monkeypatch):
    done, behind = cw.leaders
    set_clock(monkeypatch, local(2026, 5, 17, 9))
    services.plan_due_reminders()
    complete_prework(cw, done)
    for delivery in deliveries(cw.network, ReminderKind.PREWORK_DUE):
        services.send_delivery(delivery.pk)
    assert sent_to() == [behind.email]
    skipped = deliveries(cw.network, ReminderKind.PREWORK_DUE).get(person=done)
    assert skipped.status == DeliveryStatus.SKIPPED and "done" in skipped.error


@pytest.mark.django_db
def test_a_moved_gathering_moves_its_tomorrow_reminder(cw, dispatch):
    gathering = cw.gathering
    dispatch(local(2026, 5, 18, 9))  # settle "opens" and "due"
    mail.outbox.clear()
    gathering.starts_at = local(2026, 5, 22, 9)
    gathering.ends_at = local(2026, 5, 22, 15)
    gathering.save()

    dispatch(local(2026, 5, 19, 9))  # the day before the old date
    assert not sent_to("Tomorrow")
    dispatch(local(2026, 5, 21, 9))  # the day before the new date
    assert sent_to("Tomorrow") == sorted(p.email for p in cw.leaders)
    dispatch(local(2026, 5, 21, 18))
    assert len(sent_to("Tomorrow")) == 2


@pytest.mark.django_db
def test_the_tomorrow_reminder_has_time_place_link_and_a_calendar_file(cw, dispatch):
    dispatch(local(2026, 5, 19, 9))
    message = next(m for m in mail.outbox if "Tomorrow" in m.subject)
    assert "Kilden, Kristiansand" in message.body
    assert "https://meet.example/samling" in message.body
    assert "09:00" in message.body or "9:00" in message.body or "9 a.m." in message.body
    [(filename, ics, mimetype)] = message.attachments
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    assert "BEGIN:VEVENT" in ics and "DTSTART:20260520T070000Z" in ics
    assert "LOCATION:Kilden\\, Kristiansand" in ics


@pytest.mark.django_db
def test_postwork_due_goes_to_leaders_who_have_not_done_every_postwork_activity(cw, dispatch):
    """The same rule as the progress table's post-work column: a leader whose row is complete
    is not told to finish the post-work, whatever the rest of the group has done."""
    from modules.models import ActivityCompletion
    from modules.selectors import leaders_progress
    from programmes.models import Activity, Phase

    phase = Phase.objects.create(module=cw.cohort_module.module, kind="postwork", position=3)
    activities = [Activity.objects.create(phase=phase, slug=f"post-{number}", kind="video",
                                          position=number, title={"en": f"Post {number}"})
                  for number in (1, 2)]
    finished, unfinished = cw.leaders
    for person, done in ((finished, activities), (unfinished, activities[:1])):
        for activity in done:
            ActivityCompletion.objects.create(network=cw.network, cohort=cw.cohort,
                                              person=person, activity=activity)
    # The group's ambition and initiatives do not count for anyone.
    Ambition.objects.create(network=cw.network, cohort=cw.cohort, leader_group=cw.world.group,
                            module=cw.cohort_module.module, text="Generation 3 by 2027")
    Initiative.objects.create(network=cw.network, cohort=cw.cohort, leader_group=cw.world.group,
                              module=cw.cohort_module.module, title="Technology radar",
                              horizon="short")
    table = leaders_progress(cw.network, cw.cohort, [cw.world.group], [cw.cohort_module])
    postwork = [index for index, column in enumerate(table.columns)
                if column.phase.kind == "postwork"]
    complete = {row.person.pk: row.cells[postwork[0]].complete for row in table.groups[0].rows}
    assert complete == {finished.pk: True, unfinished.pk: False}
    dispatch(local(2026, 6, 11, 9))
    assert not sent_to("Post-work")
    dispatch(local(2026, 6, 12, 9))  # three days before 15 June
    assert sent_to("Post-work") == [unfinished.email]


@pytest.mark.django_db
def test_round_opens_and_closes_soon_only_to_those_who_have_not_submitted(cw, dispatch):
    from assessments.models import Response

    answered, silent = cw.leaders
    round_ = make_round(cw.cohort, opens_at=local(2026, 5, 4, 12), closes_at=local(2026, 5, 11, 12))
    dispatch(local(2026, 5, 4, 11, 55))
    assert not sent_to("Start assessment is open")
    dispatch(local(2026, 5, 4, 12, 5))
    assert sent_to("Start assessment is open") == sorted(p.email for p in cw.leaders)
    Response.objects.create(network=cw.network, round=round_, person=answered,
                            submitted_at=local(2026, 5, 5))
    dispatch(local(2026, 5, 9, 11))  # more than two days before it closes
    assert not sent_to("closes")
    dispatch(local(2026, 5, 9, 12, 5))
    dispatch(local(2026, 5, 10, 12))
    assert sent_to("closes") == [silent.email]


@pytest.mark.django_db
def test_an_invitation_not_accepted_is_reminded_once_with_a_new_link(world, dispatch,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, first_token = create_invitation(
            world.network, email="new.leader@test.example", kind=RoleKind.LEADER,
            invited_by=world.coordinator, language="da", leader_group=world.group,
            organisation=world.organisation)
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    mail.outbox.clear()
    sent_at = invitation.sent_at
    dispatch(sent_at + timedelta(days=2))
    assert not mail.outbox
    dispatch(sent_at + timedelta(days=3, minutes=5))
    dispatch(sent_at + timedelta(days=4))
    assert sent_to() == ["new.leader@test.example"]
    [reminder] = mail.outbox
    assert reminder.extra_headers["Content-Language"] == "da"
    assert reminder.from_email == f"{world.network.name} via Bro <bro@localhost>"
    with translation.override("da"):
        role = str(RoleKind.LEADER.label)
    assert f" {role.lower()}" in reminder.body and f" {role}" not in reminder.body  # mid-sentence
    assert world.coordinator.name in reminder.body  # who invited
    new_token = reminder.body.split("/invitations/")[1].split("/")[0]
    assert find_invitation(first_token) is None  # the old link stops working
    assert find_invitation(new_token).pk == invitation.pk


@pytest.mark.django_db
def test_an_accepted_invitation_is_not_reminded(world, dispatch):
    invitation, _token = create_invitation(
        world.network, email="fast@test.example", kind=RoleKind.LEADER,
        invited_by=world.coordinator, language="nb", leader_group=world.group,
        organisation=world.organisation)
    Invitation.objects.for_network(world.network).filter(pk=invitation.pk).update(
        sent_at=local(2026, 5, 1), accepted_at=local(2026, 5, 2))
    dispatch(local(2026, 5, 6))
    assert not mail.outbox


@pytest.mark.django_db
def test_leaders_of_groups_outside_the_cohort_are_not_reminded(cw, dispatch):
    outsider = make_person()
    from tenancy.services import grant_role

    grant_role(outsider, cw.network, RoleKind.LEADER,
               leader_group=make_group(cw.network, cw.world.organisation))
    dispatch(local(2026, 5, 4, 9))
    assert outsider.email not in sent_to()
    assert cw.cohort_module.prework_opens_on == date(2026, 5, 4)


def scope_spy(monkeypatch, name):
    """Records (platform-wide?, the scope's network) whenever services.<name> is called."""
    from tenancy.scoping import current_scope

    seen, real = [], getattr(services, name)

    def spy(*args, **kwargs):
        scope = current_scope()
        seen.append((scope.platform_wide, getattr(scope.network, "pk", scope.network)))
        return real(*args, **kwargs)
    monkeypatch.setattr(services, name, spy)
    return seen


@pytest.mark.django_db
def test_only_listing_candidates_is_platform_wide(cw, monkeypatch):
    """Recipients, who is done and the recorded deliveries are read in the target's network."""
    seen = scope_spy(monkeypatch, "record_due")
    set_clock(monkeypatch, local(2026, 5, 4, 9))
    assert services.plan_due_reminders() == 2
    assert seen == [(False, cw.network.pk)]


@pytest.mark.django_db
def test_an_unsent_invitation_is_resent_in_its_network(
        world, monkeypatch, django_capture_on_commit_callbacks):
    seen = scope_spy(monkeypatch, "rotate_invitation_token")
    invitation, _token = create_invitation(
        world.network, email="kari@test.example", kind="leader", invited_by=world.coordinator,
        language="nb", leader_group=world.group, organisation=world.organisation)
    set_clock(monkeypatch, invitation.created_at + timedelta(minutes=6))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resend_unsent_invitations() == 1
    assert seen == [(False, world.network.pk)]

"""Erasure: a person's personal data goes everywhere, released anonymous numbers stay exactly
as they were, and the audit trail keeps its events but loses the person's name."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from assessments.anonymity.aggregation import round_results
from assessments.models import Answer, DimensionScore, ReleasedBlock, ReleasedScore, Response
from assessments.results.selectors import submitted_count
from gdpr import services
from modules.models import ActivityCompletion, GroupTaskAnswer, GroupTaskRevision, Reflection
from tenancy import audit
from tenancy.audit import AuditEvent, EventKind
from tenancy.models import Person, Role, RoleKind
from tenancy.scoping import platform_wide
from tenancy.services import create_invitation, grant_role
from tests.factories import journey_activity, make_person, make_report_results, with_mfa

pytestmark = pytest.mark.django_db


def erase_url(world):
    return reverse("erase_person", args=[world.network.slug])


def admin_erases(client, world, person):
    client.force_login(world.admin)
    client.post(erase_url(world), {"email": person.email})  # find them
    return client.post(erase_url(world), {"email": person.email, "confirm": ""})


def released_numbers(round_):
    """Everything the results show of a round: every selection, cell by cell, and the count."""
    results = round_results(round_)
    return (
        results.network,
        results.groups,
        results.organisations,
        submitted_count(round_),
        sorted(
            ReleasedScore.objects.for_network(round_.network)
            .filter(round=round_)
            .values_list("block_id", "dimension_id", "kind", "bucket", "count", "total", "squares")
        ),
        sorted(
            ReleasedBlock.objects.for_network(round_.network)
            .filter(round=round_)
            .values_list("pk", "respondents")
        ),
    )


class TestReleasedNumbersStay:
    def test_group_and_network_results_are_identical_and_the_responses_gone(self, client, world):
        results = make_report_results(world)
        before = released_numbers(results.round)
        assert round_results(results.round).group(world.group.pk).shown  # k people shown
        response = Response.objects.for_network(world.network).get(person=world.leader)
        assert response.released_block_id is not None
        admin_erases(client, world, world.leader)
        assert released_numbers(results.round) == before
        assert not Response.objects.for_network(world.network).filter(pk=response.pk).exists()
        assert not Answer.objects.filter(response_id=response.pk).exists()
        assert (
            not DimensionScore.objects.for_network(world.network)
            .filter(response_id=response.pk)
            .exists()
        )

    def test_erasing_someone_still_waiting_changes_no_shown_number(self, client, world):
        results = make_report_results(world)  # the small group's 2 wait for k
        before = released_numbers(results.round)
        admin_erases(client, world, results.small_leader)
        assert released_numbers(results.round) == before[:3] + (before[3] - 1,) + before[4:]
        assert (
            not Response.objects.for_network(world.network)
            .filter(person=results.small_leader)
            .exists()
        )


@pytest.mark.usefixtures("english_speakers")
class TestANetworkAdminErases:
    def test_the_persons_own_data_goes_and_the_groups_words_stay(self, client, world, leader_work):
        leader_id, email = world.leader.pk, world.leader.email
        response = admin_erases(client, world, world.leader)
        assert response.status_code == 302
        for model in (Reflection, ActivityCompletion, Role):
            assert not model.objects.for_network(world.network).filter(person_id=leader_id).exists()
        answer = GroupTaskAnswer.objects.for_network(world.network).get()
        assert (answer.text, answer.updated_by) == ("Our barriers: silos", None)
        assert GroupTaskRevision.objects.for_network(world.network).get().changed_by is None
        person = Person.objects.get(pk=leader_id)
        assert (person.name, person.is_active, person.has_usable_password()) == ("", False, False)
        assert email not in person.email and person.erased_at is not None
        assert str(person) == "a former member"

    def test_the_group_page_shows_the_text_by_a_former_member(self, client, world, leader_work):
        name = world.leader.name
        admin_erases(client, world, world.leader)
        other = make_person(language="en")
        grant_role(other, world.network, RoleKind.LEADER, leader_group=world.group)
        client.force_login(other)
        page = client.get(
            reverse(
                "group_task",
                args=[
                    world.network.slug,
                    world.group.pk,
                    leader_work.pk,
                    journey_activity(world, "group_task").pk,
                ],
            )
        ).content.decode()
        assert "Our barriers: silos" in page and "a former member" in page
        assert name not in page

    def test_the_audit_trail_keeps_the_events_without_the_name(self, client, world):
        create_invitation(
            world.network,
            email="nina@test.example",
            name="Nina Ny",
            kind=RoleKind.LEADER,
            invited_by=world.coordinator,
            language="nb",
            leader_group=world.group,
        )
        nina = make_person(name="Nina Ny", email="nina@test.example")
        grant_role(nina, world.network, RoleKind.LEADER, leader_group=world.group)
        audit.record(EventKind.SIGNED_IN, actor=nina, target=nina)
        with platform_wide():
            before = list(AuditEvent.objects.order_by("pk").values_list("pk", "kind", "at"))
        admin_erases(client, world, nina)
        with platform_wide():
            events = list(AuditEvent.objects.order_by("pk"))
        assert [(e.pk, e.kind, e.at) for e in events][: len(before)] == before
        assert not [
            e
            for e in events
            if "Nina" in e.actor_label + e.target_label or "nina@" in e.actor_label + e.target_label
        ]
        erased = [e for e in events if e.kind == EventKind.PERSON_ERASED]
        assert [(e.network_id, e.actor_id, e.target_id) for e in erased] == [
            (world.network.pk, world.admin.pk, nina.pk),
            (None, world.admin.pk, nina.pk),
        ]
        assert world.admin.email in erased[0].actor_label
        assert erased[0].details["reason"] == "network_admin"

    def test_someone_in_another_network_keeps_their_account_and_data_there(
        self, client, world, other_world, leader_work
    ):
        grant_role(
            world.leader,
            other_world.network,
            RoleKind.COORDINATOR,
            organisation=other_world.organisation,
        )
        admin_erases(client, world, world.leader)
        world.leader.refresh_from_db()
        assert world.leader.is_active and world.leader.erased_at is None
        assert not Role.objects.for_network(world.network).filter(person=world.leader).exists()
        assert Role.objects.for_network(other_world.network).filter(person=world.leader).exists()
        assert not Reflection.objects.for_network(world.network).exists()

    def test_only_people_of_the_network_can_be_found(self, client, world, other_world):
        other_world.admin.language = "en"  # the test reads the English text
        other_world.admin.save(update_fields=["language"])
        client.force_login(other_world.admin)
        page = client.post(erase_url(other_world), {"email": world.leader.email, "confirm": ""})
        assert "Nobody with this email address" in page.content.decode()
        world.leader.refresh_from_db()
        assert world.leader.erased_at is None

    def test_the_first_press_only_asks(self, client, world):
        client.force_login(world.admin)
        page = client.post(erase_url(world), {"email": world.leader.email.upper()})
        assert "Yes, erase it" in page.content.decode()
        world.leader.refresh_from_db()
        assert world.leader.erased_at is None


@pytest.mark.usefixtures("english_speakers")
class TestThePersonErasesThemselves:
    def test_a_wrong_email_erases_nothing(self, client, world):
        client.force_login(world.leader)
        page = client.post(reverse("erase_my_data"), {"email": "someone@else.example"})
        assert "not the email address you sign in with" in page.content.decode()
        world.leader.refresh_from_db()
        assert world.leader.erased_at is None

    def test_it_happens_at_once_everywhere_and_signs_them_out(
        self, client, world, other_world, leader_work
    ):
        grant_role(world.leader, other_world.network, RoleKind.FACILITATOR)
        client.force_login(world.leader)
        response = client.post(reverse("erase_my_data"), {"email": world.leader.email})
        assert response.status_code == 302
        world.leader.refresh_from_db()
        assert world.leader.erased_at is not None and not world.leader.is_active
        with platform_wide():
            assert not Role.objects.filter(person=world.leader).exists()
            erased = AuditEvent.objects.filter(kind=EventKind.PERSON_ERASED)
            assert {e.network_id for e in erased} == {
                world.network.pk,
                other_world.network.pk,
                None,
            }
            assert all(e.actor_label == "" for e in erased)  # their own name goes too
        assert client.get(reverse("profile")).status_code == 302  # signed out


def test_nothing_refers_to_an_erased_person_but_their_anonymous_row(client, world, leader_work):
    """A guard for models added later: every row pointing at a person is handled."""
    make_report_results(world)
    services.request_export(world.leader, "en")
    services.erase_person(world.leader)
    left = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                (field.many_to_one or field.one_to_one)
                and field.concrete
                and field.related_model is apps.get_model(settings.AUTH_USER_MODEL)
            ):
                manager = model._base_manager
                count = manager.filter(**{field.name: world.leader.pk}).count()
                if count:
                    left[f"{model._meta.label}.{field.name}"] = count
    assert left == {}


def test_the_platform_admins_delete_erases(client, world, leader_work):
    staff = with_mfa(make_person(is_staff=True, is_superuser=True))
    client.force_login(staff)
    url = reverse("admin:tenancy_person_delete", args=[world.leader.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"post": "yes"})
    person = Person.objects.get(pk=world.leader.pk)
    assert person.erased_at is not None
    assert not Reflection.objects.for_network(world.network).exists()
    assert GroupTaskAnswer.objects.for_network(world.network).get().text == ("Our barriers: silos")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
class TestTheTriggersNarrowException:
    @pytest.fixture
    def event(self, world):
        return audit.record(
            EventKind.LEADER_REMOVED,
            network=world.network,
            actor=world.admin,
            target=world.leader,
            group=world.group.name,
        )

    def erasing(self, sql):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('bro.erasing_labels', 'on', true)")
            cursor.execute(sql)

    @pytest.mark.parametrize(
        "sql",
        [
            "UPDATE tenancy_auditevent SET target_label = ''",
            "UPDATE tenancy_auditevent SET actor_label = ''",
            "DELETE FROM tenancy_auditevent",
        ],
    )
    def test_without_erasure_every_change_is_still_refused(self, event, sql):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)

    @pytest.mark.parametrize(
        "sql",
        [
            "UPDATE tenancy_auditevent SET target_label = 'someone else'",
            "UPDATE tenancy_auditevent SET target_label = '', kind = 'signed_in'",
            "UPDATE tenancy_auditevent SET actor_label = '', details = '{}'",
            "UPDATE tenancy_auditevent SET target_id = NULL",
            "DELETE FROM tenancy_auditevent",
        ],
    )
    def test_while_erasing_only_emptying_a_label_is_let_through(self, event, sql):
        with pytest.raises(DatabaseError, match="append-only"):
            self.erasing(sql)
        stored = AuditEvent.unscoped.get(pk=event.pk)
        assert (stored.kind, stored.target_label, stored.details) == (
            event.kind,
            event.target_label,
            event.details,
        )

    def test_while_erasing_a_label_may_become_empty(self, event):
        self.erasing("UPDATE tenancy_auditevent SET target_label = '', actor_label = ''")
        stored = AuditEvent.unscoped.get(pk=event.pk)
        assert (stored.target_label, stored.actor_label, stored.kind) == ("", "", event.kind)

    def test_the_permission_ends_when_the_labels_are_blank(self, world, event):
        with transaction.atomic():
            audit.blank_labels(person_id=world.leader.pk)
            assert AuditEvent.unscoped.get(pk=event.pk).target_label == ""
            with pytest.raises(DatabaseError, match="append-only"):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("UPDATE tenancy_auditevent SET actor_label = ''")


def test_rows_left_in_a_network_they_had_left_go_with_the_account(client, world, other_world):
    """A leader removed from a group in another network keeps answers there; once the last
    network erases them, those go too, and that network's trail names nobody of this one."""
    from modules.services import save_reflection
    from tests.factories import make_cohort

    cohort = make_cohort(other_world)
    activity = journey_activity(world, "reflection")
    save_reflection(other_world.network, cohort, world.leader, activity, "Elsewhere")
    admin_erases(client, world, world.leader)
    assert not Reflection.objects.for_network(other_world.network).exists()
    event = AuditEvent.objects.for_network(other_world.network).get(kind=EventKind.PERSON_ERASED)
    assert (event.actor_id, event.actor_label) == (None, "")

"""The audit trail itself: append-only in Python and in PostgreSQL, events that outlive the
people and networks they name, and the network admin's page and CSV."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tenancy import audit
from tenancy.audit import AppendOnlyError, AuditEvent, EventKind
from tenancy.scoping import platform_wide
from tests.factories import make_network, make_person

pytestmark = pytest.mark.django_db


def events(network):
    return list(AuditEvent.objects.for_network(network))


@pytest.fixture
def event(world):
    return audit.record(EventKind.LEADER_REMOVED, network=world.network, actor=world.admin,
                        target=world.leader, group=world.group.name)


class TestAppendOnly:
    def test_an_event_keeps_who_what_and_where_as_ids_and_labels(self, world, event):
        stored = AuditEvent.objects.for_network(world.network).get(pk=event.pk)
        assert (stored.actor_id, stored.target_type, stored.target_id) == (
            world.admin.pk, "person", world.leader.pk)
        assert world.admin.email in stored.actor_label
        assert world.leader.email in stored.target_label
        assert stored.details == {"group": world.group.name}

    def test_python_refuses_to_change_or_delete_an_event(self, world, event):
        event.kind = EventKind.SIGNED_IN
        with pytest.raises(AppendOnlyError):
            event.save()
        with pytest.raises(AppendOnlyError):
            event.delete()
        with pytest.raises(AppendOnlyError):
            AuditEvent.objects.for_network(world.network).update(kind=EventKind.SIGNED_IN)
        with pytest.raises(AppendOnlyError):
            AuditEvent.objects.for_network(world.network).delete()
        with pytest.raises(AppendOnlyError):
            AuditEvent.unscoped.all().delete()
        with pytest.raises(AppendOnlyError):
            AuditEvent.unscoped.filter(pk=event.pk).update(target_label="")
        with pytest.raises(AppendOnlyError), transaction.atomic():  # its own savepoint
            AuditEvent.objects.for_network(world.network).bulk_update([event], ["kind"])
        assert AuditEvent.unscoped.get(pk=event.pk).kind == EventKind.LEADER_REMOVED

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
    @pytest.mark.parametrize("sql", [
        "UPDATE tenancy_auditevent SET target_label = ''",
        "DELETE FROM tenancy_auditevent"])
    def test_postgresql_refuses_to_change_or_delete_an_event(self, event, sql):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
        assert AuditEvent.unscoped.get(pk=event.pk).target_label == event.target_label

    def test_deleting_the_person_or_the_network_keeps_their_events(self, db):
        network, person = make_network(), make_person(name="Per Sletten")
        audit.record(EventKind.SIGNED_IN, actor=person, target=person)
        audit.record(EventKind.STAFF_ENTERED, network=network, actor=person, target=network)
        person_id, network_id = person.pk, network.pk
        person.delete()
        network.delete()
        with platform_wide():
            kept = list(AuditEvent.objects.order_by("pk"))
        assert [(e.actor_id, e.network_id) for e in kept] == [
            (person_id, None), (person_id, network_id)]
        assert all("Per Sletten" in e.actor_label for e in kept)

    def test_the_admin_shows_events_to_staff_and_offers_no_change(self, client, world, event):
        from tests.factories import with_mfa

        staff = with_mfa(make_person(is_staff=True, is_superuser=True))
        client.force_login(staff)
        changelist = reverse("admin:tenancy_auditevent_changelist")
        page = client.get(changelist, {"network__id__exact": world.network.pk})
        assert page.status_code == 200
        assert world.leader.email in page.content.decode()
        assert client.get(reverse("admin:tenancy_auditevent_add")).status_code == 403
        delete = reverse("admin:tenancy_auditevent_delete", args=[event.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        change = reverse("admin:tenancy_auditevent_change", args=[event.pk])
        assert client.post(change, {"target_label": ""}).status_code == 403
        assert AuditEvent.unscoped.get(pk=event.pk).target_label == event.target_label


def trail_url(world, name="audit_trail"):
    return reverse(name, kwargs={"network_slug": world.network.slug})


def record_at(network, kind, days_ago, label="x"):
    return AuditEvent.objects.create(network=network, kind=kind, target_label=label,
                                     at=timezone.now() - timedelta(days=days_ago))


@pytest.mark.usefixtures("english_speakers")
class TestTheAdminsPage:
    def test_the_manage_page_links_the_trail(self, client, world):
        client.force_login(world.admin)
        page = client.get(reverse("manage_dashboard", args=[world.network.slug]))
        assert trail_url(world) in page.content.decode()

    def test_newest_first_with_only_this_networks_events(self, client, world, other_world):
        record_at(world.network, EventKind.ROUND_SCHEDULED, 3, "older round")
        record_at(world.network, EventKind.ROUND_DELETED, 1, "newer round")
        record_at(other_world.network, EventKind.ROUND_DELETED, 1, "their round")
        audit.record(EventKind.SIGNED_IN, actor=world.admin, target=world.admin)
        client.force_login(world.admin)
        page = client.get(trail_url(world))
        labels = [event.target_label for event in page.context["page"]]
        assert [label for label in labels if "round" in label] == ["newer round", "older round"]
        assert world.admin.email not in labels  # a sign-in belongs to no network

    def test_filters_by_kind_and_days_both_included(self, client, world):
        record_at(world.network, EventKind.ROUND_SCHEDULED, 10, "ten days")
        record_at(world.network, EventKind.ROUND_SCHEDULED, 5, "five days")
        record_at(world.network, EventKind.ROUND_DELETED, 5, "deleted")
        record_at(world.network, EventKind.ROUND_SCHEDULED, 0, "today")
        client.force_login(world.admin)
        today = timezone.localdate()
        page = client.get(trail_url(world), {
            "kind": EventKind.ROUND_SCHEDULED, "since": today - timedelta(days=6),
            "until": today - timedelta(days=5)})
        assert [event.target_label for event in page.context["page"]] == ["five days"]

    def test_pages_of_fifty(self, client, world):
        AuditEvent.objects.bulk_create([
            AuditEvent(network=world.network, kind=EventKind.ROUND_CHANGED, target_label=str(n),
                       at=timezone.now() - timedelta(minutes=n)) for n in range(60)])
        client.force_login(world.admin)
        first = client.get(trail_url(world), {"kind": EventKind.ROUND_CHANGED})
        second = client.get(trail_url(world), {"kind": EventKind.ROUND_CHANGED, "page": 2})
        assert [e.target_label for e in first.context["page"]][:2] == ["0", "1"]
        assert len(second.context["page"]) == 10
        assert "kind=round_changed&amp;page=2" in first.content.decode()

    def test_the_csv_has_the_same_filters_and_its_export_is_recorded(self, client, world):
        record_at(world.network, EventKind.ROUND_SCHEDULED, 1, "=HYPERLINK(1)")
        record_at(world.network, EventKind.ROUND_DELETED, 1, "deleted")
        client.force_login(world.admin)
        response = client.get(trail_url(world, "audit_trail_csv"),
                              {"kind": EventKind.ROUND_SCHEDULED})
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith(
            f'attachment; filename="audit-{world.network.slug}-')
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        assert len(rows) == 2
        assert rows[1][1:4] == ["Assessment round scheduled", "", "'=HYPERLINK(1)"]
        export = AuditEvent.objects.for_network(world.network).filter(
            kind=EventKind.AUDIT_EXPORTED).get()
        assert (export.actor_id, export.details) == (world.admin.pk, {"rows": 1})

    @pytest.mark.parametrize("role", ["leader", "coordinator", "facilitator"])
    def test_only_the_networks_admins_read_it(self, client, world, role):
        record_at(world.network, EventKind.ROUND_DELETED, 1)
        client.force_login(world.person(role))
        assert client.get(trail_url(world)).status_code == 404
        assert client.get(trail_url(world, "audit_trail_csv")).status_code == 404

    def test_another_networks_admin_gets_404(self, client, world, other_world):
        client.force_login(other_world.admin)
        assert client.get(trail_url(world)).status_code == 404
        assert client.get(trail_url(world, "audit_trail_csv")).status_code == 404

    def test_the_page_reads_the_same_number_of_queries_for_10_or_100_events(
            self, client, world):
        client.force_login(world.admin)
        client.get(trail_url(world))  # the first visit remembers the network on the person

        def queries_with(count):
            AuditEvent.objects.bulk_create([
                AuditEvent(network=world.network, kind=EventKind.ROLE_GRANTED,
                           actor_label="Anne", target_label="Bo", details={"n": n})
                for n in range(count - AuditEvent.objects.for_network(world.network).count())])
            with CaptureQueriesContext(connection) as queries:
                assert client.get(trail_url(world)).status_code == 200
            return len(queries)

        assert queries_with(10) == queries_with(100)


class TestReadableDetails:
    """The details column reads as words in the reader's language, not as stored keys."""

    def test_each_kind_of_detail_reads_as_words(self, world, settings):
        from django.utils import translation

        from tenancy.audit_details import readable_details

        with translation.override("en"), timezone.override("Europe/Oslo"):
            assert readable_details({"role": "coordinator", "organisation": "Lillesand",
                                     "group": ""}) == [("Role", "Coordinator"),
                                                       ("Organisation", "Lillesand")]
            assert readable_details({"opens_at": "2026-05-04T06:00+00:00",
                                     "closes_at_was": "2026-06-01T06:00+00:00"}) == [
                ("Opens", "05/04/2026 8 a.m."), ("Closed before the change", "06/01/2026 8 a.m.")]
            assert readable_details({"method": "code", "reason": "other_network"}) == [
                ("How", "code by email"), ("Reason", "no role in this network")]
            assert readable_details({"rows": 12, "format": "xlsx", "secret_changed": False,
                                     "language": "da", "reason": "retention"}) == [
                ("Rows", "12"), ("Format", "Excel"), ("Secret changed", "no"),
                ("Language", "Danish"), ("Reason", "the retention period ran out")]
            assert readable_details({"fields": ["hosting_provider"], "k": 7}) == [
                ("Changed", str(world.network._meta.get_field("hosting_provider").verbose_name)),
                ("Anonymity threshold (k)", "7")]
            # A group called like a code keeps its name.
            assert readable_details({"group": "retention"}) == [("Leader group", "retention")]

    @pytest.mark.usefixtures("english_speakers")
    def test_the_page_and_the_csv_show_words_and_the_csv_keeps_the_codes(self, client, world):
        audit.record(EventKind.ROLE_GRANTED, network=world.network, actor=world.admin,
                     target=world.coordinator, role="coordinator",
                     organisation=world.organisation.name, group="")
        client.force_login(world.admin)
        page = client.get(trail_url(world), {"kind": EventKind.ROLE_GRANTED}).content.decode()
        readable = f"Role: Coordinator · Organisation: {world.organisation.name}"
        assert readable in page
        assert "role: coordinator" not in page and "&quot;role&quot;" not in page
        response = client.get(trail_url(world, "audit_trail_csv"),
                              {"kind": EventKind.ROLE_GRANTED})
        header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")),
                                        delimiter=";"))
        assert header[4:] == ["Details", "Event code", "Details (machine-readable)"]
        newest = rows[0]
        assert newest[4:6] == [readable, "role_granted"]
        assert json.loads(newest[6]) == {"role": "coordinator", "group": "",
                                         "organisation": world.organisation.name}

    @pytest.mark.usefixtures("english_speakers")
    def test_what_bro_did_on_the_clock_is_shown_as_bro(self, client, world):
        audit.record(EventKind.ROUND_OPENED, network=world.network, scheduled=True,
                     target_label="Start")
        client.force_login(world.admin)
        page = client.get(trail_url(world), {"kind": EventKind.ROUND_OPENED})
        assert "<td>Bro (scheduled)</td>" in page.content.decode()


def test_every_kind_of_event_has_a_test_that_makes_it():
    """Each event kind is named by some test that makes it happen (grep-level guard: a new
    kind without a test fails here)."""
    from pathlib import Path

    tests = Path(__file__).resolve().parent.parent
    text = "".join(path.read_text() for path in tests.rglob("test_*.py"))
    assert [kind.name for kind in EventKind if f"EventKind.{kind.name}" not in text] == []

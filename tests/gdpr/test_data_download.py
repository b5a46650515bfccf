"""Download my data: a zip of JSON and HTML, made in the background, for the person only."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from gdpr import services
from gdpr.models import DataExport, ExportStatus
from tenancy import audit
from tenancy.audit import AuditEvent, EventKind
from tenancy.scoping import platform_wide
from tests.factories import build_submission, make_person, make_report_results, with_mfa

pytestmark = pytest.mark.django_db


@pytest.fixture
def download(client, django_capture_on_commit_callbacks):
    """Ask for the person's zip (made at once by the eager Celery task) and take it."""

    def download(client, person):
        client.force_login(person)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("request_my_data"))
        data_export = DataExport.objects.get(person=person)
        return data_export, client.get(reverse("download_my_data", args=[data_export.pk]))

    return download


def unzip(response):
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return json.loads(archive.read("bro-data.json")), archive.read("bro-data.html").decode()


@pytest.mark.usefixtures("english_speakers")
class TestTheDownload:
    def test_the_profile_offers_it(self, client, world):
        client.force_login(world.leader)
        page = client.get(reverse("profile")).content.decode()
        assert reverse("my_data") in page and reverse("erase_my_data") in page

    def test_the_zip_holds_everything_bro_has_about_the_person(
        self, client, world, leader_work, download
    ):
        results = make_report_results(world)
        audit.record(EventKind.SIGNED_IN, actor=world.leader, target=world.leader)
        data_export, response = download(client, world.leader)
        assert data_export.status == ExportStatus.READY  # made by the (eager) Celery task
        assert response.status_code == 200
        assert response["Content-Type"] == "application/zip"
        assert response["Cache-Control"] == "private, no-store"
        data, page = unzip(response)
        assert data["profile"]["email"] == world.leader.email
        assert [(r["network"], r["role"], r["group"]) for r in data["roles"]] == [
            (world.network.name, "Leader", world.group.name)
        ]
        [response_data] = data["assessments"]
        assert response_data["round"] == results.round.name
        assert {(s["dimension"], s["question"], s["score"]) for s in response_data["scores"]} >= {
            ("vision", "Today", 2.0),
            ("vision", "Ambition", 4.0),
        }
        assert [r["text"] for r in data["reflections"]] == ["My own thoughts on leading change"]
        assert {t["text"] for t in data["group_texts"]} == {
            "Our barriers: silos",
            "Generation 3 by next year",
        }
        assert len(data["activities_done"]) == 1
        assert {e["event"] for e in data["sign_in_history"]} == {"Signed in"}
        assert "Role granted" in [e["event"] for e in data["other_events"]]
        for text in (
            "My own thoughts on leading change",
            "Our barriers: silos",
            world.leader.email,
            results.round.name,
        ):
            assert text in page

    def test_other_peoples_answers_and_names_are_not_in_it(
        self, client, world, leader_work, download
    ):
        results = make_report_results(world)
        other = make_person(name="Olga Other")
        build_submission(
            results.round, person=other, group=results.other, scores={"vision": (1, 1)}
        )
        _export, response = download(client, world.leader)
        data, page = unzip(response)
        assert len(data["assessments"]) == 1
        assert "Olga Other" not in page and other.email not in json.dumps(data)
        assert world.admin.email not in json.dumps(data)  # who granted the role is left out

    def test_the_request_and_the_download_are_recorded(self, client, world, download):
        download(client, world.leader)
        with platform_wide():
            kinds = list(
                AuditEvent.objects.filter(actor_id=world.leader.pk)
                .exclude(kind=EventKind.SIGNED_IN)
                .values_list("kind", flat=True)
                .order_by("pk")
            )
        assert kinds == [EventKind.DATA_EXPORT_REQUESTED, EventKind.DATA_EXPORT_DOWNLOADED]

    def test_the_page_shows_the_state_and_asking_again_replaces_the_old_file(
        self, client, world, download
    ):
        client.force_login(world.leader)
        assert "Make the file" in client.get(reverse("my_data")).content.decode()
        first, _response = download(client, world.leader)
        page = client.get(reverse("my_data")).content.decode()
        assert reverse("download_my_data", args=[first.pk]) in page
        storage, name = first.file.storage, first.file.name
        client.post(reverse("request_my_data"))
        assert not DataExport.objects.filter(pk=first.pk).exists()
        assert not storage.exists(name)
        assert DataExport.objects.filter(person=world.leader).count() == 1

    def test_a_file_still_being_made_shows_its_state_and_polls(self, client, world):
        data_export = DataExport.objects.create(person=world.leader, language="en")
        client.force_login(world.leader)
        page = client.get(reverse("my_data")).content.decode()
        assert "Your file is being made" in page and 'hx-trigger="every 2s"' in page
        assert reverse("download_my_data", args=[data_export.pk]) not in page
        response = client.get(reverse("download_my_data", args=[data_export.pk]))
        assert response.status_code == 302
        partial = client.get(reverse("my_data"), headers={"HX-Request": "true"})
        partial = partial.content.decode()
        assert "<html" not in partial and 'id="export-status"' in partial
        services.make_export(data_export.pk)
        ready = client.get(reverse("my_data"), headers={"HX-Request": "true"}).content.decode()
        assert "hx-trigger" not in ready  # the poll stops
        assert reverse("download_my_data", args=[data_export.pk]) in ready

    def test_a_failed_file_says_so_and_may_be_asked_for_again(self, client, world):
        data_export = DataExport.objects.create(person=world.leader, language="en")
        services.record_export_failure(data_export.pk, OSError("disk full"), final=True)
        client.force_login(world.leader)
        page = client.get(reverse("my_data")).content.decode()
        assert "could not be made" in page and "Make a new file" in page


class TestOnlyThePersonMayDownload:
    @pytest.mark.parametrize("who", ["coordinator", "admin", "staff", "anonymous"])
    def test_anyone_else_gets_404(self, client, world, who, download):
        data_export, _response = download(client, world.leader)
        client.logout()
        if who == "staff":
            client.force_login(with_mfa(make_person(is_staff=True, is_superuser=True)))
        elif who != "anonymous":
            client.force_login(world.person(who))
        response = client.get(reverse("download_my_data", args=[data_export.pk]))
        assert response.status_code == (302 if who == "anonymous" else 404)
        if who == "anonymous":
            assert "/accounts/" in response["Location"]
        with platform_wide():
            assert AuditEvent.objects.filter(kind=EventKind.DATA_EXPORT_DOWNLOADED).count() == 1

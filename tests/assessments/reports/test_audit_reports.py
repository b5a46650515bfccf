"""Asking for a report and downloading its file land in the audit trail."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from assessments.models import ReportStatus
from assessments.reports.services import request_report
from tenancy.audit import AuditEvent, EventKind
from tests.factories import PDF_BYTES, make_report, world_cohort

pytestmark = pytest.mark.django_db


def recorded(world, kind):
    return list(AuditEvent.objects.for_network(world.network).filter(kind=kind))


def test_a_report_requested_and_downloaded(client, world):
    report = request_report(world.network, world.facilitator, world_cohort(world), world.group)
    [requested] = recorded(world, EventKind.REPORT_REQUESTED)
    assert (requested.actor_id, requested.target_id) == (world.facilitator.pk, report.pk)
    assert world.group.name in requested.target_label

    ready = make_report(world, status=ReportStatus.READY)
    ready.file.save("report.pdf", ContentFile(PDF_BYTES))
    client.force_login(world.admin)
    response = client.get(reverse("report_download", kwargs={
        "network_slug": world.network.slug, "report_id": ready.pk}))
    assert response.status_code == 200
    [downloaded] = recorded(world, EventKind.REPORT_DOWNLOADED)
    assert (downloaded.actor_id, downloaded.target_id) == (world.admin.pk, ready.pk)


def test_a_report_not_ready_is_not_a_download(client, world):
    queued = make_report(world)
    client.force_login(world.admin)
    client.get(reverse("report_download", kwargs={
        "network_slug": world.network.slug, "report_id": queued.pk}))
    assert not recorded(world, EventKind.REPORT_DOWNLOADED)

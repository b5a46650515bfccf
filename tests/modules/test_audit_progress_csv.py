"""A progress CSV or Excel file leaving Bro lands in the audit trail: who took which, in which
format, how many rows."""

import pytest
from django.urls import reverse

from tenancy.audit import AuditEvent, EventKind
from tests.factories import make_cohort_module, world_cohort

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("name", "arg", "target", "file_format"), [
    ("organisation_progress_csv", "organisation_id", "organisation", "csv"),
    ("group_progress_csv", "group_id", "group", "csv"),
    ("organisation_progress_xlsx", "organisation_id", "organisation", "xlsx"),
    ("group_progress_xlsx", "group_id", "group", "xlsx")])
def test_a_progress_export_is_recorded(client, world, name, arg, target, file_format):
    make_cohort_module(world_cohort(world))
    obj = getattr(world, target)
    client.force_login(world.coordinator)
    response = client.get(reverse(name, kwargs={"network_slug": world.network.slug,
                                                arg: obj.pk}))
    assert response.status_code == 200
    [event] = AuditEvent.objects.for_network(world.network).filter(
        kind=EventKind.PROGRESS_EXPORTED)
    assert (event.actor_id, event.target_id, event.target_label) == (
        world.coordinator.pk, obj.pk, obj.name)
    assert event.details == {"rows": 1, "format": file_format}

"""Two guards that keep published aggregates from moving (README, "Anonymity")."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments.models import Response
from tenancy.models import Network
from tests.factories import build_round, make_person, with_mfa


@pytest.fixture
def answered_round(world):
    round_ = build_round(world)
    Response.objects.create(network=world.network, round=round_, person=world.leader,
                            leader_group=world.group, submitted_at=timezone.now())
    return round_


def test_k_can_change_while_nobody_has_answered(world):
    network = Network.objects.get(pk=world.network.pk)
    network.anonymity_threshold = 7
    network.save()
    assert Network.objects.get(pk=network.pk).anonymity_threshold == 7


def test_k_cannot_change_once_someone_has_answered(world, answered_round):
    network = Network.objects.get(pk=world.network.pk)
    network.anonymity_threshold = 7
    with pytest.raises(ValidationError):
        network.save()
    assert Network.objects.get(pk=network.pk).anonymity_threshold == 5


def test_the_admin_says_why_k_is_locked(client, world, answered_round):
    staff = with_mfa(make_person(is_staff=True, is_superuser=True))
    client.force_login(staff)
    network = world.network
    response = client.post(reverse("admin:tenancy_network_change", args=[network.pk]), {
        "name": network.name, "slug": network.slug, "country": network.country,
        "default_language": network.default_language, "anonymity_threshold": 7,
        "entra_provider_id": ""})
    assert response.status_code == 200
    assert "can no longer change" in response.content.decode()
    assert Network.objects.get(pk=network.pk).anonymity_threshold == 5


def test_a_closed_round_keeps_its_times(client, world):
    round_ = build_round(world)
    round_.opens_at = timezone.now() - timedelta(days=10)
    round_.closes_at = timezone.now() - timedelta(days=1)
    round_.save()
    client.force_login(world.admin)
    url = reverse("round_edit", kwargs={"network_slug": world.network.slug,
                                        "round_id": round_.pk})
    later = timezone.localtime(timezone.now() + timedelta(days=5))
    response = client.post(url, {
        "name": round_.name, "purpose": round_.purpose,
        "opens_at": timezone.localtime(round_.opens_at).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": later.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 200
    round_.refresh_from_db()
    assert round_.closes_at < timezone.now()

"""Two guards that keep published aggregates from moving (README, "Anonymity")."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from assessments import services
from assessments.models import Response
from tenancy.models import Network
from tests.factories import build_round, make_person, save_network_in_admin, with_mfa


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
    response = save_network_in_admin(client, network, anonymity_threshold=7)
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


# --- finding 1 of issue 10: a retroactive close ---------------------------------------------

def _edit(client, round_, **times):
    url = reverse("round_edit", kwargs={"network_slug": round_.network.slug,
                                        "round_id": round_.pk})
    fields = {"opens_at": round_.opens_at, "closes_at": round_.closes_at} | times
    return client.post(url, {"name": round_.name, "purpose": round_.purpose} | {
        key: timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
        for key, value in fields.items()})


def test_an_open_round_cannot_close_in_the_past(client, world, answered_round):
    before = answered_round.closes_at
    client.force_login(world.facilitator)
    response = _edit(client, answered_round, closes_at=timezone.now() - timedelta(hours=3))
    assert response.status_code == 200
    assert str(services.CLOSES_IN_THE_PAST) in response.content.decode()
    answered_round.refresh_from_db()
    assert answered_round.closes_at == before


def test_an_open_round_can_close_now_or_later(client, world, answered_round):
    client.force_login(world.facilitator)
    later = answered_round.closes_at + timedelta(days=3)
    assert _edit(client, answered_round, closes_at=later).status_code == 302
    answered_round.refresh_from_db()
    assert answered_round.closes_at == later.replace(second=0, microsecond=0)
    before = timezone.now()
    assert _edit(client, answered_round, closes_at=timezone.now()).status_code == 302
    answered_round.refresh_from_db()
    assert before <= answered_round.closes_at <= timezone.now()
    assert answered_round.has_closed()


def test_the_opening_time_stays_once_someone_has_answered(client, world, answered_round):
    before = answered_round.opens_at
    client.force_login(world.admin)
    page = client.get(reverse("round_edit", kwargs={"network_slug": world.network.slug,
                                                    "round_id": answered_round.pk}))
    assert str(services.OPENS_AT_LOCKED) in page.content.decode()
    response = _edit(client, answered_round, opens_at=before - timedelta(days=2))
    assert response.status_code == 200
    assert str(services.OPENS_AT_LOCKED) in response.content.decode()
    answered_round.refresh_from_db()
    assert answered_round.opens_at == before


def test_the_service_refuses_what_the_form_refuses(world, answered_round):
    for times in ({"closes_at": timezone.now() - timedelta(minutes=5),
                   "opens_at": answered_round.opens_at},
                  {"closes_at": answered_round.closes_at,
                   "opens_at": answered_round.opens_at - timedelta(hours=1)}):
        with pytest.raises(ValidationError):
            services.update_round(answered_round, name="x", purpose="other", **times)
    answered_round.refresh_from_db()
    assert answered_round.name != "x"


def test_the_form_says_why_in_each_language(world):
    for language, word in (("nb", "aldri tilbake i tid"), ("da", "aldrig bagud i tid"),
                           ("en", "never in the past")):
        with translation.override(language):
            assert word in str(services.CLOSES_IN_THE_PAST)

"""The invitation email explains itself (issue 15): who invited you and as what, what the
programme is, when the next gathering is, what to do first, from a named sender, and role names
in lower case mid-sentence, in the invited person's language."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from programmes.models import Programme
from tenancy.models import RoleKind
from tenancy.services import create_invitation
from tests.factories import make_cohort_module, world_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme_world(world):
    cohort = world_cohort(world)
    Programme.objects.filter(pk=cohort.programme_id).update(
        description={
            "en": "A programme for top leader groups. It has four modules.\n\nMore detail here.",
            "nb": "Et program for toppledergrupper. Det har fire moduler.\n\nMer her.",
            "da": "Et forløb for chefgrupper. Det har fire moduler.\n\nMere her.",
        }
    )
    starts_at = (timezone.now() + timedelta(days=20)).replace(hour=8, minute=0)
    make_cohort_module(cohort, gathering_at=starts_at, place="Arendal kulturhus, Arendal")
    return world


def invite(
    world,
    *,
    kind=RoleKind.LEADER,
    invited_by=None,
    language="en",
    django_capture_on_commit_callbacks=None,
    **fields,
):
    with django_capture_on_commit_callbacks(execute=True):
        create_invitation(
            world.network,
            email="ola@test.example",
            name="Ola Nordmann",
            kind=kind,
            invited_by=invited_by,
            language=language,
            **fields,
        )
    return mail.outbox[-1]


def test_a_leader_reads_who_invited_them_what_it_is_when_and_what_to_do_first(
    programme_world, django_capture_on_commit_callbacks
):
    world = programme_world
    world.coordinator.name = "Kari Nordmann"
    world.coordinator.save(update_fields=["name"])
    message = invite(
        world,
        invited_by=world.coordinator,
        leader_group=world.group,
        organisation=world.organisation,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    for text in (message.body, message.alternatives[0][0]):
        assert (
            f"Kari Nordmann, coordinator in {world.network.name}, has invited you to Bro as leader."
        ) in text
        assert "A programme for top leader groups. It has four modules." in text
        assert "More detail" not in text
        assert "The next gathering of all the leader groups is on" in text
        assert "at Arendal kulturhus, Arendal." in text
        assert "What to do first:" in text and "the pre-work" in text
    assert message.from_email == f"{world.network.name} via Bro <bro@localhost>"


def test_the_sender_is_named_in_the_header(programme_world, django_capture_on_commit_callbacks):
    message = invite(
        programme_world,
        invited_by=programme_world.admin,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    header = message.message()["From"]
    assert "via Bro" in str(header) and "<bro@localhost>" in str(header)


@pytest.mark.parametrize("language", ["nb", "da", "en"])
def test_role_names_are_in_lower_case_mid_sentence_in_every_language(
    world, language, django_capture_on_commit_callbacks
):
    message = invite(
        world,
        kind=RoleKind.NETWORK_ADMIN,
        language=language,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    with translation.override(language):
        role = str(RoleKind.NETWORK_ADMIN.label)
    assert role != role.lower()
    assert role.lower() in message.body and role not in message.body
    # no cohort yet: nothing is said about a programme or a gathering
    assert "gathering of all the leader groups" not in message.body

"""The group's shared work: the group task with its history and safe concurrent editing, the
ambition, initiatives, and the network's list of shared initiatives."""

import pytest
from django.urls import reverse

from modules.models import Ambition, GroupTaskAnswer, Initiative
from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.factories import (
    journey_activity,
    make_group,
    make_initiative,
    make_journey,
    make_person,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]


@pytest.fixture
def journey(world):
    cohort_module = make_journey(world)
    cohort_module.cohort.facilitators.add(world.facilitator)
    return cohort_module


@pytest.fixture
def colleague(world):
    person = make_person(name="Tor Inge Sødal", language="en")
    grant_role(person, world.network, RoleKind.LEADER, leader_group=world.group)
    return person


def url(world, name, **kwargs):
    return reverse(name, kwargs={"network_slug": world.network.slug, **kwargs})


def task_url(world, cohort_module):
    return url(world, "group_task", group_id=world.group.pk, cohort_module_id=cohort_module.pk,
               task_activity_id=journey_activity(world, "group_task").pk)


def answer(world):
    return GroupTaskAnswer.objects.for_network(world.network).get(leader_group=world.group)


# --- The group task -------------------------------------------------------------------------

def test_every_save_keeps_a_revision_shown_as_history(client, world, journey, colleague):
    client.force_login(world.leader)
    client.post(task_url(world, journey), {"text": "Helse: generasjon 2", "base_version": 0})
    client.force_login(colleague)
    page = client.get(task_url(world, journey)).content.decode()
    assert "Helse: generasjon 2</textarea>" in page
    client.post(task_url(world, journey),
                {"text": "Helse: generasjon 2\nOppvekst: generasjon 1", "base_version": 1})
    saved = answer(world)
    assert saved.version == 2 and saved.updated_by == colleague
    assert [(r.version, r.changed_by) for r in saved.revisions.order_by("version")] == [
        (1, world.leader), (2, colleague)]
    page = client.get(task_url(world, journey)).content.decode()
    assert "Version 2: Tor Inge Sødal" in page and f"Version 1: {world.leader.name}" in page


def test_a_save_based_on_an_old_version_does_not_overwrite(client, world, journey, colleague):
    client.force_login(world.leader)
    client.post(task_url(world, journey), {"text": "First draft", "base_version": 0})
    # The colleague opened the page at version 1; meanwhile the leader saves version 2.
    client.post(task_url(world, journey), {"text": "The leader's version", "base_version": 1})
    client.force_login(colleague)
    response = client.post(task_url(world, journey),
                           {"text": "The colleague's version", "base_version": 1})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{world.leader.name} saved the group's answer at" in page
    assert "Nothing was overwritten." in page
    assert "The leader&#x27;s version" in page, "their version is shown"
    assert "The colleague&#x27;s version</textarea>" in page, "the user's text is kept"
    assert 'name="base_version" value="2"' in page
    assert answer(world).text == "The leader's version"
    assert answer(world).revisions.count() == 2
    response = client.post(task_url(world, journey),
                           {"text": "Both versions, combined", "base_version": 2})
    assert response.status_code == 302
    assert answer(world).text == "Both versions, combined"


def test_submitting_the_same_text_twice_changes_nothing(client, world, journey):
    client.force_login(world.leader)
    client.post(task_url(world, journey), {"text": "Our map", "base_version": 0})
    response = client.post(task_url(world, journey), {"text": "Our map", "base_version": 0})
    assert response.status_code == 302
    assert answer(world).version == 1 and answer(world).revisions.count() == 1


@pytest.mark.parametrize("role", ["coordinator", "facilitator", "admin"])
def test_only_the_groups_leaders_open_the_group_task(client, world, journey, role):
    client.force_login(world.person(role))
    assert client.get(task_url(world, journey)).status_code == 404
    assert client.post(task_url(world, journey), {"text": "x", "base_version": 0}
                       ).status_code == 404


def test_a_leader_of_another_group_cannot_open_this_groups_task(client, world, journey):
    other_group = make_group(world.network, world.organisation)
    journey.cohort.leader_groups.add(other_group)
    outsider = make_person()
    grant_role(outsider, world.network, RoleKind.LEADER, leader_group=other_group)
    client.force_login(outsider)
    assert client.get(task_url(world, journey)).status_code == 404


# --- Ambition and initiatives ----------------------------------------------------------------

def test_the_groups_leaders_set_the_ambition(client, world, journey):
    client.force_login(world.leader)
    response = client.post(url(world, "ambition_edit", group_id=world.group.pk,
                               cohort_module_id=journey.pk),
                           {"text": "Generation 3 in health within two years"})
    assert response.status_code == 302
    ambition = Ambition.objects.for_network(world.network).get(leader_group=world.group)
    assert ambition.text == "Generation 3 in health within two years"
    assert ambition.updated_by == world.leader


def test_initiatives_are_created_edited_and_deleted_by_the_groups_leaders(client, world,
                                                                         journey):
    client.force_login(world.leader)
    response = client.post(
        url(world, "initiative_create", group_id=world.group.pk, cohort_module_id=journey.pk),
        {"title": "Technology radar", "description": "Twice a year", "horizon": "short",
         "owner": world.leader.pk, "due_on": "2026-12-01"})
    assert response.status_code == 302
    initiative = Initiative.objects.for_network(world.network).get()
    assert (initiative.module, initiative.cohort) == (journey.module, journey.cohort)
    assert (initiative.owner, str(initiative.due_on)) == (world.leader, "2026-12-01")
    assert initiative.status == "planned" and not initiative.shared_with_network
    page = client.get(url(world, "group_work", group_id=world.group.pk)).content.decode()
    assert "Technology radar" in page and "Short term" in page
    assert f"Owner: {world.leader.name}" in page
    client.post(url(world, "initiative_edit", initiative_id=initiative.pk),
                {"title": "Technology radar", "horizon": "long", "shared_with_network": "on"})
    initiative.refresh_from_db()
    assert (initiative.horizon, initiative.shared_with_network) == ("long", True)
    assert client.post(url(world, "initiative_delete", initiative_id=initiative.pk)
                       ).status_code == 302
    assert not Initiative.objects.for_network(world.network).exists()


def test_the_owner_is_one_of_the_groups_leaders(client, world, journey):
    client.force_login(world.leader)
    response = client.post(
        url(world, "initiative_create", group_id=world.group.pk, cohort_module_id=journey.pk),
        {"title": "Technology radar", "horizon": "short", "owner": world.coordinator.pk})
    assert response.status_code == 200
    assert not Initiative.objects.for_network(world.network).exists()


def test_a_new_initiative_needs_a_title_and_a_horizon(client, world, journey):
    client.force_login(world.leader)
    response = client.post(url(world, "initiative_create", group_id=world.group.pk,
                               cohort_module_id=journey.pk), {"status": "planned"})
    assert response.status_code == 200
    assert response.content.decode().count("This field is required.") == 2
    assert not Initiative.objects.for_network(world.network).exists()


@pytest.mark.parametrize("role", ["coordinator", "facilitator", "admin"])
def test_followers_read_the_groups_work_but_do_not_change_it(client, world, journey, role):
    initiative = make_initiative(world)
    Ambition.objects.create(network=world.network, cohort=journey.cohort,
                            leader_group=world.group, module=journey.module,
                            text="Generation 3 in health")
    client.force_login(world.person(role))
    page = client.get(url(world, "group_work", group_id=world.group.pk)).content.decode()
    assert "Technology radar" in page and "Generation 3 in health" in page
    edit = url(world, "initiative_edit", initiative_id=initiative.pk)
    assert edit not in page
    assert client.post(edit, {"title": "Changed", "horizon": "short"}).status_code == 404
    assert client.post(url(world, "initiative_detail", initiative_id=initiative.pk),
                       {"status": "done", "text": "x"}).status_code == 404
    assert client.post(url(world, "initiative_delete", initiative_id=initiative.pk)
                       ).status_code == 404
    assert client.post(url(world, "ambition_edit", group_id=world.group.pk,
                           cohort_module_id=journey.pk), {"text": "x"}).status_code == 404
    initiative.refresh_from_db()
    assert initiative.title == "Technology radar"


def test_a_leader_of_another_group_cannot_change_the_initiatives(client, world, journey):
    initiative = make_initiative(world)
    outsider = make_person()
    grant_role(outsider, world.network, RoleKind.LEADER,
               leader_group=make_group(world.network, world.organisation))
    client.force_login(outsider)
    assert client.get(url(world, "initiative_edit", initiative_id=initiative.pk)
                      ).status_code == 404
    assert client.get(url(world, "group_work", group_id=world.group.pk)).status_code == 404


def test_the_network_sees_only_shared_initiatives_with_the_groups_name(client, world,
                                                                       other_world, journey):
    make_initiative(world, title="Cross-disciplinary team", shared_with_network=True)
    make_initiative(world, title="Internal budget change")
    make_initiative(other_world, title="Their shared radar", shared_with_network=True)
    for role in ("leader", "coordinator", "facilitator", "admin"):
        client.force_login(world.person(role))
        page = client.get(url(world, "shared_initiatives")).content.decode()
        assert "Cross-disciplinary team" in page
        assert world.group.name in page and world.organisation.name in page
        assert "Internal budget change" not in page
        assert "Their shared radar" not in page


def test_the_shared_list_reads_a_fixed_number_of_queries(client, world, journey,
                                                         django_assert_num_queries):
    client.force_login(world.leader)
    shared = url(world, "shared_initiatives")
    client.get(shared)
    make_initiative(world, title="First", shared_with_network=True)
    with django_assert_num_queries(SHARED_QUERIES):
        client.get(shared)
    for number in range(5):
        other = make_group(world.network, world.organisation)
        Initiative.objects.create(network=world.network, cohort=journey.cohort,
                                  leader_group=other, module=journey.module,
                                  title=f"Shared {number}", horizon="long",
                                  shared_with_network=True)
    with django_assert_num_queries(SHARED_QUERIES):
        assert "Shared 4" in client.get(shared).content.decode()


# sign-in and network (3: session, person, the person's roles with their networks), then the
# page: the dimensions shared initiatives address (for the filter), count and one page of
# initiatives with their group, organisation and module, and their dimensions
SHARED_QUERIES = 7


# --- Bad input: a clear reason, and the text kept ------------------------------------------

NUL = "Helse\x00 og omsorg"


def test_a_nul_character_is_refused_with_a_clear_reason_everywhere_the_group_writes(
        client, world, journey):
    client.force_login(world.leader)
    group, module = world.group.pk, journey.pk
    for target, data in (
            (task_url(world, journey), {"text": NUL, "base_version": 0}),
            (url(world, "ambition_edit", group_id=group, cohort_module_id=module),
             {"text": NUL}),
            (url(world, "initiative_create", group_id=group, cohort_module_id=module),
             {"title": "Radar", "description": NUL, "horizon": "short", "status": "planned"}),
            (url(world, "initiative_create", group_id=group, cohort_module_id=module),
             {"title": NUL, "horizon": "short", "status": "planned"})):
        response = client.post(target, data)
        assert response.status_code == 200, target
        page = response.content.decode()
        assert "The text contains a NUL character" in page and "not allowed" in page
        assert "Null characters are not allowed." not in page
        assert NUL in [field.value() for field in response.context["form"]]  # kept
    assert not GroupTaskAnswer.objects.for_network(world.network).exists()
    assert not Ambition.objects.for_network(world.network).exists()
    assert not Initiative.objects.for_network(world.network).exists()


def test_an_over_long_group_answer_is_refused_and_kept(client, world, journey):
    client.force_login(world.leader)
    text = "x" * 50001
    response = client.post(task_url(world, journey), {"text": text, "base_version": 0})
    assert response.status_code == 200
    assert "at most 50000 characters" in response.content.decode()
    assert response.context["form"]["text"].value() == text
    assert not GroupTaskAnswer.objects.for_network(world.network).exists()

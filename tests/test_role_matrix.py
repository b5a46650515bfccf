"""DESIGN.md section 3: each role reaches exactly the pages its row gives it.

ALLOWED maps a URL name to the roles that may open it; every other role gets 404. Apps add
their pages here as they add them (test_every_network_page_is_in_the_matrix insists).
"""

import pytest
from django.urls import reverse

from tests.factories import ROLES, make_cohort
from tests.tenant_probe import OBJECTS, network_url_names

ALLOWED = {
    "network_home": set(ROLES),
    "manage_dashboard": {"admin"},
    "audit_trail": {"admin"},
    "network_people": {"admin"},
    "sign_in_settings": {"admin"},
    "audit_trail_csv": {"admin"},
    "network_settings": {"admin"},
    "erase_person": {"admin"},
    "network_statements": {"admin"},
    "coordinator_home": {"coordinator", "admin"},
    "organisation_detail": {"coordinator", "admin"},
    "revoke_invitation": {"coordinator", "admin"},
    "leader_group_detail": {"leader", "coordinator", "facilitator", "admin"},
    "facilitator_home": {"facilitator"},
    "leader_home": {"leader"},
    "organisation_reminders": {"coordinator", "admin"},
    "cohort_reminders": {"admin"},
    "cohort_rounds": {"facilitator", "admin"},
    "round_edit": {"facilitator", "admin"},
    "my_assessments": {"leader"},
    "assessment_take": {"leader"},
    "assessment_take_step": {"leader"},
    "assessment_answer_save": {"leader"},
    "assessment_review": {"leader"},
    "assessment_results": {"leader"},
    "my_development": {"leader"},
    "take_alone": {"leader"},
    "personal_results": {"leader"},
    "round_results": {"coordinator", "facilitator", "admin"},
    "round_results_csv": {"coordinator", "facilitator", "admin"},
    "round_results_xlsx": {"coordinator", "facilitator", "admin"},
    "round_gathering": {"facilitator", "admin"},
    "cohort_list": {"admin"},
    "cohort_create": {"admin"},
    "cohort_detail": {"facilitator", "admin"},
    "cohort_edit": {"admin"},
    "cohort_participants": {"admin"},
    "cohort_copy": {"admin"},
    "cohort_module_edit": {"admin"},
    "cohort_module_tailor": {"admin"},
    "own_activity_write": {"admin"},
    "own_activity_edit": {"admin"},
    "gathering_ics": set(ROLES),
    "organisation_progress": {"coordinator", "admin"},
    "organisation_progress_csv": {"coordinator", "admin"},
    "organisation_progress_xlsx": {"coordinator", "admin"},
    "group_progress": {"coordinator", "facilitator", "admin"},
    "group_progress_csv": {"coordinator", "facilitator", "admin"},
    "group_progress_xlsx": {"coordinator", "facilitator", "admin"},
    "network_groups": {"admin"},
    "leader_import": {"coordinator", "admin"},
    "leader_move": {"coordinator", "admin"},
    "leader_remove": {"coordinator", "admin"},
    "library": set(ROLES),
    "resource_detail": set(ROLES),
    "resource_file": set(ROLES),
    "resource_captions": set(ROLES),
    "resource_create": {"admin"},
    "resource_edit": {"admin"},
    "resource_delete": {"admin"},
    "module_detail": {"leader"},
    "activity_done": {"leader"},
    "reflection": {"leader"},
    "reflection_save": {"leader"},
    "group_task": {"leader"},
    "ambition_edit": {"leader"},
    "initiative_create": {"leader"},
    "initiative_edit": {"leader"},
    "initiative_delete": {"leader"},
    "group_work": {"leader", "coordinator", "facilitator", "admin"},
    "shared_initiatives": set(ROLES),
    "initiative_detail": {"leader", "coordinator", "facilitator", "admin"},
    "group_gaps": {"leader", "coordinator", "facilitator", "admin"},
    "initiatives_review": {"leader"},
    "gathering_pairs": {"facilitator", "admin"},
    "group_reports": {"leader", "facilitator", "admin"},
    "cohort_reports": {"facilitator", "admin"},
    "report_detail": {"leader", "facilitator", "admin"},
    "report_retry": {"leader", "facilitator", "admin"},
    "report_download": {"leader", "facilitator", "admin"},
    "gathering_register": {"leader"},
    "gathering_attendance": {"coordinator", "facilitator", "admin"},
    "gathering_attendance_csv": {"coordinator", "facilitator", "admin"},
    "gathering_attendance_xlsx": {"coordinator", "facilitator", "admin"},
    "message_dismiss": {"leader"},
    "cohort_message": {"facilitator", "admin"},
    "gathering_room": {"facilitator", "admin"},
    "evaluation_open": {"facilitator", "admin"},
    "gathering_evaluation": {"leader"},
    "poll_open": {"facilitator", "admin"},
    "poll_close": {"facilitator", "admin"},
    "poll_screen": {"facilitator", "admin"},
    "poll_answer": {"leader"},
    "polls_now": {"leader"},
    "bench_floor": set(),  # only with BENCH_FLOOR on (tests/tenancy/test_bench_floor.py)
    "bench_chrome": set(),  # likewise
}


def test_every_network_page_is_in_the_matrix():
    missing = {name for name, _params in network_url_names()} - set(ALLOWED)
    assert not missing, f"add {sorted(missing)} to ALLOWED in tests/test_role_matrix.py"


@pytest.fixture
def facilitated_world(world):
    """The facilitator runs a cohort that the world's group is in."""
    cohort = make_cohort(world)
    cohort.leader_groups.add(world.group)
    cohort.facilitators.add(world.facilitator)
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_role_reaches_exactly_its_pages(client, facilitated_world, name, role):
    world = facilitated_world
    names = dict(network_url_names())
    params = {p: OBJECTS[p](world) for p in names[name]}
    client.force_login(world.person(role))
    response = client.get(reverse(name, kwargs={"network_slug": world.network.slug, **params}))
    if role in ALLOWED[name]:
        assert response.status_code in (200, 302), response.status_code
    else:
        assert response.status_code == 404


@pytest.mark.django_db
def test_a_facilitator_does_not_follow_groups_outside_their_cohorts(client, world):
    client.force_login(world.facilitator)
    url = reverse("leader_group_detail",
                  kwargs={"network_slug": world.network.slug, "group_id": world.group.pk})
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_coordinator_does_not_manage_another_organisation(client, world):
    from tests.factories import make_organisation

    elsewhere = make_organisation(world.network)
    client.force_login(world.coordinator)
    url = reverse("organisation_detail",
                  kwargs={"network_slug": world.network.slug, "organisation_id": elsewhere.pk})
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "landing"), [
    ("admin", "manage_dashboard"), ("facilitator", "facilitator_home"),
    ("coordinator", "organisation_detail"), ("leader", "leader_home")])
def test_sign_in_lands_on_the_page_the_role_needs(client, world, role, landing):
    client.force_login(world.person(role))
    response = client.get("/", follow=True)
    assert response.resolver_match.url_name == landing

"""request.roles (tenancy.roles.NetworkRoles) and the @network_roles view decorator."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import resolve, reverse

from tenancy.models import RoleKind
from tenancy.services import create_leader_group, grant_role
from tests.factories import (
    ROLES,
    make_cohort,
    make_group,
    make_organisation,
    make_person,
    network_roles_of,
)

pytestmark = pytest.mark.django_db


def test_building_the_roles_is_one_query_and_answers_everything_but_cohorts(
        world, django_assert_num_queries):
    second_group = make_group(world.network, world.organisation)
    grant_role(world.leader, world.network, RoleKind.LEADER, leader_group=second_group)
    grant_role(world.leader, world.network, RoleKind.COORDINATOR, organisation=world.organisation)
    with django_assert_num_queries(1):
        roles = network_roles_of(world.leader, world.network)
        assert roles.kinds == {RoleKind.LEADER, RoleKind.COORDINATOR}
        assert sorted(roles.led_group_ids) == sorted([world.group.pk, second_group.pk])
        assert {group.name for group in roles.led_groups} == {world.group.name,
                                                              second_group.name}
        assert roles.coordinated_organisation_ids == [world.organisation.pk]
        assert roles.has(RoleKind.COORDINATOR, RoleKind.NETWORK_ADMIN)
        assert not roles.has(RoleKind.NETWORK_ADMIN, RoleKind.FACILITATOR)
        assert not roles.is_admin and not roles.is_facilitator
        assert roles.facilitated_cohort_ids == frozenset()  # no facilitator role: no query
        assert bool(roles)


def test_each_role_reads_as_itself(world):
    admin = network_roles_of(world.admin, world.network)
    assert admin.is_admin and admin.kinds == {RoleKind.NETWORK_ADMIN}
    assert admin.led_group_ids == [] and admin.coordinated_organisation_ids == []
    facilitator = network_roles_of(world.facilitator, world.network)
    assert facilitator.is_facilitator and not facilitator.is_admin
    coordinator = network_roles_of(world.coordinator, world.network)
    assert coordinator.coordinated_organisation_ids == [world.organisation.pk]
    assert coordinator.led_group_ids == []


def test_no_roles_outside_the_network_or_signed_out(world, other_world):
    assert not network_roles_of(world.admin, other_world.network)
    signed_out = network_roles_of(AnonymousUser(), world.network)
    assert not signed_out and signed_out.kinds == frozenset()
    assert not signed_out.has(*RoleKind.values)


def test_facilitated_cohorts_are_read_once_only_when_asked_and_only_in_the_network(
        world, other_world, django_assert_num_queries):
    runs, other = make_cohort(world), make_cohort(world, name="Kull 2027")
    elsewhere = make_cohort(other_world)
    grant_role(world.facilitator, other_world.network, RoleKind.FACILITATOR)
    runs.facilitators.add(world.facilitator)
    elsewhere.facilitators.add(world.facilitator)  # a cohort of another network
    roles = network_roles_of(world.facilitator, world.network)
    with django_assert_num_queries(1):
        assert roles.facilitated_cohort_ids == {runs.pk}
        assert roles.facilitated_cohort_ids == {runs.pk}
    assert other.pk not in roles.facilitated_cohort_ids


def test_facilitating_needs_the_facilitator_role(world):
    cohort = make_cohort(world)
    cohort.facilitators.add(world.coordinator)
    roles = network_roles_of(world.coordinator, world.network)
    assert roles.facilitated_cohort_ids == frozenset()
    assert list(roles.facilitated_cohorts) == []


def test_the_decorator_answers_404_to_a_missing_role_through_a_real_view(client, world):
    url = reverse("cohort_list", kwargs={"network_slug": world.network.slug})
    for person in (world.leader, world.coordinator, world.facilitator):
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.force_login(world.admin)
    assert client.get(url).status_code == 200


def test_any_role_lets_in_every_role(client, world):
    from resources.views import library

    assert library.network_roles == frozenset(RoleKind.values)
    url = reverse("library", kwargs={"network_slug": world.network.slug})
    for person in (world.leader, world.coordinator, world.facilitator, world.admin):
        client.force_login(person)
        assert client.get(url).status_code == 200


def test_a_leader_group_is_never_made_in_another_networks_organisation(world, other_world):
    with pytest.raises(ValidationError):
        create_leader_group(world.network, name="Borrowed", organisation=other_world.organisation)
    group = create_leader_group(world.network, name="Own",
                                organisation=make_organisation(world.network))
    assert group.network == world.network


def test_a_person_without_a_role_here_gets_no_cohort_ids(world):
    stranger = make_person()
    roles = network_roles_of(stranger, world.network)
    assert not roles and roles.facilitated_cohort_ids == frozenset()


KINDS = {"leader": RoleKind.LEADER, "coordinator": RoleKind.COORDINATOR,
         "facilitator": RoleKind.FACILITATOR, "admin": RoleKind.NETWORK_ADMIN}


def test_every_network_page_declares_the_roles_the_role_matrix_gives_it(world):
    from tests.tenant_probe import network_url_names
    from tests.test_role_matrix import ALLOWED

    for name, params in network_url_names():
        view = resolve(reverse(name, kwargs={"network_slug": "n", **dict.fromkeys(params, 1)}))
        if name == "network_home":  # also sends platform staff without a role to the admin
            assert not hasattr(view.func, "network_roles")
            continue
        if name in ("bench_floor", "bench_chrome"):  # every role, only with BENCH_FLOOR on
            assert view.func.network_roles == set(KINDS.values())
            continue
        assert view.func.network_roles == {KINDS[role] for role in ALLOWED[name]}, name
    assert set(KINDS) == set(ROLES)

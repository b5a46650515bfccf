import pytest
from django.db import models
from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import resolve

from cohorts.models import CohortGroup
from tenancy.checks import network_rows_are_tenant_models
from tenancy.middleware import NetworkMiddleware
from tenancy.models import LeaderGroup, Network, Organisation, Person, Role
from tenancy.scoping import (
    TenantModel,
    UnscopedQueryError,
    in_network_of_row,
    network_scope,
    platform_wide,
)
from tests.factories import make_cohort


def test_a_tenant_query_without_a_network_fails_loudly(world):
    with pytest.raises(UnscopedQueryError, match="Organisation queried without a network"):
        list(Organisation.objects.all())
    with pytest.raises(UnscopedQueryError):
        Organisation.objects.filter(name="x").exists()
    with pytest.raises(UnscopedQueryError):
        Organisation.objects.count()
    with pytest.raises(UnscopedQueryError):
        Organisation.objects.get(pk=world.organisation.pk)


def test_a_scoped_query_sees_only_its_network(world, other_world):
    names = list(Organisation.objects.for_network(world.network).values_list("name", flat=True))
    assert names == [world.organisation.name]


def test_related_rows_of_a_scoped_object_need_no_second_scope(world):
    organisation = Organisation.objects.for_network(world.network).get()
    assert list(organisation.leader_groups.all()) == [world.group]


def test_following_a_foreign_key_works(world):
    group = LeaderGroup.objects.for_network(world.network).get()
    assert group.organisation == world.organisation


# Scopes (tenancy/scoping.py): production is as strict as development and tests ------------

@pytest.mark.parametrize("debug", [False, True])
def test_a_tenant_query_outside_any_scope_raises_in_every_environment(world, settings, debug):
    settings.DEBUG = debug
    with pytest.raises(UnscopedQueryError):
        list(Organisation.objects.all())
    with pytest.raises(UnscopedQueryError):
        Organisation.objects.filter(network=world.network).update(name="x")


def test_inside_a_network_scope_a_query_sees_only_that_network(world, other_world):
    with network_scope(world.network):
        assert list(Organisation.objects.all()) == [world.organisation]
        assert Organisation.objects.count() == 1
        assert list(Organisation.objects.for_network(world.network)) == [world.organisation]
        with pytest.raises(UnscopedQueryError, match="inside the scope of network"):
            Organisation.objects.for_network(other_world.network)
        assert not Organisation.objects.filter(pk=other_world.organisation.pk).exists()


def test_platform_wide_reads_every_network_and_wins_over_an_outer_scope(world, other_world):
    with platform_wide():
        assert Organisation.objects.count() == 2
    with network_scope(world.network), platform_wide():
        assert Organisation.objects.count() == 2
    with pytest.raises(UnscopedQueryError):
        Organisation.objects.count()


def test_a_request_runs_in_its_network_scope_until_its_body_is_made(rf, world, other_world):
    """The middleware wraps get_response, so lazily rendered and streamed bodies are in the
    scope too; a request outside any network lets no tenant query through."""

    def get_response(request):
        middleware.process_view(request, None, (), {"network_slug": request.slug})
        return StreamingHttpResponse(
            name for organisation in Organisation.objects.all() for name in [organisation.name])

    middleware = NetworkMiddleware(get_response)
    request = rf.get("/")
    request.user, request.slug = world.admin, world.network.slug
    request.resolver_match = resolve("/profile/")
    response = middleware(request)
    assert b"".join(response.streaming_content) == world.organisation.name.encode()

    request = rf.get("/")
    request.user, request.slug = world.admin, None
    request.resolver_match = resolve("/profile/")
    with pytest.raises(UnscopedQueryError):
        b"".join(middleware(request).streaming_content)


@pytest.mark.parametrize(("who", "platform_wide_scope"), [
    ("anonymous", False), ("admin", False), ("inactive staff", False), ("staff", True)])
def test_only_active_staff_read_the_admin_platform_wide(rf, world, who, platform_wide_scope):
    """Everyone else gets no scope there: a tenant query would raise, not read every network."""
    from django.contrib.auth.models import AnonymousUser

    person = AnonymousUser() if who == "anonymous" else world.admin
    if "staff" in who:
        person.is_staff, person.is_active = True, who == "staff"
    seen = []

    def get_response(request):
        middleware.process_view(request, None, (), {})
        seen.append(request.tenant_scope.platform_wide)
        return HttpResponse()

    middleware = NetworkMiddleware(get_response)
    request = rf.get("/admin/")
    request.user, request.resolver_match = person, resolve("/admin/")
    middleware(request)
    assert seen == [platform_wide_scope]


def test_work_given_a_row_id_runs_in_the_scope_of_the_row_network(world, other_world):
    @in_network_of_row(Organisation, missing="gone")
    def names(organisation_id):
        return [organisation.name for organisation in Organisation.objects.all()]

    assert names(other_world.organisation.pk) == [other_world.organisation.name]
    assert names(0) == "gone"


# Subqueries and combined querysets ----------------------------------------------------------

def people_with_roles(roles):
    return set(Person.objects.filter(pk__in=roles).values_list("pk", flat=True))


def test_a_tenant_subquery_outside_any_scope_raises(world, other_world):
    with pytest.raises(UnscopedQueryError, match="Role queried without a network"):
        people_with_roles(Role.objects.all())
    with pytest.raises(UnscopedQueryError):
        people_with_roles(Role.objects.values("person"))
    with pytest.raises(UnscopedQueryError):
        Person.objects.filter(Exists(Role.objects.filter(person=OuterRef("pk"))))
    with pytest.raises(UnscopedQueryError):
        Person.objects.annotate(network=Subquery(
            Role.objects.filter(person=OuterRef("pk")).values("network")[:1]))


def test_a_tenant_subquery_is_confined_like_a_query(world, other_world):
    mine = {role.person_id for role in Role.objects.for_network(world.network)}
    assert people_with_roles(Role.objects.for_network(world.network).values("person")) == mine
    with network_scope(world.network):
        assert people_with_roles(Role.objects.values("person")) == mine
        assert set(Person.objects.filter(Exists(Role.objects.filter(person=OuterRef("pk"))))
                   .values_list("pk", flat=True)) == mine
    with platform_wide():
        assert people_with_roles(Role.objects.values("person")) > mine


def test_combined_querysets_must_be_confined_to_one_network(world, other_world):
    mine, theirs = world.network, other_world.network
    for combine in [lambda a, b: a | b, lambda a, b: a & b, lambda a, b: a ^ b,
                    lambda a, b: a.union(b), lambda a, b: a.intersection(b),
                    lambda a, b: a.difference(b)]:
        with pytest.raises(UnscopedQueryError, match="combined across networks"):
            combine(Organisation.objects.for_network(mine), Organisation.objects.all())
        with pytest.raises(UnscopedQueryError, match="combined across networks"):
            combine(Organisation.objects.for_network(mine),
                    Organisation.objects.for_network(theirs))
        with pytest.raises(UnscopedQueryError):
            list(combine(Organisation.objects.all(), Organisation.objects.all()))
        related = other_world.organisation.leader_groups.all()
        with pytest.raises(UnscopedQueryError):
            list(combine(related, LeaderGroup.objects.all()))
    both = (Organisation.objects.for_network(mine).filter(name="x")
            | Organisation.objects.for_network(mine))
    assert list(both.filter(pk__gt=0)) == [world.organisation]
    assert list(Organisation.objects.for_network(mine).union(
        Organisation.objects.for_network(mine))) == [world.organisation]
    with network_scope(mine):
        assert list(Organisation.objects.all() | Organisation.objects.all()) == [
            world.organisation]
    with platform_wide():
        assert (Organisation.objects.all() | Organisation.objects.all()).count() == 2


# Through tables -----------------------------------------------------------------------------

def test_through_tables_are_scoped_and_added_rows_take_the_cohort_network(world, other_world):
    cohort = make_cohort(world)
    cohort.leader_groups.add(world.group)  # reached through the cohort: its scope
    assert cohort.leader_groups.get() == world.group
    link = CohortGroup.unscoped.get(cohort=cohort)
    assert link.network == world.network
    with pytest.raises(UnscopedQueryError):
        list(CohortGroup.objects.filter(cohort=cohort))
    with network_scope(other_world.network):
        assert not CohortGroup.objects.filter(cohort=cohort).exists()
    with network_scope(world.network):
        assert list(CohortGroup.objects.filter(cohort=cohort)) == [link]


# The system check ---------------------------------------------------------------------------

def test_the_project_passes_the_tenant_model_check():
    assert network_rows_are_tenant_models(None) == []


@pytest.mark.django_isolate_apps("tenancy")
def test_a_model_pointing_to_network_must_inherit_tenant_model(django_isolated_apps):
    class Forgotten(models.Model):  # noqa: DJ008
        network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "tenancy"

    class Remembered(TenantModel):
        class Meta(TenantModel.Meta):
            app_label = "tenancy"

    class Preference(models.Model):  # noqa: DJ008
        last_network = models.ForeignKey(Network, on_delete=models.SET_NULL, null=True,
                                         related_name="+")
        tenant_scoping_exempt = "remembers a choice; belongs to no network"

        class Meta:
            app_label = "tenancy"

    errors = network_rows_are_tenant_models([django_isolated_apps.get_app_config("tenancy")])
    assert [(error.id, error.obj) for error in errors] == [("tenancy.E001", Forgotten)]

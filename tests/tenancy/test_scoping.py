import pytest
from django.db import models
from django.http import StreamingHttpResponse
from django.urls import resolve

from cohorts.models import CohortGroup
from tenancy.checks import network_rows_are_tenant_models
from tenancy.middleware import NetworkMiddleware
from tenancy.models import LeaderGroup, Network, Organisation
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


def test_work_given_a_row_id_runs_in_the_scope_of_the_row_network(world, other_world):
    @in_network_of_row(Organisation, missing="gone")
    def names(organisation_id):
        return [organisation.name for organisation in Organisation.objects.all()]

    assert names(other_world.organisation.pk) == [other_world.organisation.name]
    assert names(0) == "gone"


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

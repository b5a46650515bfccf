"""The through tables (cohorts.models.Link): a link never points into another network."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from cohorts.models import CohortFacilitator, CohortGroup, CohortOrganisation
from tests.factories import (
    make_cohort,
    make_cohort_module,
    make_network_resource,
    make_person,
    with_mfa,
)


@pytest.fixture
def cohort(world):
    return make_cohort(world)


def test_a_link_into_another_network_is_refused(cohort, world, other_world):
    for add in [lambda: cohort.leader_groups.add(other_world.group),
                lambda: cohort.leader_groups.set([world.group, other_world.group]),
                lambda: cohort.organisations.add(other_world.organisation),
                lambda: cohort.facilitators.add(other_world.facilitator),
                lambda: cohort.facilitators.add(make_person()),  # in no network at all
                lambda: CohortGroup.unscoped.create(cohort=cohort, leadergroup=other_world.group),
                lambda: make_cohort_module(cohort).resources.add(
                    make_network_resource(other_world, slug="theirs"))]:
        with pytest.raises(ValidationError, match=f"not in network {world.network.pk}"), \
                transaction.atomic():  # add() and set() leave a failed block to be rolled back
            add()
    assert not CohortGroup.unscoped.filter(cohort=cohort).exists()
    assert not CohortFacilitator.unscoped.filter(cohort=cohort).exists()


def test_links_inside_the_network_are_made(cohort, world):
    cohort.leader_groups.set([world.group])
    cohort.organisations.add(world.organisation)
    cohort.facilitators.add(world.facilitator)
    make_cohort_module(cohort).resources.add(make_network_resource(world))
    assert list(cohort.leader_groups.all()) == [world.group]


def test_the_admin_form_says_why_and_offers_only_the_cohorts_network(
        client, cohort, world, other_world):
    error = CohortOrganisation(cohort=cohort, organisation=other_world.organisation)
    with pytest.raises(ValidationError) as raised:
        error.clean()
    assert list(raised.value.message_dict) == ["organisation"]

    staff = with_mfa(make_person(is_staff=True, is_superuser=True))
    client.force_login(staff)
    page = client.get(f"/admin/cohorts/cohort/{cohort.pk}/change/")
    assert page.status_code == 200
    offered = {inline.formset.model.other_field: list(
        inline.formset.empty_form.fields[inline.formset.model.other_field].queryset)
        for inline in page.context["inline_admin_formsets"]}
    assert offered["organisation"] == [world.organisation]
    assert offered["leadergroup"] == [world.group]
    assert other_world.facilitator not in offered["person"]
    assert world.facilitator in offered["person"]

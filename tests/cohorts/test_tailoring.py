"""A network admin tailors one cohort's module: remove, add back and reorder activities
without JavaScript, add the cohort's own speakers and cases; only that cohort changes, and
leaders, progress and reminders follow the cohort's list."""

import pytest
from django.urls import reverse

from cohorts import services, tailoring
from cohorts.models import CohortActivity
from modules.progress import activities_run_by, done_with_phase
from programmes.models import Activity, PhaseKind
from tenancy.audit import AuditEvent, EventKind
from tests.factories import (
    make_cohort,
    make_cohort_module,
    make_network_resource,
    shared_resource,
    with_mfa,
)

pytestmark = pytest.mark.django_db


def url(world, cohort_module):
    return reverse(
        "cohort_module_tailor",
        kwargs={"network_slug": world.network.slug, "cohort_module_id": cohort_module.pk},
    )


def prework(cohort_module):
    cohort_module.refresh_from_db()  # as a page would load it
    return [a.slug for a in activities_run_by([cohort_module], PhaseKind.PREWORK)[cohort_module.pk]]


def act(client, world, cohort_module, action, activity):
    return client.post(url(world, cohort_module), {"action": action, "activity": activity.pk})


def test_remove_reorder_and_add_back_with_plain_buttons(admin, world, journey):
    standard = prework(journey)
    assert len(standard) >= 3
    first, second = (
        Activity.objects.get(phase__module=journey.module_id, slug=slug) for slug in standard[:2]
    )
    page = admin.get(url(world, journey)).content.decode()
    assert 'name="action" value="down"' in page  # plain form buttons, no script needed
    moved = act(admin, world, journey, "down", first)
    assert moved.status_code == 302 and moved.url.endswith(f"#activity-{first.pk}")
    assert prework(journey)[:2] == [second.slug, first.slug]
    act(admin, world, journey, "remove", second)
    assert second.slug not in prework(journey)
    page = admin.get(url(world, journey)).content.decode()
    assert "Left out for this cohort" in page
    act(admin, world, journey, "add", second)
    assert prework(journey)[-1] == second.slug
    assert list(
        AuditEvent.objects.for_network(world.network)
        .filter(kind=EventKind.COHORT_TAILORED)
        .order_by("at", "pk")
        .values_list("details__action", flat=True)
    ) == ["moved", "removed", "added"]


def test_only_that_cohort_changes(admin, world, journey):
    other_cohort = make_cohort(world, name="Kull 2027")
    other = make_cohort_module(other_cohort, journey.module)
    before = prework(other)
    activity = Activity.objects.get(phase__module=journey.module_id, slug=before[0])
    act(admin, world, journey, "remove", activity)
    assert prework(other) == before
    assert activity.slug in [
        a.slug for a in Activity.objects.filter(phase__module=journey.module_id)
    ]  # the standard programme keeps it
    assert (
        not CohortActivity.objects.for_network(world.network).filter(cohort_module=other).exists()
    )


def test_leaders_see_the_cohorts_list_and_a_removed_activity_is_not_needed(
    admin, client, world, journey
):
    removed = Activity.objects.get(phase__module=journey.module_id, slug=prework(journey)[0])
    act(admin, world, journey, "remove", removed)
    admin.post(
        url(world, journey),
        {
            "action": "add_contribution",
            "kind": "speaker",
            "title": "Ada Lovelace",
            "description": "On engines",
            "url": "https://example.org/ada",
        },
    )
    world.leader.language = "en"
    world.leader.save(update_fields=["language"])
    client.force_login(world.leader)
    page = client.get(
        reverse(
            "module_detail",
            kwargs={"network_slug": world.network.slug, "cohort_module_id": journey.pk},
        )
    ).content.decode()
    assert f'id="activity-{removed.pk}"' not in page
    assert "Ada Lovelace" in page and "Speakers and cases in your cohort" in page
    journey.refresh_from_db()
    needed = {a.pk for a in activities_run_by([journey], PhaseKind.PREWORK)[journey.pk]}
    assert removed.pk not in needed
    # done with the phase without the removed activity (assessments aside, none are done)
    assert done_with_phase(journey, [world.leader.pk], PhaseKind.PREWORK) == set()


def test_a_contribution_can_be_removed_and_is_audited(admin, world, journey):
    admin.post(
        url(world, journey),
        {"action": "add_contribution", "kind": "case", "title": "Kristiansand's radar"},
    )
    contribution = tailoring.contributions_of(world.network, [journey.pk])[journey.pk][0]
    admin.post(
        url(world, journey), {"action": "remove_contribution", "contribution": contribution.pk}
    )
    assert not tailoring.contributions_of(world.network, [journey.pk])
    assert list(
        AuditEvent.objects.for_network(world.network)
        .filter(kind=EventKind.COHORT_TAILORED)
        .order_by("at", "pk")
        .values_list("details__action", flat=True)
    ) == ["contribution_added", "contribution_removed"]


def test_an_activity_of_another_module_is_refused(admin, world, journey):
    other = make_cohort_module(make_cohort(world, name="Other"), slug="strategy")
    foreign = Activity.objects.filter(phase__module=other.module_id).first()
    assert act(admin, world, journey, "add", foreign).status_code == 404


def test_a_facilitator_cannot_tailor(client, world, journey):
    client.force_login(world.facilitator)
    activity = Activity.objects.filter(phase__module=journey.module_id).first()
    assert act(client, world, journey, "remove", activity).status_code == 404
    assert not CohortActivity.objects.for_network(world.network).exists()


def test_library_resources_reach_only_that_cohorts_leaders_and_are_audited(
    admin, client, world, journey, other_world
):
    own = make_network_resource(world, slug="bergen-case")
    shared = shared_resource(slug="standard-film")
    foreign = make_network_resource(other_world, slug="their-case")
    other = make_cohort_module(make_cohort(world, name="Kull 2027"), journey.module)
    page = admin.get(url(world, journey)).content.decode()
    assert f'<option value="{own.pk}">' in page and f'<option value="{shared.pk}">' in page
    assert f'<option value="{foreign.pk}">' not in page
    for resource in (own, shared):
        admin.post(url(world, journey), {"action": "add_resource", "resource": resource.pk})
    refused = admin.post(url(world, journey), {"action": "add_resource", "resource": foreign.pk})
    assert refused.status_code == 404
    assert set(journey.resources.all()) == {own, shared} and not other.resources.exists()

    world.leader.language = "en"
    world.leader.save(update_fields=["language"])
    client.force_login(world.leader)

    def module_page(cohort_module):
        return client.get(
            reverse(
                "module_detail",
                kwargs={"network_slug": world.network.slug, "cohort_module_id": cohort_module.pk},
            )
        ).content.decode()

    page = module_page(journey)
    assert "Resources chosen for your cohort" in page
    assert "Film standard-film" in page and "Regional case bergen-case" in page

    client.force_login(with_mfa(world.admin))  # the same test client
    admin.post(url(world, journey), {"action": "remove_resource", "resource": shared.pk})
    assert list(journey.resources.all()) == [own]
    assert list(
        AuditEvent.objects.for_network(world.network)
        .filter(kind=EventKind.COHORT_TAILORED)
        .order_by("at", "pk")
        .values_list("details__action", "details__resource")
    ) == [
        ("resource_added", "bergen-case"),
        ("resource_added", "standard-film"),
        ("resource_removed", "standard-film"),
    ]


def test_changing_the_dates_keeps_the_shared_resources(world, journey):
    shared = shared_resource(slug="standard-film")
    tailoring.add_resource(journey, shared)
    own = make_network_resource(world, slug="bergen-case")
    services.update_cohort_module(
        journey,
        prework_opens_on=journey.prework_opens_on,
        postwork_due_on=journey.postwork_due_on,
        starts_at=journey.gathering.starts_at,
        ends_at=journey.gathering.ends_at,
        resources=[own],
    )
    assert set(journey.resources.all()) == {own, shared}

"""A network admin writes the cohort's own activities on the tailor page: they run, are
counted, reminded and recommended like the standard ones, in that cohort alone."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from assessments.results.recommendations import cohort_exercises
from cohorts import tailoring
from modules import selectors
from modules.models import ActivityCompletion
from modules.progress import activities_run_by
from programmes.models import Activity, PhaseKind
from tenancy.audit import AuditEvent, EventKind
from tests.factories import (
    make_cohort,
    make_cohort_module,
    network_roles_of,
    with_mfa,
)

pytestmark = pytest.mark.django_db


def write_url(world, cohort_module):
    return reverse("own_activity_write", kwargs={"network_slug": world.network.slug,
                                                 "cohort_module_id": cohort_module.pk})


def edit_url(network, activity):
    return reverse("own_activity_edit", kwargs={"network_slug": network.slug,
                                                "own_activity_id": activity.pk})


def tailor_url(world, cohort_module):
    return reverse("cohort_module_tailor", kwargs={"network_slug": world.network.slug,
                                                   "cohort_module_id": cohort_module.pk})


def run(cohort_module, phase=PhaseKind.PREWORK):
    cohort_module.refresh_from_db()  # as a page would load it
    return [a.pk for a in activities_run_by([cohort_module], phase)[cohort_module.pk]]


def write(cohort_module, kind="reflection", phase=PhaseKind.PREWORK, tags=()):
    return tailoring.write_activity(
        cohort_module, phase=cohort_module.module.phases.get(kind=phase), kind=kind,
        title={"en": "Our own reflection"}, instructions={"en": "Think of Bergen."},
        dimension_tags=list(tags))


def actions(world):
    return list(AuditEvent.objects.for_network(world.network)
                .filter(kind=EventKind.COHORT_TAILORED).order_by("at", "pk")
                .values_list("details__action", flat=True))


def test_an_admin_writes_edits_removes_restores_and_moves_it_without_javascript(
        admin, world, journey):
    page = admin.get(write_url(world, journey)).content.decode()
    assert '<label for="id_title_en">' in page and 'name="phase"' in page
    phase = journey.module.phases.get(kind=PhaseKind.POSTWORK)
    refused = admin.post(write_url(world, journey), {"phase": phase.pk, "kind": "group_task",
                                                     "title_en": "In English only"})
    assert refused.status_code == 200  # the network's language (nb) is required
    assert "This field is required." in refused.content.decode()
    assert admin.post(write_url(world, journey), {
        "phase": phase.pk, "kind": "assessment", "title_nb": "Test"}).status_code == 200
    response = admin.post(write_url(world, journey), {
        "phase": phase.pk, "kind": "group_task", "title_nb": "Vår egen gruppeoppgave",
        "title_en": "Our own group task", "instructions_nb": "Diskuter Bergen."})
    own = Activity.objects.get(cohort_module=journey)
    assert response.status_code == 302 and response.url.endswith(f"#activity-{own.pk}")
    assert (own.network, own.phase, own.kind) == (world.network, phase, "group_task")
    assert run(journey, PhaseKind.POSTWORK)[-1] == own.pk
    page = admin.get(tailor_url(world, journey)).content.decode()
    assert "Our own group task" in page and edit_url(world.network, own) in page

    admin.post(edit_url(world.network, own), {"kind": "reflection", "title_nb": "Ny tittel",
                                              "dimension_tags": []})
    own.refresh_from_db()
    assert (own.kind, own.title, own.instructions) == ("reflection", {"nb": "Ny tittel"}, {})

    admin.post(tailor_url(world, journey), {"action": "up", "activity": own.pk})
    assert run(journey, PhaseKind.POSTWORK)[-2] == own.pk
    admin.post(tailor_url(world, journey), {"action": "remove", "activity": own.pk})
    assert own.pk not in run(journey, PhaseKind.POSTWORK)
    assert "Left out for this cohort" in admin.get(tailor_url(world, journey)).content.decode()
    admin.post(tailor_url(world, journey), {"action": "add", "activity": own.pk})
    assert run(journey, PhaseKind.POSTWORK)[-1] == own.pk
    assert actions(world) == ["own_activity_written", "own_activity_changed", "moved",
                              "removed", "added"]


def test_it_never_reaches_another_cohort_or_network(admin, client, world, journey, other_world):
    own = write(journey)
    untailored = make_cohort_module(make_cohort(world, name="Kull 2027"), journey.module)
    tailored = make_cohort_module(make_cohort(world, name="Kull 2028"), journey.module)
    tailoring.remove_activity(tailored, Activity.objects.standard().filter(
        phase__module=journey.module_id).first())
    assert own.pk in run(journey)
    assert own.pk not in run(untailored) and own.pk not in run(tailored)
    # the tailor page of another cohort cannot add it, nor an edit page of another network
    assert admin.post(tailor_url(world, tailored),
                      {"action": "add", "activity": own.pk}).status_code == 404
    client.force_login(with_mfa(other_world.admin))
    assert client.get(edit_url(other_world.network, own)).status_code == 404
    assert client.get(edit_url(world.network, own)).status_code == 404
    # nor may a leader of another cohort mark it done
    tailored.cohort.leader_groups.add(world.group)
    client.force_login(world.leader)
    done = reverse("activity_done", kwargs={"network_slug": world.network.slug,
                                            "cohort_module_id": tailored.pk,
                                            "activity_id": own.pk})
    assert client.post(done, {"done": "1"}).status_code == 404
    page = client.get(reverse("module_detail", kwargs={
        "network_slug": world.network.slug, "cohort_module_id": tailored.pk})).content.decode()
    assert f'id="activity-{own.pk}"' not in page
    # the staff's programme page lists the standard programme only
    assert own not in Activity.objects.standard()


def test_progress_and_whats_next_count_it_like_a_standard_one(client, world, journey):
    before = selectors.leaders_progress(world.network, journey.cohort, [world.group],
                                        [journey]).rows[0].cells[0].total
    own = write(journey)
    table = selectors.leaders_progress(world.network, journey.cohort, [world.group], [journey])
    (row,) = table.rows
    assert (row.cells[0].done, row.cells[0].total) == (0, before + 1)
    (leader_journey,) = selectors.leader_journeys(
        world.network, world.leader, network_roles_of(world.leader, world.network))
    total = leader_journey.modules[0].total

    world.leader.language = "en"
    world.leader.save(update_fields=["language"])
    client.force_login(world.leader)
    response = client.post(reverse("activity_done", kwargs={
        "network_slug": world.network.slug, "cohort_module_id": journey.pk,
        "activity_id": own.pk}), {"done": "1"})
    assert response.status_code == 302
    assert ActivityCompletion.objects.for_network(world.network).filter(activity=own).exists()
    (row,) = selectors.leaders_progress(world.network, journey.cohort, [world.group],
                                        [journey]).rows
    assert row.cells[0].done == 1
    (leader_journey,) = selectors.leader_journeys(
        world.network, world.leader, network_roles_of(world.leader, world.network))
    assert (leader_journey.modules[0].done_count, leader_journey.modules[0].total) == (1, total)
    page = client.get(reverse("module_detail", kwargs={
        "network_slug": world.network.slug, "cohort_module_id": journey.pk})).content.decode()
    assert f'id="activity-{own.pk}"' in page and "Write your reflection" in page


def test_its_dimension_tags_recommend_it_to_its_cohort_only(world, journey):
    other = make_cohort_module(make_cohort(world, name="Kull 2027"), journey.module)
    own = write(journey, tags=["radar:d1"])
    radar = SimpleNamespace(slug="radar")  # the instrument its tag names
    assert [a.pk for a in cohort_exercises(world.network, journey.cohort, radar)] == [own.pk]
    assert cohort_exercises(world.network, other.cohort, radar) == []


def test_another_modules_phase_is_refused(world, journey):
    other = make_cohort_module(make_cohort(world, name="Other"), slug="strategy")
    with pytest.raises(ValueError):
        tailoring.write_activity(journey, phase=other.module.phases.first(), kind="case",
                                 title={"nb": "x"}, instructions={}, dimension_tags=[])


def test_its_tags_are_chosen_on_the_form(admin, world, journey):
    from tests.factories import build_instrument

    instrument = build_instrument()
    tag = f"{instrument.slug}:{instrument.dimensions.first().code}"
    own = write(journey)
    page = admin.get(edit_url(world.network, own)).content.decode()
    assert f'value="{tag}"' in page
    admin.post(edit_url(world.network, own), {"kind": "reflection", "title_nb": "Egen",
                                              "dimension_tags": [tag]})
    own.refresh_from_db()
    assert own.dimension_tags == [tag]


@pytest.mark.parametrize("role", ["leader", "coordinator", "facilitator"])
def test_no_other_role_writes_or_edits_it(client, world, journey, role):
    own = write(journey)
    client.force_login(with_mfa(world.person(role)))
    phase = journey.module.phases.get(kind=PhaseKind.PREWORK)
    assert client.post(write_url(world, journey), {
        "phase": phase.pk, "kind": "case", "title_nb": "x"}).status_code == 404
    assert client.post(edit_url(world.network, own), {
        "kind": "case", "title_nb": "x"}).status_code == 404
    own.refresh_from_db()
    assert own.kind == "reflection"
    assert Activity.objects.filter(cohort_module=journey).count() == 1

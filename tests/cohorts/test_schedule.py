"""Network admins create cohorts from a programme, set each module's dates and gathering, choose
who takes part, add their own resources and copy last year's cohort with every date moved."""

from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from cohorts import services
from cohorts.models import Cohort, CohortModule, Gathering
from cohorts.schedule import (
    PREWORK,
    current_module,
    local_zone,
    module_state,
    schedule_problems,
    shift_datetime,
)
from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.factories import (
    make_cohort,
    make_cohort_module,
    make_group,
    make_module,
    make_network_resource,
    make_organisation,
    make_person,
    make_programme,
    world_cohort,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]


def url(world, name, **kwargs):
    return reverse(name, kwargs={"network_slug": world.network.slug, **kwargs})


def four_modules(programme=None):
    programme = programme or make_programme()
    return [make_module(programme, slug, position)
            for position, slug in enumerate(
                ["organisation", "leadership", "strategy", "technology"], start=1)]


def local(moment):
    return moment.astimezone(local_zone())


# --- Pure rules -----------------------------------------------------------------------------


def test_schedule_rules_name_each_wrong_date():
    gathering = datetime(2026, 3, 10, 9, tzinfo=local_zone())
    ends = gathering.replace(hour=15)
    assert schedule_problems(date(2026, 2, 10), gathering, ends, date(2026, 5, 1)) == {}
    with translation.override("en"):  # an earlier test's request may leave nb or da active
        problems = schedule_problems(date(2026, 3, 10), gathering, gathering, date(2026, 3, 10))
    assert set(problems) == {"prework_opens_on", "postwork_due_on", "gathering_ends"}
    assert "before the gathering" in str(problems["prework_opens_on"])
    assert "after the gathering" in str(problems["postwork_due_on"])


def test_shifting_keeps_the_local_time_of_day_across_summer_time():
    winter = datetime(2025, 1, 15, 9, 0, tzinfo=local_zone())
    summer = shift_datetime(winter, 7 * 20)
    assert (local(summer).date(), local(summer).time()) == (date(2025, 6, 4), time(9, 0))
    assert summer.astimezone(UTC) - winter.astimezone(UTC) == timedelta(days=140, hours=-1)


def _module(opens, due, gathering_day=None):
    gathering = (SimpleNamespace(starts_at=datetime.combine(gathering_day, time(9),
                                                            tzinfo=local_zone()))
                 if gathering_day else None)
    return SimpleNamespace(prework_opens_on=opens, postwork_due_on=due, gathering=gathering)


def test_the_current_module_is_the_running_one_else_the_next_else_the_last():
    modules = [_module(date(2026, 1, 1), date(2026, 3, 1)),
               _module(date(2026, 4, 1), date(2026, 6, 1))]
    assert current_module(modules, date(2026, 2, 1)) is modules[0]
    assert current_module(modules, date(2026, 3, 15)) is modules[1]
    assert current_module(modules, date(2027, 1, 1)) is modules[1]
    assert current_module([], date(2027, 1, 1)) is None


def test_a_module_whose_gathering_falls_after_postwork_is_due_still_runs_until_then():
    """The schedule's current module follows module_state, the phase What's next shows."""
    late = _module(date(2026, 1, 1), date(2026, 2, 1), gathering_day=date(2026, 2, 10))
    later = _module(date(2026, 2, 5), date(2026, 5, 1), gathering_day=date(2026, 3, 1))
    assert module_state(late, late.gathering, date(2026, 2, 6))[0] == PREWORK
    assert current_module([late, later], date(2026, 2, 6)) is late
    assert current_module([late, later], date(2026, 2, 11)) is later


# --- Creating and changing cohorts -----------------------------------------------------------


def test_an_admin_creates_a_cohort_with_all_four_modules_and_suggested_dates(client, world):
    modules = four_modules()
    client.force_login(world.admin)
    response = client.post(url(world, "cohort_create"), {
        "programme": modules[0].programme_id, "name": "Kompetanseløft 2026",
        "starts_on": "2026-01-12", "modules": [m.pk for m in modules]})
    cohort = Cohort.objects.for_network(world.network).get(name="Kompetanseløft 2026")
    assert response.status_code == 302
    assert response.url == url(world, "cohort_detail", cohort_id=cohort.pk)
    cohort_modules = list(cohort.cohort_modules.select_related("gathering").order_by("position"))
    assert [cm.module_id for cm in cohort_modules] == [m.pk for m in modules]
    first = cohort_modules[0]
    assert first.prework_opens_on == date(2026, 1, 12)
    assert local(first.gathering.starts_at) == datetime(2026, 2, 9, 9, tzinfo=local_zone())
    assert local(first.gathering.ends_at).time() == time(15, 30)
    assert first.postwork_due_on > local(first.gathering.starts_at).date()
    assert cohort_modules[1].prework_opens_on == date(2026, 1, 12) + timedelta(weeks=13)
    assert all(cm.network_id == world.network.pk for cm in cohort_modules)


def test_a_cohort_may_run_a_subset_of_the_modules(client, world):
    modules = four_modules()
    client.force_login(world.admin)
    client.post(url(world, "cohort_create"), {
        "programme": modules[0].programme_id, "name": "Strategi alene",
        "starts_on": "2026-08-17", "modules": [modules[2].pk]})
    cohort = Cohort.objects.for_network(world.network).get(name="Strategi alene")
    (only,) = cohort.cohort_modules.all()
    assert only.module == modules[2]
    assert only.prework_opens_on == date(2026, 8, 17)


def test_modules_of_another_programme_are_refused(client, world):
    modules = four_modules()
    other = make_module(make_programme("other-programme"), "organisation")
    client.force_login(world.admin)
    response = client.post(url(world, "cohort_create"), {
        "programme": modules[0].programme_id, "name": "Blandet", "starts_on": "2026-08-17",
        "modules": [modules[0].pk, other.pk]})
    assert response.status_code == 200
    assert "Choose modules of the chosen programme." in response.content.decode()
    assert not Cohort.objects.for_network(world.network).filter(name="Blandet").exists()


def test_changing_the_cohort_adds_and_removes_modules(client, world):
    modules = four_modules()
    cohort = services.create_cohort(world.network, programme=modules[0].programme,
                                    name="Kull", starts_on=date(2026, 1, 12),
                                    modules=modules[:2])
    client.force_login(world.admin)
    response = client.post(url(world, "cohort_edit", cohort_id=cohort.pk), {
        "name": "Kull 2026", "starts_on": "2026-01-12", "competence_wheel": "on",
        "modules": [modules[0].pk, modules[3].pk]})
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert (cohort.name, cohort.competence_wheel) == ("Kull 2026", True)
    assert sorted(cohort.cohort_modules.values_list("module_id", flat=True)) == sorted(
        [modules[0].pk, modules[3].pk])
    assert Gathering.objects.for_network(world.network).count() == 2


# --- A module's dates and gathering -----------------------------------------------------------


def module_form(**changes):
    data = {"prework_opens_on": "2026-02-02", "gathering_date": "2026-03-02",
            "gathering_starts": "09:00", "gathering_ends": "15:30",
            "place": "Clarion Hotel Ernst, Kristiansand", "online_url": "",
            "agenda": "09.00 Velkommen", "speakers": "Ingrid Solberg",
            "postwork_due_on": "2026-04-27"}
    return {**data, **changes}


def test_an_admin_sets_a_modules_dates_and_gathering(client, world):
    cohort_module = make_cohort_module(world_cohort(world))
    resource = make_network_resource(world)
    client.force_login(world.admin)
    response = client.post(url(world, "cohort_module_edit", cohort_module_id=cohort_module.pk),
                           module_form(resources=[resource.pk]))
    assert response.status_code == 302
    cohort_module.refresh_from_db()
    gathering = Gathering.objects.for_network(world.network).get(cohort_module=cohort_module)
    assert cohort_module.prework_opens_on == date(2026, 2, 2)
    assert cohort_module.postwork_due_on == date(2026, 4, 27)
    assert local(gathering.starts_at) == datetime(2026, 3, 2, 9, tzinfo=local_zone())
    assert local(gathering.ends_at) == datetime(2026, 3, 2, 15, 30, tzinfo=local_zone())
    assert (gathering.place, gathering.agenda) == ("Clarion Hotel Ernst, Kristiansand",
                                                  "09.00 Velkommen")
    assert list(cohort_module.resources.all()) == [resource]


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"prework_opens_on": "2026-03-02"}, "prework_opens_on",
     "Pre-work must open before the gathering"),
    ({"prework_opens_on": "2026-03-20"}, "prework_opens_on",
     "Pre-work must open before the gathering"),
    ({"postwork_due_on": "2026-03-01"}, "postwork_due_on",
     "Post-work must be due after the gathering"),
    ({"gathering_ends": "08:00"}, "gathering_ends", "The gathering must end after it starts."),
])
def test_wrong_dates_are_refused_with_a_clear_message(client, world, changes, field, message):
    cohort_module = make_cohort_module(world_cohort(world))
    before = (cohort_module.prework_opens_on, cohort_module.postwork_due_on)
    client.force_login(world.admin)
    response = client.post(url(world, "cohort_module_edit", cohort_module_id=cohort_module.pk),
                           module_form(**changes))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert message in response.content.decode()
    cohort_module.refresh_from_db()
    assert (cohort_module.prework_opens_on, cohort_module.postwork_due_on) == before


def test_the_service_refuses_wrong_dates_too(world):
    cohort_module = make_cohort_module(world_cohort(world))
    gathering = datetime(2026, 3, 2, 9, tzinfo=local_zone())
    with pytest.raises(services.ValidationError):
        services.update_cohort_module(
            cohort_module, prework_opens_on=date(2026, 3, 3), postwork_due_on=date(2026, 5, 1),
            starts_at=gathering, ends_at=gathering + timedelta(hours=6))


def test_only_the_networks_own_resources_can_be_added(client, world, other_world):
    cohort_module = make_cohort_module(world_cohort(world))
    foreign = make_network_resource(other_world, slug="their-case")
    client.force_login(world.admin)
    response = client.get(url(world, "cohort_module_edit", cohort_module_id=cohort_module.pk))
    assert foreign.pk not in {r.pk for r in response.context["form"].fields["resources"]
                              .queryset}
    response = client.post(url(world, "cohort_module_edit", cohort_module_id=cohort_module.pk),
                           module_form(resources=[foreign.pk]))
    assert response.status_code == 200
    assert not cohort_module.resources.exists()


def test_a_changed_date_shows_everywhere_at_once(client, world):
    cohort = world_cohort(world)
    cohort.facilitators.add(world.facilitator)
    cohort_module = make_cohort_module(cohort)
    client.force_login(world.admin)
    client.post(url(world, "cohort_module_edit", cohort_module_id=cohort_module.pk),
                module_form(gathering_date="2026-03-05"))
    gathering_id = cohort_module.gathering.pk
    for person, name, kwargs in [
            (world.facilitator, "facilitator_home", {}),
            (world.leader, "leader_group_detail", {"group_id": world.group.pk}),
            (world.admin, "cohort_detail", {"cohort_id": cohort.pk})]:
        client.force_login(person)
        page = client.get(url(world, name, **kwargs)).content.decode()
        assert "March 5, 2026" in page, name
    client.force_login(world.leader)
    ics = client.get(url(world, "gathering_ics", gathering_id=gathering_id)).content.decode()
    assert "DTSTART:20260305T080000Z" in ics


# --- Who takes part ---------------------------------------------------------------------------


def test_an_admin_chooses_organisations_groups_and_facilitators(client, world):
    cohort = make_cohort(world)
    other_organisation = make_organisation(world.network)
    group = make_group(world.network, other_organisation)
    cross_group = make_group(world.network, None, "Digitaliseringsledere")
    client.force_login(world.admin)
    response = client.post(url(world, "cohort_participants", cohort_id=cohort.pk), {
        "organisations": [world.organisation.pk], "leader_groups": [group.pk, cross_group.pk],
        "facilitators": [world.facilitator.pk]})
    assert response.status_code == 302
    assert set(cohort.organisations.all()) == {world.organisation, other_organisation}
    assert set(cohort.leader_groups.all()) == {group, cross_group}
    assert list(cohort.facilitators.all()) == [world.facilitator]


def test_only_facilitators_of_the_network_can_be_assigned(client, world, other_world):
    cohort = make_cohort(world)
    client.force_login(world.admin)
    for person in (world.coordinator, other_world.facilitator):
        response = client.post(url(world, "cohort_participants", cohort_id=cohort.pk),
                               {"facilitators": [person.pk]})
        assert response.status_code == 200
    assert not cohort.facilitators.exists()
    with pytest.raises(services.ValidationError):
        services.set_participants(cohort, organisations=[], leader_groups=[],
                                  facilitators=[world.coordinator])


def test_another_networks_groups_and_organisations_are_refused(client, world, other_world):
    cohort = make_cohort(world)
    client.force_login(world.admin)
    response = client.post(url(world, "cohort_participants", cohort_id=cohort.pk), {
        "organisations": [other_world.organisation.pk], "leader_groups": [other_world.group.pk]})
    assert response.status_code == 200
    assert not cohort.organisations.exists() and not cohort.leader_groups.exists()
    with pytest.raises(services.ValidationError):
        services.set_participants(cohort, organisations=[], leader_groups=[other_world.group],
                                  facilitators=[])


# --- Copying last year's cohort ---------------------------------------------------------------


@pytest.fixture
def last_year(world):
    modules = four_modules()
    cohort = services.create_cohort(world.network, programme=modules[0].programme,
                                    name="Kompetanseløft 2025", starts_on=date(2025, 1, 13),
                                    modules=modules[:2])
    resource = make_network_resource(world)
    first = cohort.cohort_modules.select_related("gathering").order_by("position").first()
    first.resources.add(resource)
    gathering = first.gathering
    gathering.place, gathering.agenda, gathering.speakers = "Arendal kulturhus", "Agenda", "Ola"
    gathering.save()
    cohort.organisations.add(world.organisation)
    cohort.leader_groups.add(world.group)
    cohort.facilitators.add(world.facilitator)
    return cohort


def test_copying_by_52_weeks_keeps_everything_but_the_groups(client, world, last_year):
    client.force_login(world.admin)
    response = client.get(url(world, "cohort_copy", cohort_id=last_year.pk))
    assert response.context["form"]["name"].value() == "Kompetanseløft 2026"
    response = client.post(url(world, "cohort_copy", cohort_id=last_year.pk), {
        "name": "Kompetanseløft 2026", "shift": "weeks", "weeks": "52"})
    copy = Cohort.objects.for_network(world.network).get(name="Kompetanseløft 2026")
    assert response.url == url(world, "cohort_detail", cohort_id=copy.pk)
    assert copy.starts_on == date(2025, 1, 13) + timedelta(weeks=52)
    old = list(last_year.cohort_modules.select_related("gathering").order_by("position"))
    new = list(copy.cohort_modules.select_related("gathering").order_by("position"))
    assert [cm.module_id for cm in new] == [cm.module_id for cm in old]
    for before, after in zip(old, new, strict=True):
        assert after.prework_opens_on == before.prework_opens_on + timedelta(weeks=52)
        assert after.postwork_due_on == before.postwork_due_on + timedelta(weeks=52)
        assert local(after.gathering.starts_at).time() == local(before.gathering.starts_at).time()
        assert local(after.gathering.starts_at).date() == (
            local(before.gathering.starts_at).date() + timedelta(weeks=52))
        assert (after.gathering.place, after.gathering.agenda, after.gathering.speakers) == (
            before.gathering.place, before.gathering.agenda, before.gathering.speakers)
        assert list(after.resources.all()) == list(before.resources.all())
    assert list(copy.organisations.all()) == [world.organisation]
    assert list(copy.facilitators.all()) == [world.facilitator]
    assert not copy.leader_groups.exists()
    assert last_year.cohort_modules.count() == 2  # the original is untouched


def test_copying_to_a_new_start_date_with_the_groups(client, world, last_year):
    client.force_login(world.admin)
    client.post(url(world, "cohort_copy", cohort_id=last_year.pk), {
        "name": "Høst 2026", "shift": "start", "starts_on": "2026-08-17",
        "include_groups": "on"})
    copy = Cohort.objects.for_network(world.network).get(name="Høst 2026")
    days = (date(2026, 8, 17) - date(2025, 1, 13)).days
    assert copy.starts_on == date(2026, 8, 17)
    first = copy.cohort_modules.order_by("position").first()
    assert first.prework_opens_on == date(2025, 1, 13) + timedelta(days=days)
    assert list(copy.leader_groups.all()) == [world.group]


def test_copying_asks_for_the_shift_it_was_told_to_use(client, world, last_year):
    client.force_login(world.admin)
    response = client.post(url(world, "cohort_copy", cohort_id=last_year.pk), {
        "name": "Uten dato", "shift": "start", "starts_on": ""})
    assert response.status_code == 200
    assert "Give the new start date." in response.content.decode()
    assert not Cohort.objects.for_network(world.network).filter(name="Uten dato").exists()


# --- Pages and who reaches them ---------------------------------------------------------------


def test_the_cohort_page_shows_schedule_and_who_takes_part(client, world, last_year):
    client.force_login(world.admin)
    page = client.get(url(world, "cohort_detail", cohort_id=last_year.pk)).content.decode()
    for text in ("Arendal kulturhus", "Module organisation", world.group.name,
                 world.organisation.name, world.facilitator.name, "Change dates and gathering"):
        assert text in page
    listing = client.get(url(world, "cohort_list")).content.decode()
    assert "Kompetanseløft 2025" in listing


def test_a_facilitator_reads_only_the_cohorts_they_facilitate(client, world, last_year):
    other = make_cohort(world, name="Someone else's")
    client.force_login(world.facilitator)
    page = client.get(url(world, "cohort_detail", cohort_id=last_year.pk))
    assert page.status_code == 200
    assert "Change dates and gathering" not in page.content.decode()
    assert client.get(url(world, "cohort_detail", cohort_id=other.pk)).status_code == 404
    assert client.get(url(world, "cohort_edit", cohort_id=last_year.pk)).status_code == 404


def test_a_second_facilitator_account_is_offered_once(client, world):
    cohort = make_cohort(world)
    another = make_person(name="Bjørnar Homme")
    grant_role(another, world.network, RoleKind.FACILITATOR)
    client.force_login(world.admin)
    form = client.get(url(world, "cohort_participants", cohort_id=cohort.pk)).context["form"]
    assert set(form.fields["facilitators"].queryset) == {world.facilitator, another}


def test_cohort_modules_belong_to_the_cohorts_network(world):
    cohort = world_cohort(world)
    cohort_module = make_cohort_module(cohort)
    assert CohortModule.objects.for_network(world.network).get() == cohort_module


def test_now_marks_only_a_module_that_is_running(client, world):
    from datetime import date, timedelta

    from cohorts.models import CohortModule
    from tests.factories import world_cohort_module

    running = world_cohort_module(world)
    today = date.today()
    CohortModule.objects.for_network(world.network).filter(pk=running.pk).update(
        prework_opens_on=today + timedelta(days=30), postwork_due_on=today + timedelta(days=90))
    client.force_login(world.admin)
    url = reverse("cohort_detail", kwargs={"network_slug": world.network.slug,
                                           "cohort_id": running.cohort_id})
    with translation.override(world.admin.language or world.network.default_language):
        now = gettext("Now")
    assert f'<span class="badge">{now}</span>' not in client.get(url).content.decode()
    CohortModule.objects.for_network(world.network).filter(pk=running.pk).update(
        prework_opens_on=today - timedelta(days=3))
    assert f'<span class="badge">{now}</span>' in client.get(url).content.decode()

"""Scheduling rounds: who may, the presets, the competence wheel rule, open and closed."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from assessments import services
from assessments.instruments_io import load_shipped_instruments
from assessments.models import Instrument, Round, RoundPurpose
from assessments.taking import services as taking_services
from tenancy.languages import person_language
from tests.factories import make_cohort, make_person

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def instruments(db):
    load_shipped_instruments()
    return {instrument.slug: instrument for instrument in Instrument.objects.all()}


@pytest.fixture
def cohort(world):
    cohort = make_cohort(world, starts_on=date(2027, 1, 11))
    cohort.leader_groups.add(world.group)
    cohort.facilitators.add(world.facilitator)
    cohort.refresh_from_db()
    return cohort


def rounds_url(cohort):
    return reverse("cohort_rounds", kwargs={"network_slug": cohort.network.slug,
                                            "cohort_id": cohort.pk})


def edit_url(round_):
    return reverse("round_edit", kwargs={"network_slug": round_.network.slug,
                                         "round_id": round_.pk})


@pytest.mark.parametrize("role", ["admin", "facilitator"])
def test_admins_and_the_cohorts_facilitators_schedule_a_start_round(client, world, cohort,
                                                                     instruments, role):
    client.force_login(world.person(role))
    reply = client.post(rounds_url(cohort), {
        "instrument": instruments["digital-maturity"].pk, "purpose": RoundPurpose.START})
    assert reply.status_code == 302
    round_ = Round.objects.for_network(world.network).get()
    # the name that says when, in each reader's language (issue 15)
    assert round_.custom_name == ""
    for language in ("nb", "da", "en"):
        with translation.override(language):
            assert round_.name == gettext("Assessment at the start")
    assert round_.opens_at == datetime(2027, 1, 11, 8, 0, tzinfo=OSLO)
    assert round_.closes_at == datetime(2027, 2, 1, 8, 0, tzinfo=OSLO)
    assert (round_.cohort, round_.instrument.slug, round_.purpose) == (
        cohort, "digital-maturity", "start")
    assert round_.name in client.get(rounds_url(cohort)).content.decode()


def test_a_facilitator_of_another_cohort_and_other_roles_get_404(client, world, cohort):
    stranger = make_person()
    from tenancy.models import RoleKind
    from tenancy.services import grant_role

    grant_role(stranger, world.network, RoleKind.FACILITATOR)
    round_ = services.schedule_round(
        cohort, instrument=_any_instrument(), name="R", purpose="other",
        opens_at=timezone.now(), closes_at=timezone.now() + timedelta(days=1))
    for person in (stranger, world.leader, world.coordinator):
        client.force_login(person)
        assert client.get(rounds_url(cohort)).status_code == 404
        assert client.get(edit_url(round_)).status_code == 404
        assert client.post(edit_url(round_), {"delete": "1"}).status_code == 404
    assert Round.objects.for_network(world.network).count() == 1


def _any_instrument():
    load_shipped_instruments()
    return Instrument.objects.get(slug="capabilities")


def test_the_competence_wheel_only_where_the_cohort_offers_it(client, world, cohort,
                                                              instruments):
    client.force_login(world.admin)
    wheel = instruments["competence-wheel"]
    page = client.get(rounds_url(cohort)).content.decode()
    assert f'value="{wheel.pk}"' not in page
    reply = client.post(rounds_url(cohort), {"instrument": wheel.pk, "purpose": "start"})
    assert reply.status_code == 200 and "instrument" in reply.context["form"].errors
    cohort.competence_wheel = True
    cohort.save()
    assert f'value="{wheel.pk}"' in client.get(rounds_url(cohort)).content.decode()
    client.post(rounds_url(cohort), {"instrument": wheel.pk, "purpose": "start"})
    assert Round.objects.for_network(world.network).get().instrument == wheel


def test_only_the_latest_version_of_an_instrument_is_offered(client, world, cohort,
                                                             instruments):
    from assessments.instruments_io import import_instrument, parse_instrument
    from tests.assessments.test_instruments_versions import digital_maturity_v2

    version_2 = import_instrument(parse_instrument(digital_maturity_v2())).instrument
    client.force_login(world.admin)
    page = client.get(rounds_url(cohort)).content.decode()
    assert f'value="{version_2.pk}"' in page
    assert f'value="{instruments["digital-maturity"].pk}"' not in page


def test_a_gathering_round_takes_the_gatherings_times(client, world, cohort, instruments):
    from tests.factories import make_cohort_module

    starts = datetime(2027, 3, 4, 9, 0, tzinfo=OSLO)
    gathering = make_cohort_module(
        cohort, slug="strategy", content="prework", prework_opens_on=date(2027, 2, 1),
        postwork_due_on=date(2027, 4, 30), gathering_at=starts,
        ends_at=starts + timedelta(hours=7)).gathering
    client.force_login(world.admin)
    reply = client.post(rounds_url(cohort), {"instrument": instruments["capabilities"].pk,
                                             "purpose": "gathering"})
    assert "gathering" in reply.context["form"].errors
    client.post(rounds_url(cohort), {"instrument": instruments["capabilities"].pk,
                                     "purpose": "gathering", "gathering": gathering.pk})
    round_ = Round.objects.for_network(world.network).get()
    assert (round_.opens_at, round_.closes_at, round_.gathering) == (
        starts, starts + timedelta(hours=7), gathering)

    client.post(rounds_url(cohort), {"instrument": instruments["capabilities"].pk,
                                     "purpose": "end", "name": "Slutt"})
    end = Round.objects.for_network(world.network).get(custom_name="Slutt")
    assert end.closes_at == datetime(2027, 4, 30, 23, 59, tzinfo=OSLO)
    assert end.opens_at == end.closes_at - timedelta(days=14)


def test_own_times_must_close_after_they_open(client, world, cohort, instruments):
    client.force_login(world.admin)
    reply = client.post(rounds_url(cohort), {
        "instrument": instruments["capabilities"].pk, "purpose": "other", "name": "Midtveis",
        "opens_at": "2027-03-01T10:00", "closes_at": "2027-03-01T09:00"})
    assert "closes_at" in reply.context["form"].errors
    reply = client.post(rounds_url(cohort), {
        "instrument": instruments["capabilities"].pk, "purpose": "other",
        "opens_at": "2027-03-01T10:00", "closes_at": "2027-03-02T10:00"})
    assert "name" in reply.context["form"].errors
    assert not Round.objects.for_network(world.network).exists()


def test_edit_changes_times_and_remove_only_without_answers(client, world, cohort,
                                                            instruments):
    round_ = services.schedule_round(
        cohort, instrument=instruments["capabilities"], name="Oppstart", purpose="start",
        opens_at=timezone.now() - timedelta(days=1), closes_at=timezone.now() + timedelta(days=1))
    client.force_login(world.facilitator)
    client.post(edit_url(round_), {"name": "Oppstart 2", "purpose": "other",
                                   "opens_at": "2027-05-01T08:00",
                                   "closes_at": "2027-05-20T16:00"})
    round_.refresh_from_db()
    assert (round_.name, round_.opens_at, round_.closes_at) == (
        "Oppstart 2", datetime(2027, 5, 1, 8, tzinfo=OSLO), datetime(2027, 5, 20, 16, tzinfo=OSLO))
    assert round_.instrument == instruments["capabilities"]

    taking_services.start_response(round_, world.leader, world.group)
    with translation.override(person_language(world.facilitator, world.network)):
        refusal = gettext("Leaders have started answering this round, so it cannot be removed. "
                          "You can let it close earlier by changing its closing time.")
    assert refusal in client.get(edit_url(round_)).content.decode()
    client.post(edit_url(round_), {"delete": "1"})
    assert Round.objects.for_network(world.network).filter(pk=round_.pk).exists()

    empty = services.schedule_round(
        cohort, instrument=instruments["capabilities"], name="Tom", purpose="other",
        opens_at=timezone.now(), closes_at=timezone.now() + timedelta(days=1))
    client.post(edit_url(empty), {"delete": "1"})
    assert not Round.objects.for_network(world.network).filter(pk=empty.pk).exists()


def test_a_round_has_closed_from_closes_at_on(world, cohort):
    opens = datetime(2027, 1, 11, 8, 0, tzinfo=OSLO)
    round_ = Round(opens_at=opens, closes_at=opens + timedelta(days=21))
    assert not round_.has_closed(opens + timedelta(days=21) - timedelta(seconds=1))
    assert round_.has_closed(opens + timedelta(days=21))


def test_the_leader_sees_the_rounds_of_their_cohorts(client, world, cohort, instruments):
    services.schedule_round(
        cohort, instrument=instruments["capabilities"], name="Kartlegging ved oppstart",
        purpose="start", opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=1))
    other_cohort = make_cohort(world, name="Another cohort")
    services.schedule_round(
        other_cohort, instrument=instruments["capabilities"], name="Not for this group",
        purpose="start", opens_at=timezone.now(), closes_at=timezone.now() + timedelta(days=1))
    client.force_login(world.leader)
    page = client.get(reverse("my_assessments", kwargs={"network_slug": world.network.slug}))
    html = page.content.decode()
    assert "Kartlegging ved oppstart" in html
    assert "Not for this group" not in html

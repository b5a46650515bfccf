"""Personal rounds: a leader takes an instrument on their own and follows their own
development; only they see it, and it never enters any aggregate, released block, report,
export or the benchmark (README, "Personal rounds")."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.anonymity.aggregation import national_benchmark, round_results
from assessments.models import Item, ReleasedBlock, ReleasedScore, Response, Round
from assessments.personal.services import start_personal_round
from assessments.results.selectors import submitted_count
from assessments.services import anonymity_threshold_is_locked
from assessments.taking import services as taking
from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.factories import (
    build_instrument,
    build_round,
    build_submission,
    make_person,
    with_mfa,
)

pytestmark = pytest.mark.django_db

SCORES = {"vision": (2, 4), "customer": (3, 4), "data": (1, 5)}


def url(name, network, **kwargs):
    return reverse(name, kwargs={"network_slug": network.slug, **kwargs})


def take_alone_and_submit(network, person, instrument, value):
    """What the pages do: start a personal round, answer every item with `value`, submit."""
    round_ = start_personal_round(network, person, instrument.slug)
    response = taking.start_response(round_, person, None)
    answers = [
        (item, kind, value)
        for item in Item.objects.filter(dimension__instrument=round_.instrument)
        for kind in ("today", "ambition")
    ]
    taking.save_answers(response, answers)
    assert taking.submit_response(response)
    return round_


@pytest.fixture
def leader(client, world):
    world.leader.language = "en"
    world.leader.save(update_fields=["language"])
    client.force_login(world.leader)
    return client


@pytest.fixture
def cohort_round(world):
    round_ = build_round(world, instrument=build_instrument())
    build_submission(round_, person=world.leader, group=world.group, scores=SCORES)
    return round_


class TestTakingItAlone:
    def test_from_own_results_to_a_personal_round_and_back_to_ones_development(
        self, leader, world, cohort_round
    ):
        results = leader.get(url("assessment_results", world.network, round_id=cohort_round.pk))
        assert "Take it again for yourself" in results.content.decode()
        started = leader.post(
            url("take_alone", world.network), {"instrument": cohort_round.instrument.slug}
        )
        personal = Round.personal.for_network(world.network).get(owner=world.leader)
        assert personal.cohort is None and personal.instrument == cohort_round.instrument
        assert started.url == url("assessment_take", world.network, round_id=personal.pk)
        intro = leader.get(started.url).content.decode()
        assert "Only for you" in intro and "never count" in intro
        leader.post(started.url)  # Start: for no group
        response = Response.objects.for_network(world.network).get(round=personal)
        assert response.leader_group is None and response.organisation is None
        fields = {
            f"a-{item.pk}-{kind}": "4"
            for item in Item.objects.filter(dimension__instrument=personal.instrument)
            for kind in ("today", "ambition")
        }
        leader.post(
            url("assessment_take_step", world.network, round_id=personal.pk, step=1), fields
        )
        done = leader.post(url("assessment_review", world.network, round_id=personal.pk))
        assert done.url == url("personal_results", world.network, personal_round_id=personal.pk)
        page = leader.get(done.url).content.decode()
        assert "You took this on your own" in page
        development = leader.get(url("my_development", world.network)).content.decode()
        assert "On your own" in development and cohort_round.name in development
        assert development.count("4.0") >= 6  # every dimension, today and ambition

    def test_a_started_personal_round_is_continued_not_doubled(self, world, cohort_round):
        first = start_personal_round(world.network, world.leader, cohort_round.instrument.slug)
        again = start_personal_round(world.network, world.leader, cohort_round.instrument.slug)
        assert first == again
        taking.submit_response(taking.start_response(first, world.leader, None))
        after = start_personal_round(world.network, world.leader, cohort_round.instrument.slug)
        assert after != first  # "take it again" after submitting starts a new one

    def test_the_newest_version_is_taken(self, world, cohort_round):
        newer = build_instrument(
            version=2,
            areas=(("strategy", ("vision", "customer")), ("technology", ("data", "sixth"))),
        )
        round_ = start_personal_round(world.network, world.leader, "test-profile")
        assert round_.instrument == newer

    def test_only_instruments_the_leader_has_met_can_be_taken(self, leader, world, cohort_round):
        build_instrument(slug="other-test")
        refused = leader.post(url("take_alone", world.network), {"instrument": "other-test"})
        assert refused.status_code == 404
        assert not Round.personal.for_network(world.network).exists()

    def test_the_development_page_costs_the_same_for_many_rounds(
        self, leader, world, cohort_round, django_assert_max_num_queries
    ):
        take_alone_and_submit(world.network, world.leader, cohort_round.instrument, 3)
        with django_assert_max_num_queries(20) as few:
            leader.get(url("my_development", world.network))
        for value in (2, 4, 5):
            take_alone_and_submit(world.network, world.leader, cohort_round.instrument, value)
        with django_assert_max_num_queries(len(few.captured_queries)):
            page = leader.get(url("my_development", world.network))
        assert page.content.decode().count("On your own") >= 4


class TestOnlyTheLeaderSeesIt:
    @pytest.mark.parametrize("role", ["coordinator", "facilitator", "admin"])
    def test_other_roles_get_404(self, client, world, cohort_round, role):
        personal = take_alone_and_submit(world.network, world.leader, cohort_round.instrument, 4)
        other = world.person(role)
        grant_role(other, world.network, RoleKind.LEADER, leader_group=world.group)
        client.force_login(other)
        mine = url("personal_results", world.network, personal_round_id=personal.pk)
        assert client.get(mine).status_code == 404
        for name in (
            "assessment_take",
            "assessment_review",
            "assessment_results",
            "round_results",
            "round_gathering",
            "round_results_csv",
        ):
            assert client.get(url(name, world.network, round_id=personal.pk)).status_code == 404

    def test_platform_staff_get_404_too(self, client, world, cohort_round):
        personal = take_alone_and_submit(world.network, world.leader, cohort_round.instrument, 4)
        staff = with_mfa(make_person(is_staff=True, is_superuser=True))
        grant_role(staff, world.network, RoleKind.NETWORK_ADMIN)
        grant_role(staff, world.network, RoleKind.LEADER, leader_group=world.group)
        client.force_login(staff)
        assert (
            client.get(
                url("personal_results", world.network, personal_round_id=personal.pk)
            ).status_code
            == 404
        )
        for name in ("assessment_take", "round_results"):
            assert client.get(url(name, world.network, round_id=personal.pk)).status_code == 404
        development = client.get(url("my_development", world.network)).content.decode()
        assert "On your own" not in development

    def test_another_leader_of_the_same_group_gets_404(self, client, world, cohort_round):
        personal = take_alone_and_submit(world.network, world.leader, cohort_round.instrument, 4)
        colleague = make_person()
        grant_role(colleague, world.network, RoleKind.LEADER, leader_group=world.group)
        client.force_login(colleague)
        assert (
            client.get(
                url("personal_results", world.network, personal_round_id=personal.pk)
            ).status_code
            == 404
        )
        assert (
            client.post(
                url("assessment_answer_save", world.network, round_id=personal.pk),
                {},
                HTTP_HX_REQUEST="true",
            ).status_code
            == 404
        )


class TestItNeverEntersAnAggregate:
    """The attack: leaders of one group take personal rounds, enough of them to fill a
    block if they counted; nothing anyone else can read moves."""

    def snapshot(self, round_):
        results = round_results(round_)
        group = round_.cohort.leader_groups.first()
        return (
            [(row.today, row.ambition) for row in results.network.dimensions],
            [(row.today, row.ambition) for row in results.group(group.pk).dimensions],
            submitted_count(round_),
            ReleasedBlock.objects.for_network(round_.network).count(),
            ReleasedScore.objects.for_network(round_.network).count(),
            [(row.today, row.ambition) for row in national_benchmark(round_.instrument).dimensions],
        )

    def test_personal_responses_change_no_aggregate_block_or_benchmark(self, world):
        world.network.anonymity_threshold = 3
        world.network.save()
        instrument = build_instrument()
        cohort_round = build_round(world, instrument=instrument)
        leaders = [world.leader] + [make_person() for _ in range(5)]
        for person in leaders[1:]:
            grant_role(person, world.network, RoleKind.LEADER, leader_group=world.group)
        for person in leaders[:4]:  # one block of 3 released, one waiting
            build_submission(cohort_round, person=person, group=world.group, scores=SCORES)
        before = self.snapshot(cohort_round)
        for value in (5, 5, 5, 1, 1, 1):
            for person in leaders:
                take_alone_and_submit(world.network, person, instrument, value)
        assert self.snapshot(cohort_round) == before
        later = timezone.now() + timedelta(days=400)  # every personal round has closed
        assert round_results(cohort_round, now=later).network.dimensions  # pooling happened
        personal_ids = Round.personal.for_network(world.network).values("pk")
        assert (
            not ReleasedBlock.objects.for_network(world.network)
            .filter(round__in=personal_ids)
            .exists()
        )
        assert not Round.objects.for_network(world.network).filter(pk__in=personal_ids).exists()
        national_benchmark(instrument, now=later)
        assert (
            not ReleasedBlock.objects.for_network(world.network)
            .filter(round__in=personal_ids)
            .exists()
        )

    def test_the_cohorts_results_pages_and_export_read_no_personal_round(self, client, world):
        instrument = build_instrument()
        cohort_round = build_round(world, instrument=instrument)
        take_alone_and_submit(world.network, world.leader, instrument, 5)
        client.force_login(with_mfa(world.admin))
        csv = client.get(url("round_results_csv", world.network, round_id=cohort_round.pk))
        rounds_page = client.get(
            url("cohort_rounds", world.network, cohort_id=cohort_round.cohort_id)
        ).content.decode()
        assert csv.status_code == 200 and "5.0" not in csv.content.decode()
        assert "On your own" not in rounds_page

    def test_a_personal_submit_does_not_lock_the_networks_k(self, world):
        instrument = build_instrument()
        build_round(world, instrument=instrument)
        take_alone_and_submit(world.network, world.leader, instrument, 3)
        assert not anonymity_threshold_is_locked(world.network)


class TestTheirDataIsTheirs:
    def test_the_data_download_holds_personal_responses(self, world, cohort_round):
        from gdpr.export import collect
        from tenancy.scoping import platform_wide

        take_alone_and_submit(world.network, world.leader, cohort_round.instrument, 4)
        with platform_wide():
            data = collect(world.leader, "en")
        personal = [r for r in data["assessments"] if r["personal"]]
        assert len(personal) == 1 and personal[0]["cohort"] == ""
        assert personal[0]["round"] == "On your own" and len(personal[0]["answers"]) == 6
        assert {s["score"] for s in personal[0]["scores"]} == {4.0}

    def test_erasure_removes_personal_rounds_and_their_answers(self, world, cohort_round):
        from gdpr.services import erase_person

        personal = take_alone_and_submit(world.network, world.leader, cohort_round.instrument, 4)
        before = round_results(cohort_round).network.dimensions
        erase_person(world.leader, network=world.network)
        assert not Round.personal.for_network(world.network).filter(pk=personal.pk).exists()
        assert not Response.objects.for_network(world.network).filter(person=world.leader).exists()
        assert round_results(cohort_round).network.dimensions == before

    def test_a_network_report_reads_no_personal_round(self, world):
        from assessments.reports.document import report_html
        from tests.factories import make_report, make_report_results

        results = make_report_results(world)
        report = make_report(world, kind="network")
        now = timezone.now()

        def html():  # without the charts' running ids
            return re.sub(r"chart-\d+", "chart", report_html(report, now=now))

        before = html()
        for person in (world.leader, results.small_leader):
            take_alone_and_submit(world.network, person, results.round.instrument, 5)
        assert html() == before

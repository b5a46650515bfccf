"""The demo's rounds and answers: open start rounds per cohort, submitted answers with scores,
groups above and below k, the sign-in leaders free to answer, and seeding twice changes nothing.

One test, because seeding the whole demo is the slow part (the `demo` fixture seeds once)."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone, translation

from assessments.models import Answer, DimensionScore, Response, Round
from tenancy.models import Network

# The name that says when, in the reader's language (the network's here).
ROUND_NAMES = {"digi-agder": ("nb", "Kartlegging ved oppstart"),
               "digi-syddanmark": ("da", "Kortlægning ved opstart")}
SIGN_IN_LEADERS = ["camilla.egeland@digi-agder.example",
                   "mette.juul.frederiksen@digi-syddanmark.example"]


def counts():
    return (Round.unscoped.count(), Response.unscoped.count(), Answer.objects.count(),
            DimensionScore.unscoped.count())


@pytest.mark.django_db
def test_the_demo_rounds_and_answers(demo):
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first  # seeding twice changes nothing

    now = timezone.now()
    for slug, (language, name) in ROUND_NAMES.items():
        network = Network.objects.get(slug=slug)
        rounds = Round.objects.for_network(network).filter(purpose="start")
        assert sorted(rounds.values_list("instrument__slug", flat=True)) == [
            "capabilities", "digital-maturity"]
        for round_ in rounds:
            with translation.override(language):
                assert round_.name == name
            assert round_.opens_at <= now and not round_.has_closed(now)
            assert 9 <= (now - round_.opens_at).days <= 10
            assert 19 <= (round_.closes_at - now).days <= 20
            submitted = Response.objects.for_network(network).filter(
                round=round_, submitted_at__isnull=False)
            per_group = dict(submitted.values_list("leader_group").annotate(n=Count("id"))
                             .order_by())
            k = network.anonymity_threshold
            assert any(n >= k for n in per_group.values()), round_  # results show
            assert any(0 < n < k for n in per_group.values()), round_  # suppression shows
            assert (DimensionScore.objects.for_network(network).filter(round=round_)
                    .values("response").distinct().count()) == submitted.count()

        scores = DimensionScore.objects.for_network(network)
        today = list(scores.filter(kind="today").values_list("score", flat=True))
        ambition = list(scores.filter(kind="ambition").values_list("score", flat=True))
        assert len(set(today)) > 10  # spread
        assert sum(ambition) / len(ambition) > sum(today) / len(today) + 0.5
    assert Answer.objects.filter(dont_know=True).exists()
    assert not Response.unscoped.filter(person__email__in=SIGN_IN_LEADERS).exists()

"""seed_scale: the national-scale dataset for benchmarks, in miniature."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from assessments.models import Answer, DimensionScore, Response, Round
from tenancy.models import LeaderGroup, Network, Organisation, Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_small_scale_dataset_has_the_promised_shape_and_true_scores():
    call_command("seed_scale", leaders=40, networks=2, group_size=7, verbosity=0)
    networks = Network.objects.filter(slug__startswith="scale-")
    assert networks.count() == 2
    assert Organisation.unscoped.filter(network__in=networks).count() == 60
    assert Role.unscoped.filter(network__in=networks, kind="leader").count() == 40
    assert LeaderGroup.unscoped.filter(network__in=networks).count() == 6  # 20 = 7 + 7 + 6
    rounds = Round.unscoped.filter(network__in=networks)
    assert sorted(rounds.values_list("custom_name", flat=True)) == ["Gathering"] * 2 + ["Start"] * 2
    start = Response.unscoped.filter(round__custom_name="Start", network__in=networks)
    assert start.count() == 40 and not start.filter(submitted_at__isnull=True).exists()
    assert 30 <= Response.unscoped.filter(round__custom_name="Gathering").count() <= 40

    # every answer of a response: all items, today and ambition; ambition never below today
    response = start.first()
    items = response.round.instrument.dimensions.values_list("items", flat=True).count()
    assert Answer.objects.filter(response=response).count() == 2 * items
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT count(*) FROM assessments_answer t JOIN assessments_answer a
              ON a.response_id = t.response_id AND a.item_id = t.item_id
            WHERE t.kind = 'today' AND a.kind = 'ambition' AND a.value < t.value""")
        assert cursor.fetchone()[0] == 0

    # a score is the mean of its dimension's scale values, "don't know" left out
    score = DimensionScore.unscoped.filter(response=response).first()
    values = list(Answer.objects.filter(
        response=response, kind=score.kind, item__dimension=score.dimension,
        value__isnull=False).values_list("value", flat=True))
    assert score.score == pytest.approx(sum(values) / len(values))
    assert score.leader_group_id == response.leader_group_id

    with pytest.raises(CommandError, match="--replace"):
        call_command("seed_scale", leaders=40, networks=2, verbosity=0)
    call_command("seed_scale", leaders=10, networks=1, replace=True, verbosity=0)
    assert Network.objects.filter(slug__startswith="scale-").count() == 1
    assert Role.unscoped.filter(kind="leader", network__slug__startswith="scale-").count() == 10

"""The released totals (ReleasedTotal, issue 11) against the blocks they sum.

On random histories (hypothesis), every aggregate read from the totals equals the one summed
from the released blocks' rows, the way aggregation.round_results read them before the totals
existed; the data migration's statements write the same totals as the releases did; and a page
that reads fewer selections gets the same numbers for the ones it reads. Scores are quarters,
so every sum is exact whatever order it is added in and the comparison can be exact.
"""

import importlib
from collections import defaultdict
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.anonymity.aggregation import _aggregate, _Sums, round_results
from assessments.anonymity.blocks import release_pooled_blocks
from assessments.models import BlockKind, ReleasedScore, ReleasedTotal, Round
from tenancy.models import Network
from tests.factories import build_round, build_submission, make_group, make_organisation

pytestmark = pytest.mark.django_db

CODES = ("vision", "customer", "data")
SCORES = st.one_of(st.none(), st.integers(4, 20).map(lambda quarters: quarters / 4))
SUBMISSION = st.tuples(
    st.integers(0, 4),  # the unit: three groups, one group in a second organisation, none
    st.fixed_dictionaries({code: st.tuples(SCORES, SCORES) for code in CODES}))


def summed_from_blocks(round_):
    """{(scope, key): Aggregate} added up from the ReleasedScore rows, as before the totals."""
    round_ = (Round.objects.for_network(round_.network_id)
              .select_related("network", "instrument").get(pk=round_.pk))
    dimensions = list(round_.instrument.dimensions.select_related("area").order_by("position"))
    sums = defaultdict(lambda: defaultdict(_Sums))
    rows = (ReleasedScore.objects.for_network(round_.network).filter(round=round_)
            .values_list("dimension_id", "kind", "block__leader_group_id",
                         "block__organisation_id", "block__kind", "bucket", "count", "total",
                         "squares"))
    for dimension_id, kind, group_id, organisation_id, block_kind, *cell in rows:
        sums["round", None][dimension_id, kind].add(*cell)
        if block_kind == BlockKind.UNIT and group_id is not None:
            sums["group", group_id][dimension_id, kind].add(*cell)
        if block_kind == BlockKind.UNIT and organisation_id is not None:
            sums["organisation", organisation_id][dimension_id, kind].add(*cell)
    k = round_.network.anonymity_threshold
    return {selection: _aggregate(*selection, dimensions, cells, round_.instrument, k)
            for selection, cells in sums.items()}


def read_from_totals(round_):
    round_ = (Round.objects.for_network(round_.network_id)
              .select_related("network", "instrument").get(pk=round_.pk))
    results = round_results(round_)
    return {("round", None): results.network,
            **{("group", key): aggregate for key, aggregate in results.groups.items()},
            **{("organisation", key): aggregate
               for key, aggregate in results.organisations.items()}}


def stored_totals(round_):
    return set(ReleasedTotal.objects.for_network(round_.network_id).filter(round=round_)
               .values_list("network_id", "scope", "key", "dimension_id", "kind", "bucket",
                            "count", "total", "squares"))


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(submissions=st.lists(SUBMISSION, max_size=14), close=st.booleans())
def test_the_totals_equal_the_sums_of_the_blocks(world, submissions, close):
    # k = 3 (a k that can no longer change once people answered: set without the check)
    Network.objects.filter(pk=world.network.pk).update(anonymity_threshold=3)
    world.network.refresh_from_db()
    second = make_organisation(world.network)
    groups = [world.group, make_group(world.network, world.organisation),
              make_group(world.network, second)]
    units = [(groups[0], "group"), (groups[1], "group"), (groups[2], "group"),
             (groups[0], second), (None, world.organisation)]
    now = timezone.now()
    round_ = build_round(world, opens_at=now - timedelta(hours=3),
                         closes_at=now + timedelta(hours=1))
    for minute, (unit, scores) in enumerate(submissions):
        group, organisation = units[unit]
        build_submission(round_, group=group, organisation=organisation, scores=scores,
                         submitted_at=now - timedelta(hours=2) + timedelta(minutes=minute))
    if close:
        round_ = (Round.objects.for_network(round_.network_id)
              .select_related("network", "instrument").get(pk=round_.pk))
        release_pooled_blocks(round_, now + timedelta(hours=2))

    expected = summed_from_blocks(round_)
    read = read_from_totals(round_)
    assert read.keys() | {("round", None)} == expected.keys() | {("round", None)}
    for selection, aggregate in expected.items():
        assert read[selection].dimensions == aggregate.dimensions, selection

    # a page reading one group and no organisation gets that group's numbers
    if groups[0].pk in {key for scope, key in expected if scope == "group"}:
        round_ = (Round.objects.for_network(round_.network_id)
              .select_related("network", "instrument").get(pk=round_.pk))
        one = round_results(round_, group_ids=[groups[0].pk], organisation_ids=[])
        assert one.group(groups[0].pk).dimensions == expected["group", groups[0].pk].dimensions
        assert one.network.dimensions == read["round", None].dimensions
        assert not one.organisation_sums and set(one.group_sums) == {groups[0].pk}

    # the data migration writes the same rows the releases wrote
    written = stored_totals(round_)
    ReleasedTotal.objects.for_network(round_.network_id).filter(round=round_).delete()
    migration = importlib.import_module("assessments.migrations.0015_fill_released_totals")
    migration.fill_totals(None, SimpleNamespace(connection=connection))
    assert stored_totals(round_) == written

"""Pairs of leader groups from different organisations for a gathering, suggested from the
released anonymous numbers of the cohort's latest round only.

A pair is good when each group stands strong (today) where the other has its largest gap,
and when their organisations are of a similar size. Every number read here is a group's
released aggregate (assessments.anonymity.aggregation): a group below k has no largest gap
and no strength, and is paired on size alone; an unreleased answer changes nothing. Pages
show the reason in words ("they stand strong in X, where your gap is largest"), never a
number of the other group.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessments.anonymity.aggregation import round_results
from assessments.models import Round
from modules.models import GroupPair


@dataclass
class Suggestion:
    first: object
    second: object
    first_learns: object = None  # a Dimension, or None
    second_learns: object = None
    similar_size: bool = False


def _largest_gap(aggregate):
    gaps = [(row.gap, row.dimension) for row in aggregate.dimensions
            if getattr(row.gap, "shown", True) and row.gap > 0]
    return max(gaps, key=lambda pair: (pair[0], -pair[1].position))[1] if gaps else None


def _today(aggregate, dimension):
    row = aggregate.by_code().get(dimension.code) if dimension else None
    return row.today.mean if row is not None and row.today.shown else None


def _learns(learner, teacher, learner_gap):
    """The learner's largest gap, when the teacher stands higher there (both released)."""
    mine, theirs = _today(learner, learner_gap), _today(teacher, learner_gap)
    if mine is None or theirs is None or theirs <= mine:
        return None, 0
    return learner_gap, theirs - mine


def latest_round(network, cohort, now=None):
    return (Round.objects.for_network(network)
            .filter(cohort=cohort, opens_at__lte=now or timezone.now())
            .select_related("instrument", "network").order_by("-opens_at").first())


class _Released:
    """The groups' released aggregates in the cohort's latest round, read once."""

    def __init__(self, network, cohort, groups, now=None):
        round_ = latest_round(network, cohort, now)
        results = round_results(round_, now=now) if round_ else None
        self.aggregates = ({group.pk: results.group(group.pk) for group in groups}
                           if results else {})
        self.gaps = {pk: _largest_gap(aggregate) for pk, aggregate in self.aggregates.items()}

    def pair(self, first, second):
        """(score, Suggestion) for two groups."""
        first_learns = second_learns = None
        score = 0.0
        if self.aggregates:
            first_learns, gain = _learns(self.aggregates[first.pk],
                                         self.aggregates[second.pk], self.gaps[first.pk])
            second_learns, back = _learns(self.aggregates[second.pk],
                                          self.aggregates[first.pk], self.gaps[second.pk])
            score = gain + back
        similar = bool(first.organisation and second.organisation
                       and first.organisation.size_band
                       and first.organisation.size_band == second.organisation.size_band)
        return (score + (0.5 if similar else 0),
                Suggestion(first, second, first_learns, second_learns, similar))


def suggest(network, cohort, groups, now=None):
    """[Suggestion] pairing `groups` (with their organisations loaded) greedily by how much
    each may learn from the other, then by size; groups of one organisation are not paired."""
    released = _Released(network, cohort, groups, now)
    candidates = []
    for index, first in enumerate(groups):
        for second in groups[index + 1:]:
            if first.organisation_id == second.organisation_id:
                continue
            score, suggestion = released.pair(first, second)
            candidates.append((score, first.name, second.name, suggestion))
    candidates.sort(key=lambda entry: (-entry[0], entry[1], entry[2]))
    paired, suggestions = set(), []
    for _score, _first, _second, suggestion in candidates:
        if suggestion.first.pk in paired or suggestion.second.pk in paired:
            continue
        paired |= {suggestion.first.pk, suggestion.second.pk}
        suggestions.append(suggestion)
    return suggestions


def chosen_pairs(groups, partner_of):
    """[(group, partner)] from the form's choice per group ({group id: partner id as text});
    a group is in one pair at most, the first choice naming it wins."""
    by_pk = {str(group.pk): group for group in groups}
    chosen, used = [], set()
    for group in groups:
        partner = by_pk.get(partner_of.get(group.pk, ""))
        if partner is None or partner.pk == group.pk or {group.pk, partner.pk} & used:
            continue
        used |= {group.pk, partner.pk}
        chosen.append((group, partner))
    return chosen


def confirm(network, gathering, cohort, groups, chosen, person, now=None):
    """Store the facilitator's pairs [(first, second)] for the gathering (replacing earlier
    ones), each with its reason worked out as for a suggestion."""
    released = _Released(network, cohort, groups, now)
    with transaction.atomic():
        GroupPair.objects.for_network(network).filter(gathering=gathering).delete()
        for first, second in chosen:
            reason = released.pair(first, second)[1]
            GroupPair.objects.create(
                network=network, gathering=gathering, first=first, second=second,
                first_learns=reason.first_learns, second_learns=reason.second_learns,
                similar_size=reason.similar_size, confirmed_by=person)


def pairs_of_group(network, group):
    """The group's confirmed pairs, each as (gathering, the other group, what the group may
    learn, what the other may learn, similar size), newest gathering first."""
    rows = (GroupPair.objects.for_network(network).filter(Q(first=group) | Q(second=group))
            .select_related("gathering__cohort_module__module", "first__organisation",
                            "second__organisation", "first_learns", "second_learns")
            .order_by("-gathering__starts_at"))
    shown = []
    for pair in rows:
        if pair.first_id == group.pk:
            shown.append((pair.gathering, pair.second, pair.first_learns, pair.second_learns,
                          pair.similar_size))
        else:
            shown.append((pair.gathering, pair.first, pair.second_learns, pair.first_learns,
                          pair.similar_size))
    return shown

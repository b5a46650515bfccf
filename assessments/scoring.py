"""How a respondent's answers become scores (FORMAT.md §5), as plain functions.

Per dimension and per question (today, ambition): the mean of the items answered with a scale
value. "Don't know" and unanswered items are left out of both sum and count; a dimension with
no such item has no score at all (never 0). The submit service (taking/services.submit_response)
stores the result as DimensionScore rows; aggregates read those rows, never raw answers.
"""

import math
from collections import defaultdict

from assessments.models import DimensionScore


def score_answers(answers):
    """Score one respondent's answers, with no database access.

    `answers` is an iterable of `(dimension_id, kind, value)` tuples: `dimension_id` the
    Dimension's pk, `kind` "today" or "ambition", `value` the int on the scale or None for
    "don't know". Returns `{(dimension_id, kind): score}` (float means), with no entry for a
    dimension and kind that has no scale value at all. Example: values 2, 3, 4 -> 3.0;
    1, 2 and a "don't know" -> 1.5.
    """
    totals = defaultdict(lambda: [0, 0])
    for dimension_id, kind, value in answers:
        if value is None:
            continue
        total = totals[dimension_id, kind]
        total[0] += value
        total[1] += 1
    return {key: total / count for key, (total, count) in totals.items()}


def score_rows(response, scores):
    """Unsaved DimensionScore rows for a response and `score_answers`' result, with round,
    group, organisation and network copied from the response so aggregates need no join.

    For bulk loaders: `DimensionScore.objects.bulk_create(score_rows(response, scores))`."""
    return [
        DimensionScore(response=response, round_id=response.round_id,
                       network_id=response.network_id, leader_group_id=response.leader_group_id,
                       organisation_id=response.organisation_id, dimension_id=dimension_id,
                       kind=kind, score=score)
        for (dimension_id, kind), score in scores.items()
    ]


def level_of(score):
    """The step a score stands on for generations instruments: floor(score), or None.
    The one generation rule: the results pages, the PDF and the distributions use it.

    2.75 is generation 2: the next step is not reached on every item yet."""
    if score is None:
        return None
    return math.floor(score)


def distribution_offset(instrument):
    """A released block counts a score in a distribution at floor(score + offset)
    (anonymity/blocks.py): 0 gives level_of, the generation reached, for generations
    instruments; 0.5 the nearest whole value (halves up) for the others."""
    return 0.0 if instrument.has_levels else 0.5


def overall_score(scores):
    """The mean of a respondent's dimension scores for one question, or None without any."""
    scores = [score for score in scores if score is not None]
    if not scores:
        return None
    return sum(scores) / len(scores)


def gap(today, ambition):
    """Ambition minus today for one dimension, when both exist: what the group plans from."""
    if today is None or ambition is None:
        return None
    return ambition - today

"""Filters that print aggregate values: a Suppressed always prints as "not shown"."""

import math

from django import template
from django.utils.translation import gettext as _

from assessments.results import charts

register = template.Library()


@register.filter
def score(value):
    """{{ cell|score }}: a mean (or number) with one decimal, "not shown" when suppressed,
    "–" when there is none."""
    if value is None or value == "":
        return "–"
    return charts.format_value(value)


@register.filter
def gap(value):
    """{{ number|gap }}: a signed difference such as +0.8, "–" when there is none."""
    return charts.format_gap(value)


@register.filter
def answers(cell):
    """{{ cell|answers }}: how many scores a shown cell holds, else an empty string."""
    return cell.respondents if getattr(cell, "shown", False) else ""


@register.filter
def generation(value):
    """{{ score_or_cell|generation }}: the step reached, floor(score), as "generation 3";
    "–" without a score or when suppressed."""
    value = charts.number(value)
    if value is None:
        return "–"
    return _("generation %(level)s") % {"level": math.floor(value)}

"""Filters that print aggregate values with assessments/anonymity/presenter.py, the wording the
PDF report uses too: a Suppressed always prints as "not shown"."""

from django import template
from django.utils.translation import gettext as _

from assessments.anonymity import presenter
from assessments.scoring import level_of

register = template.Library()


@register.filter
def score(value):
    """{{ cell|score }}: a mean (or number) with one decimal, "not shown" when suppressed,
    "–" when there is none."""
    return presenter.format_value(None if value == "" else value)


@register.filter
def gap(value):
    """{{ number|gap }}: a signed difference such as +0.8, "–" when there is none."""
    return presenter.format_gap(value)


@register.filter
def answers(cell):
    """{{ cell|answers }}: how many scores a shown cell holds, else an empty string."""
    return presenter.format_count(cell)


@register.filter
def spread(cell):
    """{{ cell|spread }}: the cell's standard deviation, rounded like a mean."""
    return presenter.format_spread(cell)


@register.filter
def hidden_reason(k):
    """{{ k|hidden_reason }}: "not shown: fewer than k answered"."""
    return presenter.hidden_reason(k)


@register.simple_tag
def hidden_note(label, k):
    """{% hidden_note label k %}: "<label>: not shown: fewer than k answered."."""
    return presenter.hidden_note(label, k)


@register.filter
def generation(value):
    """{{ score_or_cell|generation }}: the step reached (scoring.level_of) as "generation 3";
    "–" without a score or when suppressed."""
    if value is None or value == "" or getattr(value, "shown", True) is False:
        return presenter.NONE
    # the step of the score itself (an aggregate's mean is released at one decimal already)
    level = level_of(float(getattr(value, "mean", value)))
    if level is None:
        return presenter.NONE
    return _("generation %(level)s") % {"level": level}

"""How aggregate values read: the one wording for the web pages, the charts and the PDF report.

A value that may not be shown (a `Suppressed`, see aggregation.py) reads "not shown" where a
number would stand, and "not shown: fewer than k answered" where the reason is given (a note,
a chart row with nothing to draw). Numbers have one decimal, rounded half up in the active
language; spreads, means, gaps and changes alike. Counts are written only when shown.
`shown` is that precision as a number: aggregation.py rounds every mean and spread with it
before anything reads them, and `number` (which the charts use for every coordinate) too.
"""

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import formats, translation
from django.utils.autoreload import file_changed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

NONE = "–"


SHOWN_DIGITS = 1


def shown(value, digits=SHOWN_DIGITS):
    """A number at the precision people see (one decimal, half up), as a float: what
    aggregation.py releases and what charts compute coordinates from, so no page, chart,
    table or file carries a finer value than the one written on it."""
    return _shown(float(value), digits)


@lru_cache(maxsize=8192)
def _shown(value, digits):
    return float(_rounded(value, digits))


@lru_cache(maxsize=8192)
def _rounded(value, digits):
    """A float rounded half up to `digits` decimals, as a Decimal; remembered, as the pages
    round the same few values hundreds of times (issue 11)."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)


@lru_cache(maxsize=8192)
def _rounded_text(value, digits):
    return f"{_rounded(value, digits):f}"


def number(value):
    """A number, an aggregate's cell (its mean) or None / a Suppressed (None), at the
    precision shown."""
    if value is None or getattr(value, "shown", True) is False:
        return None
    return shown(getattr(value, "mean", value))


class Wording:
    """The rules below for one language, with what they look up (the decimal mark, "not
    shown") found once: a results page writes some hundred numbers, and asking Django for the
    active language costs more than writing one (issue 11). `wording()` gives the active
    language's; the module's functions use it."""

    def __init__(self, language):
        self.mark = formats.get_format("DECIMAL_SEPARATOR", language)
        with translation.override(language):
            self.hidden = _("not shown")
        self.zero = self.number(0)

    def number(self, value, digits=1):
        """A number with the language's decimal mark, rounded half up (Django's own
        number_format cuts digits off instead of rounding)."""
        text = _rounded_text(float(value), digits)
        return text.replace(".", self.mark) if digits else text

    def value(self, value, digits=1):
        """A mean (or a number) with one decimal; a hidden value as "not shown", none as
        "–"."""
        return NONE if value is None else self.shown_value(value, number(value), digits)

    def shown_value(self, value, shown_number, digits=1):
        """value() for a caller that has `number(value)` at hand already (a chart's row)."""
        if value is None:
            return NONE
        if shown_number is None:
            return self.hidden
        return self.number(shown_number, digits)

    def gap(self, value):
        """A signed difference such as +0.8, ±0.0 or −1.2; "–" when there is none or it is
        hidden (a gap or change of hidden values is itself hidden: no number is hinted at)."""
        value = number(value)
        if value is None:
            return NONE
        text = self.number(abs(value))
        if text == self.zero:
            return "±" + text
        return ("+" if value > 0 else "−") + text


@lru_cache(maxsize=16)
def _wording(language):
    return Wording(language)


def wording():
    """The active language's Wording."""
    return _wording(get_language())


@receiver(setting_changed)
@receiver(file_changed)
def forget_wordings(**kwargs):
    """A setting changed (tests) or runserver saw a catalogue change."""
    _wording.cache_clear()


def number_format(value, digits=1):
    """Wording.number in the active language."""
    return wording().number(value, digits)


def hidden_value():
    """What stands where a hidden value would (Wording.hidden in the active language)."""
    return wording().hidden


def hidden_reason(k):
    """Why a value is hidden: the one wording of "fewer than k"."""
    return _("not shown: fewer than %(k)s answered") % {"k": k}


def hidden_note(label, k):
    """A sentence saying that a whole selection (a group, the network) is hidden."""
    return _("%(group)s: %(message)s.") % {"group": label, "message": hidden_reason(k)}


def format_value(value, digits=1):
    """Wording.value in the active language."""
    return wording().value(value, digits)


def format_gap(value):
    """Wording.gap in the active language."""
    return wording().gap(value)


def format_spread(cell):
    """How much the people in a cell disagree (its standard deviation), like a mean."""
    return number_format(cell.spread, 1) if getattr(cell, "shown", False) else hidden_value()


def format_count(cell):
    """How many scores a shown cell or aggregate holds; nothing for a hidden one."""
    return str(cell.respondents) if getattr(cell, "shown", False) else ""


def group_labels(groups):
    """Group names, led by the organisation's where two groups share a name, and numbered
    where even that is shared (two "Ledergruppen" of one municipality): every label on a
    page tells its group apart. `groups` need their organisation."""
    return labels_of([(group.name, group.organisation.name if group.organisation else None)
                      for group in groups])


def labels_of(names):
    """group_labels of [(group name, organisation name or None)]."""
    times = Counter(name for name, _organisation in names)
    labels = [f"{organisation}: {name}" if times[name] > 1 and organisation else name
              for name, organisation in names]
    shared = {label for label, count in Counter(labels).items() if count > 1}
    seen = {}
    numbered = []
    for label in labels:
        if label in shared:
            seen[label] = seen.get(label, 0) + 1
            label = f"{label} ({seen[label]})"
        numbered.append(label)
    return numbered

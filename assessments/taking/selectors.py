"""Reads for the leader's own test: progress, where to resume, the questions of one page.

Every read here starts from the leader's own response; the number of queries of a page is
fixed, whatever the number of items, answers or leaders.
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Count

from assessments.models import AnswerKind, Instrument, Item, Response

DONT_KNOW = "dk"


def field_name(item_id, kind):
    """The form field of one question of one item: a-<item id>-<today|ambition>."""
    return f"a-{item_id}-{kind}"


def own_response(round_, person):
    return (Response.objects.for_network(round_.network_id)
            .filter(round=round_, person=person).select_related("leader_group").first())


@dataclass
class DimensionProgress:
    number: int
    dimension: object
    questions: int
    answered: int

    @property
    def missing(self):
        return self.questions - self.answered

    @property
    def complete(self):
        return self.answered >= self.questions


@dataclass
class Progress:
    dimensions: list

    @property
    def total(self):
        return sum(d.questions for d in self.dimensions)

    @property
    def answered(self):
        return sum(d.answered for d in self.dimensions)

    @property
    def missing(self):
        return self.total - self.answered

    @property
    def resume_number(self):
        """The first page with a question left, or None when everything is answered."""
        return next((d.number for d in self.dimensions if not d.complete), None)

    def step(self, number):
        if 1 <= number <= len(self.dimensions):
            return self.dimensions[number - 1]
        return None


@dataclass(frozen=True)
class Layout:
    """An instrument's dimensions in order (with item_count), each dimension's items in order
    and each item's dimension."""

    dimensions: tuple
    items_of_dimension: dict
    dimension_of_item: dict


def layout_of(instrument):
    """The instrument's layout, read once per process: a published instrument version never
    changes (instruments_io), and every autosave and page of the test needs it (issue 11).
    Keyed by the moment of publishing too, so a reused id can never meet an old layout."""
    return _layout(instrument.pk, instrument.published_at)


@lru_cache(maxsize=64)
def _layout(instrument_id, published_at):
    instrument = Instrument.objects.get(pk=instrument_id)
    dimensions = tuple(instrument.dimensions.annotate(item_count=Count("items"))
                       .order_by("position"))
    items = list(Item.objects.filter(dimension__instrument=instrument).order_by("position"))
    return Layout(
        dimensions=dimensions,
        items_of_dimension={dimension.pk: tuple(item for item in items
                                                if item.dimension_id == dimension.pk)
                            for dimension in dimensions},
        dimension_of_item={item.pk: item.dimension_id for item in items})


# How long reading and answering one item takes: longer when the item has its own step
# descriptions (generations) than on a shared agree-disagree scale.
SECONDS_PER_ITEM_WITH_OWN_STEPS = 45
SECONDS_PER_ITEM_ON_SHARED_SCALE = 20


def minutes_to_answer(instrument):
    """About how many minutes the whole test takes, in steps of five: the one figure both the
    module page and the test's introduction state (issue 15)."""
    seconds = sum(SECONDS_PER_ITEM_WITH_OWN_STEPS if item.options
                  else SECONDS_PER_ITEM_ON_SHARED_SCALE
                  for items in layout_of(instrument).items_of_dimension.values()
                  for item in items)
    return max(5, math.ceil(seconds / 300) * 5)


def progress_of(instrument, response):
    """Questions and answers per dimension, in one query (none without a response)."""
    answered = []
    if response is not None:
        answered = response.answers.values_list("item_id", flat=True)
    return progress_from(instrument, answered)


def progress_from(instrument, answered_item_ids):
    """Progress from the item id of every answer given (one per item and question)."""
    layout = layout_of(instrument)
    answered = Counter(layout.dimension_of_item.get(item_id) for item_id in answered_item_ids)
    kinds = len(instrument.answer_kinds)
    return Progress([
        DimensionProgress(number=number, dimension=dimension,
                          questions=dimension.item_count * kinds,
                          answered=answered[dimension.pk])
        for number, dimension in enumerate(layout.dimensions, start=1)])


@dataclass
class Question:
    """One of the questions asked for every item (today, ambition): one radio group."""

    kind: str
    field: str
    label: dict
    chosen: object = None  # the Step chosen, if any
    saved_at: int = 0  # when the chosen answer was saved (Unix time), for static/js/drafts.js

    @property
    def short_label(self):
        """"Today" or "Ambition": a column heading short enough for a phone."""
        return AnswerKind(self.kind).label


@dataclass
class Choice:
    """One radio button: one question answered with one step."""

    question: Question
    id: str
    checked: bool


@dataclass
class Step:
    """One step of an item's scale, shown once with a choice for each question (issue 15)."""

    value: str
    label: dict
    id: str  # of the step's description, which names each of its radio buttons
    choices: list = field(default_factory=list)


@dataclass
class ItemView:
    item: object
    questions: list
    steps: list


def page_items(instrument, dimension, response):
    """The items of one dimension with their steps, questions and the leader's answers."""
    items = layout_of(instrument).items_of_dimension[dimension.pk]
    given = {}
    if response is not None:
        given = {(item_id, kind): (DONT_KNOW if dont_know else str(value), answered_at)
                 for item_id, kind, value, dont_know, answered_at in response.answers
                 .filter(item__in=items)
                 .values_list("item_id", "kind", "value", "dont_know", "answered_at")}
    scale_labels = instrument.scale_labels
    kind_labels = instrument.answer_kind_labels
    views = []
    for item in items:
        labels = ({option["value"]: option["label"] for option in item.options}
                  if item.options else scale_labels)
        scale = [(str(value), labels.get(value, {}))
                 for value in range(instrument.scale_min, instrument.scale_max + 1)]
        if instrument.allow_dont_know:
            scale.append((DONT_KNOW, instrument.dont_know_label))
        questions, chosen_values = [], []
        for kind in instrument.answer_kinds:
            chosen, answered_at = given.get((item.pk, kind), (None, None))
            questions.append(Question(
                kind=kind, field=field_name(item.pk, kind), label=kind_labels.get(kind, {}),
                saved_at=int(answered_at.timestamp()) if answered_at else 0))
            chosen_values.append(chosen)
        steps = []
        for value, label in scale:
            step = Step(value=value, label=label, id=f"step-{item.pk}-{value}")
            for question, chosen in zip(questions, chosen_values, strict=True):
                step.choices.append(Choice(question=question, id=f"{question.field}-{value}",
                                           checked=chosen == value))
                if chosen == value:
                    question.chosen = step
            steps.append(step)
        views.append(ItemView(item=item, questions=questions, steps=steps))
    return views


def parse_answer_fields(data, instrument):
    """[(item_id, kind, value or None)] from form fields a-<item>-<kind> = 1..max | dk;
    fields that are not answers are skipped, malformed answers raise ValueError."""
    parsed = []
    for name, raw in data.items():
        if not name.startswith("a-"):
            continue
        _prefix, item_id, kind = name.split("-", 2)
        if kind not in instrument.answer_kinds:
            raise ValueError(name)
        value = None if raw == DONT_KNOW else int(raw)
        parsed.append((int(item_id), kind, value))
    return parsed

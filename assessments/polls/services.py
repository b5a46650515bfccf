"""Writes of polls and evaluations. Each owns its transaction; an answer is one short
transaction under the poll's row lock: insert it, and release a block when it makes k."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from assessments.anonymity.blocks import release_poll_blocks
from assessments.models import Poll, PollAnswer, PollKind, PollPurpose

EVALUATION_DAYS = 14
# The evaluation's statements, each answered from 1 (disagree) to 5 (agree). No free text:
# a sentence can give its writer away by its content or style, and Bro's rule is that free
# text is never shown in aggregates (README, "Evaluation of a gathering").
EVALUATION_ITEMS = (
    ("worth", _("The gathering was worth my time.")),
    ("relevant", _("The talks and cases were relevant to my organisation.")),
    ("dialogue", _("The dialogue in and across leader groups was useful.")),
    ("action", _("I leave with something my leader group will act on.")),
    ("organised", _("The gathering was well organised.")),
)


def _in_every_language(text):
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(text)
    return texts


def create_poll(gathering, *, kind, question, options, created_by):
    """A live poll, not yet open; its texts are in the facilitator's language."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return Poll.objects.create(
        network_id=gathering.network_id, gathering=gathering, purpose=PollPurpose.LIVE,
        kind=kind, question={language: question},
        options=[{language: option} for option in options] if kind == PollKind.CHOICE else [],
        created_by=created_by)


def open_poll(poll, now=None):
    """Open a live poll on the screen; another open poll of the gathering closes, so the
    leaders' phones show one question at a time."""
    now = now or timezone.now()
    with transaction.atomic():
        (Poll.objects.for_network(poll.network_id)
         .filter(gathering_id=poll.gathering_id, purpose=PollPurpose.LIVE,
                 opened_at__isnull=False, closes_at__isnull=True)
         .exclude(pk=poll.pk).update(closes_at=now))
        if poll.opened_at is None:
            poll.opened_at = now
            poll.save(update_fields=["opened_at"])


def close_poll(poll, now=None):
    """No more answers; what was released stays, answers below k are never shown."""
    if poll.opened_at is not None and poll.closes_at is None:
        poll.closes_at = now or timezone.now()
        poll.save(update_fields=["closes_at"])


def answer_poll(network, poll_id, person, value, now=None):
    """Store a leader's answer once, and release a block when it completes k. Returns False
    when the poll is not open or the person had already answered (nothing changes then)."""
    return answer_polls(network, {poll_id: value}, person, now)


def answer_polls(network, values, person, now=None):
    """Answers to several polls at once (an evaluation's items), all or none, under the row
    locks of every poll taken in id order, so each poll's blocks hold the same people."""
    now = now or timezone.now()
    with transaction.atomic():
        polls = list(Poll.objects.for_network(network).select_for_update()
                     .filter(pk__in=list(values)).order_by("pk"))
        if len(polls) != len(values) or not all(
                poll.is_open(now) and poll.scale_min <= values[poll.pk] <= poll.scale_max
                for poll in polls):
            return False
        # Under the locks nobody else answers these polls now; the unique constraint backs it.
        if PollAnswer.objects.for_network(network).filter(poll__in=polls, person=person).exists():
            return False
        PollAnswer.objects.bulk_create(
            PollAnswer(network=network, poll=poll, person=person, value=values[poll.pk],
                       answered_at=now) for poll in polls)
        for poll in polls:
            poll.network = network
            release_poll_blocks(poll)
    return True


def open_evaluation(gathering, *, created_by, now=None):
    """The gathering's evaluation, open to its leaders for EVALUATION_DAYS; once per
    gathering (a second call returns the items already there)."""
    now = now or timezone.now()
    with transaction.atomic():
        existing = list(Poll.objects.for_network(gathering.network_id).select_for_update()
                        .filter(gathering=gathering, purpose=PollPurpose.EVALUATION))
        if existing:
            return existing
        return Poll.objects.bulk_create(
            Poll(network_id=gathering.network_id, gathering=gathering,
                 purpose=PollPurpose.EVALUATION, kind=PollKind.SCALE, code=code,
                 position=position, question=_in_every_language(text), created_by=created_by,
                 opened_at=now, closes_at=now + timedelta(days=EVALUATION_DAYS))
            for position, (code, text) in enumerate(EVALUATION_ITEMS, start=1))

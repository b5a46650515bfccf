"""Reads of polls and evaluations. A person's own answers are read only as "has answered";
everything about other people's answers comes from assessments.anonymity.aggregation, which
reads the released blocks only."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.anonymity.aggregation import poll_results
from assessments.models import Poll, PollAnswer, PollKind, PollPurpose
from assessments.policies import polls_person_can_answer, polls_person_runs
from cohorts.policies import gatherings_person_can_register_for
from tenancy.translated import translated

# Phones look for a new question every PHONE_REFRESH_SECONDS while a gathering of theirs is
# on (or about to start).
WATCH_BEFORE = timedelta(hours=2)
PHONE_REFRESH_SECONDS = 15

_LIVE_STATE = """
SELECT (SELECT count(*) FROM assessments_pollanswer WHERE network_id = %s AND poll_id = %s),
       (SELECT max(id) FROM assessments_pollblock WHERE network_id = %s AND poll_id = %s)
"""


def value_labels(poll):
    """[(value, label)] of a poll's answers: its options, or the scale's ends named."""
    if poll.kind == PollKind.CHOICE:
        return [(value, translated(option)) for value, option in enumerate(poll.options, 1)]
    if poll.purpose == PollPurpose.EVALUATION:
        ends = {1: _("1 – disagree"), 5: _("5 – agree")}
    else:
        ends = {1: _("1 – low"), 5: _("5 – high")}
    return [(value, ends.get(value, str(value))) for value in range(1, 6)]


@dataclass
class PollView:
    """A poll with how many answered (exact: it says who took part, never what) and its
    result: a CellStats of whole released blocks, or a Suppressed."""

    poll: Poll
    answered: int
    result: object

    @property
    def question(self):
        return translated(self.poll.question)

    @property
    def rows(self):
        """[(label, how many)] when the result may be shown."""
        if not self.result.shown:
            return []
        counts = dict(self.result.distribution)
        return [(label, counts.get(value, 0)) for value, label in value_labels(self.poll)]

    @property
    def labels(self):
        return value_labels(self.poll)


def _views(network, polls):
    results = poll_results(network, polls)
    return [PollView(poll, poll.answered_count, results[poll.pk]) for poll in polls]


def gathering_polls(network, roles, gathering):
    """(live polls, evaluation items) of a gathering for the people who run it, with counts
    and released results (two queries)."""
    polls = list(polls_person_runs(network, roles).filter(gathering=gathering)
                 .annotate(answered_count=Count("answers")).order_by("position", "created_at",
                                                                      "pk"))
    views = _views(network, polls)
    return ([view for view in views if view.poll.purpose == PollPurpose.LIVE],
            [view for view in views if view.poll.purpose == PollPurpose.EVALUATION])


def poll_view(network, poll):
    poll.answered_count = PollAnswer.objects.for_network(network).filter(poll=poll).count()
    return _views(network, [poll])[0]


def poll_live_key(network, poll, language):
    """The cache key of a poll screen's live part: what it shows (the answers counted, the
    last released block, whether it is open), read in one small query, with k and language."""
    with connection.cursor() as cursor:  # asked on every refresh of every screen: plain SQL
        cursor.execute(_LIVE_STATE, [network.pk, poll.pk, network.pk, poll.pk])
        answered, last_block = cursor.fetchone()
    closes = poll.closes_at.timestamp() if poll.closes_at else ""
    return (f"assessments:poll-live:{poll.pk}:{language}:{network.anonymity_threshold}:"
            f"{closes}:{answered or 0}:{last_block or 0}")


@dataclass
class LeaderPolls:
    """What a leader's phone shows on What's next: the open live poll(s) of their gatherings,
    the evaluations still to answer, and whether to look again for a new question."""

    live: list
    evaluations: list
    watch: bool


def leader_polls(network, person, roles, now=None, gatherings=None):
    """One query for the open polls, and one more to know whether a gathering of theirs is
    on, unless their `gatherings` are given (What's next has them already)."""
    now = now or timezone.now()
    if not roles.led_group_ids:
        return LeaderPolls([], [], False)
    answered = PollAnswer.objects.for_network(network).filter(poll=OuterRef("pk"), person=person)
    polls = list(polls_person_can_answer(network, roles)
                 .filter(opened_at__lte=now).filter(Q(closes_at__isnull=True)
                                                     | Q(closes_at__gt=now))
                 .annotate(answered=Exists(answered))
                 .select_related("gathering__cohort_module__module")
                 .order_by("position", "opened_at", "pk"))
    live = [poll for poll in polls if poll.purpose == PollPurpose.LIVE]
    for poll in live:
        poll.labels = value_labels(poll)
    evaluations = []
    for poll in polls:
        if (poll.purpose == PollPurpose.EVALUATION and not poll.answered
                and poll.gathering not in evaluations):
            evaluations.append(poll.gathering)
    # A question waiting for this leader's answer is not refreshed away while they choose.
    if any(not poll.answered for poll in live):
        return LeaderPolls(live, evaluations, False)
    if live:
        return LeaderPolls(live, evaluations, True)
    if gatherings is not None:
        watch = any(gathering.starts_at <= now + WATCH_BEFORE and gathering.ends_at >= now
                    for gathering in gatherings)
    else:
        watch = gatherings_person_can_register_for(network, roles).filter(
            starts_at__lte=now + WATCH_BEFORE, ends_at__gte=now).exists()
    return LeaderPolls(live, evaluations, watch)


def evaluation_items(network, roles, gathering, person, now=None):
    """(the gathering's open evaluation items, whether the person has answered them)."""
    now = now or timezone.now()
    items = [poll for poll in polls_person_can_answer(network, roles)
             .filter(gathering=gathering, purpose=PollPurpose.EVALUATION).order_by("position")
             if poll.is_open(now)]
    answered = bool(items) and PollAnswer.objects.for_network(network).filter(
        poll__in=items, person=person).exists()
    return items, answered

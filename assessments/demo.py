"""The demo's instruments, rounds and answers (see seed_demo).

Every running demo cohort gets an open start round of digital maturity and one of the
capabilities, answered and submitted through the services (so scores are computed) by most of
its leaders: some groups reach the anonymity threshold, some stay below it so suppression
shows. The demo sign-in leaders have not answered, so they can take the test themselves.
Rounds have the name that says when (in each reader's language) and are found by cohort,
instrument and purpose, answers by person: seeding twice changes nothing.
"""

import random
from datetime import time, timedelta

from django.db.models import F
from django.utils import timezone

from assessments import services
from assessments.instruments_io import load_shipped_instruments
from assessments.models import Item, Response, Round, RoundPurpose
from assessments.taking import services as answering
from cohorts.schedule import local_datetime
from tenancy.models import Role, RoleKind

INSTRUMENTS = ["digital-maturity", "capabilities"]
# Opened at 08:00 ten days ago, closing at 23:59 in twenty days.
OPENED_DAYS_AGO, CLOSES_IN_DAYS = 10, 20
OPENS_AT, CLOSES_AT = time(8, 0), time(23, 59)
# Where a group's answers lie today (on the instrument's scale) and how far its ambition
# reaches beyond; each leader then spreads around the group.
TODAY_RANGE = {"digital-maturity": (1.6, 2.9), "capabilities": (2.4, 3.6)}
AMBITION_STEP = (0.8, 1.7)
PERSONAL_SPREAD = 0.7
DONT_KNOW_SHARE = 0.05
# Leaders who leave the capabilities round unanswered, so a group drops below k there.
SKIP_CAPABILITIES = {"Marianne Thorsen", "Niels Ejnar Poulsen"}


def seed(demo):
    instruments = {result.instrument.slug: result.instrument
                   for result in load_shipped_instruments()}
    cohorts = getattr(demo, "cohorts", {})
    sign_in_emails = {email.lower() for role, email, _mfa in demo.sign_ins
                      if role.startswith("leader")}
    today = timezone.localdate()
    opens_at = local_datetime(today - timedelta(days=OPENED_DAYS_AGO), OPENS_AT)
    closes_at = local_datetime(today + timedelta(days=CLOSES_IN_DAYS), CLOSES_AT)
    demo.rounds = getattr(demo, "rounds", [])
    for network in demo.networks:
        cohort = cohorts.get(network.slug)
        if cohort is None:
            continue
        for slug in INSTRUMENTS:
            instrument = instruments[slug]
            round_ = Round.objects.for_network(network).filter(
                cohort=cohort, instrument__slug=slug, purpose=RoundPurpose.START).first()
            if round_ is None:
                round_ = services.schedule_round(
                    cohort, instrument=instrument, name="", purpose=RoundPurpose.START,
                    opens_at=opens_at, closes_at=closes_at)
            demo.rounds.append(round_)
            _answer(round_, cohort, sign_in_emails)


def _respondents(round_, cohort, sign_in_emails):
    """(person, group) for every leader of the cohort's groups, once each: a leader in two
    groups answers for the group of their own organisation."""
    roles = (Role.objects.for_network(round_.network_id)
             .filter(kind=RoleKind.LEADER, leader_group__in=cohort.leader_groups.all())
             .select_related("person", "leader_group__organisation")
             .order_by(F("leader_group__organisation").asc(nulls_last=True),
                       "leader_group__name", "pk"))
    seen = {}
    for role in roles:
        if role.person.email.lower() in sign_in_emails:
            continue
        if (round_.instrument.slug == "capabilities"
                and role.person.name in SKIP_CAPABILITIES):
            continue
        seen.setdefault(role.person_id, (role.person, role.leader_group))
    return list(seen.values())


def _answer(round_, cohort, sign_in_emails):
    instrument = round_.instrument
    answered = set(Response.objects.for_network(round_.network_id).filter(round=round_)
                   .values_list("person_id", flat=True))
    items = list(Item.objects.filter(dimension__instrument=instrument)
                 .select_related("dimension").order_by("dimension__position", "position"))
    for person, group in _respondents(round_, cohort, sign_in_emails):
        if person.pk in answered:
            continue
        response = answering.start_response(round_, person, group)
        answering.save_answers(response, _answers(instrument, items, group, person))
        answering.submit_response(response)


def _answers(instrument, items, group, person):
    """Realistic answers: the group's picture of each dimension, each leader a little off."""
    group_random = random.Random(f"{instrument.slug}/{group.organisation}/{group.name}")
    low, high = TODAY_RANGE.get(instrument.slug, (2.0, 3.5))
    group_level = group_random.uniform(low, high)
    dimension_today, dimension_step = {}, {}
    for item in items:
        code = item.dimension.code
        if code not in dimension_today:
            dimension_today[code] = group_level + group_random.uniform(-0.6, 0.6)
            dimension_step[code] = group_random.uniform(*AMBITION_STEP)
    own = random.Random(f"{instrument.slug}/{person.email}")
    optimism = own.gauss(0, 0.35)
    answers = []
    for item in items:
        code = item.dimension.code
        today = dimension_today[code] + optimism + own.gauss(0, PERSONAL_SPREAD)
        ambition = today + dimension_step[code] + own.gauss(0, 0.4)
        for kind, value in (("today", today), ("ambition", max(ambition, today))):
            if instrument.allow_dont_know and own.random() < DONT_KNOW_SHARE:
                answers.append((item, kind, None))
            else:
                answers.append((item, kind, _on_scale(value, instrument)))
    return answers


def _on_scale(value, instrument):
    return max(instrument.scale_min, min(instrument.scale_max, round(value)))

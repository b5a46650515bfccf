"""A national-scale dataset for measuring Bro (DESIGN.md section 6), on PostgreSQL.

    manage.py seed_scale --leaders 50000          # 50 networks, 1,500 organisations
    manage.py seed_scale --leaders 300 --replace  # one network of 300 leaders

Networks get slugs starting with "scale-" and people emails at scale.bro.example; a second
run refuses while such a dataset exists, and --replace removes it first. Per network: 30
organisations, leader groups of about seven, a coordinator per organisation, a facilitator,
a network admin and one cohort with two rounds: "Start" (closed 100 days ago) of the
capabilities instrument (58 items), answered by every leader, and "Gathering" (open now) of
the competence wheel (36 items), answered by about 95 %; every item today and ambition, so
50,000 leaders give about 9.4 million answers. People, roles and the structure are made with
bulk_create; answers and scores are generated inside PostgreSQL (INSERT ... SELECT, two
connections at once), the scores with the rule of FORMAT.md section 5: per dimension and
question the mean of the items answered with a scale value, "don't know" left out.
"""

import math
import time
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from assessments.anonymity.blocks import release_round
from assessments.instruments_io import load_shipped_instruments
from assessments.models import DimensionScore, Instrument, Response, Round
from cohorts.models import Cohort, CohortFacilitator, CohortGroup, CohortOrganisation
from programmes.models import Programme
from tenancy.models import LeaderGroup, Network, Organisation, Person, Role, RoleKind
from tenancy.scoping import platform_wide

SLUG_PREFIX = "scale-"
EMAIL_DOMAIN = "scale.bro.example"
INSTRUMENTS = ("capabilities", "competence-wheel")
LEADERS_PER_NETWORK = 1000
ORGANISATIONS_PER_NETWORK = 30
WORKERS = 2  # database connections generating answers at once (DESIGN.md: two cores)


def scale_networks():
    return Network.objects.filter(slug__startswith=SLUG_PREFIX)


class Command(BaseCommand):
    help = "Generate a national-scale dataset (networks scale-*) for benchmarks. PostgreSQL only."

    def add_arguments(self, parser):
        parser.add_argument("--leaders", type=int, default=50000)
        parser.add_argument("--networks", type=int, default=None,
                            help="Default: one per 1,000 leaders, at most 50.")
        parser.add_argument("--group-size", type=int, default=7)
        parser.add_argument("--replace", action="store_true",
                            help="Remove an existing scale dataset first.")
        parser.add_argument("--seed", type=float, default=0.42)

    @platform_wide()
    def handle(self, *args, leaders, networks, group_size, replace, seed, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_scale needs PostgreSQL (set DATABASE_URL).")
        if leaders < 1 or group_size < 1:
            raise CommandError("--leaders and --group-size must be at least 1.")
        if scale_networks().exists():
            if not replace:
                raise CommandError("A scale dataset exists; run again with --replace.")
            self._step("removed the earlier scale dataset", remove_scale_dataset)
        networks = networks or max(1, min(50, round(leaders / LEADERS_PER_NETWORK)))
        started = time.monotonic()
        instruments = self._step("instruments", load_instruments)
        structure = self._step(
            "networks, organisations, groups, people, roles, cohorts, rounds",
            lambda: create_structure(leaders, networks, group_size, instruments))
        batches = list(_batches(structure, 2))
        self._step(f"answers and scores ({WORKERS} connections)", lambda: _in_parallel(
            generate_answers, [(ids, (seed + n / len(batches)) % 1)
                               for n, ids in enumerate(batches)]))
        self._step("analyse", analyse)
        total = Response.objects.filter(network__slug__startswith=SLUG_PREFIX).count()
        self.stdout.write(self.style.SUCCESS(
            f"{leaders} leaders in {networks} networks, {total} responses, "
            f"in {time.monotonic() - started:.0f} s."))

    def _step(self, label, function):
        started = time.monotonic()
        result = function()
        self.stdout.write(f"  {label}: {time.monotonic() - started:.1f} s")
        return result


def _in_parallel(function, argument_lists):
    """Each thread runs in a copy of the caller's context, so in its platform-wide scope."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for future in [pool.submit(copy_context().run, function, *arguments)
                       for arguments in argument_lists]:
            future.result()


def _batches(items, size):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def remove_scale_dataset():
    """The bulk rows with SQL (the ORM would load millions), the rest through the ORM so
    every other table's cascades apply."""
    ids = list(scale_networks().values_list("pk", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("""DELETE FROM assessments_answer WHERE response_id IN (
                            SELECT id FROM assessments_response WHERE network_id = ANY(%s))""",
                       [ids])
        cursor.execute("DELETE FROM assessments_dimensionscore WHERE network_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM assessments_response WHERE network_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM assessments_releasedscore WHERE network_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM assessments_releasedblock WHERE network_id = ANY(%s)", [ids])
        scale_networks().delete()
        Person.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()


def load_instruments():
    load_shipped_instruments()
    return [Instrument.objects.filter(slug=slug).order_by("-version").first()
            for slug in INSTRUMENTS]


def _text(value):
    return {"nb": value, "da": value, "en": value}


@transaction.atomic
def create_structure(leaders, networks, group_size, instruments):
    """Everything but answers and scores; returns the new networks' ids."""
    programme, _created = Programme.objects.get_or_create(
        slug="scale-programme", defaults={"name": _text("Scale programme")})
    created = Network.objects.bulk_create([
        Network(slug=f"{SLUG_PREFIX}{n:02d}", name=f"Scale network {n:02d}",
                country="NO" if n % 2 else "DK", default_language="nb" if n % 2 else "da")
        for n in range(1, networks + 1)])
    organisations = Organisation.objects.bulk_create([
        Organisation(network=network, name=f"Scale kommune {network.slug[-2:]}-{o:02d}")
        for network in created for o in range(1, ORGANISATIONS_PER_NETWORK + 1)])
    by_network = {}
    for organisation in organisations:
        by_network.setdefault(organisation.network_id, []).append(organisation)
    shares = [leaders // networks + (1 if n < leaders % networks else 0)
              for n in range(networks)]
    groups = []
    for network, share in zip(created, shares, strict=True):
        own = by_network[network.pk]
        groups.extend(
            LeaderGroup(network=network, organisation=own[g % len(own)],
                        name=f"Ledergruppe {g + 1}")
            for g in range(math.ceil(share / group_size)))
    groups = LeaderGroup.objects.bulk_create(groups, batch_size=5000)
    groups_by_network = {}
    for group in groups:
        groups_by_network.setdefault(group.network_id, []).append(group)

    people, roles = [], []

    def person(email, name, network):
        people.append(Person(email=f"{email}@{EMAIL_DOMAIN}", name=name, password="!",
                             last_network=network))
        return len(people) - 1

    plan = []  # (person index, kind, network, organisation, group)
    for network, share in zip(created, shares, strict=True):
        tag = network.slug[len(SLUG_PREFIX):]
        plan.append((person(f"admin-{tag}", f"Admin {tag}", network),
                     RoleKind.NETWORK_ADMIN, network, None, None))
        plan.append((person(f"facilitator-{tag}", f"Facilitator {tag}", network),
                     RoleKind.FACILITATOR, network, None, None))
        for organisation in by_network[network.pk]:
            plan.append((person(f"coordinator-{organisation.pk}", f"Coordinator {tag}", network),
                         RoleKind.COORDINATOR, network, organisation, None))
        for index in range(share):
            group = groups_by_network[network.pk][index // group_size]
            plan.append((person(f"leader-{tag}-{index}", f"Leader {tag}-{index}", network),
                         RoleKind.LEADER, network, None, group))
    people = Person.objects.bulk_create(people, batch_size=5000)
    roles = [Role(person=people[index], kind=kind, network=network, organisation=organisation,
                  leader_group=group)
             for index, kind, network, organisation, group in plan]
    Role.objects.bulk_create(roles, batch_size=5000)

    now = timezone.now()
    cohorts = Cohort.objects.bulk_create([
        Cohort(network=network, programme=programme, name="Scale cohort",
               starts_on=(now - timedelta(days=150)).date()) for network in created])
    CohortGroup.objects.bulk_create([
        CohortGroup(network_id=cohort.network_id, cohort_id=cohort.pk, leadergroup_id=group.pk)
        for cohort in cohorts for group in groups_by_network[cohort.network_id]],
        batch_size=5000)
    CohortOrganisation.objects.bulk_create([
        CohortOrganisation(network_id=cohort.network_id, cohort_id=cohort.pk,
                           organisation_id=organisation.pk)
        for cohort in cohorts for organisation in by_network[cohort.network_id]],
        batch_size=5000)
    facilitators = {role.network_id: role.person_id for role in roles
                    if role.kind == RoleKind.FACILITATOR}
    CohortFacilitator.objects.bulk_create([
        CohortFacilitator(network_id=cohort.network_id, cohort_id=cohort.pk,
                          person_id=facilitators[cohort.network_id])
        for cohort in cohorts])
    start, gathering = instruments
    Round.objects.bulk_create([
        Round(network_id=cohort.network_id, cohort=cohort, instrument=instrument, name=name,
              opens_at=opens, closes_at=closes)
        for cohort in cohorts
        for name, instrument, opens, closes in (
            ("Start", start, now - timedelta(days=120), now - timedelta(days=100)),
            ("Gathering", gathering, now - timedelta(hours=3), now + timedelta(hours=5)))])
    return [network.pk for network in created]


# Answers for every leader of the networks: today = the group's level (from its id), the
# person's own offset (from theirs) and item noise, rounded into the scale; ambition = today
# plus 0-2 steps; 3 % "don't know". The gathering round stands 0.3 higher than the start.
_RESPONSES = f"""
INSERT INTO {Response._meta.db_table}
    (network_id, round_id, person_id, leader_group_id, organisation_id,
     started_at, updated_at, submitted_at)
SELECT ro.network_id, rd.id, ro.person_id, ro.leader_group_id, g.organisation_id,
       moment - interval '12 minutes', moment, moment
FROM tenancy_role ro
JOIN tenancy_leadergroup g ON g.id = ro.leader_group_id
JOIN assessments_round rd ON rd.network_id = ro.network_id
CROSS JOIN LATERAL (SELECT CASE WHEN rd.closes_at <= now()
        THEN rd.opens_at + (rd.closes_at - rd.opens_at) * (0.05 + 0.9 * random())
        ELSE now() - interval '150 minutes' * random()
        END AS moment) m
WHERE ro.kind = 'leader' AND ro.network_id = ANY(%s)
  AND (rd.closes_at <= now() OR random() < 0.95)
"""

_ANSWERS_AND_SCORES = f"""
WITH drawn AS MATERIALIZED (
    SELECT r.id AS response_id, r.network_id, r.round_id, r.leader_group_id,
           r.organisation_id, r.submitted_at, i.id AS item_id, i.dimension_id,
           ins.scale_max, random() < 0.03 AS dont_know, random() AS lift,
           LEAST(ins.scale_max, GREATEST(ins.scale_min, round(
               1.3 + 2.2 * ((r.leader_group_id * 7919) %% 101) / 100.0
               + (((r.person_id * 104729) %% 21) - 10) / 20.0
               + CASE WHEN rd.closes_at > now() THEN 0.3 ELSE 0 END
               + (random() - 0.5) * 2.0)))::int AS today
    FROM {Response._meta.db_table} r
    JOIN assessments_round rd ON rd.id = r.round_id
    JOIN assessments_instrument ins ON ins.id = rd.instrument_id
    JOIN assessments_dimension d ON d.instrument_id = rd.instrument_id
    JOIN assessments_item i ON i.dimension_id = d.id
    WHERE r.network_id = ANY(%s)
), valued AS MATERIALIZED (
    SELECT drawn.*, k.kind,
           CASE WHEN dont_know THEN NULL
                WHEN k.kind = 'today' THEN today
                ELSE LEAST(scale_max, today + floor(lift * 2.2)::int) END AS value
    FROM drawn CROSS JOIN (VALUES ('today'), ('ambition')) AS k(kind)
), answers AS (
    INSERT INTO assessments_answer (response_id, item_id, kind, value, dont_know, answered_at)
    SELECT response_id, item_id, kind, value, dont_know, submitted_at FROM valued
)
INSERT INTO {DimensionScore._meta.db_table}
    (network_id, response_id, round_id, dimension_id, leader_group_id, organisation_id, kind,
     score)
SELECT network_id, response_id, round_id, dimension_id, leader_group_id, organisation_id,
       kind, AVG(value)
FROM valued WHERE value IS NOT NULL
GROUP BY network_id, response_id, round_id, dimension_id, leader_group_id, organisation_id,
         kind
"""


def _is_superuser(cursor):
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return cursor.fetchone()[0]


def generate_answers(network_ids, seed):
    """Responses, answers and scores of some networks, in this thread's own connection.

    Every row is made by joining rows that exist, so the foreign keys hold by construction;
    as a superuser, their checks (which Django defers to the commit, one trigger per row and
    key) are skipped for this transaction, which halves the time."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            if _is_superuser(cursor):
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SELECT setseed(%s)", [seed])
            cursor.execute(_RESPONSES, [network_ids])
            cursor.execute(_ANSWERS_AND_SCORES, [network_ids])
        # the released blocks, as the submits would have written them
        for round_ in Round.objects.filter(network_id__in=network_ids).select_related(
                "network", "instrument"):
            release_round(round_)
    finally:
        connection.close()


def analyse():
    with connection.cursor() as cursor:
        for table in ("assessments_answer", "assessments_dimensionscore",
                      Response._meta.db_table, "tenancy_role", "tenancy_person"):
            cursor.execute(f"ANALYZE {table}")

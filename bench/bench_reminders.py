"""Measure the reminder dispatcher at scale against PostgreSQL and Redis (issue 5).

    .venv/bin/python bench/bench_reminders.py --leaders 300
    .venv/bin/python bench/bench_reminders.py --leaders 50000
    .venv/bin/python bench/bench_reminders.py --leaders 50000 --profile   # cProfile of planning

Runs with production settings (bench/benchenv.py) on DATABASE_URL, by default
postgres://postgres@127.0.0.1:5432/bro_bench_reminders (created, migrated and filled with
manage.py seed_scale when the dataset has another size), and REDIS_URL, by default
redis://127.0.0.1:6379/13. The send tasks go to a queue of their own
("bench-reminders") that no worker reads and that is purged after every batch; mail goes to
the locmem backend, so nothing is sent.

Every run first removes what an earlier run added, then gives every scale cohort what
reminders need, dated from the dispatcher's clock (today 12:00 local time):
module 1, gathering ten days ago and post-work due in two days (post-work due; a third of the
groups have their ambition and initiatives); module 2, pre-work opened today and the gathering
tomorrow (pre-work opens, gathering tomorrow; a tenth of the leaders finished the pre-work);
the seed's "Gathering" round open (assessment opens, for the ~5 % who have not submitted); and
one pending invitation per organisation, sent four days ago (invitation not accepted).

Prints the time, the queries and their database time of: planning (the service the beat task
runs, reminders.services.plan_due_reminders), queuing (queue_planned: one dispatcher run's
batch, then every planned delivery), and a second dispatcher run right after
(reminders.services.dispatch), which must plan nothing; then the deliveries per kind and
where the planning's queries spend their time. Times are also given as a ratio to the floor
page measured first in the same run.
"""

import argparse
import os
import re
import resource
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchenv import ROOT, Floor, prepare_scale_dataset, use_production_settings

# Production settings; whatever the environment says, a benchmark never sends mail.
use_production_settings("bro_bench_reminders", redis_db=13)

QUEUE = "bench-reminders"
SLUG_PREFIX = "scale-"
EMAIL_DOMAIN = "scale.bro.example"
MODULE_SLUGS = ("bench-reminders-1", "bench-reminders-2")
INVITED = "bench-invited-"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaders", type=int, default=300)
    parser.add_argument("--profile", action="store_true",
                        help="Also print the functions planning spends its time in (cProfile).")
    arguments = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        sys.exit("The benchmark needs a Redis broker: set REDIS_URL.")
    prepare_scale_dataset(arguments.leaders)
    from tenancy.scoping import platform_wide

    with platform_wide():  # one benchmark over every scale network
        measure(arguments.leaders, arguments.profile)


# The dataset ------------------------------------------------------------------------------

def dispatcher_clock():
    """Today 12:00 local time: past REMINDER_EARLIEST_HOUR whenever the benchmark runs."""
    import datetime

    from django.utils import timezone

    return timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(12)))


def remove_earlier_run():
    """What an earlier run added, so every run plans from nothing. Platform-wide (main() runs
    in platform_wide()): a benchmark over every scale network."""
    from django.db import connection

    from cohorts.models import CohortModule
    from modules.models import ActivityCompletion, Ambition, Initiative
    from reminders.models import ReminderDelivery
    from tenancy.models import Invitation

    ReminderDelivery.objects.filter(network__slug__startswith=SLUG_PREFIX).delete()
    ActivityCompletion.objects.filter(activity__phase__module__slug__in=MODULE_SLUGS).delete()
    for model in (Ambition, Initiative):
        model.objects.filter(module__slug__in=MODULE_SLUGS).delete()
    CohortModule.objects.filter(module__slug__in=MODULE_SLUGS).delete()
    Invitation.objects.filter(email__startswith=INVITED, email__endswith=EMAIL_DOMAIN).delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE reminders_reminderdelivery")


def bench_modules():
    """Two modules of the scale programme, each with three pre-work activities."""
    from programmes.models import Activity, ActivityKind, Module, Phase, PhaseKind, Programme

    programme = Programme.objects.get(slug="scale-programme")
    modules = []
    for number, slug in enumerate(MODULE_SLUGS, start=1):
        title = {language: f"Reminder module {number}" for language in ("nb", "da", "en")}
        module, _created = Module.objects.get_or_create(
            programme=programme, slug=slug,
            defaults={"theme": "organisation", "position": 100 + number, "title": title})
        phase, _created = Phase.objects.get_or_create(
            module=module, kind=PhaseKind.PREWORK, defaults={"position": 1})
        for number in (1, 2, 3):
            Activity.objects.get_or_create(
                phase=phase, slug=f"read-{number}",
                defaults={"kind": ActivityKind.ARTICLE, "position": number,
                          "title": {"nb": "Les", "da": "Læs", "en": "Read"}})
        modules.append(module)
    return modules


def add_reminder_data(now):
    """Module dates, completions, ambitions and invitations that make reminders due at `now`.
    Platform-wide (main() runs in platform_wide()): one benchmark over every scale network."""
    import secrets
    from datetime import timedelta

    from django.db import connection, transaction
    from django.db.models.functions import Mod

    from assessments.models import Round
    from cohorts.models import Cohort, CohortModule, Gathering
    from modules.models import ActivityCompletion, Ambition, Initiative
    from programmes.models import Activity, PhaseKind
    from tenancy.models import Invitation, LeaderGroup, Organisation, Role, RoleKind

    postwork_module, prework_module = bench_modules()
    today = now.date()

    def at(days, hour):
        return now.replace(hour=hour) + timedelta(days=days)

    with transaction.atomic():
        cohorts = list(Cohort.objects.filter(network__slug__startswith=SLUG_PREFIX))
        earlier = CohortModule.objects.bulk_create([
            CohortModule(network_id=cohort.network_id, cohort=cohort, module=postwork_module,
                         position=101, prework_opens_on=today - timedelta(days=20),
                         postwork_due_on=today + timedelta(days=2)) for cohort in cohorts])
        current = CohortModule.objects.bulk_create([
            CohortModule(network_id=cohort.network_id, cohort=cohort, module=prework_module,
                         position=102, prework_opens_on=today,
                         postwork_due_on=today + timedelta(days=30)) for cohort in cohorts])
        Gathering.objects.bulk_create(
            [Gathering(network_id=cm.network_id, cohort_module=cm, starts_at=at(-10, 9),
                       ends_at=at(-10, 16), place="Rådhuset") for cm in earlier]
            + [Gathering(network_id=cm.network_id, cohort_module=cm, starts_at=at(1, 9),
                         ends_at=at(1, 16), place="Rådhuset",
                         online_url="https://meet.example/bro") for cm in current])
        Round.objects.filter(network__slug__startswith=SLUG_PREFIX, custom_name="Gathering").update(
            opens_at=now - timedelta(hours=3), closes_at=now + timedelta(hours=5))

        cohort_of = {cohort.network_id: cohort.pk for cohort in cohorts}
        activities = list(Activity.objects.filter(
            phase__module=prework_module, phase__kind=PhaseKind.PREWORK))
        finished = (Role.objects.filter(kind=RoleKind.LEADER,
                                         network__slug__startswith=SLUG_PREFIX)
                    .annotate(tenth=Mod("person_id", 10)).filter(tenth=0)
                    .values_list("network_id", "person_id"))
        ActivityCompletion.objects.bulk_create(
            (ActivityCompletion(network_id=network_id, cohort_id=cohort_of[network_id],
                                person_id=person_id, activity=activity)
             for network_id, person_id in finished.iterator() for activity in activities),
            batch_size=5000)

        groups = list(LeaderGroup.objects.filter(network__slug__startswith=SLUG_PREFIX)
                      .values_list("network_id", "pk"))
        done_groups = [(network_id, pk) for network_id, pk in groups if pk % 3 == 0]
        Ambition.objects.bulk_create(
            [Ambition(network_id=network_id, cohort_id=cohort_of[network_id],
                      leader_group_id=pk, module=postwork_module, text="Digital first")
             for network_id, pk in done_groups], batch_size=5000)
        Initiative.objects.bulk_create(
            [Initiative(network_id=network_id, cohort_id=cohort_of[network_id],
                        leader_group_id=pk, module=postwork_module, title="Chatbot",
                        horizon="short") for network_id, pk in done_groups], batch_size=5000)

        organisations = list(
            Organisation.objects.filter(network__slug__startswith=SLUG_PREFIX))
        Invitation.objects.bulk_create(
            [Invitation(network_id=organisation.network_id, organisation=organisation,
                        email=f"{INVITED}{organisation.pk}@{EMAIL_DOMAIN}", language="nb",
                        kind=RoleKind.LEADER, token_hash=secrets.token_hex(32),
                        expires_at=now + timedelta(days=10), sent_at=now - timedelta(days=4))
             for organisation in organisations], batch_size=5000)
    with connection.cursor() as cursor:
        for table in ("cohorts_cohortmodule", "cohorts_gathering", "modules_activitycompletion",
                      "modules_ambition", "modules_initiative", "tenancy_invitation",
                      "assessments_round"):
            cursor.execute(f"ANALYZE {table}")
    return len(cohorts), len(organisations)


# Measuring --------------------------------------------------------------------------------

class QueryLog:
    """Counts the queries run inside it and their time, by reminder kind being planned, the
    reminders (or config) function that issued them and the table: a database execute
    wrapper, so nothing but counters is kept however many queries there are
    (CaptureQueriesContext would keep the text of every INSERT)."""

    SOURCES = (str(ROOT / "reminders"), str(ROOT / "config"))
    TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE)\s+"(\w+)"')

    def __init__(self):
        self.count, self.seconds = 0, 0.0
        self.by_place = defaultdict(lambda: [0, 0.0])

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seconds = time.perf_counter() - started
            self.count += 1
            self.seconds += seconds
            place = self.by_place[(*self.caller(), self.shape(sql))]
            place[0] += 1
            place[1] += seconds

    def caller(self):
        """(the kind planned, if any, and the innermost reminders function on the stack)."""
        frame, function, kind = sys._getframe(2), "?", "-"
        while frame is not None:
            code = frame.f_code
            if function == "?" and code.co_filename.startswith(self.SOURCES):
                function = f"{Path(code.co_filename).stem}.{code.co_qualname}"
            if code.co_name == "plan_due_reminders" and "plan" in frame.f_locals:
                kind = frame.f_locals["plan"].kind
                break
            frame = frame.f_back
        return kind, function

    def shape(self, sql):
        table = self.TABLE.search(sql)
        return f"{sql.split(None, 1)[0]} {table.group(1) if table else ''}".strip()


def run(function, *args):
    """(seconds, QueryLog, result) of one call."""
    from django.db import connection

    log = QueryLog()
    with connection.execute_wrapper(log):
        started = time.perf_counter()
        result = function(*args)
        seconds = time.perf_counter() - started
    return seconds, log, result


def queued_in_redis():
    from config.celery_app import app

    with app.connection_for_write() as broker:
        return broker.default_channel.client.llen(QUEUE)


def purge_queue():
    from config.celery_app import app

    with app.connection_for_write() as broker:
        return broker.default_channel.queue_purge(QUEUE) or 0


def warm_up_broker():
    """Publish one task and purge it: the first publish of a process connects, declares the
    queue and builds the producer pool, which a running beat worker has done long ago."""
    from reminders.tasks import send_reminder

    send_reminder.delay(0)
    purge_queue()


def queue_everything(now):
    """queue_planned until nothing is left, purging the queue after every batch so Redis holds
    one batch at most. (seconds, QueryLog, tasks queued, batches)."""
    from reminders.services import queue_planned

    log, seconds, total, batches = QueryLog(), 0.0, 0, 0
    while True:
        batch_seconds, batch_log, queued = run(queue_planned, now)
        seconds += batch_seconds
        log.count += batch_log.count
        log.seconds += batch_log.seconds
        if not queued:
            return seconds, log, total, batches
        in_redis = queued_in_redis()
        if in_redis != queued:
            sys.exit(f"{queued} tasks queued but {in_redis} in Redis: is the broker up?")
        purge_queue()
        total, batches = total + queued, batches + 1


def measure(leaders, profile):
    import cProfile
    import pstats
    from datetime import timedelta

    from django.db import connection
    from django.db.models import Count

    from config.celery_app import app
    from reminders import conf
    from reminders.models import ReminderDelivery
    from reminders.services import dispatch, plan_due_reminders, queue_planned
    from tenancy.models import Network, Role, RoleKind

    scale_01 = Network.objects.get(slug=f"{SLUG_PREFIX}01")
    floor = Floor(Role.objects.for_network(scale_01).get(kind=RoleKind.FACILITATOR).person,
                  scale_01)
    app.conf.task_default_queue = QUEUE
    warm_up_broker()
    now = dispatcher_clock()
    started = time.perf_counter()
    remove_earlier_run()
    cohorts, invitations = add_reminder_data(now)
    networks = Network.objects.filter(slug__startswith=SLUG_PREFIX).count()
    print(f"\nBro reminders benchmark: {leaders:,} leaders, {networks} networks, {cohorts} "
          f"cohorts, {invitations:,} pending invitations; reminder data made in "
          f"{time.perf_counter() - started:.1f} s (PostgreSQL {connection.pg_version // 10000}, "
          f"Redis queue {QUEUE!r}, dispatcher clock {now:%Y-%m-%d %H:%M %Z}, {os.cpu_count()} "
          f"cores, load average {os.getloadavg()[0]:.1f}, production settings)\n")
    print(floor.line() + "\n")

    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    plan_seconds, plan_log, planned = run(plan_due_reminders, now)
    if profiler:
        profiler.disable()
    try:
        batch_seconds, batch_log, batch = run(queue_planned, now)
        in_redis = queued_in_redis()
        purge_queue()
        rest_seconds, rest_log, rest, batches = queue_everything(now)
        later = now + timedelta(minutes=5)
        second_seconds, second_log, summary = run(dispatch, later)
    finally:
        purge_queue()

    rows = [
        ("plan: plan_due_reminders", plan_seconds, plan_log, f"{planned:,} deliveries planned"),
        (f"queue: one dispatcher run (batch {conf.get('REMINDER_QUEUE_BATCH'):,})",
         batch_seconds, batch_log, f"{batch:,} tasks, {in_redis:,} in Redis"
         + (f" ({batch_seconds / batch * 1e6:.0f} µs a task)" if batch else "")),
        (f"queue: the other {batches} batches", rest_seconds, rest_log,
         f"{rest:,} tasks" + (f" ({rest_seconds / rest * 1e6:.0f} µs a task)" if rest else "")),
        ("second dispatcher run (dispatch, +5 min)", second_seconds, second_log,
         f"{summary['planned']} planned, {summary['queued']} queued"),
    ]
    print(f"  {'step':<46} {'time':>9} {'floors':>9} {'queries':>8} {'in db':>9}   result")
    for label, seconds, log, result in rows:
        print(f"  {label:<46} {seconds:8.2f}s {seconds / floor.seconds:8,.0f}x {log.count:8,} "
              f"{log.seconds:8.2f}s   {result}")

    kinds = Counter(dict(
        ReminderDelivery.objects.filter(network__slug__startswith=SLUG_PREFIX)
        .values_list("kind").annotate(n=Count("pk")).values_list("kind", "n")))
    per_kind = defaultdict(lambda: [0, 0.0])
    for (kind, _caller, _shape), (count, seconds) in plan_log.by_place.items():
        per_kind[kind][0] += count
        per_kind[kind][1] += seconds
    print(f"\n  {'planned, per kind':<46} {'rows':>9} {'queries':>8} {'in db':>9}")
    for kind, count in kinds.most_common():
        print(f"  {kind:<46} {count:9,} {per_kind[kind][0]:8,} {per_kind[kind][1]:8.2f}s")
    print(f"  {'total':<46} {sum(kinds.values()):9,} {plan_log.count:8,} "
          f"{plan_log.seconds:8.2f}s")

    print(f"\n  {'where planning queries go: kind, caller, statement':<100} {'queries':>8} "
          f"{'in db':>9}")
    places = sorted(plan_log.by_place.items(), key=lambda item: -item[1][1])
    for (kind, caller, shape), (count, seconds) in places[:12]:
        print(f"  {kind:<20} {caller:<44} {shape:<34} {count:8,} {seconds:8.2f}s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n  peak memory of this process: {peak:.0f} MiB; load average at the end: "
          + ", ".join(f"{load:.1f}" for load in os.getloadavg()))
    if profiler:
        print("\n  planning, by cumulative time (cProfile):")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(30)
    if summary["planned"]:
        sys.exit(f"The second run planned {summary['planned']} deliveries again: "
                 "not exactly once.")


if __name__ == "__main__":
    main()

"""What the results pages cost as a network grows (issue 11, item 3): the group results page,
the leader's own results, the cohort page, the network admin's dashboard, the organisation
page (the coordinator's) and the gathering screen's live part, at 300 and 1,000 leaders, each
as a ratio to the floor measured in the same run; and the layout alone that every HTML page
pays (tenancy.views.bench_chrome: base.html with no content).

    .venv/bin/python bench/bench_results.py                    # 300 and 1,000 leaders
    .venv/bin/python bench/bench_results.py --leaders 300 --profile group_open --top 30

Each size has a database of its own (bro_bench_results_<leaders>, filled once by
`manage.py seed_scale`: one network, groups of seven, a closed "Start" round of the
capabilities test and an open "Gathering" round of the competence wheel), production settings
(bench/benchenv.py) and Redis database 13. For the cohort page and the two dashboards the
cohort runs the standard programme (its second module now, with the capabilities assessment
the "Start" round answers, two thirds of its other activities marked done; the admin has an
authenticator app, as admins must), in a transaction rolled back afterwards, so the other
pages and anyone sharing the database see the dataset as seeded. A page is served
in this process through the whole middleware (Django's test client); its cost is the CPU of
this process plus that of its PostgreSQL backend (read from /proc), per request, after warming
up, in five chunks with the floor measured between them. Printed per page: that CPU, its ratio
to the floor of those chunks, the queries and the size of the HTML. The group results page is
measured made afresh (its part made from released blocks taken out of the cache first, as for
the first reader after a block is released) and as every later reader gets it; so is the
leader's own results page (its network's and group's parts, shared by their leaders).
"""

import argparse
import contextlib
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchenv import prepare_scale_dataset, use_production_settings

PAGES = ("floor", "chrome", "chrome_admin", "own_fresh", "own", "group_closed_fresh",
         "group_closed", "group_open_fresh", "group_open", "cohort", "admin_dashboard",
         "organisation", "live_fresh", "live_cached")
PROGRAMME_PAGES = ("cohort", "admin_dashboard", "organisation")  # count a running programme
TICKS = os.sysconf("SC_CLK_TCK")


def backend_seconds(pid):
    """CPU seconds a PostgreSQL backend has used (its utime + stime in /proc)."""
    with open(f"/proc/{pid}/stat") as file:
        fields = file.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


@contextlib.contextmanager
def running_programme(cohort, admin):
    """The cohort runs the standard programme's modules, the second one now, and the network
    admin has an authenticator app (admins must); rolled back."""
    from datetime import timedelta

    from django.db import connection, transaction
    from django.utils import timezone

    from cohorts.models import CohortModule
    from modules.models import ActivityCompletion
    from programmes.loader import load_programme
    from programmes.models import Activity, ActivityKind
    from tenancy.models import Role, RoleKind
    from tenancy.scoping import platform_wide

    with transaction.atomic(), with_authenticator(admin):
        with platform_wide():
            modules = list(load_programme().programme.modules.order_by("position"))
            today = timezone.localdate()
            dates = [(-230, -120), (-115, 40)] + [
                (60 * n, 60 * n + 55) for n in range(1, len(modules) - 1)]
            CohortModule.objects.bulk_create([
                CohortModule(network_id=cohort.network_id, cohort=cohort, module=module,
                             position=module.position,
                             prework_opens_on=today + timedelta(days=opens),
                             postwork_due_on=today + timedelta(days=due))
                for module, (opens, due) in zip(modules, dates, strict=True)])
            activities = list(Activity.objects.filter(phase__module__in=modules[:2])
                              .exclude(kind=ActivityKind.ASSESSMENT).order_by("pk"))
            people = Role.objects.filter(network_id=cohort.network_id, kind=RoleKind.LEADER) \
                .values_list("person_id", flat=True)
            ActivityCompletion.objects.bulk_create([
                ActivityCompletion(network_id=cohort.network_id, cohort=cohort, person_id=person,
                                   activity=activity)
                for person in people for n, activity in enumerate(activities)
                if (person + n) % 3])
            with connection.cursor() as cursor:  # the planner knows the rows, as in production
                cursor.execute(f"ANALYZE {ActivityCompletion._meta.db_table}, "
                               f"{CohortModule._meta.db_table}")
        yield
        transaction.set_rollback(True)
    with connection.cursor() as cursor:  # the rolled-back rows' index entries, gone
        cursor.execute(f"VACUUM ANALYZE {ActivityCompletion._meta.db_table}, "
                       f"{CohortModule._meta.db_table}")


@contextlib.contextmanager
def with_authenticator(person):
    """The network admin has set up an authenticator app (else every page sends them to do
    so); rolled back."""
    from allauth.mfa.totp.internal.auth import TOTP
    from django.db import transaction

    with transaction.atomic():
        TOTP.activate(person, "JBSWY3DPEHPK3PXP")
        yield
        transaction.set_rollback(True)


def print_queries(page, repeat):
    """Each query of one request with its median wall time over `repeat` requests: where the
    database's share of a page goes."""
    import statistics

    from django.db import connection

    runs = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            runs[-1].append((sql, time.perf_counter() - started))

    for _ in range(repeat):
        runs.append([])
        with connection.execute_wrapper(timed):
            page()
    for index, (sql, _seconds) in enumerate(runs[-1]):
        times = [run[index][1] for run in runs if len(run) > index]
        print(f"    {statistics.median(times) * 1000:6.2f} ms  {' '.join(sql.split())[:150]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaders", type=int, nargs="*", default=[300, 1000])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", choices=PAGES, help="print a cProfile of this page")
    parser.add_argument("--queries", choices=PAGES,
                        help="print this page's queries with their median wall time")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--callers", help="with --profile: who calls the functions matching this")
    parser.add_argument("--sort", default="cumulative", help="the cProfile's order (tottime...)")
    parser.add_argument("--pages", nargs="*", choices=PAGES, default=list(PAGES),
                        help="measure only these (the floor always)")
    arguments = parser.parse_args()
    if len(arguments.leaders) == 1:
        measure_size(arguments.leaders[0], arguments)
        return
    import subprocess  # one process per size: each size is its own database and settings

    for leaders in arguments.leaders:
        command = [sys.executable, __file__, "--leaders", str(leaders),
                   "--repeat", str(arguments.repeat), "--top", str(arguments.top),
                   "--sort", arguments.sort,
                   "--pages", *arguments.pages]
        if arguments.profile:
            command += ["--profile", arguments.profile]
        if arguments.queries:
            command += ["--queries", arguments.queries]
        if arguments.callers:
            command += ["--callers", arguments.callers]
        subprocess.run(command, check=True)


def measure_size(leaders, arguments):
    os.environ.setdefault(
        "DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/bro_bench_results_{leaders}")
    use_production_settings(f"bro_bench_results_{leaders}", redis_db=13)
    prepare_scale_dataset(leaders)

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from assessments.models import Response, Round
    from assessments.results.live import forget_held_parts
    from cohorts.models import Cohort
    from tenancy.models import LeaderGroup, Network, Role, RoleKind
    from tenancy.scoping import platform_wide

    with platform_wide():
        network = Network.objects.get(slug="scale-01")
        start = Round.objects.for_network(network).get(custom_name="Start")
        gathering = Round.objects.for_network(network).get(custom_name="Gathering")
        cohort = Cohort.objects.for_network(network).get()
        leader = (Response.objects.for_network(network)
                  .filter(round=gathering, submitted_at__isnull=False)
                  .order_by("pk").first().person)
        facilitator = Role.objects.for_network(network).get(kind=RoleKind.FACILITATOR).person
        admin = Role.objects.for_network(network).get(kind=RoleKind.NETWORK_ADMIN).person
        coordinator = (Role.objects.for_network(network).filter(kind=RoleKind.COORDINATOR)
                       .select_related("person", "organisation").order_by("pk").first())
        groups = LeaderGroup.objects.for_network(network).count()
    slug = network.slug
    cache.clear()  # another size's or run's parts, under the same ids, are not this one's
    as_leader, as_facilitator = Client(), Client()
    as_admin, as_coordinator = Client(), Client()
    as_leader.force_login(leader)
    as_facilitator.force_login(facilitator)
    as_admin.force_login(admin)
    as_coordinator.force_login(coordinator.person)

    def url(name, **kwargs):
        return reverse(name, kwargs={"network_slug": slug, **kwargs})

    live = url("round_gathering", round_id=gathering.pk) + "?d=1"
    htmx = {"HX-Request": "true", "HX-Target": "gathering-live"}
    redis = cache._cache.get_client()

    def afresh(client, address, part="group-results"):
        """The page with its part made from released blocks made afresh (the first reader
        after a block is released), the rest of the cache (the benchmark's sums) kept."""
        for key in redis.scan_iter(f"*:assessments:{part}:*"):
            redis.delete(key)
        forget_held_parts()  # and this process's copies
        return client.get(address)

    own_results = url("assessment_results", round_id=gathering.pk)
    closed_results = url("round_results", round_id=start.pk)
    open_results = url("round_results", round_id=gathering.pk)
    pages = {
        "floor": lambda: as_leader.get(url("bench_floor")),
        "chrome": lambda: as_leader.get(url("bench_chrome")),
        "chrome_admin": lambda: as_admin.get(url("bench_chrome")),
        "own_fresh": lambda: afresh(as_leader, own_results, "own-results-*"),
        "own": lambda: as_leader.get(own_results),
        "group_closed_fresh": lambda: afresh(as_facilitator, closed_results),
        "group_closed": lambda: as_facilitator.get(closed_results),
        "group_open_fresh": lambda: afresh(as_facilitator, open_results),
        "group_open": lambda: as_facilitator.get(open_results),
        "cohort": lambda: as_facilitator.get(url("cohort_detail", cohort_id=cohort.pk)),
        "admin_dashboard": lambda: as_admin.get(url("manage_dashboard")),
        "organisation": lambda: as_coordinator.get(url(
            "organisation_detail", organisation_id=coordinator.organisation_id)),
        "live_fresh": lambda: (cache.clear(), forget_held_parts(),
                               as_facilitator.get(live, headers=htmx))[2],
        "live_cached": lambda: as_facilitator.get(live, headers=htmx),
    }
    labels = {
        "floor": "floor (cheapest signed-in network page)",
        "chrome": "layout alone, leader (base.html, no content)",
        "chrome_admin": "layout alone, network admin",
        "own_fresh": "own results, group's and network's parts made afresh",
        "own": "own results (open round), those parts shared",
        "group_closed_fresh": "group results, closed round, made afresh",
        "group_closed": "group results, closed round (capabilities), cached",
        "group_open_fresh": "group results, open round, made afresh",
        "group_open": "group results, open round (competence wheel), cached",
        "cohort": "cohort page",
        "admin_dashboard": "network admin's dashboard (heatmap)",
        "organisation": "organisation page (coordinator's groups)",
        "live_fresh": "gathering live part, made afresh",
        "live_cached": "gathering live part, from the shared cache",
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    print(f"\nBro results pages: {leaders} leaders in one network, {groups} leader groups "
          f"(production settings, CPU of this process + its PostgreSQL backend, mean of "
          f"{arguments.repeat})")
    def cpu_seconds(call, count):
        own, database = time.process_time(), backend_seconds(backend)
        for _ in range(count):
            call()
        return time.process_time() - own + backend_seconds(backend) - database

    # Each page is measured in chunks with the floor measured between them, and its ratio is
    # to that floor: the machine's load wanders within a run.
    chunks = 5
    per_chunk = max(1, arguments.repeat // chunks)
    for name in PAGES:
        if name != "floor" and name not in arguments.pages:
            continue
        page = pages[name]
        around = (lambda: running_programme(cohort, admin)) if name in PROGRAMME_PAGES else {
            "chrome_admin": lambda: with_authenticator(admin)}.get(name, contextlib.nullcontext)
        with around():
            for _ in range(3):
                response = page()
                assert response.status_code == 200, (name, response.status_code)
            with CaptureQueriesContext(connection) as captured:
                response = page()
            queries = len(captured.captured_queries)
            floor = seconds = 0.0
            for _ in range(chunks):
                floor += cpu_seconds(pages["floor"], per_chunk)
                seconds += cpu_seconds(page, per_chunk)
            print(f"  {labels[name]:<46} {seconds / per_chunk / chunks * 1000:7.1f} ms "
                  f"{seconds / floor:5.1f}x floor {queries:3d} queries "
                  f"{len(response.content) / 1024:7.1f} KiB")
            if name == arguments.queries:
                print_queries(page, arguments.repeat)
            if name == arguments.profile:
                profile = cProfile.Profile()
                profile.enable()
                for _ in range(arguments.repeat):
                    page()
                profile.disable()
                stats = pstats.Stats(profile, stream=sys.stdout).sort_stats(arguments.sort)
                stats.print_stats(arguments.top)
                if arguments.callers:
                    stats.print_callers(arguments.callers)


if __name__ == "__main__":
    main()

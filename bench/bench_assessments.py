"""Measure assessments at scale against PostgreSQL (DESIGN.md section 6).

    .venv/bin/python bench/bench_assessments.py --leaders 300
    .venv/bin/python bench/bench_assessments.py --leaders 50000

Runs with production settings (bench/benchenv.py) on DATABASE_URL, by default
postgres://postgres@127.0.0.1:5432/bro_bench (created and migrated if missing), and REDIS_URL,
by default redis://127.0.0.1:6379/12 (its cache is cleared). When the scale dataset
(manage.py seed_scale) there has another size, it is generated again. Prints: the time to
submit one response (with scoring), the time of a round's aggregates in one network and of the
national benchmark, and the query count and server time of the leader's results page, the
group results page and the gathering screen; each also as a ratio to the floor page measured
first in the same run.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchenv import Floor, median_seconds, prepare_scale_dataset, use_production_settings

use_production_settings("bro_bench")
FLOOR = None  # measured in main(), before anything else


def report(label, seconds, extra=""):
    print(f"  {label:<58} {seconds * 1000:9.1f} ms {FLOOR.ratio(seconds)}  {extra}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaders", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    prepare_scale_dataset(arguments.leaders)
    from tenancy.scoping import platform_wide

    with platform_wide():  # one benchmark over every scale network
        measure(arguments.leaders, arguments.repeat)


def bench_people_cleanup():
    from tenancy.models import Person

    Person.objects.filter(email__startswith="bench-", email__endswith="@scale.bro.example").delete()


def measure_submit(network, gathering, group, repeat):
    """Submitting answered responses in the open round: scoring and storing the scores."""
    from assessments.models import Answer, Item, Response
    from assessments.taking.services import submit_response
    from tenancy.models import Person, Role, RoleKind

    bench_people_cleanup()
    items = list(Item.objects.filter(dimension__instrument=gathering.instrument)
                 .values_list("pk", flat=True))
    responses = []
    for index in range(repeat * 2):
        person = Person.objects.create_user(f"bench-{index}@scale.bro.example")
        Role.objects.create(network=network, person=person, kind=RoleKind.LEADER,
                            leader_group=group)
        response = Response.objects.create(
            network=network, round=gathering, person=person, leader_group=group,
            organisation=group.organisation)
        Answer.objects.bulk_create(
            Answer(response=response, item_id=item, kind=kind, value=1 + (item + index) % 5)
            for item in items for kind in ("today", "ambition"))
        responses.append(response)
    durations = []
    for response in responses:
        started = time.perf_counter()
        submit_response(response)
        durations.append(time.perf_counter() - started)
    bench_people_cleanup()
    return statistics.median(durations), len(items)


def page(client, url, repeat, headers=None):
    """(median seconds, queries, status) of a page, after one request to warm up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, headers=headers or {})
    durations, queries, status = [], 0, None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, headers=headers or {})
            durations.append(time.perf_counter() - started)
        queries, status = len(captured.captured_queries), response.status_code
    return statistics.median(durations), queries, status


def measure(leaders, repeat):
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from assessments.anonymity.aggregation import national_benchmark, round_results
    from assessments.models import DimensionScore, Response, Round
    from tenancy.models import Network, Role, RoleKind

    network = Network.objects.get(slug="scale-01")
    start = Round.objects.for_network(network).select_related("instrument", "network").get(
        custom_name="Start")
    gathering = Round.objects.for_network(network).select_related(
        "instrument", "network").get(custom_name="Gathering")
    answered = Response.objects.for_network(network).filter(round=gathering).select_related(
        "person", "leader_group__organisation").order_by("pk").first()
    facilitator = Role.objects.for_network(network).get(kind=RoleKind.FACILITATOR).person

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM assessments_answer")
        answers = cursor.fetchone()[0]
    global FLOOR
    FLOOR = Floor(answered.person, network)
    print(f"\nBro assessments benchmark: {leaders} leaders, "
          f"{Network.objects.filter(slug__startswith='scale-').count()} networks, "
          f"{answers:,} answers, {DimensionScore.objects.count():,} dimension scores "
          f"(PostgreSQL {connection.pg_version // 10000}, median of {repeat}, production "
          f"settings)\n")
    print(FLOOR.line())

    seconds, items = measure_submit(network, gathering, answered.leader_group, repeat)
    report(f"submit one response ({items} items x 2, scoring included)", seconds)

    for label, round in (("round aggregates, one network, closed round (Start)", start),
                         ("round aggregates, one network, open round (Gathering)", gathering)):
        seconds, results = median_seconds(lambda round=round: round_results(round), repeat)
        report(label, seconds, f"{len(results.groups)} groups shown, "
                               f"{results.network.respondents} respondents released")
    cache.clear()
    seconds, benchmark = median_seconds(lambda: national_benchmark(start.instrument), 1)
    report("national benchmark, every closed round summed (cold cache)", seconds,
           f"{benchmark.respondents} respondents released")
    seconds, benchmark = median_seconds(lambda: national_benchmark(start.instrument), repeat)
    report("national benchmark, closed rounds' sums cached", seconds)

    client = Client()
    client.force_login(answered.person)
    slug = network.slug
    leader_url = reverse("assessment_results", kwargs={"network_slug": slug,
                                                       "round_id": gathering.pk})
    seconds, queries, status = page(client, leader_url, repeat)
    report("leader's results page", seconds, f"{queries} queries, HTTP {status}")
    client.force_login(facilitator)
    for label, round in (("group results page, closed round", start),
                         ("group results page, open round", gathering)):
        url = reverse("round_results", kwargs={"network_slug": slug, "round_id": round.pk})
        seconds, queries, status = page(client, url, repeat)
        report(label, seconds, f"{queries} queries, HTTP {status}")
    url = reverse("round_gathering", kwargs={"network_slug": slug, "round_id": gathering.pk})
    for label, address, headers in (
            ("gathering screen, overview", url, None),
            ("gathering screen, one dimension", url + "?d=1", None),
            ("gathering screen, live part every 5 s (htmx)", url + "?d=1",
             {"HX-Request": "true"})):
        seconds, queries, status = page(client, address, repeat, headers)
        report(label, seconds, f"{queries} queries, HTTP {status}")


if __name__ == "__main__":
    main()

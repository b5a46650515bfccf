"""Where a request's time goes (issue 11): the floor, an autosave, a part page and the
gathering screen's live part, served in this process with production settings on the gathering
benchmark's database, under cProfile, with the queries each one makes. Its CPU is this
process's plus that of the PostgreSQL backend serving it, read from /proc.

    .venv/bin/python bench/profile_requests.py                 # every kind, 200 requests each
    .venv/bin/python bench/profile_requests.py autosave --top 40

Profile before optimising: the figures in the README's "How fast" were read off this.
"""

import argparse
import cProfile
import os
import pstats
import re
import sys
import time

from benchenv import prepare_scale_dataset, use_production_settings

use_production_settings("bro_bench_gathering", redis_db=11)

KINDS = ("floor", "autosave", "step", "live", "results")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kinds", nargs="*", default=list(KINDS))
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative", help="cumulative or tottime")
    arguments = parser.parse_args()
    prepare_scale_dataset(300)

    from bench_gathering import csrf_of_htmx, prepare, questions_of
    from django.db import connection
    from django.test import Client

    data = prepare(300, 1, own_server=True)
    slug = data["slug"]
    person_id, key = data["leaders"][0]
    leader = Client()
    leader.cookies["sessionid"] = key
    take = f"/n/{slug}/rounds/{data['calibration_round']}/take/"
    html = leader.get(take).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    step = leader.post(take, {"csrfmiddlewaretoken": csrf})["Location"]
    html = leader.get(step).content.decode()
    token = csrf_of_htmx(html)
    save, field, options = questions_of(html)[0]
    values = [value for value in options if value != "dk"]
    projector = Client()
    projector.cookies["sessionid"] = data["projector_sessions"][0]
    live = f"/n/{slug}/rounds/{data['round']}/gathering/?d=0"
    htmx = {"HTTP_HX_REQUEST": "true"}

    calls = {
        "floor": lambda n: leader.get(f"/n/{slug}/bench/floor/"),
        "autosave": lambda n: leader.post(save, {field: values[n % 2]}, HTTP_X_CSRFTOKEN=token,
                                          HTTP_HX_TARGET=f"status-{field}", **htmx),
        "step": lambda n: leader.get(step),
        "live": lambda n: projector.get(live, HTTP_HX_TARGET="gathering-live", **htmx),
        "results": lambda n: leader.get(f"/n/{slug}/rounds/{data['round']}/my-results/"),
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    floor_seconds = None
    for kind in arguments.kinds:
        call = calls[kind]
        for n in range(5):
            response = call(n)
            assert response.status_code == 200, (kind, response.status_code)
        captured = []

        def capture(execute, sql, params, many, context, captured=captured):
            captured.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(capture):
            call(1)
        started, database_started = time.process_time(), database_cpu(backend)
        for n in range(arguments.repeat):
            call(n)
        seconds = (time.process_time() - started) / arguments.repeat
        database = (database_cpu(backend) - database_started) / arguments.repeat
        floor_seconds = floor_seconds or (seconds + database if kind == "floor" else None)
        ratio = f", {(seconds + database) / floor_seconds:.1f}x the floor" if floor_seconds else ""
        print(f"\n=== {kind}: {(seconds + database) * 1000:.2f} ms CPU{ratio} "
              f"({seconds * 1000:.2f} in this process, {database * 1000:.2f} in PostgreSQL), "
              f"{len(captured)} queries")
        for sql in captured:
            print(f"  {sql[:200]}")
        profile = cProfile.Profile()
        profile.enable()
        for n in range(arguments.repeat):
            call(n)
        profile.disable()
        stats = pstats.Stats(profile, stream=sys.stdout)
        stats.sort_stats(arguments.sort).print_stats(arguments.top)


def database_cpu(pid):
    """Seconds of CPU the PostgreSQL backend serving this process has used (it runs on this
    machine: the benchmarks start their own database connections here)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    main()

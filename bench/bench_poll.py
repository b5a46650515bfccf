"""A live poll in the room under the gathering day's load (issue 14, item 3): a facilitator
opens a scale question on the screen and every leader answers it from What's next on their
phone within a minute, while projectors show the poll screen.

    .venv/bin/python bench/bench_poll.py                            # 300 leaders over 60 s
    .venv/bin/python bench/bench_poll.py --leaders 50 --window 20

The machinery is bench_gathering.py's: gunicorn with production settings (bench/benchenv.py)
on its own database, DATABASE_URL by default postgres://postgres@127.0.0.1:5432/bro_bench_poll
(filled by manage.py seed_scale, network scale-01), REDIS_URL redis://127.0.0.1:6379/10; the
same asyncio client, sign-in without mail (a session written into the store per person), CPU
from /proc and the floor measured in the same run.

The cohort gets a gathering that is on now (its first module's, created when missing), and the
previous run's live polls are removed. Then, through the pages: the facilitator opens the room
page, writes a scale question (1-5) and opens it on the screen; --projectors screens open the
poll screen and ask for its live part every 5 s (htmx); --leaders leaders, arriving evenly over
--window seconds in random order, each load What's next (and its static files), wait --think s
on average, and answer with the card's form exactly as htmx posts it (the form's fields with
its CSRF token, HX-Request, HX-Target and the X-CSRFToken of <body hx-headers>); their phone
then asks for the card every 15 s (hx-get, as the page does while a gathering is on) for
--stay seconds. --double-taps of them send their answer twice at once (a double tap): the
second must be refused, never stored.

Prints per request type the client-side p50/p95/p99 and the server side's p50/p95 (gunicorn's
access log), errors, the server's CPU per request and as a ratio to the floor; then one
request at a time on the quiet server, each type's CPU against the floor's; and last the
stored answers: exactly one per leader with the value given (0 lost, 0 doubled), and released
blocks of k covering exactly floor(N/k)*k of them.
"""

import argparse
import asyncio
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchenv import prepare_scale_dataset, use_production_settings

use_production_settings("bro_bench_poll", redis_db=10)

from bench_gathering import (  # noqa: E402  (after the settings above)
    Browser,
    CPUMeter,
    Stats,
    csrf_of_form,
    csrf_of_htmx,
    measure_load,
    percentile,
    session_for,
    start_servers,
    wait_for_ports,
)

QUESTION = "Bench poll: how ready is your organisation to share data across services?"
SCREEN_SECONDS = 5  # assessments.polls.views.POLL_REFRESH_SECONDS
PHONE_SECONDS = 15  # assessments.polls.selectors.PHONE_REFRESH_SECONDS
KINDS = ["floor", "room", "new_poll", "open", "screen", "live", "home", "answer", "phone",
         "static"]


def poll_kind_of(method, path, htmx=False):
    path = path.split("?")[0]
    if path.startswith("/static/"):
        return "static"
    if path.endswith("/bench/floor/"):
        return "floor"
    if path.endswith("/me/"):
        return "home"
    if path.endswith("/polls/now/"):
        return "phone"
    if path.endswith("/answer/"):
        return "answer"
    if path.endswith("/open/"):
        return "open"
    if path.endswith("/screen/"):
        return "live" if htmx else "screen"
    if path.endswith("/room/"):
        return "new_poll" if method == "POST" else "room"
    return "other"


class PollBrowser(Browser):
    kinds = staticmethod(poll_kind_of)


def prepare(leaders, projectors):
    """A gathering on now, no live polls left from earlier runs, and one session per leader,
    projector and the facilitator."""
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from assessments.models import Poll, PollPurpose
    from cohorts.models import Cohort, CohortModule, Gathering
    from programmes.models import Module, Theme
    from tenancy.models import Network, Role, RoleKind
    from tenancy.scoping import platform_wide

    with platform_wide():
        network = Network.objects.get(slug="scale-01")
        cohort = Cohort.objects.for_network(network).get()
        cohort_module = cohort.cohort_modules.order_by("position").first()
        now = timezone.now()
        if cohort_module is None:
            module = cohort.programme.modules.order_by("position").first() or \
                Module.objects.create(programme=cohort.programme, slug="bench-module",
                                      theme=Theme.values[0], position=1,
                                      title={"en": "Bench module"})
            cohort_module = CohortModule.objects.create(
                network=network, cohort=cohort, module=module, position=module.position,
                prework_opens_on=(now - timedelta(days=14)).date(),
                postwork_due_on=(now + timedelta(days=14)).date())
        gathering, _created = Gathering.objects.update_or_create(
            network=network, cohort_module=cohort_module,
            defaults={"starts_at": now - timedelta(minutes=30),
                      "ends_at": now + timedelta(hours=6)})
        Poll.objects.for_network(network).filter(gathering=gathering,
                                                 purpose=PollPurpose.LIVE).delete()
        roles = list(Role.objects.for_network(network).filter(kind=RoleKind.LEADER)
                     .select_related("person").order_by("pk"))
        if len(roles) < leaders:
            sys.exit(f"scale-01 has {len(roles)} leaders, fewer than --leaders {leaders}.")
        facilitator = Role.objects.for_network(network).get(kind=RoleKind.FACILITATOR).person
        Session.objects.all().delete()  # the benchmark's own database: earlier runs'
        people = [role.person for role in roles[:leaders]]
        return {
            "slug": network.slug, "gathering": gathering.pk,
            "k": network.anonymity_threshold,
            "groups": len({role.leader_group_id for role in roles[:leaders]}),
            "leaders": [(person.pk, session_for(person)) for person in people],
            "facilitator": session_for(facilitator),
            "projector_sessions": [session_for(facilitator) for _ in range(projectors)],
        }


def stored_poll(poll_id):
    """({person id: value}, answer rows, answers in a released block, [(block size,
    {value: count})], whether the blocks' counts match the answers they hold)."""
    from collections import Counter

    from assessments.models import PollAnswer, PollBlock
    from tenancy.scoping import platform_wide

    with platform_wide():
        rows = list(PollAnswer.objects.filter(poll_id=poll_id).values_list(
            "person_id", "value", "released_block_id"))
        blocks = list(PollBlock.objects.filter(poll_id=poll_id).order_by("position")
                      .values_list("pk", "respondents", "counts"))
    in_blocks = {pk: Counter() for pk, _n, _counts in blocks}
    for _person, value, block in rows:
        if block is not None:
            in_blocks[block][str(value)] += 1
    consistent = all(
        in_blocks[pk] == Counter({str(v): n for v, n in counts.items() if n})
        and sum(in_blocks[pk].values()) == respondents for pk, respondents, counts in blocks)
    return ({person: value for person, value, _block in rows}, len(rows),
            sum(1 for row in rows if row[2] is not None), [b[1] for b in blocks], consistent)


# --- the people ----------------------------------------------------------------------------------

def value_of(person_id):
    """The answer this leader gives (1-5): the same in every run, so it can be checked."""
    return 1 + (person_id * 7) % 5


async def open_poll(browser, data):
    """The facilitator writes the question on the room page and opens it; the poll's id."""
    room = f"/n/{data['slug']}/gatherings/{data['gathering']}/room/"
    html = await browser.page(room)
    if html is None:
        sys.exit(f"The room page failed: {browser.stats.error_samples}")
    location = await browser.form_post(room, {
        "csrfmiddlewaretoken": csrf_of_form(html), "kind": "scale", "question": QUESTION,
        "options": ""})
    html = await browser.page(urlsplit(location).path if location else room)
    found = re.findall(r'action="(/n/[^"]+/polls/(\d+)/open/)"', html or "")
    if not found:
        sys.exit(f"No poll to open on the room page: {browser.stats.error_samples}")
    action, poll_id = max(found, key=lambda match: int(match[1]))  # the one just written
    screen = await browser.form_post(action, {"csrfmiddlewaretoken": csrf_of_form(html)})
    if not screen or not screen.endswith("/screen/"):
        sys.exit(f"Opening the poll failed: {browser.stats.error_samples}")
    return int(poll_id), screen


async def leader(browser, person_id, slug, think, stay, rng, answered, double_tap):
    """What's next, the answer as htmx posts it, then the card's refresh for `stay` s."""
    home = f"/n/{slug}/me/"
    html = await browser.page(home)
    if html is None:
        return False
    form = re.search(r'<form method="post" action="([^"]+/answer/)"', html)
    if form is None:
        browser.stats.error("home", f"{home}: no poll to answer")
        return False
    if think:
        await asyncio.sleep(rng.uniform(0, 2 * think))
    def post():
        return browser.request(
            "POST", form.group(1), htmx=True,
            form={"csrfmiddlewaretoken": csrf_of_form(html), "value": value_of(person_id)},
            headers={"HX-Request": "true", "HX-Current-URL": browser.origin + home,
                     "HX-Target": "polls-now", "X-CSRFToken": csrf_of_htmx(html)})

    if double_tap:  # the same answer sent twice at once: one is stored, the other refused
        answer, _again = await asyncio.gather(post(), post())
    else:
        answer = await post()
    if answer is None:
        return False
    if 'name="value"' in answer[1]:  # the card still asks: the answer was refused
        browser.stats.error("answer", f"{form.group(1)}: refused")
        return False
    answered.append(person_id)
    until = time.monotonic() + stay
    while time.monotonic() + PHONE_SECONDS <= until:
        await asyncio.sleep(PHONE_SECONDS)
        await browser.request("GET", f"/n/{slug}/polls/now/", htmx=True, headers={
            "HX-Request": "true", "HX-Target": "polls-now", "HX-Trigger": "polls-now",
            "HX-Current-URL": browser.origin + home})
    return True


async def projector(browser, screen, done):
    path = urlsplit(screen).path
    await browser.page(path)
    while not done.is_set():
        try:
            await asyncio.wait_for(done.wait(), SCREEN_SECONDS)
        except TimeoutError:
            pass
        await browser.request("GET", path, htmx=True, headers={
            "HX-Request": "true", "HX-Target": "poll-live", "HX-Trigger": "poll-live",
            "HX-Current-URL": browser.origin + path})


async def room_day(arguments, data, addresses, stats):
    """The poll opened, the leaders arriving, the screens polling until the last leader's
    phone is put away; (poll id, leaders who answered, seconds from the first arrival until
    the last answer)."""
    facilitator = PollBrowser(addresses, data["facilitator"], stats, arguments.timeout)
    poll_id, screen = await open_poll(facilitator, data)
    rng = random.Random(14)
    leaders = list(enumerate(data["leaders"]))
    rng.shuffle(leaders)
    answered, done, last = [], asyncio.Event(), [0.0]
    started = time.perf_counter()

    async def arrive(order, index, person_id, key):
        await asyncio.sleep(order * arguments.window / len(leaders))
        browser = PollBrowser(addresses, key, stats, arguments.timeout, turn=index)
        await leader(browser, person_id, data["slug"], arguments.think, arguments.stay,
                     random.Random(person_id), answered,
                     double_tap=order < arguments.double_taps * len(leaders))
        last[0] = max(last[0], time.perf_counter() - started)

    screens = [asyncio.create_task(projector(
        PollBrowser(addresses, key, stats, arguments.timeout, turn=number), screen, done))
        for number, key in enumerate(data["projector_sessions"])]
    await asyncio.gather(*(arrive(order, index, person_id, key)
                           for order, (index, (person_id, key)) in enumerate(leaders)))
    done.set()
    await asyncio.gather(*screens)
    return poll_id, screen, answered


async def calibrate(addresses, data, meter, repeat, screen):
    """One request at a time on the quiet server: (kind, requests, server CPU s, median s).
    The answers go to a second poll (opening it closes the first, whose answers are kept)."""
    import statistics

    stats = Stats()
    slug = data["slug"]
    facilitator = PollBrowser(addresses[:1], data["facilitator"], stats, 60)
    leader_browsers = [PollBrowser(addresses[:1], key, stats, 60)
                       for _person, key in data["leaders"]]
    first = leader_browsers[0]
    home = f"/n/{slug}/me/"
    live = urlsplit(screen).path
    plan = [
        ("floor", repeat * 2, lambda n: first.request("GET", f"/n/{slug}/bench/floor/")),
        ("home", repeat, lambda n: first.request("GET", home)),
        ("phone", repeat, lambda n: first.request(
            "GET", f"/n/{slug}/polls/now/", htmx=True,
            headers={"HX-Request": "true", "HX-Target": "polls-now"})),
        ("live", repeat, lambda n: facilitator.request(
            "GET", live, htmx=True, headers={"HX-Request": "true", "HX-Target": "poll-live"})),
    ]
    rows = []

    async def measure(kind, count, call):
        before = len(stats.times[kind])
        meter.start()
        for number in range(count):
            await call(number)
        cpu = sum(meter.totals().values())
        times = stats.times[kind][before:]
        rows.append((kind, count, cpu, statistics.median(times) if times else float("nan")))

    for kind, count, call in plan:
        await call(0)  # the worker that answers next has done this once
        await measure(kind, count, call)
    # Answers: a second poll, each leader's form read first (not measured), then posted.
    await open_poll(facilitator, data)
    forms = []
    people = [person_id for person_id, _key in data["leaders"]]
    for person_id, browser in list(zip(people, leader_browsers, strict=True))[:repeat]:
        html = await browser.request("GET", home)
        form = re.search(r'<form method="post" action="([^"]+/answer/)"', html[1] if html else "")
        if form:
            forms.append((browser, form.group(1), csrf_of_form(html[1]), csrf_of_htmx(html[1]),
                          value_of(person_id)))

    def answer(number):
        browser, action, token, header, value = forms[number]
        return browser.request("POST", action, htmx=True, form={
            "csrfmiddlewaretoken": token, "value": value},
            headers={"HX-Request": "true", "HX-Target": "polls-now", "X-CSRFToken": header})

    if forms:
        await measure("answer", len(forms), answer)
    if stats.errors:
        print(f"  calibration errors: {dict(stats.errors)} {stats.error_samples[:3]}")
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaders", type=int, default=300)
    parser.add_argument("--window", type=float, default=60,
                        help="Seconds over which the leaders arrive (default 60).")
    parser.add_argument("--think", type=float, default=3,
                        help="Mean seconds between seeing the question and answering (3).")
    parser.add_argument("--stay", type=float, default=60,
                        help="Seconds a phone stays on What's next after answering, asking "
                             "for the card every 15 s (default 60).")
    parser.add_argument("--double-taps", type=float, default=0.1,
                        help="Share of the leaders whose answer is sent twice at once, as a "
                             "double tap without JavaScript can (default 0.1).")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers.")
    parser.add_argument("--projectors", type=int, default=3)
    parser.add_argument("--port", type=int, default=8831)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--repeat", type=int, default=50,
                        help="Requests per type when measuring one at a time (default 50).")
    arguments = parser.parse_args()

    prepare_scale_dataset(arguments.leaders)
    import dj_database_url

    database = dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"]
    data = prepare(arguments.leaders, arguments.projectors)
    log_dir = Path(tempfile.mkdtemp(prefix="bro-bench-poll-"))
    addresses = [("127.0.0.1", arguments.port)]
    servers = start_servers([arguments.port], arguments.workers, log_dir)
    try:
        wait_for_ports("127.0.0.1", [arguments.port])
        run(arguments, data, addresses, servers, log_dir, database)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


async def warm_up(addresses, data, stats, workers):
    """Every worker imports and renders once before the clock starts."""
    browser = PollBrowser(addresses, data["leaders"][0][1], stats, 60)
    await asyncio.gather(*(browser.request("GET", f"/n/{data['slug']}{path}")
                           for _ in range(workers * 2)
                           for path in ("/bench/floor/", "/me/", "/polls/now/")))


def run(arguments, data, addresses, servers, log_dir, database):
    meter = CPUMeter([server.pid for server in servers], database)
    measured = measure_load(
        meter, log_dir, lambda stats: warm_up(addresses, data, stats, arguments.workers),
        lambda stats: room_day(arguments, data, addresses, stats), kinds=poll_kind_of)
    poll_id, screen, answered = measured.result
    stats, elapsed, cpu, on_server = (measured.stats, measured.elapsed, measured.cpu,
                                      measured.on_server)
    stored, rows, released, blocks, consistent = stored_poll(poll_id)
    calibration = asyncio.run(calibrate(addresses, data, meter, arguments.repeat, screen))

    k, leaders = data["k"], arguments.leaders
    print(f"\nBro live poll benchmark: {leaders} leaders in {data['groups']} groups answer a "
          f"scale question from What's next, arriving over {arguments.window:.0f} s, think "
          f"{arguments.think:g} s, phones refreshing every {PHONE_SECONDS} s for "
          f"{arguments.stay:g} s after answering, {arguments.double_taps:.0%} double taps; "
          f"{arguments.projectors} screens polling every "
          f"{SCREEN_SECONDS} s; gunicorn {arguments.workers} sync workers, production settings; "
          f"{os.cpu_count()} cores, load average before "
          + ", ".join(f"{load:.1f}" for load in measured.load_before) + f"; k = {k}\n")
    floor_cpu = next(cpu_s / n for kind, n, cpu_s, _m in calibration if kind == "floor")
    floor_time = next(median for kind, _n, _c, median in calibration if kind == "floor")
    total = sum(len(values) for values in stats.times.values())
    print(f"  {'under load':<10} {'requests':>8} {'errors':>6}   client ms: {'p50':>6} "
          f"{'p95':>6} {'p99':>6} {'max':>6}   server ms: {'p50':>5} {'p95':>5}")
    for kind in KINDS:
        times = [t * 1000 for t in stats.times.get(kind, [])]
        if not times and not stats.errors.get(kind):
            continue
        server = on_server.get(kind, [])
        print(f"  {kind:<10} {len(times):8,} {stats.errors.get(kind, 0):6}   {'':10} "
              f"{percentile(times, .5):6.0f} {percentile(times, .95):6.0f} "
              f"{percentile(times, .99):6.0f} {max(times, default=float('nan')):6.0f}   "
              f"{'':10} {percentile(server, .5):5.0f} {percentile(server, .95):5.0f}")
    errors = sum(stats.errors.values())
    server_cpu = sum(cpu.values())
    print(f"\n  {total:,} requests and {errors} errors in {elapsed:.0f} s "
          f"({total / elapsed:.1f} requests/s); {len(answered)} of {leaders} answered")
    if stats.error_samples:
        print("  first errors: " + "; ".join(stats.error_samples[:5]))
    print(f"  server CPU: {server_cpu:.0f} s (gunicorn {cpu.get('gunicorn', 0):.0f} s, "
          f"PostgreSQL {cpu.get('postgres', 0):.0f} s) = "
          f"{server_cpu / max(total, 1) * 1000:.1f} ms a request "
          f"({server_cpu / max(total, 1) / floor_cpu:.1f}x the floor's), "
          f"{server_cpu / elapsed:.2f} cores on average")
    print(f"  client CPU: {measured.client_cpu:.0f} s; load average after "
          + ", ".join(f"{load:.1f}" for load in measured.load_after))

    print(f"\n  {'one at a time':<13} {'requests':>8}   server CPU ms {'':>8}   client ms")
    for kind, count, cpu_seconds, median in calibration:
        per = cpu_seconds / count
        print(f"  {kind:<13} {count:8}   {per * 1000:13.1f} {per / floor_cpu:6.1f}x   "
              f"{median * 1000:9.1f} {median / floor_time:6.1f}x floor")

    given = {person: value_of(person) for person in answered}
    lost = sum(1 for person in given if person not in stored)
    wrong = sum(1 for person, value in given.items() if stored.get(person) not in (None, value))
    extra = sum(1 for person in stored if person not in given)
    expected_released = leaders // k * k
    print(f"\n  answers: {rows} stored of {leaders} leaders ({len(given)} answered): {lost} "
          f"lost, {rows - len(stored)} doubled, {wrong} with another value, {extra} unexpected")
    print(f"  released: {len(blocks)} blocks of {sorted(set(blocks))} holding {released} "
          f"answers (floor({leaders}/{k})*{k} = {expected_released}); the blocks' counts "
          + ("match" if consistent else "DO NOT match") + " the answers they hold")
    print(f"  gunicorn logs: {log_dir}")
    if (rows != leaders or lost or wrong or extra or released != expected_released
            or sum(blocks) != expected_released or any(size != k for size in blocks)
            or not consistent):
        sys.exit("The stored answers or released blocks are wrong.")


if __name__ == "__main__":
    main()

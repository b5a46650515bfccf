"""The gathering day under load (DESIGN.md section 6, issue 11): every leader of a network
answers the digital maturity test within minutes while projectors show the gathering screen.

    .venv/bin/python bench/bench_gathering.py                     # 300 leaders over 300 s
    .venv/bin/python bench/bench_gathering.py --window 120
    .venv/bin/python bench/bench_gathering.py --workers 4 --ports 2   # two web processes
    .venv/bin/python bench/bench_gathering.py --url http://127.0.0.1:8000   # a running Bro

Starts Bro under gunicorn (sync workers, access log on, as in the Procfile) with production
settings (bench/benchenv.py) on DATABASE_URL, by default postgres://postgres@127.0.0.1:5432/
bro_bench_gathering (created, migrated and filled by manage.py seed_scale), and REDIS_URL, by
default redis://127.0.0.1:6379/11. --ports N starts N such web processes and sends each
browser's requests to them in turn (a round-robin load balancer), so a leader's test works only
if they share nothing but PostgreSQL, Redis and storage. With --url it drives a Bro that is
already running instead; that one must use the same DATABASE_URL and have BENCH_FLOOR=true.

The cohort is network scale-01 of seed_scale: --leaders leaders in groups of seven. Each run
removes the previous run's rounds and opens a new round "Bench gathering" of the shipped
digital maturity instrument (19 items). Sign-in without mail: the script writes one session
per leader and projector straight into the session store (what allauth's code sign-in leaves
there: the person's id, backend and password hash) and sends its key as the session cookie;
that is the only thing the benchmark does that a browser does not.

Every leader, arriving evenly spread over --window seconds in random order, then does what
the browser does (tests/browser/test_leader_journey.py): the intro page, Start (form POST with
the CSRF token), per part the page, one htmx autosave POST per radio group (HX-Request, the
X-CSRFToken header of <body hx-headers>, only that field), the part's form POST "Save and go to
the next part" and its redirect, the review page, submit, and the own results page; each
static file once (a browser caches them). --think seconds on average between two actions
(default 0: as fast as the server answers). Meanwhile --projectors facilitators' screens open
the gathering screen and poll its live part (hx-get every 5 s after the previous answer).

Prints per request type the client-side p50/p95/p99, the server-side p50/p95 from gunicorn's
access log, errors and throughput; the CPU time the server spent (gunicorn workers and this
database's PostgreSQL backends, read from /proc every half second) per request, and the
client's own CPU; then, one request at a time on the quiet server, the CPU and time of each
request type as a ratio to the floor page; and last the stored answers against the expected
count (0 lost, 0 doubled, 0 with another value).
"""

import argparse
import asyncio
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchenv import ROOT, prepare_scale_dataset, use_production_settings

use_production_settings("bro_bench_gathering", redis_db=11)

BENCH_ROUND = "Bench gathering"
CALIBRATION_ROUND = "Bench calibration"
INSTRUMENT = "digital-maturity"
POLL_SECONDS = 5  # assessments.results.views.GATHERING_REFRESH_SECONDS
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Request types, in the order a leader meets them; the access log is sorted by the same rules.
KINDS = ["floor", "intro", "start", "step", "autosave", "step_next", "review", "submit",
         "results", "static", "gathering", "live"]


def kind_of(method, path, htmx=False):
    path = path.split("?")[0]
    if path.startswith("/static/"):
        return "static"
    if path.endswith("/bench/floor/"):
        return "floor"
    if "/take/save/" in path:
        return "autosave"
    if "/take/review/" in path:
        return "submit" if method == "POST" else "review"
    if re.search(r"/take/\d+/$", path):
        return "step_next" if method == "POST" else "step"
    if path.endswith("/take/"):
        return "start" if method == "POST" else "intro"
    if path.endswith("/my-results/"):
        return "results"
    if path.endswith("/gathering/"):
        return "live" if htmx else "gathering"
    return "other"


# --- the data ----------------------------------------------------------------------------------

def session_for(person):
    """The key of a new session signed in as the person: what allauth's code sign-in leaves."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from tenancy.sessions import start_session

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(person.pk)
    session[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    start_session(session, person)  # the session clocks a sign-in starts
    session.create()
    return session.session_key


def prepare(leaders, projectors, own_server):
    """The round, the calibration round and one session per leader and projector."""
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from assessments.instruments_io import load_shipped_instruments
    from assessments.models import Instrument, Item, Round, RoundPurpose
    from cohorts.models import Cohort
    from tenancy.models import Network, Role, RoleKind
    from tenancy.scoping import platform_wide

    with platform_wide():
        load_shipped_instruments()
        network = Network.objects.get(slug="scale-01")
        instrument = Instrument.objects.filter(slug=INSTRUMENT).order_by("-version").first()
        cohort = Cohort.objects.for_network(network).get()
        Round.objects.for_network(network).filter(
            custom_name__in=(BENCH_ROUND, CALIBRATION_ROUND)).delete()
        now = timezone.now()
        rounds = {name: Round.objects.create(
            network=network, cohort=cohort, instrument=instrument, name=name,
            purpose=RoundPurpose.GATHERING, opens_at=now - timedelta(minutes=1),
            closes_at=now + timedelta(days=1)) for name in (BENCH_ROUND, CALIBRATION_ROUND)}
        roles = list(Role.objects.for_network(network).filter(kind=RoleKind.LEADER)
                     .select_related("person").order_by("pk"))
        if len(roles) < leaders:
            sys.exit(f"scale-01 has {len(roles)} leaders, fewer than --leaders {leaders}.")
        facilitator = Role.objects.for_network(network).get(kind=RoleKind.FACILITATOR).person
        if own_server:
            Session.objects.all().delete()  # the benchmark's own database: earlier runs'
        people = [role.person for role in roles[:leaders]]
        return {
            "slug": network.slug, "round": rounds[BENCH_ROUND].pk,
            "calibration_round": rounds[CALIBRATION_ROUND].pk,
            "items": Item.objects.filter(dimension__instrument=instrument).count(),
            "groups": len({role.leader_group_id for role in roles[:leaders]}),
            "leaders": [(person.pk, session_for(person)) for person in people],
            # one per projector, and one for measuring the live part one request at a time
            "projector_sessions": [session_for(facilitator) for _ in range(projectors + 1)],
        }


def stored_answers(round_id):
    """{(person id, item id, kind): value}, the number of answer rows, of responses, of
    submitted responses and of people with more than one response."""
    from django.db.models import Count

    from assessments.models import Answer, Response
    from tenancy.scoping import platform_wide

    with platform_wide():
        rows = list(Answer.objects.filter(response__round_id=round_id).values_list(
            "response__person_id", "item_id", "kind", "value", "dont_know"))
        responses = Response.objects.filter(round_id=round_id)
        doubled_responses = (responses.values("person_id").annotate(n=Count("pk"))
                             .filter(n__gt=1).count())
        return ({(person, item, kind): "dk" if dont_know else str(value)
                 for person, item, kind, value, dont_know in rows}, len(rows),
                responses.count(), responses.filter(submitted_at__isnull=False).count(),
                doubled_responses)


# --- the server and its CPU --------------------------------------------------------------------

def start_servers(ports, workers, log_dir):
    servers = []
    for port in ports:
        command = [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-c", "config/gunicorn.py",
                   "--bind", f"127.0.0.1:{port}",
                   "--workers", str(workers), "--no-control-socket",  # one per port
                   "--access-logfile", str(log_dir / f"access-{port}.log"),
                   "--access-logformat", "%(m)s %(U)s %(s)s %(M)s %({hx-request}i)s",
                   "--error-logfile", str(log_dir / f"error-{port}.log")]
        servers.append(subprocess.Popen(command, cwd=ROOT, env=os.environ.copy()))
    return servers


def wait_for_ports(host, ports, seconds=60):
    import socket

    deadline = time.monotonic() + seconds
    for port in ports:
        while True:
            try:
                socket.create_connection((host, port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit(f"Nothing answers on {host}:{port}.")
                time.sleep(0.2)


def _stat(pid):
    """(ppid, CPU seconds of the process itself) from /proc/<pid>/stat, or None."""
    try:
        with open(f"/proc/{pid}/stat") as file:
            fields = file.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            return file.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class CPUMeter:
    """CPU seconds of the gunicorn masters and workers and of this database's PostgreSQL
    backends, sampled from /proc: a process first seen after start() counts from zero, one
    that ends keeps its last sample (so at most half a second of it is lost)."""

    def __init__(self, masters, database):
        self.masters, self.database = set(masters), database
        self.seen = {}  # pid -> (group, CPU seconds at first sight, last)
        self.ignored = set()  # processes that are neither
        self.baseline_pids = set()
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.workers_started = 0

    def _processes(self):
        found = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit() or int(entry.name) in self.ignored:
                continue
            pid = int(entry.name)
            stat = _stat(pid)
            if stat is None:
                continue
            ppid, cpu = stat
            if pid in self.masters or ppid in self.masters:
                found[pid] = ("gunicorn", cpu)
            elif pid in self.seen and self.seen[pid][0] == "postgres":
                found[pid] = ("postgres", cpu)
            elif (command := _cmdline(pid)).startswith("postgres:") \
                    and f" {self.database} " in command:
                found[pid] = ("postgres", cpu)
            elif "postgres" not in command:  # a new backend may not have its title yet
                self.ignored.add(pid)
        return found

    def sample(self, first=False):
        found = self._processes()
        with self.lock:
            for pid, (group, cpu) in found.items():
                if pid not in self.seen:
                    self.seen[pid] = (group, cpu if first else 0.0, cpu)
                    if not first and group == "gunicorn":
                        self.workers_started += 1
                else:
                    self.seen[pid] = (group, self.seen[pid][1], cpu)

    def start(self):
        self.seen = {}
        self.workers_started = 0
        self.sample(first=True)

    def totals(self):
        self.sample()
        totals = defaultdict(float)
        with self.lock:
            for group, first, last in self.seen.values():
                totals[group] += last - first
        return dict(totals)

    def run_in_background(self):
        def loop():
            while not self.stopped.wait(0.5):
                self.sample()
        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        return thread


# --- the client --------------------------------------------------------------------------------

class Stats:
    def __init__(self):
        self.times = defaultdict(list)
        self.errors = defaultdict(int)
        self.error_samples = []

    def error(self, kind, what):
        self.errors[kind] += 1
        if len(self.error_samples) < 10:
            self.error_samples.append(f"{kind}: {what}")


class Browser:
    """One browser: its cookies, its cache of static files, and HTTP/1.1 requests on asyncio
    streams (gunicorn's sync workers close the connection after every answer). With several
    web processes each request goes to the next one, like a round-robin load balancer: the
    site's address (Host, Origin) stays the first one."""

    kinds = staticmethod(kind_of)  # names a request's type in the figures

    def __init__(self, addresses, session_key, stats, timeout, turn=0):
        self.addresses, self.stats, self.timeout, self.turn = addresses, stats, timeout, turn
        self.site = "{}:{}".format(*addresses[0])
        self.origin = f"http://{self.site}"
        self.cookies = {"sessionid": session_key}
        self.cached = set()

    async def request(self, method, path, *, expect=200, headers=None, form=None, htmx=False):
        body = urlencode(form or {}).encode() if method == "POST" else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.site}",
                 "Connection: close", "Accept-Encoding: gzip, deflate, br",
                 "Accept-Language: nb,en;q=0.5", "User-Agent: bro-bench",
                 "Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items())]
        if method == "POST":
            lines += ["Content-Type: application/x-www-form-urlencoded",
                      f"Content-Length: {len(body)}", f"Origin: {self.origin}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        kind = self.kinds(method, path, htmx)
        started = time.perf_counter()
        try:
            status, response_headers, content = await asyncio.wait_for(
                self._exchange(raw), self.timeout)
        except (TimeoutError, OSError, ValueError) as error:
            self.stats.error(kind, f"{path}: {type(error).__name__} {error}")
            return None
        self.stats.times[kind].append(time.perf_counter() - started)
        for cookie in response_headers.get("set-cookie", []):
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        if status != expect:
            self.stats.error(kind, f"{path}: HTTP {status}")
            return None
        return response_headers, content

    async def _exchange(self, raw):
        host, port = self.addresses[self.turn % len(self.addresses)]
        self.turn += 1
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(raw)
            await writer.drain()
            data = await reader.read()
        finally:
            writer.close()
        head, _, content = data.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = defaultdict(list)
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()].append(value.strip())
        return int(status_line.split()[1]), headers, content.decode("utf-8", "replace")

    async def page(self, path):
        """GET a page and then, like a browser, each static file it links not yet cached."""
        answer = await self.request("GET", path)
        if answer is None:
            return None
        html = answer[1]
        for asset in re.findall(r'<(?:link rel="stylesheet" href|script src)="(/static/[^"]+)"',
                                html):
            if asset not in self.cached:
                self.cached.add(asset)
                await self.request("GET", asset)
        return html

    async def form_post(self, path, form, expect=302):
        """A form POST answered with a redirect; the address redirected to, or None."""
        answer = await self.request("POST", path, form=form, expect=expect,
                                    headers={"Referer": self.origin + path})
        return answer[0]["location"][0] if answer else None


def csrf_of_form(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def csrf_of_htmx(html):
    return re.search(r'"X-CSRFToken": "([^"]+)"', unescape(html)).group(1)


def questions_of(html):
    """[(save address, field, [option values])] of a part, in the page's order: each radio
    button posts its own question (the steps are shown once, today and ambition side by side)."""
    saves = {}
    for field, save in re.findall(r'<input type="radio" [^>]*?name="([^"]+)"[^>]*? '
                                  r'hx-post="([^"]+)"', html):
        saves.setdefault(field, save)
    return [(save, field, re.findall(rf'name="{re.escape(field)}" value="([^"]+)"', html))
            for field, save in saves.items()]


def choose(person_id, field, options):
    """The option this leader picks: "today" somewhere on the scale, "ambition" a step or two
    above; the same choice in every run, so the stored values can be checked."""
    values = [value for value in options if value != "dk"]
    item = int(field.split("-")[1])
    today = (person_id * 7 + item) % max(1, len(values) - 1)
    if field.endswith("-today"):
        return values[today]
    return values[min(len(values) - 1, today + 1 + (person_id + item) % 2)]


async def leader(browser, person_id, slug, round_id, think, chosen, rng):
    """The whole test as the browser does it; True when the leader got to their results."""
    async def pause():
        if think:
            await asyncio.sleep(rng.uniform(0, 2 * think))

    base = f"/n/{slug}/rounds/{round_id}/take/"
    html = await browser.page(base)
    if html is None:
        return False
    await pause()
    location = await browser.form_post(base, {"csrfmiddlewaretoken": csrf_of_form(html)})
    while location and re.search(r"/take/\d+/$", location):
        html = await browser.page(location)
        if html is None:
            return False
        token, form = csrf_of_htmx(html), {"csrfmiddlewaretoken": csrf_of_form(html)}
        for save, field, options in questions_of(html):
            await pause()
            value = choose(person_id, field, options)
            chosen[(person_id, int(field.split("-")[1]), field.split("-")[2])] = value
            answer = await browser.request(
                "POST", save, form={field: value}, htmx=True,
                headers={"HX-Request": "true", "HX-Current-URL": browser.origin + location,
                         "HX-Target": f"status-{field}", "X-CSRFToken": token})
            if answer and "take-status__error" in answer[1]:
                browser.stats.error("autosave", f"{save}: refused")
            form[field] = value
        await pause()
        location = await browser.form_post(location, {**form, "go": "next"})
    if not location or not location.endswith("/take/review/"):
        return False
    html = await browser.page(location)
    if html is None:
        return False
    await pause()
    location = await browser.form_post(location, {"csrfmiddlewaretoken": csrf_of_form(html)})
    return bool(location) and await browser.page(location) is not None


async def projector(browser, slug, round_id, position, done):
    path = f"/n/{slug}/rounds/{round_id}/gathering/?d={position}"
    await browser.page(path)
    while not done.is_set():
        try:
            await asyncio.wait_for(done.wait(), POLL_SECONDS)
        except TimeoutError:
            pass
        await browser.request("GET", path, htmx=True, headers={
            "HX-Request": "true", "HX-Target": "gathering-live", "HX-Trigger": "gathering-live",
            "HX-Current-URL": browser.origin + path})


async def gathering(arguments, data, addresses, stats):
    """Every leader arriving within the window, the projectors polling until the last one
    finished; returns (seconds from the first arrival to the last finish, leaders finished,
    chosen answers)."""
    rng = random.Random(42)
    leaders = list(enumerate(data["leaders"]))
    rng.shuffle(leaders)
    chosen, finished, done = {}, [], asyncio.Event()
    started = time.perf_counter()

    async def arrive(order, index, person_id, session_key):
        await asyncio.sleep(order * arguments.window / len(leaders))
        browser = Browser(addresses, session_key, stats, arguments.timeout, turn=index)
        if await leader(browser, person_id, data["slug"], data["round"], arguments.think,
                        chosen, random.Random(person_id)):
            finished.append(time.perf_counter() - started)

    projectors = []
    for number in range(arguments.projectors):
        browser = Browser(addresses, data["projector_sessions"][number], stats,
                          arguments.timeout, turn=number)
        projectors.append(asyncio.create_task(
            projector(browser, data["slug"], data["round"], number % 3, done)))
    await asyncio.gather(*(arrive(order, index, person_id, key)
                           for order, (index, (person_id, key)) in enumerate(leaders)))
    done.set()
    await asyncio.gather(*projectors)
    return max(finished, default=0.0), len(finished), chosen


async def warm_up(addresses, data, stats, workers):
    """Every worker imports and renders once before the clock starts."""
    _person_id, key = data["leaders"][0]
    slug, round_id = data["slug"], data["round"]
    for address in addresses:
        browser = Browser([address], key, stats, 60)
        await asyncio.gather(*(browser.request("GET", path) for _ in range(workers * 2)
                               for path in (f"/n/{slug}/bench/floor/",
                                            f"/n/{slug}/rounds/{round_id}/take/")))


async def calibrate(addresses, data, meter, repeat):
    """One request at a time on the quiet server: (kind, requests, server CPU seconds,
    client-side median seconds) for the floor and the requests that matter most."""
    stats = Stats()
    slug, (_person_id, key) = data["slug"], data["leaders"][0]
    browser = Browser(addresses[:1], key, stats, 60)
    take = f"/n/{slug}/rounds/{data['calibration_round']}/take/"
    html = await browser.page(take)
    step = await browser.form_post(take, {"csrfmiddlewaretoken": csrf_of_form(html)})
    html = await browser.page(step)
    token, questions = csrf_of_htmx(html), questions_of(html)
    projector_browser = Browser(addresses[:1], data["projector_sessions"][-1], stats, 60)
    live = f"/n/{slug}/rounds/{data['round']}/gathering/?d=0"

    def autosave(number):
        save, field, options = questions[number % len(questions)]
        value = [v for v in options if v != "dk"][(number // len(questions)) % 2]
        return browser.request("POST", save, form={field: value}, htmx=True, headers={
            "HX-Request": "true", "HX-Current-URL": browser.origin + step,
            "HX-Target": f"status-{field}", "X-CSRFToken": token})

    plan = [
        ("floor", repeat * 2, lambda n: browser.request("GET", f"/n/{slug}/bench/floor/")),
        ("autosave", repeat * 2, autosave),
        ("step", repeat, lambda n: browser.request("GET", step)),
        ("intro", repeat, lambda n: browser.request("GET", take)),
        ("results", repeat, lambda n: browser.request(
            "GET", f"/n/{slug}/rounds/{data['round']}/my-results/")),
        ("live", repeat, lambda n: projector_browser.request(
            "GET", live, htmx=True, headers={"HX-Request": "true",
                                             "HX-Target": "gathering-live"})),
        ("gathering", repeat // 2, lambda n: projector_browser.request("GET", live)),
    ]
    rows = []
    for kind, count, call in plan:
        await call(0)  # the worker that answers next has done this once
        before = len(stats.times[kind])
        meter.start()
        for number in range(count):
            await call(number)
        cpu = sum(meter.totals().values())
        times = stats.times[kind][before:]
        rows.append((kind, count, cpu, statistics.median(times) if times else float("nan")))
    if stats.errors:
        print(f"  calibration errors: {dict(stats.errors)} {stats.error_samples[:3]}")
    return rows


# --- reporting ---------------------------------------------------------------------------------

def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def server_times(log_files, offsets, kinds=kind_of):
    """{kind: [milliseconds]} from the part of gunicorn's access logs written during the load."""
    times = defaultdict(list)
    for path, offset in zip(log_files, offsets, strict=True):
        with open(path) as file:
            file.seek(offset)
            for line in file:
                parts = line.split()
                if len(parts) >= 4:
                    htmx = len(parts) > 4 and parts[4] == "true"
                    times[kinds(parts[0], parts[1], htmx)].append(int(parts[3]))
    return times


@dataclass
class Measured:
    """What measure_load saw: the load's own result and the figures around it."""

    result: object
    stats: Stats
    elapsed: float  # seconds
    cpu: dict  # {"gunicorn": CPU seconds, "postgres": CPU seconds}
    workers_started: int  # processes the meter first saw during the load
    client_cpu: float  # this process's CPU seconds
    load_before: tuple
    load_after: tuple
    on_server: dict  # {kind: [milliseconds]} from gunicorn's access logs during the load


def measure_load(meter, log_dir, warm_up, load, kinds=kind_of):
    """Warm the workers up (the coroutine `warm_up(stats)`), then run the coroutine
    `load(stats)` under the CPU meter, with the machine's load and this client's CPU before
    and after and the access logs' lines written meanwhile: the scaffolding of every load
    benchmark here (bench_gathering, bench_poll)."""
    stats = Stats()
    asyncio.run(warm_up(stats))
    if stats.errors:
        sys.exit(f"The warm-up failed: {stats.error_samples}")
    log_files = sorted(log_dir.glob("access-*.log"))
    offsets = [path.stat().st_size for path in log_files]
    load_before = os.getloadavg()
    client_before = resource.getrusage(resource.RUSAGE_SELF)
    meter.start()
    sampler = meter.run_in_background()
    stats = Stats()
    started = time.perf_counter()
    result = asyncio.run(load(stats))
    elapsed = time.perf_counter() - started
    meter.stopped.set()
    sampler.join()
    cpu = meter.totals()
    client_after = resource.getrusage(resource.RUSAGE_SELF)
    load_after = os.getloadavg()
    meter.stopped.clear()
    return Measured(
        result, stats, elapsed, cpu, meter.workers_started,
        client_after.ru_utime + client_after.ru_stime
        - client_before.ru_utime - client_before.ru_stime,
        load_before, load_after, server_times(log_files, offsets, kinds) if log_files else {})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaders", type=int, default=300)
    parser.add_argument("--window", type=float, default=300,
                        help="Seconds over which the leaders arrive (default 300).")
    parser.add_argument("--think", type=float, default=0,
                        help="Mean seconds a leader waits between two actions (default 0).")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per port.")
    parser.add_argument("--projectors", type=int, default=3)
    parser.add_argument("--ports", type=int, default=1,
                        help="Web processes on as many ports; each browser's requests go "
                             "to them in turn, like a round-robin load balancer.")
    parser.add_argument("--port", type=int, default=8811, help="The first port (default 8811).")
    parser.add_argument("--timeout", type=float, default=120,
                        help="Seconds a client waits for an answer before giving up.")
    parser.add_argument("--repeat", type=int, default=100,
                        help="Requests per type when measuring one at a time (default 100).")
    parser.add_argument("--url", help="Drive a Bro already running there (same DATABASE_URL).")
    arguments = parser.parse_args()

    prepare_scale_dataset(arguments.leaders)
    import dj_database_url

    database = dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"]
    data = prepare(arguments.leaders, arguments.projectors, own_server=not arguments.url)
    log_dir = Path(tempfile.mkdtemp(prefix="bro-bench-gathering-"))
    servers = []
    if arguments.url:
        address = urlsplit(arguments.url)
        addresses = [(address.hostname, address.port or 80)]
    else:
        ports = [arguments.port + n for n in range(arguments.ports)]
        addresses = [("127.0.0.1", port) for port in ports]
        servers = start_servers(ports, arguments.workers, log_dir)
    try:
        wait_for_ports("127.0.0.1" if not arguments.url else addresses[0][0],
                       [port for _host, port in addresses])
        run(arguments, data, addresses, servers, log_dir, database)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


def run(arguments, data, addresses, servers, log_dir, database):
    meter = CPUMeter([server.pid for server in servers], database)
    measured = measure_load(
        meter, log_dir, lambda stats: warm_up(addresses, data, stats, arguments.workers),
        lambda stats: gathering(arguments, data, addresses, stats))
    last_finish, finished, chosen = measured.result
    stats, elapsed, cpu = measured.stats, measured.elapsed, measured.cpu
    calibration = asyncio.run(calibrate(addresses, data, meter, arguments.repeat))
    stored, rows, responses, submitted, doubled_responses = stored_answers(data["round"])

    items = data["items"]
    print(f"\nBro gathering benchmark: {arguments.leaders} leaders in {data['groups']} groups, "
          f"digital maturity ({items} items, {2 * items} answers each), arrivals over "
          f"{arguments.window:.0f} s, think {arguments.think:g} s, {arguments.projectors} "
          f"projectors polling every {POLL_SECONDS} s; "
          + (f"gunicorn {arguments.workers} sync workers on {len(addresses)} port(s)"
             if servers else f"the server at {arguments.url}")
          + f", production settings; {os.cpu_count()} cores, load average before "
          + ", ".join(f"{load:.1f}" for load in measured.load_before) + "\n")

    # (no CPU to read when the server runs elsewhere: --url on another machine)
    floor_cpu = next(cpu_s / n for kind, n, cpu_s, _median in calibration
                     if kind == "floor") or float("nan")
    floor_time = next(median for kind, _n, _cpu, median in calibration if kind == "floor")
    total = sum(len(values) for values in stats.times.values())
    print(f"  {'under load':<12} {'requests':>8} {'errors':>6}   client ms: {'p50':>6} "
          f"{'p95':>6} {'p99':>6} {'max':>6}   server ms: {'p50':>5} {'p95':>5}")
    for kind in KINDS:
        times = [t * 1000 for t in stats.times.get(kind, [])]
        if not times and not stats.errors.get(kind):
            continue
        server = measured.on_server.get(kind, [])
        print(f"  {kind:<12} {len(times):8,} {stats.errors.get(kind, 0):6}   {'':10} "
              f"{percentile(times, .5):6.0f} {percentile(times, .95):6.0f} "
              f"{percentile(times, .99):6.0f} {max(times, default=float('nan')):6.0f}   "
              f"{'':10} {percentile(server, .5):5.0f} {percentile(server, .95):5.0f}")
    errors = sum(stats.errors.values())
    server_cpu = sum(cpu.values())
    print(f"\n  {total:,} requests and {errors} errors in {elapsed:.0f} s ({total / elapsed:.1f} "
          f"requests/s); {finished} of {arguments.leaders} leaders finished, the last "
          f"{last_finish:.0f} s after the first arrived")
    if stats.error_samples:
        print("  first errors: " + "; ".join(stats.error_samples[:5]))
    print(f"  server CPU: {server_cpu:.0f} s (gunicorn {cpu.get('gunicorn', 0):.0f} s, "
          f"PostgreSQL {cpu.get('postgres', 0):.0f} s) = {server_cpu / max(total, 1) * 1000:.1f} "
          f"ms a request ({server_cpu / max(total, 1) / floor_cpu:.1f}x the floor's), "
          f"{server_cpu / elapsed:.2f} cores on average"
          + (f"; {measured.workers_started} processes started during the load (worker "
             f"restarts or new database connections)" if measured.workers_started else ""))
    print(f"  client CPU: {measured.client_cpu:.0f} s "
          f"({measured.client_cpu / elapsed * 100:.0f} % of one core); load average after "
          + ", ".join(f"{load:.1f}" for load in measured.load_after))

    print(f"\n  {'one at a time':<12} {'requests':>8}   server CPU ms {'':>8}   client ms")
    for kind, count, cpu_seconds, median in calibration:
        per = cpu_seconds / count
        print(f"  {kind:<12} {count:8}   {per * 1000:13.1f} {per / floor_cpu:6.1f}x   "
              f"{median * 1000:9.1f} {median / floor_time:6.1f}x floor")

    expected = len(chosen)
    lost = sum(1 for key in chosen if key not in stored)
    wrong = sum(1 for key, value in chosen.items() if key in stored and stored[key] != value)
    extra = sum(1 for key in stored if key not in chosen)
    print(f"\n  answers: {rows:,} stored of {expected:,} given "
          f"({arguments.leaders} x {2 * items} = {arguments.leaders * 2 * items:,} expected): "
          f"{lost} lost, {rows - len(stored)} doubled, {wrong} with another value, {extra} "
          f"unexpected; {submitted} of {responses} responses submitted, "
          f"{doubled_responses} people with two responses")
    print(f"  gunicorn logs: {log_dir}")
    if lost or wrong or extra or rows != len(stored) or doubled_responses:
        sys.exit("Answers were lost or doubled.")


if __name__ == "__main__":
    main()

"""Small builders for test data: one network with a person in every role, and helpers."""

import itertools
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from tenancy.models import Invitation, LeaderGroup, Network, Organisation, Person, RoleKind
from tenancy.roles import NetworkRoles, every_role_of
from tenancy.services import grant_role

_counter = itertools.count(1)
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def make_network(slug=None, **fields):
    n = next(_counter)
    slug = slug or f"network-{n}"
    defaults = {"name": f"Network {n}", "country": "NO", "default_language": "nb"}
    return Network.objects.create(slug=slug, **{**defaults, **fields})


def make_organisation(network, name=None):
    return Organisation.objects.create(network=network, name=name or f"Kommune {next(_counter)}")


def make_group(network, organisation=None, name=None):
    return LeaderGroup.objects.create(
        network=network, organisation=organisation, name=name or f"Ledergruppe {next(_counter)}")


def network_roles_of(person, network):
    """request.roles as NetworkMiddleware builds it: the person's roles in every network (one
    query), narrowed to this one."""
    request = SimpleNamespace(user=person)
    return NetworkRoles.among(person, network, every_role_of(request))


def world_invitation(world, email="invited@test.example"):
    """A leader invitation to the world's group, not yet accepted (its token is not kept)."""
    from tenancy.services import new_invitation_token

    return Invitation.objects.create(
        network=world.network, email=email, language="en", kind=RoleKind.LEADER,
        organisation=world.organisation, leader_group=world.group,
        token_hash=new_invitation_token()[1], invited_by=world.coordinator,
        expires_at=timezone.now() + timedelta(days=Invitation.VALID_FOR_DAYS))


def make_person(name=None, email=None, **fields):
    n = next(_counter)
    return Person.objects.create_user(
        email or f"person{n}@test.example", name=name or f"Person {n}", **fields)


def with_mfa(person):
    if not Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(person, TOTP_SECRET)
    return person


def save_network_in_admin(client, network, **changes):
    """Post the platform admin's network form with the network's fields, some of them changed
    (e.g. anonymity_threshold=7, logo=an upload); the client is signed in as staff."""
    from django.urls import reverse

    fields = {"name": network.name, "slug": network.slug, "country": network.country,
              "default_language": network.default_language,
              "anonymity_threshold": network.anonymity_threshold, "entra_provider_id": ""}
    return client.post(reverse("admin:tenancy_network_change", args=[network.pk]),
                       {**fields, **changes})


@dataclass
class NetworkWorld:
    """A network with one organisation, one group and a person in every role."""

    network: Network
    organisation: Organisation
    group: LeaderGroup
    leader: Person
    coordinator: Person
    facilitator: Person
    admin: Person

    def person(self, role):
        return getattr(self, role)


ROLES = ["leader", "coordinator", "facilitator", "admin"]


def make_world(slug=None, **network_fields):
    network = make_network(slug, **network_fields)
    organisation = make_organisation(network)
    group = make_group(network, organisation)
    leader, coordinator, facilitator, admin = (make_person() for _ in range(4))
    grant_role(leader, network, RoleKind.LEADER, leader_group=group)
    grant_role(coordinator, network, RoleKind.COORDINATOR, organisation=organisation)
    grant_role(facilitator, network, RoleKind.FACILITATOR)
    grant_role(admin, network, RoleKind.NETWORK_ADMIN)
    with_mfa(admin)
    return NetworkWorld(network, organisation, group, leader, coordinator, facilitator, admin)


def make_programme(slug="test-programme"):
    from programmes.models import Programme

    programme, _created = Programme.objects.get_or_create(
        slug=slug, defaults={"name": {"nb": "Testprogram", "da": "Testprogram",
                                      "en": "Test programme"}})
    return programme


def make_cohort(world, name="Kull 2026", starts_on="2026-01-15"):
    from cohorts.models import Cohort

    return Cohort.objects.create(network=world.network, programme=make_programme(), name=name,
                                 starts_on=starts_on)


# --- Assessment results (aggregation, charts, results pages) -------------------------------

FACETS = ("knowledge", "skills", "attitude")


def build_instrument(slug="test-profile", version=1, kind="profile", level="none",
                     areas=(("strategy", ("vision", "customer")), ("technology", ("data",))),
                     scale_min=1, scale_max=5):
    """A small instrument made directly with the ORM: one item per dimension.

    `areas` is ((area_code, (dimension_code, ...)), ...); names are the codes in every
    language, the discussion prompt is "Talk about <code>"."""
    from assessments.models import Area, Dimension, Instrument, Item

    def text(value):
        return {"nb": value, "da": value, "en": value}

    instrument = Instrument.objects.create(
        slug=slug, version=version, kind=kind, name=text(slug), scale_min=scale_min,
        scale_max=scale_max, definition={"scoring": {"method": "mean", "level": level},
                                         "answer_kinds": ["today", "ambition"]})
    position = 0
    for area_position, (area_code, dimension_codes) in enumerate(areas, start=1):
        area = Area.objects.create(instrument=instrument, code=area_code,
                                   position=area_position, name=text(area_code))
        for code in dimension_codes:
            position += 1
            facet = FACETS[(position - 1) % 3] if kind == "wheel" else ""
            dimension = Dimension.objects.create(
                instrument=instrument, area=area, code=code, position=position, facet=facet,
                name=text(code), description=text(f"About {code}"),
                discussion_prompt=text(f"Talk about {code}"))
            Item.objects.create(dimension=dimension, code=f"{code}-1", position=1,
                                text=text(f"Statement on {code}"))
    return instrument


def build_round(world, instrument=None, cohort=None, name="Start", opens_at=None,
                closes_at=None):
    """A round in the world's network, in a cohort that holds the world's group and is
    facilitated by the world's facilitator (made if the network has none yet)."""
    from datetime import timedelta

    from django.utils import timezone

    from assessments.models import Instrument, Round
    from cohorts.models import Cohort

    if cohort is None:
        cohort = (Cohort.objects.for_network(world.network)
                  .filter(leader_groups=world.group).first())
    if cohort is None:
        cohort = make_cohort(world)
        cohort.leader_groups.add(world.group)
        cohort.facilitators.add(world.facilitator)
    if instrument is None:
        instrument = (Instrument.objects.filter(slug="test-profile").first()
                      or build_instrument())
    now = timezone.now()
    return Round.objects.create(
        network=world.network, cohort=cohort, instrument=instrument, name=name,
        opens_at=opens_at or now - timedelta(days=1),
        closes_at=closes_at or now + timedelta(days=1))


def build_submission(round, person=None, group=None, organisation="group", scores=None,
                     submitted_at=None):
    """A submitted Response with its DimensionScore rows, made directly, and the block it
    completes released (as at a real submit).

    `scores` maps dimension code -> (today, ambition); either may be None for no score.
    `organisation` defaults to the group's organisation."""
    from django.utils import timezone

    from assessments.anonymity.blocks import release_unit_blocks
    from assessments.models import DimensionScore, Response

    person = person or make_person()
    if organisation == "group":
        organisation = group.organisation if group else None
    response = Response.objects.create(
        network=round.network, round=round, person=person, leader_group=group,
        organisation=organisation, submitted_at=submitted_at or timezone.now())
    dimensions = {d.code: d for d in round.instrument.dimensions.all()}
    rows = []
    for code, pair in (scores or {}).items():
        for kind, score in zip(("today", "ambition"), pair, strict=True):
            if score is not None:
                rows.append(DimensionScore(
                    network=round.network, response=response, round=round,
                    dimension=dimensions[code], leader_group=group, organisation=organisation,
                    kind=kind, score=score))
    DimensionScore.objects.bulk_create(rows)
    # what submit_response does next: release the unit's block if this completed one
    release_unit_blocks(round, response.leader_group_id, response.organisation_id)
    return response


def code_from_email(message):
    """The one-time sign-in code in a sign-in email (it stands alone on its line)."""
    import re

    match = re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", message.body, re.MULTILINE)
    assert match, message.body
    return match.group(1)


def current_totp_code(secret=TOTP_SECRET):
    """The code an authenticator app would show now for this secret.

    Bro accepts only the current 30-second step, so near the end of a step this waits for
    the next one rather than hand out a code that expires before the test sends it."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    left = app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD
    if left < 3:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def sign_in_with_code(client, email):
    """Ask for a code, read it from the email, enter it; returns the final response."""
    from django.core import mail
    from django.urls import reverse

    sent_before = len(mail.outbox)
    client.post(reverse("account_request_login_code"), {"email": email})
    assert len(mail.outbox) == sent_before + 1
    return client.post(reverse("account_confirm_login_code"),
                       {"code": code_from_email(mail.outbox[-1])}, follow=True)


# --- Resource library and the leader's journey (programmes, resources, modules) ------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def make_network_resource(world, slug="regional-case", **fields):
    """One of the network's own library resources, with a small PDF (made once per slug)."""
    from django.core.files.base import ContentFile

    from resources.models import Resource

    resource = Resource.objects.of_network(world.network).filter(slug=slug).first()
    if resource is None:
        values = {"kind": "case", "language": "nb", "modules": ["organisation"],
                  "sectors": ["health"], "title": {"nb": f"Regional case {slug}",
                                                   "en": f"Regional case {slug}"},
                  "description": {"en": "A case from our own region."}, **fields}
        resource = Resource(network=world.network, slug=slug, **values)
        resource.file.save("case.pdf", ContentFile(PDF_BYTES), save=False)
        resource.save()
    return resource


def with_captions(resource):
    """The resource with a small WebVTT captions file (stored once)."""
    from django.core.files.base import ContentFile

    if not resource.captions:
        resource.captions.save("captions.vtt", ContentFile(b"WEBVTT\n"), save=True)
    return resource


def make_round(cohort, *, opens_at, closes_at, name="Start assessment"):
    from assessments.models import Instrument, Round

    instrument, _created = Instrument.objects.get_or_create(
        slug="test-instrument", version=1,
        defaults={"kind": "generations", "name": {"en": "Test instrument"}, "definition": {}})
    return Round.objects.create(network=cohort.network, cohort=cohort, instrument=instrument,
                                name=name, opens_at=opens_at, closes_at=closes_at)


# --- Modules and cohorts: one builder (programmes, cohorts, modules, reminders) -------------

PHASE_KINDS = ["prework", "gathering", "postwork"]
THEMES = ("organisation", "leadership", "strategy", "technology")
JOURNEY_ACTIVITIES = {
    "prework": ["assessment", "video", "reflection", "group_task"],
    "gathering": ["case"],
    "postwork": ["ambition", "initiatives"],
}
EXTRA_ACTIVITY_KINDS = ["video", "reflection", "group_task", "article"]


def _text(value):
    return {"nb": value, "da": value, "en": value}


def shared_resource(slug="journey-film", kind="video"):
    from resources.models import Resource

    return (Resource.objects.shared().filter(slug=slug).first()
            or Resource.objects.create(network=None, slug=slug, kind=kind, language="en",
                                       duration_minutes=30, title=_text(f"Film {slug}"),
                                       url="https://vimeo.com/76979871"))


def make_module(programme=None, slug="organisation", position=1, *, content="phases",
                activities=2, title=None):
    """A module of the programme (the test programme unless given), made once per slug; with
    slug=None a new one each call. `content` says what its phases hold:

    - "phases": pre-work, gathering and post-work, `activities` reflections in each;
    - "prework": pre-work only, `activities` films (what the reminders need);
    - "journey": an activity of each kind the leader's journey shows, plus `activities` extra
      ones in pre-work (call again with a larger number to grow)."""
    from programmes.models import Activity, Module, Phase

    programme = programme or make_programme()
    slug = slug or f"module-{next(_counter)}"
    name = {"nb": f"Modul {slug}", "da": f"Modul {slug}", "en": f"Module {slug}"}
    module, created = Module.objects.get_or_create(
        programme=programme, slug=slug,
        defaults={"theme": slug if slug in THEMES else "organisation", "position": position,
                  "title": _text(title) if title else name,
                  **({"introduction": _text("What the module is about")}
                     if content == "journey" else {})})
    if content == "journey":
        _journey_content(module, activities)
    elif created:
        kinds = ["prework"] if content == "prework" else PHASE_KINDS
        activity_kind = "video" if content == "prework" else "reflection"
        for phase_position, kind in enumerate(kinds, start=1):
            phase = Phase.objects.create(module=module, kind=kind, position=phase_position)
            for number in range(1, activities + 1):
                Activity.objects.create(
                    phase=phase, slug=f"{kind}-{number}", kind=activity_kind, position=number,
                    title={"en": f"{kind} {number}", "nb": f"{kind} {number}"})
    return module


def _journey_content(module, extra_activities):
    from programmes.models import Activity, Phase

    film = shared_resource()
    for position, (kind, activity_kinds) in enumerate(JOURNEY_ACTIVITIES.items(), start=1):
        phase, _created = Phase.objects.get_or_create(
            module=module, kind=kind,
            defaults={"position": position, "introduction": _text(f"About the {kind}")})
        for index, activity_kind in enumerate(activity_kinds, start=1):
            Activity.objects.get_or_create(phase=phase, slug=activity_kind, defaults={
                "kind": activity_kind, "position": index, "duration_minutes": 20,
                "title": _text(f"Do the {activity_kind}"),
                "instructions": _text(f"How to do the {activity_kind}"),
                "questions": ({"nb": ["Hva?"], "da": ["Hvad?"], "en": ["What?"]}
                              if activity_kind == "reflection" else {}),
                "resource": film if activity_kind in ("video", "case") else None,
                "instrument_slug": "digital-maturity" if activity_kind == "assessment" else ""})
    prework = module.phases.get(kind="prework")
    for number in range(1, extra_activities + 1):
        kind = EXTRA_ACTIVITY_KINDS[number % len(EXTRA_ACTIVITY_KINDS)]
        Activity.objects.get_or_create(phase=prework, slug=f"extra-{number}", defaults={
            "kind": kind, "position": 10 + number, "title": _text(f"Extra {kind} {number}"),
            "resource": film if kind in ("video", "article") else None})


def make_cohort_module(cohort, module=None, *, prework_opens_on=None, gathering_on=None,
                       gathering_at=None, postwork_due_on=None, gathering=True,
                       slug="organisation", content="phases", activities=2, title=None,
                       **gathering_fields):
    """A module in the cohort's schedule with its gathering: 09:00-15:30 local time on
    gathering_on, or six and a half hours from gathering_at (gathering=False: none yet).

    Without `module`, make_module(slug, content, activities, title) in the cohort's programme.
    Pre-work opens when the cohort starts, the gathering is four weeks later and post-work is
    due eight weeks after it, unless given. `gathering_fields` go to the Gathering (place,
    online_url, ends_at, ...)."""
    from datetime import date, time, timedelta

    from cohorts.models import CohortModule, Gathering
    from cohorts.schedule import local_datetime

    module = module or make_module(cohort.programme, slug, content=content,
                                   activities=activities, title=title)
    starts_on = cohort.starts_on if isinstance(cohort.starts_on, date) else \
        date.fromisoformat(cohort.starts_on)
    prework_opens_on = prework_opens_on or starts_on
    if gathering_at is not None:
        gathering_on = gathering_at.date()
    gathering_on = gathering_on or prework_opens_on + timedelta(weeks=4)
    starts_at = gathering_at or local_datetime(gathering_on, time(9))
    cohort_module = CohortModule.objects.create(
        network_id=cohort.network_id, cohort=cohort, module=module, position=module.position,
        prework_opens_on=prework_opens_on,
        postwork_due_on=postwork_due_on or gathering_on + timedelta(weeks=8))
    if gathering:
        Gathering.objects.create(
            network_id=cohort.network_id, cohort_module=cohort_module, starts_at=starts_at,
            **{"ends_at": starts_at + timedelta(hours=6, minutes=30),
               "place": "Clarion Hotel Ernst, Kristiansand", **gathering_fields})
    return cohort_module


def world_cohort(world):
    """The world's cohort “Kull 2026” (the one test_role_matrix facilitates), with the world's
    organisation and group taking part."""
    from cohorts.models import Cohort

    cohort = (Cohort.objects.for_network(world.network).filter(name="Kull 2026").first()
              or make_cohort(world))
    cohort.organisations.add(world.organisation)
    cohort.leader_groups.add(world.group)
    return cohort


def world_cohort_module(world):
    cohort = world_cohort(world)
    return cohort.cohort_modules.first() or make_cohort_module(cohort)


def world_gathering(world):
    return world_cohort_module(world).gathering


def world_leader_role(world):
    from tenancy.models import Role

    return Role.objects.for_network(world.network).get(person=world.leader, kind="leader")


def make_journey(world, prework_opens_on=None, gathering_on=None, postwork_due_on=None):
    """A module of a cohort that the world's group takes part in (the first one there is, or
    a new one in pre-work today), with a gathering and an activity of each kind."""
    from datetime import timedelta

    from django.utils import timezone

    from cohorts.models import Cohort, CohortModule

    existing = (CohortModule.objects.for_network(world.network)
                .filter(cohort__leader_groups=world.group)
                .select_related("module", "cohort").order_by("pk").first())
    if existing is not None:
        make_module(existing.module.programme, existing.module.slug, content="journey",
                    activities=0)
        return existing
    cohort = (Cohort.objects.for_network(world.network).filter(leader_groups=world.group)
              .order_by("pk").first())
    if cohort is None:
        cohort = make_cohort(world)
        cohort.leader_groups.add(world.group)
    today = timezone.localdate()
    return make_cohort_module(
        cohort, content="journey", activities=0, title="Organisation", place="Kristiansand",
        prework_opens_on=prework_opens_on or today - timedelta(days=7),
        gathering_on=gathering_on or today + timedelta(days=14), postwork_due_on=postwork_due_on)


def journey_activity(world, kind):
    """The activity of this kind in the module of make_journey(world)."""
    from programmes.models import Activity

    return (Activity.objects.standard()
            .filter(phase__module=make_journey(world).module_id, kind=kind)
            .order_by("pk").first())


def make_own_activity(world, kind="reflection", phase="prework", **fields):
    """An activity the network admin wrote for make_journey(world)'s cohort alone (the first
    one written, or a new one)."""
    from cohorts import tailoring

    cohort_module = make_journey(world)
    existing = cohort_module.own_activities.order_by("pk").first()
    if existing is not None:
        return existing
    return tailoring.write_activity(
        cohort_module, phase=cohort_module.module.phases.get(kind=phase), kind=kind,
        title=fields.get("title", {"nb": "Vår egen refleksjon", "en": "Our own reflection"}),
        instructions=fields.get("instructions", {"en": "Think about Bergen."}),
        dimension_tags=fields.get("dimension_tags", []))


def make_initiative(world, title="Technology radar", **fields):
    """An initiative of the world's group in make_journey(world) (made once per title)."""
    from modules.models import Initiative

    cohort_module = make_journey(world)
    initiative, _created = Initiative.objects.for_network(world.network).get_or_create(
        network=world.network, cohort=cohort_module.cohort, leader_group=world.group,
        module=cohort_module.module, title=title,
        defaults={"horizon": "short", "description": "Twice a year.", **fields})
    return initiative


# --- Reports (assessments/reports/document.py) -----------------------------------------

def make_report(world, kind="group", **fields):
    """A report of the world's cohort (test_role_matrix's facilitated one): of the world's
    group, or with kind="network" of the whole cohort; queued unless fields say otherwise."""
    from assessments.models import Report

    group = world.group if kind == "group" else None
    return Report.objects.create(
        network=world.network, cohort=world_cohort(world), leader_group=group, kind=kind,
        language=world.network.default_language, requested_by=world.admin, **fields)


@dataclass
class ReportResults:
    round: object
    group: LeaderGroup  # the world's group: 5 answers, shown
    other: LeaderGroup  # 5 answers, shown
    small: LeaderGroup  # 2 answers: below k, never shown
    small_leader: Person


REPORT_SCORES = {
    # group: per leader {dimension: (today, ambition)}; its means: tests/assessments/reports/
    "group": [{"vision": (t, a), "customer": (3, 4), "data": (d, 3)}
              for t, a, d in zip((2, 2, 3, 3, 3), (4, 4, 4, 5, 5), (1, 2, 2, 2, 2), strict=True)],
    "other": [{"vision": (3.5, 4.5), "customer": (2, 5), "data": (4, 4)}] * 5,
    # means 1.7 → 4.7, 2.3 → 4.2, 3.7 → 4.9: numbers no other value of the report has
    "small": [{"vision": (1.6, 4.6), "customer": (2.3, 4.2), "data": (3.7, 4.9)},
              {"vision": (1.8, 4.8), "customer": (2.3, 4.2), "data": (3.7, 4.9)}],
}


def make_report_results(world, cohort=None):
    """An open round of the world's cohort (build_round) with three groups of the world's
    organisation: the world's group and "Helse" with 5 answers each, "Smågruppen" with 2."""
    from datetime import timedelta

    from django.utils import timezone

    round_ = build_round(world, cohort=cohort)
    other = make_group(world.network, world.organisation, name="Ledergruppe Helse")
    small = make_group(world.network, world.organisation, name="Smågruppen")
    round_.cohort.leader_groups.add(world.group, other, small)
    small_leader = make_person()
    grant_role(small_leader, world.network, RoleKind.LEADER, leader_group=small)
    start = timezone.now() - timedelta(hours=1)
    people = {"group": [world.leader] + [None] * 4, "small": [small_leader, None]}
    for key, group in (("group", world.group), ("other", other), ("small", small)):
        for index, scores in enumerate(REPORT_SCORES[key]):
            person = people.get(key, [None] * 5)[index]
            build_submission(round_, person=person, group=group, scores=scores,
                             submitted_at=start + timedelta(minutes=len(key) * 10 + index))
    return ReportResults(round_, world.group, other, small, small_leader)


def make_network_sign_in(network, kind="idporten", *, display_name="ID-porten",
                         server_url=None, client_id=None, secret="client-secret"):
    """One of the network's identity providers, set up as the network admin would."""
    from tenancy.models import NetworkSignIn
    from tenancy.services import save_network_sign_in

    return save_network_sign_in(NetworkSignIn(
        network=network, kind=kind, display_name=display_name,
        server_url=server_url or f"https://{kind}.test.example/{network.slug}",
        client_id=client_id or f"bro-{network.slug}", secret=secret), secret_changed=True)


# --- Running a gathering: polls, evaluation, messages -----------------------------------------

def make_poll(world, gathering=None, *, question="How ready are we?", kind="scale",
              options=(), opened=True):
    """A live poll of the world's gathering (world_gathering), open unless told."""
    from django.utils import timezone

    from assessments.models import Poll

    gathering = gathering or world_gathering(world)
    return Poll.objects.create(
        network=world.network, gathering=gathering, purpose="live", kind=kind,
        question={"en": question}, options=[{"en": option} for option in options],
        opened_at=timezone.now() if opened else None)


def make_cohort_message(world, *, subject="Welcome to the gathering", leader_group=None):
    """A message to the world's cohort, shown for a week (not emailed: see send_cohort_message)."""
    from datetime import timedelta

    from django.utils import timezone

    from cohorts.models import CohortMessage

    return CohortMessage.objects.create(
        network=world.network, cohort=world_cohort(world), leader_group=leader_group,
        sender=world.facilitator, subject=subject, body="See you at nine.",
        shown_until=timezone.now() + timedelta(days=7))

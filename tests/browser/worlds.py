"""Where each journey starts: a regional network running the standard programme, made with
the same services the pages call. What a journey is about is done in the browser."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from assessments import services as assessment_services
from assessments.instruments_io import load_shipped_instruments
from assessments.models import Instrument, RoundPurpose
from assessments.taking import services as answering
from cohorts import services as cohort_services
from programmes.loader import load_programme
from tenancy.models import RoleKind
from tenancy.services import create_invitation, grant_role
from tests.factories import make_group, make_network, make_organisation, make_person, with_mfa

ANONYMITY_THRESHOLD = 3


def digi_agder():
    """A Norwegian network with the standard programme and Bro's instruments loaded; groups
    are shown once 3 have answered (the lowest threshold a network may choose)."""
    network = make_network("digi-agder", name="Digi Agder",
                           anonymity_threshold=ANONYMITY_THRESHOLD)
    programme = load_programme().programme
    load_shipped_instruments()
    return network, programme


def network_admin(network, email="randi.kvale@digi-agder.example"):
    admin = make_person("Randi Kvale", email)
    grant_role(admin, network, RoleKind.NETWORK_ADMIN)
    return with_mfa(admin)


@dataclass
class RunningCohort:
    """A cohort in its first week: module 1's pre-work is open, so is the start assessment."""

    network: object
    programme: object
    organisation: object
    group: object
    cohort: object
    round: object
    admin: object
    facilitator: object
    leaders: list = field(default_factory=list)

    def invite_leader(self, name, email, language):
        """A leader invited by the coordinator; the invitation email goes out at once."""
        create_invitation(self.network, email=email, name=name, kind=RoleKind.LEADER,
                          invited_by=self.admin, language=language,
                          organisation=self.organisation, leader_group=self.group)

    def leader_who_answered(self, name, today, ambition):
        """A leader of the group who submitted the start assessment with these values for
        every question."""
        person = make_person(name, f"{name.lower().replace(' ', '.')}@kristiansand.example")
        grant_role(person, self.network, RoleKind.LEADER, leader_group=self.group)
        response = answering.start_response(self.round, person, self.group)
        items = self.round.instrument.dimensions.all()
        answers = [(item, kind, value) for dimension in items for item in dimension.items.all()
                   for kind, value in (("today", today), ("ambition", ambition))]
        answering.save_answers(response, answers)
        answering.submit_response(response)
        self.leaders.append(person)
        return person


def running_cohort():
    network, programme = digi_agder()
    organisation = make_organisation(network, "Kristiansand kommune")
    group = make_group(network, organisation, "Kommunedirektørens ledergruppe")
    # Ingrid facilitates in networks of both countries and reads Bro in English.
    facilitator = make_person("Ingrid Solberg", "ingrid.solberg@bro.example", language="en")
    grant_role(facilitator, network, RoleKind.FACILITATOR)
    today = timezone.localdate()
    cohort = cohort_services.create_cohort(
        network, programme=programme, name="Kull 2026", starts_on=today - timedelta(days=7),
        modules=list(programme.modules.order_by("position")))
    cohort_services.set_participants(cohort, organisations=[organisation],
                                     leader_groups=[group], facilitators=[facilitator])
    now = timezone.now()
    round_ = assessment_services.schedule_round(
        cohort, instrument=Instrument.objects.get(slug="digital-maturity", version=1),
        name="Start", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=21),
        purpose=RoundPurpose.START)
    return RunningCohort(network, programme, organisation, group, cohort, round_,
                         network_admin(network), facilitator)

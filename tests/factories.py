"""Small builders for test data: one network with a person in every role, and helpers."""

import itertools
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from tenancy.models import LeaderGroup, Network, Organisation, Person, RoleKind
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


def make_person(name=None, email=None, **fields):
    n = next(_counter)
    return Person.objects.create_user(
        email or f"person{n}@test.example", name=name or f"Person {n}", **fields)


def with_mfa(person):
    if not Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(person, TOTP_SECRET)
    return person


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

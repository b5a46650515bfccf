"""The demo's networks, organisations, leader groups and people (see seed_demo).

Every row is found by a natural key before it is created, so seeding twice changes nothing.
"""

from pathlib import Path

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.files import File

from tenancy.models import LeaderGroup, Network, Organisation, Person, RoleKind
from tenancy.services import grant_role

DEMO_PASSWORD = "bro-demo-2026"
LOGOS_DIR = Path(settings.BASE_DIR) / "static" / "demo" / "logos"
# A fixed TOTP secret for demo admins, so `manage.py demo_totp` can print their current code.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

# Population bands of the demo's municipalities (for pairing leader groups at gatherings).
SIZE_BANDS = {"Kristiansand kommune": "big_city", "Arendal kommune": "large",
              "Grimstad kommune": "large", "Lillesand kommune": "medium",
              "Kolding Kommune": "city", "Vejle Kommune": "big_city",
              "Fredericia Kommune": "large"}

NETWORKS = [
    {
        "slug": "digi-agder", "name": "Digi Agder", "country": "NO", "default_language": "nb",
        "organisations": {
            "Kristiansand kommune": [
                ("Kommunedirektørens ledergruppe", [
                    ("Camilla Egeland", "kommunedirektør"),
                    ("Tor Inge Sødal", "direktør for helse og mestring"),
                    ("Hanne Marit Fidjeland", "direktør for oppvekst"),
                    ("Øyvind Lauvdal", "direktør for by- og stedsutvikling"),
                    ("Siri Kvinlaug", "organisasjonsdirektør"),
                    ("Jostein Haugland", "digitaliseringssjef"),
                    ("Anne Lise Stålesen", "økonomidirektør"),
                ]),
            ],
            "Arendal kommune": [
                ("Rådmannens ledergruppe", [
                    ("Harald Danielsen", "kommunedirektør"),
                    ("Kristin Aasen Mørland", "kommunalsjef helse og levekår"),
                    ("Geir Skaiaa", "kommunalsjef oppvekst"),
                    ("Marianne Thorsen", "HR-sjef"),
                    ("Eirik Bråten", "IKT-leder"),
                ]),
            ],
            "Grimstad kommune": [
                ("Kommunedirektørens ledergruppe", [
                    ("Ingvild Tønnessen", "kommunedirektør"),
                    ("Per Arne Reiersen", "kommunalsjef samfunn"),
                    ("Torunn Nilsen Eikeland", "kommunalsjef helse"),
                    ("Magnus Fjeldstad", "kommunalsjef oppvekst"),
                    ("Line Abrahamsen", "stabssjef"),
                ]),
            ],
            "Lillesand kommune": [
                ("Ledergruppen", [
                    ("Tone Beate Salvesen", "kommunedirektør"),
                    ("Svein Olav Krossli", "kommunalsjef"),
                    ("Guri Hægeland", "kommunalsjef"),
                    ("Anders Møller Bakken", "økonomisjef"),
                ]),
            ],
        },
        "cross_groups": [
            ("Digitaliseringsledere i Østre Agder", [
                ("Arendal kommune", "Eirik Bråten"),
                ("Grimstad kommune", "Line Abrahamsen"),
                ("Lillesand kommune", "Anders Møller Bakken"),
                ("Kristiansand kommune", "Jostein Haugland"),
            ]),
        ],
        "admin": ("Randi Kvåle", "nettverkskoordinator, Digi Agder"),
        "facilitators": [("Ingrid Solberg", "fasilitator"), ("Bjørnar Homme", "kursleder")],
        "coordinators": {
            "Kristiansand kommune": ("Lene Mathisen", "digitaliseringsrådgiver"),
            "Arendal kommune": ("Ole Kristian Holte", "organisasjonsrådgiver"),
            "Grimstad kommune": ("Ragnhild Berge", "rådgiver"),
            "Lillesand kommune": ("Stian Ugland", "IKT-rådgiver"),
        },
    },
    {
        "slug": "digi-syddanmark", "name": "Digitaliseringsnetværket Syddanmark", "country": "DK",
        "default_language": "da",
        "organisations": {
            "Kolding Kommune": [
                ("Direktionen", [
                    ("Mette Juul Frederiksen", "kommunaldirektør"),
                    ("Søren Bech Lauritsen", "direktør for børn og uddannelse"),
                    ("Birgitte Kjær", "direktør for social og sundhed"),
                    ("Anders Skovgaard", "direktør for by- og udviklingsforvaltningen"),
                    ("Louise Høj Andersen", "digitaliseringschef"),
                    ("Jens Peter Mikkelsen", "økonomichef"),
                ]),
            ],
            "Vejle Kommune": [
                ("Chefgruppen", [
                    ("Henrik Dalsgaard", "kommunaldirektør"),
                    ("Tina Overgaard Nielsen", "direktør for senior og social"),
                    ("Rasmus Kirkegaard", "direktør for teknik og miljø"),
                    ("Pernille Bruun", "HR-chef"),
                    ("Kasper Lund Sørensen", "IT-chef"),
                    ("Camilla Vestergaard", "direktør for børn og unge"),
                    ("Niels Ejnar Poulsen", "kultur- og fritidschef"),
                    ("Anne Mette Thygesen", "stabschef"),
                ]),
            ],
            "Fredericia Kommune": [
                ("Direktionen", [
                    ("Lars Kristian Holm", "kommunaldirektør"),
                    ("Hanne Østergaard", "direktør"),
                    ("Morten Bisgaard", "direktør"),
                    ("Sanne Frost Jakobsen", "digitaliseringskonsulent"),
                ]),
            ],
        },
        "cross_groups": [],
        "admin": ("Karen Holst Madsen", "netværkskoordinator"),
        "facilitators": [("Ingrid Solberg", "fasilitator")],
        "coordinators": {
            "Kolding Kommune": ("Thomas Riis", "udviklingskonsulent"),
            "Vejle Kommune": ("Maja Dam Christensen", "digitaliseringskonsulent"),
            "Fredericia Kommune": ("Bo Winther", "HR-konsulent"),
        },
    },
]


def demo_email(name, network_slug):
    local = ".".join(name.lower().replace("ø", "o").replace("æ", "ae").replace("å", "a")
                     .split())
    return f"{local}@{network_slug}.example"


def _person(name, title, network):
    """A demo person; Ingrid Solberg facilitates in both networks with one account."""
    email = demo_email(name, "bro" if name == "Ingrid Solberg" else network.slug)
    person = Person.objects.filter(email__iexact=email).first()
    if person is None:
        person = Person.objects.create_user(email, password=DEMO_PASSWORD, name=name, title=title)
    EmailAddress.objects.update_or_create(
        user=person, email__iexact=email,
        defaults={"email": email, "verified": True, "primary": True})
    return person


def _ensure_totp(person):
    if not Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(person, DEMO_TOTP_SECRET)


def _give_logo(network):
    """The network's own small logo (static/demo/logos), unless it has one already."""
    path = LOGOS_DIR / f"{network.slug}.svg"
    if network.logo or not path.exists():
        return
    with path.open("rb") as logo:
        network.logo.save(path.name, File(logo), save=True)


def seed(demo):
    staff = Person.objects.filter(email__iexact="platform@bro.example").first()
    if staff is None:
        staff = Person.objects.create_superuser(
            "platform@bro.example", password=DEMO_PASSWORD, name="Platform Staff")
    EmailAddress.objects.update_or_create(
        user=staff, email__iexact=staff.email,
        defaults={"email": staff.email, "verified": True, "primary": True})
    _ensure_totp(staff)
    demo.sign_ins.append(("platform staff", staff.email, "TOTP"))

    for spec in NETWORKS:
        network, _created = Network.objects.get_or_create(slug=spec["slug"], defaults={
            "name": spec["name"], "country": spec["country"],
            "default_language": spec["default_language"]})
        _give_logo(network)
        demo.networks.append(network)
        people_by_name = {}
        for org_name, groups in spec["organisations"].items():
            organisation, _created = Organisation.objects.for_network(network).get_or_create(
                network=network, name=org_name,
                defaults={"size_band": SIZE_BANDS.get(org_name, "")})
            for group_name, leaders in groups:
                group, _created = LeaderGroup.objects.for_network(network).get_or_create(
                    network=network, organisation=organisation, name=group_name)
                demo.leader_groups.append(group)
                for name, title in leaders:
                    person = _person(name, title, network)
                    people_by_name[(org_name, name)] = person
                    grant_role(person, network, RoleKind.LEADER, leader_group=group)
        for group_name, members in spec["cross_groups"]:
            group, _created = LeaderGroup.objects.for_network(network).get_or_create(
                network=network, organisation=None, name=group_name)
            demo.leader_groups.append(group)
            for org_name, name in members:
                grant_role(people_by_name[(org_name, name)], network, RoleKind.LEADER,
                           leader_group=group)
        admin = _person(*spec["admin"], network)
        grant_role(admin, network, RoleKind.NETWORK_ADMIN)
        _ensure_totp(admin)
        demo.sign_ins.append((f"network admin, {network.name}", admin.email, "TOTP"))
        for name, title in spec["facilitators"]:
            facilitator = _person(name, title, network)
            grant_role(facilitator, network, RoleKind.FACILITATOR)
            demo.facilitators.setdefault(network.slug, []).append(facilitator)
            demo.sign_ins.append((f"facilitator, {network.name}", facilitator.email, ""))
        for org_name, (name, title) in spec["coordinators"].items():
            coordinator = _person(name, title, network)
            organisation = Organisation.objects.for_network(network).get(name=org_name)
            grant_role(coordinator, network, RoleKind.COORDINATOR, organisation=organisation)
            demo.sign_ins.append((f"coordinator, {org_name}", coordinator.email, ""))
        first_org, first_groups = next(iter(spec["organisations"].items()))
        leader = people_by_name[(first_org, first_groups[0][1][0][0])]
        demo.sign_ins.append((f"leader, {first_org}", leader.email, ""))

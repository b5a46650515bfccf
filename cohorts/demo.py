"""The demo's cohorts (see seed_demo): one running cohort per network, its first module in
pre-work today, and last year's cohort in Digi Agder to copy from.

Cohorts are found by name before they are made, so seeding twice changes nothing.
"""

from datetime import timedelta

from django.utils import timezone

from cohorts.models import Cohort, CohortModule, Gathering
from cohorts.schedule import GATHERING_ENDS, GATHERING_STARTS, MODULE_INTERVAL, local_datetime
from programmes.models import Programme
from tenancy.models import Organisation

PROGRAMME_SLUG = "kompetanseloft"
PAST_NETWORK = "digi-agder"
GATHERING_WEEKDAYS = (1, 2, 3)  # Tuesday to Thursday

COHORTS = {
    "digi-agder": {
        "name": "Kompetanseløft 2026",
        "past_name": "Kompetanseløft 2025",
        "venues": ["Clarion Hotel Ernst, Kristiansand", "Arendal kulturhus, Arendal", "",
                   "Scandic Kristiansand Bystranda, Kristiansand"],
        "online_url": "https://meet.example/digi-agder-kompetanseloft",
        "agenda": [
            "09.00 Kaffe og velkommen\n09.30 Fem generasjoner digital modenhet – hvor står vi?\n"
            "10.30 Case: Borgerens forløp i Lillesand\n11.30 Lunsj\n12.15 Kartlegging i "
            "ledergruppene\n13.30 Dialog på tvers av kommunene\n15.00 Oppsummering og veien "
            "videre",
            "09.00 Velkommen\n09.15 Ledelse i det ukjente\n10.30 De tre personlige "
            "kapabilitetene\n11.30 Lunsj\n12.15 Ledergruppene i par på tvers av kommunene\n"
            "14.30 Hva tar vi med hjem?",
            "09.00 Velkommen (digitalt)\n09.15 Strategi er ikke en IT-plan\n10.30 Økosystemer "
            "og partnerskap\n11.30 Pause\n12.15 Ledergruppenes strategiarbeid i grupperom\n"
            "14.30 Oppsummering",
            "09.00 Kaffe og velkommen\n09.30 Teknologisk fremsyn og teknologiradar\n10.30 Case: "
            "KI i turnusplanlegging\n11.30 Lunsj\n12.15 Modulær arkitektur i praksis\n13.30 "
            "Ambisjoner og tiltak – hva nå?\n15.00 Avslutning av programmet",
        ],
        "speakers": [
            "Ingrid Solberg, fasilitator\nKnut Aasland, kommunedirektør (pensjonert)",
            "Bjørnar Homme, kursleder\nSilje Fjeld, lederutvikler",
            "Ingrid Solberg, fasilitator\nTrond Vige, strategirådgiver",
            "Bjørnar Homme, kursleder\nMaria Lunde, arkitekt i DigiSør",
        ],
    },
    "digi-syddanmark": {
        "name": "Kompetenceløft 2026",
        "venues": ["Comwell Kolding, Kolding", "Vejle Center Hotel, Vejle", "",
                   "Fredericia Idrætscenter, Fredericia"],
        "online_url": "https://meet.example/digi-syddanmark-kompetenceloeft",
        "agenda": [
            "09.00 Kaffe og velkomst\n09.30 Fem generationer af digital modenhed\n10.30 Case: "
            "Borgerens forløb på tværs\n11.30 Frokost\n12.15 Kortlægning i ledergrupperne\n"
            "13.30 Dialog på tværs af kommunerne\n15.00 Opsamling",
            "09.00 Velkomst\n09.15 Ledelse i det ukendte\n10.30 De tre personlige "
            "kapabiliteter\n11.30 Frokost\n12.15 Ledergrupper i par\n14.30 Hvad tager vi med "
            "hjem?",
            "09.00 Velkomst (digitalt)\n09.15 Strategi er ikke en IT-plan\n10.30 Økosystemer "
            "og partnerskaber\n11.30 Pause\n12.15 Strategiarbejde i grupperum\n14.30 Opsamling",
            "09.00 Kaffe og velkomst\n09.30 Teknologisk fremsyn\n10.30 Case: AI i "
            "vagtplanlægning\n11.30 Frokost\n12.15 Modulær arkitektur\n13.30 Ambitioner og "
            "indsatser\n15.00 Afslutning",
        ],
        "speakers": [
            "Ingrid Solberg, facilitator\nLone Kjeldsen, kommunaldirektør",
            "Ingrid Solberg, facilitator\nPeter Dahl, lederudvikler",
            "Ingrid Solberg, facilitator\nSara Winther, strategikonsulent",
            "Ingrid Solberg, facilitator\nMikkel Bang, enterprise-arkitekt",
        ],
    },
}


def _programme():
    programme = Programme.objects.filter(slug=PROGRAMME_SLUG).first()
    if programme is not None:
        return programme
    from programmes import loader

    load = getattr(loader, "load_programme_file", None) or getattr(loader, "load_programme",
                                                                     None)
    if load is None:
        return None
    load()
    return Programme.objects.filter(slug=PROGRAMME_SLUG).first()


def _own_resources(network, module):
    """The network's own resources meant for this module (by theme), if the library has any."""
    from resources.models import Resource

    return [resource for resource in Resource.objects.of_network(network)
            if module.slug in (resource.modules or []) or module.theme in (resource.modules or [])]


def _make_cohort(network, programme, spec, name, first_gathering_on):
    """A cohort whose first pre-work opened 24 days before its first gathering, and a module
    about every three months after it."""
    starts_on = first_gathering_on - timedelta(days=24)
    cohort = Cohort.objects.create(network=network, programme=programme, name=name,
                                   starts_on=starts_on)
    for index, module in enumerate(programme.modules.order_by("position")):
        gathering_on = first_gathering_on + MODULE_INTERVAL * index
        cohort_module = CohortModule.objects.create(
            network=network, cohort=cohort, module=module, position=module.position,
            prework_opens_on=starts_on + MODULE_INTERVAL * index,
            postwork_due_on=gathering_on + timedelta(weeks=8))
        venue = spec["venues"][index % len(spec["venues"])]
        Gathering.objects.create(
            network=network, cohort_module=cohort_module,
            starts_at=local_datetime(gathering_on, GATHERING_STARTS),
            ends_at=local_datetime(gathering_on, GATHERING_ENDS),
            place=venue, online_url="" if venue else spec["online_url"],
            agenda=spec["agenda"][index % len(spec["agenda"])],
            speakers=spec["speakers"][index % len(spec["speakers"])])
        cohort_module.resources.set(_own_resources(network, module))
    cohort.organisations.set(Organisation.objects.for_network(network))
    return cohort


def first_gathering_day(day):
    """The first Tuesday, Wednesday or Thursday from `day`: when a network gathers its leaders.
    Modules follow 13 weeks apart and last year's cohort 52 weeks before, on the same weekday."""
    while day.weekday() not in GATHERING_WEEKDAYS:
        day += timedelta(days=1)
    return day


def seed(demo):
    programme = _programme()
    if programme is None:
        return
    demo.cohorts = getattr(demo, "cohorts", {})
    first_gathering_on = first_gathering_day(timezone.localdate() + timedelta(days=10))
    for network in demo.networks:
        spec = COHORTS.get(network.slug)
        if spec is None:
            continue
        cohort = Cohort.objects.for_network(network).filter(name=spec["name"]).first()
        if cohort is None:
            cohort = _make_cohort(network, programme, spec, spec["name"], first_gathering_on)
            cohort.leader_groups.set(
                [group for group in demo.leader_groups if group.network_id == network.pk])
            cohort.facilitators.set(demo.facilitators.get(network.slug, []))
        demo.cohorts[network.slug] = cohort
        if network.slug == PAST_NETWORK and not Cohort.objects.for_network(network).filter(
                name=spec["past_name"]).exists():
            past = _make_cohort(network, programme, spec, spec["past_name"],
                                first_gathering_on - timedelta(weeks=52))
            past.facilitators.set(demo.facilitators.get(network.slug, []))

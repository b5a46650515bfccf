"""A little realistic progress in the demo cohorts (see seed_demo; runs after cohorts.demo).

The first leader of each network's first group signs in for the demo and starts nearly fresh:
Camilla Egeland has two activities done so her progress bars show something, no reflection.
Her colleagues have done some pre-work, two of them wrote a reflection, and the group's shared
task has two revisions. The network's second group has set an ambition and decided
initiatives, one of them shared with the network. Every row is found before it is made, so
seeding twice changes nothing.
"""

from assessments.models import Dimension
from modules.models import (
    ActivityCompletion,
    Ambition,
    GroupTaskAnswer,
    GroupTaskRevision,
    Initiative,
    InitiativeStatus,
    InitiativeUpdate,
    Reflection,
)
from programmes.models import ActivityKind
from tenancy.models import Role, RoleKind

REFLECTIONS = {
    "nb": ("Helse og mestring står på generasjon 2: vi har gode fagsystemer, men innbyggeren "
           "møter oss fortsatt én tjeneste om gangen.\n\nForskjellen er størst mellom oppvekst "
           "og helse. Familier med sammensatte behov må fortelle historien sin flere ganger.\n\n"
           "Budsjettene følger enhetene. Ingen eier forløpet på tvers."),
    "da": ("Børn og uddannelse står på generation 2: fagsystemerne hænger sammen internt, men "
           "forældrene oplever stadig mange indgange.\n\nVi holder os selv tilbage med "
           "budgetter, der følger forvaltningerne, og møder, hvor vi fremlægger i stedet for at "
           "beslutte sammen."),
}
GROUP_TASK = {
    "nb": [
        "Utkast: Byggesak og helse står på generasjon 2, oppvekst på generasjon 1.",
        "Byggesak og helse står på generasjon 2, oppvekst på generasjon 1–2.\n\n"
        "Barrierer: budsjett per enhet, ulike fagsystemer, lite tid til felles forbedring.\n"
        "Muligheter: felles innbyggerdialog, digitaliseringsteamet vårt, erfaringer fra "
        "Lillesand.\n\nSpørsmål til samlingen: Hvordan har andre organisert tverrfaglige team?",
    ],
    "da": [
        "Udkast: Teknik og miljø står på generation 2, social og sundhed på generation 1.",
        "Teknik og miljø står på generation 2, social og sundhed på generation 1–2.\n\n"
        "Barrierer: budgetter pr. forvaltning, mange lokale systemer.\n"
        "Muligheder: fælles borgerservice, vores digitaliseringsenhed.\n\n"
        "Spørgsmål til netværksdagen: Hvordan deler andre data på tværs?",
    ],
}
AMBITIONS = {
    "nb": ("Innen to år skal innbyggere med sammensatte behov møte én kommune: ett forløp, "
           "én kontaktperson og data som følger dem – generasjon 3 i helse og oppvekst."),
    "da": ("Inden to år skal borgere med flere sager møde én kommune: ét forløb, én "
           "kontaktperson og data, der følger borgeren – generation 3 i social og sundhed."),
}
UPDATES = {
    "nb": "Teamet er satt sammen og har første møte neste uke.",
    "da": "Teamet er sat sammen og holder første møde i næste uge.",
}
# (title, horizon, status, shared, the capability whose gap it addresses, description)
INITIATIVES = {
    "nb": [
        ("Tverrfaglig utviklingsteam for hverdagsrehabilitering", "short", "started", True,
         "capabilities:cross-functional-collaboration",
         "Et autonomt team med fagfolk, IKT og en innbyggerrepresentant som får mandat til å "
         "teste nye løsninger i seks måneder."),
        ("Teknologiradar for ledergruppen", "short", "planned", False,
         "capabilities:technological-foresight",
         "Ledergruppen går gjennom en felles teknologiradar to ganger i året."),
        ("Felles datagrunnlag for oppvekst og helse", "long", "planned", False,
         "capabilities:data-driven-decisions",
         "Utrede hvilke data tjenestene kan dele, og hva som kreves juridisk og teknisk."),
    ],
    "da": [
        ("Tværfagligt udviklingsteam for hjemmeplejen", "short", "started", True,
         "capabilities:cross-functional-collaboration",
         "Et selvstyrende team med fagfolk, IT og en borgerrepræsentant, der tester nye "
         "løsninger i seks måneder."),
        ("Teknologiradar i chefgruppen", "short", "planned", False,
         "capabilities:technological-foresight",
         "Chefgruppen gennemgår en fælles teknologiradar to gange om året."),
    ],
}


def _leaders_by_group(network, groups):
    """{group id: [leaders in the order they were enrolled]}."""
    leaders = {group.pk: [] for group in groups}
    for role in (Role.objects.for_network(network)
                 .filter(kind=RoleKind.LEADER, leader_group__in=groups)
                 .select_related("person").order_by("pk")):
        leaders[role.leader_group_id].append(role.person)
    return leaders


def _complete(network, cohort, person, activities):
    for activity in activities:
        ActivityCompletion.objects.for_network(network).get_or_create(
            network=network, cohort=cohort, person=person, activity=activity)


def _group_task(network, cohort, group, activity, writers, texts):
    if GroupTaskAnswer.objects.for_network(network).filter(
            cohort=cohort, leader_group=group, activity=activity).exists():
        return
    answer = GroupTaskAnswer.objects.create(network=network, cohort=cohort, leader_group=group,
                                            activity=activity)
    for version, (writer, text) in enumerate(zip(writers, texts, strict=False), start=1):
        answer.text, answer.version, answer.updated_by = text, version, writer
        answer.save()
        GroupTaskRevision.objects.create(network=network, answer=answer, version=version,
                                         text=text, changed_by=writer)


def _group_decisions(network, cohort_module, group, writer, language):
    Ambition.objects.for_network(network).get_or_create(
        network=network, cohort=cohort_module.cohort, leader_group=group,
        module=cohort_module.module,
        defaults={"text": AMBITIONS[language], "updated_by": writer})
    for title, horizon, status, shared, tag, description in INITIATIVES[language]:
        initiative, created = Initiative.objects.for_network(network).get_or_create(
            network=network, cohort=cohort_module.cohort, leader_group=group,
            module=cohort_module.module, title=title,
            defaults={"horizon": horizon, "status": status, "shared_with_network": shared,
                      "owner": writer, "description": description})
        if created:
            slug, _sep, code = tag.partition(":")
            initiative.dimensions.set(Dimension.objects.filter(instrument__slug=slug, code=code))
            if status == InitiativeStatus.STARTED:
                InitiativeUpdate.objects.create(network=network, initiative=initiative,
                                                author=writer, status=status,
                                                text=UPDATES[language])


def seed(demo):
    for network in demo.networks:
        cohort = getattr(demo, "cohorts", {}).get(network.slug)
        groups = [group for group in demo.leader_groups if group.network_id == network.pk]
        if cohort is None or len(groups) < 2:
            continue
        cohort_module = cohort.cohort_modules.select_related("module").first()
        if cohort_module is None:
            continue
        prework_activities = list(cohort_module.module.phases.get(kind="prework")
                                  .activities.order_by("position"))
        prework = {}
        for activity in prework_activities:
            prework.setdefault(activity.kind, activity)
        by_hand = [a for a in prework_activities if a.kind != ActivityKind.ASSESSMENT]
        language = "nb" if network.default_language == "nb" else "da"
        leaders = _leaders_by_group(network, groups)
        first_leaders = leaders[groups[0].pk]
        if network.slug == "digi-agder" and first_leaders:
            _complete(network, cohort, first_leaders[0], by_hand[:2])
        for index, person in enumerate(first_leaders[1:], start=1):
            _complete(network, cohort, person, by_hand[:1 + index % len(by_hand)])
        for person in first_leaders[1:3]:
            Reflection.objects.for_network(network).get_or_create(
                network=network, cohort=cohort, person=person,
                activity=prework[ActivityKind.REFLECTION],
                defaults={"text": REFLECTIONS[language]})
        if len(first_leaders) >= 3:
            _group_task(network, cohort, groups[0], prework[ActivityKind.GROUP_TASK],
                        first_leaders[1:3], GROUP_TASK[language])
        second_leaders = leaders[groups[1].pk]
        for index, person in enumerate(second_leaders):
            _complete(network, cohort, person, by_hand[:2 + index % 3])
        if second_leaders:
            _group_decisions(network, cohort_module, groups[1], second_leaders[0], language)

"""Reads for personal data: whose data a network's retention period has run out for."""

from datetime import date

from django.db.models import Max

from assessments.models import Response
from cohorts.models import Cohort, CohortFacilitator
from modules.models import ActivityCompletion, Reflection
from tenancy.models import Person, Role, RoleKind


def months_before(day, months):
    """The same day `months` months earlier (the month's last day where it has fewer)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def cohort_end_dates(network):
    """{cohort id: the day it ends}: its last module's post-work due date, or its start for a
    cohort without modules."""
    return {
        cohort_id: last_due or starts_on
        for cohort_id, starts_on, last_due in Cohort.objects.for_network(network)
        .annotate(last_due=Max("cohort_modules__postwork_due_on"))
        .values_list("pk", "starts_on", "last_due")
    }


def cohorts_by_person(network):
    """{person id: cohort ids} of everyone with a role or data in the network: the cohorts of
    their groups, of the organisations they coordinate and that they facilitate, and those
    they answered, reflected or marked work done in."""
    found = {}

    def add(pairs):
        for person_id, cohort_id in pairs:
            cohorts = found.setdefault(person_id, set())
            if cohort_id is not None:
                cohorts.add(cohort_id)

    roles = Role.objects.for_network(network)
    add(roles.values_list("person_id", "leader_group__cohorts"))
    add(roles.values_list("person_id", "organisation__cohorts"))
    add((person_id, None) for person_id in roles.values_list("person_id", flat=True))
    add(CohortFacilitator.objects.for_network(network).values_list("person_id", "cohort_id"))
    add(Response.objects.for_network(network).values_list("person_id", "round__cohort_id"))
    add(Reflection.objects.for_network(network).values_list("person_id", "cohort_id"))
    add(ActivityCompletion.objects.for_network(network).values_list("person_id", "cohort_id"))
    return found


def people_due_for_erasure(network, today):
    """People whose every cohort in the network ended more than the network's retention
    period ago (and who have at least one): not its network admins, not platform staff."""
    cutoff = months_before(today, network.retention_months)
    ends = cohort_end_dates(network)
    admins = set(
        Role.objects.for_network(network)
        .filter(kind=RoleKind.NETWORK_ADMIN)
        .values_list("person_id", flat=True)
    )
    due = [
        person_id
        for person_id, cohorts in cohorts_by_person(network).items()
        if cohorts
        and person_id not in admins
        and max(ends[cohort_id] for cohort_id in cohorts) < cutoff
    ]
    return list(
        Person.objects.filter(pk__in=due, is_staff=False, erased_at__isnull=True).order_by("pk")
    )


def person_in_network(network, email):
    """The not yet erased person with this email who has a role or data in the network."""
    person = Person.objects.filter(email__iexact=email, erased_at__isnull=True).first()
    if person is None:
        return None
    for model in (Role, Response, Reflection, ActivityCompletion):
        if model.objects.for_network(network).filter(person=person).exists():
            return person
    return None

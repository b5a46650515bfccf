"""Who may schedule, take, see results of and have reports made on what (querysets, in the
manner of tenancy.policies; `roles` is the request's tenancy.roles.NetworkRoles).

Rounds are scheduled, and their gathering screen run, by the people who run the round's
cohort (cohorts.policies.cohorts_person_can_follow). A round is taken only by leaders of the
groups in its cohort. A leader group's report: the network's admins, the facilitators of the
report's cohort and the group's own leaders. A network report (a cohort with every group):
admins and the cohort's facilitators. Coordinators get neither: a report is a file that
travels, and DESIGN.md section 3 gives them their organisation's groups only.
"""

from django.db.models import Exists, OuterRef, Q

from assessments.models import Poll, Report, ReportKind, Round
from cohorts.models import Cohort, CohortGroup, CohortOrganisation
from cohorts.policies import cohorts_person_can_follow
from tenancy.models import LeaderGroup


def rounds_person_runs(network, roles):
    """Rounds the person may schedule and whose gathering screen they may run."""
    return Round.objects.for_network(network).filter(
        cohort__in=cohorts_person_can_follow(network, roles))


def rounds_person_can_take(network, roles):
    """Rounds of the cohorts that one of the person's leader groups is in (also the rounds
    whose own results they read)."""
    return rounds_led_groups_can_take(network, roles.led_group_ids)


def rounds_led_groups_can_take(network, led_group_ids):
    """The rule of rounds_person_can_take, from the ids alone: the same arguments give the
    same SQL, so the autosave compiles it once per process (assessments.access)."""
    in_cohort = CohortGroup.objects.for_network(network).filter(
        cohort_id=OuterRef("cohort_id"), leadergroup_id__in=led_group_ids)
    return Round.objects.for_network(network).filter(Exists(in_cohort))


def personal_rounds_of(network, person):
    """The rounds a leader takes on their own: theirs only, for every role (README,
    "Personal rounds"). Nothing else ever reads them but the person's data download."""
    return Round.personal.for_network(network).filter(owner=person)


def rounds_person_can_answer(network, roles, person):
    """The rounds whose test pages the person may open: their cohorts' and their own."""
    return rounds_of_groups_and_person_to_answer(network, roles.led_group_ids, person)


def rounds_of_groups_and_person_to_answer(network, led_group_ids, person):
    """The rule of rounds_person_can_answer from ids alone: the same arguments give the same
    SQL, so the autosave compiles it once per process (assessments.access)."""
    return (rounds_led_groups_can_take(network, led_group_ids)
            | personal_rounds_of(network, person))


def rounds_with_group_results_for(network, roles):
    """Rounds whose group aggregates the person may see (DESIGN.md section 3): those of the
    cohorts they follow (cohorts.policies), and for coordinators the cohorts holding their
    organisation or one of its groups."""
    organisations = roles.coordinated_organisation_ids
    coordinated = Exists(CohortGroup.objects.for_network(network).filter(
        cohort_id=OuterRef("cohort_id"), leadergroup__organisation_id__in=organisations)) | Exists(
        CohortOrganisation.objects.for_network(network).filter(
            cohort_id=OuterRef("cohort_id"), organisation_id__in=organisations))
    return Round.objects.for_network(network).filter(
        Q(cohort__in=cohorts_person_can_follow(network, roles)) | coordinated)


def groups_person_can_report_on(network, roles):
    """Their own groups, and the groups of the cohorts they follow."""
    return LeaderGroup.objects.for_network(network).filter(
        Q(pk__in=roles.led_group_ids)
        | Q(cohorts__in=cohorts_person_can_follow(network, roles))).distinct()


def group_cohorts_person_can_report_on(network, roles, group):
    """The cohorts of one group for which the person may have its report made."""
    cohorts = Cohort.objects.for_network(network).filter(leader_groups=group)
    if group.pk not in roles.led_group_ids:
        cohorts = cohorts.filter(pk__in=cohorts_person_can_follow(network, roles).values("pk"))
    return cohorts.order_by("-starts_on", "pk")


def reports_person_can_see(network, roles):
    return Report.objects.for_network(network).filter(
        Q(kind=ReportKind.GROUP, leader_group__in=roles.led_group_ids)
        | Q(cohort__in=cohorts_person_can_follow(network, roles)))


def report_links_for(network, roles, group=None, cohort=None, follows_cohort=None,
                     leads_in_cohort=False):
    """The report pages the person may open from a group's page (group) or a cohort's results
    (cohort): that group's, their own groups' in the cohort, and the cohort's. What the page
    already knows it may say: `follows_cohort`, whether they follow the cohort
    (cohorts_person_can_follow); `leads_in_cohort`, that one of their groups is in it
    (rounds_person_can_take), which with one group names it."""
    groups = []
    if group is not None and groups_person_can_report_on(network, roles).filter(
            pk=group.pk).exists():
        groups.append(group)
    if cohort is not None and roles.led_group_ids:
        if leads_in_cohort and len(roles.led_group_ids) == 1:
            in_cohort = set(roles.led_group_ids)
        else:
            in_cohort = set(cohort.leader_groups.filter(pk__in=roles.led_group_ids)
                            .values_list("pk", flat=True))
        groups += [g for g in roles.led_groups if g.pk in in_cohort and g not in groups]
    if follows_cohort is None:  # only admins and facilitators follow cohorts
        follows_cohort = cohort is not None and (roles.is_admin or roles.is_facilitator) and (
            cohorts_person_can_follow(network, roles).filter(pk=cohort.pk).exists())
    return {"network": network, "groups": groups, "cohort": cohort if follows_cohort else None}


def polls_person_runs(network, roles):
    """Polls and evaluation items of the gatherings of cohorts the person follows: they open
    and close them, and see their released results (facilitators, the network's admins)."""
    return Poll.objects.for_network(network).filter(
        gathering__cohort_module__cohort__in=cohorts_person_can_follow(network, roles))


def polls_person_can_answer(network, roles):
    """Polls of the gatherings of cohorts one of the person's leader groups is in."""
    in_cohort = CohortGroup.objects.for_network(network).filter(
        cohort_id=OuterRef("gathering__cohort_module__cohort_id"),
        leadergroup_id__in=roles.led_group_ids)
    return Poll.objects.for_network(network).filter(Exists(in_cohort))

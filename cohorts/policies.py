"""Who may act on which cohorts, gatherings, groups' progress and leaders (querysets, in the
manner of tenancy.policies; `roles` is the request's tenancy.roles.NetworkRoles)."""

from django.db.models import Q

from cohorts.models import Cohort, Gathering
from programmes.models import Activity
from tenancy.models import LeaderGroup, Role, RoleKind
from tenancy.policies import leader_groups_person_can_manage


def cohorts_person_can_configure(network, roles):
    """Network admins configure every cohort of their network; nobody else configures any."""
    cohorts = Cohort.objects.for_network(network)
    return cohorts if roles.is_admin else cohorts.none()


def own_activities_person_can_edit(network, roles):
    """The activities written for the cohorts the person configures (their network's only)."""
    return Activity.objects.filter(
        network=network, cohort_module__cohort__in=cohorts_person_can_configure(network, roles))


def cohorts_person_can_follow(network, roles):
    """Cohorts a person runs: every cohort of the network for its admins, otherwise the
    cohorts they facilitate. Their schedule, progress, rounds, gathering screen and network
    report all follow this one rule."""
    if roles.is_admin:
        return Cohort.objects.for_network(network)
    return Cohort.objects.for_network(network).filter(pk__in=roles.facilitated_cohorts.values("pk"))


def leader_groups_person_can_follow(network, roles):
    """Groups whose progress and aggregates the person may see (not individual answers): their
    own, those they manage (tenancy.policies: all for network admins, their organisation's for
    coordinators), those in cohorts they follow."""
    groups = LeaderGroup.objects.for_network(network)
    return groups.filter(
        Q(pk__in=roles.led_group_ids)
        | Q(pk__in=leader_groups_person_can_manage(network, roles).values("pk"))
        | Q(pk__in=groups.filter(cohorts__in=cohorts_person_can_follow(network, roles))
            .values("pk")))


def gatherings_person_can_see(network, roles):
    """Gatherings of cohorts the person takes part in: as a leader of one of its groups, as
    coordinator of one of its organisations, or as someone who follows it (its facilitators,
    the network's admins)."""
    coordinated = roles.coordinated_organisation_ids
    cohort_ids = Cohort.objects.for_network(network).filter(
        Q(pk__in=cohorts_person_can_follow(network, roles).values("pk"))
        | Q(leader_groups__in=roles.led_group_ids)
        | Q(organisations__in=coordinated)
        | Q(leader_groups__organisation__in=coordinated)).values("pk")
    return Gathering.objects.for_network(network).filter(cohort_module__cohort__in=cohort_ids)


def leader_groups_person_can_see_progress(network, roles):
    """Groups whose leaders' completion the person may see: never as a leader; those they
    manage (tenancy.policies) and those in cohorts they follow."""
    groups = LeaderGroup.objects.for_network(network)
    return groups.filter(
        Q(pk__in=leader_groups_person_can_manage(network, roles).values("pk"))
        | Q(pk__in=groups.filter(cohorts__in=cohorts_person_can_follow(network, roles))
            .values("pk")))


def cohorts_of_group_person_can_see_progress(network, roles, group):
    """The cohorts of one group in which the person may see who has done what: all of them
    for its organisation's coordinators, else those the person follows."""
    cohorts = Cohort.objects.for_network(network).filter(leader_groups=group)
    if group.organisation_id in roles.coordinated_organisation_ids:
        return cohorts
    return cohorts.filter(pk__in=cohorts_person_can_follow(network, roles).values("pk"))


def leader_roles_person_can_manage(network, roles):
    """Leaders the person may move to another group or remove from their group."""
    return Role.objects.for_network(network).filter(
        kind=RoleKind.LEADER,
        leader_group__in=leader_groups_person_can_manage(network, roles))


def gatherings_person_runs(network, roles):
    """Gatherings whose registrations the person sees in full, whose attendance they mark at
    the door, and whose polls, evaluation and messages they run: those of the cohorts they
    follow (facilitators, the network's admins)."""
    return Gathering.objects.for_network(network).filter(
        cohort_module__cohort__in=cohorts_person_can_follow(network, roles))


def gatherings_person_can_register_for(network, roles):
    """Gatherings of cohorts one of the person's leader groups is in."""
    return Gathering.objects.for_network(network).filter(
        cohort_module__cohort__in=Cohort.objects.for_network(network)
        .filter(leader_groups__in=roles.led_group_ids).values("pk"))


def gatherings_with_registrations_for(network, roles):
    """Gatherings whose registrations the person may see: those they run, and for
    coordinators those of cohorts holding one of their organisation's groups."""
    coordinated = Cohort.objects.for_network(network).filter(
        leader_groups__organisation__in=roles.coordinated_organisation_ids).values("pk")
    return Gathering.objects.for_network(network).filter(
        Q(pk__in=gatherings_person_runs(network, roles).values("pk"))
        | Q(cohort_module__cohort__in=coordinated))


def registered_groups_person_can_see(network, roles, gathering):
    """The leader groups of the gathering's cohort whose registrations the person sees: all
    of them for those who run it, else their coordinated organisations' groups."""
    groups = LeaderGroup.objects.for_network(network).filter(
        cohorts=gathering.cohort_module.cohort_id)
    if gatherings_person_runs(network, roles).filter(pk=gathering.pk).exists():
        return groups
    return groups.filter(organisation__in=roles.coordinated_organisation_ids)

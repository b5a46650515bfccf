"""Who may act on which cohorts, gatherings, groups' progress and leaders (querysets, in the
manner of tenancy.policies)."""

from django.db.models import Q

from cohorts.models import Cohort, Gathering
from tenancy.models import LeaderGroup, Role, RoleKind
from tenancy.policies import leader_groups_person_can_manage, role_kinds


def _ids(roles, kind, attribute):
    return [getattr(role, attribute) for role in roles if role.kind == kind]


def cohorts_person_can_configure(network, roles):
    """Network admins configure every cohort of their network; nobody else configures any."""
    if RoleKind.NETWORK_ADMIN in role_kinds(roles):
        return Cohort.objects.for_network(network)
    return Cohort.objects.for_network(network).none()


def cohorts_person_facilitates(network, roles):
    return Cohort.objects.for_network(network).filter(
        facilitators__in=_ids(roles, RoleKind.FACILITATOR, "person_id")).distinct()


def cohorts_person_can_follow(network, roles):
    """Cohorts whose schedule and per-group progress the person may see."""
    if RoleKind.NETWORK_ADMIN in role_kinds(roles):
        return Cohort.objects.for_network(network)
    return cohorts_person_facilitates(network, roles)


def gatherings_person_can_see(network, roles):
    """Gatherings of cohorts the person takes part in: as a leader of one of its groups, as its
    facilitator, as coordinator of one of its organisations, or as a network admin."""
    gatherings = Gathering.objects.for_network(network)
    if RoleKind.NETWORK_ADMIN in role_kinds(roles):
        return gatherings
    coordinated = _ids(roles, RoleKind.COORDINATOR, "organisation_id")
    cohort = "cohort_module__cohort__"
    cohort_ids = Cohort.objects.for_network(network).filter(
        Q(facilitators__in=_ids(roles, RoleKind.FACILITATOR, "person_id"))
        | Q(leader_groups__in=_ids(roles, RoleKind.LEADER, "leader_group_id"))
        | Q(organisations__in=coordinated)
        | Q(leader_groups__organisation__in=coordinated)).values("pk")
    return gatherings.filter(**{f"{cohort}in": cohort_ids})


def leader_groups_person_can_see_progress(network, roles):
    """Groups whose leaders' completion the person may see: never as a leader; as coordinator
    of the group's organisation, facilitator of one of its cohorts, or network admin."""
    groups = LeaderGroup.objects.for_network(network)
    if RoleKind.NETWORK_ADMIN in role_kinds(roles):
        return groups
    coordinated = _ids(roles, RoleKind.COORDINATOR, "organisation_id")
    return groups.filter(
        Q(organisation__in=coordinated)
        | Q(cohorts__in=cohorts_person_facilitates(network, roles))).distinct()


def cohorts_of_group_person_can_see_progress(network, roles, group):
    """The cohorts of one group in which the person may see who has done what."""
    kinds = role_kinds(roles)
    cohorts = Cohort.objects.for_network(network).filter(leader_groups=group)
    if RoleKind.NETWORK_ADMIN in kinds or (
            group.organisation_id in _ids(roles, RoleKind.COORDINATOR, "organisation_id")):
        return cohorts
    return cohorts.filter(pk__in=cohorts_person_facilitates(network, roles).values("pk"))


def leader_roles_person_can_manage(network, roles):
    """Leaders the person may move to another group or remove from their group."""
    return Role.objects.for_network(network).filter(
        kind=RoleKind.LEADER,
        leader_group__in=leader_groups_person_can_manage(network, roles))

"""Who may act on what, as querysets (in the manner of Wagtail's permission policies).

Each function answers with a queryset of the objects a person may act on inside one
network; views and `access_*` helpers filter through these, so one rule serves every page.
"""

from tenancy.models import LeaderGroup, Organisation, Role, RoleKind


def roles_in(person, network):
    """The person's roles in the network, with their targets, in one query."""
    if not person.is_authenticated:
        return []
    return list(
        Role.objects.for_network(network).filter(person=person)
        .select_related("organisation", "leader_group")
    )


def role_kinds(roles):
    return {role.kind for role in roles}


def is_network_admin(roles):
    return RoleKind.NETWORK_ADMIN in role_kinds(roles)


def led_group_ids(roles):
    """Ids of the leader groups the person is a leader in."""
    return [role.leader_group_id for role in roles if role.kind == RoleKind.LEADER]


def organisations_person_coordinates(network, roles):
    return Organisation.objects.for_network(network).filter(
        pk__in=[r.organisation_id for r in roles if r.kind == RoleKind.COORDINATOR])


def organisations_person_can_manage(network, roles):
    """Organisations whose groups and enrolment the person may change."""
    if RoleKind.NETWORK_ADMIN in role_kinds(roles):
        return Organisation.objects.for_network(network)
    return organisations_person_coordinates(network, roles)


def leader_groups_person_can_manage(network, roles):
    """Groups the person may create, rename, enrol leaders in and follow."""
    groups = LeaderGroup.objects.for_network(network)
    if RoleKind.NETWORK_ADMIN in role_kinds(roles):
        return groups
    return groups.filter(
        organisation__in=[r.organisation_id for r in roles if r.kind == RoleKind.COORDINATOR])


def leader_groups_person_can_follow(network, roles):
    """Groups whose progress and aggregates the person may see (not individual answers)."""
    kinds = role_kinds(roles)
    groups = LeaderGroup.objects.for_network(network)
    if RoleKind.NETWORK_ADMIN in kinds:
        return groups
    from cohorts.selectors import leader_group_ids_facilitated_by

    allowed = set(leader_group_ids_facilitated_by(network, roles))
    allowed |= set(led_group_ids(roles))
    coordinated = [r.organisation_id for r in roles if r.kind == RoleKind.COORDINATOR]
    return groups.filter(pk__in=allowed) | groups.filter(organisation__in=coordinated)

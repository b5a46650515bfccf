"""Who may act on what, as querysets (in the manner of Wagtail's permission policies).

Each function answers with a queryset of the objects a person may act on inside one
network, given their `tenancy.roles.NetworkRoles`; views and `access_*` helpers filter
through these, so one rule serves every page.
"""

from tenancy.models import Invitation, LeaderGroup, Organisation, Role, RoleKind


def organisations_person_coordinates(network, roles):
    return Organisation.objects.for_network(network).filter(
        pk__in=roles.coordinated_organisation_ids)


def organisations_person_can_manage(network, roles):
    """Organisations whose groups and enrolment the person may change."""
    if roles.is_admin:
        return Organisation.objects.for_network(network)
    return organisations_person_coordinates(network, roles)


def leader_groups_person_can_manage(network, roles):
    """Groups the person may create, rename, enrol leaders in and follow."""
    groups = LeaderGroup.objects.for_network(network)
    if roles.is_admin:
        return groups
    return groups.filter(organisation__in=roles.coordinated_organisation_ids)


def invitations_person_can_revoke(network, roles):
    """Pending invitations the person may withdraw: a network admin any in the network, a
    coordinator the leader invitations to their own organisations (the ones they may send)."""
    invitations = Invitation.objects.for_network(network).filter(
        accepted_at__isnull=True, revoked_at__isnull=True)
    if roles.is_admin:
        return invitations
    return invitations.filter(kind=RoleKind.LEADER,
                              organisation__in=roles.coordinated_organisation_ids)


def may_sign_in_through(person, sign_in):
    """A network's identity provider signs in, and connects to, only people who hold a role
    in that network: the ID-porten of network A is no way into network B."""
    if person is None or not person.is_authenticated:
        return False
    return Role.objects.for_network(sign_in.network_id).filter(person=person).exists()

"""Reads on networks, people and roles."""

from django.db.models import Q

from tenancy.audit import AuditEvent
from tenancy.models import (
    ROLE_PRIORITY,
    Invitation,
    Network,
    NetworkSignIn,
    Role,
    RoleKind,
)
from tenancy.scoping import platform_wide


def networks_of(person):
    """Networks the person holds a role in (all networks for platform staff)."""
    if person.is_staff:
        return Network.objects.all()
    with platform_wide():  # every network the person is in, whichever page asks
        roles = Role.objects.filter(person=person)
        return Network.objects.filter(pk__in=roles.values("network")).distinct()


def landing_role(roles):
    return next((kind for kind in ROLE_PRIORITY if kind in roles.kinds), None)


def network_people(network, *, search=""):
    """The network's roles with their person and target, for the admin's people page: every
    one, or those whose person's name or email holds `search`."""
    roles = Role.objects.for_network(network)
    if search:
        roles = roles.filter(Q(person__name__icontains=search)
                             | Q(person__email__icontains=search))
    return (roles.select_related("person", "organisation", "leader_group")
            .order_by("kind", "person__name", "pk"))


def network_staff_and_leader_count(network):
    """The roles besides leaders (admins, coordinators, facilitators: a few per organisation,
    shown in full on Manage) and how many leader roles there are (listed on the people page,
    a page at a time, as a network has hundreds)."""
    roles = network_people(network)
    return (list(roles.exclude(kind=RoleKind.LEADER)),
            roles.filter(kind=RoleKind.LEADER).count())


def pending_invitations(network, *, organisations=None):
    invitations = Invitation.objects.for_network(network).filter(accepted_at__isnull=True,
                                                                  revoked_at__isnull=True)
    if organisations is not None:
        invitations = invitations.filter(leader_group__organisation__in=organisations)
    return invitations.select_related("organisation", "leader_group").order_by("-created_at")


def leaders_of_groups(network, groups):
    return (Role.objects.for_network(network)
            .filter(kind=RoleKind.LEADER, leader_group__in=groups)
            .select_related("person", "leader_group").order_by("person__name"))


def invited_to_groups(network, groups):
    """{(email in lower case, group id)} of leaders invited to `groups` who have not accepted
    yet, to mark them in lists of a group's leaders."""
    return {(email.lower(), group_id) for email, group_id in
            Invitation.objects.for_network(network)
            .filter(accepted_at__isnull=True, leader_group__in=groups)
            .values_list("email", "leader_group_id")}


def with_invitation_state(roles, invitations):
    """The roles, each with `invited` set when the person has not accepted their invitation to
    the role's group yet (so pages can tell invited people from active ones)."""
    pending = {(invitation.email.lower(), invitation.leader_group_id)
               for invitation in invitations}
    roles = list(roles)
    for role in roles:
        role.invited = (role.person.email.lower(), role.leader_group_id) in pending
    return roles


def entra_sign_ins(networks=None):
    """(network, provider id) for each network whose Microsoft Entra ID app exists.

    A network names its OpenID Connect app by provider id (Network.entra_provider_id); a name
    without a matching social application in the platform admin shows no button."""
    from allauth.socialaccount.models import SocialApp

    networks = Network.objects.exclude(entra_provider_id="") if networks is None else [
        network for network in networks if network.entra_provider_id]
    networks = list(networks)
    configured = set(SocialApp.objects.filter(
        provider="openid_connect",
        provider_id__in=[network.entra_provider_id for network in networks],
    ).values_list("provider_id", flat=True))
    return [(network, network.entra_provider_id) for network in networks
            if network.entra_provider_id in configured]


def network_sign_ins(network):
    """The identity providers (ID-porten, MitID Erhverv, Feide) the network offers."""
    return list(NetworkSignIn.objects.for_network(network))


# Set by services.remember_invitation when someone accepts an invitation.
INVITED_SESSION_KEY = "bro_invited"


def network_signing_in_to(request):
    """The network whose sign-in page this is, or None for Bro's general one."""
    slug = request.GET.get("network", "")
    next_url = request.GET.get("next", "") or request.POST.get("next", "")
    if not slug and next_url.startswith("/n/"):
        slug = next_url.split("/")[2]
    if slug:
        return Network.objects.filter(slug=slug).first()
    invited = request.session.get(INVITED_SESSION_KEY)
    return Network.objects.filter(pk=invited["network"]).first() if invited else None


def sign_in_of_provider(provider_id):
    """The network's identity provider behind an allauth provider id; None for any other
    (an Entra ID app of the platform admin)."""
    with platform_wide():  # the sign-in pages and callbacks are outside any network
        return (NetworkSignIn.objects.select_related("network")
                .filter(provider_id=provider_id).first())


def sign_in_apps(provider=None, client_id=None):
    """allauth's apps for the networks' identity providers (SocialAccountAdapter.list_apps):
    all of them, or those of one provider id."""
    with platform_wide():  # allauth looks an app up by its provider id alone
        sign_ins = NetworkSignIn.objects.all()
        if provider not in (None, "openid_connect"):
            sign_ins = sign_ins.filter(provider_id=provider)
        if client_id:
            sign_ins = sign_ins.filter(client_id=client_id)
        return [sign_in.social_app() for sign_in in sign_ins]


def audit_trail(network, *, kind="", since=None, until=None):
    """The network's audit events, newest first; `since` and `until` are days, both included."""
    events = AuditEvent.objects.for_network(network)
    if kind:
        events = events.filter(kind=kind)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events.order_by("-at", "-pk")


def implied_network(person):
    """The network a page outside any network is about: the signed-in person's last network
    (or their only one); for someone signed out, the installation's only network. None when
    several could be meant."""
    if person.is_authenticated:
        networks = list(networks_of(person))
        last = next((n for n in networks if n.pk == person.last_network_id), None)
        return last or (networks[0] if len(networks) == 1 else None)
    networks = list(Network.objects.all()[:2])
    return networks[0] if len(networks) == 1 else None

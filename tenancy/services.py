"""Writes on networks, people, roles and invitations."""

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tenancy import audit, policies, privacy
from tenancy.branding import DEFAULT_ACCENT
from tenancy.models import (
    Invitation,
    LeaderGroup,
    NetworkSignIn,
    Organisation,
    Person,
    PrivacyNoticeText,
    Role,
    RoleKind,
)
from tenancy.scoping import platform_wide
from tenancy.selectors import INVITED_SESSION_KEY, sign_in_of_provider


def person_must_use_mfa(person, every_role=None):
    """Platform staff and network admins must have an authenticator app (TOTP). A person's
    roles in every network decide, not in one; pass them when they are loaded already."""
    if person.is_staff:
        return True
    if every_role is not None:
        return any(role.kind == RoleKind.NETWORK_ADMIN for role in every_role)
    with platform_wide():
        return Role.objects.filter(person=person, kind=RoleKind.NETWORK_ADMIN).exists()


def person_needs_mfa(person, every_role=None):
    """True while someone who must use an authenticator app has not set one up."""
    if not person_must_use_mfa(person, every_role):
        return False
    return not Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def new_invitation_token():
    """A fresh link token and the hash that is stored; the token itself never is."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def find_or_create_person(email, *, name="", title="", language=""):
    """The one account for this email (case-insensitive); created without a password."""
    email = email.strip()
    person = Person.objects.filter(email__iexact=email).first()
    if person is None:
        person = Person.objects.create_user(email, name=name, title=title, language=language)
    else:
        filled = {"name": name, "title": title}
        changed = [field for field, value in filled.items() if value and not getattr(person, field)]
        for field in changed:
            setattr(person, field, filled[field])
        if changed:
            person.save(update_fields=changed)
    return person


def update_profile(person, *, name, title, language):
    person.name, person.title, person.language = name, title, language
    person.save(update_fields=["name", "title", "language"])


def create_organisation(network, *, name, org_number="", kind="municipality", size_band=""):
    return Organisation.objects.create(network=network, name=name, org_number=org_number,
                                       kind=kind, size_band=size_band)


def set_organisation_attributes(organisation, *, kind, size_band):
    organisation.kind, organisation.size_band = kind, size_band
    organisation.save(update_fields=["kind", "size_band"])


def create_leader_group(network, *, name, language="", organisation=None):
    """A group in an organisation, or (organisation None) one across organisations; the one
    way groups are made, so none lands in an organisation of another network."""
    if organisation is not None and organisation.network_id != network.pk:
        raise ValidationError("An organisation of another network.")
    return LeaderGroup.objects.create(network=network, organisation=organisation, name=name,
                                      language=language)


def grant_role(person, network, kind, *, organisation=None, leader_group=None, actor=None):
    role, created = Role.objects.for_network(network).get_or_create(
        person=person, network=network, kind=kind,
        organisation=organisation if kind == RoleKind.COORDINATOR else None,
        leader_group=leader_group if kind == RoleKind.LEADER else None,
    )
    if created:
        audit.record(audit.EventKind.ROLE_GRANTED, network=network, actor=actor, target=person,
                     role=kind, organisation=role.organisation.name if role.organisation else "",
                     group=role.leader_group.name if role.leader_group else "")
    return role


@transaction.atomic
def remove_role(role, *, actor=None):
    """Take a role away (the platform admin; a leader leaving a group through the pages goes
    through cohorts.services.remove_leader, which says from which group)."""
    audit.record(audit.EventKind.ROLE_REMOVED, network=role.network_id, actor=actor,
                 target=role.person, role=role.kind,
                 organisation=role.organisation.name if role.organisation else "",
                 group=role.leader_group.name if role.leader_group else "")
    role.delete()


# Person flags that make someone platform staff, recorded like roles (platform events).
PLATFORM_RIGHTS = ("is_staff", "is_superuser")


def record_platform_rights(person, previous, *, actor):
    """After the platform admin saved a person: each staff right granted or taken away since
    `previous` ({right: bool}) becomes a "role granted" or "role removed" platform event."""
    for right in PLATFORM_RIGHTS:
        now = getattr(person, right)
        if bool(previous.get(right)) != now:
            audit.record(audit.EventKind.ROLE_GRANTED if now else audit.EventKind.ROLE_REMOVED,
                         actor=actor, target=person, role=right.removeprefix("is_"))


def create_invitation(network, *, email, kind, invited_by, language, name="", title="",
                      organisation=None, leader_group=None):
    """Store an invitation and queue its email once the transaction commits.

    Returns the invitation and the raw token (only its hash is stored)."""
    token, token_hash = new_invitation_token()
    invitation = Invitation.objects.create(
        network=network, email=email.strip(), name=name, title=title, language=language,
        kind=kind, organisation=organisation, leader_group=leader_group,
        token_hash=token_hash, invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=Invitation.VALID_FOR_DAYS),
    )
    audit.record(audit.EventKind.INVITATION_SENT, network=network, actor=invited_by,
                 target=invitation, target_label=invitation.email, role=kind)
    from config.tasks import enqueue_on_commit
    from tenancy.tasks import send_invitation_email

    enqueue_on_commit(send_invitation_email, invitation.pk, token)
    return invitation, token


def find_invitation(token):
    """The invitation behind a link, usable or not; None for an unknown token."""
    with platform_wide():  # the link names no network; the invitation does
        return (Invitation.objects.select_related("network", "organisation", "leader_group")
                .filter(token_hash=hash_token(token)).first())


class InvitationUnusable(Exception):
    pass


@transaction.atomic
def accept_invitation(token):
    """Bind the invited person to the network, organisation, group and role. Works once.

    An existing account with the same email is reused, never duplicated. The email address
    counts as verified: the link reached that inbox."""
    with platform_wide():  # the link names no network; the invitation does
        invitation = Invitation.objects.select_for_update().filter(
            token_hash=hash_token(token)).first()
    if invitation is None or not invitation.is_usable:
        raise InvitationUnusable
    person = find_or_create_person(
        invitation.email, name=invitation.name, title=invitation.title,
        language=invitation.language)
    grant_role(person, invitation.network, invitation.kind,
               organisation=invitation.organisation, leader_group=invitation.leader_group)
    EmailAddress.objects.update_or_create(
        user=person, email__iexact=person.email,
        defaults={"email": person.email, "verified": True, "primary": True})
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = person
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    person.last_network = invitation.network  # the next sign-in lands in this network
    person.save(update_fields=["last_network"])
    audit.record(audit.EventKind.INVITATION_ACCEPTED, network=invitation.network, actor=person,
                 target=invitation, target_label=invitation.email, role=invitation.kind)
    return invitation, person


class InvitationNotRevocable(Exception):
    pass


@transaction.atomic
def revoke_invitation(invitation, *, revoked_by):
    """Withdraw an invitation not yet accepted: its link stops working at once and no reminder
    or resend goes out for it. Raises InvitationNotRevocable when it was accepted (or revoked)
    in the meantime."""
    invitation = Invitation.objects.for_network(invitation.network_id).select_for_update().get(
        pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise InvitationNotRevocable
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(audit.EventKind.INVITATION_REVOKED, network=invitation.network_id,
                 actor=revoked_by, target=invitation, target_label=invitation.email,
                 role=invitation.kind)
    return invitation


def set_language(person, language):
    person.language = language
    person.save(update_fields=["language"])


def record_audit_export(network, rows):
    """Exporting the trail is itself recorded: the export carries people's names."""
    audit.record(audit.EventKind.AUDIT_EXPORTED, network=network, target=network, rows=rows)


# A network's identity provider (ID-porten, MitID Erhverv, Feide) signs in only identities
# that an account's owner connected: under Profile while signed in, or right after accepting
# an invitation by then signing in with a code sent to the invited address. Its email claim
# never decides (ID-porten has none), exactly as for Entra ID (settings, SOCIALACCOUNT_*).
HELD_IDENTITY_SESSION_KEY = "bro_held_identity"


def remember_invitation(session, invitation):
    """After accepting: an identity from this network's provider may be connected to the
    invited person, once they have signed in with a code sent to the invited address."""
    session[INVITED_SESSION_KEY] = {"network": invitation.network_id,
                                    "email": invitation.email}


def invited_to(session, sign_in):
    """The invited email this session may connect an identity of `sign_in` to, or None."""
    invited = session.get(INVITED_SESSION_KEY)
    if invited and invited["network"] == sign_in.network_id:
        return invited["email"]
    return None


# What Bro keeps of a network provider's claims: enough to label the connected identity.
# ID-porten's national identity number (pid), MitID's CPR and the like are dropped.
LABEL_CLAIMS = ("sub", "name", "given_name", "family_name", "email", "email_verified",
                "locale")


def label_claims_only(extra_data):
    """allauth keeps the userinfo and ID token claims ({"userinfo": …, "id_token": …})."""
    return {part: {claim: value for claim, value in claims.items() if claim in LABEL_CLAIMS}
            for part, claims in (extra_data or {}).items() if isinstance(claims, dict)}


def hold_identity(session, sign_in, account, email):
    """Keep an unknown identity until the invited person proves their address with a code."""
    session[HELD_IDENTITY_SESSION_KEY] = {
        "provider_id": sign_in.provider_id, "uid": account.uid,
        "extra_data": label_claims_only(account.extra_data), "email": email}


@transaction.atomic
def connect_held_identity(session, person):
    """Right after someone signed in: the identity held for their address becomes theirs.
    Returns the new SocialAccount, or None when nothing was held for this person."""
    held = session.pop(HELD_IDENTITY_SESSION_KEY, None)
    if not held or held["email"].lower() != person.email.lower():
        return None
    session.pop(INVITED_SESSION_KEY, None)
    sign_in = sign_in_of_provider(held["provider_id"])
    if sign_in is None or not policies.may_sign_in_through(person, sign_in):
        return None
    if SocialAccount.objects.filter(provider=sign_in.provider_id, uid=held["uid"]).exists():
        return None
    account = SocialAccount.objects.create(
        user=person, provider=sign_in.provider_id, uid=held["uid"],
        extra_data=held["extra_data"])
    audit.record(audit.EventKind.IDENTITY_CONNECTED, network=sign_in.network, actor=person,
                 target=person, provider=sign_in.get_kind_display())
    return account


def record_refused_sign_in(sign_in, *, uid, email, reason):
    """An identity from a network's provider that Bro did not let in."""
    audit.record(audit.EventKind.SIGN_IN_FAILED, network=sign_in.network,
                 target_label=email or f"{sign_in.display_name} {uid}",
                 method=sign_in.kind, reason=reason)


@transaction.atomic
def save_network_sign_in(sign_in, *, secret_changed, actor=None):
    """Set up or change one of a network's identity providers (from NetworkSignInForm, on the
    network admin's page or in the platform admin). The secret itself is never recorded."""
    created = sign_in.pk is None
    if created:
        sign_in.provider_id = NetworkSignIn.provider_id_for(sign_in.network, sign_in.kind)
    sign_in.server_url = sign_in.server_url.rstrip("/")
    sign_in.save()
    audit.record(audit.EventKind.SIGN_IN_PROVIDER_CHANGED, network=sign_in.network_id,
                 actor=actor, target=sign_in, provider=sign_in.get_kind_display(),
                 change="added" if created else "changed", secret_changed=secret_changed)
    return sign_in


@transaction.atomic
def remove_network_sign_in(network, kind, *, actor=None):
    """Take a provider off the network; the identities connected through it go with it."""
    sign_in = NetworkSignIn.objects.for_network(network).filter(kind=kind).first()
    if sign_in is None:
        return
    disconnected = SocialAccount.objects.filter(provider=sign_in.provider_id).delete()[0]
    audit.record(audit.EventKind.SIGN_IN_PROVIDER_CHANGED, network=network, actor=actor,
                 target=sign_in, provider=sign_in.get_kind_display(), change="removed",
                 disconnected=disconnected)
    sign_in.delete()


@transaction.atomic
@transaction.atomic
def update_network_settings(network, *, retention_months, accent_colour=None, logo=None,
                            remove_logo=False):
    """The network admin's settings; a changed retention period is recorded, since it
    decides when people's data is erased. The accent colour and logo are the network's look
    (tenancy.branding); None leaves them as they are."""
    changed = []
    if accent_colour and not network.accent_colour and accent_colour.lower() == DEFAULT_ACCENT:
        accent_colour = None  # the colour field's starting value: Bro's own, nothing chosen
    if accent_colour is not None and accent_colour.lower() != network.accent_colour:
        network.accent_colour = accent_colour.lower()
        changed.append("accent_colour")
    if logo:
        network.logo.save(logo.name, logo, save=False)
        changed.append("logo")
    elif remove_logo and network.logo:
        network.logo.delete(save=False)
        changed.append("logo")
    previous = network.retention_months
    if previous != retention_months:
        network.retention_months = retention_months
        changed.append("retention_months")
        audit.record(audit.EventKind.RETENTION_CHANGED, network=network, target=network,
                     previous=previous, months=retention_months)
    if changed:
        network.save(update_fields=changed)


# The fields of the network's statements page whose change changes the privacy notice.
PRIVACY_FIELDS = ("privacy_controller", "privacy_contact", "hosting_provider", "email_provider",
                  "other_processors")


@transaction.atomic
def save_statements(network, form):
    """The network admin's accessibility statement address and privacy notice fill-ins."""
    form.save()
    changed = [name for name in form.changed_data if name in PRIVACY_FIELDS]
    if changed:
        audit.record(audit.EventKind.PRIVACY_NOTICE_CHANGED, network=network, target=network,
                     fields=changed)
    return network


@transaction.atomic
def save_privacy_notice_text(network, language, text):
    """The network's own wording in one language; the template's own text (unchanged) is
    not stored, so the notice keeps following the template and its fill-ins."""
    text = text.strip().replace("\r\n", "\n")
    if text == privacy.template_text(network, language):
        return reset_privacy_notice_text(network, language)
    PrivacyNoticeText.objects.for_network(network).update_or_create(
        network=network, language=language, defaults={"text": text})
    audit.record(audit.EventKind.PRIVACY_NOTICE_CHANGED, network=network, target=network,
                 language=language, reworded=True)
    return None


@transaction.atomic
def reset_privacy_notice_text(network, language):
    """Back to the template in one language."""
    deleted, _rows = PrivacyNoticeText.objects.for_network(network).filter(
        language=language).delete()
    if deleted:
        audit.record(audit.EventKind.PRIVACY_NOTICE_CHANGED, network=network, target=network,
                     language=language, reworded=False)
    return None

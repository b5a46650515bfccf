"""What Bro holds about one person, gathered from every app and every network, and the zip
they download: `bro-data.json` (machine-readable) and `bro-data.html` (to read).

The person's own data only: their profile, roles and invitations, their answers and scores,
reflections, the group texts they wrote, their groups' initiatives, the reminders sent to
them and their sign-ins. Other people's names are left out (an event's labels, who invited
whom); aggregates are not personal data and are not included.
"""

import io
import json
import zipfile

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from assessments.models import Answer, DimensionScore, PollAnswer, Report, Response
from cohorts.models import GatheringRegistration
from modules.models import ActivityCompletion, Ambition, GroupTaskRevision, Initiative, Reflection
from reminders.models import ReminderDelivery, ReminderPreference
from tenancy.audit import AuditEvent, EventKind
from tenancy.models import Invitation, Role, RoleKind
from tenancy.scoping import platform_wide
from tenancy.translated import translated

SIGN_IN_KINDS = [
    EventKind.SIGNED_IN,
    EventKind.SIGN_IN_FAILED,
    EventKind.MFA_ACTIVATED,
    EventKind.MFA_DEACTIVATED,
]


def _when(value):
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def collect(person, language):
    """Every section of the person's data as plain JSON-ready values. Reads across networks
    on purpose (a person's data, wherever it is), always filtered by the person."""
    with platform_wide(), translation.override(language):
        return {
            "made_at": _when(timezone.now()),
            "profile": _profile(person),
            "roles": _roles(person),
            "invitations": _invitations(person),
            "assessments": _assessments(person, language),
            "activities_done": [
                {
                    "network": c.network.name,
                    "cohort": c.cohort.name,
                    "activity": translated(c.activity.title, language),
                    "done_at": _when(c.completed_at),
                }
                for c in ActivityCompletion.objects.filter(person=person)
                .select_related("network", "cohort", "activity")
                .order_by("completed_at")
            ],
            "reflections": [
                {
                    "network": r.network.name,
                    "cohort": r.cohort.name,
                    "activity": translated(r.activity.title, language),
                    "text": r.text,
                    "updated_at": _when(r.updated_at),
                }
                for r in Reflection.objects.filter(person=person)
                .select_related("network", "cohort", "activity")
                .order_by("updated_at")
            ],
            "gatherings": [
                {
                    "network": r.network.name,
                    "gathering": translated(r.gathering.cohort_module.module.title, language),
                    "starts_at": _when(r.gathering.starts_at),
                    "coming": r.coming,
                    "came": r.attended,
                }
                for r in GatheringRegistration.objects.filter(person=person)
                .select_related("network", "gathering__cohort_module__module")
                .order_by("gathering__starts_at")
            ],
            "poll_answers": [
                {
                    "network": a.network.name,
                    "question": translated(a.poll.question, language),
                    "answer": a.value,
                    "answered_at": _when(a.answered_at),
                }
                for a in PollAnswer.objects.filter(person=person)
                .select_related("network", "poll")
                .order_by("answered_at", "pk")
            ],
            "group_texts": _group_texts(person, language),
            "initiatives": _initiatives(person, language),
            "reports_requested": [
                {
                    "network": r.network.name,
                    "kind": r.get_kind_display(),
                    "cohort": r.cohort.name,
                    "group": r.leader_group.name if r.leader_group else "",
                    "requested_at": _when(r.requested_at),
                }
                for r in Report.objects.filter(requested_by=person)
                .select_related("network", "cohort", "leader_group")
                .order_by("requested_at")
            ],
            "reminders": [
                {
                    "network": d.network.name,
                    "kind": d.get_kind_display(),
                    "email": d.email,
                    "status": d.get_status_display(),
                    "sent_at": _when(d.sent_at),
                }
                for d in ReminderDelivery.objects.filter(
                    Q(person=person) | Q(person__isnull=True, email__iexact=person.email)
                )
                .select_related("network")
                .order_by("created_at")
            ],
            "reminder_settings": [
                {"kind": p.get_kind_display(), "on": p.enabled}
                for p in ReminderPreference.objects.filter(
                    Q(person=person) | Q(person__isnull=True, email__iexact=person.email)
                )
            ],
            "sign_in_history": _events(person, kinds=SIGN_IN_KINDS),
            "other_events": _events(person, exclude_kinds=SIGN_IN_KINDS),
        }


def _profile(person):
    return {
        "email": person.email,
        "name": person.name,
        "job_title": person.title,
        "language": person.language,
        "joined_at": _when(person.date_joined),
        "last_sign_in_at": _when(person.last_login),
        "platform_staff": person.is_staff,
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=person)
        ],
        "connected_accounts": [
            {"provider": a.provider, "connected_at": _when(a.date_joined)}
            for a in SocialAccount.objects.filter(user=person)
        ],
        "authenticators": [
            {"type": a.get_type_display(), "created_at": _when(a.created_at)}
            for a in Authenticator.objects.filter(user=person)
        ],
    }


def _roles(person):
    return [
        {
            "network": r.network.name,
            "role": r.get_kind_display(),
            "organisation": r.organisation.name if r.organisation else "",
            "group": r.leader_group.name if r.leader_group else "",
            "since": _when(r.created_at),
        }
        for r in Role.objects.filter(person=person)
        .select_related("network", "organisation", "leader_group")
        .order_by("created_at")
    ]


def _invitations(person):
    return [
        {
            "network": i.network.name,
            "email": i.email,
            "name": i.name,
            "job_title": i.title,
            "role": i.get_kind_display(),
            "sent_at": _when(i.sent_at),
            "accepted_at": _when(i.accepted_at),
            "expires_at": _when(i.expires_at),
        }
        for i in Invitation.objects.filter(Q(email__iexact=person.email) | Q(accepted_by=person))
        .select_related("network")
        .order_by("created_at")
    ]


def _assessments(person, language):
    responses = list(
        Response.objects.filter(person=person)
        .select_related("network", "round__cohort", "round__instrument", "leader_group")
        .order_by("started_at")
    )
    answers, scores = {}, {}
    for answer in (
        Answer.objects.filter(response__in=[r.pk for r in responses])
        .select_related("item")
        .order_by("item__dimension__position", "item__position", "kind")
    ):
        answers.setdefault(answer.response_id, []).append(
            {
                "statement": translated(answer.item.text, language),
                "item": answer.item.code,
                "question": answer.get_kind_display(),
                "value": answer.value,
                "dont_know": answer.dont_know,
            }
        )
    for score in (
        DimensionScore.objects.filter(response__in=[r.pk for r in responses])
        .select_related("dimension")
        .order_by("dimension__position", "kind")
    ):
        scores.setdefault(score.response_id, []).append(
            {
                "dimension": translated(score.dimension.name, language),
                "question": score.get_kind_display(),
                "score": score.score,
            }
        )
    return [
        {
            "network": r.network.name,
            "cohort": r.round.cohort.name if r.round.cohort else "",
            "round": r.round.name,
            "personal": r.round.is_personal,
            "instrument": translated(r.round.instrument.name, language),
            "group": r.leader_group.name if r.leader_group else "",
            "started_at": _when(r.started_at),
            "submitted_at": _when(r.submitted_at),
            "answers": answers.get(r.pk, []),
            "scores": scores.get(r.pk, []),
        }
        for r in responses
    ]


def _group_texts(person, language):
    """The versions of group answers the person saved, and ambitions they saved last."""
    revisions = [
        {
            "network": r.network.name,
            "group": r.answer.leader_group.name,
            "about": translated(r.answer.activity.title, language),
            "version": r.version,
            "text": r.text,
            "saved_at": _when(r.changed_at),
        }
        for r in GroupTaskRevision.objects.filter(changed_by=person)
        .select_related("network", "answer__leader_group", "answer__activity")
        .order_by("changed_at")
    ]
    ambitions = [
        {
            "network": a.network.name,
            "group": a.leader_group.name,
            "about": translated(a.module.title, language),
            "version": None,
            "text": a.text,
            "saved_at": _when(a.updated_at),
        }
        for a in Ambition.objects.filter(updated_by=person)
        .select_related("network", "leader_group", "module")
        .order_by("updated_at")
    ]
    return revisions + ambitions


def _initiatives(person, language):
    """The initiatives of the groups the person leads in (a group's shared work)."""
    groups = Role.objects.filter(person=person, kind=RoleKind.LEADER).values("leader_group_id")
    return [
        {
            "network": i.network.name,
            "group": i.leader_group.name,
            "module": translated(i.module.title, language),
            "title": i.title,
            "description": i.description,
            "horizon": i.get_horizon_display(),
            "owner": i.owner.name if i.owner else "",
            "due_on": i.due_on.isoformat() if i.due_on else "",
            "status": i.get_status_display(),
            "updates": [{"written_at": _when(u.written_at), "status": u.get_status_display(),
                         "text": u.text, "by_you": u.author_id == person.pk}
                        for u in i.updates.all()],
            "created_at": _when(i.created_at),
            "updated_at": _when(i.updated_at),
        }
        for i in Initiative.objects.filter(leader_group_id__in=groups)
        .select_related("network", "leader_group", "module", "owner")
        .prefetch_related("updates")
        .order_by("created_at")
    ]


def _events(person, *, kinds=None, exclude_kinds=None):
    """Events the person did or that were about them; other people's labels left out."""
    events = AuditEvent.objects.filter(
        Q(actor_id=person.pk) | Q(target_type="person", target_id=person.pk)
    )
    if kinds is not None:
        events = events.filter(kind__in=kinds)
    if exclude_kinds is not None:
        events = events.exclude(kind__in=exclude_kinds)
    return [
        {
            "at": _when(e.at),
            "event": e.get_kind_display(),
            "network": e.network.name if e.network_id and e.network else "",
            "details": e.details,
        }
        for e in events.select_related("network").order_by("at", "pk")
    ]


def build_zip(person, language):
    """The zip's bytes: the same data as JSON and as a page to read."""
    data = collect(person, language)
    with translation.override(language):
        page = render_to_string("gdpr/export.html", {"data": data, "person": person})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bro-data.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("bro-data.html", page)
    return buffer.getvalue()

"""The reminder emails: one per delivery, in the recipient's language, with plain-text and HTML
parts, naming the network, linking to the reminder settings, and carrying a one-click
List-Unsubscribe (RFC 8058) that switches that kind off without signing in."""

import email.policy
from urllib.parse import urlparse

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cohorts.ics import Event, calendar
from reminders.models import ReminderKind
from reminders.planning import gathering_of
from tenancy.emails import absolute_url, role_in_sentence, sender
from tenancy.languages import person_language
from tenancy.translated import translated

UNSUBSCRIBE_SALT = "reminders.unsubscribe"
# RFC 5322 allows header lines of 998 characters; folding at 78 would wrap the long
# List-Unsubscribe URL in encoded words, which mail programs do not read as a URL.
HEADER_LINE_LIMIT = 998


class ReminderEmail(EmailMultiAlternatives):
    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=HEADER_LINE_LIMIT))


def unsubscribe_token(*, kind, person=None, email=""):
    """A signed, non-expiring token naming who switches which kind off."""
    who = {"p": person.pk} if person is not None else {"e": email.lower()}
    return signing.dumps({**who, "k": kind}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """(person_id or None, email, kind); raises signing.BadSignature for a forged token."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if data.get("k") not in ReminderKind.values:
        raise signing.BadSignature("unknown kind")
    return data.get("p"), data.get("e", ""), data["k"]


def delivery_language(delivery, target):
    if delivery.person is not None:
        if delivery.kind == ReminderKind.INVITATION_PENDING and not delivery.person.language:
            return target.language
        return person_language(delivery.person, delivery.network)
    if delivery.kind == ReminderKind.INVITATION_PENDING:
        return target.language
    return delivery.network.default_language


def when(moment):
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def day(value):
    return formats.date_format(value, "DATE_FORMAT")


def leader_url(network):
    return absolute_url(reverse("leader_home", kwargs={"network_slug": network.slug}))


def module_title(cohort_module):
    return translated(cohort_module.module.title)


def gathering_details(gathering):
    starts, ends = timezone.localtime(gathering.starts_at), timezone.localtime(gathering.ends_at)
    until = formats.time_format(ends, "TIME_FORMAT") if starts.date() == ends.date() else when(ends)
    details = [(_("When"), f"{when(starts)} – {until}")]
    if gathering.place:
        details.append((_("Place"), gathering.place))
    if gathering.online_url:
        details.append((_("Online"), gathering.online_url))
    return details


def gathering_calendar(gathering, summary, network):
    event = Event(
        uid=f"gathering-{gathering.pk}@{urlparse(settings.SITE_URL).hostname}",
        stamp=timezone.now(), starts_at=gathering.starts_at, ends_at=gathering.ends_at,
        summary=summary, location=gathering.place or gathering.online_url,
        url=gathering.online_url or leader_url(network), description=gathering.agenda)
    return calendar([event])


def content(delivery, target, extra):
    """Subject, paragraphs, details, action and attachments of one reminder (in the active
    language). `extra` carries what the send step prepared, e.g. a new invitation link."""
    network = delivery.network
    kind = delivery.kind
    attachments = []
    details = []
    action_url, action_label = leader_url(network), _("Open Bro")
    if kind in (ReminderKind.PREWORK_OPENS, ReminderKind.PREWORK_DUE,
                ReminderKind.POSTWORK_DUE):
        module, cohort = module_title(target), target.cohort.name
        gathering = gathering_of(target)
        if kind == ReminderKind.PREWORK_OPENS:
            subject = _("The pre-work for %(module)s is open") % {"module": module}
            paragraphs = [_("The pre-work for %(module)s in %(cohort)s is open: films, texts "
                            "and reflection exercises to take in your own pace, and a task for "
                            "your leader group.") % {"module": module, "cohort": cohort}]
        elif kind == ReminderKind.PREWORK_DUE:
            subject = _("Finish the pre-work for %(module)s before the gathering") % {
                "module": module}
            paragraphs = [_("The gathering for %(module)s is on %(date)s. You have not yet "
                            "finished every pre-work activity; the gathering builds on them.")
                          % {"module": module, "date": day(timezone.localtime(
                              gathering.starts_at).date())}]
        else:
            subject = _("Post-work for %(module)s is due on %(date)s") % {
                "module": module, "date": day(target.postwork_due_on)}
            paragraphs = [_("Your leader group has not yet set its ambition and decided its "
                            "initiatives for %(module)s. Post-work is due on %(date)s.")
                          % {"module": module, "date": day(target.postwork_due_on)}]
        if gathering is not None and kind != ReminderKind.POSTWORK_DUE:
            details = gathering_details(gathering)
    elif kind == ReminderKind.GATHERING_TOMORROW:
        module = module_title(target.cohort_module)
        subject = _("Tomorrow: the gathering for %(module)s") % {"module": module}
        paragraphs = [_("The gathering for %(module)s in %(cohort)s is tomorrow. The calendar "
                        "file in this email puts it in your calendar.")
                      % {"module": module, "cohort": target.cohort_module.cohort.name}]
        details = gathering_details(target)
        summary = _("Gathering: %(module)s") % {"module": module}
        attachments = [("gathering.ics", gathering_calendar(target, summary, network),
                        "text/calendar")]
    elif kind in (ReminderKind.ROUND_OPENS, ReminderKind.ROUND_CLOSES):
        closes = when(target.closes_at)
        if kind == ReminderKind.ROUND_OPENS:
            subject = _("%(round)s is open") % {"round": target.name}
            paragraphs = [_("%(round)s is open until %(closes)s. Your answers are saved as you "
                            "go and stay yours: others see only anonymous totals.")
                          % {"round": target.name, "closes": closes}]
        else:
            subject = _("%(round)s closes on %(closes)s") % {
                "round": target.name, "closes": closes}
            paragraphs = [_("You have not yet submitted your answers to %(round)s. It closes "
                            "on %(closes)s.") % {"round": target.name, "closes": closes}]
    elif kind == ReminderKind.INVITATION_PENDING:
        subject = _("Reminder: your invitation to %(network)s") % {"network": network.name}
        role = role_in_sentence(target.kind)
        inviter = target.invited_by.name if target.invited_by else ""
        paragraphs = [
            _("%(inviter)s invited you to %(network)s in Bro as %(role)s, and you have not yet "
              "accepted.") % {"inviter": inviter, "network": network.name, "role": role}
            if inviter else
            _("You were invited to %(network)s in Bro as %(role)s and have not yet accepted.")
            % {"network": network.name, "role": role},
            _("This link replaces the one in the first email. It works once and expires on "
              "%(date)s.") % {"date": day(timezone.localtime(target.expires_at).date())}]
        action_url, action_label = extra["accept_url"], _("Accept the invitation")
    elif kind == ReminderKind.COHORT_MESSAGE:
        sender = target.sender.name if target.sender else network.name
        subject = target.subject
        to = target.leader_group.name if target.leader_group else target.cohort.name
        paragraphs = [_("A message from %(sender)s to %(to)s:") % {"sender": sender, "to": to},
                      *(part.strip() for part in target.body.split("\n\n") if part.strip())]
    else:
        coordinator = target.sent_by.name if target.sent_by else target.organisation.name
        if target.round_id:
            thing = target.round.name
            paragraphs = [_("%(coordinator)s (%(organisation)s) reminds you to answer %(round)s "
                            "before it closes on %(closes)s.")
                          % {"coordinator": coordinator, "organisation": target.organisation.name,
                             "round": thing, "closes": when(target.round.closes_at)}]
        else:
            thing = module_title(target.cohort_module)
            paragraphs = [_("%(coordinator)s (%(organisation)s) reminds you to finish the "
                            "pre-work for %(module)s.")
                          % {"coordinator": coordinator, "organisation": target.organisation.name,
                             "module": thing}]
        subject = _("A reminder from your coordinator: %(thing)s") % {"thing": thing}
    return {"subject": f"{network.name}: {subject}", "paragraphs": paragraphs,
            "details": details, "action_url": action_url, "action_label": action_label,
            "attachments": attachments}


def build_message(delivery, target, extra=None):
    """The whole email for one delivery; nothing is sent here."""
    language = delivery_language(delivery, target)
    token = unsubscribe_token(kind=delivery.kind, person=delivery.person, email=delivery.email)
    unsubscribe_url = absolute_url(reverse("reminder_unsubscribe", args=[token]))
    with translation.override(language):
        context = {
            **content(delivery, target, extra or {}),
            "name": delivery.person.name if delivery.person else "",
            "network": delivery.network,
            "kind_label": ReminderKind(delivery.kind).label,
            "settings_url": absolute_url(reverse("reminder_settings")),
            "unsubscribe_url": unsubscribe_url,
            "language": language,
        }
        subject = render_to_string("emails/reminder_subject.txt", context).strip()
        text = render_to_string("emails/reminder_body.txt", context)
        html = render_to_string("emails/reminder_body.html", context)
    message = ReminderEmail(
        subject=" ".join(subject.split()), body=text, to=[delivery.email],
        from_email=sender(delivery.network),
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Content-Language": language,
            "Auto-Submitted": "auto-generated",
            # Which kind of reminder this is, for mail filters (and tests), in any language.
            "X-Bro-Reminder": delivery.kind,
        })
    message.attach_alternative(html, "text/html")
    for filename, data, mimetype in context["attachments"]:
        message.attach(filename, data, mimetype)
    return message

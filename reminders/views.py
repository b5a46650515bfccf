from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt

from cohorts.access import access_cohort_to_follow
from reminders import selectors, services
from reminders.access import access_cohort_to_oversee
from reminders.emails import read_unsubscribe_token
from reminders.forms import CohortMessageForm, ReminderSettingsForm
from reminders.models import DeliveryStatus, ReminderKind
from tenancy.access import access_organisation_to_manage, network_roles
from tenancy.models import Person, RoleKind


@login_required
def reminder_settings(request):
    """Per-kind on/off switches of the signed-in person, in every network."""
    form = ReminderSettingsForm(request.POST or None,
                                enabled=services.enabled_kinds(request.user))
    if request.method == "POST" and form.is_valid():
        services.save_switches(request.user, form.enabled_by_kind())
        messages.success(request, _("Your reminder settings are saved."))
        return redirect("reminder_settings")
    return render(request, "reminders/settings.html", {"form": form})


@csrf_exempt  # RFC 8058: mail programs POST "List-Unsubscribe=One-Click" without a CSRF token
def reminder_unsubscribe(request, token):
    """One click (no sign-in) switches off one kind of reminder for the person in the token.
    GET only asks (link scanners follow links); POST switches it off."""
    try:
        person_id, email, kind = read_unsubscribe_token(token)
    except signing.BadSignature:
        raise Http404 from None
    person = Person.objects.filter(pk=person_id).first() if person_id else None
    if person_id and person is None:
        raise Http404
    done = request.method == "POST"
    if done:
        services.set_enabled(kind, False, person=person, email=email)
    return render(request, "reminders/unsubscribe.html", {
        "kind_label": ReminderKind(kind).label, "done": done, "signed_in_as_them":
        person is not None and request.user.is_authenticated and request.user.pk == person.pk})


@network_roles(RoleKind.COORDINATOR, RoleKind.NETWORK_ADMIN)
def organisation_reminders(request, organisation_id):
    """A coordinator reminds their organisation's leaders who have not finished something."""
    organisation = access_organisation_to_manage(request, organisation_id)
    network = request.network
    if request.method == "POST":
        thing = selectors.nudge_targets(network, organisation, request.POST.get("what", ""))
        if thing is None:
            messages.error(request, _("That can no longer be reminded of."))
        else:
            try:
                nudge = services.nudge(network, organisation, sent_by=request.user, **thing)
            except services.AlreadyNudgedToday as refused:
                messages.warning(request, services.describe_nudge_refusal(refused.nudge))
            except services.NothingToNudge:
                messages.error(request, _("That can no longer be reminded of."))
            else:
                if nudge.recipient_count:
                    messages.success(request, ngettext(
                        "The reminder to %(count)d leader is queued and goes out in a moment.",
                        "The reminder to %(count)d leaders is queued and goes out in a "
                        "moment.", nudge.recipient_count) % {"count": nudge.recipient_count})
                else:
                    messages.info(request, _("Everyone has finished; nobody was reminded."))
        return redirect(request.path)
    return render(request, "reminders/organisation_reminders.html", {
        "organisation": organisation,
        "options": selectors.nudge_options(network, organisation),
    })


@network_roles(RoleKind.NETWORK_ADMIN)
def cohort_reminders(request, cohort_id):
    """What the cohort's reminders did: sent, to how many, what failed."""
    cohort = access_cohort_to_oversee(request, cohort_id)
    rows, failures = selectors.cohort_reminder_overview(request.network, cohort)
    return render(request, "reminders/cohort_reminders.html", {
        "cohort": cohort, "rows": rows, "failures": failures, "Status": DeliveryStatus})


@network_roles(RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def cohort_message(request, cohort_id):
    """Write to the cohort's leaders or one group: email once, and shown on What's next."""
    cohort = access_cohort_to_follow(request, cohort_id)
    groups = list(cohort.leader_groups.order_by("name"))
    form = CohortMessageForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        message = services.send_cohort_message(
            request.network, cohort, leader_group=data["leader_group"], subject=data["subject"],
            body=data["body"], days=data["days"], sender=request.user)
        messages.success(request, ngettext(
            "The message is sent to %(count)d leader.",
            "The message is sent to %(count)d leaders.",
            message.recipient_count) % {"count": message.recipient_count})
        return redirect("cohort_message", network_slug=request.network.slug, cohort_id=cohort.pk)
    return render(request, "reminders/cohort_message.html", {
        "cohort": cohort, "form": form,
        "sent": cohort.messages.select_related("sender", "leader_group")[:20]},
        status=400 if form.errors else 200)

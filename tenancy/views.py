import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenancy import branding, policies, privacy, selectors, services
from tenancy.access import (
    access_invitation_to_revoke,
    access_organisation_to_manage,
    network_roles,
)
from tenancy.forms import (
    AuditFilterForm,
    LanguageForm,
    LeaderGroupForm,
    LeaderInvitationForm,
    NetworkSettingsForm,
    NetworkSignInForm,
    NetworkStatementsForm,
    OrganisationAttributesForm,
    OrganisationForm,
    PrivacyNoticeTextForm,
    ProfileForm,
    StaffInvitationForm,
)
from tenancy.languages import LANGUAGE_CODES, choose_language
from tenancy.models import Network, NetworkSignIn, RoleKind, SignInKind
from tenancy.spreadsheet import CSV, spreadsheet_response

ROLE_HOMES = {
    RoleKind.NETWORK_ADMIN: "manage_dashboard",
    RoleKind.FACILITATOR: "facilitator_home",
    RoleKind.COORDINATOR: "coordinator_home",
    RoleKind.LEADER: "leader_home",
}


def home(request):
    """Signed out: the welcome page. Signed in: the network the person last used, or a choice."""
    if not request.user.is_authenticated:
        return render(request, "tenancy/welcome.html")
    networks = list(selectors.networks_of(request.user))
    last = next((n for n in networks if n.pk == request.user.last_network_id), None)
    if last is None and len(networks) == 1:
        last = networks[0]
    if last is not None:
        return redirect("network_home", network_slug=last.slug)
    return redirect("staff_overview" if request.user.is_staff else "network_choice")


@login_required
def network_choice(request):
    return render(request, "tenancy/network_choice.html",
                  {"networks": selectors.networks_of(request.user)})


def network_home(request):
    """Sends a person to the page their role in this network needs."""
    role = selectors.landing_role(request.roles)
    if role is None:  # platform staff without a role in this network: their overview
        return redirect("staff_overview")
    return redirect(ROLE_HOMES[role], network_slug=request.network.slug)


@network_roles.any
def bench_floor(request):
    """The cheapest signed-in network page, through every middleware: the yardstick the
    scripts in bench/ divide their figures by. Missing unless settings.BENCH_FLOOR is on."""
    if not settings.BENCH_FLOOR:
        raise Http404
    return HttpResponse(b"floor", content_type="text/plain")


@network_roles.any
def bench_chrome(request):
    """The layout every HTML page pays (base.html, its context processors) with no content:
    what bench/ compares the floor and the pages with. Missing unless BENCH_FLOOR is on."""
    if not settings.BENCH_FLOOR:
        raise Http404
    return render(request, "base.html")


def network_logo(request, slug):
    """A network's logo, uploaded by platform staff in the admin; public like any letterhead.

    Served by Bro itself (not only by runserver's media view) so it shows in production too."""
    network = get_object_or_404(Network, slug=slug)
    if not network.logo:
        raise Http404
    try:
        logo = network.logo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(logo)
    response["Cache-Control"] = "public, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def network_theme(request, slug):
    """The network's accent colour as a stylesheet (tenancy.branding): the strict CSP allows
    no style attributes. Pages link it with the colour as its version, so it may be cached."""
    network = get_object_or_404(Network, slug=slug)
    css = branding.theme_css(network.accent_colour) if network.accent_colour else ""
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@require_POST
def set_language(request):
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return redirect("home")
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        services.set_language(request.user, language)
    target = form.cleaned_data["next"]
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("home")
    response = redirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600,
                        samesite="Lax", secure=request.is_secure())
    return response


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(request.user, **form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        return redirect("profile")
    return render(request, "tenancy/profile.html",
                  {"form": form, "networks": selectors.networks_of(request.user)})


def accept_invitation(request, token):
    """GET shows what the invitation is for; POST accepts it (mail scanners only GET)."""
    invitation = services.find_invitation(token)
    if invitation is None or not invitation.is_usable:
        return render(request, "tenancy/invitation_unusable.html",
                      {"invitation": invitation}, status=410 if invitation else 404)
    # Someone who has not chosen a language yet reads the invitation in the language it was
    # written in, as the email was, and so do the sign-in pages after it.
    chose_language = settings.LANGUAGE_COOKIE_NAME in request.COOKIES or (
        request.user.is_authenticated and request.user.language)
    if not chose_language:
        translation.activate(invitation.language)
        request.LANGUAGE_CODE = invitation.language
    if request.method == "POST":
        try:
            invitation, person = services.accept_invitation(token)
        except services.InvitationUnusable:
            return render(request, "tenancy/invitation_unusable.html",
                          {"invitation": invitation}, status=410)
        if request.user.is_authenticated and request.user.pk == person.pk:
            messages.success(request, _("Welcome to %(network)s.")
                             % {"network": invitation.network.name})
            return redirect("network_home", network_slug=invitation.network.slug)
        # The link only proves the invitation reached someone: the person still signs in with
        # a code sent to that inbox (and their authenticator app, where required), so a
        # forwarded or leaked link never opens an account by itself.
        if request.user.is_authenticated:
            auth.logout(request)
        services.remember_invitation(request.session, invitation)
        messages.success(request, _("Welcome to %(network)s. Sign in with your email to go on.")
                         % {"network": invitation.network.name})
        response = redirect(reverse("account_request_login_code") + "?" + urlencode(
            {"email": person.email, "network": invitation.network.slug}))
        if not chose_language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, invitation.language,
                                max_age=365 * 24 * 3600, samesite="Lax",
                                secure=request.is_secure())
        return response
    return render(request, "tenancy/accept_invitation.html", {
        "invitation": invitation,
        "sign_ins": selectors.network_sign_ins(invitation.network)})


@network_roles(RoleKind.NETWORK_ADMIN)
def manage_dashboard(request, template_name="tenancy/manage_dashboard.html", extra_context=None):
    """The network admin's page: organisations, people, invitations, the network's settings.
    A higher app serves it (modules.dashboard_views) with what needs the admin now on top, in
    a template that fills the `manage_extra` block: tenancy cannot read cohorts or rounds."""
    network = request.network
    # Both forms have a "name": prefixes keep their ids (and so their labels) apart.
    organisation_form = OrganisationForm(network=network, prefix="organisation")
    invitation_form = StaffInvitationForm(network=network, prefix="invite")
    if request.method == "POST" and "add_organisation" in request.POST:
        organisation_form = OrganisationForm(request.POST, network=network, prefix="organisation")
        if organisation_form.is_valid():
            organisation = services.create_organisation(network, **organisation_form.cleaned_data)
            messages.success(request, _("%(name)s is added.") % {"name": organisation.name})
            return redirect("manage_dashboard", network_slug=network.slug)
    elif request.method == "POST" and "invite" in request.POST:
        invitation_form = StaffInvitationForm(request.POST, network=network, prefix="invite")
        if invitation_form.is_valid():
            data = invitation_form.cleaned_data
            with transaction.atomic():
                services.create_invitation(
                    network, email=data["email"], name=data["name"], kind=data["kind"],
                    organisation=data["organisation"], language=data["language"],
                    invited_by=request.user)
            messages.success(request, _("The invitation to %(email)s is on its way.")
                             % {"email": data["email"]})
            return redirect("manage_dashboard", network_slug=network.slug)
    staff, leader_count = selectors.network_staff_and_leader_count(network)
    return render(request, template_name, {
        "organisations": policies.organisations_person_can_manage(network, request.roles),
        "people": staff,
        "leader_count": leader_count,
        "invitations": selectors.pending_invitations(network),
        "organisation_form": organisation_form,
        "invitation_form": invitation_form,
        **(extra_context or {}),
    })


@network_roles(RoleKind.COORDINATOR, RoleKind.NETWORK_ADMIN)
def revoke_invitation(request, invitation_id):
    """Withdraw a pending invitation (a button in the lists on Manage and on an organisation's
    page), then back to the page it was withdrawn from; a GET only goes back."""
    invitation = access_invitation_to_revoke(request, invitation_id)
    if request.method != "POST":
        return redirect("network_home", network_slug=request.network.slug)
    try:
        services.revoke_invitation(invitation, revoked_by=request.user)
    except services.InvitationNotRevocable:
        messages.error(request, _("The invitation to %(email)s was accepted or revoked in the "
                                  "meantime.")
                       % {"email": invitation.email})
    else:
        messages.success(request, _("The invitation to %(email)s is revoked: its link no longer "
                                    "works.") % {"email": invitation.email})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("network_home", kwargs={"network_slug": request.network.slug})
    return redirect(target)


@network_roles(RoleKind.NETWORK_ADMIN)
def network_settings(request):
    """The network's own settings: how long personal data is kept (README, "Your data
    (GDPR)"), and its look: accent colour and logo (README, "Design language")."""
    network = request.network
    form = NetworkSettingsForm(
        request.POST or None, request.FILES or None,
        initial={"retention_months": network.retention_months,
                 "accent_colour": network.accent_colour or branding.DEFAULT_ACCENT})
    if request.method == "POST" and form.is_valid():
        services.update_network_settings(network, **form.cleaned_data)
        messages.success(request, _("The network's settings are saved."))
        return redirect("network_settings", network_slug=network.slug)
    return render(request, "tenancy/network_settings.html", {"form": form})


@network_roles(RoleKind.COORDINATOR, RoleKind.NETWORK_ADMIN)
def coordinator_home(request):
    """A coordinator's organisations; with one, straight to it."""
    organisations = list(policies.organisations_person_coordinates(request.network, request.roles))
    if len(organisations) == 1:
        return redirect("organisation_detail", network_slug=request.network.slug,
                        organisation_id=organisations[0].pk)
    return render(request, "tenancy/coordinator_home.html", {"organisations": organisations})


@network_roles(RoleKind.COORDINATOR, RoleKind.NETWORK_ADMIN)
def organisation_detail(request, organisation_id, template_name="tenancy/organisation_detail.html",
                        extra_context=None):
    """An organisation's leader groups and leaders; where groups are made and leaders invited.
    Leaders who have not accepted their invitation yet are marked as invited. A higher app
    serves it with the groups' progress on top (`organisation_extra`, modules.dashboard_views);
    `extra_context` may be a function of the organisation and its pending invitations."""
    organisation = access_organisation_to_manage(request, organisation_id)
    network = request.network
    groups = organisation.leader_groups.all()
    group_form = LeaderGroupForm(prefix="group")
    invite_form = LeaderInvitationForm(network=network, groups=groups, prefix="invite")
    attributes_form = OrganisationAttributesForm(instance=organisation, prefix="attributes")
    if request.method == "POST" and "add_group" in request.POST:
        group_form = LeaderGroupForm(request.POST, prefix="group")
        if group_form.is_valid():
            group = services.create_leader_group(network, organisation=organisation,
                                                 **group_form.cleaned_data)
            messages.success(request, _("%(name)s is created.") % {"name": group.name})
            return redirect(request.path)
    elif request.method == "POST" and "attributes" in request.POST and request.roles.is_admin:
        attributes_form = OrganisationAttributesForm(request.POST, instance=organisation,
                                                     prefix="attributes")
        if attributes_form.is_valid():
            services.set_organisation_attributes(organisation, **attributes_form.cleaned_data)
            messages.success(request, _("Your changes are saved."))
            return redirect(request.path)
    elif request.method == "POST" and "invite" in request.POST:
        invite_form = LeaderInvitationForm(request.POST, network=network, groups=groups,
                                           prefix="invite")
        if invite_form.is_valid():
            data = invite_form.cleaned_data
            with transaction.atomic():
                services.create_invitation(
                    network, email=data["email"], name=data["name"], title=data["title"],
                    kind=RoleKind.LEADER, leader_group=data["leader_group"],
                    organisation=organisation, language=data["language"],
                    invited_by=request.user)
            messages.success(request, _("The invitation to %(email)s is on its way.")
                             % {"email": data["email"]})
            return redirect(request.path)
    invitations = list(selectors.pending_invitations(network, organisations=[organisation]))
    if callable(extra_context):
        extra_context = extra_context(organisation, invitations)
    return render(request, template_name, {
        "organisation": organisation,
        "groups": groups,
        "leaders": selectors.with_invitation_state(
            selectors.leaders_of_groups(network, groups), invitations),
        "invitations": invitations,
        "group_form": group_form,
        "invite_form": invite_form,
        "attributes_form": attributes_form if request.roles.is_admin else None,
        **(extra_context or {}),
    })



@network_roles(RoleKind.NETWORK_ADMIN)
def sign_in_settings(request):
    """The network's identity providers (README, "Sign-in with ID-porten, MitID Erhverv and
    Feide"): one form per kind; secrets are never shown back."""
    network = request.network
    existing = {sign_in.kind: sign_in for sign_in in selectors.network_sign_ins(network)}
    forms_by_kind = {
        kind: NetworkSignInForm(
            instance=existing.get(kind) or NetworkSignIn(network=network, kind=kind),
            prefix=kind)
        for kind in SignInKind.values}
    if request.method == "POST" and request.POST.get("remove") in existing:
        kind = request.POST["remove"]
        services.remove_network_sign_in(network, kind)
        messages.success(request, _("%(provider)s is removed.")
                         % {"provider": existing[kind].display_name})
        return redirect("sign_in_settings", network_slug=network.slug)
    if request.method == "POST" and request.POST.get("save") in forms_by_kind:
        kind = request.POST["save"]
        form = forms_by_kind[kind] = NetworkSignInForm(
            request.POST, instance=forms_by_kind[kind].instance, prefix=kind)
        if form.is_valid():
            sign_in = services.save_network_sign_in(
                form.save(commit=False), secret_changed=form.secret_changed)
            messages.success(request, _("%(provider)s is saved.")
                             % {"provider": sign_in.display_name})
            return redirect("sign_in_settings", network_slug=network.slug)
    return render(request, "tenancy/sign_in_settings.html", {
        "providers": [
            {"kind": kind, "label": SignInKind(kind).label, "form": form,
             "sign_in": existing.get(kind),
             "callback_url": request.build_absolute_uri(reverse(
                 "openid_connect_callback",
                 args=[NetworkSignIn.provider_id_for(network, kind)]))}
            for kind, form in forms_by_kind.items()],
        "sign_in_page": request.build_absolute_uri(
            reverse("account_request_login_code") + "?" + urlencode({"network": network.slug})),
    })


AUDIT_PAGE_SIZE = 50
PEOPLE_PAGE_SIZE = 50


@network_roles(RoleKind.NETWORK_ADMIN)
def network_people(request):
    """Everyone with a role in the network, a page at a time, found by name or email: Manage
    lists the admins, coordinators and facilitators, and a network has hundreds of leaders."""
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.network_people(request.network, search=search),
                     PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "tenancy/network_people.html", {
        "page": page, "search": search, "query": urlencode({"q": search}) if search else ""})


@network_roles(RoleKind.NETWORK_ADMIN)
def audit_trail(request):
    """The network's audit trail, newest first, to read only (README, "Audit trail")."""
    form = AuditFilterForm(request.GET or None)
    events = selectors.audit_trail(request.network, **form.filters())
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "tenancy/audit_trail.html", {
        "form": form, "page": page, "query": query.urlencode()})


@network_roles(RoleKind.NETWORK_ADMIN)
def audit_trail_csv(request):
    """The same events as the page with the same filters, all of them, as a CSV for Excel
    (UTF-8 with a byte order mark, semicolons); the export is recorded too."""
    form = AuditFilterForm(request.GET or None)
    rows = [[timezone.localtime(event.at).isoformat(timespec="seconds"),
             event.get_kind_display(), event.actor_display, event.target_label,
             event.readable_details, event.kind,
             json.dumps(event.details, ensure_ascii=False, sort_keys=True)]
            for event in selectors.audit_trail(request.network, **form.filters()).iterator(2000)]
    services.record_audit_export(request.network, len(rows))
    return spreadsheet_response(
        CSV, [_("When"), _("Event"), _("Who"), _("What"), _("Details"), _("Event code"),
              _("Details (machine-readable)")], rows,
        filename=f"audit-{request.network.slug}-{timezone.localdate()}", sheet_title="")


# --- Privacy notice and accessibility statement ------------------------------------------------

@network_roles(RoleKind.NETWORK_ADMIN)
def network_statements(request):
    """The network admin fills in the accessibility statement's address and the privacy
    notice's fill-ins, and may reword the notice in each language (or go back to the template)."""
    network = request.network
    posted = request.POST if request.method == "POST" else {}
    statements_form = NetworkStatementsForm(
        posted if "save_statements" in posted else None,
        instance=Network.objects.get(pk=network.pk))  # an invalid form leaves the page's alone
    if statements_form.is_valid():
        services.save_statements(network, statements_form)
        messages.success(request, _("The privacy and accessibility settings are saved."))
        return redirect("network_statements", network_slug=network.slug)

    reset = posted.get("reset_text")
    if reset in LANGUAGE_CODES:
        services.reset_privacy_notice_text(network, reset)
        messages.success(request, _("The privacy notice follows the template again."))
        return redirect(reverse("network_statements", kwargs={"network_slug": network.slug})
                        + f"#notice-{reset}")

    own = privacy.own_wordings(network)
    notice_forms = []
    for code, name in settings.LANGUAGES:
        form = PrivacyNoticeTextForm(
            posted if posted.get("save_text") == code else None, language=code,
            initial={"text": own[code].text if code in own
                     else privacy.template_text(network, code)})
        if form.is_valid():
            services.save_privacy_notice_text(network, code, form.cleaned_data["text"])
            messages.success(request, _("The privacy notice is saved."))
            return redirect(reverse("network_statements", kwargs={"network_slug": network.slug})
                            + f"#notice-{code}")
        notice_forms.append((code, name, code in own, form))
    return render(request, "tenancy/network_statements.html", {
        "statements_form": statements_form, "notice_forms": notice_forms,
        "was_address": request.build_absolute_uri(
            reverse("accessibility_statement", kwargs={"slug": network.slug}))})


def privacy_notice(request, slug):
    """A network's privacy notice: public, so anyone can read it before signing in."""
    network = get_object_or_404(Network, slug=slug)
    language = choose_language(request, network)
    translation.activate(language)
    return render(request, "tenancy/privacy_notice.html", {
        "footer_network": network,
        "notice": privacy.notice_html(privacy.notice_text(network, language))})


def accessibility_statement(request, slug):
    """/n/<network>/was: the short address of the network's accessibility statement."""
    network = get_object_or_404(Network, slug=slug)
    if network.accessibility_statement_url:
        return redirect(network.accessibility_statement_url)
    translation.activate(choose_language(request, network))
    return render(request, "tenancy/accessibility_statement_missing.html",
                  {"footer_network": network}, status=404)


def site_privacy_notice(request):
    """/privacy/: the privacy notice of the network meant (see selectors.implied_network),
    else every network's."""
    network = selectors.implied_network(request.user)
    if network is not None:
        return redirect("privacy_notice", slug=network.slug)
    return render(request, "tenancy/statements_choice.html", {
        "networks": Network.objects.all(), "url_name": "privacy_notice",
        "heading": _("Privacy notices")})


def site_accessibility_statement(request):
    """/was: the accessibility statement of the network meant, else every network's."""
    network = selectors.implied_network(request.user)
    if network is not None:
        return redirect("accessibility_statement", slug=network.slug)
    return render(request, "tenancy/statements_choice.html", {
        "networks": Network.objects.all(), "url_name": "accessibility_statement",
        "heading": _("Accessibility statements")})

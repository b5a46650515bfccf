"""A person's own data (Profile → download, erase) and a network admin's erasure page."""

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gdpr import services
from gdpr.forms import EraseMyDataForm, ErasePersonForm
from gdpr.models import DataExport, ExportStatus
from tenancy.access import network_roles
from tenancy.models import RoleKind

POLL_SECONDS = 2


@login_required
def my_data(request):
    """The person's latest download: where it stands; htmx asks for the status part every
    2 s while it is made."""
    data_export = DataExport.objects.filter(person=request.user).first()
    context = {
        "export": data_export,
        "poll_seconds": POLL_SECONDS,
        "stale": data_export is not None and services.export_is_stale(data_export),
    }
    template = "gdpr/my_data.html"
    if request.htmx:
        template += "#status"
    return render(request, template, context)


@login_required
@require_POST
def request_my_data(request):
    services.request_export(request.user, request.LANGUAGE_CODE)
    return redirect("my_data")


@login_required
def download_my_data(request, export_id):
    """The zip, to its person only: anyone else, staff included, gets 404."""
    data_export = DataExport.objects.filter(person=request.user, pk=export_id).first()
    if data_export is None:
        raise Http404
    if data_export.status != ExportStatus.READY or not data_export.file:
        return redirect("my_data")
    try:
        stored = data_export.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    services.record_export_download(data_export)
    day = timezone.localdate(data_export.finished_at)
    response = FileResponse(
        stored, as_attachment=True, filename=f"bro-data-{day}.zip", content_type="application/zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def erase_my_data(request):
    """Erasure on the person's own request: at once, everywhere, after typing their email."""
    form = EraseMyDataForm(request.POST or None, person=request.user)
    if request.method == "POST" and form.is_valid():
        services.erase_person(request.user, actor=request.user, reason=services.ErasureReason.SELF)
        language = request.LANGUAGE_CODE
        auth.logout(request)
        messages.success(request, _("Your personal data is erased. Thank you for taking part."))
        response = redirect("home")
        # The goodbye page speaks the language the person used (the cookie is no personal data).
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language,
                            samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response
    return render(request, "gdpr/erase_my_data.html", {"form": form})


@network_roles(RoleKind.NETWORK_ADMIN)
def erase_person(request):
    """A network admin erases a person's data in this network: find them by email, then
    confirm."""
    network = request.network
    form = ErasePersonForm(request.POST or None, network=network, admin=request.user)
    person = None
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        if "confirm" in request.POST:
            services.erase_person(
                person, network=network, actor=request.user, reason=services.ErasureReason.ADMIN
            )
            messages.success(
                request,
                _("The person's personal data in %(network)s is erased.")
                % {"network": network.name},
            )
            return redirect("manage_dashboard", network_slug=network.slug)
    return render(request, "gdpr/erase_person.html", {"form": form, "person": person})

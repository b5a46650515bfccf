from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import ProtectedError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from resources import policies, selectors, services
from resources.access import access_resource, access_resource_to_manage
from resources.embed import embed_of
from resources.forms import LibraryFilterForm, ResourceForm
from resources.models import Theme
from resources.sectors import sector_label
from resources.uploads import extension_of, file_type_of
from tenancy.access import network_roles
from tenancy.models import RoleKind
from tenancy.translated import translated

PAGE_SIZE = 20


@network_roles.any
def library(request):
    """Everyone in the network browses the shared library and the network's own resources."""
    network = request.network
    form = LibraryFilterForm(request.GET or None, sectors=selectors.library_sectors(network))
    page = Paginator(selectors.library(network, **(form.filters() if request.GET else {})),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "resources/library.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "can_manage": policies.person_can_add_resources(request.roles),
    })


@network_roles.any
def resource_detail(request, resource_id):
    resource = access_resource(request, resource_id)
    file_type = file_type_of(resource.file.name) if resource.file else None
    try:
        file_size = resource.file.size if file_type else 0
    except OSError:
        file_type, file_size = None, 0
    return render(request, "resources/resource_detail.html", {
        "resource": resource,
        "embed": embed_of(resource.url),
        "file_type": file_type,
        "file_size": file_size,
        "themes": [Theme(theme).label for theme in resource.modules if theme in Theme.values],
        "sectors": [sector_label(slug) for slug in resource.sectors],
        "can_manage": policies.resources_person_can_manage(request.network, request.roles)
        .filter(pk=resource.pk).exists(),
    })


@network_roles.any
def resource_file(request, resource_id):
    """The uploaded file, only for people in the resource's network (never a public URL)."""
    resource = access_resource(request, resource_id)
    file_type = file_type_of(resource.file.name) if resource.file else None
    if file_type is None:
        raise Http404
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = f"{resource.slug}.{extension_of(resource.file.name)}"
    response = FileResponse(handle, content_type=file_type.content_type, filename=name,
                            as_attachment=file_type.shown_as == "download"
                            and file_type.content_type != "application/pdf")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@network_roles.any
def resource_captions(request, resource_id):
    """The WebVTT captions of an uploaded video or sound file, for its <track>."""
    resource = access_resource(request, resource_id)
    if not resource.captions:
        raise Http404
    try:
        handle = resource.captions.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="text/vtt; charset=utf-8")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@network_roles(RoleKind.NETWORK_ADMIN)
def resource_create(request):
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        resource = services.create_resource(request.network, form.cleaned_data)
        messages.success(request, _("%(title)s is added to the library.")
                         % {"title": translated(resource.title)})
        return redirect("resource_detail", network_slug=request.network.slug,
                        resource_id=resource.pk)
    return render(request, "resources/resource_form.html", {"form": form})


@network_roles(RoleKind.NETWORK_ADMIN)
def resource_edit(request, resource_id):
    resource = access_resource_to_manage(request, resource_id)
    form = ResourceForm(request.POST or None, request.FILES or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            services.update_resource(resource, form.cleaned_data)
        messages.success(request, _("Your changes are saved."))
        return redirect("resource_detail", network_slug=request.network.slug,
                        resource_id=resource.pk)
    return render(request, "resources/resource_form.html", {"form": form, "resource": resource})


@network_roles(RoleKind.NETWORK_ADMIN)
def resource_delete(request, resource_id):
    resource = access_resource_to_manage(request, resource_id)
    if request.method == "POST":
        title = translated(resource.title)
        try:
            with transaction.atomic():
                services.delete_resource(resource)
        except ProtectedError:
            messages.error(request, _("%(title)s is used by the programme and cannot be deleted.")
                           % {"title": title})
            return redirect("resource_detail", network_slug=request.network.slug,
                            resource_id=resource.pk)
        messages.success(request, _("%(title)s is deleted.") % {"title": title})
        return redirect("library", network_slug=request.network.slug)
    return render(request, "resources/resource_delete.html", {"resource": resource})

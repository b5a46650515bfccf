"""Platform staff edit the standard programme on pages: each module's, phase's and
activity's texts in every language Bro offers (README, "Authoring in pages")."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from programmes import services
from programmes.forms import ActivityTextsForm, ModuleTextsForm, PhaseTextsForm
from programmes.models import Activity, Module, Phase, Programme
from tenancy.access import platform_staff_only


@platform_staff_only
def programmes(request):
    """Every programme with its modules."""
    return render(
        request,
        "programmes/staff/programmes.html",
        {
            "programmes": Programme.objects.order_by("slug").prefetch_related(
                Prefetch("modules", queryset=Module.objects.order_by("position"))
            )
        },
    )


def _edit(request, row, form_class, template, context, back):
    form = form_class(request.POST or None, row=row)
    if request.method == "POST" and form.is_valid():
        if services.update_texts(row, **form.values()):
            messages.success(request, _("Saved."))
        return redirect(back)
    return render(request, template, {**context, "form": form})


@platform_staff_only
@require_http_methods(["GET", "POST"])
def module_edit(request, module_id):
    """A module's texts, its phases and their activities."""
    module = get_object_or_404(Module.objects.select_related("programme"), pk=module_id)
    phases = module.phases.order_by("position").prefetch_related(
        Prefetch("activities", queryset=Activity.objects.standard().order_by("position"))
    )
    return _edit(
        request,
        module,
        ModuleTextsForm,
        "programmes/staff/module.html",
        {"module": module, "phases": phases},
        request.path,
    )


@platform_staff_only
@require_http_methods(["GET", "POST"])
def phase_edit(request, phase_id):
    phase = get_object_or_404(Phase.objects.select_related("module"), pk=phase_id)
    return _edit(
        request,
        phase,
        PhaseTextsForm,
        "programmes/staff/part.html",
        {"module": phase.module, "part": phase},
        _module_url(phase.module),
    )


@platform_staff_only
@require_http_methods(["GET", "POST"])
def activity_edit(request, activity_id):
    activity = get_object_or_404(
        Activity.objects.standard().select_related("phase__module"), pk=activity_id
    )
    return _edit(
        request,
        activity,
        ActivityTextsForm,
        "programmes/staff/part.html",
        {"module": activity.phase.module, "part": activity},
        _module_url(activity.phase.module),
    )


def _module_url(module):
    return reverse("staff_programme_module", args=[module.pk])

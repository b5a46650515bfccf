"""A network admin tailors one cohort's module: remove, add back and reorder its activities
(up and down buttons, no JavaScript needed), write and edit the cohort's own activities, add
the cohort's own speakers and cases and resources of the network's library. The
rule and the writes are in cohorts/tailoring.py; only this cohort changes."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cohorts import tailoring
from cohorts.access import access_cohort_module_to_configure, access_own_activity_to_edit
from cohorts.forms import ContributionForm, OwnActivityForm
from cohorts.models import CohortContribution
from tenancy.access import get_or_404, network_roles
from tenancy.models import RoleKind

ACTIVITY_ACTIONS = ("up", "down", "remove", "add")


def _activity(cohort_module, activity_id):
    for activity in tailoring.activities_of(cohort_module):
        if str(activity.pk) == str(activity_id):
            return activity
    raise Http404


@network_roles(RoleKind.NETWORK_ADMIN)
@require_http_methods(["GET", "POST"])
def cohort_module_tailor(request, cohort_module_id):
    cohort_module = access_cohort_module_to_configure(request, cohort_module_id)
    form = ContributionForm()
    action = request.POST.get("action")
    here = reverse(
        "cohort_module_tailor",
        kwargs={"network_slug": request.network.slug, "cohort_module_id": cohort_module.pk},
    )
    if request.method == "POST" and action in ACTIVITY_ACTIONS:
        activity = _activity(cohort_module, request.POST.get("activity"))
        if action == "remove":
            tailoring.remove_activity(cohort_module, activity)
        elif action == "add":
            tailoring.add_activity(cohort_module, activity)
        else:
            tailoring.move_activity(cohort_module, activity, action)
        return redirect(f"{here}#activity-{activity.pk}")
    if request.method == "POST" and action == "remove_contribution":
        contribution = get_or_404(
            CohortContribution.objects.for_network(request.network).filter(
                cohort_module=cohort_module
            ),
            request.POST.get("contribution"),
        )
        tailoring.remove_contribution(contribution)
        return redirect(here)
    if request.method == "POST" and action in ("add_resource", "remove_resource"):
        resources = (
            tailoring.library_to_add(cohort_module)
            if action == "add_resource"
            else cohort_module.resources.all()
        )
        resource = get_or_404(resources, request.POST.get("resource"))
        if action == "add_resource":
            tailoring.add_resource(cohort_module, resource)
            messages.success(request, _("Added to this cohort."))
        else:
            tailoring.remove_resource(cohort_module, resource)
        return redirect(f"{here}#resources-heading")
    if request.method == "POST":
        form = ContributionForm(request.POST)
        if form.is_valid():
            tailoring.add_contribution(cohort_module, **form.cleaned_data)
            messages.success(request, _("Added to this cohort."))
            return redirect(here)
    return render(
        request,
        "cohorts/cohort_module_tailor.html",
        {
            "cohort_module": cohort_module,
            "cohort": cohort_module.cohort,
            "outline": tailoring.outline(cohort_module),
            "form": form,
            "resources": cohort_module.resources.order_by("network", "slug"),
            "library": tailoring.library_to_add(cohort_module),
            "contributions": tailoring.contributions_of(request.network, [cohort_module.pk]).get(
                cohort_module.pk, []
            ),
        },
    )


def _tailor_url(request, cohort_module):
    return reverse(
        "cohort_module_tailor",
        kwargs={"network_slug": request.network.slug, "cohort_module_id": cohort_module.pk},
    )


@network_roles(RoleKind.NETWORK_ADMIN)
@require_http_methods(["GET", "POST"])
def own_activity_write(request, cohort_module_id):
    cohort_module = access_cohort_module_to_configure(request, cohort_module_id)
    form = OwnActivityForm(request.POST or None, cohort_module=cohort_module)
    if request.method == "POST" and form.is_valid():
        activity = tailoring.write_activity(cohort_module, **form.values())
        messages.success(request, _("Added to this cohort."))
        return redirect(f"{_tailor_url(request, cohort_module)}#activity-{activity.pk}")
    return render(
        request,
        "cohorts/own_activity_form.html",
        {"cohort_module": cohort_module, "form": form, "activity": None},
    )


@network_roles(RoleKind.NETWORK_ADMIN)
@require_http_methods(["GET", "POST"])
def own_activity_edit(request, own_activity_id):
    activity = access_own_activity_to_edit(request, own_activity_id)
    cohort_module = activity.cohort_module
    form = OwnActivityForm(request.POST or None, cohort_module=cohort_module, activity=activity)
    if request.method == "POST" and form.is_valid():
        if tailoring.change_activity(activity, **form.values()):
            messages.success(request, _("Saved."))
        return redirect(f"{_tailor_url(request, cohort_module)}#activity-{activity.pk}")
    return render(
        request,
        "cohorts/own_activity_form.html",
        {"cohort_module": cohort_module, "form": form, "activity": activity},
    )

"""The dashboards, one per role, each answering "what needs me now" (modules.dashboards):
the network admin's and the coordinator's are tenancy's pages with what this app knows on
top (tenancy cannot read cohorts, rounds or completions), and platform staff's overview of
every network, where staff land instead of the Django admin."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from modules import dashboards
from tenancy import views as tenancy_views
from tenancy.access import network_roles
from tenancy.models import RoleKind
from tenancy.templatetags.bro import ICONS


@network_roles(RoleKind.NETWORK_ADMIN)
def network_admin_dashboard(request):
    """Manage <network>, led by the overview: cohorts, next gatherings, open rounds with how
    many have submitted, and groups × modules progress of one cohort (?cohort=), a page of
    its groups at a time (?page=)."""
    overview = dashboards.network_overview(request.network, request.GET.get("cohort"),
                                           page_number=request.GET.get("page"))
    return tenancy_views.manage_dashboard(
        request, template_name="modules/dashboards/network_admin.html",
        extra_context={"overview": overview})


@network_roles(RoleKind.COORDINATOR, RoleKind.NETWORK_ADMIN)
def organisation_dashboard(request, organisation_id):
    """The organisation's page (where a coordinator lands), led by its groups' progress in the
    module running now and who has not accepted the invitation yet."""
    def groups_progress(organisation, invitations):
        cohort, current, bars = dashboards.organisation_groups_progress(
            request.network, organisation, invitations)
        return {"progress_cohort": cohort, "progress_module": current, "group_bars": bars}

    return tenancy_views.organisation_detail(
        request, organisation_id, template_name="modules/dashboards/organisation.html",
        extra_context=groups_progress)


@login_required
def staff_overview(request):
    """Every network at a glance for platform staff; missing for everyone else."""
    if not request.user.is_staff:
        raise Http404
    return render(request, "modules/dashboards/staff_overview.html",
                  {"networks": dashboards.platform_overview()})


@login_required
def design_components(request):
    """Bro's components on one page, for staff building pages and for the README's picture."""
    if not request.user.is_staff:
        raise Http404
    return render(request, "modules/dashboards/components.html", {"icons": sorted(ICONS)})

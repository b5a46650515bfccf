"""A leader's personal rounds and their own development over time.

Only the person ever reaches these pages' data: every round here is looked up among their own
personal rounds (assessments.policies.personal_rounds_of), so for anyone else, whatever their
role, it answers 404 like a missing one.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.anonymity.aggregation import instrument_dimensions
from assessments.personal import selectors, services
from assessments.policies import personal_rounds_of
from assessments.results import charts
from assessments.results.selectors import own_results
from assessments.results.views import profile_charts
from tenancy.access import get_or_404, network_roles
from tenancy.models import RoleKind
from tenancy.translated import translated


def _moment_label(moment):
    when = date_format(moment.response.submitted_at, "DATE_FORMAT")
    return f"{when} · {moment.round.name}"


def _track_chart(track):
    """Overall today and ambition at each moment, oldest first (the table has every
    dimension)."""
    return charts.comparison_chart(
        [
            charts.Row(_moment_label(moment), moment.overall.today, moment.overall.ambition)
            for moment in track.moments
        ],
        title=_("%(instrument)s: your overall score over time")
        % {"instrument": translated(track.instrument.name)},
        scale_max=track.instrument.scale_max,
        first_column=_("When"),
        stacked=True,
    )


@network_roles(RoleKind.LEADER)
def my_development(request):
    """The person's submitted assessments over time, per instrument, and where to take one
    again on their own."""
    tracks = selectors.development_of(request.network, request.user)
    return render(
        request,
        "assessments/personal/development.html",
        {
            "tracks": [(track, _track_chart(track)) for track in tracks],
            "instruments": selectors.instruments_to_take_alone(
                request.network, request.roles, request.user
            ),
        },
    )


@network_roles(RoleKind.LEADER)
@require_http_methods(["GET", "POST"])
def take_alone(request):
    """Start (or continue) a personal round of one instrument, then its test pages (POST; a
    GET goes to the development page, where the buttons are)."""
    if request.method != "POST":
        return redirect("my_development", network_slug=request.network.slug)
    allowed = {
        instrument.slug
        for instrument in selectors.instruments_to_take_alone(
            request.network, request.roles, request.user
        )
    }
    slug = request.POST.get("instrument", "")
    if slug not in allowed:
        raise Http404
    round_ = services.start_personal_round(request.network, request.user, slug)
    return redirect(
        reverse(
            "assessment_take", kwargs={"network_slug": request.network.slug, "round_id": round_.pk}
        )
    )


@network_roles(RoleKind.LEADER)
def personal_results(request, personal_round_id):
    """The person's own results in one of their personal rounds."""
    round_ = get_or_404(
        personal_rounds_of(request.network, request.user).select_related("instrument"),
        personal_round_id,
    )
    instrument = round_.instrument
    own = own_results(request.network, request.user, round_, instrument_dimensions(instrument))
    context = {
        "round": round_,
        "instrument": instrument,
        "own": own,
        "has_levels": instrument.has_levels,
    }
    if own.response is not None:
        context["own_charts"] = profile_charts(
            instrument,
            [(row.dimension, row.today, row.ambition) for row in own.rows],
            _("Your results"),
        )
    return render(request, "assessments/personal/results.html", context)

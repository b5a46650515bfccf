"""Results pages: a leader's own results, group results, and the gathering screen.

Numbers about other people come only from assessments.anonymity.aggregation; a value that may not be
shown arrives as a Suppressed and is drawn as "not shown".
"""

from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from assessments import access, policies, services
from assessments.access import access_round_to_run
from assessments.anonymity.presenter import (
    format_count,
    format_value,
    hidden_reason,
    hidden_value,
    number_format,
    wording,
)
from assessments.models import InstrumentKind
from assessments.results import charts, live, selectors
from assessments.results.recommendations import recommendations_for_gaps
from assessments.scoring import level_of
from tenancy.access import get_or_404, network_roles
from tenancy.models import RoleKind
from tenancy.spreadsheet import CSV, spreadsheet_response
from tenancy.translated import translated

GATHERING_REFRESH_SECONDS = 5
# The group results page's key names its groups too, so it only needs to make room.
RESULTS_CACHE_SECONDS = 6 * 60 * 60


def profile_charts(instrument, rows, title):
    """The radar (or wheel) and the bar chart of one set of today/ambition rows, where
    rows are (dimension, today, ambition)."""
    return [_shape_chart(instrument, rows, title), _bar_chart(instrument, rows, title)]


def _shape_chart(instrument, rows, title):
    scale_max, language = instrument.scale_max, translation.get_language()
    if instrument.kind == InstrumentKind.WHEEL:
        shape = charts.wheel_chart(
            [(translated(d.area.name, language),
              charts.Row(charts.wheel_segment_label(d), today, ambition))
             for d, today, ambition in rows], title=title, scale_max=scale_max)
    else:
        shape = charts.radar_chart(
            [charts.Row(translated(d.name, language), today, ambition)
             for d, today, ambition in rows],
            title=title, scale_max=scale_max)
    return shape


def _bar_chart(instrument, rows, title):
    language = translation.get_language()
    return charts.bar_chart(
        [charts.Row(translated(d.name, language), today, ambition)
         for d, today, ambition in rows],
        title=_("%(title)s: today and ambition per dimension") % {"title": title},
        scale_max=instrument.scale_max)


def _aggregate_rows(aggregate):
    return [(row.dimension, row.today, row.ambition) for row in aggregate.dimensions]


def _generation_rule(instrument, average):
    """The leader's own numbers for the sentence that explains the generation rule
    (scoring.level_of); None without levels or an average. The average shows two decimals,
    so 2.96 does not read as 3.0 next to generation 2."""
    if not instrument.has_levels or average is None:
        return None
    generation = level_of(average)
    return {"average": number_format(average, digits=2), "generation": generation,
            "next": generation + 1 if generation < instrument.scale_max else None}


@dataclass(frozen=True)
class Part:
    """The group's or the network's part of a leader's own results page, made from released
    blocks only and shared by every leader who sees it: never anyone's own numbers."""

    shown: bool
    cells: tuple  # per dimension, its <td>s (today, ambition, answers) in the comparison
    chart: str  # its bar chart
    gaps: tuple  # (dimension id, gap) where its gap may be shown


@network_roles(RoleKind.LEADER)
def assessment_results(request, round_id):
    """The leader's own results in a round, with their group's and the network's aggregates
    next to them when these may be shown. Only the person's own response is ever read; the
    network's part is made once per released block and the group's once per block of the
    group, each shared (live.shared_part, keyed by selectors.together_keys)."""
    own_reads, own_finish = selectors.own_results_read(request.network, request.user, round_id)
    round, own_rows = access.round_to_read_own_results(request, round_id, own_reads)
    page = selectors.leader_page(request.network, request.roles, round, own_finish, own_rows)
    instrument = round.instrument
    network_key, group_key = selectors.together_keys(
        request.network, round, page.own, page.group_id, translation.get_language())
    # Each key names the blocks its part is made from, so any entry under it will do.
    any_entry = live.LiveState(0, 0)
    group, whole = live.shared_parts(
        [(group_key, any_entry, lambda: _part(request, page, "group")),
         (network_key, any_entry, lambda: _part(request, page, "network"))],
        RESULTS_CACHE_SECONDS)
    context = {"page": page, "round": round, "instrument": instrument,
               "has_levels": instrument.has_levels, "group_part": group, "network_part": whole,
               "together_charts": mark_safe(group.chart + whole.chart),
               "generation_rule": _generation_rule(instrument, page.own.overall_today)}
    if page.own.response is not None:
        context["own_charts"] = profile_charts(
            instrument, [(row.dimension, row.today, row.ambition) for row in page.own.rows],
            _("Your results"))
    if group.shown or whole.shown:
        context["comparison"] = _comparison_rows(page, group, whole)
    dimensions = {dimension.pk: dimension for dimension in page.dimensions}
    context["own_recommendations"], context["group_recommendations"] = (
        recommendations_for_gaps(
            request.network, instrument, [(row.dimension, row.gap) for row in page.own.rows],
            [(dimensions[pk], gap) for pk, gap in group.gaps], cohort=round.cohort_id))
    return render(request, "assessments/results/leader.html", context)


def _part(request, page, scope):
    """The group's or the network's numbers and bar chart (released totals only)."""
    group, whole = selectors.together(page.round, page.dimensions,
                                      page.group_id if scope == "group" else None)
    aggregate, title = ((group, _("Your leader group")) if scope == "group"
                        else (whole, request.network.name))
    cells = tuple(
        "".join(f"<td>{charts.as_html(text)}</td>" for text in (
            format_value(row.today), format_value(row.ambition), format_count(row.today)))
        for row in aggregate.dimensions)
    chart = (_bar_chart(page.round.instrument, _aggregate_rows(aggregate), title).figure
             if aggregate.shown else "")
    return Part(aggregate.shown, cells, str(chart),
                tuple((row.dimension.pk, row.gap) for row in aggregate.dimensions
                      if row.today.shown and row.ambition.shown))


def _comparison_rows(page, group, whole):
    """The rows of the table of you, your group and the network, written in one join (as
    charts.Chart.figure) rather than by a template node per cell: the leader's own cells
    here, the group's and the network's from their shared parts."""
    own = page.own.rows or [None] * len(page.dimensions)
    words, as_html = wording(), charts.as_html
    return mark_safe("".join(
        f'<tr><th scope="row">{as_html(translated(dimension.name))}</th>'
        f"<td>{as_html(words.value(None if row is None else row.today))}</td>"
        f"<td>{as_html(words.value(None if row is None else row.ambition))}</td>"
        f"{ours}{all_}</tr>"
        for dimension, row, ours, all_ in zip(page.dimensions, own, group.cells, whole.cells,
                                               strict=True)))


def _selection_chart(page, dimension, *, font_size=16, stacked=True):
    """The network, the person's organisations and every group for one dimension."""
    rows = []
    for selection in [page.network, *page.organisations, *page.groups]:
        result = next(row for row in selection.aggregate.dimensions
                      if row.dimension.pk == dimension.pk)
        rows.append(charts.Row(selection.label, result.today, result.ambition,
                               format_count(result.today)))
    return charts.comparison_chart(
        rows, title=translated(dimension.name), scale_max=page.round.instrument.scale_max,
        first_column=_("Selection"), font_size=font_size, hidden_text=hidden_reason(page.k),
        stacked=stacked)


@network_roles(RoleKind.COORDINATOR, RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def round_results(request, round_id):
    """Each group and the network side by side for one round, every value only once it may
    be shown, with the discussion prompt per dimension.

    The numbers (everything below the heading) are made from released blocks only, so they
    are made once per released block and kept for every reader and worker (live.shared_part,
    keyed by selectors.group_results_state)."""
    # Whether the person runs the round (and may open its gathering screen) comes with it.
    round = access.round_with_group_results(request, round_id)
    # The groups side by side for one dimension at a time (?d=1, 2, ...), so the page costs
    # the same whatever the number of groups times dimensions (issue 11).
    position = max(_position(request), 1)
    state = selectors.group_results_state(request.network, request.roles, round, position,
                                          translation.get_language())
    numbers = live.shared_part(
        state.key, live.LiveState(state.submitted, state.last_block),
        lambda: str(render_to_string("assessments/results/group.html#numbers",
                                     _group_numbers_context(request, round, position, state),
                                     request)),
        RESULTS_CACHE_SECONDS)
    context = {"round": round, "instrument": round.instrument, "numbers": mark_safe(numbers),
               "submitted": state.submitted, "k": request.network.anonymity_threshold,
               "final": round.pooled_at is not None, "runs_round": round.person_runs}
    context["export_urls"] = [
        (label, reverse(name, kwargs={"network_slug": request.network.slug,
                                      "round_id": round.pk}))
        for label, name in ((_("Download the results (Excel)"), "round_results_xlsx"),
                            (_("Download the results (CSV)"), "round_results_csv"))]
    return render(request, "assessments/results/group.html", context)


def _group_numbers_context(request, round, position, state):
    page = selectors.group_results_page(request.network, request.roles, round,
                                        with_benchmark=True, dimension_position=position,
                                        state=state)
    instrument = round.instrument
    sections = []
    for index, dimension in enumerate(page.dimensions):
        network_result = page.network.aggregate.dimensions[index]
        sections.append({
            "dimension": dimension,
            "comparison": _selection_chart(page, dimension)
            if dimension in page.shown_dimensions else None,
            "compare_url": f"?d={index + 1}#dimension-{dimension.code}",
            "distribution": charts.distribution_chart(
                _distribution(network_result.today), _distribution(network_result.ambition),
                title=_("%(dimension)s: how many answered each value") % {
                    "dimension": translated(dimension.name)},
                value_labels={v: translated(t) for v, t in instrument.scale_labels.items()}),
            "network": network_result,
            "benchmark": page.benchmark.dimensions[index],
            "change": page.network_change.get(dimension.code),
        })
    context = {"page": page, "round": round, "instrument": instrument, "sections": sections}
    if page.network.aggregate.shown:
        context["network_charts"] = profile_charts(
            instrument, _aggregate_rows(page.network.aggregate), request.network.name)
    return context


def _released(cell, attribute):
    """A released number, or "not shown" where the anonymity rule hides it."""
    return getattr(cell, attribute) if getattr(cell, "shown", True) else hidden_value()


def _results_rows(page):
    """One row per selection and dimension, only from the aggregates the page shows."""
    selections = [(_("Network"), page.network)]
    selections += [(_("Organisation"), selection) for selection in page.organisations]
    selections += [(_("Leader group"), selection) for selection in page.groups]
    rows = []
    for kind, selection in selections:
        for result in selection.aggregate.dimensions:
            rows.append([
                kind, selection.label, translated(result.dimension.name),
                _released(result.today, "mean"), _released(result.today, "spread"),
                result.today.respondents if result.today.shown else None,
                _released(result.ambition, "mean"), _released(result.ambition, "spread"),
                result.ambition.respondents if result.ambition.shown else None,
                _released(result, "gap") if result.today.shown and result.ambition.shown
                else hidden_value()])
    return rows


@network_roles(RoleKind.COORDINATOR, RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def round_results_export(request, round_id, file_format=CSV):
    """The results page's numbers as a file, for the same people and the same selections:
    every number is a released one (assessments.anonymity), a hidden one reads "not shown".
    The export is recorded in the audit trail."""
    round = get_or_404(
        policies.rounds_with_group_results_for(request.network, request.roles)
        .select_related("instrument", "cohort", "network"), round_id)
    page = selectors.group_results_page(request.network, request.roles, round,
                                        with_change=False)
    header = [_("Selection"), _("Name"), _("Dimension"), _("Today: mean"), _("Today: spread"),
              _("Today: answers"), _("Ambition: mean"), _("Ambition: spread"),
              _("Ambition: answers"), _("Gap (ambition − today)")]
    rows = _results_rows(page)
    services.record_results_export(request.network, round, len(rows), file_format)
    return spreadsheet_response(file_format, header, rows, filename=f"results-round-{round.pk}",
                                sheet_title=_("Results"))


def _distribution(cell):
    return cell.distribution if cell.shown else cell


@network_roles(RoleKind.FACILITATOR, RoleKind.NETWORK_ADMIN)
def round_gathering(request, round_id):
    """The projector screen of a round: how many have answered, then the network and every
    group side by side, one dimension at a time. Polls itself every few seconds.

    Each poll (htmx, the live part) reads the count, and the rest (what the released blocks
    show) comes from the part every screen and worker share, made once per released block
    (live.py, issue 11); names or groups changed in the meantime show within a minute."""
    round = access_round_to_run(request, round_id)
    position = _position(request)
    state = live.live_state(request.network, round)
    key = live.part_key(request.network, request.roles, round, position,
                        translation.get_language())
    part = live.shared_part(key, state, lambda: _released_part(request, round, position))
    position, count = part["position"], part["count"]
    context = {"round": round, "position": position, "count": count,
               "submitted": state.submitted, "released": mark_safe(part["html"]),
               "refresh": GATHERING_REFRESH_SECONDS}
    if request.htmx:
        return HttpResponse(render_to_string("assessments/gathering/gathering.html#live",
                                             context))
    context.update(previous=position - 1 if position > 0 else None,
                   next=position + 1 if position < count else None)
    return render(request, "assessments/gathering/gathering.html", context)


def _position(request):
    """Which dimension the screen shows (?d=, 0 for the overview), before it is bounded."""
    try:
        return max(int(request.GET.get("d", 0)), 0)
    except ValueError:
        return 0


def _released_part(request, round, position):
    """What the live part shows of the released blocks (all but the count), as HTML with the
    dimension shown and the number of dimensions: the part live.py shares."""
    page = selectors.group_results_page(request.network, request.roles, round,
                                        with_change=False, dimension_position=position,
                                        with_submitted=False, person_runs_round=True)
    dimensions = page.dimensions
    position = min(position, len(dimensions))
    dimension = dimensions[position - 1] if position else None
    context = {"k": page.k, "dimension": dimension}
    if dimension is None:
        context["chart"] = charts.comparison_chart(
            [charts.Row(translated(row.dimension.name), row.today, row.ambition,
                        format_count(row.today))
             for row in page.network.aggregate.dimensions],
            title=_("%(network)s: today and ambition") % {"network": request.network.name},
            scale_max=round.instrument.scale_max, first_column=_("Dimension"), font_size=20,
            hidden_text=hidden_reason(page.k))
    else:
        context["chart"] = _selection_chart(page, dimension, font_size=20, stacked=False)
    html = render_to_string("assessments/gathering/gathering.html#released", context)
    return {"position": position, "count": len(dimensions), "html": str(html)}


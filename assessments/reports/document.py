"""Reports of a cohort's assessment results as PDF: what goes in, the HTML, and the PDF.

* **The numbers** come from assessments.anonymity.aggregation, the one place the anonymity rule is
  applied, exactly as on the results pages: a value that may not be shown arrives as a
  `Suppressed` and is never written as a number.
* **The words and numbers** are those of the web pages: assessments/anonymity/presenter.py
  writes every value, count, spread, hidden value and group label.
* **The charts**: the radar or wheel of assessments/results/charts.py, the same inline SVG as
  on the web pages. Everything else is a table, one row per dimension (or per group): the time
  WeasyPrint takes grows with every row, line and SVG it lays out (issue 11), so the groups side
  by side are one groups × dimensions table per round, not a chart per dimension.
* **The PDF** is made by WeasyPrint with `OfflineURLFetcher`, which loads nothing from any
  network: only data: URIs and the network's logo, read from Django's default storage.

A group report holds, for every round of the cohort that has opened, the group's results
against the network's (today, ambition, the gap between them and the change since the
cohort's earlier round of the same instrument), its charts, the discussion prompts (largest
gap first) and the group's ambitions and initiatives. A network report holds the network's
results and every group of the cohort side by side, dimension by dimension.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assessments.anonymity.aggregation import (
    Suppressed,
    compare,
    instrument_dimensions,
    round_results,
)
from assessments.anonymity.presenter import (
    format_count,
    format_gap,
    format_spread,
    format_value,
    group_labels,
    hidden_note,
    hidden_reason,
    hidden_value,
    number,
)
from assessments.models import InstrumentKind, Report, ReportKind, Round
from assessments.reports.signals import group_report_work
from assessments.results import charts
from assessments.results.selectors import round_groups
from tenancy.translated import translated

# Stored files appear in a report's HTML under this scheme; only reports/pdf.py serves them.
STORAGE_SCHEME = "bro-storage"


def storage_url(name):
    """The address of a stored file (the network's logo) in a report's HTML."""
    return f"{STORAGE_SCHEME}:{name}"


# --- Text in the report ----------------------------------------------------------------------

def css_string(text):
    """A quoted CSS string that cannot end the string or the style element early."""
    escaped = (str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
               .replace("<", "\\3c ").replace(">", "\\3e "))
    return f'"{escaped}"'


def page_counter_content():
    """CSS `content` for "Page X of Y" in the active language (counters of @page)."""
    text = _("Page %(page)s of %(pages)s") % {"page": "\0page\0", "pages": "\0pages\0"}
    parts = []
    for index, piece in enumerate(text.split("\0")):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(css_string(piece))
    return mark_safe(" ".join(parts))


ASCII = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "å": "a", "Å": "A"})


def download_name(report):
    """e.g. digi-agder-ledergruppen-kristiansand-2026-03-05.pdf"""
    subject = report.leader_group.name if report.leader_group_id else report.cohort.name
    day = timezone.localdate(report.finished_at or report.requested_at)
    parts = [slugify(str(text).translate(ASCII)) for text in (report.network.name, subject)]
    return "-".join([part for part in parts if part] + [day.isoformat()]) + ".pdf"


# --- What goes in ------------------------------------------------------------------------------

@dataclass
class Table:
    caption: str
    columns: list
    rows: list  # [(row header, [cell text, ...]), ...]
    groups: list = field(default_factory=list)  # [(label, number of columns)] above columns


@dataclass
class Matrix:
    """Every selection (rows) by every dimension (columns) of a round, "today → ambition" in
    each cell: the web's comparison of the groups, one dimension at a time, as one table."""

    caption: str
    first_column: str
    columns: list  # the dimensions' names
    rows: list  # [(label, [cell text per dimension] or None when nothing may be shown)]
    hidden: str  # what a row with nothing to show says instead


@dataclass
class RoundPart:
    round: Round
    instrument_name: str
    k: int
    final: bool
    earlier_round: Round | None = None
    notes: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    charts: list = field(default_factory=list)
    prompts: list = field(default_factory=list)  # [(dimension name, prompt)]
    matrix: Matrix | None = None  # network reports only


@dataclass
class ReportData:
    report: object
    title: str
    subtitle: str
    date: str
    k: int
    rounds: list
    work: list = field(default_factory=list)  # the group's ambitions and initiatives
    logo_url: str = ""

    @property
    def is_group(self):
        return self.report.kind == ReportKind.GROUP


def _opened_rounds(report, now):
    return list(Round.objects.for_network(report.network)
                .filter(cohort=report.cohort, opens_at__lte=now)
                .select_related("instrument", "network").order_by("opens_at", "pk"))


def _round_results(rounds, now):
    """{round id: RoundResults} and {round id: the cohort's earlier round of the same
    instrument (any version), if any}, with each instrument's dimensions read once."""
    dimensions, results, earlier, latest = {}, {}, {}, {}
    for round_ in rounds:
        instrument = round_.instrument
        if instrument.pk not in dimensions:
            dimensions[instrument.pk] = instrument_dimensions(instrument)
        results[round_.pk] = round_results(round_, dimensions=dimensions[instrument.pk], now=now)
        earlier[round_.pk] = latest.get(instrument.slug)
        latest[instrument.slug] = round_
    return results, earlier


def _shape_chart(instrument, aggregate, title):
    """The radar (or, for the competence wheel, the wheel) of one aggregate."""
    if instrument.kind == InstrumentKind.WHEEL:
        return charts.wheel_chart(
            [(translated(row.dimension.area.name),
              charts.Row(charts.wheel_segment_label(row.dimension), row.today, row.ambition))
             for row in aggregate.dimensions], title=title, scale_max=instrument.scale_max)
    return charts.radar_chart(
        [charts.Row(translated(row.dimension.name), row.today, row.ambition)
         for row in aggregate.dimensions], title=title, scale_max=instrument.scale_max)


def _prompts(aggregates, dimensions):
    """(name, prompt) of every dimension with a prompt, the largest gap first in the first
    aggregate that shows gaps (else in the instrument's order)."""
    order = list(dimensions)
    for aggregate in aggregates:
        gaps = {row.dimension.pk: number(row.gap) for row in aggregate.dimensions}
        if any(gap is not None for gap in gaps.values()):
            order.sort(key=lambda d: (gaps[d.pk] is None, -(gaps[d.pk] or 0), d.position))
            break
    return [(translated(d.name), translated(d.discussion_prompt))
            for d in order if translated(d.discussion_prompt)]


def _pair_cells(result):
    return [format_value(result.today), format_value(result.ambition), format_gap(result.gap)]


def _change_table(caption, selections, changes, dimensions):
    """Later minus earlier for each selection (label) and question, by dimension code."""
    columns = [_("Dimension")]
    groups = []
    for label in selections:
        columns += [_("Today"), _("Ambition")]
        groups.append((label, 2))
    rows = []
    for dimension in dimensions:
        cells = []
        for change in changes:
            entry = change.get(dimension.code)
            cells += ([format_gap(entry.today), format_gap(entry.ambition)] if entry
                      else [format_gap(None), format_gap(None)])
        rows.append((translated(dimension.name), cells))
    return Table(caption, columns, rows, groups)


def _group_round(report, round_, results, earlier_results, earlier_round):
    group, k = report.leader_group, results.k
    instrument = round_.instrument
    group_aggregate, network_aggregate = results.group(group.pk), results.network
    part = RoundPart(round_, translated(instrument.name), k, results.final, earlier_round)
    columns, column_groups = [_("Dimension")], []
    if group_aggregate.shown:
        columns += [_("Today"), _("Ambition"), _("Gap")]
        column_groups.append((group.name, 3))
    else:
        part.notes.append(hidden_note(group.name, k))
    columns += [_("Today"), _("Ambition"), _("Gap")]
    column_groups.append((report.network.name, 3))
    rows = []
    for group_row, network_row in zip(group_aggregate.dimensions, network_aggregate.dimensions,
                                      strict=True):
        cells = _pair_cells(group_row) if group_aggregate.shown else []
        rows.append((translated(group_row.dimension.name), cells + _pair_cells(network_row)))
    part.tables.append(Table(_("Today, ambition and the gap between them"), columns, rows,
                             [("", 1), *column_groups]))
    if earlier_results is not None:
        part.tables.append(_change_table(
            _("Change since “%(round)s”") % {"round": earlier_round.name},
            [group.name, report.network.name],
            [compare(earlier_results.group(group.pk), group_aggregate),
             compare(earlier_results.network, network_aggregate)],
            results.dimensions))
    if group_aggregate.shown:
        part.charts.append(_shape_chart(instrument, group_aggregate, group.name))
    if not network_aggregate.shown:
        part.notes.append(hidden_note(report.network.name, k))
    part.prompts = _prompts([group_aggregate, network_aggregate], results.dimensions)
    return part


def _cohort_groups(report, results_by_round):
    """(label, group) of every group of the cohort and every group with results in one of its
    rounds, in the results pages' order (results.selectors.round_groups) and labelled as there."""
    with_results = {pk for results in results_by_round.values() for pk in results.groups}
    groups = list(round_groups(report.network, report.cohort_id, with_results))
    return list(zip(group_labels(groups), groups, strict=True))


def _matrix_row(label, aggregate):
    """(label, ["today → ambition" per dimension]), a hidden cell as "not shown"; None for the
    cells when no dimension may be shown."""
    cells = [hidden_value() if number(row.today) is None and number(row.ambition) is None
             else f"{format_value(row.today)} → {format_value(row.ambition)}"
             for row in aggregate.dimensions]
    shown = any(cell != hidden_value() for cell in cells)
    return label, cells if shown else None


def _network_round(report, round_, results, earlier_results, earlier_round, groups):
    k, instrument, network = results.k, round_.instrument, results.network
    part = RoundPart(round_, translated(instrument.name), k, results.final, earlier_round)
    rows = [(translated(row.dimension.name), [*_pair_cells(row), format_spread(row.today)])
            for row in network.dimensions]
    part.tables.append(Table(
        _("%(network)s: today, ambition and the gap between them") % {
            "network": report.network.name},
        [_("Dimension"), _("Today"), _("Ambition"), _("Gap"),
         _("Disagreement (standard deviation, today)")], rows))
    if earlier_results is not None:
        part.tables.append(_change_table(
            _("Change since “%(round)s”") % {"round": earlier_round.name},
            [report.network.name], [compare(earlier_results.network, network)],
            results.dimensions))
    overview = []
    for label, group in groups:
        aggregate = results.group(group.pk)
        today, ambition = aggregate.overall("today"), aggregate.overall("ambition")
        gap = (ambition - today if isinstance(today, float) and isinstance(ambition, float)
               else Suppressed(Suppressed.TOO_FEW))
        overview.append((label, [format_count(aggregate), format_value(today),
                                 format_value(ambition), format_gap(gap)]))
    part.tables.append(Table(
        _("Leader groups: the mean of all dimensions"),
        [_("Leader group"), _("Answers counted"), _("Today"), _("Ambition"), _("Gap")],
        overview))
    if network.shown:
        part.charts.append(_shape_chart(instrument, network, report.network.name))
    else:
        part.notes.append(hidden_note(report.network.name, k))
    part.prompts = _prompts([network], results.dimensions)
    part.matrix = Matrix(
        _("Every leader group, dimension by dimension: today → ambition"), _("Selection"),
        [translated(dimension.name) for dimension in results.dimensions],
        [_matrix_row(report.network.name, network),
         *(_matrix_row(label, results.group(group.pk)) for label, group in groups)],
        hidden_reason(k))
    return part


def report_data(report, now=None):
    """Everything the report shows, in the active language."""
    now = now or timezone.now()
    network = report.network
    rounds = _opened_rounds(report, now)
    results, earlier = _round_results(rounds, now)
    parts = []
    if report.kind == ReportKind.GROUP:
        group = report.leader_group
        title = _("Report for %(group)s") % {"group": group.name}
        for round_ in rounds:
            before = earlier[round_.pk]
            parts.append(_group_round(report, round_, results[round_.pk],
                                      results[before.pk] if before else None, before))
        work = [entry for _receiver, entries in
                group_report_work.send(sender=Report, report=report) for entry in entries]
    else:
        title = _("Network report for %(cohort)s") % {"cohort": report.cohort.name}
        groups = _cohort_groups(report, results)
        for round_ in rounds:
            before = earlier[round_.pk]
            parts.append(_network_round(report, round_, results[round_.pk],
                                        results[before.pk] if before else None, before,
                                        groups))
        work = []
    return ReportData(
        report=report, title=title,
        subtitle=report.cohort.name if report.kind == ReportKind.GROUP else network.name,
        date=formats.date_format(timezone.localdate(now), "DATE_FORMAT"),
        k=network.anonymity_threshold, rounds=parts, work=work,
        logo_url=storage_url(network.logo.name) if network.logo else "")


def report_html(report, now=None):
    """The report as one HTML document in its language, ready for WeasyPrint."""
    with translation.override(report.language):
        data = report_data(report, now)
        return render_to_string("assessments/reports/pdf/report.html", {
            "data": data, "report": report, "network": report.network,
            "language": report.language,
            "css": {"title": mark_safe(css_string(data.title)),
                    "date": mark_safe(css_string(data.date)),
                    "pages": page_counter_content()}})


def render_pdf(report, now=None):
    """The PDF bytes of a report; the network's logo is the one file it may read."""
    from assessments.reports.pdf import html_to_pdf  # WeasyPrint takes seconds to import

    logo = [report.network.logo.name] if report.network.logo else []
    return html_to_pdf(report_html(report, now), storage_names=logo)

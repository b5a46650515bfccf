"""Charts drawn on the server as self-contained SVG: the same markup serves web pages and PDFs.

No script, no style attributes (strict CSP), no external fonts: only SVG presentation
attributes. Every chart has a <title> and <desc> and comes with a table of the same numbers
(Chart.figure), so nothing depends on seeing the graphic.
Today is a solid blue, ambition an orange hatched or dashed mark, and both are labelled in
words, so nothing relies on colour alone; both colours have at least 4.5:1 contrast on white.

Precision: every value is taken through presenter.number, which rounds it to the one decimal
written on the chart BEFORE any coordinate is computed; coordinates are then written with one
decimal of a pixel. A parser of the SVG recovers the shown value and nothing finer (a bar of
3.8 is 3.8 whether the mean was 3.75 or 3.84). Counts are whole people, as shown.
"""

import html
import itertools
import math
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.autoreload import file_changed
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, override, pgettext_lazy
from django.utils.translation import gettext as _

from assessments.anonymity.presenter import (
    format_gap,
    hidden_value,
    number,
    wording,
)
from tenancy.translated import translated

TODAY = "#0b4f8a"
AMBITION = "#a8430b"
INK = "#1b1f24"
MUTED = "#4a5360"
GRID = "#c9d0d9"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"

_ids = itertools.count(1)
_NEEDS_ESCAPING = re.compile(r"[&<>\"']")


_FACETS = {"knowledge": pgettext_lazy("competence facet", "Knowledge"),
           "skills": pgettext_lazy("competence facet", "Skills"),
           "attitude": pgettext_lazy("competence facet", "Attitude")}


def wheel_segment_label(dimension):
    """A wheel segment is named by its facet (its area labels the ring around it); other
    dimensions by their own name. Only the one facet named is translated (issue 11: a wheel
    names a dozen segments on every own results page)."""
    if dimension.facet in _FACETS:
        return _facet_label(dimension.facet, get_language())
    return translated(dimension.name)


@lru_cache(maxsize=64)
def _facet_label(facet, language):
    with override(language):
        return str(_FACETS[facet])


@receiver(setting_changed)
@receiver(file_changed)
def forget_chart_texts(**kwargs):
    """A setting changed (tests) or runserver saw a catalogue change: the texts drawn once per
    language (_facet_label, _legend_drawn) are drawn again."""
    _facet_label.cache_clear()
    _legend_drawn.cache_clear()


@dataclass
class Row:
    """One labelled pair of values; a value is a number, or None / a Suppressed when absent."""

    label: str
    today: object = None
    ambition: object = None
    note: str = ""

    # Each value at the precision shown, worked out once: a chart and its table read them
    # several times (issue 11).
    @cached_property
    def shown_today(self):
        return number(self.today)

    @cached_property
    def shown_ambition(self):
        return number(self.ambition)

    @cached_property
    def gap(self):
        """Ambition minus today as shown, or None when either is absent or hidden."""
        today, ambition = self.shown_today, self.shown_ambition
        return None if today is None or ambition is None else ambition - today


@dataclass
class Chart:
    svg: str
    title: str
    description: str
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # [(row header, [cell text, ...]), ...]

    @property
    def figure(self):
        """The chart with its title and the same numbers as a table, for a web page: written
        here in one join rather than by a template node per cell (issue 11: the results pages
        spent most of their time drawing)."""
        title = as_html(self.title)
        head = "".join(f'<th scope="col">{as_html(c)}</th>' for c in self.columns)
        body = "".join(
            f'<tr><th scope="row">{as_html(header)}</th>'
            + "".join(f"<td>{as_html(cell)}</td>" for cell in cells) + "</tr>"
            for header, cells in self.rows)
        return mark_safe(
            f'<figure class="chart">\n  <figcaption class="chart__title">{title}</figcaption>\n'
            f'  {self.svg}\n  <details class="chart__numbers">\n'
            f'    <summary>{as_html(_("The numbers as a table"))}</summary>\n'
            f'    <div class="table-wrap">\n      <table>\n        <caption>{title}</caption>\n'
            f"        <thead><tr>{head}</tr></thead>\n        <tbody>{body}</tbody>\n"
            f"      </table>\n    </div>\n  </details>\n</figure>\n")


def escape(text):
    return _escaped(str(text))


@lru_cache(maxsize=4096)
def _escaped(text):
    """Remembered: a page writes the same few numbers and names hundreds of times (issue 11)."""
    return html.escape(text, quote=True)


def as_html(value):
    """What a template writes for `value`: safe text as it is, anything else escaped; without
    the lazy-text check of Django's conditional_escape, which costs four times as much (a
    results page writes a few hundred cells, issue 11)."""
    return value.__html__() if hasattr(value, "__html__") else escape(value)


def _attrs(attrs):
    return "".join(f' {_attribute_name(key)}="{_attribute_value(value)}"'
                   for key, value in attrs.items() if value is not None)


@lru_cache(maxsize=128)
def _attribute_name(key):
    return key.rstrip("_").replace("_", "-")


def _attribute_value(value):
    """Escaped; most values are numbers and colours, which need nothing (issue 11: a chart
    writes hundreds of them)."""
    value = str(value)
    return escape(value) if _NEEDS_ESCAPING.search(value) else value


def _el(tag, content="", **attrs):
    if content == "" and tag not in ("text", "tspan", "title", "desc"):
        return f"<{tag}{_attrs(attrs)}/>"
    return f"<{tag}{_attrs(attrs)}>{content}</{tag}>"


def _text(x, y, content, **attrs):
    return _el("text", escape(content), x=f"{x:.1f}", y=f"{y:.1f}", **attrs)


def _wrap(label, width):
    """Split a label into at most two lines of about `width` characters."""
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
        if len(lines[1]) > width:
            # A number that tells two same-named groups apart, "(2)", stays at the end.
            suffix = re.search(r" \(\d+\)$", lines[1])
            keep = suffix.group(0) if suffix else ""
            lines[1] = lines[1][: width - 1 - len(keep)].rstrip() + "…" + keep
    return lines


def _fit(label, width, font_size):
    """Shorten a label to about `width` units at `font_size` (the full text is in the table)."""
    limit = max(4, int(width / (font_size * 0.66)))
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _svg(uid, width, height, title, description, body, font_size=14):
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" class="chart-svg" '
            f'aria-labelledby="{uid}-title {uid}-desc" font-family="{escape(FONT)}" '
            f'font-size="{font_size}" fill="{INK}">')
    return mark_safe(
        head + _el("title", escape(title), id=f"{uid}-title")
        + _el("desc", escape(description), id=f"{uid}-desc") + "".join(body) + "</svg>")


# A chart's own id in the parts drawn once per process, put in for each chart.
_UID = "\x00uid\x00"


def _hatch(uid):
    """The ambition pattern: orange diagonal stripes, so it differs from today in shape too."""
    return _HATCH.replace(_UID, uid)


_HATCH = ("<defs>" + _el(
    "pattern",
    _el("rect", width="8", height="8", fill="#ffffff")
    + _el("path", d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4", stroke=AMBITION,
          stroke_width="2.5"),
    id=f"{_UID}-hatch", width="8", height="8", patternUnits="userSpaceOnUse")
    + "</defs>")


def _legend(uid, x, y, font_size=14):
    return _legend_drawn(x, y, font_size, get_language()).replace(_UID, uid)


@lru_cache(maxsize=64)
def _legend_drawn(x, y, font_size, language):
    box = font_size
    with override(language):
        return "".join([
            _el("rect", x=f"{x}", y=f"{y - box + 2}", width=f"{box}", height=f"{box}",
                fill=TODAY),
            _text(x + box + 6, y, _("Today")),
            _el("rect", x=f"{x + 110}", y=f"{y - box + 2}", width=f"{box}", height=f"{box}",
                fill=f"url(#{_UID}-hatch)", stroke=AMBITION, stroke_width="2"),
            _text(x + 110 + box + 6, y, _("Ambition")),
        ])


def _scale_lines(x_of, scale_max, *, top, bottom, label_y):
    """A vertical grid line with its number for every whole value of the scale."""
    body = []
    for tick in range(0, scale_max + 1):
        x = x_of(tick)
        body.append(_el("line", x1=f"{x:.1f}", y1=f"{top}", x2=f"{x:.1f}", y2=f"{bottom}",
                        stroke=GRID, stroke_width="1"))
        body.append(_text(x, label_y, str(tick), text_anchor="middle", fill=MUTED))
    return body


def _pair_table(rows, first_column, *, with_notes=False):
    columns = [first_column, _("Today"), _("Ambition"), _("Gap")]
    if with_notes:
        columns.append(_("Answers"))
    body = []
    words = wording()
    for row in rows:
        cells = [words.shown_value(row.today, row.shown_today),
                 words.shown_value(row.ambition, row.shown_ambition), words.gap(row.gap)]
        if with_notes:
            cells.append(row.note)
        body.append((row.label, cells))
    return columns, body


def _largest_gap_sentence(rows):
    gaps = [(row.gap, row.label) for row in rows if row.gap is not None]
    if not gaps:
        return ""
    gap, label = max(gaps)
    return " " + _("The largest gap between today and the ambition is %(label)s (%(gap)s).") % {
        "label": label, "gap": format_gap(gap)}


def bar_chart(rows, *, title, scale_max, first_column=None, note=""):
    """Today and ambition per dimension as horizontal bars, with the gap written out."""
    uid = f"chart-{next(_ids)}"
    width, left = 480, 8
    height, frame, label_texts = _bar_frame(tuple(row.label for row in rows), scale_max)
    body = [_hatch(uid), _legend(uid, left, 20), frame]
    plot = _BAR_PLOT
    words = wording()
    gap_text, hidden = _("gap %(gap)s"), escape(words.hidden)
    for index, row in enumerate(rows):
        y = _BAR_TOP + index * _BAR_ROW_HEIGHT
        body.append(label_texts[index])
        gap = row.gap
        if gap is not None:
            body.append(f'<text x="{width - 4:.1f}" y="{y + 14:.1f}" text-anchor="end" '
                        f'fill="{MUTED}">{escape(gap_text % {"gap": words.gap(gap)})}</text>')
        for offset, value, paint in ((20, row.shown_today, f'fill="{TODAY}"'),
                                     (39, row.shown_ambition, f'fill="url(#{uid}-hatch)" '
                                                              f'stroke="{AMBITION}" '
                                                              f'stroke-width="1.5"')):
            bar_y = y + offset
            if value is None:
                body.append(f'<text x="{left:.1f}" y="{bar_y + 13:.1f}" fill="{MUTED}" '
                            f'font-style="italic">{hidden}</text>')
                continue
            x = left + plot * max(0.0, value) / scale_max
            body.append(f'<rect x="{left}" y="{bar_y}" width="{x - left:.1f}" height="16" '
                        f'{paint}/><text x="{x + 4:.1f}" y="{bar_y + 13:.1f}">'
                        f"{escape(words.number(value))}</text>")
    description = _("Today and ambition for %(count)s dimensions on a scale up to %(max)s.") % {
        "count": len(rows), "max": scale_max} + _largest_gap_sentence(rows) + (
        f" {note}" if note else "")
    columns, table = _pair_table(rows, first_column or _("Dimension"))
    return Chart(_svg(uid, width, height, title, description, body), title, description,
                 columns, table)


_BAR_LEFT, _BAR_PLOT, _BAR_TOP, _BAR_ROW_HEIGHT = 8, 480 - 8 - 60, 40, 64


@lru_cache(maxsize=256)
def _bar_frame(labels, scale_max):
    """What a bar chart of these dimension names draws whatever the values: its height, the
    scale and the names; worked out once per process (the leader's own results page draws
    the same instrument's bars on every visit, issue 11). Never any values."""
    height = _BAR_TOP + _BAR_ROW_HEIGHT * len(labels) + 30

    def x_of(value):
        return _BAR_LEFT + _BAR_PLOT * max(0.0, value) / scale_max

    frame = "".join(_scale_lines(x_of, scale_max, top=_BAR_TOP - 4, bottom=height - 24,
                                 label_y=height - 8))
    texts = tuple(_text(_BAR_LEFT, _BAR_TOP + index * _BAR_ROW_HEIGHT + 14,
                        _fit(label, _BAR_PLOT - 50, 14), font_weight="600")
                  for index, label in enumerate(labels))
    return height, frame, texts


def _around(center, distance, index, count):
    """The point at `distance` on axis `index` of `count`, the first one pointing up."""
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return center[0] + distance * math.cos(angle), center[1] + distance * math.sin(angle)


def _polygon_points(values, axes, radius, scale_max):
    """The points of the values shown, on their axes (there are at least three axes)."""
    return [(center_x + radius * max(0.0, value) / scale_max * cos,
             center_y + radius * max(0.0, value) / scale_max * sin)
            for (center_x, center_y, cos, sin), value
            in zip(axes, map(number, values), strict=False)
            if value is not None]


_RADAR_CENTER, _RADAR_RADIUS = (300, 290), 170


@lru_cache(maxsize=64)
def _radar_frame(count, scale_max):
    """The rings of a radar with `count` axes and, per axis, its line and what places a point
    on it; worked out once per process (issue 11). Never any values."""
    center, radius = _RADAR_CENTER, _RADAR_RADIUS
    rings = []
    for ring in range(1, scale_max + 1):
        ring_points = [_around(center, radius * ring / scale_max, i, count) for i in range(count)]
        rings.append(_el("polygon", points=" ".join(f"{x:.1f},{y:.1f}" for x, y in ring_points),
                         fill="none", stroke=GRID, stroke_width="1"))
        rings.append(_text(center[0] + 4, center[1] - radius * ring / scale_max - 2, str(ring),
                           fill=MUTED, font_size="11"))
    lines, axes = [], []
    for index in range(count):
        angle = -math.pi / 2 + 2 * math.pi * index / count
        end = (center[0] + radius * math.cos(angle), center[1] + radius * math.sin(angle))
        lines.append(_el("line", x1=f"{center[0]}", y1=f"{center[1]}", x2=f"{end[0]:.1f}",
                         y2=f"{end[1]:.1f}", stroke=GRID, stroke_width="1"))
        axes.append((center[0], center[1], math.cos(angle), math.sin(angle)))
    return "".join(rings), tuple(lines), tuple(axes)


@lru_cache(maxsize=1024)
def _radar_label(label, index, count):
    """A dimension's name at the end of its axis, cut into lines; remembered for a name alone
    (a name with "not shown" added is written each time: it depends on the values)."""
    return _radar_label_text(label, index, count)


def _radar_label_text(label, index, count):
    center, radius = _RADAR_CENTER, _RADAR_RADIUS
    angle = -math.pi / 2 + 2 * math.pi * index / count
    label_x = center[0] + (radius + 14) * math.cos(angle)
    label_y = center[1] + (radius + 14) * math.sin(angle)
    anchor = "middle" if abs(math.cos(angle)) < 0.3 else (
        "start" if math.cos(angle) > 0 else "end")
    lines = _wrap(label, 17)
    if math.sin(angle) < -0.3:
        label_y -= 16 * (len(lines) - 1)
    elif abs(math.sin(angle)) <= 0.3:
        label_y -= 8 * (len(lines) - 1) - 4
    else:
        label_y += 12
    tspans = "".join(_el("tspan", escape(line), x=f"{label_x:.1f}",
                         dy="0" if i == 0 else "16") for i, line in enumerate(lines))
    return _el("text", tspans, x=f"{label_x:.1f}", y=f"{label_y:.1f}", text_anchor=anchor,
               font_size="13")


def radar_chart(rows, *, title, scale_max, first_column=None):
    """Today and ambition around one axis per dimension; what depends only on the number of
    dimensions, the scale and the names is drawn once per process (_radar_frame,
    _radar_label), the values on every call."""
    uid = f"chart-{next(_ids)}"
    width, height = 600, 540
    count = max(len(rows), 3)
    rings, lines, axes = _radar_frame(count, scale_max)
    body = [_hatch(uid), _legend(uid, 8, 20), rings]
    for index, row in enumerate(rows):
        body.append(lines[index])
        if row.shown_today is None and row.shown_ambition is None:
            body.append(_radar_label_text(f"{row.label} ({hidden_value()})", index, count))
        else:
            body.append(_radar_label(row.label, index, count))
    radius = _RADAR_RADIUS
    today = _polygon_points([row.today for row in rows], axes, radius, scale_max)
    ambition = _polygon_points([row.ambition for row in rows], axes, radius, scale_max)
    if ambition:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in ambition)
        body.append(f'<polygon points="{points}" fill="none" stroke="{AMBITION}" '
                    f'stroke-width="3" stroke-dasharray="8 5"/>')
        body.extend(f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" '
                    f'fill="url(#{uid}-hatch)" stroke="{AMBITION}" stroke-width="2"/>'
                    for x, y in ambition)
    if today:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in today)
        body.append(f'<polygon points="{points}" fill="{TODAY}" fill-opacity="0.12" '
                    f'stroke="{TODAY}" stroke-width="3"/>')
        body.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{TODAY}"/>'
                    for x, y in today)
    description = _("Radar chart of today (solid line, dots) and ambition (dashed line, "
                    "squares) for %(count)s dimensions on a scale up to %(max)s.") % {
        "count": len(rows), "max": scale_max} + _largest_gap_sentence(rows)
    columns, table = _pair_table(rows, first_column or _("Dimension"))
    return Chart(_svg(uid, width, height, title, description, body), title, description,
                 columns, table)


def distribution_chart(today, ambition, *, title, value_labels=None):
    """How many answered each (rounded) value: `today` and `ambition` are
    ((value, respondents), ...) or a Suppressed."""
    uid = f"chart-{next(_ids)}"
    width, height, left, bottom, top = 360, 220, 36, 186, 40
    shown = [d for d in (today, ambition) if getattr(d, "shown", True) is not False and d]
    values = [value for value, _count in (shown[0] if shown else ())]
    peak = max((count for d in shown for _value, count in d), default=0) or 1
    body = [_hatch(uid), _legend(uid, 8, 20)]
    slot = (width - left - 8) / max(len(values), 1)
    for tick in sorted({0, peak}):
        y = bottom - (bottom - top) * tick / peak
        body.append(_el("line", x1=f"{left}", y1=f"{y:.1f}", x2=f"{width - 8}", y2=f"{y:.1f}",
                        stroke=GRID, stroke_width="1"))
        body.append(_text(left - 6, y + 4, str(tick), text_anchor="end", fill=MUTED))
    series = [(today, TODAY, None, 0), (ambition, f"url(#{uid}-hatch)", AMBITION, 1)]
    for index, value in enumerate(values):
        x = left + slot * index
        body.append(_text(x + slot / 2, bottom + 18, str(value), text_anchor="middle"))
        for data, fill, stroke, position in series:
            if getattr(data, "shown", True) is False or not data:
                continue
            count = dict(data).get(value, 0)
            bar = (bottom - top) * count / peak
            bar_x = x + slot * (0.12 + 0.38 * position)
            body.append(_el("rect", x=f"{bar_x:.1f}", y=f"{bottom - bar:.1f}",
                            width=f"{slot * 0.36:.1f}", height=f"{bar:.1f}", fill=fill,
                            stroke=stroke, stroke_width="1.5" if stroke else None))
            body.append(_text(bar_x + slot * 0.18, bottom - bar - 4, str(count),
                              text_anchor="middle", font_size="12"))
    if not shown:
        body.append(_text(width / 2, (top + bottom) / 2, hidden_value(), text_anchor="middle",
                          fill=MUTED, font_style="italic"))
    description = _("Number of people at each value of the scale, today and ambition.")
    labels = value_labels or {}
    columns = [_("Value"), _("Today"), _("Ambition")]
    rows = []
    for value in values:
        cells = []
        for data in (today, ambition):
            visible = getattr(data, "shown", True) is not False and data
            cells.append(str(dict(data).get(value, 0)) if visible else hidden_value())
        header = f"{value} – {labels[value]}" if value in labels else str(value)
        rows.append((header, cells))
    return Chart(_svg(uid, width, height, title, description, body), title, description,
                 columns, rows)


_WHEEL_CENTER, _WHEEL_RADIUS = (280, 320), 190


def _wheel_point(angle, distance):
    return (_WHEEL_CENTER[0] + distance * math.cos(angle),
            _WHEEL_CENTER[1] + distance * math.sin(angle))


@lru_cache(maxsize=64)
def _wheel_frame(segments, scale_max):
    """What a wheel of these (area, facet) names draws whatever the values: the rings, each
    segment's angles and name, and the areas' lines and names; worked out once per process
    (the leader's own results page draws the same instrument's wheel on every visit,
    issue 11). Never any values."""
    center, radius = _WHEEL_CENTER, _WHEEL_RADIUS
    step = 2 * math.pi / max(len(segments), 1)
    rings = "".join(_el("circle", cx=f"{center[0]}", cy=f"{center[1]}",
                        r=f"{radius * ring / scale_max:.1f}", fill="none", stroke=GRID,
                        stroke_width="1") for ring in range(1, scale_max + 1))
    placed, areas = [], []
    for index, (area, label) in enumerate(segments):
        start = -math.pi / 2 + step * index
        end = start + step
        middle = (start + end) / 2
        label_x, label_y = _wheel_point(middle, radius + 16)
        anchor = "middle" if abs(math.cos(middle)) < 0.3 else (
            "start" if math.cos(middle) > 0 else "end")
        placed.append((start, end, _text(label_x, label_y + 4, label, text_anchor=anchor,
                                         font_size="12", fill=MUTED)))
        if not areas or areas[-1][0] != area:
            areas.append([area, start, end])
        else:
            areas[-1][2] = end
    area_marks = []
    for area, start, end in areas:
        x, y = _wheel_point(start, radius + 4)
        area_marks.append(_el("line", x1=f"{center[0]}", y1=f"{center[1]}", x2=f"{x:.1f}",
                              y2=f"{y:.1f}", stroke=INK, stroke_width="2"))
        middle = (start + end) / 2
        label_x, label_y = _wheel_point(middle, radius + 42)
        anchor = "middle" if abs(math.cos(middle)) < 0.3 else (
            "start" if math.cos(middle) > 0 else "end")
        area_marks.append(_text(label_x, label_y + 5, area, text_anchor=anchor,
                                font_weight="700", font_size="15"))
    return rings, tuple(placed), "".join(area_marks), len(areas)


def wheel_chart(segments, *, title, scale_max):
    """The competence wheel: one segment per (area, facet), grouped by area. `segments` is a
    list of (area label, Row) in wheel order; the Row's label names the facet. What depends
    only on the names and the scale is drawn once per process (_wheel_frame), the values on
    every call."""
    uid = f"chart-{next(_ids)}"
    width, height = 560, 600
    center, radius = _WHEEL_CENTER, _WHEEL_RADIUS
    rings, placed, area_marks, area_count = _wheel_frame(
        tuple((area, row.label) for area, row in segments), scale_max)
    body = [_hatch(uid), _legend(uid, 8, 20), rings]
    for (_area, row), (start, end, label) in zip(segments, placed, strict=True):
        today = row.shown_today
        if today is not None:
            distance = radius * max(0.0, today) / scale_max
            (x1, y1), (x2, y2) = (_wheel_point(start + 0.02, distance),
                                  _wheel_point(end - 0.02, distance))
            body.append(f'<path d="M{center[0]},{center[1]} L{x1:.1f},{y1:.1f} '
                        f'A{distance:.1f},{distance:.1f} 0 0 1 {x2:.1f},{y2:.1f} Z" '
                        f'fill="{TODAY}"/>')
        ambition = row.shown_ambition
        if ambition is not None:
            distance = radius * max(0.0, ambition) / scale_max
            (x1, y1), (x2, y2) = (_wheel_point(start + 0.04, distance),
                                  _wheel_point(end - 0.04, distance))
            body.append(f'<path d="M{x1:.1f},{y1:.1f} A{distance:.1f},{distance:.1f} 0 0 1 '
                        f'{x2:.1f},{y2:.1f}" fill="none" stroke="{AMBITION}" stroke-width="4" '
                        f'stroke-dasharray="7 4"/>')
        body.append(label)
    body.append(area_marks)
    description = _("Competence wheel: %(count)s segments in %(areas)s areas; the filled "
                    "segment is today, the dashed arc the ambition, on a scale up to "
                    "%(max)s.") % {"count": len(segments), "areas": area_count, "max": scale_max}
    rows = [Row(f"{area} – {row.label}", row.today, row.ambition) for area, row in segments]
    columns, table = _pair_table(rows, _("Segment"))
    return Chart(_svg(uid, width, height, title, description, body), title, description,
                 columns, table)


def comparison_chart(rows, *, title, scale_max, first_column, font_size=16, hidden_text=None,
                     stacked=False):
    """Several selections side by side for one dimension (or dimensions of one selection):
    today (dot) and ambition (square) joined by a line whose length is the gap, with both
    values written out at the right.

    `stacked` puts each label above its line, for narrow screens; otherwise labels sit on the
    left, for the gathering screen."""
    uid = f"chart-{next(_ids)}"
    scale = font_size / 16
    width = int((480 if stacked else 960) * scale)
    label_width = 8 if stacked else int(380 * scale)
    right = int(112 * scale)
    line_height = int(22 * scale)
    row_height = int((50 if stacked else 52) * scale)
    top = int(44 * scale)
    height = top + row_height * len(rows) + int(34 * scale)
    plot = width - label_width - right
    body = [_hatch(uid), _legend(uid, 8, int(22 * scale), font_size)]

    def x_of(value):
        return label_width + plot * max(0.0, value) / scale_max

    body += _scale_lines(x_of, scale_max, top=top - 6, bottom=height - int(26 * scale),
                         label_y=height - 6)
    # The rows written straight out, with what every row shares worked out once: the
    # gathering screen draws one row per group (143 at 1,000 leaders, issue 11).
    words = wording()
    hidden = escape(hidden_text or words.hidden)
    size = 7 * scale
    label_x, dy = f"{label_width - 12:.1f}", f"{font_size * 1.1:.1f}"
    line_width, square = f"{2 * scale:.1f}", f"{2 * size:.1f}"
    wrap_width = max(4, int((label_width - 20) / (font_size * 0.66)))
    for index, row in enumerate(rows):
        if stacked:
            label_y = top + index * row_height + line_height * 0.7
            y = label_y + line_height * 0.9
            body.append(f'<text x="{label_width:.1f}" y="{label_y:.1f}" font-weight="600">'
                        f'{escape(_fit(row.label, width - 16, font_size))}</text>')
        else:
            # A long name takes two lines rather than being cut short (the gathering screen).
            y = top + index * row_height + row_height / 2
            lines = _wrap(row.label, wrap_width)
            first_y = y + font_size / 3 - (len(lines) - 1) * font_size * 0.55
            tspans = "".join(
                f'<tspan x="{label_x}" dy="{dy}">{escape(line)}</tspan>' if number
                else f'<tspan x="{label_x}">{escape(line)}</tspan>'
                for number, line in enumerate(lines))
            body.append(f'<text x="{label_x}" y="{first_y:.1f}" text-anchor="end" '
                        f'font-weight="600">{tspans}</text>')
        today, ambition = row.shown_today, row.shown_ambition
        if today is None and ambition is None:
            body.append(f'<text x="{label_width + 6:.1f}" y="{y + font_size / 3:.1f}" '
                        f'fill="{MUTED}" font-style="italic">{hidden}</text>')
            continue
        if today is not None and ambition is not None:
            body.append(f'<line x1="{x_of(today):.1f}" y1="{y:.1f}" x2="{x_of(ambition):.1f}" '
                        f'y2="{y:.1f}" stroke="{INK}" stroke-width="{line_width}"/>')
        if ambition is not None:
            body.append(f'<rect x="{x_of(ambition) - size:.1f}" y="{y - size:.1f}" '
                        f'width="{square}" height="{square}" fill="url(#{uid}-hatch)" '
                        f'stroke="{AMBITION}" stroke-width="2.5"/>')
        if today is not None:
            body.append(f'<circle cx="{x_of(today):.1f}" cy="{y:.1f}" r="{size:.1f}" '
                        f'fill="{TODAY}"/>')
        values = " → ".join(words.number(v) if v is not None else "–"
                            for v in (today, ambition))
        body.append(f'<text x="{width - 4:.1f}" y="{y + font_size / 3:.1f}" '
                    f'text-anchor="end">{escape(values)}</text>')
    description = _("Today (dots) and ambition (squares) for %(count)s rows on a scale up to "
                    "%(max)s; the line between them is the gap.") % {
        "count": len(rows), "max": scale_max} + _largest_gap_sentence(rows)
    columns, table = _pair_table(rows, first_column, with_notes=True)
    return Chart(_svg(uid, width, height, title, description, body, font_size), title,
                 description, columns, table)

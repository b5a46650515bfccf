"""Server-drawn SVG charts: self-contained, allowed by the CSP, readable without colour, and
the table holds the same numbers as the graphic."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from assessments.anonymity.aggregation import CellStats, Suppressed
from assessments.results import charts

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def rows():
    return [charts.Row("Vision", 2.0, 4.5), charts.Row("Customer focus", 3.25, 3.75),
            charts.Row("Data", Suppressed(Suppressed.TOO_FEW), Suppressed(Suppressed.TOO_FEW))]


def every_chart():
    cell = CellStats(5, 3.4, 0.8, ((1, 0), (2, 1), (3, 2), (4, 1), (5, 1)))
    wheel = [(area, charts.Row(facet, 2 + i % 3, 3 + i % 2))
             for i, (area, facet) in enumerate(
                 (area, facet) for area in ("Information", "Communication", "Production",
                                            "Safety")
                 for facet in ("Knowledge", "Skills", "Attitude"))]
    return {
        "bar": charts.bar_chart(rows(), title="Bars", scale_max=5),
        "radar": charts.radar_chart(rows(), title="Radar", scale_max=5),
        "distribution": charts.distribution_chart(cell.distribution, cell.distribution,
                                                  title="Spread of answers"),
        "wheel": charts.wheel_chart(wheel, title="Wheel", scale_max=5),
        "comparison": charts.comparison_chart(rows(), title="Side by side", scale_max=5,
                                              first_column="Selection"),
        "comparison stacked": charts.comparison_chart(rows(), title="Stacked", scale_max=5,
                                                      first_column="Selection", stacked=True),
    }


@pytest.mark.parametrize("name", list(every_chart()))
def test_every_chart_is_self_contained_svg_the_csp_allows(name):
    chart = every_chart()[name]
    root = ET.fromstring(str(chart.svg))  # well-formed XML
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == chart.title and desc.text == chart.description
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    for element in root.iter():
        assert "style" not in element.attrib, element.tag
        assert not any(key.startswith("on") for key in element.attrib), element.tag
        assert element.tag not in (f"{SVG}script", f"{SVG}foreignObject", f"{SVG}image",
                                   f"{SVG}style")
    text = str(chart.svg)
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in text and "@import" not in text and "@font-face" not in text
    # internal references (the ambition pattern) point into the same SVG
    ids = {element.get("id") for element in root.iter()}
    for reference in re.findall(r"url\(#([^)]+)\)", text):
        assert reference in ids


def test_each_chart_draws_its_own_ids():
    first, second = (charts.bar_chart(rows(), title="A", scale_max=5) for _ in range(2))
    ids = lambda chart: {e.get("id") for e in ET.fromstring(str(chart.svg)).iter()} - {None}  # noqa: E731
    assert not ids(first) & ids(second)


def test_the_table_holds_the_same_numbers_as_the_bars():
    chart = charts.bar_chart(rows(), title="Bars", scale_max=5)
    assert chart.columns == ["Dimension", "Today", "Ambition", "Gap"]
    assert chart.rows == [
        ("Vision", ["2.0", "4.5", "+2.5"]),
        ("Customer focus", ["3.3", "3.8", "+0.5"]),  # 3.25 and 3.75 rounded half up
        ("Data", ["not shown", "not shown", "–"]),
    ]
    svg = str(chart.svg)
    assert ">2.0<" in svg and ">4.5<" in svg and "gap +2.5" in svg
    assert "not shown" in svg  # a hidden value is said, never drawn


def test_suppressed_values_are_never_drawn_as_numbers():
    hidden = [charts.Row("Group", Suppressed(Suppressed.TOO_FEW), Suppressed(Suppressed.TOO_FEW))]
    for chart in (charts.bar_chart(hidden, title="x", scale_max=5),
                  charts.radar_chart(hidden, title="x", scale_max=5),
                  charts.comparison_chart(hidden, title="x", scale_max=5, first_column="x")):
        root = ET.fromstring(str(chart.svg))
        assert not root.findall(f".//{SVG}circle")
        # only the pattern's background and the two legend swatches: no bar, no square
        assert len(root.findall(f".//{SVG}rect")) == 3
        assert "not shown" in str(chart.svg)


def test_the_distribution_table_counts_people_per_value():
    chart = charts.distribution_chart(((1, 0), (2, 3), (3, 2)), Suppressed(Suppressed.TOO_FEW),
                                      title="d", value_labels={2: "Disagree"})
    assert chart.rows == [("1", ["0", "not shown"]), ("2 – Disagree", ["3", "not shown"]),
                          ("3", ["2", "not shown"])]


def test_the_wheel_has_twelve_segments_in_four_areas():
    wheel = every_chart()["wheel"]
    root = ET.fromstring(str(wheel.svg))
    segments = [p for p in root.iter(f"{SVG}path") if p.get("fill") == charts.TODAY]
    assert len(segments) == 12
    assert len(wheel.rows) == 12
    assert wheel.rows[0][0] == "Information – Knowledge"
    area_labels = [t.text for t in root.iter(f"{SVG}text") if t.get("font-weight") == "700"]
    assert area_labels == ["Information", "Communication", "Production", "Safety"]


def _luminance(colour):
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first, second):
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("colour", [charts.TODAY, charts.AMBITION, charts.INK, charts.MUTED])
def test_marks_and_text_have_enough_contrast_on_white(colour):
    assert contrast(colour, "#ffffff") >= 4.5


def test_today_and_ambition_differ_in_shape_not_only_colour():
    svg = str(charts.radar_chart(rows(), title="r", scale_max=5).svg)
    assert "stroke-dasharray" in svg  # ambition is dashed
    assert "<circle" in svg and "url(#" in svg  # today dots, ambition hatched squares
    assert ">Today<" in svg and ">Ambition<" in svg  # a legend in words


def test_numbers_follow_the_language():
    with translation.override("nb"):
        chart = charts.bar_chart([charts.Row("Visjon", 2.5, 4.0)], title="t", scale_max=5)
    assert chart.rows[0][1][:2] == ["2,5", "4,0"]

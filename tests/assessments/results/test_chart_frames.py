"""The radar, wheel and bar charts draw what depends only on the instrument (names, scale,
number of dimensions) once per process and the values on every call (issue 11): the SVG is
the same, byte for byte, as the one drawn whole each time (golden/, written by the charts
before that change), in any language. The frames take names and the scale only, never a
value: a leader's own answers are never kept."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from assessments.anonymity.aggregation import Suppressed
from assessments.results import charts

TOO_FEW = Suppressed(Suppressed.TOO_FEW)


def samples():
    """name: the SVG with its per-chart id made the same."""
    labels = ["Vision & <goals>", "Customer focus", 'Data "driven"',
              "Leading people through change",
              "A very long dimension name that wraps onto more lines than two (2)", "Trust",
              "Safety", "Finance"]
    values = [(2.0, 4.5), (3.25, 3.75), (TOO_FEW, TOO_FEW), (None, 4.0), (1.04, None),
              (0, 5), (4.95, 4.95), (3.349, 2.1)]
    rows = [charts.Row(label, t, a) for label, (t, a) in zip(labels, values, strict=True)]
    wheel = [(area, charts.Row(facet, *values[i % len(values)]))
             for i, (area, facet) in enumerate(
                 (area, facet) for area in ("Information", "Communication & <x>", "Production",
                                            "Safety")
                 for facet in ("Knowledge", "Skills", "Attitude"))]
    out = {}
    for n in (1, 2, 3, 5, 8):
        out[f"bar{n}"] = charts.bar_chart(rows[:n], title="Bars", scale_max=5)
        out[f"radar{n}"] = charts.radar_chart(rows[:n], title="Radar", scale_max=5)
    out["bar4_max4"] = charts.bar_chart(rows[:4], title="B4", scale_max=4, note="A note")
    out["radar6_max6"] = charts.radar_chart(rows[:6], title="R6", scale_max=6)
    out["wheel12"] = charts.wheel_chart(wheel, title="Wheel", scale_max=5)
    out["wheel5"] = charts.wheel_chart(wheel[:5], title="Wheel", scale_max=4)
    out["wheel1"] = charts.wheel_chart(wheel[:1], title="Wheel", scale_max=5)
    return {name: re.sub(r"chart-\d+", "chart-N", str(chart.svg)) for name, chart in out.items()}


GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("language", ["en", "nb"])
def test_the_charts_are_drawn_as_before(language):
    with translation.override(language):
        for _pass in range(2):  # the first pass fills the frames, the second reads them
            for name, svg in samples().items():
                assert svg + "\n" == (GOLDEN / f"{name}.{language}.svg").read_text(), name


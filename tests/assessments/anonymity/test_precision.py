"""Finding 4 of issue 10: nothing leaves the server at more precision than people see.

Two groups of k whose means differ (3.76 and 3.84) but read the same (3.8, spread 0.4, the
same distribution) must give byte-identical charts: the SVG's coordinates are computed from the
shown value, so a parser recovers 3.8 and nothing finer."""

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tests.factories import build_round, build_submission

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]

LOW = [3, 4, 4, 4, 3.8]  # mean 3.76, spread 0.39, rounded scores 3, 4, 4, 4, 4
HIGH = [4.2, 4.2, 4, 3.6, 3.2]  # mean 3.84, spread 0.39, rounded scores 4, 4, 4, 4, 3
SVG = re.compile(r"<svg.*?</svg>", re.S)
FINER = re.compile(r"\d\.\d{2,}")  # English pages: "." is the decimal mark


def _pages(client, world, round_, today_scores):
    """The results page and both gathering views for one set of scores, then undone."""
    urls = [reverse(name, kwargs={"network_slug": world.network.slug, "round_id": round_.pk})
            for name in ("round_results", "round_gathering")]
    urls.append(urls[1] + "?d=1")
    with transaction.atomic():
        for minute, score in enumerate(today_scores):
            build_submission(round_, group=world.group,
                             submitted_at=timezone.now() - timedelta(minutes=60 - minute),
                             scores={"vision": (score, 4.5), "customer": (score, 4.5)})
        pages = [client.get(url).content.decode() for url in urls]
        transaction.set_rollback(True)
    return pages


def _charts(page):
    return [re.sub(r"chart-\d+", "chart", svg) for svg in SVG.findall(page)]


def test_charts_and_pages_carry_only_the_shown_precision(client, world):
    round_ = build_round(world)
    client.force_login(world.facilitator)
    low = _pages(client, world, round_, LOW)
    high = _pages(client, world, round_, HIGH)
    for low_page, high_page in zip(low, high, strict=True):
        assert "3.8" in low_page
        assert _charts(low_page) and _charts(low_page) == _charts(high_page)
        main = re.sub(r'<(script|link)[^>]*>|fill-opacity="0.12"', "",
                      low_page[low_page.find("<main"):])  # (a style constant, not data)
        assert not FINER.findall(main), FINER.findall(main)


def test_the_report_carries_only_the_shown_precision(world):
    """The PDF's HTML (charts inline, tables, text) holds no number finer than one decimal."""
    from assessments.reports.document import report_html
    from tests.factories import make_report, make_report_results

    make_report_results(world)
    for kind in ("group", "network"):
        html = str(report_html(make_report(world, kind=kind)))
        body = re.sub(r'fill-opacity="0.12"|<style.*?</style>|data:[^"\')]*', "",
                      html, flags=re.S)
        assert "<svg" in body
        assert not FINER.findall(body), FINER.findall(body)[:5]

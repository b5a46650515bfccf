"""Journey 4: a facilitator puts the gathering screen on the projector. A group's result
stays hidden until the k-th leader of the group has submitted, then appears by itself.
Afterwards she has the network's PDF report made and downloads it."""

import re
import subprocess

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments.results import views as results_views
from tests.browser.people import SCREENSHOTS
from tests.browser.worlds import ANONYMITY_THRESHOLD, running_cohort

pytestmark = pytest.mark.browser

POLL_TIMEOUT_MS = 15_000  # the screen asks for news every few seconds


def test_the_group_result_appears_on_the_gathering_screen_when_the_kth_leader_submits(
        people, tmp_path, monkeypatch):
    # The screen asks for news every second instead of every 5 (the live server runs in this
    # process), so the test waits less for the polls it watches.
    monkeypatch.setattr(results_views, "GATHERING_REFRESH_SECONDS", 1)
    world = running_cohort()
    for name in ("Ola Nordmann", "Siri Dahl"):
        world.leader_who_answered(name, today=2, ambition=4)
    ingrid = people.open("Ingrid")
    page = ingrid.page

    ingrid.sign_in(world.facilitator.email)
    expect(ingrid.heading(ingrid.t("Cohorts you facilitate"))).to_be_visible()
    ingrid.check()

    # From her cohort to the round's results, and on to the projector.
    page.get_by_role("link", name=world.cohort.name).click()
    expect(ingrid.heading(world.cohort.name)).to_be_visible()
    ingrid.check()
    ingrid.link("Assessment rounds and results").click()
    ingrid.check()
    page.get_by_role("link", name=re.compile(
        rf"^{re.escape(ingrid.t('Results'))}\W+{world.round.name}$")).click()
    ingrid.check()
    ingrid.link("Open the gathering screen").click()
    ingrid.check()
    page.keyboard.press("ArrowRight")  # a presentation clicker: the first dimension
    expect(page).to_have_url(re.compile(r"\?d=1$"))
    chart = page.get_by_role("img", name=re.compile(world.round.instrument.dimensions.first()
                                                    .name[ingrid.language]))
    not_yet = ingrid.t("not shown: fewer than %(k)s answered", k=ANONYMITY_THRESHOLD)
    expect(chart).to_contain_text(
        re.compile(rf"{re.escape(world.group.name)}\s*{re.escape(not_yet)}"))
    hidden = ingrid.t("not shown")
    group_row = page.locator(".gathering__live tr").filter(has_text=world.group.name)
    expect(group_row).to_contain_text(hidden)
    expect(ingrid.status()).to_contain_text("2")
    ingrid.check()
    with page.expect_response(lambda response: response.url.endswith("?d=1"),
                              timeout=POLL_TIMEOUT_MS):
        pass  # the screen asked for news: still two answers, still hidden
    expect(group_row).to_contain_text(hidden)

    world.leader_who_answered("Kari Hansen", today=3, ambition=5)
    expect(ingrid.status()).to_contain_text("3", timeout=POLL_TIMEOUT_MS)
    expect(group_row).not_to_contain_text(hidden)
    expect(chart).not_to_contain_text(not_yet)
    expect(group_row).to_contain_text(re.compile(r"\d"))
    ingrid.check()

    # The network's report of the cohort, as a PDF.
    ingrid.link("Leave the screen").click()
    ingrid.link("Facilitate").click()
    page.get_by_role("link", name=world.cohort.name).click()
    ingrid.link("Network report (PDF) for %(cohort)s", cohort=world.cohort.name).click()
    ingrid.check()
    # The tests make the PDF during this request (Celery runs eagerly), so the click waits.
    ingrid.button("Make a new report").click(timeout=30_000)
    download_link = ingrid.link("Download the PDF")
    expect(download_link).to_be_visible(timeout=POLL_TIMEOUT_MS)  # made by a Celery task
    ingrid.check()
    with page.expect_download() as download:
        download_link.click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    sheets = PdfReader(pdf).pages
    text = "\n".join(sheet.extract_text() for sheet in sheets)
    assert world.cohort.name in text and world.group.name in text
    if SCREENSHOTS:  # the network's chart, after the cover and the table of numbers
        page_number = str(min(3, len(sheets)))
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", page_number, "-l", page_number,
                        "-singlefile", str(pdf), f"{SCREENSHOTS}/report-page"], check=True)

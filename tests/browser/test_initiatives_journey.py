"""Journey: a leader group follows up its initiatives. A leader adds an initiative on the gap
in "Services to citizens", with an owner and a due date; in post-work she reviews the open
initiatives and gives it a status and an update; the group's gaps page then tells whether
that gap narrowed between the round before the initiative and the latest one (from the
group's released numbers)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from modules.models import Initiative
from tenancy.models import Organisation, RoleKind
from tenancy.services import grant_role
from tests.browser.people import PHONE
from tests.browser.worlds import ANONYMITY_THRESHOLD, running_cohort
from tests.factories import (
    build_round,
    build_submission,
    make_group,
    make_organisation,
    make_person,
)

pytestmark = pytest.mark.browser

EMAIL = "camilla.egeland@kristiansand.example"
TITLE = "One contact person for families"


def closed_round_with_answers(world, name, days_ago, today):
    """A closed round of the same instrument in which k leaders of the group answered
    `today` (and 5 as ambition) in every dimension."""
    now = timezone.now()
    round_ = build_round(world, instrument=world.round.instrument, cohort=world.cohort,
                         name=name, opens_at=now - timedelta(days=days_ago + 7),
                         closes_at=now - timedelta(days=days_ago))
    scores = {d.code: (today, 5) for d in round_.instrument.dimensions.all()}
    for index in range(ANONYMITY_THRESHOLD):
        build_submission(round_, group=world.group, scores=scores,
                         submitted_at=round_.opens_at + timedelta(minutes=index))
    return round_


def test_a_leader_group_follows_up_its_initiatives_and_sees_the_gap_narrow(people):
    world = running_cohort()
    closed_round_with_answers(world, "Last year", days_ago=60, today=2)  # gap 3.0
    closed_round_with_answers(world, "Midway", days_ago=5, today=3)  # gap 2.0
    leader = make_person("Camilla Egeland", EMAIL, language="en")
    grant_role(leader, world.network, RoleKind.LEADER, leader_group=world.group)
    camilla = people.open("Camilla")
    page = camilla.page
    camilla.sign_in(EMAIL)
    camilla.check()

    # What's next → the group's ambitions and initiatives → a new initiative on a gap.
    page.get_by_role("link", name=world.group.name).first.click()
    camilla.check()
    page.get_by_role("link", name=re.compile(f"^{camilla.t('Add an initiative')}")).first.click()
    camilla.check()
    page.get_by_label(re.compile(r"^\s*Title")).fill(TITLE)
    page.get_by_label(camilla.t("Short term")).check()
    page.get_by_label(re.compile(r"^\s*Owner")).select_option(label="Camilla Egeland")
    page.get_by_label(re.compile(r"^\s*Due date")).fill("2027-03-31")
    page.get_by_label("Services to citizens").check()
    camilla.button("Save the initiative").click()
    expect(page.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    expect(page.get_by_text("Owner: Camilla Egeland")).to_be_visible()
    camilla.check()

    # Post-work: the review of the open initiatives, one status and update each.
    camilla.link("Review the open initiatives").click()
    camilla.check()
    card = page.locator(".card").filter(has_text=TITLE)
    card.get_by_label(camilla.t("Started")).check()
    card.get_by_label(re.compile(rf"^\s*{camilla.t('What happened')}")).fill(
        "Two pilots in the east district.")
    camilla.button_for("Save the update", TITLE).click()
    expect(page.get_by_text(camilla.t("The update is saved."))).to_be_visible()
    expect(card.get_by_text("Two pilots in the east district.")).to_be_visible()
    camilla.check()

    # The initiative with its dated update.
    page.get_by_role("link", name=TITLE, exact=True).click()
    expect(page.get_by_text("Two pilots in the east district.")).to_be_visible()
    camilla.check()

    # Both rounds closed after the group decided it: the gap it addresses narrowed.
    Initiative.objects.for_network(world.network).filter(title=TITLE).update(
        created_at=timezone.now() - timedelta(days=30))
    camilla.link("The group's gaps and initiatives").click()
    row = page.get_by_role("row").filter(has_text="Services to citizens")
    expect(row).to_contain_text(TITLE)
    expect(row).to_contain_text(camilla.t("The gap narrowed"))
    camilla.check()
    people.assert_every_page_checked()


def test_a_facilitator_pairs_two_municipalities_and_the_group_reads_why(people):
    world = running_cohort()
    arendal = make_organisation(world.network, "Arendal kommune")
    other = make_group(world.network, arendal, "Rådmannens ledergruppe")
    world.cohort.leader_groups.add(other)
    Organisation.objects.for_network(world.network).update(size_band="large")
    ingrid = people.open("Ingrid")
    page = ingrid.page
    ingrid.sign_in(world.facilitator.email)
    ingrid.check()
    page.get_by_role("link", name=world.cohort.name).click()
    ingrid.check()
    pair_link = ingrid.t("Pair the leader groups: %(module)s", module="")
    page.get_by_role("link", name=re.compile(f"^{re.escape(pair_link)}")).first.click()
    expect(page.get_by_text(ingrid.t("Their organisations are of a similar size."))).to_be_visible()
    ingrid.check()
    ingrid.button("Confirm the pairs").click()
    expect(page.get_by_text(ingrid.t("The pairs are confirmed."))).to_be_visible()
    ingrid.check()

    leader = make_person("Camilla Egeland", EMAIL, language="en")
    grant_role(leader, world.network, RoleKind.LEADER, leader_group=world.group)
    camilla = people.open("Camilla", viewport=PHONE)
    camilla.sign_in(EMAIL)
    camilla.check()
    camilla.page.get_by_role("link", name=world.group.name).first.click()
    expect(camilla.page.get_by_text(re.compile(f"paired with {other.name}"))).to_be_visible()
    camilla.check()
    people.assert_every_page_checked()

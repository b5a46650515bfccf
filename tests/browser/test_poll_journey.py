"""Journey: a live poll in the room. The facilitator writes a question and opens it on the
gathering screen; three leaders (k = 3) answer on their phones from What's next; the screen
shows how many have answered, and the result only once the third has, by itself."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.polls import views as poll_views
from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.browser.people import PHONE
from tests.browser.worlds import ANONYMITY_THRESHOLD, running_cohort
from tests.factories import make_person

pytestmark = pytest.mark.browser

POLL_TIMEOUT_MS = 15_000
QUESTION = "How far has our leader group come with data?"


def test_the_poll_result_appears_on_the_screen_only_after_k_leaders_answered(
        people, monkeypatch):
    monkeypatch.setattr(poll_views, "POLL_REFRESH_SECONDS", 1)
    world = running_cohort()
    first = world.cohort.cohort_modules.order_by("position").first()
    gathering = first.gathering
    gathering.starts_at = timezone.now() - timedelta(hours=1)  # the gathering is on now
    gathering.ends_at = gathering.starts_at + timedelta(hours=6)
    gathering.save()
    leaders = []
    for name in ("Ola Nordmann", "Siri Dahl", "Kari Berg"):
        leader = make_person(name, f"{name.split()[0].lower()}@kristiansand.example",
                             language="en")
        grant_role(leader, world.network, RoleKind.LEADER, leader_group=world.group)
        leaders.append(leader)

    ingrid = people.open("Ingrid")
    screen = ingrid.page
    ingrid.sign_in(world.facilitator.email)
    expect(ingrid.heading(ingrid.t("Cohorts you facilitate"))).to_be_visible()
    ingrid.check()
    ingrid.link_for("Run the gathering", first.module.title["en"]).click()
    ingrid.check()
    ingrid.field("Question").fill(QUESTION)
    ingrid.button("Add the poll").click()
    expect(screen.get_by_role("heading", level=3, name=QUESTION)).to_be_visible()
    ingrid.check()
    ingrid.screenshot("gathering-room")
    ingrid.button_for("Open on the screen", QUESTION).click()
    expect(ingrid.heading(QUESTION)).to_be_visible()
    expect(ingrid.status()).to_contain_text(ingrid.tn(
        "%(counter)s has answered", "%(counter)s have answered", 0, counter=0))
    not_yet = ingrid.t(
        "Not shown yet: the result appears when %(k)s have answered, and moves only for every "
        "%(k)s answers, so that no one's answer can be worked out.", k=ANONYMITY_THRESHOLD)
    expect(screen.locator("#poll-live")).to_contain_text(not_yet)
    ingrid.check()

    for index, (leader, value) in enumerate(zip(leaders, ("2", "4", "5"), strict=True)):
        phone = people.open(leader.name, viewport=PHONE)
        phone.sign_in(leader.email)
        expect(phone.page.get_by_role("heading", name=phone.t("Poll in the room"))).to_be_visible()
        expect(phone.page.get_by_text(QUESTION)).to_be_visible()
        phone.check()
        if index == 0:
            phone.screenshot("poll-on-a-phone", full_page=False)
        phone.page.get_by_role("radio", name=re.compile(rf"^{value}\b")).check()
        phone.button("Answer").click()
        expect(phone.page.get_by_text(phone.t(
            "Thank you: your answer is in. The screen shows the result once enough people "
            "have answered."))).to_be_visible()
        phone.check()
        answered = index + 1
        expect(ingrid.status()).to_contain_text(ingrid.tn(
            "%(counter)s has answered", "%(counter)s have answered", answered,
            counter=answered), timeout=POLL_TIMEOUT_MS)
        if answered < ANONYMITY_THRESHOLD:
            expect(screen.locator("#poll-live")).to_contain_text(not_yet)
            expect(screen.locator("#poll-live progress")).to_have_count(0)

    live = screen.locator("#poll-live")
    expect(live.locator("progress")).to_have_count(5, timeout=POLL_TIMEOUT_MS)
    expect(live).to_contain_text(ingrid.tn("Counted: %(counter)s answer",
                                           "Counted: %(counter)s answers", 3, counter=3))
    expect(live).to_contain_text("3.7")  # (2 + 4 + 5) / 3
    ingrid.check()
    ingrid.screenshot("poll-screen", full_page=False)

    # Back in the room, the attendance list at the door: she marks who came.
    ingrid.link("Leave the screen").click()
    ingrid.check()
    ingrid.link("Attendance at the door").click()
    expect(ingrid.heading(ingrid.t("Who is coming: the gathering for %(module)s",
                                   module=first.module.title["en"]))).to_be_visible()
    ingrid.check()
    ingrid.button_for("Came", "Siri Dahl").click()
    expect(ingrid.button_for("Came", "Siri Dahl")).to_have_attribute("aria-pressed", "true")
    ingrid.check()
    ingrid.screenshot("attendance-at-the-door")

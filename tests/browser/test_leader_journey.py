"""Journey 3: a leader accepts the invitation, signs in with a code, finds what's next, does
pre-work, writes a reflection, takes the start assessment with the keyboard only (leaving
halfway and coming back) and sees their own results. On a desktop in English, on a phone in
Norwegian Bokmål or Nynorsk (the language of the invitation) and in Danish picked in the
header."""

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from programmes.models import ActivityKind
from tests.browser.people import DESKTOP, PHONE, last_email_to
from tests.browser.worlds import running_cohort

pytestmark = pytest.mark.browser

EMAIL = "camilla.egeland@kristiansand.example"
REFLECTION = "We still print and scan applications in building permits."
TODAY, AMBITION = 1, 3  # every "today" and "ambition" question, as Camilla answers them


@dataclass(frozen=True)
class Variant:
    viewport: dict
    invitation_language: str
    picked_language: str  # chosen with the picker in the header; "" keeps the person's own
    screenshots: bool = False

    @property
    def language(self):
        return self.picked_language or self.invitation_language


VARIANTS = {
    "desktop-en": Variant(DESKTOP, "en", "", screenshots=True),
    "phone-nb": Variant(PHONE, "nb", ""),
    "phone-nn": Variant(PHONE, "nn", ""),
    "desktop-da-picked": Variant(DESKTOP, "en", "da"),
}


def prework_activities(cohort_module):
    prework = cohort_module.module.phases.get(kind="prework")
    return {activity.kind: activity for activity in prework.activities.order_by("-position")}


def tab_to_next_choice(person):
    """Tab to the next group of radio buttons (each group is one stop for Tab)."""
    for _ in range(40):
        person.page.keyboard.press("Tab")
        if person.focused()["type"] == "radio":
            return
    raise AssertionError("no further question on the page")


def choose_with_keyboard(person, value):
    """In the focused group, where nothing is chosen yet: Space picks the step Tab landed on
    (the row of the answer just given, in the ambition column), the arrow keys move to (and
    pick) the one wanted."""
    keyboard = person.page.keyboard
    keyboard.press("Space")
    for _ in range(10):
        focused = person.focused()
        if focused["value"] == str(value):
            break
        keyboard.press("ArrowDown" if int(focused["value"]) < value else "ArrowUp")
    focused = person.focused()
    assert focused["checked"] and focused["value"] == str(value), focused


def answer_with_keyboard(person, questions, skip=0):
    """Answer `questions` radio groups (today, ambition, today, …), after Tab-ing past
    `skip` groups answered before."""
    for _ in range(skip):
        tab_to_next_choice(person)
    for number in range(questions):
        tab_to_next_choice(person)
        choose_with_keyboard(person, TODAY if (skip + number) % 2 == 0 else AMBITION)
    person.wait_for_saves()


def press_button(person, msgid):
    person.tab_to(person.t(msgid))
    person.page.keyboard.press("Enter")


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_a_leader_from_the_invitation_to_their_own_results(people, variant):
    world = running_cohort()
    world.leader_who_answered("Ola Nordmann", today=2, ambition=4)
    world.leader_who_answered("Siri Dahl", today=3, ambition=5)
    world.invite_leader("Camilla Egeland", EMAIL, variant.invitation_language)
    cohort_module = world.cohort.cohort_modules.order_by("position").first()
    activities = prework_activities(cohort_module)
    camilla = people.open("Camilla", viewport=variant.viewport)
    page = camilla.page

    def title(obj):
        return obj.title[camilla.language]

    # The invitation email: accept, then sign in with a code sent to the same inbox.
    camilla.follow_email_link(last_email_to(EMAIL), "/invitations/")
    camilla.check()
    camilla.button("Accept the invitation").click()
    camilla.sign_in(EMAIL)
    if variant.picked_language:
        camilla.pick_language(variant.picked_language)
    expect(page.locator("html")).to_have_attribute("lang", variant.language)

    # What's next: the module running now and what to do in it.
    expect(camilla.heading(camilla.t("Hello, %(name)s", name="Camilla"))).to_be_visible()
    now = page.get_by_role("region", name=re.compile(re.escape(title(cohort_module.module))))
    expect(now.get_by_role("heading", name=camilla.t("Next to do"))).to_be_visible()
    expect(now.get_by_role("link", name=re.compile(re.escape(title(activities["video"])))))\
        .to_be_visible()
    camilla.check()
    if variant.screenshots:
        camilla.screenshot("leader-whats-next")

    # Pre-work: watch the film, then mark it and the article as done in the module.
    camilla.link_for("Watch", title(activities["video"])).click()
    expect(camilla.heading(title(activities["video"].resource))).to_be_visible()
    camilla.check()
    page.go_back()
    camilla.link("Open the module %(title)s", title=title(cohort_module.module)).click()
    expect(camilla.heading(title(cohort_module.module))).to_be_visible()
    camilla.check()
    for kind in ("video", "article"):
        activity = activities[kind]
        camilla.button_for("Mark as done", title(activity)).click()
        expect(page.locator(f"#activity-{activity.pk}")).to_contain_text(camilla.t("Done"))
    total = sum(phase.activities.count() for phase in cohort_module.module.phases.all())
    expect(page.locator(".journey-progress__text").first).to_have_text(camilla.tn(
        "%(done)s of %(total)s activity done", "%(done)s of %(total)s activities done", total,
        done=2, total=total))
    camilla.check()

    # A reflection is saved as she types, and is still there after a reload.
    reflection = activities[ActivityKind.REFLECTION]
    camilla.link_for("Write your reflection", title(reflection)).click()
    expect(camilla.heading(title(reflection))).to_be_visible()
    camilla.check()
    camilla.field("Your answer").press_sequentially(REFLECTION)
    expect(camilla.status().filter(has_text=camilla.t("Saved at %(time)s", time="")))\
        .to_be_visible()
    # Too long a text is refused: the status says so and why, and the text stays.
    answer, status = camilla.field("Your answer"), page.locator("#reflection-status")
    answer.fill(REFLECTION + "x" * 20000)
    answer.press("End")
    expect(status).to_contain_text(camilla.t("Not saved:"))
    expect(status).not_to_contain_text(camilla.t("Saved at %(time)s", time="").strip())
    expect(answer).to_have_value(REFLECTION + "x" * 20000)
    answer.fill(REFLECTION)
    answer.press("End")
    expect(status).to_contain_text(camilla.t("Saved at %(time)s", time="").strip())
    page.reload()
    expect(camilla.field("Your answer")).to_have_value(REFLECTION)
    camilla.button("Mark as done").click()
    expect(camilla.button("Mark as not done")).to_be_visible()
    camilla.check()

    # The start assessment, with the keyboard only: Tab, Space, arrow keys and Enter.
    camilla.link("What's next").first.click()
    camilla.check()
    camilla.tab_to(camilla.t("Answer the assessment"), prefix=True)
    page.keyboard.press("Enter")
    expect(camilla.heading(world.round.instrument.name[camilla.language])).to_be_visible()
    camilla.check()
    press_button(camilla, "Start")
    expect(page).to_have_url(re.compile(r"/take/1/$"))
    camilla.check()
    answer_with_keyboard(camilla, 8)
    if variant.screenshots:
        camilla.screenshot("assessment-part", full_page=False)
    press_button(camilla, "Save and go to the next part")
    expect(page).to_have_url(re.compile(r"/take/2/$"))
    camilla.check()
    answer_with_keyboard(camilla, 4)  # half of part 2, saved as she goes

    # She closes the tab and comes back later: the test goes on where she left it.
    camilla.new_page()
    page = camilla.page
    camilla.goto("/")
    camilla.check()
    camilla.tab_to(camilla.t("Answer the assessment"), prefix=True)
    page.keyboard.press("Enter")
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "12")
    camilla.check()
    press_button(camilla, "Continue where you left off")
    expect(page).to_have_url(re.compile(r"/take/2/$"))
    expect(page.locator("input[type=radio]:checked")).to_have_count(4)
    answer_with_keyboard(camilla, 4, skip=4)
    for part, questions in ((3, 6), (4, 8), (5, 8)):
        press_button(camilla, "Save and go to the next part")
        expect(page).to_have_url(re.compile(rf"/take/{part}/$"))
        answer_with_keyboard(camilla, questions)
    press_button(camilla, "Save and review")
    expect(camilla.heading(camilla.t("Review and submit"))).to_be_visible()
    expect(page.get_by_text(camilla.t("You have answered every question."))).to_be_visible()
    camilla.check()
    press_button(camilla, "Submit my answers")

    # Her own results, and her group's now that three have answered.
    expect(page).to_have_url(re.compile(r"/my-results/$"))
    expect(camilla.status()).to_contain_text(camilla.t("Thank you! Your answers are submitted."))
    expect(page.get_by_role("table", name=camilla.t("Averages: you, your group and the network")))\
        .to_be_visible()
    camilla.check()
    if variant.screenshots:
        camilla.screenshot("leader-results")

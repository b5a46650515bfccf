"""Journey 5: a leader's session ends while she writes her reflection (GitHub issue 12,
item 2). The autosave says she was signed out instead of swallowing the sign-in page; what
she typed stays in the field and in the browser; after signing in again she is back on the
page and the text is saved. Likewise for an answer in the assessment."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from playwright.sync_api import expect

from assessments.models import Answer
from modules.models import Reflection
from programmes.models import ActivityKind
from tenancy.models import RoleKind
from tenancy.scoping import platform_wide
from tenancy.services import grant_role
from tests.browser.worlds import running_cohort
from tests.factories import make_person

pytestmark = pytest.mark.browser

EMAIL = "camilla.egeland@kristiansand.example"
BEFORE = "We still print and scan applications."
AFTER = " Next year every permit is digital."


def end_the_session(person):
    """The server forgets the session, as when it timed out or was ended elsewhere."""
    keys = [c["value"] for c in person.context.cookies() if c["name"] == "sessionid"]
    assert Session.objects.filter(session_key__in=keys).delete()[0] == 1


def signed_in_leader(people, world):
    leader = make_person("Camilla Egeland", EMAIL, language="en")
    grant_role(leader, world.network, RoleKind.LEADER, leader_group=world.group)
    camilla = people.open("Camilla")
    camilla.sign_in(EMAIL)
    camilla.check()
    return leader, camilla


def sign_in_again(camilla, page_url):
    camilla.page.get_by_role("link", name=camilla.t("sign in again")).first.click()
    expect(camilla.page).to_have_url(re.compile(r"/accounts/login/code/\?next="))
    camilla.sign_in(EMAIL)
    expect(camilla.page).to_have_url(page_url)
    camilla.check()


def test_a_reflection_typed_after_the_session_ended_is_saved_after_signing_in_again(people):
    world = running_cohort()
    leader, camilla = signed_in_leader(people, world)
    page = camilla.page
    cohort_module = world.cohort.cohort_modules.order_by("position").first()
    with platform_wide():
        reflection = cohort_module.module.phases.get(kind="prework").activities.get(
            kind=ActivityKind.REFLECTION
        )
    url = camilla.origin + reverse(
        "reflection",
        kwargs={
            "network_slug": world.network.slug,
            "cohort_module_id": cohort_module.pk,
            "reflection_activity_id": reflection.pk,
        },
    )
    camilla.goto(url)
    camilla.check()
    field = camilla.field("Your answer")
    field.press_sequentially(BEFORE)
    expect(
        camilla.status().filter(has_text=camilla.t("Saved at %(time)s", time=""))
    ).to_be_visible()
    camilla.wait_for_saves()

    end_the_session(camilla)
    field.press_sequentially(AFTER)
    camilla.wait_for_saves()
    status = page.locator("#reflection-status")
    expect(status).to_contain_text(camilla.t("sign in again"))
    expect(field).to_have_value(BEFORE + AFTER)
    camilla.check()
    with platform_wide():
        assert Reflection.objects.get(person=leader).text == BEFORE

    sign_in_again(camilla, url)
    expect(camilla.field("Your answer")).to_have_value(BEFORE + AFTER)
    expect(status).to_contain_text(camilla.t("Saved at %(time)s", time=""))
    camilla.wait_for_saves()
    with platform_wide():
        assert Reflection.objects.get(person=leader).text == BEFORE + AFTER
    # Saved: the browser keeps nothing more, so a reload shows the server's text as it is.
    assert (
        page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('bro-draft'))")
        == []
    )


def test_an_answer_chosen_after_the_session_ended_is_saved_after_signing_in_again(people):
    world = running_cohort()
    leader, camilla = signed_in_leader(people, world)
    page = camilla.page
    camilla.goto(
        reverse(
            "assessment_take",
            kwargs={"network_slug": world.network.slug, "round_id": world.round.pk},
        )
    )
    camilla.check()
    camilla.button("Start").click()
    expect(page).to_have_url(re.compile(r"/take/1/$"))
    camilla.check()
    url = page.url
    item = page.locator("fieldset.take-item").nth(0)
    today, ambition = (
        item.locator(f"input[type=radio][name$='-{kind}']") for kind in ("today", "ambition")
    )
    ambition_status = item.locator(".take-status").nth(1).get_by_role("status")
    today.nth(1).check()
    camilla.wait_for_saves()

    end_the_session(camilla)
    ambition.nth(3).check()
    camilla.wait_for_saves()
    expect(ambition_status).to_contain_text(camilla.t("sign in again"))
    camilla.check()
    with platform_wide():
        assert Answer.objects.filter(response__person=leader).count() == 1

    sign_in_again(camilla, url)
    expect(ambition.nth(3)).to_be_checked()
    expect(ambition_status).to_contain_text(camilla.t("Saved at %(time)s", time=""))
    with platform_wide():
        assert sorted(
            Answer.objects.filter(response__person=leader).values_list("value", flat=True)
        ) == [2, 4]

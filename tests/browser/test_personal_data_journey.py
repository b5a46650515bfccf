"""Journey: a leader downloads everything Bro holds about them from Profile (the page follows
the file while it is made), then erases their data and is signed out; a network admin sets
the retention period and erases another leader. On a phone in Norwegian and on a desktop in
English."""

import io
import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from tenancy.models import Person
from tests.browser.people import DESKTOP, PHONE
from tests.browser.worlds import running_cohort

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("viewport", "language"), [(DESKTOP, "en"), (PHONE, "nb")],
                         ids=["desktop-en", "phone-nb"])
def test_a_leader_downloads_their_data_then_erases_it(people, viewport, language):
    world = running_cohort()
    leader = world.leader_who_answered("Camilla Egeland", 2, 4)
    leader.language = language
    leader.save(update_fields=["language"])
    camilla = people.open("Camilla", viewport=viewport)
    camilla.sign_in(leader.email)
    camilla.check()
    page = camilla.goto("/profile/")
    camilla.check()
    camilla.link("Download your data").click()
    camilla.check()
    camilla.button("Make the file").click()
    download_link = camilla.link("Download the zip file")
    expect(download_link).to_be_visible()  # made by the (eager) task; htmx would poll
    camilla.check()
    with page.expect_download() as download_info:
        download_link.click()
    archive = zipfile.ZipFile(io.BytesIO(open(download_info.value.path(), "rb").read()))
    data = json.loads(archive.read("bro-data.json"))
    assert data["profile"]["email"] == leader.email
    assert data["assessments"][0]["round"] == "Start"

    camilla.goto("/profile/")
    camilla.link("Erase your data").click()
    camilla.check()
    camilla.field("Your email address").fill("wrong@kristiansand.example")
    camilla.button("Erase my data").click()
    expect(page.get_by_text(camilla.t("This is not the email address you sign in with.")))\
        .to_be_visible()
    camilla.check()
    camilla.field("Your email address").fill(leader.email)
    camilla.button("Erase my data").click()
    expect(page.get_by_text(  # the goodbye page still speaks her language
        camilla.t("Your personal data is erased. Thank you for taking part."))).to_be_visible()
    camilla.check()
    assert Person.objects.get(pk=leader.pk).erased_at is not None


def test_a_network_admin_sets_retention_and_erases_a_leader(people):
    world = running_cohort()
    leader = world.leader_who_answered("Per Hansen", 3, 4)
    randi = people.open("Randi")
    randi.sign_in_as_admin(world.admin.email)
    randi.check()
    page = randi.goto(f"/n/{world.network.slug}/manage/")
    randi.check()
    randi.link("Change the network's settings").click()
    randi.check()
    randi.page.get_by_role("spinbutton").fill("36")  # "Keep personal data for (months)"
    randi.button("Save").click()
    expect(page.get_by_text(randi.t("The network's settings are saved."))).to_be_visible()
    randi.check()
    randi.goto(f"/n/{world.network.slug}/manage/")
    randi.link("Erase a person's personal data").click()
    randi.check()
    randi.field("The person's email address").fill(leader.email)
    randi.button("Find the person").click()
    expect(page.get_by_role("alert")).to_contain_text("Per Hansen")
    randi.check()
    randi.button("Yes, erase it").click()
    expect(page).to_have_url(re.compile(r"/manage/$"))
    randi.check()
    assert "Per Hansen" not in page.content()
    assert Person.objects.get(pk=leader.pk).erased_at is not None

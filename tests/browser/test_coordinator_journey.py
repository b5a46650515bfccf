"""Journey 2: a municipality's coordinator accepts the invitation from the email, creates a
leader group and enrols its leaders from a CSV file. One row is wrong: nothing is saved until
it is fixed; then every new leader gets an invitation. Another coordinator reminds the leaders
who have not finished their pre-work, from her phone."""

import re

import pytest
from playwright.sync_api import expect

from tenancy.models import RoleKind
from tenancy.services import create_invitation, grant_role
from tests.browser.people import PHONE, emails_to, last_email_to
from tests.browser.worlds import network_admin, running_cohort
from tests.factories import make_network, make_organisation, make_person

pytestmark = pytest.mark.browser

EMAIL = "lene.mathisen@kolding.example"
GROUP = "Direktionen"
LEADERS = ["mette.juul.frederiksen@kolding.example", "anders.bech@kolding.example",
           "sofie.lund@kolding.example"]
CSV = """navn;e-mail;titel;sprog;Afdeling
Mette Juul Frederiksen;mette.juul.frederiksen@kolding.example;kommunaldirektør;da;Direktionen
Anders Bech;anders.bech@kolding;direktør for børn og uddannelse;da;Børn og Uddannelse
Sofie Lund;sofie.lund@kolding.example;digitaliseringschef;;Digitalisering
"""


def test_a_coordinator_enrols_a_leader_group_from_a_csv_file(people, tmp_path):
    network = make_network("digi-syddanmark", name="Digitaliseringsnetværket Syddanmark",
                           country="DK", default_language="da")
    kolding = make_organisation(network, "Kolding Kommune")
    create_invitation(network, email=EMAIL, name="Lene Mathisen", kind=RoleKind.COORDINATOR,
                      invited_by=network_admin(network, "karen@digi-syddanmark.example"),
                      language="da", organisation=kolding)
    csv_file = tmp_path / "direktionen.csv"
    csv_file.write_text(CSV, encoding="cp1252")  # as Danish Excel saves plain "CSV"
    lene = people.open("Lene", locale="da-DK")
    page = lene.page

    # The invitation email: accept, sign in with a code, land on her municipality.
    lene.follow_email_link(last_email_to(EMAIL), "/invitations/")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    lene.check()
    lene.button("Accept the invitation").click()
    lene.sign_in(EMAIL)
    expect(lene.heading("Kolding Kommune")).to_be_visible()
    lene.check()

    # A leader group for the municipality's top leaders.
    page.get_by_text(lene.t("Create a leader group")).click()
    lene.field("Name").fill(GROUP)
    lene.button("Create group").click()
    expect(lene.status()).to_contain_text(lene.t("%(name)s is created.", name=GROUP))
    lene.check()

    # The CSV file has a wrong email in row 3: nothing is saved, the row is named.
    lene.link("Enrol leaders in %(group)s", group=GROUP).click()
    lene.check()
    lene.field("Or upload a file").set_input_files(csv_file)
    lene.button("Check the list").click()
    # The page says how it read the file, and that the department column is left out.
    read = page.get_by_role("status").filter(has_text=lene.t("How the list was read"))
    expect(read).to_contain_text("Windows-1252")
    expect(read).to_contain_text("Afdeling")
    expect(lene.field("Paste the list")).to_have_value(re.compile("Børn og Uddannelse"))
    problems = page.get_by_role("alert")
    expect(problems).to_contain_text(lene.t("Row %(row)s", row=3))
    expect(problems).to_contain_text(lene.t("email"))
    assert not emails_to(LEADERS[0])
    lene.check()

    # She fixes the row in the list the page kept, checks it again and enrols all three.
    text = lene.field("Paste the list")
    text.fill(text.input_value().replace("@kolding;", "@kolding.example;"))
    lene.button("Check the list").click()
    expect(lene.heading(lene.t("The list is right"), level=2)).to_be_visible()
    lene.check()
    page.get_by_role("button", name=lene.tn("Enrol %(counter)s leader", "Enrol %(counter)s leaders",
                                            3)).click()

    # The invitations go out, one to each leader, and are listed until they are accepted.
    expect(lene.status()).to_contain_text(lene.tn(
        "%(count)s invitation is on its way.", "%(count)s invitations are on their way.", 3))
    pending = page.get_by_role("table", name=lene.t("Invitations not yet accepted"))
    for email in LEADERS:
        row = pending.get_by_role("row").filter(has_text=email)
        expect(row).to_contain_text(GROUP)
        expect(row).not_to_contain_text(lene.t("Queued"))  # sent, with the time it went
        assert "/invitations/" in last_email_to(email).body
    group_card = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=GROUP))
    expect(group_card).to_be_visible()
    lene.check()

    # One of them has left the municipality: she takes the invitation back, and its link
    # then says it was withdrawn.
    gone = LEADERS[-1]
    lene.button("Revoke the invitation to %(email)s", email=gone).click()
    expect(lene.status()).to_contain_text(lene.t(
        "The invitation to %(email)s is revoked: its link no longer works.", email=gone))
    expect(pending.get_by_role("row").filter(has_text=gone)).to_have_count(0)
    expect(pending.get_by_role("row").filter(has_text=LEADERS[0])).to_have_count(1)
    lene.check()
    lene.follow_email_link(last_email_to(gone), "/invitations/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        lene.t("This invitation link cannot be used"))
    expect(page.get_by_text(lene.t(
        "The invitation has been withdrawn. If you think you should still take part, ask the "
        "person who invited you."))).to_be_visible()


def test_a_coordinator_reminds_the_leaders_who_have_not_finished_from_her_phone(people):
    world = running_cohort()
    world.leader_who_answered("Ola Nordmann", today=2, ambition=4)  # no pre-work done yet
    trine = make_person("Trine Berg", "trine.berg@kristiansand.example", language="en")
    grant_role(trine, world.network, RoleKind.COORDINATOR, organisation=world.organisation)
    coordinator = people.open("Trine", viewport=PHONE)
    page = coordinator.page
    coordinator.sign_in(trine.email)
    coordinator.check()

    coordinator.link("Remind leaders who have not finished").click()
    expect(coordinator.heading(coordinator.t("Remind leaders"))).to_be_visible()
    coordinator.check()
    # The deadline and the button are on the screen, not beyond its right edge.
    remind = page.get_by_role("button", name=re.compile(
        "^" + re.escape(coordinator.tn("Remind %(count)s leader", "Remind %(count)s leaders", 1))))
    for element in (remind, page.get_by_text(coordinator.t("Deadline")).first):
        box = element.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    remind.click()
    expect(coordinator.status().first).to_contain_text(coordinator.tn(
        "The reminder to %(count)d leader is queued and goes out in a moment.",
        "The reminder to %(count)d leaders is queued and goes out in a moment.", 1))
    expect(page.get_by_text(coordinator.t("Reminded today"))).to_be_visible()
    coordinator.check()

"""Journey 1: a network admin signs in (emailed code, then the authenticator app), adds the
municipalities that take part, invites a facilitator, creates a cohort from the standard
programme, sets the dates of its first module and says who takes part."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.browser.people import last_email_to
from tests.browser.worlds import digi_agder, network_admin
from tests.factories import make_person

pytestmark = pytest.mark.browser

ORGANISATIONS = [("Kristiansand kommune", "963296746"), ("Arendal kommune", "864964702")]


def test_a_network_admin_sets_up_a_cohort(people):
    network, programme = digi_agder()
    admin = network_admin(network)
    ingrid = make_person("Ingrid Solberg", "ingrid.solberg@bro.example")
    grant_role(ingrid, network, RoleKind.FACILITATOR)  # she facilitates in other networks too
    first_module = programme.modules.order_by("position").first()
    randi = people.open("Randi")
    page = randi.page

    randi.sign_in_as_admin(admin.email)
    expect(randi.heading(randi.t("Manage %(network)s", network="Digi Agder"))).to_be_visible()
    randi.check()

    # The municipalities that take part.
    for name, number in ORGANISATIONS:
        page.get_by_text(randi.t("Add an organisation")).click()
        adding = page.locator("form", has=randi.button("Add organisation"))
        adding.get_by_label(re.compile(rf"^{randi.t('Name')}")).fill(name)
        adding.get_by_label(re.compile(rf"^{randi.t('Organisation number')}")).fill(number)
        randi.button("Add organisation").click()
        expect(randi.status()).to_contain_text(randi.t("%(name)s is added.", name=name))
    table = page.get_by_role("table", name=randi.t("Organisations"))
    for name, _number in ORGANISATIONS:
        expect(table.get_by_role("link", name=name)).to_be_visible()
    randi.check()

    # A new facilitator gets an invitation by email.
    invitation = page.locator("form", has=randi.button("Send invitation"))
    invitation.get_by_label(re.compile(rf"^{randi.t('Name')}")).fill("Lars Holm")
    invitation.get_by_label(re.compile(rf"^{randi.t('Email')}")).fill("lars.holm@bro.example")
    invitation.get_by_label(re.compile(rf"^{randi.t('Role')}")).select_option(
        label=randi.t(RoleKind.FACILITATOR.label))
    randi.button("Send invitation").click()
    expect(randi.status()).to_contain_text("lars.holm@bro.example")
    assert "/invitations/" in last_email_to("lars.holm@bro.example").body
    randi.check()

    # A cohort of the standard programme, all four modules.
    randi.link("New cohort").click()
    randi.check()
    randi.field("Programme").select_option(label=programme.name[randi.language])
    randi.field("Name").fill("Kull 2027")
    randi.field("Starts on").fill("2027-01-11")
    expect(page.get_by_role("checkbox", checked=True)).to_have_count(4)
    randi.button("Create cohort").click()
    expect(randi.heading("Kull 2027")).to_be_visible()
    randi.check()

    # The first module's dates and its gathering.
    module_title = first_module.title[randi.language]
    randi.link_for("Change dates and gathering", module_title).click()
    randi.check()
    randi.field("Pre-work opens").fill("2027-01-11")
    randi.field("Date of the gathering").fill("2027-02-17")
    randi.field("Starts at").fill("09:00")
    randi.field("Ends at").fill("15:30")
    randi.field("Place").fill("Clarion Hotel Ernst, Kristiansand")
    randi.field("Post-work due").fill("2027-04-07")
    randi.button("Save").click()
    expect(randi.status()).to_contain_text(
        randi.t("The dates of %(module)s are saved.", module=module_title))
    expect(page.get_by_text("Clarion Hotel Ernst, Kristiansand")).to_be_visible()

    # Who takes part: both municipalities and Ingrid as facilitator.
    randi.link("Who takes part").click()
    randi.check()
    for name, _number in ORGANISATIONS:
        page.get_by_role("checkbox", name=name).check()
    page.get_by_role("checkbox", name=re.compile("Ingrid Solberg")).check()
    randi.button("Save").click()
    expect(randi.status()).to_contain_text("Kull 2027")
    for heading, name in [("Organisations", ORGANISATIONS[0][0]),
                          ("Organisations", ORGANISATIONS[1][0]),
                          ("Facilitators", "Ingrid Solberg")]:
        card = page.get_by_role("region", name=randi.t(heading))
        expect(card.get_by_role("listitem").filter(has_text=name)).to_be_visible()
    randi.check()
    # Randi's sign-in code and Lars's invitation; adding Ingrid to a cohort sends nothing.
    assert [message.to for message in mail.outbox] == [[admin.email], ["lars.holm@bro.example"]]

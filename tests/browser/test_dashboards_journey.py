"""Journey 7 (issue 15): each role lands on what needs them now. The network admin sees the
cohort, the next gathering, the open round with how many have submitted and the groups ×
modules heatmap; the facilitator goes from the next gathering to its gathering screen in one
click, where two groups of the same name are told apart and long names are written whole; a
coordinator on her phone sees her groups' progress as bars and who has not accepted the
invitation yet; platform staff land on every network's overview, not in the Django admin."""

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cohorts import services as cohort_services
from cohorts.schedule import local_datetime
from modules.models import ActivityCompletion
from programmes.models import Activity
from tenancy.models import RoleKind
from tenancy.services import create_invitation, grant_role
from tests.browser.people import PHONE
from tests.browser.worlds import running_cohort
from tests.factories import TOTP_SECRET, make_group, make_organisation, make_person, with_mfa

pytestmark = pytest.mark.browser

GROUP = "Kommunedirektørens ledergruppe"


def network_in_its_first_month():
    """Digi Agder with four municipalities' groups (two called alike), a gathering in two
    weeks, three leaders of Kristiansand who answered and have done part of the pre-work,
    two leaders of Grimstad still invited, and the network's own accent colour."""
    world = running_cohort()
    world.network.accent_colour = "#00594f"
    world.network.save(update_fields=["accent_colour"])
    world.admin.language = "en"  # the README's pictures are in English
    world.admin.save(update_fields=["language"])
    groups = [world.group]
    for municipality, name in [("Grimstad kommune", GROUP), ("Arendal kommune",
                                "Rådmannens ledergruppe"), ("Lillesand kommune", "Ledergruppen")]:
        groups.append(make_group(world.network, make_organisation(world.network, municipality),
                                 name))
    cohort_services.set_participants(
        world.cohort, organisations=[group.organisation for group in groups],
        leader_groups=groups, facilitators=[world.facilitator])
    first = world.cohort.cohort_modules.select_related("module").order_by("position").first()
    day = timezone.localdate() + timedelta(days=14)
    while day.weekday() != 2:  # a Wednesday
        day += timedelta(days=1)
    cohort_services.update_cohort_module(
        first, prework_opens_on=first.prework_opens_on, postwork_due_on=day + timedelta(weeks=8),
        starts_at=local_datetime(day, time(9)), ends_at=local_datetime(day, time(15, 30)),
        place="Clarion Hotel Ernst, Kristiansand")
    prework = list(Activity.objects.filter(phase__module=first.module, phase__kind="prework")
                   .order_by("position"))
    for number, name in enumerate(["Camilla Egeland", "Tor Inge Sødal", "Siri Kvinlaug"]):
        leader = world.leader_who_answered(name, today=2 + number % 2, ambition=4)
        ActivityCompletion.objects.bulk_create([
            ActivityCompletion(network=world.network, cohort=world.cohort, person=leader,
                               activity=activity) for activity in prework[:number + 2]])
    grimstad = groups[1]
    for name in ("Ingvild Tønnessen", "Per Arne Reiersen"):
        person = make_person(name, f"{name.split()[0].lower()}@grimstad.example")
        grant_role(person, world.network, RoleKind.LEADER, leader_group=grimstad)
        create_invitation(world.network, email=person.email, name=name, kind=RoleKind.LEADER,
                          invited_by=world.admin, language="nb",
                          organisation=grimstad.organisation, leader_group=grimstad)
    coordinator = make_person("Ragnhild Berge", "ragnhild.berge@grimstad.example",
                              language="en")
    grant_role(coordinator, world.network, RoleKind.COORDINATOR,
               organisation=grimstad.organisation)
    return world, coordinator


def test_each_role_lands_on_what_needs_them_now(people):
    world, coordinator = network_in_its_first_month()

    randi = people.open("Randi")
    randi.sign_in_as_admin(world.admin.email)
    expect(randi.heading(randi.t("Manage %(network)s", network="Digi Agder"))).to_be_visible()
    submitted = randi.tn("%(counter)s of %(leaders)s leaders has submitted",
                         "%(counter)s of %(leaders)s leaders have submitted", 3, leaders=5)
    expect(randi.page.get_by_text(submitted)).to_be_visible()
    heatmap = randi.page.locator("table.heatmap")
    expect(heatmap.get_by_role("row").filter(has_text="Kristiansand kommune")).to_contain_text("%")
    randi.check()
    randi.screenshot("admin-dashboard", full_page=False)

    ingrid = people.open("Ingrid")
    ingrid.sign_in(world.facilitator.email)
    expect(ingrid.page.get_by_text(ingrid.t("Your next gathering"))).to_be_visible()
    ingrid.check()
    ingrid.screenshot("facilitator-dashboard", full_page=False)
    ingrid.page.get_by_role("link", name=re.compile(
        rf"^{re.escape(ingrid.t('Gathering screen'))}\W+{world.round.name}\W*$")).click()
    expect(ingrid.button("Full screen")).to_be_visible()  # gathering.js offers it
    ingrid.page.keyboard.press("ArrowRight")
    expect(ingrid.page).to_have_url(re.compile(r"\?d=1$"))
    chart = ingrid.page.locator(".gathering__live svg.chart-svg")
    expect(chart).to_contain_text("Kristiansand kommune:")
    expect(chart).to_contain_text("Grimstad kommune:")
    expect(chart).not_to_contain_text("…")
    ingrid.check()
    ingrid.screenshot("gathering-screen", full_page=False)

    ragnhild = people.open("Ragnhild", viewport=PHONE)
    ragnhild.sign_in(coordinator.email)
    expect(ragnhild.heading("Grimstad kommune")).to_be_visible()
    expect(ragnhild.page.get_by_text(ragnhild.tn(
        "%(counter)s has not accepted the invitation yet",
        "%(counter)s have not accepted the invitation yet", 2))).to_be_visible()
    expect(ragnhild.page.get_by_text(ragnhild.t("Invited, not yet accepted"))).to_have_count(2)
    ragnhild.check()
    ragnhild.screenshot("coordinator-dashboard-phone", full_page=False)

    staff = with_mfa(make_person("Platform Staff", "platform@bro.example", is_staff=True,
                                   language="en"))
    platform = people.open("Platform")
    platform.sign_in(staff.email, totp_secret=TOTP_SECRET)
    expect(platform.heading(platform.t("All networks"))).to_be_visible()
    expect(platform.page.get_by_role("row").filter(has_text="Digi Agder")).to_be_visible()
    platform.check()
    platform.link("Design language: the components").click()
    expect(platform.heading("Design language")).to_be_visible()
    platform.check()
    platform.screenshot("design-components")

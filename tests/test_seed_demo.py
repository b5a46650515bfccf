"""seed_demo loads the demo of every installed app; loading it again changes nothing."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from tenancy.models import Network, Person, Role, RoleKind
from tests.factories import current_totp_code, sign_in_with_code

pytestmark = pytest.mark.django_db


def row_counts():
    """Rows in every table of every installed model, many-to-many tables included."""
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (a model's table)
            counts[table] = cursor.fetchone()[0]
    return counts


def test_seeding_twice_changes_nothing(demo):
    first = row_counts()
    assert first["tenancy_network"] == 2
    call_command("seed_demo", stdout=io.StringIO())
    assert row_counts() == first


def test_every_app_with_a_seeder_left_rows(demo):
    counts = row_counts()
    for config in apps.get_app_configs():
        if config.name.startswith(("django.", "allauth")):
            continue
        try:
            __import__(f"{config.name}.demo")
        except ModuleNotFoundError:
            continue
        tables = [m._meta.db_table for m in config.get_models()]
        assert any(counts[table] for table in tables), config.name


def test_the_demo_prints_its_sign_ins(demo):
    assert "randi.kvale@digi-agder.example" in demo
    assert "ingrid.solberg@bro.example" in demo
    assert "bro-demo-2026" in demo


def test_the_demo_facilitator_works_in_both_networks(client, demo):
    ingrid = Person.objects.get(email="ingrid.solberg@bro.example")
    agder, syddanmark = (Network.objects.get(slug=slug)
                         for slug in ("digi-agder", "digi-syddanmark"))
    for network in (agder, syddanmark):
        assert Role.objects.for_network(network).filter(
            person=ingrid, kind=RoleKind.FACILITATOR).exists()

    first = sign_in_with_code(client, ingrid.email)
    assert first.resolver_match.url_name == "network_choice"
    for network in (agder, syddanmark):
        client.get(reverse("network_home", args=[network.slug]), follow=True)
        client.post(reverse("account_logout"))
        landing = sign_in_with_code(client, ingrid.email)
        assert landing.resolver_match.url_name == "facilitator_home"
        assert landing.request["PATH_INFO"].startswith(f"/n/{network.slug}/")


def test_demo_admins_sign_in_with_the_printed_totp(client, demo):
    from tenancy.demo import DEMO_TOTP_SECRET
    from tenancy.management.commands.demo_totp import Command

    landing = sign_in_with_code(client, "randi.kvale@digi-agder.example")
    assert landing.resolver_match.url_name == "mfa_authenticate"
    expected = current_totp_code(DEMO_TOTP_SECRET)  # waits out the end of a 30-second step
    output = io.StringIO()
    call_command(Command(), stdout=output)
    code = output.getvalue().strip()
    assert code == expected
    landing = client.post(reverse("mfa_authenticate"), {"code": code}, follow=True)
    assert landing.resolver_match.url_name == "manage_dashboard"


def test_demo_people_can_use_the_demo_password(client, demo):
    landing = client.post(reverse("account_login"), {
        "login": "camilla.egeland@digi-agder.example", "password": "bro-demo-2026"},
        follow=True)
    assert landing.resolver_match.url_name == "leader_home"


def test_the_demo_looks_like_a_real_programme(demo):
    """Gatherings on Tuesday to Thursday from 09:00 to 15:30, rounds opening at 08:00, a logo
    for each network, and round names in the reader's language (issue 15)."""
    from django.utils import timezone, translation

    from assessments.models import Round
    from cohorts.models import Gathering

    gatherings = Gathering.unscoped.filter(network__slug__in=["digi-agder", "digi-syddanmark"])
    assert gatherings.exists()
    for gathering in gatherings:
        starts, ends = (timezone.localtime(moment) for moment in
                        (gathering.starts_at, gathering.ends_at))
        assert starts.isoweekday() in (2, 3, 4), starts
        assert (f"{starts:%H:%M}", f"{ends:%H:%M}") == ("09:00", "15:30")
    rounds = Round.unscoped.all()
    assert rounds.exists()
    for round_ in rounds:
        assert f"{timezone.localtime(round_.opens_at):%H:%M}" == "08:00"
        assert round_.custom_name == ""
        with translation.override("en"):
            assert round_.name == "Assessment at the start"
    for network in Network.objects.all():
        assert network.logo.name.endswith(".svg")
    assert ".venv/bin/python manage.py demo_totp" in demo

"""Staff edit the standard programme on pages: texts per language, audited; nobody else."""

import pytest
from django.conf import settings
from django.urls import reverse

from programmes.models import Activity
from tenancy.audit import AuditEvent, EventKind
from tenancy.scoping import platform_wide
from tests.factories import make_module, make_person, with_mfa

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(with_mfa(make_person(is_staff=True, language="en")))
    return client


def every_language(prefix, text):
    return {f"{prefix}_{code}": f"{text} ({code})" for code, _name in settings.LANGUAGES}


def test_staff_edit_a_modules_texts_in_every_language(staff):
    module = make_module()
    page = staff.get(reverse("staff_programmes")).content.decode()
    assert reverse("staff_programme_module", args=[module.pk]) in page
    saved = staff.post(
        reverse("staff_programme_module", args=[module.pk]),
        {**every_language("title", "Organisasjon"), **every_language("introduction", "Om modulen")},
    )
    assert saved.status_code == 302
    module.refresh_from_db()
    assert module.title == {code: f"Organisasjon ({code})" for code, _ in settings.LANGUAGES}
    with platform_wide():
        event = AuditEvent.objects.get(kind=EventKind.PROGRAMME_CHANGED)
    assert event.details["fields"] == ["title", "introduction"] and event.network_id is None


def test_an_activity_keeps_its_questions_one_per_line_and_a_missing_title_is_refused(staff):
    activity = Activity.objects.filter(phase__module=make_module()).first()
    url = reverse("staff_programme_activity", args=[activity.pk])
    data = {
        **every_language("title", "Refleksjon"),
        **every_language("instructions", "Gjør"),
        **{f"questions_{code}": "Hva?\n\nHvorfor?" for code, _ in settings.LANGUAGES},
        "duration_minutes": 15,
    }
    staff.post(url, data)
    activity.refresh_from_db()
    assert activity.questions["en"] == ["Hva?", "Hvorfor?"] and activity.duration_minutes == 15
    refused = staff.post(url, {**data, "title_en": ""})
    assert refused.status_code == 200 and "This field is required." in refused.content.decode()
    activity.refresh_from_db()
    assert activity.title["en"] == "Refleksjon (en)"


def test_saving_nothing_new_records_nothing(staff):
    module = make_module()
    data = {**every_language("title", "Same"), **every_language("introduction", "")}
    staff.post(reverse("staff_programme_module", args=[module.pk]), data)
    staff.post(reverse("staff_programme_module", args=[module.pk]), data)
    with platform_wide():
        assert AuditEvent.objects.filter(kind=EventKind.PROGRAMME_CHANGED).count() == 1


@pytest.mark.parametrize("role", ["leader", "coordinator", "facilitator", "admin"])
def test_nobody_else_reaches_them(client, world, role):
    module = make_module()
    phase = module.phases.first()
    client.force_login(with_mfa(world.person(role)))
    for url in (
        reverse("staff_programmes"),
        reverse("staff_programme_module", args=[module.pk]),
        reverse("staff_programme_phase", args=[phase.pk]),
        reverse("staff_programme_activity", args=[phase.activities.first().pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, every_language("title", "x")).status_code == 404


def test_staff_tag_an_activity_with_dimensions_and_it_is_audited(staff):
    from tests.factories import build_instrument

    instrument = build_instrument()
    dimension = instrument.dimensions.first()
    tag = f"{instrument.slug}:{dimension.code}"
    activity = Activity.objects.filter(phase__module=make_module()).first()
    url = reverse("staff_programme_activity", args=[activity.pk])
    page = staff.get(url).content.decode()
    assert f'value="{tag}"' in page
    data = {**every_language("title", "Refleksjon"), "duration_minutes": 10,
            "dimension_tags": [tag]}
    assert staff.post(url, data).status_code == 302
    activity.refresh_from_db()
    assert activity.dimension_tags == [tag]
    assert staff.post(url, {**data, "dimension_tags": ["nowhere:x"]}).status_code == 200
    with platform_wide():
        event = AuditEvent.objects.filter(kind=EventKind.PROGRAMME_CHANGED).latest("at")
    assert "dimension_tags" in event.details["fields"]

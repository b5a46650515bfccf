"""Reflections: saved as the leader types (htmx) or with the Save button, and readable by
their author only: never by coordinators, facilitators, admins, staff or other leaders."""

import pytest
from django.urls import reverse

from modules.models import Reflection
from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.factories import journey_activity, make_journey, make_person, with_mfa

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]


SECRET = "Jeg tror ikke ledergruppen vår er klar for dette."


@pytest.fixture
def journey(world):
    cohort_module = make_journey(world)
    cohort_module.cohort.facilitators.add(world.facilitator)
    return cohort_module


def urls(world, cohort_module):
    kwargs = {"network_slug": world.network.slug, "cohort_module_id": cohort_module.pk,
              "reflection_activity_id": journey_activity(world, "reflection").pk}
    return reverse("reflection", kwargs=kwargs), reverse("reflection_save", kwargs=kwargs)


def stored(world):
    return Reflection.objects.for_network(world.network).get(person=world.leader)


def test_the_page_shows_the_questions_and_an_autosaving_textarea(client, world, journey):
    page_url, save_url = urls(world, journey)
    client.force_login(world.leader)
    page = client.get(page_url).content.decode()
    assert "What?" in page
    assert f'hx-post="{save_url}"' in page
    assert 'hx-trigger="keyup changed delay:1s' in page
    assert 'id="reflection-status"' in page and 'aria-live="polite"' in page
    assert '<button type="submit">Save</button>' in page


def test_autosave_stores_the_text_and_says_when(client, world, journey):
    page_url, save_url = urls(world, journey)
    client.force_login(world.leader)
    response = client.post(save_url, {"text": "Første tanke"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.content.decode().strip().startswith("Saved at ")
    client.post(save_url, {"text": "Første tanke, og en til"}, headers={"HX-Request": "true"})
    assert stored(world).text == "Første tanke, og en til"
    assert Reflection.objects.for_network(world.network).count() == 1
    page = client.get(page_url).content.decode()
    assert "Første tanke, og en til</textarea>" in page
    assert "Saved at " in page


def test_the_save_button_works_without_javascript(client, world, journey):
    page_url, _save_url = urls(world, journey)
    client.force_login(world.leader)
    response = client.post(page_url, {"text": SECRET}, follow=True)
    assert response.redirect_chain[-1][0] == page_url
    assert "Your reflection is saved." in response.content.decode()
    assert stored(world).text == SECRET


@pytest.mark.parametrize("role", ["coordinator", "facilitator", "admin"])
def test_nobody_else_in_the_network_can_open_or_write_it(client, world, journey, role):
    page_url, save_url = urls(world, journey)
    client.force_login(world.leader)
    client.post(page_url, {"text": SECRET})
    client.force_login(world.person(role))
    assert client.get(page_url).status_code == 404
    assert client.post(save_url, {"text": "overwritten"}).status_code == 404
    assert client.post(page_url, {"text": "overwritten"}).status_code == 404
    assert stored(world).text == SECRET


def test_platform_staff_cannot_read_it_either(client, world, journey):
    page_url, _save_url = urls(world, journey)
    client.force_login(world.leader)
    client.post(page_url, {"text": SECRET})
    staff = with_mfa(make_person(is_staff=True))
    client.force_login(staff)
    assert client.get(page_url).status_code == 404


def test_another_leader_sees_only_their_own_empty_answer(client, world, journey):
    page_url, save_url = urls(world, journey)
    client.force_login(world.leader)
    client.post(page_url, {"text": SECRET})
    colleague = make_person()
    grant_role(colleague, world.network, RoleKind.LEADER, leader_group=world.group)
    client.force_login(colleague)
    page = client.get(page_url).content.decode()
    assert SECRET not in page
    client.post(save_url, {"text": "Min egen"}, headers={"HX-Request": "true"})
    assert stored(world).text == SECRET


def test_a_leader_outside_the_cohort_gets_404(client, world, journey):
    from tests.factories import make_group

    page_url, save_url = urls(world, journey)
    outsider = make_person()
    grant_role(outsider, world.network, RoleKind.LEADER,
               leader_group=make_group(world.network, world.organisation))
    client.force_login(outsider)
    assert client.get(page_url).status_code == 404
    assert client.post(save_url, {"text": "x"}).status_code == 404


def test_the_text_appears_on_no_page_of_the_group_or_the_people_who_follow_it(client, world,
                                                                              journey):
    page_url, _save_url = urls(world, journey)
    client.force_login(world.leader)
    client.post(page_url, {"text": SECRET})
    pages = [reverse("group_work", kwargs={"network_slug": world.network.slug,
                                           "group_id": world.group.pk}),
             reverse("leader_group_detail", kwargs={"network_slug": world.network.slug,
                                                    "group_id": world.group.pk})]
    for role in ("leader", "coordinator", "facilitator", "admin"):
        client.force_login(world.person(role))
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            assert SECRET not in response.content.decode(), (role, url)
    client.force_login(world.leader)
    module = reverse("module_detail", kwargs={"network_slug": world.network.slug,
                                              "cohort_module_id": journey.pk})
    assert SECRET not in client.get(module).content.decode()


NUL_MESSAGE = "The text contains a NUL character"


def test_a_refused_autosave_says_why_and_never_saved(client, world, journey):
    page_url, save_url = urls(world, journey)
    client.force_login(world.leader)
    client.post(save_url, {"text": SECRET}, headers={"HX-Request": "true"})
    too_long = client.post(save_url, {"text": "x" * 20001}, headers={"HX-Request": "true"})
    assert too_long.status_code == 400
    status = too_long.content.decode().strip()
    assert status.startswith("Not saved:") and "at most 20000 characters" in status
    assert "Your text is still here." in status and "Saved at" not in status
    with_nul = client.post(save_url, {"text": "Første\x00tanke"}, headers={"HX-Request": "true"})
    assert with_nul.status_code == 400
    status = with_nul.content.decode()
    assert NUL_MESSAGE in status and "not allowed" in status and "too long" not in status
    assert stored(world).text == SECRET  # the last saved text, untouched


@pytest.mark.parametrize("text", ["x" * 20001, "Første\x00tanke"])
def test_a_refused_save_without_javascript_keeps_the_text_and_does_not_say_saved(
        client, world, journey, text):
    page_url, save_url = urls(world, journey)
    client.force_login(world.leader)
    client.post(page_url, {"text": SECRET}, follow=True)
    for target in (page_url, save_url):
        response = client.post(target, {"text": text})
        assert response.status_code == 400
        assert response.context["form"]["text"].value() == text  # still in the field
        page = response.content.decode()
        assert "Not saved: your text is still here." in page
        assert "Saved at" not in page and "Your reflection is saved." not in page
    assert stored(world).text == SECRET

"""The demo's progress: the demo sign-in leaders start nearly fresh, their colleagues have
done some work, one group has decided initiatives and shares one."""


import pytest
from django.urls import reverse

from modules.models import ActivityCompletion, GroupTaskAnswer, Initiative, Reflection
from tenancy.models import Network, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def agder(demo, db):
    return Network.objects.get(slug="digi-agder")


def test_camilla_has_two_activities_done_and_no_reflection(agder):
    camilla = Person.objects.get(email="camilla.egeland@digi-agder.example")
    assert ActivityCompletion.objects.for_network(agder).filter(person=camilla).count() == 2
    assert not Reflection.objects.for_network(agder).filter(person=camilla).exists()
    mette = Person.objects.get(email="mette.juul.frederiksen@digi-syddanmark.example")
    assert not ActivityCompletion.unscoped.filter(person=mette).exists()  # across networks


def test_the_demo_has_group_work_to_look_at(agder, client):
    answer = GroupTaskAnswer.objects.for_network(agder).get()
    assert answer.revisions.count() == 2
    assert Reflection.objects.for_network(agder).count() == 2
    shared = Initiative.objects.for_network(agder).filter(shared_with_network=True)
    assert shared.count() == 1
    client.force_login(Person.objects.get(email="camilla.egeland@digi-agder.example"))
    page = client.get(reverse("leader_home", kwargs={"network_slug": agder.slug}))
    assert page.status_code == 200
    journey = page.context["journeys"][0]
    assert journey.current_modules[0].state == "prework"
    assert journey.done_count == 2

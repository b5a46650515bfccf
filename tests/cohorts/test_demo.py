"""The demo's cohorts: one per network with its first module in pre-work today, last year's
cohort in Digi Agder, and seeding twice changes nothing."""

import io
from datetime import time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cohorts.models import Cohort, CohortModule, Gathering
from cohorts.schedule import local_zone
from tenancy.models import LeaderGroup, Network, Organisation

pytestmark = pytest.mark.django_db


def test_the_demo_runs_a_cohort_in_each_network_and_seeding_twice_changes_nothing(demo):
    counts = (Cohort.unscoped.count(), CohortModule.unscoped.count(), Gathering.unscoped.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Cohort.unscoped.count(), CohortModule.unscoped.count(),
            Gathering.unscoped.count()) == counts

    today = timezone.localdate()
    for slug, name, venue in [("digi-agder", "Kompetanseløft 2026", "Clarion Hotel Ernst"),
                              ("digi-syddanmark", "Kompetenceløft 2026", "Comwell Kolding")]:
        network = Network.objects.get(slug=slug)
        cohort = Cohort.objects.for_network(network).get(name=name)
        modules = list(cohort.cohort_modules.select_related("gathering").order_by("position"))
        assert len(modules) == 4
        first = modules[0]
        starts = first.gathering.starts_at.astimezone(local_zone())
        ends = first.gathering.ends_at.astimezone(local_zone())
        # the first Tuesday, Wednesday or Thursday ten days from now or later (issue 15)
        assert today + timedelta(days=10) <= starts.date() <= today + timedelta(days=14)
        assert starts.isoweekday() in (2, 3, 4)
        assert first.prework_opens_on == starts.date() - timedelta(days=24) <= today
        assert (starts.time(), ends.time()) == (time(9), time(15, 30))
        assert venue in first.gathering.place and first.gathering.agenda
        assert modules[1].prework_opens_on - first.prework_opens_on >= timedelta(weeks=12)
        assert set(cohort.leader_groups.all()) == set(LeaderGroup.objects.for_network(network))
        assert set(cohort.organisations.all()) == set(
            Organisation.objects.for_network(network))
        assert cohort.facilitators.filter(email="ingrid.solberg@bro.example").exists()

    agder = Network.objects.get(slug="digi-agder")
    past = Cohort.objects.for_network(agder).get(name="Kompetanseløft 2025")
    assert past.starts_on < today - timedelta(weeks=50)
    assert past.cohort_modules.count() == 4

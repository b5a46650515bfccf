"""The group's and the network's part of a leader's own results page is made once per
released block and shared by the group's leaders (issue 11): it must hold released numbers
only, never anyone's own answers."""

import pickle
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from assessments.models import ReleasedBlock
from assessments.results import selectors
from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.factories import build_round, build_submission, make_group, make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]

ROW = re.compile(r'<tr><th scope="row">([^<]*)</th><td>([^<]*)</td><td>([^<]*)</td>(.*?)</tr>')


def at(minutes):
    return timezone.now() - timedelta(hours=2) + timedelta(minutes=minutes)


def own_results(client, world, round, person):
    client.force_login(person)
    url = reverse("assessment_results",
                  kwargs={"network_slug": world.network.slug, "round_id": round.pk})
    page = client.get(url).content.decode()
    table = page[page.index('<table class="results-compare">'):]
    return {name: (today, ambition, shared)
            for name, today, ambition, shared in ROW.findall(table[:table.index("</table>")])}


def shared_entry(world, round, group):
    """What the cache holds for the group's leaders (the key as the view makes it)."""
    round.last_block = (ReleasedBlock.objects.for_network(world.network)
                        .filter(round=round).order_by("-pk").values_list("pk", flat=True)
                        .first() or 0)
    return cache.get(selectors.together_key(world.network, round, group.pk, "en"))


def test_two_leaders_of_a_group_share_the_part_and_each_sees_only_their_own(client, world):
    round = build_round(world)
    other = make_person()
    other.language = "en"
    other.save(update_fields=["language"])
    grant_role(other, world.network, RoleKind.LEADER, leader_group=world.group)
    build_submission(round, person=world.leader, group=world.group, submitted_at=at(0),
                     scores={"vision": (1, 2)})
    build_submission(round, person=other, group=world.group, submitted_at=at(1),
                     scores={"vision": (4.5, 1.5)})
    for minute in range(3):
        build_submission(round, group=world.group, submitted_at=at(2 + minute),
                         scores={"vision": (3, 5)})
    cache.clear()

    mine = own_results(client, world, round, world.leader)
    entry = shared_entry(world, round, world.group)
    theirs = own_results(client, world, round, other)
    assert shared_entry(world, round, world.group) == entry  # made once, then read

    vision = "vision"
    assert mine[vision][:2] == ("1.0", "2.0") and theirs[vision][:2] == ("4.5", "1.5")
    # the group's and the network's cells are the same for both: (1+4.5+9)/5, (2+1.5+15)/5
    assert mine[vision][2] == theirs[vision][2] == entry[1].cells[0]
    assert "<td>2.9</td><td>3.7</td><td>5</td>" in mine[vision][2]
    text = pickle.dumps(entry).decode("latin-1")
    for value in ("1.0", "2.0", "4.5", "1.5"):  # nobody's own numbers are kept
        assert f">{value}<" not in text


def test_a_shared_part_holds_no_value_that_is_not_released(client, world):
    """Attack: a group below k next to a released network. The leader of the small group
    opens their page first; what the cache keeps for their group must not hint at their
    (or their group's) answers: only the other group's released block is in it."""
    round = build_round(world)
    released = make_group(world.network, world.organisation, name="Released group")
    round.cohort.leader_groups.add(released)
    for minute in range(5):  # the network's first block: this group alone
        build_submission(round, group=released, submitted_at=at(minute),
                         scores={"vision": (3, 5)})
    build_submission(round, person=world.leader, group=world.group, submitted_at=at(10),
                     scores={"vision": (1.5, 2.5)})
    for minute in range(3):  # the leader's group: 4 of k = 5, nothing released
        build_submission(round, group=world.group, submitted_at=at(11 + minute),
                         scores={"vision": (1.5, 2.5)})
    cache.clear()

    page = own_results(client, world, round, world.leader)
    entry = shared_entry(world, round, world.group)[1]
    assert not entry.group_shown and entry.network_shown and entry.group_gaps == ()
    kept = set(re.findall(r"<td>([^<]*)</td>", "".join(entry.cells) + entry.charts))
    assert kept <= {"not shown", "", "–", "3.0", "5.0", "5", "+2.0", "2.0"}, str(sorted(kept))
    vision = "vision"
    assert page[vision][:2] == ("1.5", "2.5")  # the leader's own, outside the shared part

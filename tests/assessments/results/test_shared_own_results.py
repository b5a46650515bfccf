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
from assessments.results.live import forget_held_parts
from tenancy.models import RoleKind
from tenancy.services import grant_role
from tests.factories import build_round, build_submission, make_group, make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_speakers")]

ROW = re.compile(r'<tr><th scope="row">([^<]*)</th><td>([^<]*)</td><td>([^<]*)</td>(.*?)</tr>')


def at(minutes):
    return timezone.now() - timedelta(hours=2) + timedelta(minutes=minutes)


def own_results(client, world, round, person=None):
    if person is not None:
        client.force_login(person)
    url = reverse("assessment_results",
                  kwargs={"network_slug": world.network.slug, "round_id": round.pk})
    page = client.get(url).content.decode()
    table = page[page.index('<table class="results-compare">'):]
    return {name: (today, ambition, shared)
            for name, today, ambition, shared in ROW.findall(table[:table.index("</table>")])}


def shared_entries(world, round, person):
    """What the cache holds for the person's page: the network's part and their group's (the
    keys as the view makes them)."""
    from assessments.models import Response

    round.last_block = (ReleasedBlock.objects.for_network(world.network)
                        .filter(round=round).order_by("-pk").values_list("pk", flat=True)
                        .first() or 0)
    own = selectors.own_results(world.network, person, round,
                                selectors.instrument_dimensions(round.instrument))
    group_id = (Response.objects.for_network(world.network)
                .get(round=round, person=person).leader_group_id)
    return [cache.get(key) for key in selectors.together_keys(world.network, round, own,
                                                              group_id, "en")]


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
    forget_held_parts()

    mine = own_results(client, world, round, world.leader)
    entries = shared_entries(world, round, world.leader)
    theirs = own_results(client, world, round, other)
    assert shared_entries(world, round, other) == entries  # the same keys: made once, read
    assert all(entry is not None for entry in entries)

    vision = "vision"
    assert mine[vision][:2] == ("1.0", "2.0") and theirs[vision][:2] == ("4.5", "1.5")
    # the group's and the network's cells are the same for both: (1+4.5+9)/5, (2+1.5+15)/5
    network, group = (entry[1] for entry in entries)
    assert mine[vision][2] == theirs[vision][2] == group.cells[0] + network.cells[0]
    assert "<td>2.9</td><td>3.7</td><td>5</td>" in mine[vision][2]
    text = pickle.dumps(entries).decode("latin-1")
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
    forget_held_parts()

    page = own_results(client, world, round, world.leader)
    network, group = (entry[1] for entry in shared_entries(world, round, world.leader))
    assert not group.shown and network.shown and group.gaps == () and group.chart == ""
    kept = set(re.findall(r"<td>([^<]*)</td>", "".join(group.cells + network.cells)
                          + network.chart))
    assert kept <= {"not shown", "", "–", "3.0", "5.0", "5", "+2.0", "2.0"}, str(sorted(kept))
    vision = "vision"
    assert page[vision][:2] == ("1.5", "2.5")  # the leader's own, outside the shared part


def test_a_block_of_another_group_renews_the_network_part_alone(
        client, world, django_assert_num_queries):
    round = build_round(world)
    build_submission(round, person=world.leader, group=world.group, submitted_at=at(0),
                     scores={"vision": (3, 5)})
    for minute in range(4):
        build_submission(round, group=world.group, submitted_at=at(1 + minute),
                         scores={"vision": (3, 5)})
    before = own_results(client, world, round, world.leader)["vision"][2]
    assert before == "<td>3.0</td><td>5.0</td><td>5</td>" * 2
    other = make_group(world.network, world.organisation, name="Other group")
    round.cohort.leader_groups.add(other)
    for minute in range(5):
        build_submission(round, group=other, submitted_at=at(10 + minute),
                         scores={"vision": (1, 2)})
    with django_assert_num_queries(8):  # the network's released totals, the group's kept
        after = own_results(client, world, round)["vision"][2]
    assert after == "<td>3.0</td><td>5.0</td><td>5</td><td>2.0</td><td>3.5</td><td>10</td>"

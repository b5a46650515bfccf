"""Every URL under /n/<network_slug>/, with ids to fill in, found by walking the URLconf.

OBJECTS names, for every URL argument that identifies an object, how to get such an object
from a NetworkWorld (tests/factories.py). A view with an argument missing here makes the
tenant probe fail, so a new view cannot escape it unnoticed.
"""

from django.urls import get_resolver

from assessments.personal.services import start_personal_round
from tests.factories import (
    build_round,
    journey_activity,
    make_cohort_message,
    make_initiative,
    make_network_resource,
    make_own_activity,
    make_poll,
    make_report,
    with_captions,
    world_cohort,
    world_cohort_module,
    world_gathering,
    world_invitation,
    world_leader_role,
)

OBJECTS = {
    "organisation_id": lambda world: world.organisation.pk,
    "group_id": lambda world: world.group.pk,
    "step": lambda world: 1,  # the page of the leader's test (1 = first dimension)
    "round_id": lambda world: build_round(world).pk,
    "personal_round_id": lambda world: start_personal_round(
        world.network, world.leader, build_round(world).instrument.slug).pk,
    "cohort_id": lambda world: world_cohort(world).pk,
    "cohort_module_id": lambda world: world_cohort_module(world).pk,
    "gathering_id": lambda world: world_gathering(world).pk,
    "leader_role_id": lambda world: world_leader_role(world).pk,
    "resource_id": lambda world: with_captions(make_network_resource(world)).pk,
    "activity_id": lambda world: journey_activity(world, "video").pk,
    "reflection_activity_id": lambda world: journey_activity(world, "reflection").pk,
    "task_activity_id": lambda world: journey_activity(world, "group_task").pk,
    "own_activity_id": lambda world: make_own_activity(world).pk,
    "initiative_id": lambda world: make_initiative(world).pk,
    "report_id": lambda world: make_report(world).pk,
    "invitation_id": lambda world: world_invitation(world).pk,
    "poll_id": lambda world: make_poll(world).pk,
    "message_id": lambda world: make_cohort_message(world).pk,
}


def network_url_names():
    """(name, argument names) of every named URL that lives inside a network."""
    found = []
    for name, entries in get_resolver().reverse_dict.lists():
        if not isinstance(name, str):
            continue
        for possibilities, _pattern, _defaults, _converters in entries:
            for _format, params in possibilities:
                if "network_slug" in params:
                    found.append((name, tuple(p for p in params if p != "network_slug")))
    return sorted(set(found))

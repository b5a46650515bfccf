import pytest

from modules import services as module_services
from tests.factories import journey_activity, make_journey


@pytest.fixture
def leader_work(world):
    """The world's leader's own work in a module: a reflection, an activity done, a version of
    the group's answer and the group's ambition; and another leader's later version."""
    cohort_module = make_journey(world)
    cohort, network = cohort_module.cohort, world.network
    reflection = journey_activity(world, "reflection")
    task = journey_activity(world, "group_task")
    module_services.save_reflection(
        network, cohort, world.leader, reflection, "My own thoughts on leading change"
    )
    module_services.set_activity_done(
        network, cohort, world.leader, journey_activity(world, "video"), True
    )
    module_services.save_group_task_answer(
        network, cohort, world.group, task, world.leader, "Our barriers: silos", 0
    )
    module_services.save_ambition(
        network,
        cohort,
        world.group,
        cohort_module.module,
        world.leader,
        "Generation 3 by next year",
    )
    return cohort_module

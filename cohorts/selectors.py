from cohorts.models import Cohort
from tenancy.models import LeaderGroup, RoleKind


def cohorts_facilitated_by(network, roles):
    """The network's cohorts a person facilitates (none unless they hold the facilitator role)."""
    facilitators = [r.person_id for r in roles if r.kind == RoleKind.FACILITATOR]
    return Cohort.objects.for_network(network).filter(facilitators__in=facilitators).distinct()


def leader_group_ids_facilitated_by(network, roles):
    return LeaderGroup.objects.for_network(network).filter(
        cohorts__in=cohorts_facilitated_by(network, roles)).values_list("pk", flat=True)

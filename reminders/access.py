"""Look-ups for the reminders pages (pattern: tenancy/access.py): 404 for missing and
forbidden alike."""

from cohorts.policies import cohorts_person_can_configure
from tenancy.access import get_or_404


def access_cohort_to_oversee(request, cohort_id):
    """A cohort of the current network, for its network admins."""
    return get_or_404(cohorts_person_can_configure(request.network, request.roles), cohort_id)

"""Look-ups for the reminders pages (pattern: tenancy/access.py): 404 for missing and
forbidden alike."""

from django.http import Http404

from cohorts.models import Cohort
from tenancy.access import require_role
from tenancy.models import RoleKind


def access_cohort_to_oversee(request, cohort_id):
    """A cohort of the current network, for its network admins."""
    require_role(request, RoleKind.NETWORK_ADMIN)
    try:
        return Cohort.objects.for_network(request.network).get(pk=cohort_id)
    except (Cohort.DoesNotExist, ValueError, TypeError):
        raise Http404 from None

"""Resources inside the request's network (404 for missing and forbidden alike)."""

from resources import policies
from tenancy.access import get_or_404


def access_resource(request, resource_id):
    """A resource of the shared library or of this network."""
    return get_or_404(policies.resources_person_can_see(request.network), resource_id)


def access_resource_to_manage(request, resource_id):
    """One of the network's own resources, for its network admins."""
    return get_or_404(policies.resources_person_can_manage(request.network, request.roles),
                      resource_id)

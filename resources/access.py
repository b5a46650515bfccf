"""Resources inside the request's network (404 for missing and forbidden alike)."""

from django.http import Http404

from resources.models import Resource
from tenancy.access import require_role
from tenancy.models import RoleKind


def access_resource(request, resource_id):
    """A resource of the shared library or of this network."""
    try:
        return Resource.objects.shared_or_of_network(request.network).get(pk=resource_id)
    except (Resource.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_resource_to_manage(request, resource_id):
    """One of the network's own resources, for its network admins."""
    require_role(request, RoleKind.NETWORK_ADMIN)
    resource = access_resource(request, resource_id)
    if resource.network_id != request.network.pk:
        raise Http404
    return resource

"""Who may see and change which resources (querysets, in the manner of tenancy.policies)."""

from resources.models import Resource


def resources_person_can_see(network):
    """The shared library and the network's own resources: everyone in the network."""
    return Resource.objects.for_network(network)


def resources_person_can_manage(network, roles):
    """The network's own resources, for its network admins (never the shared library)."""
    resources = Resource.objects.for_network(network).filter(network=network)
    return resources if roles.is_admin else resources.none()

"""Who may see and change which resources (querysets, in the manner of tenancy.policies)."""

from resources.models import Resource


def resources_person_can_see(network):
    """The shared library and the network's own resources: everyone in the network."""
    return Resource.objects.shared_or_of_network(network)


def resources_person_can_manage(network, roles):
    """The network's own resources, for its network admins (never the shared library)."""
    resources = Resource.objects.of_network(network)
    return resources if roles.is_admin else resources.none()

"""Who may see and change which resources (querysets, in the manner of tenancy.policies)."""

from resources.models import Resource


def resources_person_can_see(network):
    """The shared library and the network's own resources: everyone in the network."""
    return Resource.objects.shared_or_of_network(network)


def person_can_add_resources(roles):
    """Network admins add to and change their network's own resources; nobody else."""
    return roles.is_admin


def resources_person_can_manage(network, roles):
    """The network's own resources, for those who may add them (never the shared library)."""
    resources = Resource.objects.of_network(network)
    return resources if person_can_add_resources(roles) else resources.none()

from django.conf import settings


def navigation(request):
    """What the base layout needs: the current network, the person's roles, the languages."""
    roles = getattr(request, "roles", None)
    return {
        "current_network": getattr(request, "network", None),
        "current_role_kinds": roles.kinds if roles is not None else frozenset(),
        "available_languages": settings.LANGUAGES,
    }

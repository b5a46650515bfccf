from django.conf import settings


def navigation(request):
    """What the base layout needs: the current network, the person's roles, the languages."""
    return {
        "current_network": getattr(request, "network", None),
        "current_role_kinds": {role.kind for role in getattr(request, "roles", [])},
        "available_languages": settings.LANGUAGES,
    }

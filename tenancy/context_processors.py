def navigation(request):
    """What the base layout needs: the current network, the person's roles and the network
    whose privacy notice and accessibility statement the footer links (a network's public
    pages name theirs in their own context). The languages the picker offers are its own
    (tenancy.templatetags.bro.language_picker)."""
    roles = getattr(request, "roles", None)
    network = getattr(request, "network", None)
    return {
        "current_network": network,
        "footer_network": network,
        "current_role_kinds": roles.kinds if roles is not None else frozenset(),
    }

"""Look an object up inside the request's network, as Zulip's access_* helpers do.

Each helper answers 404 both for an id that does not exist and for one the person may not
act on, so a probe cannot tell another network's objects, or forbidden ones, from missing ones.
"""

from django.http import Http404

from tenancy import policies


def require_role(request, *kinds):
    """Stop a person without one of these roles in the current network (404, not 403)."""
    if not policies.role_kinds(request.roles) & set(kinds):
        raise Http404


def get_or_404(queryset, pk):
    """The object with this id inside an already scoped queryset; 404 for missing and forbidden."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_organisation_to_manage(request, organisation_id):
    return get_or_404(
        policies.organisations_person_can_manage(request.network, request.roles), organisation_id)


def access_leader_group_to_follow(request, group_id):
    return get_or_404(
        policies.leader_groups_person_can_follow(request.network, request.roles)
        .select_related("organisation"), group_id)



"""Look an object up inside the request's network, as Zulip's access_* helpers do.

Each helper answers 404 both for an id that does not exist and for one the person may not
act on, so a probe cannot tell another network's objects, or forbidden ones, from missing ones.
"""

from functools import wraps

from django.http import Http404

from tenancy import policies
from tenancy.models import RoleKind
from tenancy.rows import instances_read, rows_of_each


def network_roles(*kinds):
    """View decorator: only people holding one of these roles in the request's network get
    in; everyone else gets 404, not 403, like for a page that does not exist."""
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.roles.has(*kinds):
                raise Http404
            return view(request, *args, **kwargs)
        wrapped.network_roles = frozenset(kinds)
        return wrapped
    return decorator


# Pages open to whoever holds any role in the network.
network_roles.any = network_roles(*RoleKind.values)


def platform_staff_only(view):
    """View decorator for the platform staff's own pages (outside any network): anyone else
    gets 404, like for a page that does not exist."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_active
                and request.user.is_staff):
            raise Http404
        return view(request, *args, **kwargs)
    wrapped.platform_staff_only = True
    return wrapped


def get_or_404(queryset, pk):
    """The object with this id inside an already scoped queryset; 404 for missing and forbidden."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def one_allowed_or_404(model, network, pk, allowed, related=(), extra=(), extra_params=(),
                       also=()):
    """The row `pk` of `model` in `network` among the ids of a policy compiled once per
    process (`allowed`, tenancy.rows.compiled_once; None: none), read without the ORM's
    per-request work (tenancy.rows.instances: `related`, `extra` and their `extra_params`);
    404 for missing and forbidden alike, as get_or_404. For look-ups made on every view of a
    busy page (issue 11). `also`: statements (sql, params) of the person's own rows that
    need only `pk`, read in the same round trip (tenancy.rows.rows_of_each) and dropped on a
    404; with them, (the row, [the rows of each])."""
    if allowed is None or not (str(pk).isdigit() and len(str(pk)) < 19):
        raise Http404
    statement, build = instances_read(
        model, f"found.network_id = %s AND found.id = %s AND found.id IN ({allowed[0]})",
        [*extra_params, network.pk, int(pk), *allowed[1]], related=related, extra=extra)
    rows, *also_rows = rows_of_each([statement, *also])
    found = build(rows)
    if not found:
        raise Http404
    return (found[0], also_rows) if also else found[0]


def access_invitation_to_revoke(request, invitation_id):
    return get_or_404(
        policies.invitations_person_can_revoke(request.network, request.roles), invitation_id)


def access_organisation_to_manage(request, organisation_id):
    return get_or_404(
        policies.organisations_person_can_manage(request.network, request.roles), organisation_id)


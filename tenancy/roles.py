"""A person's roles in one network, read once per request (request.roles).

Views, policies and templates ask this object instead of re-deriving ids from Role rows, so
"who is what here" is worked out in one place. Building it is one query; the cohorts a
facilitator runs take one more, only when asked for.
"""

from functools import cached_property

from tenancy.models import Role, RoleKind
from tenancy.rows import instances


def every_role_of(request):
    """The signed-in person's roles in every network, with each role's network and target,
    read once per request: the middleware finds the network, its roles and whether the
    person must use an authenticator app in this one query (issue 11: the floor of every
    page)."""
    try:
        return request._every_role
    except AttributeError:
        pass
    roles = []
    if request.user.is_authenticated:
        # The person's own roles, in every network, are theirs to read.
        roles = instances(Role, "found.person_id = %s", [request.user.pk],
                          related=("network", "organisation", "leader_group"))
    request._every_role = roles
    return roles


class NetworkRoles:
    def __init__(self, person, network, roles=()):
        self.person = person
        self.network = network
        self.roles = list(roles)
        self.kinds = frozenset(role.kind for role in self.roles)

    @classmethod
    def among(cls, person, network, every_role):
        """The roles held in the network, from the person's roles in every network."""
        return cls(person, network, [role for role in every_role
                                     if role.network_id == network.pk])

    def __bool__(self):
        return bool(self.roles)

    @cached_property
    def key(self):
        """Everything a policy can read of these roles, as ids: the network, the person (the
        cohorts they facilitate are a subquery on them) and each role with its target. The
        same key gives the same SQL (tenancy.rows.compiled_once)."""
        return (self.network.pk, self.person.pk, tuple(sorted(
            (role.kind, role.organisation_id or 0, role.leader_group_id or 0)
            for role in self.roles)))

    def has(self, *kinds):
        """Whether the person holds at least one of these roles here."""
        return not self.kinds.isdisjoint(kinds)

    @property
    def is_admin(self):
        return RoleKind.NETWORK_ADMIN in self.kinds

    @property
    def is_facilitator(self):
        return RoleKind.FACILITATOR in self.kinds

    @cached_property
    def led_groups(self):
        """The leader groups the person is a leader in (loaded with the roles)."""
        return [role.leader_group for role in self.roles if role.kind == RoleKind.LEADER]

    @cached_property
    def led_group_ids(self):
        return [group.pk for group in self.led_groups]

    @cached_property
    def coordinated_organisation_ids(self):
        return [role.organisation_id for role in self.roles
                if role.kind == RoleKind.COORDINATOR]

    @property
    def facilitated_cohorts(self):
        """The network's cohorts the person facilitates, as an unevaluated queryset (for
        subqueries); none without the facilitator role, as facilitating needs both."""
        cohorts = self.person.facilitated_cohorts.filter(network=self.network)
        return cohorts if self.is_facilitator else cohorts.none()

    @cached_property
    def facilitated_cohort_ids(self):
        if not self.is_facilitator:
            return frozenset()
        return frozenset(self.facilitated_cohorts.values_list("pk", flat=True))

"""Tenant rows are read inside a scope: one network's, or a deliberately platform-wide one.

Every environment, production included, refuses a tenant query made outside any scope: it
raises `UnscopedQueryError` instead of quietly returning every network's rows. A queryset is
checked when it is evaluated and when it becomes a subquery of another query (TenantQuery);
combined querysets are confined only when every side is confined to the same network.

- `Model.objects.for_network(network)` names the network explicitly; it is the way in wherever
  the network is known (services, selectors, policies).
- `network_scope(network)` is the ambient scope: `NetworkMiddleware` opens one around the
  whole request (view and template rendering), and a Celery task that acts inside one network
  opens that network's. Inside it a tenant query without `for_network` is confined to the
  scope's network, and `for_network` with another network raises.
- `platform_wide()` is the one way to read across networks, and says so where it is used: the
  Django admin (for active staff), commands, benchmarks, listing what Celery beat tasks then
  handle network by network, the national benchmark and the pages that list a person's
  networks. Grep for it in review.

Querysets reached through an already loaded object (`organisation.leader_groups.all()`, M2M
`add()` and `set()`) inherit that object's scope; following a foreign key uses the unchecked
base manager (`unscoped`, which is for that and not for queries of your own).
Models that point at Network without belonging to one opt out of the system check
(tenancy/checks.py) with `tenant_scoping_exempt = "<why>"`.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.db import models
from django.db.models import sql
from django.db.models.query import EmptyQuerySet


class UnscopedQueryError(RuntimeError):
    pass


class Scope:
    """What tenant queries may see: one network's rows, or every network's (platform-wide).
    A scope without either (a request outside any network, before it resolved one) lets no
    tenant query through."""

    def __init__(self, network=None, platform_wide=False):
        self.network = network
        self.platform_wide = platform_wide


_current = ContextVar("tenant_scope", default=None)


@contextmanager
def entered(scope):
    """Make `scope` the current one until the block ends (nested scopes win)."""
    token = _current.set(scope)
    try:
        yield scope
    finally:
        _current.reset(token)


def network_scope(network):
    """Tenant queries in the block see only `network`'s rows."""
    return entered(Scope(network=network))


def platform_wide():
    """Tenant queries in the block may read every network's rows, on purpose. Also a decorator
    (`@platform_wide()`), for commands and tasks that work across networks."""
    return entered(Scope(platform_wide=True))


def current_scope():
    return _current.get()


def network_of_row(model, pk):
    """The network of one tenant row, read platform-wide; None when the row is gone."""
    network_model = model._meta.get_field("network").related_model
    with platform_wide():
        return network_model.objects.filter(
            pk__in=model.objects.filter(pk=pk).values("network")).first()


def in_network_of_row(model, missing=None):
    """For work given only a row's id (a Celery task's): the decorated function, called with
    the id first, runs in the scope of that row's network; for a row that is gone it returns
    `missing` without running."""

    def decorate(function):
        @wraps(function)
        def in_scope(pk, *args, **kwargs):
            network = network_of_row(model, pk)
            if network is None:
                return missing
            with network_scope(network):
                return function(pk, *args, **kwargs)
        return in_scope
    return decorate


def _pk(network):
    return getattr(network, "pk", network)


def check_scope(model, scoped):
    """The one rule: a tenant query runs confined to a network (`scoped`) or platform-wide."""
    if scoped:
        return
    scope = current_scope()
    if scope is not None and scope.platform_wide:
        return
    raise UnscopedQueryError(
        f"{model.__name__} queried without a network: use "
        f"{model.__name__}.objects.for_network(network), or platform_wide() for code "
        f"that works across networks")


class TenantQuery(sql.Query):
    """Carries the scope with the SQL, so a tenant query used as a subquery is checked when
    it is put into the outer query, whatever the outer model is: `pk__in=queryset` (and a
    `values()` queryset) reaches here through QuerySet.resolve_expression, while `Exists` and
    `Subquery` take the query itself, so the check is here and not on the queryset."""

    tenant_network = None  # the network the rows are confined to
    tenant_scoped = False  # confined to a network, reached through a loaded row, or shared

    def resolve_expression(self, query, *args, **kwargs):
        check_scope(self.model, self.tenant_scoped)
        return super().resolve_expression(query, *args, **kwargs)


class TenantQuerySet(models.QuerySet):
    network_field = "network"

    def __init__(self, model=None, query=None, using=None, hints=None):
        super().__init__(model, query if query is not None else TenantQuery(model), using, hints)

    # The scope lives on the query (TenantQuery), which every clone copies.
    @property
    def _network(self):
        return getattr(self._query, "tenant_network", None)

    @_network.setter
    def _network(self, network):
        self._query.tenant_network = network

    @property
    def _scoped(self):
        return getattr(self._query, "tenant_scoped", False)

    @_scoped.setter
    def _scoped(self, scoped):
        self._query.tenant_scoped = scoped

    def _add_hints(self, **hints):
        """A related manager (`organisation.leader_groups`) hints the loaded row it starts
        from: its rows are that row's, in the row's network."""
        super()._add_hints(**hints)
        if hints.get("instance") is not None:
            self._scoped = True

    def _confine(self, network):
        """The rows `for_network` (and the ambient scope) allow for `network`."""
        return self.filter(**{self.network_field: network})

    def _confined(self, network):
        clone = self._confine(network)
        clone._network, clone._scoped = network, True
        return clone

    def for_network(self, network):
        """`network` is a Network or its id."""
        if self._network is not None:
            inside, asked = _pk(self._network), _pk(network)
            if inside != asked:
                raise UnscopedQueryError(
                    f"{self.model.__name__} queried for network {asked} inside the scope of "
                    f"network {inside}")
            return self._chain()
        return self._confined(network)

    def _check_scope(self):
        check_scope(self.model, self._scoped)

    # Combined querysets: confined only when every side is confined to the same network.

    def _combined_network(self, others):
        """The network every tenant side is confined to; None when no side is confined (the
        result then needs platform_wide() like any unconfined query). Sides confined to
        different networks, or some confined and some not, raise: the result would read
        another network's rows, or every network's, under a scope that looks confined."""
        sides = [qs for qs in (self, *others)
                 if isinstance(qs, TenantQuerySet) and not isinstance(qs, EmptyQuerySet)]
        networks = {None if qs._network is None else _pk(qs._network) for qs in sides}
        if len(networks) > 1:
            raise UnscopedQueryError(
                f"{self.model.__name__} querysets combined across networks "
                f"({', '.join(sorted(str(n) for n in networks))}): confine every side to "
                f"the same network")
        return networks.pop() if networks else None

    def _combine(self, others, combine):
        network = self._combined_network(others)
        combined = combine()
        if isinstance(combined, TenantQuerySet) and combined is not self and all(
                combined is not other for other in others):
            combined._network, combined._scoped = network, network is not None
        return combined

    def __and__(self, other):
        return self._combine([other], lambda: super(TenantQuerySet, self).__and__(other))

    def __or__(self, other):
        return self._combine([other], lambda: super(TenantQuerySet, self).__or__(other))

    def __xor__(self, other):
        return self._combine([other], lambda: super(TenantQuerySet, self).__xor__(other))

    def union(self, *other_qs, all=False):  # noqa: A002 (Django's name)
        return self._combine(other_qs, lambda: super(TenantQuerySet, self).union(
            *other_qs, all=all))

    def intersection(self, *other_qs):
        return self._combine(other_qs, lambda: super(TenantQuerySet, self).intersection(
            *other_qs))

    def difference(self, *other_qs):
        return self._combine(other_qs, lambda: super(TenantQuerySet, self).difference(
            *other_qs))

    def _fetch_all(self):
        if self._result_cache is None:
            self._check_scope()
        super()._fetch_all()

    def iterator(self, *args, **kwargs):
        self._check_scope()
        return super().iterator(*args, **kwargs)

    def count(self):
        self._check_scope()
        return super().count()

    def exists(self):
        self._check_scope()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._check_scope()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs):
        self._check_scope()
        return super().update(**kwargs)

    def delete(self):
        self._check_scope()
        return super().delete()


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):
    def get_queryset(self):
        """Inside a network's scope every query starts confined to that network."""
        queryset = super().get_queryset()
        scope = current_scope()
        if scope is not None and scope.network is not None and not scope.platform_wide:
            queryset = queryset._confined(scope.network)
        return queryset


class TenantModel(models.Model):
    """A row that belongs to exactly one network. A subclass with its own Meta writes
    `class Meta(TenantModel.Meta):` to keep the unchecked base manager."""

    network = models.ForeignKey("tenancy.Network", on_delete=models.CASCADE, related_name="+")

    objects = TenantManager()
    unscoped = models.Manager()  # noqa: DJ012 (the base manager, see the module docstring)

    class Meta:
        abstract = True
        base_manager_name = "unscoped"

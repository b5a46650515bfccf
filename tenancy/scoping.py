"""Querysets that must be given a network before they touch the database.

`Model.objects.for_network(network)` is the way in. A query that never named a network
raises `UnscopedQueryError` when TENANT_STRICT_SCOPING is on (development and tests), so a
forgotten scope fails loudly instead of quietly showing every network's rows. Querysets
reached through an already loaded object (`organisation.leader_groups.all()`) inherit that
object's scope. `Model.unscoped` is the deliberate escape hatch for platform-wide code
(admin, commands, anonymised benchmarks); grep for it in review.
"""

from django.conf import settings
from django.db import models


class UnscopedQueryError(RuntimeError):
    pass


class TenantQuerySet(models.QuerySet):
    network_field = "network"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._network_scoped = False

    def _clone(self):
        clone = super()._clone()
        clone._network_scoped = self._network_scoped
        return clone

    def for_network(self, network):
        clone = self.filter(**{self.network_field: network})
        clone._network_scoped = True
        return clone

    def _check_scope(self):
        if self._network_scoped or self._hints.get("instance") is not None:
            return
        if getattr(settings, "TENANT_STRICT_SCOPING", False):
            raise UnscopedQueryError(
                f"{self.model.__name__} queried without a network: "
                f"use {self.model.__name__}.objects.for_network(network)"
            )

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
    pass


class TenantModel(models.Model):
    """A row that belongs to exactly one network."""

    network = models.ForeignKey("tenancy.Network", on_delete=models.CASCADE, related_name="+")

    objects = TenantManager()
    unscoped = models.Manager()  # noqa: DJ012 (a manager, not a field)

    class Meta:
        abstract = True
        base_manager_name = "unscoped"

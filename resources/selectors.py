"""Reads on the resource library: the shared library plus the network's own resources."""

from django.conf import settings
from django.db.models import F, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.utils import translation

from resources.models import Resource
from tenancy.translated import FALLBACKS


def library(network, *, kind="", theme="", language="", sector="", text="", source=""):
    """The network's library, filtered; the network's own resources first, then by title."""
    resources = Resource.objects.shared_or_of_network(network)
    if kind:
        resources = resources.filter(kind=kind)
    if theme:
        resources = resources.filter(modules__icontains=f'"{theme}"')
    if language:
        resources = resources.filter(language=language)
    if sector:
        resources = resources.filter(sectors__icontains=f'"{sector}"')
    if source == "own":
        resources = resources.filter(network=network)
    elif source == "shared":
        resources = resources.filter(network__isnull=True)
    for word in text.split():
        matches = Q()
        for field in ("title", "description", "body"):
            for code, _name in settings.LANGUAGES:
                matches |= Q(**{f"{field}__{code}__icontains": word})
        resources = resources.filter(matches)
    # By the title as shown: a resource without one in the page's language shows its fallback.
    shown = FALLBACKS.get((translation.get_language() or "en")[:2], FALLBACKS["en"])
    title = Coalesce(*(KT(f"title__{code}") for code in shown))
    return resources.order_by(F("network_id").asc(nulls_last=True), title, "pk")


def library_sectors(network):
    """Every sector used in the network's library, for the filter."""
    used = set()
    for sectors in Resource.objects.shared_or_of_network(network).values_list("sectors", flat=True):
        used.update(sectors or [])
    return sorted(used)

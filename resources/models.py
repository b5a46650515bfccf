"""The resource library: reusable learning material that activities point to.

A resource without a network is part of the shared library every network sees; a network's
own resources (its speakers, regional cases) are seen only inside that network."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from tenancy.scoping import TenantManager, TenantQuerySet


class Theme(models.TextChoices):
    """The four themes of the programme's modules; library resources are tagged with them too,
    and the library sits below the programmes in Bro's layers, so the vocabulary lives here."""

    ORGANISATION = "organisation", _("Organisation")
    LEADERSHIP = "leadership", _("Leadership")
    STRATEGY = "strategy", _("Strategy")
    TECHNOLOGY = "technology", _("Technology")


class ResourceKind(models.TextChoices):
    VIDEO = "video", _("Video")
    PODCAST = "podcast", _("Podcast")
    ARTICLE = "article", _("Article")
    CASE = "case", _("Case")
    LITERATURE = "literature", _("Literature")


def resource_upload_path(resource, filename):
    """An unguessable place per upload; files are served only through the library's file view,
    which checks that the person belongs to the resource's network."""
    owner = resource.network_id or "shared"
    return f"resources/{owner}/{uuid.uuid4().hex}/{get_valid_filename(filename)}"


class ResourceQuerySet(TenantQuerySet):
    """A network sees the shared library and its own resources (`shared_or_of_network`, and
    every query inside the network's scope); `of_network` is only its own."""

    def _confine(self, network):
        return self.filter(Q(network__isnull=True) | Q(network=network))

    def shared_or_of_network(self, network):
        return super().for_network(network)

    def of_network(self, network):
        return self.shared_or_of_network(network).filter(network=network)

    def for_network(self, network):
        raise TypeError("Say which resources: shared_or_of_network(network) or "
                        "of_network(network)")

    def shared(self):
        """The shared library belongs to no network, so it needs no scope."""
        clone = self.filter(network__isnull=True)
        clone._scoped = True
        return clone


class Resource(models.Model):
    network = models.ForeignKey(
        "tenancy.Network", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        help_text=_("Empty for the shared library."))
    slug = models.SlugField()
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=0)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to=resource_upload_path, blank=True,
                            max_length=255)
    modules = models.JSONField(_("modules"), default=list, blank=True)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    # "instrument slug:dimension code" of the dimensions or capabilities the resource helps
    # with; the recommendations after an assessment read them (assessments/results).
    dimension_tags = models.JSONField(_("dimensions and capabilities"), default=list,
                                      blank=True)
    title = models.JSONField(_("title"))
    description = models.JSONField(_("description"), default=dict, blank=True)
    body = models.JSONField(_("text"), default=dict, blank=True)
    captions = models.FileField(
        _("captions (WebVTT)"), upload_to=resource_upload_path, blank=True, max_length=255,
        help_text=_("Captions for an uploaded video or sound file."))
    captions_note = models.JSONField(_("about captions"), default=dict, blank=True)
    transcript = models.JSONField(_("transcript"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager.from_queryset(ResourceQuerySet)()
    unscoped = models.Manager()  # noqa: DJ012 (the base manager, see tenancy/scoping.py)
    tenant_scoping_exempt = "a shared resource has no network; ResourceQuerySet scopes the " \
        "rest (shared_or_of_network)"

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        base_manager_name = "unscoped"
        constraints = [
            models.UniqueConstraint(fields=["slug"], condition=Q(network__isnull=True),
                                    name="unique_shared_resource_slug"),
            models.UniqueConstraint(fields=["network", "slug"],
                                    name="unique_network_resource_slug"),
        ]

    def __str__(self):
        return self.title.get("en") or self.slug

"""Programme templates: a programme holds modules, each module three phases, each phase
ordered activities. Templates are shared by every network; cohorts run them."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from resources.models import Theme


class PhaseKind(models.TextChoices):
    PREWORK = "prework", _("Pre-work")
    GATHERING = "gathering", _("Gathering")
    POSTWORK = "postwork", _("Post-work")


class ActivityKind(models.TextChoices):
    VIDEO = "video", _("Video")
    PODCAST = "podcast", _("Podcast")
    ARTICLE = "article", _("Article or literature")
    CASE = "case", _("Case")
    REFLECTION = "reflection", _("Reflection exercise")
    GROUP_TASK = "group_task", _("Group task")
    ASSESSMENT = "assessment", _("Assessment")
    AMBITION = "ambition", _("Ambition exercise")
    INITIATIVES = "initiatives", _("Initiative planning")
    INITIATIVE_REVIEW = "initiative_review", _("Initiative review")


class Programme(models.Model):
    slug = models.SlugField(unique=True)
    name = models.JSONField(_("name"), help_text=_('{"nb": …, "da": …, "en": …}'))
    description = models.JSONField(_("description"), default=dict)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return self.name.get("en") or self.slug

    @property
    def summary(self):
        """What the programme is in one or two sentences, per language, for an invitation:
        the first two sentences of the description's first paragraph."""
        return {language: first_sentences(text, 2)
                for language, text in self.description.items()}


def first_sentences(text, count):
    paragraph = " ".join(text.strip().split("\n\n")[0].split())
    return " ".join(re.split(r"(?<=[.!?])\s+", paragraph)[:count])


class Module(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="modules")
    slug = models.SlugField()
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    position = models.PositiveSmallIntegerField()
    title = models.JSONField(_("title"))
    introduction = models.JSONField(_("introduction"), default=dict)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["programme", "position"]
        constraints = [models.UniqueConstraint(fields=["programme", "slug"], name="unique_module")]

    def __str__(self):
        return self.title.get("en") or self.slug


class Phase(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=20, choices=PhaseKind.choices)
    position = models.PositiveSmallIntegerField()
    introduction = models.JSONField(_("introduction"), default=dict)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["module", "position"]
        constraints = [models.UniqueConstraint(fields=["module", "kind"], name="unique_phase")]

    def __str__(self):
        return f"{self.module} – {self.get_kind_display()}"


class ActivityQuerySet(models.QuerySet):
    def standard(self):
        """The standard programme's activities, without any cohort's own."""
        return self.filter(network__isnull=True)

    def run_in(self, network, cohort_module_ids):
        """The standard activities and those written for these cohort modules (never another
        cohort's own)."""
        return self.filter(models.Q(network__isnull=True)
                           | models.Q(network=network, cohort_module__in=cohort_module_ids))


class Activity(models.Model):
    """An activity of the standard programme, or (with a network and a cohort module) one a
    network admin wrote for one cohort's module, which only that cohort runs
    (cohorts/tailoring.py). Leaders' completions and answers point here either way."""

    tenant_scoping_exempt = ("the standard programme's activities belong to no network; a "
                             "cohort's own are read through run_in(network, ...) only")

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="activities")
    slug = models.SlugField()
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    position = models.PositiveSmallIntegerField()
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=0)
    title = models.JSONField(_("title"))
    instructions = models.JSONField(_("instructions"), default=dict)
    questions = models.JSONField(
        _("reflection questions"), default=dict, blank=True,
        help_text=_('{"nb": ["…"], "da": ["…"], "en": ["…"]}'))
    resource = models.ForeignKey(
        "resources.Resource", on_delete=models.PROTECT, null=True, blank=True,
        related_name="activities")
    instrument_slug = models.SlugField(
        _("instrument"), blank=True, help_text=_("For assessment activities."))
    # "instrument slug:dimension code" of the gaps an exercise helps with, as on library
    # resources; the recommendations after an assessment read them (assessments/results).
    dimension_tags = models.JSONField(_("dimensions and capabilities"), default=list,
                                      blank=True)
    # Empty for the standard programme's; a cohort's own activity is its network's.
    network = models.ForeignKey("tenancy.Network", on_delete=models.CASCADE, null=True,
                                blank=True, editable=False, related_name="+")
    cohort_module = models.ForeignKey("cohorts.CohortModule", on_delete=models.CASCADE,
                                      null=True, blank=True, editable=False,
                                      related_name="own_activities")

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["phase", "position"]
        constraints = [models.UniqueConstraint(fields=["phase", "slug"], name="unique_activity")]

    def __str__(self):
        return self.title.get("en") or self.slug

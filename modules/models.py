"""A leader's and a leader group's work in the modules of their cohort."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenancy.scoping import TenantModel


class ActivityCompletion(TenantModel):
    """A leader marked an activity done (coordinators see that it is done, never the answer)."""

    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activity_completions")
    activity = models.ForeignKey(
        "programmes.Activity", on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["cohort", "person", "activity"],
                                               name="one_completion")]

    def __str__(self):
        return f"{self.person_id} done {self.activity_id}"


class Reflection(TenantModel):
    """A leader's private written answer to a reflection exercise; only its author reads it."""

    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections")
    activity = models.ForeignKey("programmes.Activity", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["cohort", "person", "activity"],
                                               name="one_reflection")]

    def __str__(self):
        return f"reflection {self.pk}"


class GroupTaskAnswer(TenantModel):
    """The one shared answer a leader group writes together for a group task."""

    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="+")
    leader_group = models.ForeignKey(
        "tenancy.LeaderGroup", on_delete=models.CASCADE, related_name="group_task_answers")
    activity = models.ForeignKey("programmes.Activity", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["cohort", "leader_group", "activity"],
                                               name="one_group_task_answer")]

    def __str__(self):
        return f"group task {self.pk}"


class GroupTaskRevision(TenantModel):
    """Who changed the group's answer and when (and what it said then)."""

    answer = models.ForeignKey(GroupTaskAnswer, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["-version"]

    def __str__(self):
        return f"revision {self.version} of {self.answer_id}"


class Ambition(TenantModel):
    """The ambition a leader group sets for a module's theme in post-work."""

    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="+")
    leader_group = models.ForeignKey(
        "tenancy.LeaderGroup", on_delete=models.CASCADE, related_name="ambitions")
    module = models.ForeignKey("programmes.Module", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("ambition"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["cohort", "leader_group", "module"],
                                               name="one_ambition")]

    def __str__(self):
        return f"ambition {self.pk}"


class Horizon(models.TextChoices):
    SHORT = "short", _("Short term")
    LONG = "long", _("Long term")


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    STARTED = "started", _("Started")
    DONE = "done", _("Done")
    STOPPED = "stopped", _("Stopped")


class Initiative(TenantModel):
    """An initiative a leader group decides in post-work; it carries on after the module.

    It names the dimensions (or capabilities) of the group's instruments whose gap it is meant
    to close, so the group sees, round after round, whether that gap narrowed (from released
    anonymous numbers only, modules/gaps.py)."""

    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="+")
    leader_group = models.ForeignKey(
        "tenancy.LeaderGroup", on_delete=models.CASCADE, related_name="initiatives")
    module = models.ForeignKey("programmes.Module", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    horizon = models.CharField(_("horizon"), max_length=10, choices=Horizon.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("owner"))
    due_on = models.DateField(_("due date"), null=True, blank=True)
    dimensions = models.ManyToManyField(
        "assessments.Dimension", blank=True, related_name="+",
        verbose_name=_("dimensions or capabilities"))
    status = models.CharField(_("status"), max_length=10, choices=InitiativeStatus.choices,
                              default=InitiativeStatus.PLANNED)
    shared_with_network = models.BooleanField(_("share with the network"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-updated_at"]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status in (InitiativeStatus.PLANNED, InitiativeStatus.STARTED)


class InitiativeUpdate(TenantModel):
    """A short dated note on how an initiative goes, with the status it set. Append-only:
    services.add_initiative_update writes them, nothing changes or deletes one (but the
    initiative's own deletion)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=InitiativeStatus.choices)
    text = models.CharField(_("update"), max_length=500, blank=True)
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        ordering = ["-written_at", "-pk"]

    def __str__(self):
        return f"update {self.pk} of {self.initiative_id}"


class GroupPair(TenantModel):
    """Two leader groups of different organisations paired for a gathering, as the
    facilitator confirmed it. The reason is kept as what each group may learn from the other
    (a dimension, from released anonymous numbers only: modules/pairing.py) and whether they
    are of a similar size, and is written in words for whoever reads it."""

    gathering = models.ForeignKey("cohorts.Gathering", on_delete=models.CASCADE,
                                  related_name="+")
    first = models.ForeignKey("tenancy.LeaderGroup", on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey("tenancy.LeaderGroup", on_delete=models.CASCADE,
                               related_name="+")
    # the dimension in which the first group has its largest gap and the second stands strong
    first_learns = models.ForeignKey("assessments.Dimension", on_delete=models.SET_NULL,
                                     null=True, related_name="+")
    second_learns = models.ForeignKey("assessments.Dimension", on_delete=models.SET_NULL,
                                      null=True, related_name="+")
    similar_size = models.BooleanField(default=False)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+")
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["gathering", "first"], name="paired_once_first"),
            models.UniqueConstraint(fields=["gathering", "second"], name="paired_once_second"),
        ]

    def __str__(self):
        return f"pair {self.first_id}–{self.second_id}"

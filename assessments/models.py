"""Self-assessment instruments (data, versioned), rounds, responses, answers and scores.

Individual answers are reachable only by their owner. A response's DimensionScore rows are
computed once when it is submitted; aggregates read only ReleasedBlock/ReleasedScore, the
stored sums of blocks of k respondents (assessments/anonymity/blocks.py), never the scores or
the raw answers."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tenancy.scoping import TenantManager, TenantModel


class InstrumentKind(models.TextChoices):
    GENERATIONS = "generations", _("Generations of digital maturity")
    PROFILE = "profile", _("Capability profile")
    WHEEL = "wheel", _("Competence wheel")


class AnswerKind(models.TextChoices):
    TODAY = "today", _("Today")
    AMBITION = "ambition", _("Ambition")


class Instrument(models.Model):
    """One published version of an instrument; a new version is a new row, so stored results
    of earlier rounds never change."""

    slug = models.SlugField()
    version = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=InstrumentKind.choices)
    name = models.JSONField(_("name"))
    description = models.JSONField(_("description"), default=dict)
    definition = models.JSONField(help_text=_("The whole instrument file as imported."))
    source = models.TextField(
        blank=True, help_text=_("The file exactly as imported; export writes it back."))
    scale_min = models.SmallIntegerField(default=1)
    scale_max = models.SmallIntegerField(default=5)
    allow_dont_know = models.BooleanField(default=True)
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["slug", "-version"]
        constraints = [models.UniqueConstraint(fields=["slug", "version"],
                                               name="unique_instrument_version")]

    def __str__(self):
        return f"{self.name.get('en') or self.slug} v{self.version}"

    # The parts of the file the pages need; the rows hold areas, dimensions and items.
    @property
    def answer_kinds(self):
        return self.definition.get("answer_kinds", [AnswerKind.TODAY, AnswerKind.AMBITION])

    @property
    def answer_kind_labels(self):
        return self.definition.get("answer_kind_labels", {})

    @property
    def dont_know_label(self):
        return self.definition.get("dont_know_label", {})

    @property
    def scale_labels(self):
        """{value: text} of the default labels."""
        return {entry["value"]: entry["label"]
                for entry in self.definition.get("scale", {}).get("labels", [])}

    @property
    def has_levels(self):
        """True when a score is also read as a level (generations): level = floor(score)."""
        return self.definition.get("scoring", {}).get("level") == "floor"


class Area(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="areas")
    code = models.SlugField()
    position = models.PositiveSmallIntegerField()
    name = models.JSONField()

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="unique_area")]

    def __str__(self):
        return self.code


class Dimension(models.Model):
    """What a score is given for. Its code is stable across versions: results of two versions
    are compared only where the codes match."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="dimensions")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="dimensions")
    code = models.SlugField()
    position = models.PositiveSmallIntegerField()
    facet = models.CharField(max_length=20, blank=True)
    level = models.CharField(max_length=20, blank=True)
    name = models.JSONField()
    description = models.JSONField(default=dict)
    discussion_prompt = models.JSONField(default=dict)

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"],
                                               name="unique_dimension")]

    def __str__(self):
        return self.code


class Item(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField()
    text = models.JSONField()
    options = models.JSONField(default=list, blank=True,
                               help_text=_("Own labels per value, if any."))

    class Meta:
        ordering = ["dimension", "position"]

    def __str__(self):
        return self.code


class RoundPurpose(models.TextChoices):
    START = "start", _("At the start of the programme")
    GATHERING = "gathering", _("At a gathering")
    END = "end", _("At the end of the programme")
    OTHER = "other", _("Other")


# The name of a round nobody named: said in the language of whoever reads it (issue 15).
NAMES_BY_PURPOSE = {
    RoundPurpose.START: _("Assessment at the start"),
    RoundPurpose.GATHERING: _("Assessment at the gathering"),
    RoundPurpose.END: _("Assessment at the end"),
}


class CohortRoundManager(TenantManager):
    """`Round.objects`: a cohort's rounds only. Every aggregate, results page, report, export,
    reminder and the benchmark starts here, so a personal round is left out by construction."""

    def get_queryset(self):
        return super().get_queryset().filter(owner__isnull=True)


class PersonalRoundManager(TenantManager):
    """`Round.personal`: rounds a leader takes on their own, read only for their owner."""

    def get_queryset(self):
        return super().get_queryset().filter(owner__isnull=False)


class Round(TenantModel):
    """A cohort's scheduled run of an instrument, open between its two moments; or a
    personal round (owner set, no cohort) that one leader takes on their own to follow their
    own development. A personal round's answers never enter any aggregate: it is not in
    `Round.objects`, and no block is ever released for it (anonymity/blocks.py)."""

    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="rounds",
                               null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="+", help_text="Set only on a personal round: the one leader taking it.")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="rounds")
    # Empty for the name that says when (NAMES_BY_PURPOSE), in each reader's language.
    custom_name = models.CharField(_("name"), max_length=160, blank=True, db_column="name")
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    purpose = models.CharField(_("when in the programme"), max_length=20,
                               choices=RoundPurpose.choices, default=RoundPurpose.OTHER)
    gathering = models.ForeignKey(
        "cohorts.Gathering", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("gathering"))
    # When the waiting answers were pooled into blocks (once, after closing).
    pooled_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the audit trail recorded the round opening and closing by the clock, once each
    # (assessments.services.record_rounds_opening_and_closing).
    opening_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    closing_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CohortRoundManager()
    personal = PersonalRoundManager()

    class Meta(TenantModel.Meta):
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        default_manager_name = "objects"
        ordering = ["opens_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")),
                                   name="round_closes_after_it_opens"),
            models.CheckConstraint(
                condition=models.Q(cohort__isnull=False, owner__isnull=True)
                | models.Q(cohort__isnull=True, owner__isnull=False),
                name="round_is_a_cohorts_or_personal"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_personal(self):
        return self.owner_id is not None

    @property
    def name(self):
        """The name pages, emails and PDFs show: the one given, else "On your own" for a
        personal round or the one that says when, in the active language."""
        if self.custom_name:
            return self.custom_name
        if self.is_personal:
            return gettext("On your own")
        return str(NAMES_BY_PURPOSE.get(self.purpose) or _("Assessment"))

    @name.setter
    def name(self, value):
        self.custom_name = value

    def has_closed(self, now=None):
        return (now or timezone.now()) >= self.closes_at


class Response(TenantModel):
    """One leader's answers in one round. The group and organisation are remembered as they
    were when the leader started, so moving a leader later does not move their answers."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessment_responses")
    leader_group = models.ForeignKey(
        "tenancy.LeaderGroup", on_delete=models.SET_NULL, null=True, related_name="+")
    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.SET_NULL, null=True, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The released block this response's scores went into; None while it waits.
    released_block = models.ForeignKey(
        "ReleasedBlock", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["round", "person"],
                                               name="one_response_per_round")]
        indexes = [models.Index(fields=["round", "submitted_at"])]


class Answer(models.Model):
    """One value for one item and one question (today or ambition); reached only through the
    owner's Response."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=AnswerKind.choices)
    value = models.SmallIntegerField(null=True, blank=True)
    dont_know = models.BooleanField(default=False)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item", "kind"], name="one_answer"),
            models.CheckConstraint(
                condition=models.Q(dont_know=True, value__isnull=True)
                | models.Q(dont_know=False, value__isnull=False),
                name="answer_is_value_or_dont_know"),
        ]

    def __str__(self):
        return f"{self.item_id}/{self.kind}"


class DimensionScore(TenantModel):
    """A submitted response's score for one dimension and question, stored once at submit.

    Round, group and organisation are copied here so aggregates are one indexed query."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="scores")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="+")
    leader_group = models.ForeignKey(
        "tenancy.LeaderGroup", on_delete=models.SET_NULL, null=True, related_name="+")
    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=10, choices=AnswerKind.choices)
    score = models.FloatField()

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["response", "dimension", "kind"],
                                               name="one_score")]
        indexes = [
            models.Index(fields=["round", "dimension", "kind"]),
            models.Index(fields=["round", "leader_group", "dimension", "kind"]),
        ]


class BlockKind(models.TextChoices):
    UNIT = "unit", "Block of a leader group"  # (internal: never shown, not translated)
    POOLED = "pooled", "Block pooled when the round closed"


class ReleasedBlock(TenantModel):
    """k respondents whose sums were released together: a stored, immutable fact.

    Written once (assessments/anonymity/blocks.py) and never updated. The group and
    organisation are plain ids, not foreign keys, so deleting or emptying them (or a person)
    keeps the row; a round with answers cannot be deleted (services.delete_round)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=BlockKind.choices)
    unit = models.CharField(max_length=40, help_text="group id/organisation id, or 'pool'")
    position = models.PositiveIntegerField()
    leader_group_id = models.IntegerField(null=True)
    organisation_id = models.IntegerField(null=True)
    respondents = models.PositiveSmallIntegerField()
    released_at = models.DateTimeField(default=timezone.now)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["round", "unit", "position"],
                                               name="one_block_per_position")]


class ReleasedScore(TenantModel):
    """What one released block holds for one dimension, question and value reached: the
    count, sum and sum of squares of its scores. Only cells every person of the block
    scored are stored (the cell rule, README "Anonymity")."""

    block = models.ForeignKey(ReleasedBlock, on_delete=models.CASCADE, related_name="scores")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=AnswerKind.choices)
    bucket = models.SmallIntegerField()
    count = models.PositiveIntegerField()
    total = models.FloatField()
    squares = models.FloatField()

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["block", "dimension", "kind", "bucket"],
                                               name="one_released_cell")]
        indexes = [models.Index(fields=["round"])]


class TotalScope(models.TextChoices):
    ROUND = "round", "All blocks of the round"  # (internal: never shown, not translated)
    GROUP = "group", "The unit blocks of one leader group"
    ORGANISATION = "organisation", "The unit blocks of one organisation"


class ReleasedTotal(TenantModel):
    """The sums of a round's released blocks for one selection (the round, a leader group, an
    organisation), per dimension, question and value reached, so that a page reads one row per
    cell whatever the size of the network (issue 11).

    Derived, never a new fact: blocks.refresh_totals rewrites a selection's rows from its
    ReleasedScore rows in the transaction that releases a block, so they always equal the
    sums of the selection's whole blocks (README "Anonymity")."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=12, choices=TotalScope.choices)
    key = models.IntegerField(help_text="The group or organisation id; 0 for the round.")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=AnswerKind.choices)
    bucket = models.SmallIntegerField()
    count = models.PositiveIntegerField()
    total = models.FloatField()
    squares = models.FloatField()

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(
            fields=["round", "scope", "key", "dimension", "kind", "bucket"],
            name="one_released_total")]


class ReportKind(models.TextChoices):
    GROUP = "group", _("Leader group report")
    NETWORK = "network", _("Network report")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    WORKING = "working", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def report_file_name(report, filename):
    """One fixed name per report, so making it again replaces the same file; not guessable
    from the id, though only the download view (which checks access) ever serves it."""
    token = salted_hmac("assessments.report-file", str(report.pk),
                        algorithm="sha256").hexdigest()[:20]
    return f"reports/{report.network_id}/report-{report.pk}-{token}.pdf"


class Report(TenantModel):
    """A PDF of a cohort's results: of one leader group (kind "group") or of the network with
    every group (kind "network"). Made by a Celery task (assessments/reports/tasks.py); the numbers
    come from assessments.anonymity.aggregation like the results pages'."""

    kind = models.CharField(max_length=10, choices=ReportKind.choices)
    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="+")
    leader_group = models.ForeignKey(
        "tenancy.LeaderGroup", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    language = models.CharField(max_length=5, choices=settings.LANGUAGES)
    status = models.CharField(max_length=10, choices=ReportStatus.choices,
                              default=ReportStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    # When its task was last put on the queue: the dispatcher queues it again when that was
    # long ago and nothing started it (the message was lost, e.g. while Redis was down).
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True, help_text=_("Why the last attempt failed (for staff)."))
    file = models.FileField(upload_to=report_file_name, blank=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at", "-pk"]
        constraints = [models.CheckConstraint(
            condition=models.Q(kind="group", leader_group__isnull=False)
            | models.Q(kind="network", leader_group__isnull=True),
            name="report_group_matches_kind")]
        indexes = [models.Index(fields=["cohort", "leader_group", "kind", "-requested_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def in_progress(self):
        return self.status in (ReportStatus.QUEUED, ReportStatus.WORKING)


class PollKind(models.TextChoices):
    SCALE = "scale", _("A scale from 1 to 5")
    CHOICE = "choice", _("A choice among options")


class PollPurpose(models.TextChoices):
    LIVE = "live", "Live poll in the room"  # (internal: never shown, not translated)
    EVALUATION = "evaluation", "An item of the gathering's evaluation"


class Poll(TenantModel):
    """One question put to a gathering's leaders: a live poll the facilitator opens on the
    screen, or one item of the gathering's anonymous evaluation. Its results are read only
    from PollBlock rows, released in blocks of k by assessments/anonymity/blocks.py."""

    gathering = models.ForeignKey("cohorts.Gathering", on_delete=models.CASCADE,
                                  related_name="+")
    purpose = models.CharField(max_length=12, choices=PollPurpose.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=PollKind.choices,
                            default=PollKind.SCALE)
    code = models.SlugField(blank=True, help_text="An evaluation item's code.")
    position = models.PositiveSmallIntegerField(default=0)
    question = models.JSONField(_("question"))
    options = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantModel.Meta):
        ordering = ["position", "created_at", "pk"]
        indexes = [models.Index(fields=["gathering", "purpose"])]

    def __str__(self):
        return f"poll {self.pk}"

    scale_min = 1

    @property
    def scale_max(self):
        return len(self.options) if self.kind == PollKind.CHOICE else 5

    def is_open(self, now=None):
        now = now or timezone.now()
        return (self.opened_at is not None and self.opened_at <= now
                and (self.closes_at is None or now < self.closes_at))


class PollAnswer(TenantModel):
    """One leader's answer to one poll: given once and never changed (README, "Live poll")."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="answers")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_answers")
    value = models.PositiveSmallIntegerField()
    answered_at = models.DateTimeField(default=timezone.now)
    # The released block this answer went into; None while it waits for k - 1 others.
    released_block = models.ForeignKey(
        "PollBlock", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["poll", "person"],
                                               name="one_answer_per_poll")]
        indexes = [models.Index(fields=["poll", "released_block"])]


class PollBlock(TenantModel):
    """k answers of one poll released together: how many gave each value. A stored,
    immutable fact like ReleasedBlock; erasing a person leaves it as it is."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="blocks")
    position = models.PositiveIntegerField()
    respondents = models.PositiveSmallIntegerField()
    counts = models.JSONField(help_text="{value: how many gave it}")
    released_at = models.DateTimeField(default=timezone.now)

    class Meta(TenantModel.Meta):
        constraints = [models.UniqueConstraint(fields=["poll", "position"],
                                               name="one_poll_block_per_position")]

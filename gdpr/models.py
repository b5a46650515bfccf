"""A person's download of everything Bro holds about them (README, "Your data (GDPR)")."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    WORKING = "working", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def export_file_name(export, filename):
    """One fixed name per download, not guessable from the id (only the download view, which
    lets nobody but the person in, ever serves it)."""
    token = salted_hmac("gdpr.data-export-file", str(export.pk), algorithm="sha256").hexdigest()
    return f"data-exports/{export.person_id}/bro-data-{export.pk}-{token[:20]}.zip"


class DataExport(models.Model):
    """One zip of a person's data, made by a Celery task (gdpr/tasks.py). Not a tenant row:
    it holds the person's data from every network they are in, and only they may take it."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    language = models.CharField(max_length=5, choices=settings.LANGUAGES)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=export_file_name, blank=True)

    class Meta:
        verbose_name = _("personal data download")
        verbose_name_plural = _("personal data downloads")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"data export {self.pk}"

    @property
    def in_progress(self):
        return self.status in (ExportStatus.QUEUED, ExportStatus.WORKING)

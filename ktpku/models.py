"""The shared mechanism's one table: an export made by a task (ktpku.exports)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _export_file_name(instance, filename):
    # Under the requester's own folder, with a name nobody can guess. MEDIA is never served
    # directly (nginx maps no /media/): the file leaves only through the download view.
    return f"ekspor/{instance.requested_by_id}/{uuid.uuid4().hex}.xlsx"


class ExportJob(models.Model):
    """A large export made by a task, its progress, and the file for its requester alone."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Erased")

    # The registered export (ktpku.exports.register) and what it was asked for: the
    # filters as the list page sent them. A NIK is never among them (never in a URL).
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(default=dict, blank=True)
    full_nik = models.BooleanField(_("full NIK"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(_("file"), upload_to=_export_file_name, blank=True)
    download_name = models.CharField(max_length=100, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "finished_at"])]

    def __str__(self):
        return f"{self.kind} #{self.pk} {self.get_state_display()}"

    @property
    def progress(self):
        return min(100, round(100 * self.done / self.total)) if self.total else 0

    @property
    def is_pending(self):
        return self.state in (self.State.QUEUED, self.State.RUNNING)

"""The audit trail: who saw or took out whose personal data, and when (UU 27/2022 Pasal 31).

Generic on purpose: an event names its object by type and id, so this app imports none of
the others and every app can write to it. Rows are only ever added; on PostgreSQL a
trigger (migration 0002) refuses UPDATE and DELETE.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEWED = "viewed", _("Page opened")
    NIK_REVEALED = "nik_revealed", _("Full NIK revealed")
    NIK_SHOWN_FOR_EDIT = "full_nik_shown", _("Full NIK shown in the edit form")
    EXPORTED = "exported", _("Exported")
    PRINTED = "printed", _("Printed")
    SUBJECT_EXPORT = "subject_export", _("Data-subject export")
    ANONYMISED = "anonymised", _("Personal data erased")


class AuditEvent(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        # A user with audit rows is deactivated, never deleted: the row must not change.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=50)
    object_id = models.BigIntegerField(_("object id"))
    at = models.DateTimeField(_("time"), default=timezone.now)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["object_type", "object_id", "at"]),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_type}#{self.object_id}"

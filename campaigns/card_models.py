"""Printed cards on their way to the school: handover batches and their lists.

Imported by campaigns.models, so Django registers them in the campaigns app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class HandoverBatch(models.Model):
    """The printed cards of one school that travel with one visit (or wait for one)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="handover_batches",
    )
    # The visit the cards ride along with; empty while no visit lies within reach.
    visit = models.ForeignKey(
        "campaigns.Visit",
        verbose_name=_("visit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handover_batches",
    )

    class Moved(models.TextChoices):
        """Why the batch no longer rides with the visit it was meant for."""

        CANCELLED = "cancelled", _("The visit was cancelled")
        MOVED = "moved", _("The visit was moved")
        REPLANNED = "replanned", _("The proposed visit was planned again")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    # The last time the cards changed visit because theirs was cancelled, moved away or
    # replanned: why, the day of the visit they left, and when (cards.batches.follow).
    moved_because = models.CharField(
        _("moved because"), max_length=10, choices=Moved.choices, blank=True
    )
    moved_from_date = models.DateField(_("visit left"), null=True, blank=True)
    moved_at = models.DateTimeField(_("moved at"), null=True, blank=True)
    # Closed because its cards joined this batch (the school's batch for the new visit).
    moved_to = models.ForeignKey(
        "self",
        verbose_name=_("cards moved to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    notified_at = models.DateTimeField(_("coordinators told at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("handover batch")
        verbose_name_plural = _("handover batches")
        ordering = ["-created_at", "-pk"]
        permissions = [("manage_cards", _("Can run the print queue and card handovers"))]
        constraints = [
            # One open batch per school and visit, and one per school waiting for a visit.
            models.UniqueConstraint(
                fields=["school", "visit"],
                condition=Q(status="open"),
                name="handover_batch_one_open_per_visit",
            ),
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(status="open", visit__isnull=True),
                name="handover_batch_one_open_without_visit",
            ),
        ]

    def __str__(self):
        return f"{self.school} #{self.pk}"


class HandoverItem(models.Model):
    """One printed card in a batch, and what became of it."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for handover")
        HANDED_OVER = "handed_over", _("Handed over")
        NOT_COLLECTED = "not_collected", _("Not collected")
        WITHDRAWN = "withdrawn", _("Withdrawn for a reprint")

    batch = models.ForeignKey(
        HandoverBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="items"
    )
    student = models.ForeignKey(
        "students.Student",
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="handover_items",
    )
    state = models.CharField(
        _("state"), max_length=15, choices=State.choices, default=State.WAITING
    )
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    ikd_activated = models.BooleanField(_("IKD activated"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("card in a batch")
        verbose_name_plural = _("cards in a batch")
        ordering = ["pk"]
        constraints = [
            # A card waits in one batch at a time.
            models.UniqueConstraint(
                fields=["student"],
                condition=Q(state="waiting"),
                name="handover_item_one_waiting_per_student",
            )
        ]
        indexes = [models.Index(fields=["batch", "state"])]

    def __str__(self):
        return f"{self.student_id} in {self.batch_id}"

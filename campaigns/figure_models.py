"""Figures kept as numbers, not as students: a past visit's tally and the regency's coverage.

A visit's tally holds what came of a visit whose students are no longer held one by one
(a campaign from before KTPku, or students whose personal data was erased at the end of
the retention period). The reports add it to what the student events say, so a year's
figures stay true after the names are gone.

Regency coverage is what the civil registry says of the whole regency each year: how
many residents are obliged to hold a KTP and how many of them hold none, for the regency
or one kecamatan. The dashboard sets the programme's cards against it.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class VisitTally(models.Model):
    visit = models.OneToOneField(
        "campaigns.Visit", verbose_name=_("visit"), on_delete=models.CASCADE, related_name="tally"
    )
    recorded = models.PositiveIntegerField(_("students recorded"), default=0)
    printed = models.PositiveIntegerField(_("cards printed"), default=0)
    handed_over = models.PositiveIntegerField(_("cards handed over"), default=0)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("visit tally")
        verbose_name_plural = _("visit tallies")
        constraints = [
            models.CheckConstraint(
                condition=Q(printed__lte=F("recorded")) & Q(handed_over__lte=F("printed")),
                name="tally_each_step_within_the_last",
            ),
        ]

    def __str__(self):
        return f"{self.visit}: {self.recorded}"


class RegencyCoverage(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    kecamatan = models.ForeignKey(
        "schools.Region",
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": "kecamatan"},
    )
    obliged = models.PositiveIntegerField(_("residents obliged to hold a KTP"))
    without_ktp = models.PositiveIntegerField(_("of them without a KTP"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("regency coverage")
        verbose_name_plural = _("regency coverage")
        ordering = ["year", "kecamatan__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=Q(kecamatan=None), name="one_regency_figure_a_year"
            ),
            models.UniqueConstraint(
                fields=["year", "kecamatan"], name="one_kecamatan_figure_a_year"
            ),
            models.CheckConstraint(
                condition=Q(without_ktp__lte=F("obliged")), name="without_ktp_within_obliged"
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.kecamatan or ''}".strip()

    @property
    def without_percent(self):
        return round(100 * self.without_ktp / self.obliged, 1) if self.obliged else 0

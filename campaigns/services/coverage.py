"""Writes of the regency's coverage figures."""

from django.db import transaction

from ..models import RegencyCoverage


@transaction.atomic
def coverage_save(*, year, kecamatan, obliged, without_ktp, user):
    """Enter (or correct) the figures of one year, for the regency or one kecamatan."""
    entry, _created = RegencyCoverage.objects.select_for_update().update_or_create(
        year=year,
        kecamatan=kecamatan,
        defaults={"obliged": obliged, "without_ktp": without_ktp, "entered_by": user},
    )
    return entry

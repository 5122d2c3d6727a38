"""Counts of students the database keeps up to date itself (students.tallies explains them).

Plain numbers by school, never a student: no foreign keys, so a tally row costs its writer
no lookup. Written only by the triggers of migration 0012 and by students.tallies.
"""

from django.db import models

from .models import Status

# Born on or before TallyCuts.first (band 0), after it and on or before .second (1), after
# both (2).
BANDS = (0, 1, 2)


class StudentTally(models.Model):
    """How many students of a school have each status, by age band: one row per school,
    one column per status and band (`<status>_<band>`, added below), so a school's figures
    are a sum of a few columns of one row."""

    school_id = models.BigIntegerField(primary_key=True)

    def __str__(self):
        return f"{self.school_id}"

    @staticmethod
    def column(status, band):
        return f"{status}_{band}"


for _status in Status.values:
    for _band in BANDS:
        StudentTally.add_to_class(
            StudentTally.column(_status, _band), models.IntegerField(default=0)
        )


class TallyCuts(models.Model):
    """The two birth dates the bands of StudentTally are cut at (one row, id 1)."""

    first = models.DateField()
    second = models.DateField()

    def __str__(self):
        return f"{self.first} {self.second}"


class RecordingTally(models.Model):
    """How many students of a school were recorded on a day, by whether their card has
    been printed and handed over since (any time)."""

    school_id = models.BigIntegerField()
    date = models.DateField()
    printed = models.BooleanField()
    handed_over = models.BooleanField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school_id", "date", "printed", "handed_over"],
                name="recording_tally_key",
            )
        ]

    def __str__(self):
        return f"{self.school_id} {self.date}: {self.n}"

"""Counts of students the database keeps up to date itself (students.tallies explains them).

Plain numbers by school, never a student: no foreign keys, so a tally row costs its writer
no lookup. Written only by the triggers of migration 0012 and by students.tallies.
"""

from django.db import models


class StudentTally(models.Model):
    """How many students of a school have a status and were born in an age band."""

    school_id = models.BigIntegerField()
    status = models.CharField(max_length=20)
    # 0: born on or before TallyCuts.first; 1: after it, on or before .second; 2: after both.
    band = models.PositiveSmallIntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school_id", "status", "band"], name="student_tally_key"
            )
        ]

    def __str__(self):
        return f"{self.school_id} {self.status} {self.band}: {self.n}"


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

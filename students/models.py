from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import nik as nik_rules


class Status(models.TextChoices):
    ON_ROSTER = "on_roster", _("On roster")
    SCHEDULED = "scheduled", _("Scheduled")
    RECORDED = "recorded", _("Recorded")
    SIAK_PROBLEM = "siak_problem", _("SIAK problem")
    PRINT_READY = "print_ready", _("Print ready")
    DUE_FOR_PRINT = "due_for_print", _("Due for print")
    WAITING_BLANKO = "waiting_blanko", _("Waiting for blanko")
    PRINTED = "printed", _("Printed")
    HANDED_OVER = "handed_over", _("Handed over")
    CLOSED = "closed", _("Closed")


class Sex(models.TextChoices):
    MALE = nik_rules.MALE, _("Male")
    FEMALE = nik_rules.FEMALE, _("Female")


class MaritalStatus(models.TextChoices):
    SINGLE = "belum_kawin", _("Not married")
    MARRIED = "kawin", _("Married")
    DIVORCED = "cerai_hidup", _("Divorced")
    WIDOWED = "cerai_mati", _("Widowed")


class ConsentMethod(models.TextChoices):
    NONE = "", _("Not recorded")
    PAPER = "paper", _("Signed form")
    SCHOOL = "school", _("Through the school")
    VERBAL = "verbal", _("Verbal, in person")


class StudentQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("school", "school__kecamatan")


class Student(models.Model):
    nik = models.CharField(_("NIK"), max_length=16, unique=True)
    kk_number = models.CharField(_("No. KK"), max_length=16, blank=True)
    nisn = models.CharField(_("NISN"), max_length=10, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_place = models.CharField(_("birth place"), max_length=100, blank=True)
    birth_date = models.DateField(_("birth date"), db_index=True)
    marital_status = models.CharField(
        _("marital status"),
        max_length=12,
        choices=MaritalStatus.choices,
        default=MaritalStatus.SINGLE,
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="students",
    )
    class_name = models.CharField(_("class"), max_length=50, blank=True)
    guardian_name = models.CharField(_("guardian's name"), max_length=150, blank=True)
    guardian_phone = models.CharField(_("guardian's phone"), max_length=30, blank=True)
    consent_by = models.CharField(_("consent given by"), max_length=150, blank=True)
    consent_on = models.DateField(_("consent date"), null=True, blank=True)
    consent_method = models.CharField(
        _("consent method"), max_length=10, choices=ConsentMethod.choices, blank=True
    )
    # Written only by students.lifecycle, in step with the events.
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ON_ROSTER, editable=False
    )
    status_since = models.DateField(_("status since"), null=True, blank=True, editable=False)
    # Set when the retention purge erased the personal data (students.retention).
    anonymised_at = models.DateTimeField(
        _("personal data erased at"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # History is read by student (its `id`) and date only: the indexes simple-history would
    # copy from the register's own (NIK, NISN, birth date, school) only slow every write.
    history = HistoricalRecords(
        excluded_fields=["created_at", "updated_at"],
        no_db_index=["nik", "nisn", "birth_date", "school"],
    )

    objects = StudentQuerySet.as_manager()

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["name", "pk"]
        permissions = [
            ("view_full_nik", _("Can see a full NIK")),
            ("record_event", _("Can record lifecycle events")),
            ("view_statistics", _("Can see aggregate figures")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(nik__regex=r"^[0-9]{16}$"), name="student_nik_16_digits"
            ),
            models.CheckConstraint(
                condition=Q(kk_number="") | Q(kk_number__regex=r"^[0-9]{16}$"),
                name="student_kk_16_digits",
            ),
            models.CheckConstraint(
                condition=Q(nisn="") | Q(nisn__regex=r"^[0-9]{10}$"), name="student_nisn_10_digits"
            ),
        ]
        indexes = [
            models.Index(fields=["school", "status"]),
            # With the school: the cards coming due by month are counted from the index
            # alone (campaigns.figures.cards_coming_due).
            models.Index(fields=["status", "birth_date", "school"], name="student_status_born"),
            models.Index(fields=["name", "id"]),
        ]

    def __str__(self):
        return f"{self.name} ({self.masked_nik})"

    @property
    def masked_nik(self):
        return nik_rules.mask(self.nik)

    @property
    def masked_kk(self):
        return nik_rules.mask(self.kk_number) if self.kk_number else ""

    @property
    def ever_married(self):
        return self.marital_status != MaritalStatus.SINGLE


class EventKind(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled for a visit")
    ABSENT = "absent", _("Absent on the visit day")
    RECORDING_FAILED = "recording_failed", _("Recording failed")
    RECORDED = "recorded", _("Recorded")
    SIAK_PROBLEM = "siak_problem", _("SIAK result: needs attention")
    PRINT_READY = "print_ready", _("Print ready")
    DUE_FOR_PRINT = "due_for_print", _("Due for print")
    WAITING_BLANKO = "waiting_blanko", _("Waiting for blanko")
    PRINTED = "printed", _("Printed")
    HANDED_OVER = "handed_over", _("Handed over")
    IKD_ACTIVATED = "ikd_activated", _("IKD activated")
    OVERDUE = "overdue", _("Overdue for recording")
    REPRINT = "reprint", _("Reprint asked for")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    REFUSED = "refused", _("Refused recording")
    NOT_YET_16 = "not_yet_16", _("Not yet 16 on the visit day")
    UNDONE = "undone", _("Previous step undone")


# Event kinds recorded at most once per student (a database constraint).
ONCE_KINDS = ("due_for_print", "overdue", "ikd_activated")


class CloseReason(models.TextChoices):
    HAS_KTP = "has_ktp", _("Already has a KTP-el")
    RECORDED_ELSEWHERE = "recorded_elsewhere", _("Recorded elsewhere")
    MOVED = "moved", _("Moved away")
    LEFT_SCHOOL = "left_school", _("Left school")
    DECEASED = "deceased", _("Deceased")


class FailureReason(models.TextChoices):
    FINGERPRINTS = "fingerprints", _("Fingerprints could not be taken")
    DEVICE = "device", _("Device problem")
    DATA = "data", _("Data problem")


class ReprintReason(models.TextChoices):
    LOST = "lost", _("Card lost")
    DAMAGED = "damaged", _("Card damaged")
    DATA_CORRECTED = "data_corrected", _("Data corrected")


class SiakResult(models.TextChoices):
    DUPLICATE = "duplicate", _("Duplicate record")
    ENROLMENT_FAILURE = "enrolment_failure", _("Enrolment failure")
    ADJUDICATION = "adjudication", _("Adjudication")


class StudentEvent(models.Model):
    """One dated step in a student's life in the programme, and who recorded it."""

    # Indexed by (student, date) below, which serves the foreign key too: every index is
    # written by each of the nightly job's thousands of inserts.
    student = models.ForeignKey(
        Student,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("student"),
        db_index=False,
    )
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=30, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        db_index=False,  # a partial index below: the jobs' events name no one
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # The campaigns.Visit the event came from, if any. A plain indexed integer, not a foreign
    # key: `students` sits below `campaigns` and never imports it, and a foreign key to
    # "campaigns.Visit" would make the students migrations depend on campaigns migrations
    # that already depend on students (a cycle). The caller passes the visit's id; campaigns
    # joins back with Visit.objects.filter(pk=OuterRef("visit_id")). A deleted visit leaves
    # the number behind, which is what a historical fact should do.
    visit_id = models.BigIntegerField(_("visit"), null=True, blank=True)
    # The "undone" event that took this one back (lifecycle.undo), if any. A milestone
    # taken back no longer counts as reached: the nightly job may flag it again.
    taken_back_by = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="takes_back",
        verbose_name=_("taken back by"),
    )

    class Meta:
        verbose_name = _("student event")
        verbose_name_plural = _("student events")
        ordering = ["date", "recorded_at", "pk"]
        indexes = [
            models.Index(fields=["student", "date"]),
            models.Index(fields=["kind", "date"]),
            # Only events that name a user or a visit are looked up by them: the nightly
            # flags, most of the events, stay out of these two indexes.
            models.Index(
                fields=["recorded_by"],
                condition=Q(recorded_by__isnull=False),
                name="student_event_recorded_by",
            ),
            models.Index(
                fields=["visit_id"], condition=Q(visit_id__isnull=False), name="student_event_visit"
            ),
        ]
        constraints = [
            # Milestones a student reaches once in a life: the nightly flags and the IKD.
            # Two runs of a job at once cannot both record one (lifecycle.apply_many inserts
            # with ON CONFLICT DO NOTHING and counts only the rows it inserted). One taken
            # back with the step it followed (lifecycle.undo) no longer counts.
            models.UniqueConstraint(
                fields=["student", "kind"],
                condition=Q(kind__in=ONCE_KINDS, taken_back_by__isnull=True),
                name="student_event_milestone_once",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date}"


def _roster_upload_name(instance, filename):
    """Uploads are stored under a generated name: the uploader's file name is never a path."""
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()
    suffix = suffix if suffix in (".xlsx", ".csv") else ""
    return f"rosters/{uuid.uuid4().hex}{suffix}"


class RosterImport(models.Model):
    """One uploaded roster: its normalised rows (needed columns only), problems and outcome.

    The uploaded file itself is kept only until it has been read; what stays is the
    normalised rows, never the columns the programme does not need.
    """

    # The kept rows, problems and changes: megabytes for a large upload, needed only on the
    # upload's own page. Lists and polls leave them in the database.
    PAYLOAD_FIELDS = ("rows", "issues", "changes", "columns", "ignored_columns")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be read")
        READING = "reading", _("Being read")
        READY = "ready", _("Ready to confirm")
        COMMITTED = "committed", _("Saved")
        FAILED = "failed", _("Could not be read")

    class Layout(models.TextChoices):
        """The kind of file, recognised by its headers."""

        DAPODIK = "dapodik", _("Dapodik export")
        EMIS = "emis", _("EMIS export")
        TEMPLATE = "template", _("KTPku template")
        GENERIC = "generic", _("Other list")

    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="roster_imports",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    original_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to=_roster_upload_name, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    layout = models.CharField(_("layout"), max_length=10, choices=Layout.choices, blank=True)
    file_error_code = models.CharField(_("file error code"), max_length=30, blank=True)
    file_error_message = models.CharField(_("file error"), max_length=500, blank=True)
    # [[field, header text], ...] in the file's order (a JSON object would lose the order).
    columns = models.JSONField(default=list, blank=True)
    ignored_columns = models.JSONField(default=list, blank=True)
    rows = models.JSONField(default=list, blank=True)
    issues = models.JSONField(default=list, blank=True)
    changes = models.JSONField(default=list, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    valid_count = models.PositiveIntegerField(_("valid rows"), default=0)
    invalid_count = models.PositiveIntegerField(_("refused rows"), default=0)
    new_count = models.PositiveIntegerField(_("new students"), default=0)
    changed_count = models.PositiveIntegerField(_("changed students"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged students"), default=0)
    move_count = models.PositiveIntegerField(_("possible moves"), default=0)
    created_count = models.PositiveIntegerField(_("students created"), default=0)
    updated_count = models.PositiveIntegerField(_("students updated"), default=0)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # The SHA-256 of the uploaded file, to recognise the very file saved a moment ago
    # (services.repeats); erased with the kept rows.
    file_digest = models.CharField(max_length=64, blank=True, default="")
    # The saved upload this one repeated byte for byte, with nothing in the register
    # changed since: saved as it was, without being read again.
    same_as = models.ForeignKey(
        "self",
        verbose_name=_("same file as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # When the kept rows and problems were erased at the end of the retention period.
    purged_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True)
    # When the broker took the reading task; empty while it has not (the broker was down).
    sent_at = models.DateTimeField(_("sent to a worker at"), null=True, blank=True)
    reading_started_at = models.DateTimeField(null=True, blank=True)
    # The Celery task reading it: the broker hands a task out again when its worker died
    # before finishing (acks_late), and that task may then take the reading back. Each
    # claim counts; the result is kept only by the run holding the latest claim.
    reading_task_id = models.CharField(max_length=64, blank=True, default="")
    reading_attempts = models.PositiveSmallIntegerField(default=0)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    committed_at = models.DateTimeField(_("saved at"), null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("roster upload")
        verbose_name_plural = _("roster uploads")
        ordering = ["-created_at", "-pk"]
        permissions = [("upload_roster", _("Can upload a school's roster"))]
        indexes = [models.Index(fields=["school", "-created_at"])]

    def __str__(self):
        return f"{self.original_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def saved_row_count(self):
        """Valid rows that confirming writes (possible school moves wait for staff)."""
        return max(self.valid_count - self.move_count, 0)

    @property
    def column_map(self):
        """{field: header text as written in the file}, in the file's column order."""
        return dict(self.columns)


class SchoolMoveRequest(models.Model):
    """A student found on another school's roster: staff confirm or reject the move."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        CONFIRMED = "confirmed", _("Moved")
        REJECTED = "rejected", _("Rejected")

    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.CASCADE, related_name="move_requests"
    )
    from_school = models.ForeignKey(
        "schools.School", verbose_name=_("from school"), on_delete=models.CASCADE, related_name="+"
    )
    to_school = models.ForeignKey(
        "schools.School", verbose_name=_("to school"), on_delete=models.CASCADE, related_name="+"
    )
    roster_import = models.ForeignKey(
        RosterImport,
        verbose_name=_("roster upload"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="move_requests",
    )
    class_name = models.CharField(_("class"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("school move")
        verbose_name_plural = _("school moves")
        ordering = ["-created_at", "-pk"]
        permissions = [("decide_school_move", _("Can confirm or reject a school move"))]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "to_school"],
                condition=Q(status="pending"),
                name="one_pending_move_per_student_and_school",
            ),
        ]

    def __str__(self):
        return f"{self.student} → {self.to_school}"


from .tally_models import RecordingTally, StudentTally, TallyCuts  # noqa: E402, F401 (registered here)

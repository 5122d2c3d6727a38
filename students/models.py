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
    marital_status = models.CharField(_("marital status"), max_length=12,
                                      choices=MaritalStatus.choices,
                                      default=MaritalStatus.SINGLE)
    school = models.ForeignKey("schools.School", verbose_name=_("school"),
                               on_delete=models.PROTECT, related_name="students")
    class_name = models.CharField(_("class"), max_length=50, blank=True)
    guardian_name = models.CharField(_("guardian's name"), max_length=150, blank=True)
    guardian_phone = models.CharField(_("guardian's phone"), max_length=30, blank=True)
    consent_by = models.CharField(_("consent given by"), max_length=150, blank=True)
    consent_on = models.DateField(_("consent date"), null=True, blank=True)
    consent_method = models.CharField(_("consent method"), max_length=10,
                                      choices=ConsentMethod.choices, blank=True)
    # Written only by students.lifecycle, in step with the events.
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.ON_ROSTER, editable=False)
    status_since = models.DateField(_("status since"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

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
            models.CheckConstraint(condition=Q(nik__regex=r"^[0-9]{16}$"),
                                   name="student_nik_16_digits"),
            models.CheckConstraint(condition=Q(kk_number="") | Q(kk_number__regex=r"^[0-9]{16}$"),
                                   name="student_kk_16_digits"),
            models.CheckConstraint(condition=Q(nisn="") | Q(nisn__regex=r"^[0-9]{10}$"),
                                   name="student_nisn_10_digits"),
        ]
        indexes = [
            models.Index(fields=["school", "status"]),
            models.Index(fields=["status", "birth_date"]),
            models.Index(fields=["name", "id"]),
        ]

    def __str__(self):
        return f"{self.name} ({self.masked_nik})"

    @property
    def masked_nik(self):
        return nik_rules.mask(self.nik)

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
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


class CloseReason(models.TextChoices):
    HAS_KTP = "has_ktp", _("Already has a KTP-el")
    RECORDED_ELSEWHERE = "recorded_elsewhere", _("Recorded elsewhere")
    MOVED = "moved", _("Moved away")
    LEFT_SCHOOL = "left_school", _("Left school")
    DECEASED = "deceased", _("Deceased")


class SiakResult(models.TextChoices):
    DUPLICATE = "duplicate", _("Duplicate record")
    ENROLMENT_FAILURE = "enrolment_failure", _("Enrolment failure")
    ADJUDICATION = "adjudication", _("Adjudication")


class StudentEvent(models.Model):
    """One dated step in a student's life in the programme, and who recorded it."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="events",
                                verbose_name=_("student"))
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=30, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("student event")
        verbose_name_plural = _("student events")
        ordering = ["date", "recorded_at", "pk"]
        indexes = [models.Index(fields=["student", "date"]), models.Index(fields=["kind", "date"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date}"

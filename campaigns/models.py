"""Campaigns, their calendar, recording teams and the visits that take a team to a school.

How capacity reads (DESIGN: "no team or kit booked twice"): a team travels together and
visits one school a day, working there with all of its kits. One team-day therefore serves
at most ``kits * per_kit_per_day`` students (half that on a half day, such as a Friday when
the campaign says so). A kit belongs to one team, so a team never in two places on one day
also means no kit in two places. In the database: at most one live (not cancelled) visit
per team and day, and at most one per school and day (a school larger than one team-day is
split over consecutive days, not served by two teams at once).

Which days are closed is the campaign's calendar (CalendarDay rows: national holidays and
cuti bersama pre-filled from the ``holidays`` package, the campaign's own closed days, and
half days), plus Sundays, Saturdays for a team that does not work them, and each school's
blackout periods (schools.BlackoutPeriod), which close that school only.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_ical_token():
    return secrets.token_urlsafe(24)


class Campaign(models.Model):
    """One season of school visits, usually one school year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PLANNED = "planned", _("Planned")
        CLOSED = "closed", _("Closed")

    class PlanState(models.TextChoices):
        IDLE = "", _("Not planned yet")
        QUEUED = "queued", _("Waiting for the planner")
        RUNNING = "running", _("Planning")
        DONE = "done", _("Plan proposed")
        FAILED = "failed", _("Planning failed")

    name = models.CharField(_("name"), max_length=150)
    # The calendar year the campaign starts in (the reports are by year); the school year
    # it belongs to is shown as written, e.g. "2026/2027".
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    school_year = models.CharField(_("school year"), max_length=9, blank=True)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    schools = models.ManyToManyField(
        "schools.School", verbose_name=_("schools"), related_name="campaigns", blank=True
    )
    target = models.PositiveIntegerField(_("target (students)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    fridays_half_day = models.BooleanField(
        _("Fridays are half days"),
        default=True,
        help_text=_("On Fridays a team records half as many students (Friday prayers)."),
    )
    # The last planner run: its state and report (lower bound, team-days, uncovered students).
    plan_state = models.CharField(
        _("planner"), max_length=10, choices=PlanState.choices, default=PlanState.IDLE, blank=True
    )
    plan_requested_at = models.DateTimeField(null=True, blank=True)
    plan_started_at = models.DateTimeField(null=True, blank=True)
    plan_finished_at = models.DateTimeField(null=True, blank=True)
    plan_report = models.JSONField(default=dict, blank=True)
    plan_error = models.CharField(max_length=500, blank=True)
    # UU 27/2022 Pasal 20: the ground on which the office processes the children's data,
    # and the office's confirmation that parents (or the schools for them) were informed
    # and consent is arranged. A campaign without both is not planned or started.
    legal_basis = models.TextField(
        _("legal basis"),
        blank=True,
        help_text=_(
            "The law or decision the campaign rests on, e.g. UU 24/2013 on population "
            "administration and the regent's instruction of this year."
        ),
    )
    consent_confirmed_at = models.DateTimeField(
        _("consent arrangements confirmed at"), null=True, blank=True, editable=False
    )
    consent_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent arrangements confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-first_day", "-pk"]
        permissions = [("plan_campaign", _("Can run the planner and accept or change visits"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")), name="campaign_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def privacy_ready(self):
        """A legal basis is written and the consent arrangements are confirmed."""
        return bool(self.legal_basis.strip()) and self.consent_confirmed_at is not None


class CalendarDay(models.Model):
    """A day of a campaign that is closed, or a half day. Editable by staff."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("National holiday")
        CUTI_BERSAMA = "cuti_bersama", _("Cuti bersama")
        CLOSED = "closed", _("Closed day")
        HALF_DAY = "half_day", _("Half day")

    class Source(models.TextChoices):
        CALENDAR = "calendar", _("National calendar")
        STAFF = "staff", _("Entered by staff")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.STAFF
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "date"], name="one_calendar_row_per_day"),
        ]

    def __str__(self):
        return f"{self.date} {self.name}"

    @property
    def is_closed(self):
        return self.kind != self.Kind.HALF_DAY


class Team(models.Model):
    """A mobile recording team of one campaign: its members and its kits."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="teams"
    )
    name = models.CharField(_("name"), max_length=100)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        related_name="recording_teams",
        blank=True,
    )
    # Closes the team's visits; any member may record outcomes.
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team leader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
    )
    kits = models.PositiveSmallIntegerField(_("recording kits"), default=1)
    per_kit_per_day = models.PositiveSmallIntegerField(_("students per kit per day"), default=60)
    # ISO weekdays the team works, as digits: "12345" is Monday to Friday, "123456" adds
    # Saturday. Sunday (7) is never a working day.
    weekdays = models.CharField(_("working days"), max_length=6, default="12345")
    # The secret in the team's calendar feed address; a new one revokes the old address.
    ical_token = models.CharField(max_length=64, unique=True, default=new_ical_token)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["campaign", "name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="team_name_unique"),
            models.CheckConstraint(condition=Q(kits__gte=1), name="team_has_a_kit"),
            models.CheckConstraint(condition=Q(per_kit_per_day__gte=1), name="kit_records"),
            models.CheckConstraint(
                condition=Q(weekdays__regex=r"^1?2?3?4?5?6?$") & ~Q(weekdays=""),
                name="team_weekdays_mon_to_sat",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def capacity(self):
        """Students one full team-day can record."""
        return self.kits * self.per_kit_per_day

    def works_on(self, date):
        return str(date.isoweekday()) in self.weekdays


class VisitQuerySet(models.QuerySet):
    def live(self):
        """Visits that hold their team and day: proposed or accepted."""
        return self.exclude(status=Visit.Status.CANCELLED)

    def for_list(self):
        return self.select_related("school", "school__kecamatan", "team", "campaign")


class Visit(models.Model):
    """A team at a school on one day, to record students or to hand over cards."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        CANCELLED = "cancelled", _("Cancelled")

    class Kind(models.TextChoices):
        RECORDING = "recording", _("Recording")
        HANDOVER = "handover", _("Card handover")

    class Source(models.TextChoices):
        PLANNER = "planner", _("Planner")
        MANUAL = "manual", _("Entered by staff")

    class Answer(models.TextChoices):
        NONE = "", _("No answer yet")
        CONFIRMED = "confirmed", _("Confirmed")
        CHANGE_ASKED = "change_asked", _("Asked for another day")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="visits"
    )
    school = models.ForeignKey(
        "schools.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="visits"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="visits"
    )
    date = models.DateField(_("date"))
    expected = models.PositiveIntegerField(_("students expected"), default=0)
    # The students this visit is meant for: for a split school, each part has its own.
    students = models.ManyToManyField(
        "students.Student",
        verbose_name=_("students"),
        related_name="planned_visits",
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.RECORDING)
    part = models.PositiveSmallIntegerField(_("part"), default=1)
    parts = models.PositiveSmallIntegerField(_("parts"), default=1)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.PLANNER
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    coordinator_answer = models.CharField(
        _("coordinator's answer"), max_length=15, choices=Answer.choices, blank=True
    )
    coordinator_note = models.CharField(_("coordinator's note"), max_length=500, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # Claimed by the reminder job with a conditional update: each reminder goes out once.
    reminder_week_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_day_sent_at = models.DateTimeField(null=True, blank=True)
    # Set when the team leader closes the visit day: outcomes then change only through
    # staff, with a reason.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["date", "team__name", "pk"]
        permissions = [("answer_visit", _("Can confirm a visit date or ask for another"))]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "date"],
                condition=~Q(status="cancelled"),
                name="one_live_visit_per_team_and_day",
            ),
            models.UniqueConstraint(
                fields=["school", "date"],
                condition=~Q(status="cancelled"),
                name="one_live_visit_per_school_and_day",
            ),
            models.CheckConstraint(
                condition=Q(part__gte=1) & Q(part__lte=models.F("parts")),
                name="visit_part_of_parts",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "date"]),
            models.Index(fields=["school", "date"]),
        ]

    def __str__(self):
        return f"{self.school} {self.date} ({self.team})"


def _print_file_name(instance, filename):
    return f"cetak/{instance.campaign_id}/{filename}"


class PrintJob(models.Model):
    """A large PDF made by a task (every visit pack of a campaign or a team), with its
    progress for the page that waits for it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="print_jobs"
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="print_jobs",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(_("file"), upload_to=_print_file_name, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("print job")
        verbose_name_plural = _("print jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.campaign} {self.get_state_display()}"

    @property
    def progress(self):
        return round(100 * self.done / self.total) if self.total else 0


class Outcome(models.TextChoices):
    """What became of an expected student on the visit day."""

    RECORDED = "recorded", _("Recorded")
    ABSENT = "absent", _("Absent")
    FAILED = "failed", _("Recording failed")
    HAS_KTP = "has_ktp", _("Already has a KTP-el")
    RECORDED_ELSEWHERE = "recorded_elsewhere", _("Recorded elsewhere")
    REFUSED = "refused", _("Refused")
    NOT_YET_16 = "not_yet_16", _("Not yet 16")


class VisitOutcome(models.Model):
    """The current outcome of one student at one visit, with a version that every change
    must name: a change made from an older version is refused, not applied over."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="outcomes"
    )
    student = models.ForeignKey(
        "students.Student",
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="visit_outcomes",
    )
    # Empty: no outcome yet, or the last one was undone.
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=20, blank=True)
    version = models.PositiveIntegerField(default=0)
    # The lifecycle step this outcome made, which an undo or a change takes back.
    event = models.ForeignKey(
        "students.StudentEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("visit outcome")
        verbose_name_plural = _("visit outcomes")
        constraints = [
            models.UniqueConstraint(fields=["visit", "student"], name="one_outcome_per_visit"),
        ]

    def __str__(self):
        return f"{self.visit_id}/{self.student_id}: {self.outcome or '-'} v{self.version}"


class OutcomeChange(models.Model):
    """Every change sent from a checklist, under the key the browser gave it: a resend of
    the same key finds this row and its first answer, and changes nothing again."""

    key = models.UUIDField(unique=True)
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="outcome_changes")
    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, null=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, blank=True)
    reason = models.CharField(max_length=20, blank=True)
    base_version = models.PositiveIntegerField(null=True)
    accepted = models.BooleanField(default=False)
    message = models.CharField(max_length=500, blank=True)
    # A change after the visit was closed: the staff member's reason.
    note = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return str(self.key)


from .card_models import HandoverBatch, HandoverItem  # noqa: E402, F401 (registered here)
from .figure_models import RegencyCoverage, VisitTally  # noqa: E402, F401 - registered with the app

"""Running the planner on a campaign, writing its proposal, accepting it."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ktpku.tasks import enqueue
from students import dates
from students.models import Student

from ..conflicts import ERROR, Calendar
from ..models import Campaign, Team, Visit
from ..notifications import MAIL_NOT_SENT
from ..planning import problem as rules
from ..planning.solver import solve
from ..selectors import handover_problem, planning_problem, waiting
from .campaigns import require_privacy_ready

log = logging.getLogger(__name__)


# Deterministic seconds for a handover proposal: a few schools, one team-day each.
HANDOVER_EFFORT = 1.0


class PlanInvalid(Exception):
    """The planner proposed a visit the conflict check refuses: a bug, never shown as a plan."""


def uncovered_message(reason):
    return {
        rules.TURNS_16_AFTER_CAMPAIGN: _("Turns 16 after the campaign ends."),
        rules.NO_OPEN_DAY: _("The school has no open day left after the student turns 16."),
        rules.NO_CAPACITY: _("The teams have no free day left for this school."),
    }[reason]


def campaign_plan(*, campaign, by=None, today=None, commit=True, effort=None):
    """Propose the visits still needed: old proposals go, everything else stays.

    Accepted and manual visits are kept (their team-days are taken, their students are
    not planned again), and so are the proposed handover-only visits. Cards that were to
    ride with an old proposal wait while the planner runs, then go with the school's next
    visit within reach (perhaps a new proposal). With commit=False the proposal is computed
    and reported but the database is left exactly as it was. Returns the report (the
    plan_visits JSON).
    """
    from ..card_models import HandoverBatch
    from ..cards import batches

    today = today or dates.today()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        require_privacy_ready(campaign)
        old = Visit.objects.filter(
            campaign=campaign,
            status=Visit.Status.PROPOSED,
            source=Visit.Source.PLANNER,
            kind=Visit.Kind.RECORDING,
        )
        riding = list(
            HandoverBatch.objects.filter(
                visit__in=old, status=HandoverBatch.Status.OPEN
            ).values_list("pk", flat=True)
        )
        replanned = HandoverBatch.Moved.REPLANNED
        batches.follow(riding, because=replanned, by=by, today=today, detach=True)
        old.delete()
        problem = planning_problem(campaign, today=today)
        plan = solve(problem) if effort is None else solve(problem, effort=effort)
        report = _write(campaign, plan, by=by, today=today)
        batches.follow(riding, because=replanned, by=by, today=today)
        if commit:
            campaign.plan_report = report
            campaign.plan_finished_at = timezone.now()
            campaign.save(update_fields=["plan_report", "plan_finished_at", "updated_at"])
        else:
            transaction.set_rollback(True)
    return report


def _proposals(campaign, plan, *, by, kind=Visit.Kind.RECORDING):
    """The plan's visits as unsaved proposals, each passed through the conflict check every
    visit passes (PlanInvalid if one fails: the planner's bug, never shown as a plan)."""
    teams = {team.pk: team for team in Team.objects.filter(campaign=campaign)}
    schools = {school.pk: school for school in campaign.schools.all()}
    calendar = Calendar(campaign)
    recording = kind == Visit.Kind.RECORDING
    visits = []
    for planned in plan.visits:
        team, school = teams[planned.team], schools[planned.school]
        # A handover visit expects the cards of its batch, counted once they are in it.
        expected = len(planned.students) if recording else 0
        errors = [
            f
            for f in calendar.check(school=school, team=team, date=planned.date, expected=expected)
            if f.level == ERROR or f.code == "over_capacity"
        ]
        if errors:
            raise PlanInvalid(f"{school.code} {planned.date}: {errors}")
        calendar.take(None, team.pk, school.pk, planned.date)
        visits.append(
            Visit(
                campaign=campaign,
                school=school,
                team=team,
                date=planned.date,
                kind=kind,
                expected=expected,
                part=planned.part if recording else 1,
                parts=planned.parts if recording else 1,
                status=Visit.Status.PROPOSED,
                source=Visit.Source.PLANNER,
                created_by=by,
                updated_by=by,
            )
        )
    return visits, teams, schools


def _write(campaign, plan, *, by, today):
    visits, teams, schools = _proposals(campaign, plan, by=by)
    Visit.objects.bulk_create(visits)
    links = [
        Visit.students.through(visit_id=visit.pk, student_id=student)
        for visit, planned in zip(visits, plan.visits, strict=True)
        for student in planned.students
    ]
    Visit.students.through.objects.bulk_create(links, batch_size=2000)
    return {
        "campaign": campaign.pk,
        "visits": [
            {
                "school": schools[v.school].code,
                "team": teams[v.team].name,
                "date": v.date.isoformat(),
                "expected": len(v.students),
            }
            for v in plan.visits
        ],
        "team_days": plan.team_days,
        "lower_bound": plan.lower_bound,
        "optimal": plan.optimal,
        "uncovered": [
            {
                "school": schools[u.school].code,
                "students": len(u.students),
                "reason": u.reason,
                "message": uncovered_message(u.reason),
            }
            for u in plan.uncovered
        ],
        "planned_on": today.isoformat(),
    }


def handover_propose(*, campaign, schools, first, last, avoid=None):
    """Handover-only visits the planner proposes for `schools` (printed cards with no visit
    within reach): one team-day each between `first` and `last`, chosen by the same solver
    and conflict check as the recording plan (holidays and closed days, school blackouts,
    team working days, days already taken; early days first). Proposals, not dates: staff
    accept, move or cancel them on the schedule. `avoid` ({school id: dates}) closes more
    days for a school (the day of a visit just cancelled). Returns {school id: visit}; a
    school with no free day gets none.
    """
    problem = handover_problem(campaign, schools, first=first, last=last, avoid=avoid)
    if not problem.days or not problem.teams:
        return {}
    plan = solve(problem, effort=HANDOVER_EFFORT)
    visits, _teams, _schools = _proposals(campaign, plan, by=None, kind=Visit.Kind.HANDOVER)
    Visit.objects.bulk_create(visits)
    return {visit.school_id: visit for visit in visits}


def plan_run(campaign_id):
    """The planner task's work: claim the queued run, plan, record the outcome.

    A second delivery of the same task finds the run no longer queued and does nothing.
    """
    claimed = Campaign.objects.filter(pk=campaign_id, plan_state=Campaign.PlanState.QUEUED).update(
        plan_state=Campaign.PlanState.RUNNING, plan_started_at=timezone.now()
    )
    if not claimed:
        return None
    campaign = Campaign.objects.get(pk=campaign_id)
    try:
        report = campaign_plan(campaign=campaign)
    except Exception as error:
        log.exception("planning campaign %s failed", campaign_id)
        Campaign.objects.filter(pk=campaign_id).update(
            plan_state=Campaign.PlanState.FAILED,
            plan_finished_at=timezone.now(),
            plan_error=str(error)[:500],
        )
        raise
    Campaign.objects.filter(pk=campaign_id).update(plan_state=Campaign.PlanState.DONE)
    return report


@transaction.atomic
def plan_accept(*, campaign, by):
    """Accept every proposed visit of the campaign; the coordinators are told by e-mail.

    Returns the number of visits accepted (0 on a second press).
    """
    from ..tasks import notify_visits_set

    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require_privacy_ready(campaign)
    proposed = list(
        Visit.objects.filter(campaign=campaign, status=Visit.Status.PROPOSED).values_list(
            "pk", flat=True
        )
    )
    Visit.objects.filter(pk__in=proposed).update(
        status=Visit.Status.ACCEPTED, updated_by=by, updated_at=timezone.now()
    )
    if campaign.status == Campaign.Status.DRAFT:
        campaign.status = Campaign.Status.PLANNED
        campaign.save(update_fields=["status", "updated_at"])
    if proposed:
        transaction.on_commit(
            lambda: enqueue(notify_visits_set, proposed, run_here=True, unavailable=MAIL_NOT_SENT)
        )
    return len(proposed)


def waiting_students(*, campaign, school, date, exclude_visit=None):
    """The school's students still waiting, 16 by `date`, in no other live visit to come."""
    others = Visit.objects.filter(
        campaign=campaign, date__gte=dates.today(), closed_at__isnull=True
    ).live()
    if exclude_visit is not None:
        others = others.exclude(pk=exclude_visit.pk)
    candidates = (
        Student.objects.filter(waiting(), school=school)
        .exclude(planned_visits__in=others)
        .order_by("birth_date", "pk")
    )
    return [s for s in candidates if dates.may_be_recorded(s.birth_date, date)]

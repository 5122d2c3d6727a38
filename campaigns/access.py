"""Who may see which campaigns, teams and visits, and what they may do with them.

Campaigns and teams are the office's own planning: staff see them all, nobody else any
(a 403, since a campaign belongs to no school). A visit is seen by staff, by the members
of its team and by the coordinators of its school; a petugas or a coordinator sees only
accepted visits (a proposal is the office's draft). Any other visit answers 404, so a
guessed id reveals nothing. Views apply these through `ktpku.access.requires`.
"""

from django.shortcuts import get_object_or_404

from schools.access import schools_for_user
from students import dates

from .models import Campaign, HandoverBatch, PrintJob, Team, Visit


def can_export_subject_data(user):
    """The data-subject export shows a full NIK: staff with that right only."""
    return user.has_perm("students.view_full_nik")


def can_view_campaigns(user):
    return user.has_perm("campaigns.view_campaign")


def can_view_campaign(user, campaign):
    return can_view_campaigns(user)


def can_add_campaign(user):
    return user.has_perm("campaigns.add_campaign")


def can_change_campaign(user, campaign):
    return user.has_perm("campaigns.change_campaign")


def can_edit_calendar(user, campaign):
    return user.has_perm("campaigns.add_calendarday") and user.has_perm(
        "campaigns.delete_calendarday"
    )


def can_plan_campaigns(user):
    return user.has_perm("campaigns.plan_campaign")


def can_plan_campaign(user, campaign):
    return can_plan_campaigns(user)


def can_manage_teams(user):
    return user.has_perm("campaigns.add_team") and user.has_perm("campaigns.change_team")


def can_manage_team(user, team):
    return can_manage_teams(user)


def can_view_visits(user):
    return user.has_perm("campaigns.view_visit")


def can_change_visit(user, visit):
    """Moving, splitting or cancelling: staff, and only a visit still live."""
    return can_plan_campaigns(user) and visit.status != Visit.Status.CANCELLED


def can_answer_visits(user):
    return user.has_perm("campaigns.answer_visit")


def can_answer_visit(user, visit):
    """A coordinator answers an accepted visit of their school that has not happened yet."""
    return (
        can_answer_visits(user)
        and visit.status == Visit.Status.ACCEPTED
        and visit.date >= dates.today()
        and visit.school.coordinators.filter(pk=user.pk).exists()
    )


def can_see_expected_students(user, visit):
    """The names on a visit: staff and the visit's team (the checklist), not the school's
    coordinator, who has the school's own student list."""
    return can_plan_campaigns(user) or visit.team.members.filter(pk=user.pk).exists()


def campaigns_for_user(user):
    if not user.is_authenticated or not can_view_campaigns(user):
        return Campaign.objects.none()
    return Campaign.objects.all()


def get_campaign_for_user(user, pk):
    """Any campaign by id (404 if there is none); the predicate decides who may act on it."""
    return get_object_or_404(Campaign, pk=pk)


def teams_for_user(user):
    """Staff see every team; a team member their own teams."""
    if not user.is_authenticated:
        return Team.objects.none()
    if can_plan_campaigns(user) or can_manage_teams(user):
        return Team.objects.all()
    return Team.objects.filter(members=user)


def get_team_for_user(user, pk):
    return get_object_or_404(teams_for_user(user).select_related("campaign"), pk=pk)


def visits_for_user(user):
    """Staff: every visit. A team member: the accepted visits of their teams. A
    coordinator: the accepted visits of their schools. Anyone else: none."""
    if not user.is_authenticated or not can_view_visits(user):
        return Visit.objects.none()
    if can_plan_campaigns(user):
        return Visit.objects.all()
    accepted = Visit.objects.filter(status=Visit.Status.ACCEPTED)
    mine = accepted.filter(team__members=user)
    if can_answer_visits(user):
        mine = mine | accepted.filter(school__in=schools_for_user(user).values("pk"))
    return mine.distinct()


def get_visit_for_user(user, pk):
    return get_object_or_404(visits_for_user(user).for_list(), pk=pk)


def get_print_job_for_user(user, pk):
    """Any print job by id (404 if none); only staff may open one (the predicate)."""
    return get_object_or_404(PrintJob.objects.select_related("campaign", "team"), pk=pk)


def can_open_print_job(user, job):
    return can_plan_campaigns(user)


def can_record_outcomes(user):
    """Team members and staff record what became of the students at a visit."""
    return can_view_visits(user) and user.has_perm("students.record_event")


def can_use_checklist(user, visit):
    """An accepted recording visit's checklist: its team's members, and staff."""
    return (
        can_record_outcomes(user)
        and visit.kind == Visit.Kind.RECORDING
        and visit.status == Visit.Status.ACCEPTED
        and (can_plan_campaigns(user) or visit.team.members.filter(pk=user.pk).exists())
    )


def can_change_closed_outcomes(user, visit):
    """After the visit is closed, only staff change an outcome (with a reason)."""
    return can_plan_campaigns(user)


def can_close_visit(user, visit):
    """The team leader closes the visit day (staff may too, for a team without one)."""
    return (
        can_record_outcomes(user)
        and visit.kind == Visit.Kind.RECORDING
        and visit.status == Visit.Status.ACCEPTED
        and (visit.team.leader_id == user.pk or can_plan_campaigns(user))
    )


def can_add_students_at_visit(user, visit):
    """A student who turns up is added by the team while the visit is open (and by staff
    after it). The student joins the visit's school only: this is not the student form."""
    return can_use_checklist(user, visit) and may_add_students_at(user, visit)


def may_add_students_at(user, visit):
    """The part of the rule above that a checklist page, already allowed, still asks."""
    return visit.closed_at is None or can_plan_campaigns(user)


def can_enter_siak_results(user):
    """What SIAK says after recording is entered by the office."""
    return can_plan_campaigns(user) and user.has_perm("students.record_event")


def can_manage_cards(user):
    """The print queue, the forward view and the handover batches: the office's staff."""
    return user.has_perm("campaigns.manage_cards")


def can_manage_batch(user, batch):
    return can_manage_cards(user)


def can_reprint(user, student):
    return can_manage_cards(user)


def can_view_ready_cards(user):
    """The cards coming to a school: staff, and coordinators for their own schools."""
    return user.has_perm("campaigns.view_handoverbatch")


def get_batch_for_user(user, pk):
    """Any batch by id (404 if none); only staff may open one (the predicate)."""
    return get_object_or_404(HandoverBatch.objects.select_related("school", "visit__team"), pk=pk)


def can_view_dashboard(user):
    """Staff, admin and the head of office: the programme's figures for every school."""
    return user.has_perm("students.view_statistics")


def can_enter_coverage(user):
    return user.has_perm("campaigns.add_regencycoverage") and user.has_perm(
        "campaigns.change_regencycoverage"
    )

"""Downloads: the schedule PDFs, a school's visit pack, the schedule workbook, the
campaign's visits and outcomes as a workbook, and the team calendar feed (reached by its
secret address, without signing in)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.http import require_safe

from audit.models import Action
from audit.services import STUDENT, audit_record_query
from ktpku.access import POST, SAFE, requires
from ktpku.export_views import export_answer

from . import access, exports, ical, printables
from .list_exports import VISIT_EXPORT
from .models import Team

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _stamp():
    return timezone.localtime().strftime("%Y%m%d")


@requires(access.can_plan_campaign, load=access.get_campaign_for_user, methods=SAFE)
def schedule_pdf(request, campaign):
    return _download(
        printables.schedule_pdf(campaign), PDF, f"jadwal-kunjungan-{campaign.pk}-{_stamp()}.pdf"
    )


@requires(load=access.get_team_for_user, methods=SAFE)
def team_schedule_pdf(request, team):
    return _download(
        printables.schedule_pdf(team.campaign, team=team),
        PDF,
        f"jadwal-tim-{team.pk}-{_stamp()}.pdf",
    )


@requires(load=access.get_visit_for_user, methods=SAFE)
def visit_pack_pdf(request, visit):
    content = printables.visit_pack_pdf(visit)
    audit_record_query(
        actor=request.user,
        action=Action.PRINTED,
        object_type=STUDENT,
        ids=visit.students.values("pk"),
        details={"document": "visit_pack", "visit": visit.pk},
    )
    return _download(content, PDF, f"paket-kunjungan-{visit.pk}-{visit.date}.pdf")


@requires(access.can_see_expected_students, load=access.get_visit_for_user, methods=SAFE)
def visit_report_pdf(request, visit):
    return _download(
        printables.visit_report_pdf(visit), PDF, f"laporan-kunjungan-{visit.pk}-{visit.date}.pdf"
    )


@requires(access.can_plan_campaign, load=access.get_campaign_for_user, methods=SAFE)
def schedule_xlsx(request, campaign):
    with translation.override("id"):
        content = exports.schedule_workbook(campaign)
    return _download(content, XLSX, f"jadwal-kunjungan-{campaign.pk}-{_stamp()}.xlsx")


@requires(access.can_plan_campaign, load=access.get_campaign_for_user, methods=POST)
def visits_export(request, campaign):
    """Every visit of the campaign with its outcome counts, and each student's outcome."""
    back = reverse("campaigns:schedule", args=[campaign.pk])
    return export_answer(request, VISIT_EXPORT, {"campaign": campaign.pk}, back=back)


@require_safe
def team_feed(request, token):
    """The team's accepted visits for a phone calendar. The token is the only key: a
    wrong or revoked one answers 404."""
    team = get_object_or_404(Team.objects.select_related("campaign"), ical_token=token)
    with translation.override("id"):
        content = ical.team_calendar(team, host=request.get_host())
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tim-{team.pk}.ics"'
    return response


# No sign-in: a phone calendar cannot log in. The secret address is the rule.
team_feed.access_rule = ("secret address", None, SAFE)

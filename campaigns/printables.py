"""The printed schedule, a team's schedule and a school's visit pack, as A4 PDFs in
Indonesian whatever the language of the page that asked for them."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import schedules
from .pdf import render_html, render_pdf

# The time the letter gives the school; the team arrives before to set up the kits.
VISIT_START_TIME = "08.00"


def schedule_pdf(campaign, *, team=None):
    """Every live visit of the campaign (or of one team) by date, with team and school."""
    with translation.override("id"):
        visits = list(schedules.schedule(campaign, team=team))
        title = (
            _("Visit schedule of %(team)s") % {"team": team.name} if team else _("Visit schedule")
        )
        return render_pdf(
            "campaigns/print/schedule.html",
            {
                "title": title,
                "campaign": campaign,
                "team": team,
                "members": list(team.members.order_by("first_name", "username")) if team else [],
                "visits": visits,
                "printed": timezone.localtime(),
            },
        )


def _visit_pack_context(visit):
    return {
        "visit": visit,
        "members": list(visit.team.members.order_by("first_name", "username")),
        "students": list(
            visit.students.order_by("class_name", "name").only(
                "name", "class_name", "nik", "birth_date"
            )
        ),
        "start_time": VISIT_START_TIME,
        "printed": timezone.localtime(),
    }


def visit_pack_pdf(visit):
    """The notification letter to the school, then the checklist of the students expected
    (masked NIK, an outcome box and a signature column)."""
    with translation.override("id"):
        return render_pdf("campaigns/print/visit_pack.html", _visit_pack_context(visit))


def visit_pack_html(visit):
    """The same pack as HTML, for a job that puts many packs in one PDF."""
    return render_html("campaigns/print/visit_pack.html", _visit_pack_context(visit))


def visit_report_pdf(visit):
    """The visit's report: counts, every expected student's outcome (masked NIK), and the
    signature lines of the team leader and the school."""
    from . import checklists

    with translation.override("id"):
        rows = checklists.report_rows(visit)
        by_outcome = {}
        for row in rows:
            if row["code"]:
                by_outcome[row["code"]] = by_outcome.get(row["code"], 0) + 1
        return render_pdf(
            "campaigns/print/visit_report.html",
            {
                "visit": visit,
                "members": list(visit.team.members.order_by("first_name", "username")),
                "rows": rows,
                "counts": checklists.counts_from(by_outcome, len(rows)),
                "printed": timezone.localtime(),
            },
        )

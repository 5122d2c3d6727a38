"""The roster pages: upload, progress, preview and confirm, history, school moves."""

import logging
import time
from collections import OrderedDict

from django.contrib import messages
from django.core.cache import caches
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record
from ktpku import log
from ktpku.access import GET, POST, requires
from schools.access import can_see_all_schools
from students.models import RosterImport, SchoolMoveRequest, Student

from . import access, exports, services, validation
from .forms import RosterUploadForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HISTORY_LIMIT = 200
# Upload attempts a user may make in a minute (a school uploads a few times a day).
UPLOADS_PER_MINUTE = 10
# The preview lists this many rows per kind of problem; the workbook has them all.
ISSUES_SHOWN_PER_KIND = 500


def _upload_form(request):
    schools = access.upload_schools_for_user(request.user)
    choose = can_see_all_schools(request.user) or schools.count() > 1
    # `?school=<id>` (from a school's page) preselects that school; only the user's own
    # schools are choices, so any other value selects nothing.
    return RosterUploadForm(
        request.POST or None,
        request.FILES or None,
        schools=schools,
        choose_school=choose,
        initial={"school": request.GET.get("school")},
    )


def _over_upload_quota(user):
    """More than UPLOADS_PER_MINUTE upload attempts by this user in the current minute?

    Kept in the "shared" cache (a database table), so the count holds across web processes
    and does not depend on Redis being up.
    """
    quota = caches["shared"]
    key = f"roster-uploads:{user.pk}:{int(time.time() // 60)}"
    quota.add(key, 0, timeout=120)
    try:
        return quota.incr(key) > UPLOADS_PER_MINUTE
    except ValueError:  # the key expired between add and incr
        return False


@requires(access.can_upload_roster)
def upload(request):
    if request.method == "POST" and _over_upload_quota(request.user):
        _log_rejected(request, reason="quota")
        return render(request, "students/roster_too_many.html", status=429)
    form = _upload_form(request)
    if request.method == "POST" and not form.is_valid():
        _log_rejected(request, reason="form", fields=sorted(form.errors.as_data()))
    if request.method == "POST" and form.is_valid():
        roster_import = services.roster_import_create(
            school=form.cleaned_data["school"],
            user=request.user,
            uploaded_file=form.cleaned_data["file"],
        )
        if roster_import.status != RosterImport.Status.FAILED:
            return redirect("rosters:detail", pk=roster_import.pk)
        # Read at once and unreadable (no header row, too many rows): say so on the form.
        _log_rejected(request, reason=roster_import.file_error_code, roster_import=roster_import.pk)
        form.add_error("file", roster_import.file_error_message)
    recent = access.roster_imports_for_list(request.user)[:5]
    return render(request, "students/roster_upload.html", {"form": form, "recent": recent})


def _log_rejected(request, **fields):
    log.event(request, "import_rejected", outcome="refused", level=logging.WARNING, **fields)


def _issue_groups(roster_import):
    """Problems grouped by kind, errors first: dicts of code, title, severity, issues, count."""
    groups = OrderedDict()
    for issue in sorted(
        roster_import.issues, key=lambda i: (i["severity"] != "error", i["code"], i["row"])
    ):
        groups.setdefault((issue["code"], issue["severity"]), []).append(issue)
    return [
        {
            "code": code,
            "severity": severity,
            "count": len(issues),
            "title": validation.ISSUE_TITLES.get(code, code),
            "issues": issues[:ISSUES_SHOWN_PER_KIND],
            "hidden": max(len(issues) - ISSUES_SHOWN_PER_KIND, 0),
        }
        for (code, severity), issues in groups.items()
    ]


def _changes(roster_import):
    """The stored changes with each field's label, for the "field old → new" table."""
    return [
        {
            **change,
            "fields": [
                {**item, "label": Student._meta.get_field(item["field"]).verbose_name}
                for item in change["fields"]
            ],
        }
        for change in roster_import.changes
    ]


@requires(load=access.get_roster_import_for_user)
def detail(request, roster_import):
    context = {
        "roster_import": roster_import,
        "issue_groups": _issue_groups(roster_import),
        "changes": _changes(roster_import),
        "Status": RosterImport.Status,
    }
    return render(request, "students/roster_detail.html", context)


@requires(load=access.get_roster_import_counts_for_user, methods=GET)
def progress(request, roster_import):
    if roster_import.status not in (RosterImport.Status.QUEUED, RosterImport.Status.READING):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("rosters:detail", args=[roster_import.pk])
        return response
    return render(request, "students/roster_progress.html", {"roster_import": roster_import})


@requires(load=access.get_roster_import_counts_for_user, methods=POST)
def confirm(request, roster_import):
    try:
        roster_import = services.roster_import_commit(
            roster_import_id=roster_import.pk, user=request.user
        )
    except services.RosterNotReady:
        messages.warning(request, _("This upload has already been saved or cannot be saved."))
    # On success the page itself says what was saved (new, updated, unchanged, moves):
    # no second, shorter copy of it as a message on top.
    return redirect("rosters:detail", pk=roster_import.pk)


@requires(load=access.get_roster_import_for_user, methods=GET)
def refused(request, roster_import):
    content = exports.refused_rows_workbook(roster_import)
    # The refused rows carry the NIKs typed in the file: who took them out is recorded.
    audit_record(
        actor=request.user,
        action=Action.EXPORTED,
        object_type="students.rosterimport",
        object_ids=[roster_import.pk],
        details={"document": "refused_rows"},
    )
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime(roster_import.created_at).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="perbaiki-daftar-siswa-{roster_import.pk}-{stamp}.xlsx"'
    )
    return response


@requires(access.can_upload_roster, methods=GET)
def template(request):
    response = HttpResponse(exports.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="template-daftar-siswa.xlsx"'
    return response


@requires(access.can_upload_roster, methods=GET)
def history(request):
    imports = access.roster_imports_for_list(request.user)
    school_id = request.GET.get("school", "")
    if school_id.isdigit():
        imports = imports.filter(school_id=int(school_id))
    schools = None
    if can_see_all_schools(request.user):
        schools = access.upload_schools_for_user(request.user).only("pk", "name")
    return render(
        request,
        "students/roster_history.html",
        {"imports": imports[:HISTORY_LIMIT], "schools": schools, "school_id": school_id},
    )


@requires(access.can_decide_school_moves, methods=GET)
def moves(request):
    rows = access.school_moves_for_list(request.user)[:HISTORY_LIMIT]
    return render(
        request,
        "students/roster_moves.html",
        {
            "moves": rows,
            "crowded": list(access.uploads_asking_many_moves(request.user)),
            "Status": SchoolMoveRequest.Status,
        },
    )


@requires(access.can_decide_school_moves, methods=POST)
def move_decide(request, pk, decision):
    move = access.get_school_move_for_user(request.user, pk)
    try:
        move = services.school_move_decide(
            move_id=move.pk, user=request.user, confirm=decision == "confirm"
        )
    except services.MoveAlreadyDecided:
        messages.warning(request, _("This move has already been decided."))
    except services.MoveOutdated:
        messages.warning(
            request,
            _(
                "The student is no longer at the school this move starts "
                "from: check the student's page, then reject this move."
            ),
        )
    else:
        if move.status == SchoolMoveRequest.Status.CONFIRMED:
            messages.success(request, _("The student now belongs to the new school."))
        else:
            messages.info(request, _("The move was rejected; the student stays at their school."))
    return redirect("rosters:moves")

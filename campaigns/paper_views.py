"""The paper checklist: download the visit's workbook, upload it filled in, preview,
confirm. The changes go through the same service as a tap on the checklist."""

from django.contrib import messages
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ktpku import intake
from ktpku.access import POST, SAFE, requires

from . import access, checklists, paper_checklist
from .services import visit_day

SALT = "campaigns.paper_checklist"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@requires(access.can_use_checklist, load=access.get_visit_for_user, methods=SAFE)
def checklist_xlsx(request, visit):
    content = paper_checklist.workbook(visit, checklists.report_rows(visit))
    response = HttpResponse(content, content_type=XLSX)
    name = f"daftar-periksa-{visit.pk}-{visit.date}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires(access.can_use_checklist, load=access.get_visit_for_user)
def checklist_upload(request, visit):
    context = {"visit": visit}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = _("Choose the filled-in checklist workbook.")
        else:
            try:
                changes, issues, count = paper_checklist.preview(visit, upload, upload.name)
            except intake.FileRejected as rejected:
                context["error"] = rejected.message
            else:
                context |= {
                    "changes": changes,
                    "issues": issues,
                    "count": count,
                    "names": dict(visit.students.values_list("pk", "name")),
                    "payload": signing.dumps(changes, salt=f"{SALT}:{visit.pk}"),
                }
    status = 400 if context.get("error") else 200
    return render(request, "campaigns/checklist_upload.html", context, status=status)


@requires(access.can_use_checklist, load=access.get_visit_for_user, methods=POST)
def checklist_upload_confirm(request, visit):
    try:
        changes = signing.loads(
            request.POST.get("payload", ""), salt=f"{SALT}:{visit.pk}", max_age=3600
        )
    except signing.BadSignature:
        messages.warning(request, _("The preview has expired: upload the file again."))
        return redirect("campaigns:checklist_upload", pk=visit.pk)
    staff = access.can_change_closed_outcomes(request.user, visit)
    accepted = 0
    for change in changes:
        student, outcome, reason, version = change
        answer = visit_day.record_outcome(
            visit=visit,
            student_id=student,
            outcome=outcome,
            reason=reason,
            version=version,
            key=paper_checklist.change_key(visit, changes, change),
            by=request.user,
            staff=staff,
            note=_("From the paper checklist") if staff else "",
        )
        if answer.accepted:
            accepted += 1
        else:
            messages.warning(request, answer.message)
    messages.success(
        request,
        ngettext(
            "%(count)d outcome from the paper checklist saved.",
            "%(count)d outcomes from the paper checklist saved.",
            accepted,
        )
        % {"count": accepted},
    )
    return redirect("campaigns:checklist", pk=visit.pk)

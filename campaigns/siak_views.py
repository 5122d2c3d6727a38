"""SIAK results: by upload (a list of NIKs with their status, previewed, then confirmed),
or by ticking recorded students on a list and giving them one result."""

from django.contrib import messages
from django.core import signing
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ktpku import intake
from ktpku.access import POST, requires
from students import dates
from students.access import students_for_user

from . import access, siak
from .models import Visit
from .services.siak import SiakRefused, siak_results_apply, siak_results_select
from .siak_forms import RecordedFilterForm, SiakSelectForm

# The list shows this many students at most: a school or a visit narrows it.
SELECT_PAGE = 500

SALT = "campaigns.siak"


@requires(access.can_enter_siak_results)
def siak_upload(request):
    context = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = _("Choose the file with the SIAK results.")
        else:
            try:
                found = siak.preview(upload, upload.name)
            except intake.FileRejected as rejected:
                context["error"] = rejected.message
            else:
                context |= {
                    "preview": found,
                    "filename": upload.name,
                    "payload": signing.dumps(found.valid, salt=SALT, compress=True),
                }
    status = 400 if context.get("error") else 200
    return render(request, "campaigns/siak_upload.html", context, status=status)


@requires(access.can_enter_siak_results, methods=POST)
def siak_confirm(request):
    try:
        rows = signing.loads(request.POST.get("payload", ""), salt=SALT, max_age=3600)
    except signing.BadSignature:
        messages.warning(request, _("The preview has expired: upload the file again."))
        return redirect("campaigns:siak_upload")
    moved = siak_results_apply(rows=rows, by=request.user)
    messages.success(
        request,
        _("SIAK results saved: %(count)d students moved on.") % {"count": sum(moved.values())},
    )
    return redirect("campaigns:siak_upload")


def _recorded_list(request):
    """The filter and the recorded students it selects (the page's GET parameters)."""
    filters = RecordedFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    visit = None
    if chosen.get("kunjungan"):
        visit = Visit.objects.select_related("school").filter(pk=chosen["kunjungan"]).first()
    students = siak.recorded_students(school=chosen.get("sekolah"), visit=visit)
    return filters, visit, students


@requires(access.can_enter_siak_results)
def siak_select(request):
    """Recorded students with a tick box each; the ticked ones take one SIAK result.

    All or none: a ticked student who cannot take it (their status changed meanwhile) is
    named in the message and nothing is saved. Sending the same form twice changes
    nothing the second time.
    """
    filters, visit, students = _recorded_list(request)
    form = SiakSelectForm(request.POST or None, initial={"tanggal": dates.today()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                moved, already = siak_results_select(
                    students=students_for_user(request.user).filter(
                        pk__in=form.cleaned_data["siswa"]
                    ),
                    result=form.cleaned_data["hasil"],
                    on=form.cleaned_data["tanggal"],
                    by=request.user,
                )
            except SiakRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                _say_done(request, moved, already)
                return redirect(request.get_full_path())
        status = 400
    rows = list(students[: SELECT_PAGE + 1])
    context = {
        "filters": filters,
        "visit": visit,
        "form": form,
        "students": rows[:SELECT_PAGE],
        "more": len(rows) > SELECT_PAGE,
        "ticked": set(getattr(form, "cleaned_data", {}).get("siswa") or []),
    }
    return render(request, "campaigns/siak_select.html", context, status=status)


def _say_done(request, moved, already):
    if moved:
        messages.success(
            request,
            ngettext(
                "SIAK result saved for %(count)d student.",
                "SIAK result saved for %(count)d students.",
                len(moved),
            )
            % {"count": len(moved)},
        )
    if already:
        messages.info(
            request,
            ngettext(
                "%(count)d ticked student had this result already: nothing changed for them.",
                "%(count)d ticked students had this result already: nothing changed for them.",
                already,
            )
            % {"count": already},
        )

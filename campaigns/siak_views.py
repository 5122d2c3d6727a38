"""SIAK results by upload: a list of NIKs with their status, previewed, then confirmed."""

from django.contrib import messages
from django.core import signing
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ktpku import intake
from ktpku.access import POST, requires

from . import access, siak
from .services.siak import siak_results_apply

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

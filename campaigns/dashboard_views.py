"""The dashboard: the programme's figures for staff, admin and the head of office."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ktpku.access import SAFE, requires
from students import dates

from . import access
from .coverage_forms import CoverageForm
from .dashboard import dashboard_figures, forget_shared_figures, sorted_schools
from .models import RegencyCoverage
from .services.coverage import coverage_save
from .yearly_report import yearly_report_pdf

# The school table shows a page of schools at a time: a province has thousands.
SCHOOLS_PER_PAGE = 50
SORT_COLUMNS = [
    ("name", gettext_lazy("School")),
    ("kecamatan", gettext_lazy("Kecamatan")),
    ("of_age", gettext_lazy("Of age")),
    ("progress", gettext_lazy("Recorded")),
    ("overdue", gettext_lazy("Overdue")),
]


@requires(access.can_view_dashboard, methods=SAFE)
def dashboard(request):
    figures = dashboard_figures(request.user)
    schools, sort = sorted_schools(figures["schools"], request.GET.get("sort", "name"))
    page = Paginator(schools, SCHOOLS_PER_PAGE).get_page(request.GET.get("page"))
    charts = {
        "weekly": {
            "labels": [w for w, _n in figures["weekly"]],
            "values": [n for _w, n in figures["weekly"]],
        },
        "due": {
            "labels": [m for m, _n in figures["due"]],
            "values": [n for _m, n in figures["due"]],
        },
        "years": {
            "labels": [str(row["year"]) for row in figures.get("years", [])],
            "schools": [row["schools_served"] for row in figures.get("years", [])],
            "recorded": [row["students_recorded"] for row in figures.get("years", [])],
            "handed_over": [row["cards_handed_over"] for row in figures.get("years", [])],
            "series": [_("Schools served"), _("Students recorded"), _("Cards handed over")],
        },
        "coverage": {
            "labels": [str(row["year"]) for row in figures.get("coverage", [])],
            "without_ktp": [row["without_ktp"] for row in figures.get("coverage", [])],
            "recorded": [row["recorded"] for row in figures.get("coverage", [])],
            "series": [_("Without a KTP"), _("Recorded by the programme")],
        },
    }
    return render(
        request,
        "campaigns/dashboard.html",
        {
            "figures": figures,
            "schools": page,
            "page_obj": page,
            "query": f"sort={sort}",
            "sort": sort,
            "sort_columns": SORT_COLUMNS,
            "charts": charts,
            "can_enter_coverage": access.can_enter_coverage(request.user),
        },
    )


@requires(access.can_view_dashboard, methods=SAFE)
def report_pdf(request, year):
    if not 2000 <= year <= dates.today().year + 1:
        raise Http404
    response = HttpResponse(yearly_report_pdf(year), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="laporan-ktp-el-sekolah-{year}.pdf"'
    return response


@requires(access.can_enter_coverage, methods=("GET", "HEAD", "POST"))
def coverage(request):
    form = CoverageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        coverage_save(
            year=data["year"],
            kecamatan=data["kecamatan"],
            obliged=data["obliged"],
            without_ktp=data["without_ktp"],
            user=request.user,
        )
        forget_shared_figures()  # the dashboards show the new figures at once
        messages.success(request, _("The figures of %(year)d are saved.") % {"year": data["year"]})
        return redirect("campaigns:coverage")
    entries = RegencyCoverage.objects.select_related("kecamatan").order_by(
        "-year", "kecamatan__name"
    )
    return render(request, "campaigns/coverage.html", {"form": form, "entries": entries})

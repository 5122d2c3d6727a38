"""The yearly report as an A4 PDF: the year's figures, per kecamatan, kind and school,
the comparison with earlier years, and the charts drawn as SVG."""

from django.utils import timezone
from django.utils.translation import gettext as _

from schools.models import School

from . import pdf
from .dashboard import coverage
from .svg_charts import bar_chart
from .yearly import campaign_years, year_figures


def report_context(year):
    """Four queries: the campaign years, the names, the visit rows, the regency figures."""
    years = [y for y in campaign_years() if y <= year] or [year]
    if year not in years:
        years.append(year)
    by_year = year_figures(years)
    report = by_year[year]
    kinds = dict(School.Kind.choices)
    regency, per_kecamatan = coverage({year: report})
    kecamatan_coverage = [
        {"name": area["name"], **row} for area in per_kecamatan for row in area["rows"]
        if row["year"] == year
    ]  # fmt: skip
    return {
        "year": year,
        "report": report,
        "kinds": [
            (kinds.get(kind, kind), figures) for kind, figures in report["by_school_kind"].items()
        ],
        "history": [by_year[y] for y in sorted(by_year)],
        "coverage": next((row for row in regency if row["year"] == year), None),
        "kecamatan_coverage": kecamatan_coverage,
        "kecamatan_chart": bar_chart(
            [row["kecamatan"] for row in report["by_kecamatan"]],
            [row["students_recorded"] for row in report["by_kecamatan"]],
        ),
        "years_chart": bar_chart(
            [str(y) for y in sorted(by_year)],
            [by_year[y]["students_recorded"] for y in sorted(by_year)],
            colour="#2e8b57",
        ),
        "printed": timezone.localtime(),
        "title": _("KTP-el recording at school: report %(year)d") % {"year": year},
    }


def yearly_report_pdf(year):
    return pdf.render_pdf("campaigns/print/yearly_report.html", report_context(year))

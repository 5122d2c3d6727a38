"""A campaign year's figures, as `campaign_report` prints them and the yearly PDF shows them.

What the issue defines: schools served are the schools with at least one visit that year
at which at least one student was recorded; students recorded are the students recorded
at that year's school visits. A student counts as recorded at a visit when their RECORDED
event falls on the visit's day and they belong to the visit's school; cards printed and
handed over are those of the students recorded that year, whenever they came. A visit's
tally (figure_models.VisitTally) adds the students that are no longer held one by one.

One query reads every visit of the asked years with its three counts (subqueries over
the student events); the grouping by year, kecamatan and kind of school runs over those
visit rows, never over students.
"""

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from schools.models import School
from students.models import EventKind, StudentEvent

from .models import Campaign, Visit

FIGURES = ("students_recorded", "cards_printed", "cards_handed_over")


def _count_students(events):
    counted = (
        events.order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("student", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def visit_rows(years):
    """Every live visit of `years` with its recorded, printed and handed-over counts."""
    # Steps taken back (lifecycle.undo) did not happen: they are not counted.
    recorded_here = StudentEvent.objects.filter(
        kind=EventKind.RECORDED,
        date=OuterRef("date"),
        student__school=OuterRef("school"),
        taken_back_by__isnull=True,
    )

    def later(kind):
        return recorded_here.filter(
            Exists(
                StudentEvent.objects.filter(
                    kind=kind, student=OuterRef("student"), taken_back_by__isnull=True
                )
            )
        )

    return list(
        Visit.objects.live()
        .filter(campaign__year__in=years)
        .order_by()
        .values(
            "pk",
            "campaign__year",
            "school_id",
            "school__name",
            "school__kind",
            "school__kecamatan_id",
            "school__kecamatan__name",
        )
        .annotate(
            students_recorded=_count_students(recorded_here) + Coalesce("tally__recorded", 0),
            cards_printed=_count_students(later(EventKind.PRINTED)) + Coalesce("tally__printed", 0),
            cards_handed_over=_count_students(later(EventKind.HANDED_OVER))
            + Coalesce("tally__handed_over", 0),
        )
    )


def _empty():
    return {"schools_served": 0, **dict.fromkeys(FIGURES, 0)}


def _add(groups, key, row):
    group = groups.setdefault(key, {**_empty(), "_schools": set()})
    for figure in FIGURES:
        group[figure] += row[figure]
    if row["students_recorded"]:
        group["_schools"].add(row["school_id"])
    group["schools_served"] = len(group["_schools"])


def _clean(groups):
    for group in groups.values():
        group.pop("_schools", None)
    return groups


def year_figures(years):
    """{year: report dict} for each of `years` (2 queries in all)."""
    years = sorted(set(years))
    names = {}
    for year, name in (
        Campaign.objects.filter(year__in=years).order_by("first_day").values_list("year", "name")
    ):
        names.setdefault(year, []).append(name)
    return year_figures_from_rows(years, names, visit_rows(years))


def year_figures_from_rows(years, names, rows):
    """The report dicts from `visit_rows` and the campaigns' names by year."""
    totals, by_kecamatan, by_kind, by_school = {}, {}, {}, {}
    for row in rows:
        year = row["campaign__year"]
        _add(totals, year, row)
        _add(
            by_kecamatan.setdefault(year, {}),
            (row["school__kecamatan__name"], row["school__kecamatan_id"]),
            row,
        )
        _add(by_kind.setdefault(year, {}), row["school__kind"], row)
        _add(by_school.setdefault(year, {}), (row["school__name"], row["school_id"]), row)
    reports = {}
    for year in years:
        kecamatan = _clean(by_kecamatan.get(year, {}))
        kinds = _clean(by_kind.get(year, {}))
        schools = _clean(by_school.get(year, {}))
        reports[year] = {
            "year": year,
            "campaigns": names.get(year, []),
            **_clean(totals).get(year, _empty()),
            "by_kecamatan": [
                {"kecamatan": name, "code": code, **figures}
                for (name, code), figures in sorted(kecamatan.items())
            ],
            "by_school_kind": {
                kind: kinds.get(kind, _empty()) for kind in School.Kind.values if kind in kinds
            },
            "by_school": [
                {"school": name, **figures}
                for (name, _pk), figures in sorted(schools.items())
                if figures["students_recorded"]
            ],
        }
    return reports


def campaign_years():
    return list(Campaign.objects.order_by("year").values_list("year", flat=True).distinct())

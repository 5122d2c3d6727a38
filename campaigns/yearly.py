"""A campaign year's figures, as `campaign_report` prints them and the yearly PDF shows them.

What the issue defines: schools served are the schools with at least one visit that year
at which at least one student was recorded; students recorded are the students recorded
at that year's school visits. A student counts as recorded at a visit when their RECORDED
event falls on the visit's day and they belong to the visit's school; cards printed and
handed over are those of the students recorded that year, whenever they came. A visit's
tally (figure_models.VisitTally) adds the students that are no longer held one by one.

One query reads every visit of the asked years with its three counts (subqueries over
the recording tally the database keeps on PostgreSQL, students.tallies: one row per school
and recording day; elsewhere over the student events); the grouping by year, kecamatan and
kind of school runs over those visit rows, never over students.
"""

from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from schools.models import School
from students import tallies
from students.models import EventKind, RecordingTally, StudentEvent

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


def _tallied(**flags):
    """The students recorded at the visit's school on its day (with `flags`), tallied."""
    rows = RecordingTally.objects.filter(
        school_id=OuterRef("school_id"), date=OuterRef("date"), **flags
    )
    total = rows.order_by().values("school_id").annotate(total=Sum("n")).values("total")
    return Coalesce(Subquery(total, output_field=IntegerField()), 0)


def _counted():
    """The three counts of a visit from the student events (where no tally is kept)."""
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

    return (
        _count_students(recorded_here),
        _count_students(later(EventKind.PRINTED)),
        _count_students(later(EventKind.HANDED_OVER)),
    )


def visit_rows(years):
    """Every live visit of `years` with its recorded, printed and handed-over counts."""
    if tallies.available():
        recorded, printed, handed_over = (
            _tallied(),
            _tallied(printed=True),
            _tallied(handed_over=True),
        )
    else:
        recorded, printed, handed_over = _counted()
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
            students_recorded=recorded + Coalesce("tally__recorded", 0),
            cards_printed=printed + Coalesce("tally__printed", 0),
            cards_handed_over=handed_over + Coalesce("tally__handed_over", 0),
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


YEAR_TOTALS_SQL = """
SELECT c.year, s.kecamatan_id, GROUPING(s.kecamatan_id),
       count(DISTINCT v.school_id)
           FILTER (WHERE COALESCE(r.recorded, 0) + COALESCE(t.recorded, 0) > 0),
       sum(COALESCE(r.recorded, 0) + COALESCE(t.recorded, 0))::bigint,
       sum(COALESCE(r.printed, 0) + COALESCE(t.printed, 0))::bigint,
       sum(COALESCE(r.handed_over, 0) + COALESCE(t.handed_over, 0))::bigint
FROM campaigns_visit v
JOIN campaigns_campaign c ON c.id = v.campaign_id
JOIN schools_school s ON s.id = v.school_id
LEFT JOIN campaigns_visittally t ON t.visit_id = v.id
LEFT JOIN (
    SELECT school_id, date, sum(n) AS recorded, sum(n) FILTER (WHERE printed) AS printed,
           sum(n) FILTER (WHERE handed_over) AS handed_over
    FROM students_recordingtally GROUP BY school_id, date
) r ON r.school_id = v.school_id AND r.date = v.date
WHERE v.status <> 'cancelled' AND c.year = ANY(%s)
GROUP BY GROUPING SETS ((c.year), (c.year, s.kecamatan_id))
"""


def year_totals(years):
    """{year: {"year", "schools_served", "students_recorded", "cards_printed",
    "cards_handed_over", "by_kecamatan": [{"code", the same figures}]}}: the totals of
    year_figures with only the kecamatan breakdown (by id), for the dashboard. One query;
    on PostgreSQL a join of the visits with the recording tally."""
    if not tallies.available():
        groups, kecamatan = {}, {}
        for row in visit_rows(years):
            _add(groups, row["campaign__year"], row)
            _add(kecamatan.setdefault(row["campaign__year"], {}), row["school__kecamatan_id"], row)
        _clean(groups)
        return {
            year: {
                "year": year,
                **groups.get(year, _empty()),
                "by_kecamatan": [
                    {"code": code, **figures}
                    for code, figures in sorted(_clean(kecamatan.get(year, {})).items())
                ],
            }
            for year in years
        }
    totals = {year: {"year": year, **_empty(), "by_kecamatan": []} for year in years}
    with connection.cursor() as cursor:
        cursor.execute(YEAR_TOTALS_SQL, [list(years)])
        rows = sorted(cursor.fetchall(), key=lambda row: (row[0], row[2], row[1] or 0))
    for year, code, whole_year, schools, recorded, printed, handed_over in rows:
        figures = {
            "schools_served": schools,
            "students_recorded": recorded,
            "cards_printed": printed,
            "cards_handed_over": handed_over,
        }
        if whole_year:
            totals[year].update(figures)
        else:
            totals[year]["by_kecamatan"].append({"code": code, **figures})
    return totals

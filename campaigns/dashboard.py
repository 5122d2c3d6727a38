"""The dashboard's figures for one user's scope, computed in the database and cached briefly.

Staff, admin and the head of office see every school (one cache entry for them all); a
coordinator sees their own schools (an entry of their own). The payload holds figures
and school names only, never a student: the head of office may see all of it. The staff
home shows the summary only (the campaign, its progress, by school and kecamatan); the
dashboard adds the weeks, the months ahead, the next visits and the years.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.formats import date_format

from schools.access import can_see_all_schools, schools_for_user
from schools.models import School
from students import dates
from students.access import can_view_students, sees_figures_only
from students.models import Student

from . import figures
from .access import visits_for_user
from .models import Campaign, RegencyCoverage
from .yearly import year_totals

CACHE_SECONDS = 60
SORTS = {
    "name": lambda row: row["name"].lower(),
    "kecamatan": lambda row: (row["kecamatan"], row["name"].lower()),
    "of_age": lambda row: row["of_age"],
    "progress": lambda row: row["percent"],
    "overdue": lambda row: row["overdue"],
}


def sees_everything(user):
    return sees_figures_only(user) or can_see_all_schools(user)


PARTS = ("summary", "details")


def scope_key(user, today, language=None, part="details"):
    scope = "all" if sees_everything(user) else f"user:{user.pk}"
    return _key(scope, today, language or translation.get_language(), part)


def _key(scope, today, language, part):
    return f"dashboard:v2:{part}:{scope}:{today.isoformat()}:{language}"


def forget_shared_figures(today=None):
    """Drop the cached figures everyone at the office shares (after new regency figures)."""
    today = today or dates.today()
    cache.delete_many(
        [_key("all", today, code, part) for code, _name in settings.LANGUAGES for part in PARTS]
    )


def _schools(user, campaign):
    """The schools whose students the user's figures count (of the campaign, if any)."""
    if sees_everything(user):
        schools = School.objects.all()
    elif can_view_students(user):
        schools = schools_for_user(user)
    else:
        schools = School.objects.none()
    return schools if campaign is None else schools.filter(campaigns=campaign)


def pick_current(campaigns, today):
    """The campaign whose days include today, else the next to start, else the latest."""
    running = [c for c in campaigns if c.first_day <= today <= c.last_day]
    coming = sorted((c for c in campaigns if c.first_day > today), key=lambda c: c.first_day)
    latest = sorted(campaigns, key=lambda c: (c.last_day, c.pk), reverse=True)
    return (running or coming or latest or [None])[0]


def _school_rows(rows):
    for row in rows:
        row["percent"] = figures.percent(row["recorded"], row["of_age"])
    return rows


def _kecamatan_rows(schools):
    totals = {}
    for school in schools:
        row = totals.setdefault(school["kecamatan"], {"name": school["kecamatan"], "schools": 0})
        row["schools"] += 1
        for key in [*figures.STEPS, "overdue"]:
            row[key] = row.get(key, 0) + school[key]
    rows = sorted(totals.values(), key=lambda row: row["name"])
    for row in rows:
        row["percent"] = figures.percent(row["recorded"], row["of_age"])
    return rows


def _coverage_row(year, obliged, without_ktp, recorded):
    return {
        "year": year,
        "obliged": obliged,
        "without_ktp": without_ktp,
        "without_percent": round(100 * without_ktp / obliged, 1) if obliged else 0,
        "recorded": recorded,
        "share": round(100 * recorded / without_ktp, 1) if without_ktp else 0,
    }


def coverage(years):
    """(regency rows by year, [{name, rows by year}] per kecamatan): the civil registry's
    figures set against the students the programme recorded.

    A year entered only per kecamatan gets a regency row that is their sum (`summed`).
    The programme's share is the students it recorded that year (in that kecamatan's
    schools) per resident without a KTP. One query.
    """
    entries = list(
        RegencyCoverage.objects.select_related("kecamatan").order_by("year", "kecamatan__name")
    )
    recorded = {year: report["students_recorded"] for year, report in years.items()}
    recorded_in = {
        (year, row["code"]): row["students_recorded"]
        for year, report in years.items()
        for row in report["by_kecamatan"]
    }
    entered, sums, kecamatan = {}, {}, {}
    for entry in entries:
        if entry.kecamatan_id is None:
            entered[entry.year] = (entry.obliged, entry.without_ktp)
            continue
        obliged, without = sums.get(entry.year, (0, 0))
        sums[entry.year] = (obliged + entry.obliged, without + entry.without_ktp)
        kecamatan.setdefault(entry.kecamatan.name, []).append(
            _coverage_row(
                entry.year,
                entry.obliged,
                entry.without_ktp,
                recorded_in.get((entry.year, entry.kecamatan_id), 0),
            )
        )
    regency = []
    for year in sorted(set(entered) | set(sums)):
        obliged, without = entered.get(year) or sums[year]
        regency.append(
            {
                **_coverage_row(year, obliged, without, recorded.get(year, 0)),
                "summed": year not in entered,
            }
        )
    return regency, [{"name": name, "rows": rows} for name, rows in sorted(kecamatan.items())]


def _campaign_payload(campaign):
    if campaign is None:
        return None
    return {"pk": campaign.pk, "name": campaign.name, "year": campaign.year}


def compute_summary(user, today):
    """The campaign, its progress and its schools and kecamatan (3 queries)."""
    campaign = pick_current(list(Campaign.objects.order_by("first_day", "pk")), today)
    schools = _school_rows(figures.school_progress(_schools(user, campaign), campaign, today))
    progress = figures.total_progress(schools, campaign)
    return {
        "campaign": _campaign_payload(campaign),
        "progress": progress,
        "steps": figures.with_percentages(progress),
        "schools": schools,
        "kecamatan": _kecamatan_rows(schools),
    }


def compute_details(user, today):
    """The weeks, the months ahead, the next visits and, for the office, the years: 6
    queries for staff, 4 for a coordinator."""
    campaigns = list(Campaign.objects.order_by("first_day", "pk"))
    campaign = pick_current(campaigns, today)
    schools = _schools(user, campaign)
    weekly = figures.recordings_per_week(schools, campaign)
    due = figures.cards_coming_due(
        Student.objects.filter(school__in=schools.order_by().values("pk")), today
    )
    payload = {
        "weekly": [(date_format(week, "j M Y"), count) for week, count in weekly],
        "due": [(date_format(month, "M Y"), count) for month, count in due],
        "next_visits": [
            {
                "pk": visit.pk,
                "date": visit.date,
                "school": visit.school.name,
                "kecamatan": visit.school.kecamatan.name,
                "team": visit.team.name,
                "expected": visit.expected,
                "kind": visit.get_kind_display(),
            }
            for visit in figures.next_visits(visits_for_user(user), today)
        ],
    }
    if sees_everything(user):
        years = sorted({c.year for c in campaigns})
        by_year = year_totals(years)
        payload["years"] = [by_year[year] for year in years]
        payload["coverage"], payload["coverage_kecamatan"] = coverage(by_year)
    return payload


def _cached(part, compute, user, today):
    key = scope_key(user, today, part=part)
    payload = cache.get(key)
    if payload is None:
        payload = compute(user, today)
        cache.set(key, payload, CACHE_SECONDS)
    return payload


def summary_figures(user, today=None):
    """What the staff home shows: the campaign, its progress, by school and kecamatan."""
    return _cached("summary", compute_summary, user, today or dates.today())


def dashboard_figures(user, today=None):
    """Everything the dashboard shows: the summary and the details."""
    today = today or dates.today()
    return {
        **summary_figures(user, today),
        **_cached("details", compute_details, user, today),
    }


def sorted_schools(schools, sort):
    """The school rows in the order of `?sort=` (a known key, "-" for descending)."""
    key = sort.lstrip("-")
    if key not in SORTS:
        return schools, "name"
    return sorted(schools, key=SORTS[key], reverse=sort.startswith("-")), sort

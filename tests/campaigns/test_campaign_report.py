"""`manage.py campaign_report`: a campaign year's figures from visits, events and tallies."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command

from campaigns.models import Visit, VisitTally
from students import lifecycle
from students.models import EventKind
from tests.campaigns.factories import CampaignFactory, VisitFactory
from tests.factories import SchoolFactory, StudentFactory

pytestmark = pytest.mark.django_db


def _report(*args):
    out = StringIO()
    call_command("campaign_report", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_campaign_report_gives_the_seed_figures_after_two_seed_runs():
    call_command("seed_demo", "--force", stdout=StringIO())
    call_command("seed_demo", "--force", stdout=StringIO())

    report_2023 = _report("--year", "2023")
    report_2024 = _report("--year", "2024")

    assert (report_2023["schools_served"], report_2023["students_recorded"]) == (20, 513)
    assert (report_2024["schools_served"], report_2024["students_recorded"]) == (19, 541)
    assert sum(row["students_recorded"] for row in report_2023["by_kecamatan"]) == 513
    assert sum(k["schools_served"] for k in report_2024["by_school_kind"].values()) == 19
    # Every past visit keeps its tally, once, whatever the number of runs.
    assert VisitTally.objects.count() == 39
    assert report_2023["cards_handed_over"] <= report_2023["cards_printed"] <= 513


def test_students_recorded_at_the_visit_count_and_others_do_not(staf):
    campaign = CampaignFactory(
        year=2025, first_day=datetime.date(2025, 8, 1), last_day=datetime.date(2025, 11, 28)
    )
    served, unserved = SchoolFactory(name="SMA Negeri 1 Paringin"), SchoolFactory()
    visit_day = datetime.date(2025, 8, 5)
    VisitFactory(campaign=campaign, school=served, date=visit_day)
    VisitFactory(campaign=campaign, school=unserved, date=visit_day)
    VisitFactory(
        campaign=campaign,
        school=served,
        date=datetime.date(2025, 8, 6),
        status=Visit.Status.CANCELLED,
    )
    born = datetime.date(2008, 3, 1)
    printed, recorded = StudentFactory.create_batch(2, school=served, birth_date=born)
    elsewhere = StudentFactory(school=unserved, birth_date=born)
    for student in (printed, recorded):
        lifecycle.apply(student, EventKind.RECORDED, on=visit_day, by=staf)
    lifecycle.apply(printed, EventKind.PRINT_READY, on=datetime.date(2025, 8, 20), by=staf)
    lifecycle.apply(printed, EventKind.DUE_FOR_PRINT, on=datetime.date(2025, 8, 21), by=staf)
    lifecycle.apply(printed, EventKind.PRINTED, on=datetime.date(2025, 8, 22), by=staf)
    # Recorded at the office, not on the school's visit day: not the programme's.
    lifecycle.apply(elsewhere, EventKind.RECORDED, on=datetime.date(2025, 8, 7), by=staf)

    report = _report("--year", "2025")

    assert report["schools_served"] == 1
    assert report["students_recorded"] == 2
    assert report["cards_printed"] == 1
    assert report["cards_handed_over"] == 0
    assert report["by_school"] == [
        {
            "school": "SMA Negeri 1 Paringin",
            "schools_served": 1,
            "students_recorded": 2,
            "cards_printed": 1,
            "cards_handed_over": 0,
        }
    ]
    assert list(report["by_school_kind"]) == ["SMA"]


def test_a_year_without_campaign_reports_zeros():
    report = _report("--year", "2019")
    assert report == {
        "year": 2019,
        "campaigns": [],
        "schools_served": 0,
        "students_recorded": 0,
        "cards_printed": 0,
        "cards_handed_over": 0,
        "by_kecamatan": [],
        "by_school_kind": {},
        "by_school": [],
    }

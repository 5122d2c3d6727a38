"""The dashboard with many schools: its school table a page at a time; the cards coming due."""

import datetime
import zoneinfo

import pytest
from django.core.cache import cache
from django.urls import reverse

from campaigns import figures
from students import lifecycle
from students.models import EventKind, Student
from tests.campaigns.factories import CampaignFactory
from tests.factories import SchoolFactory, StudentFactory

pytestmark = pytest.mark.django_db

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
D = datetime.date


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_school_table_shows_fifty_schools_a_page_in_the_chosen_order(client, staf):
    schools = SchoolFactory.create_batch(52)
    for school in schools:
        StudentFactory(school=school, birth_date=D(2000, 1, 10))
    StudentFactory.create_batch(2, school=schools[40], birth_date=D(2000, 1, 10))
    CampaignFactory(year=2026, first_day=D(2026, 1, 5), last_day=D(2026, 12, 31), schools=schools)
    client.force_login(staf)

    first = client.get(reverse("campaigns:dashboard"), {"sort": "-overdue"})
    second = client.get(reverse("campaigns:dashboard"), {"sort": "-overdue", "page": "2"})

    assert len(first.context["schools"]) == 50
    assert [row["pk"] for row in first.context["schools"]][:1] == [schools[40].pk]
    assert len(second.context["schools"]) == 2
    assert 'href="?sort=-overdue&amp;page=2"' in first.content.decode()
    # The totals are of every school, not of the page.
    assert first.context["figures"]["progress"]["overdue"] == 54
    assert len(first.context["figures"]["kecamatan"]) == 1


@pytest.mark.parametrize(("leap_setting", "month"), [("03-01", 0), ("02-28", None)])
def test_cards_coming_due_count_a_29_february_birthday_in_march(
    time_machine, settings, leap_setting, month
):
    """Born on 29 February 2008: 17 on 1 March 2025 (the month the list starts with), or on
    28 February, before it, where the office says so."""
    settings.LEAP_DAY_BIRTHDAY = leap_setting
    time_machine.move_to(datetime.datetime(2025, 2, 27, 10, 0, tzinfo=WITA), tick=False)
    student = StudentFactory(birth_date=D(2008, 2, 29))
    lifecycle.apply(student, EventKind.RECORDED, on=D(2025, 2, 1), by=None)
    time_machine.move_to(datetime.datetime(2025, 3, 10, 10, 0, tzinfo=WITA), tick=False)

    due = figures.cards_coming_due(Student.objects.all())

    assert due[0][0] == D(2025, 3, 1)
    assert [index for index, (_month, count) in enumerate(due) if count] == (
        [month] if month is not None else []
    )

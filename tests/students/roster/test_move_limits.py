"""The NIK oracle closed as far as moves allow: wording, a daily cap, a warning for staff."""

import datetime

import pytest
from django.urls import reverse

from students.models import RosterImport, SchoolMoveRequest
from students.roster import services
from tests.factories import StudentFactory

from .conftest import PLAIN_HEADER, make_nik, student, write_xlsx

pytestmark = pytest.mark.django_db

BORN = datetime.date(2010, 3, 14)


def _upload(path, school):
    with open(path, "rb") as handle:
        result = services.roster_preview(fileobj=handle, filename=path.name, school=school)
    return services.roster_import_from_preview(
        preview=result, school=school, filename=path.name, user=None
    )


def _registered_elsewhere(school, numbers):
    for n in numbers:
        StudentFactory(school=school, nik=make_nik(BORN, "L", n), birth_date=BORN, sex="L")


def test_move_rows_beyond_the_daily_cap_are_refused(
    tmp_path, school_a, school_b, settings, english
):
    settings.ROSTER_MOVES_PER_SCHOOL_PER_DAY = 2
    _registered_elsewhere(school_b, [1, 2, 3])
    path = write_xlsx(tmp_path / "r.xlsx", [PLAIN_HEADER, student(1), student(2), student(3)])

    ready = _upload(path, school_a)

    assert [(i["row"], i["code"], i["severity"], i["message"]) for i in ready.issues] == [
        (
            2,
            "student_at_other_school",
            "warning",
            "The office will check this row before it is saved; until then it is not saved.",
        ),
        (
            3,
            "student_at_other_school",
            "warning",
            "The office will check this row before it is saved; until then it is not saved.",
        ),
        (
            4,
            "move_limit",
            "error",
            "The office checks at most 2 such rows a day for one school: "
            "upload this row again tomorrow.",
        ),
    ]
    assert (ready.move_count, ready.invalid_count) == (2, 1)


def test_the_cap_counts_moves_already_asked_today(tmp_path, school_a, school_b, settings):
    settings.ROSTER_MOVES_PER_SCHOOL_PER_DAY = 2
    _registered_elsewhere(school_b, [1, 2, 3])
    first = _upload(
        write_xlsx(tmp_path / "a.xlsx", [PLAIN_HEADER, student(1), student(2)]), school_a
    )
    services.roster_import_commit(roster_import_id=first.pk, user=None)

    second = _upload(write_xlsx(tmp_path / "b.xlsx", [PLAIN_HEADER, student(3)]), school_a)

    assert SchoolMoveRequest.objects.count() == 2
    assert [(i["row"], i["code"]) for i in second.issues] == [(2, "move_limit")]


def test_the_preview_never_names_the_other_school(
    tmp_path, school_a, school_b, client, koordinator_a
):
    _registered_elsewhere(school_b, [1])
    ready = _upload(write_xlsx(tmp_path / "r.xlsx", [PLAIN_HEADER, student(1)]), school_a)
    client.force_login(koordinator_a)

    body = client.get(reverse("rosters:detail", args=[ready.pk])).content.decode()

    assert school_b.name not in body
    assert school_b.npsn not in body


def test_staff_are_warned_of_an_upload_asking_many_moves(
    client, staf, school_a, school_b, koordinator_a, settings, english
):
    settings.ROSTER_MOVES_WARNING = 3
    many = RosterImport.objects.create(school=school_a, original_name="banyak.xlsx")
    few = RosterImport.objects.create(school=school_b, original_name="sedikit.xlsx")
    for roster_import, source, count in ((many, school_b, 3), (few, school_a, 2)):
        for _ in range(count):
            SchoolMoveRequest.objects.create(
                student=StudentFactory(school=source),
                from_school=source,
                to_school=roster_import.school,
                roster_import=roster_import,
            )
    client.force_login(staf)

    response = client.get(reverse("rosters:moves"))

    assert [upload.original_name for upload in response.context["crowded"]] == ["banyak.xlsx"]
    assert (
        f"One upload by {school_a.name} (banyak.xlsx) asks to move 3 students from other schools"
        in response.content.decode()
    )

import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def _perms(role):
    group = Group.objects.get(name=role)
    return sorted(f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all())


def test_roles_exist_as_the_five_groups():
    assert sorted(Group.objects.values_list("name", flat=True)) == [
        "admin",
        "koordinator",
        "petugas",
        "pimpinan",
        "staf",
    ]


def test_roles_pimpinan_sees_figures_only():
    assert _perms("pimpinan") == ["students.view_statistics"]


def test_roles_coordinator_cannot_see_full_nik_or_all_schools():
    perms = _perms("koordinator")
    assert "students.view_full_nik" not in perms
    assert "schools.view_all_schools" not in perms
    assert "students.view_student" in perms


def test_roles_staff_sees_every_school_and_full_nik():
    perms = _perms("staf")
    assert "schools.view_all_schools" in perms
    assert "students.view_full_nik" in perms
    assert not any(p.startswith("auth.") for p in perms)

"""The Django admin for schools, blackout periods and the read-only region table."""

import pytest
from django.urls import reverse

from schools.models import Region
from tests.factories import BlackoutPeriodFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:schools_school_changelist",
        "admin:schools_blackoutperiod_changelist",
        "admin:schools_region_changelist",
    ],
)
def test_admin_changelists_open(client, admin_user, school_a, url_name):
    BlackoutPeriodFactory(school=school_a)
    client.force_login(admin_user)

    response = client.get(reverse(url_name), {"q": "Paringin"})

    assert response.status_code == 200


def test_admin_school_list_filters_by_office_kecamatan(client, admin_user, school_a, school_b):
    school_b.kecamatan = Region.objects.get(code="63.11.02")
    school_b.save()
    client.force_login(admin_user)

    response = client.get(reverse("admin:schools_school_changelist"), {"kecamatan": "63.11.02"})

    assert [school.name for school in response.context["cl"].result_list] == ["SMA Negeri 1 Halong"]


def test_admin_school_change_page_opens(client, admin_user, school_a):
    client.force_login(admin_user)

    response = client.get(reverse("admin:schools_school_change", args=[school_a.pk]))

    assert response.status_code == 200
    assert "coordinators" in response.context["adminform"].form.fields


def test_admin_region_cannot_be_added_or_changed(client, admin_user):
    client.force_login(admin_user)

    add = client.get(reverse("admin:schools_region_add"))
    change = client.post(
        reverse("admin:schools_region_change", args=["63.11.06"]),
        {"code": "63.11.06", "name": "Diganti", "level": "kecamatan"},
    )

    assert add.status_code == 403
    assert change.status_code == 403
    assert Region.objects.get(code="63.11.06").name == "Paringin"


def test_admin_coordinator_changes_are_audit_logged(client, admin_user, school_a, caplog):
    from django.urls import reverse

    from tests.factories import UserFactory

    coordinator = UserFactory(username="koord_admin", role="koordinator")
    client.force_login(admin_user)
    data = {
        "name": school_a.name,
        "kind": "SMA",
        "pesantren_level": "",
        "npsn": school_a.npsn,
        "nsm": "",
        "nspp": "",
        "kecamatan": school_a.kecamatan_id,
        "address": "",
        "latitude": "",
        "longitude": "",
        "head_name": "",
        "phone": "",
        "is_active": "on",
        "coordinators": [coordinator.pk],
        "blackouts-TOTAL_FORMS": "0",
        "blackouts-INITIAL_FORMS": "0",
        "blackouts-MIN_NUM_FORMS": "0",
        "blackouts-MAX_NUM_FORMS": "1000",
    }

    with caplog.at_level("INFO", logger="ktpku.audit"):
        response = client.post(reverse("admin:schools_school_change", args=[school_a.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert [r.getMessage() for r in caplog.records if r.name == "ktpku.audit"] == [
        f"coordinator_added school={school_a.pk} user={coordinator.pk} by={admin_user.pk}"
    ]


def test_admin_coordinator_choices_are_this_schools_and_unassigned(
    client, admin_user, school_a, koordinator_a, koordinator_b
):
    from tests.factories import UserFactory

    UserFactory(username="guru_baru", role="koordinator")
    client.force_login(admin_user)

    response = client.get(reverse("admin:schools_school_change", args=[school_a.pk]))

    field = response.context["adminform"].form.fields["coordinators"]
    assert [user.username for user in field.queryset] == ["guru_baru", "koord_a"]

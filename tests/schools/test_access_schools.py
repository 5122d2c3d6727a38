"""Who may open and change which school: the personas against every school URL."""

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from schools.models import BlackoutPeriod, School
from tests.factories import BlackoutPeriodFactory, UserFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["staf", "koordinator_a", "koordinator_b", "petugas", "pimpinan"]


@pytest.fixture
def world(school_a, school_b, koordinator_a, koordinator_b):
    """School A with a blackout period, its coordinator, and a teacher not yet assigned."""
    return {
        "blackout": BlackoutPeriodFactory(school=school_a),
        "teacher": UserFactory(username="guru_baru", role="koordinator"),
        "coordinator": koordinator_a,
    }


def school_edit_post(school):
    return {
        "name": "Nama Diganti",
        "kind": "SMA",
        "npsn": school.npsn,
        "kecamatan": school.kecamatan_id,
        "is_active": "on",
    }


# (url name, method, args and data from the world, expected status per persona). The role
# matrix has every page's status; these are the writes with a valid form, which change
# nothing when refused.
SCHOOL_URLS = [
    ("schools:edit", "post", lambda s, w: ([s.pk], school_edit_post(s)), [302, 403, 404, 404, 404]),
    (
        "schools:blackout_add",
        "post",
        lambda s, w: ([s.pk], {"start": "2027-01-04", "end": "2027-01-08", "reason": "Libur"}),
        [302, 403, 404, 404, 404],
    ),
    (
        "schools:blackout_delete",
        "post",
        lambda s, w: ([s.pk, w["blackout"].pk], {}),
        [302, 403, 404, 404, 404],
    ),
    (
        "schools:coordinator_add",
        "post",
        lambda s, w: ([s.pk], {"user": w["teacher"].pk}),
        [302, 403, 404, 404, 404],
    ),
    (
        "schools:coordinator_remove",
        "post",
        lambda s, w: ([s.pk, w["coordinator"].pk], {}),
        [302, 403, 404, 404, 404],
    ),
]


def snapshot():
    return (
        [model_to_dict(s, exclude=["coordinators"]) for s in School.objects.order_by("pk")],
        list(
            School.coordinators.through.objects.order_by("pk").values_list("school_id", "user_id")
        ),
        list(BlackoutPeriod.objects.order_by("pk").values_list("school_id", "start", "end")),
    )


@pytest.mark.parametrize(("url_name", "method", "arrange", "expected"), SCHOOL_URLS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_school_url_answers_by_persona(
    request, client, school_a, world, url_name, method, arrange, expected, persona
):
    client.force_login(request.getfixturevalue(persona))
    args, data = arrange(school_a, world)
    status = expected[PERSONAS.index(persona)]
    before = snapshot()

    response = getattr(client, method)(reverse(url_name, args=args), data)

    assert response.status_code == status
    if method == "post" and status != 302:
        assert snapshot() == before
    if status == 404:
        assert "SMA Negeri 1 Paringin" not in response.content.decode()


def test_create_coordinator_post_writes_nothing(client, koordinator_a):
    client.force_login(koordinator_a)

    response = client.post(
        reverse("schools:create"),
        {"name": "SMA Palsu", "kind": "SMA", "npsn": "30309999", "kecamatan": "63.11.06"},
    )

    assert response.status_code == 403
    assert School.objects.filter(npsn="30309999").exists() is False


def test_detail_coordinator_sees_blackouts_without_changing_them(
    client, koordinator_a, school_a, world
):
    client.force_login(koordinator_a)

    response = client.get(reverse("schools:detail", args=[school_a.pk]))

    body = response.content.decode()
    assert [b.pk for b in response.context["blackouts"]] == [world["blackout"].pk]
    assert "blackout_form" not in response.context
    assert "coordinator_form" not in response.context
    assert reverse("schools:blackout_delete", args=[school_a.pk, world["blackout"].pk]) not in body


def test_nav_links_follow_permissions(client, koordinator_a, pimpinan):
    client.force_login(koordinator_a)
    coordinator_home = client.get(reverse("home")).content.decode()
    client.force_login(pimpinan)
    pimpinan_home = client.get(reverse("home")).content.decode()

    assert 'data-testid="nav-schools"' in coordinator_home
    assert 'data-testid="nav-students"' in coordinator_home
    assert 'data-testid="nav-schools"' not in pimpinan_home
    assert 'data-testid="nav-students"' not in pimpinan_home


@pytest.mark.parametrize(
    ("url_name", "method", "arrange", "expected"),
    [case for case in SCHOOL_URLS if case[1] == "post" and case[3][0] == 302],
)
def test_post_without_csrf_token_is_refused(
    staf, school_a, world, url_name, method, arrange, expected
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staf)
    args, data = arrange(school_a, world)
    before = snapshot()

    response = client.post(reverse(url_name, args=args), data)

    assert response.status_code == 403
    assert snapshot() == before

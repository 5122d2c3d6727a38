"""Redis down, as docker-compose would have it: the cache (REDIS_URL) and the broker
(CELERY_BROKER_URL) on one Redis that does not answer. The app runs under gunicorn with
those settings read at start-up; every main page answers 200 and an upload is kept."""

import datetime
import secrets

import pytest

from campaigns.models import Visit
from students.models import RosterImport
from students.roster.services.uploads import INLINE_MAX_BYTES
from tests.campaigns.factories import CampaignFactory, TeamFactory, VisitFactory
from tests.factories import SchoolFactory, StudentFactory, UserFactory
from tests.helpers import http_request, session_cookies, web_server
from tests.students.roster.conftest import PLAIN_HEADER, student, write_xlsx

pytestmark = pytest.mark.django_db(transaction=True)

DEAD_REDIS = "redis://127.0.0.1:1/0"


def _multipart(fields, file_field, filename, content):
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_with_redis_down_every_main_page_answers_and_an_upload_is_kept(tmp_path, media):
    school = SchoolFactory(name="SMA Negeri 1 Paringin")
    pupil = StudentFactory(school=school, name="Nur Aisyah", birth_date=datetime.date(2010, 5, 17))
    people = {
        role: UserFactory(username=f"{role}_redis", role=role)
        for role in ("admin", "staf", "petugas", "pimpinan", "koordinator")
    }
    school.coordinators.add(people["koordinator"])
    campaign = CampaignFactory(schools=[school])
    team = TeamFactory(campaign=campaign, members=[people["petugas"]])
    visit = VisitFactory(campaign=campaign, team=team, school=school, students=[pupil])
    assert visit.status == Visit.Status.ACCEPTED
    pages = {
        "admin": ["/", "/admin/", "/siswa/", f"/siswa/{pupil.pk}/", "/dasbor/"],
        "staf": [
            "/",
            "/siswa/",
            f"/siswa/{pupil.pk}/",
            "/dasbor/",
            "/daftar-siswa/",
            f"/kunjungan/{visit.pk}/daftar/",
        ],
        "petugas": ["/", f"/kunjungan/{visit.pk}/daftar/"],
        "pimpinan": ["/", "/dasbor/"],
        "koordinator": ["/", "/siswa/", f"/siswa/{pupil.pk}/", "/daftar-siswa/"],
    }
    cookies = {role: session_cookies(user) for role, user in people.items()}
    rows = [PLAIN_HEADER] + [student(n) for n in range(1, 2001)]
    roster = write_xlsx(tmp_path / "roster.xlsx", rows).read_bytes()
    assert len(roster) > INLINE_MAX_BYTES  # sent to the worker, not read in the request

    with web_server(tmp_path, REDIS_URL=DEAD_REDIS, CELERY_BROKER_URL=DEAD_REDIS) as url:
        # CFG-04: the server names no version of itself.
        _status, first_headers, *_rest = http_request(url, "GET", "/healthz")
        assert not any(c.isdigit() for c in first_headers.get("Server", ""))
        answers = {
            (role, path): http_request(url, "GET", path, cookies=cookies[role])[0]
            for role, paths in pages.items()
            for path in paths
        }
        token = secrets.token_hex(16)
        body, content_type = _multipart(
            {"csrfmiddlewaretoken": token}, "file", "roster.xlsx", roster
        )
        upload = http_request(
            url,
            "POST",
            "/daftar-siswa/",
            cookies={**cookies["koordinator"], "csrftoken": token},
            body=body,
            headers={"Content-Type": content_type},
        )
        roster_import = RosterImport.objects.get()
        status, headers, set_cookies, _body = upload
        location = headers["Location"]
        result = http_request(
            url, "GET", location, cookies={**cookies["koordinator"], **set_cookies}
        )

    assert {key: status for key, status in answers.items() if status != 200} == {}
    assert (status, location) == (302, f"/daftar-siswa/{roster_import.pk}/")
    assert (roster_import.status, roster_import.sent_at) == (RosterImport.Status.QUEUED, None)
    assert roster_import.school == school
    assert (media / roster_import.file.name).is_file()
    assert result[0] == 200
    assert (
        "Berkas sudah diterima dan disimpan. Layanan latar belakang sedang tidak tersedia"
        in result[3]
    )

"""AC-05: every page of the product, for every persona, against an explicit allow list.

The URLs come from the URLconf, not from this file: a named URL that has no row in MATRIX
fails the test (deny by default), so a new view cannot land without someone deciding,
here, who may open it. Each cell is one request (GET or an empty POST) by one persona on
school A's objects, run in a savepoint that is rolled back, so no cell sees what another
one changed. Mismatches are collected and reported together. Every cell is also checked
for the headers of SESS-03 and EXP-02: `nosniff` always; for a signed-in user's 2xx,
`Cache-Control: no-store`, and a file that is not a page comes as an attachment.

Reading a row: `(GET, POST)` status codes. LOGIN means "302 to /masuk/?next=<the path>".
A permission refusal is 403 when it does not depend on the object (the role may not do
this at all), 404 when the object is outside the user's schools (DESIGN.md: a guessed id
reveals nothing). An empty POST by someone allowed gets the form back with errors (200,
or 400 where the form is shown inside another page) or the redirect of a done action.
"""

import datetime
import io
from urllib.parse import quote

import openpyxl
import pytest
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from campaigns.models import HandoverBatch, PrintJob
from ktpku.models import ExportJob
from students.models import SchoolMoveRequest
from students.roster import services
from tests.campaigns.factories import (
    CalendarDayFactory,
    CampaignFactory,
    TeamFactory,
    VisitFactory,
)
from tests.factories import BlackoutPeriodFactory, StudentFactory, make_nik

pytestmark = pytest.mark.django_db

LOGIN = "login"
PERSONAS = ["anonymous", "koordinator_a", "koordinator_b", "petugas", "pimpinan", "staf", "admin"]
FIXTURE_OF = {"admin": "admin_user"}

# Not ours to place in the matrix: the Django admin (its own permission system, AUTH-03),
# the language switch and the JavaScript catalogue (public by design), static files.
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_PREFIXES = ("admin/", "i18n/", "jsi18n/", "static/", "media/")
# Responses shown in the browser; anything else must come as a download (EXP-02). The
# service worker (/sw.js) is a script the browser runs, which an attachment cannot be.
PAGE_TYPES = {"text/html", "application/json", "application/javascript"}
# Reached by a secret in the address, not by signing in: whoever holds the address sees
# what it shows, by design (a wrong secret is a 404, tested in tests/campaigns).
SECRET_ADDRESSES = {"campaigns:team_feed"}
# School A's visit: a weekday of the factory campaign, still to come.
VISIT_DAY = datetime.date(2027, 1, 6)


def _everyone_signed_in(get, post, *, anonymous=(LOGIN, LOGIN)):
    return {persona: (get, post) for persona in PERSONAS[1:]} | {"anonymous": anonymous}


def _staff_only(get, post):
    """Office planning: staff and admin only; everyone else signed in gets 403 (or 405)."""
    refused = tuple(405 if code == 405 else 403 for code in (get, post))
    return _everyone_signed_in(*refused) | {"staf": (get, post), "admin": (get, post)}


def _team_and_staff(get, post):
    """A team's pages: staff and the team's members; hidden (404) from everyone else."""
    hidden = tuple(405 if code == 405 else 404 for code in (get, post))
    return _everyone_signed_in(*hidden) | {"staf": (get, post), "admin": (get, post)}


def _figures_row(get, post):
    """The dashboard and the reports: staff, admin and the head of office (figures only)."""
    return _staff_only(get, post) | {"pimpinan": (get, post)}


def _visit_row(staff, *, coordinator):
    """School A's visit: staff and school A's coordinator; hidden (404) from the others."""
    hidden = tuple(405 if code == 405 else 404 for code in staff)
    return _everyone_signed_in(*hidden) | {
        "koordinator_a": coordinator,
        "staf": staff,
        "admin": staff,
    }


MATRIX = {
    # Sign-in, sign-out, password, health.
    "login": _everyone_signed_in(302, 302, anonymous=(200, 200)),
    "logout": _everyone_signed_in(405, 302, anonymous=(405, 302)),
    "password_change": _everyone_signed_in(200, 200),
    "password_change_done": _everyone_signed_in(200, 405),
    "service_worker": _everyone_signed_in(200, 405, anonymous=(200, 405)),
    "healthz": _everyone_signed_in(200, 200, anonymous=(200, 200)),
    # The privacy notice: public, for parents too; read-only.
    "privacy": _everyone_signed_in(200, 405, anonymous=(200, 405)),
    # Staff here have passed the second step already: both pages send them on.
    "second_factor_setup": _staff_only(302, 302),
    "second_factor_verify": _staff_only(302, 302),
    # Every role has a start page; the head of office's shows figures only.
    "home": _everyone_signed_in(200, 405),
    # Schools.
    "schools:list": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (200, 200),
        "koordinator_b": (200, 200),
        "petugas": (200, 200),
        "pimpinan": (403, 403),
        "staf": (200, 200),
        "admin": (200, 200),
    },
    "schools:create": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (403, 403),
        "koordinator_b": (403, 403),
        "petugas": (403, 403),
        "pimpinan": (403, 403),
        "staf": (200, 200),
        "admin": (200, 200),
    },
    "schools:detail": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (200, 405),
        "koordinator_b": (404, 405),
        "petugas": (404, 405),
        "pimpinan": (404, 405),
        "staf": (200, 405),
        "admin": (200, 405),
    },
    "schools:edit": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (403, 403),
        "koordinator_b": (404, 404),
        "petugas": (404, 404),
        "pimpinan": (404, 404),
        "staf": (200, 200),
        "admin": (200, 200),
    },
    "schools:blackout_add": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (405, 403),
        "koordinator_b": (405, 404),
        "petugas": (405, 404),
        "pimpinan": (405, 404),
        "staf": (405, 400),
        "admin": (405, 400),
    },
    "schools:blackout_delete": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (405, 403),
        "koordinator_b": (405, 404),
        "petugas": (405, 404),
        "pimpinan": (405, 404),
        "staf": (405, 302),
        "admin": (405, 302),
    },
    "schools:coordinator_add": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (405, 403),
        "koordinator_b": (405, 404),
        "petugas": (405, 404),
        "pimpinan": (405, 404),
        "staf": (405, 400),
        "admin": (405, 400),
    },
    "schools:coordinator_remove": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (405, 403),
        "koordinator_b": (405, 404),
        "petugas": (405, 404),
        "pimpinan": (405, 404),
        "staf": (405, 302),
        "admin": (405, 302),
    },
    # Students. POST on the list is the NIK search (kept out of URLs and logs).
    "students:list": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (200, 200),
        "koordinator_b": (200, 200),
        "petugas": (200, 200),
        "pimpinan": (403, 403),
        "staf": (200, 200),
        "admin": (200, 200),
    },
    "students:create": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (403, 403),
        "koordinator_b": (403, 403),
        "petugas": (403, 403),
        "pimpinan": (403, 403),
        "staf": (200, 200),
        "admin": (200, 200),
    },
    "students:detail": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (200, 405),
        "koordinator_b": (404, 405),
        "petugas": (404, 405),
        "pimpinan": (404, 405),
        "staf": (200, 405),
        "admin": (200, 405),
    },
    # The deliberate reveal: staff, and school A's own coordinator; 404 for the others.
    "students:reveal_nik": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (405, 200),
        "koordinator_b": (405, 404),
        "petugas": (405, 404),
        "pimpinan": (405, 404),
        "staf": (405, 200),
        "admin": (405, 200),
    },
    # The list as a workbook (POST): whoever sees the list, for their own students.
    "students:export": _everyone_signed_in(405, 200) | {"pimpinan": (405, 403)},
    # The data-subject export (a full NIK inside): staff and admin.
    "campaigns:subject_export": _staff_only(200, 200),
    # The audit trail: the admin role only.
    "students:audit": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (403, 403),
        "koordinator_b": (403, 403),
        "petugas": (403, 403),
        "pimpinan": (403, 403),
        "staf": (403, 403),
        "admin": (200, 200),
    },
    "students:edit": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (403, 403),
        "koordinator_b": (404, 404),
        "petugas": (404, 404),
        "pimpinan": (404, 404),
        "staf": (200, 200),
        "admin": (200, 200),
    },
    "students:record_event": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (405, 403),
        "koordinator_b": (405, 404),
        "petugas": (405, 404),
        "pimpinan": (405, 404),
        "staf": (405, 400),
        "admin": (405, 400),
    },
    # Rosters. School moves are decided by staff only, whatever the move's schools.
    "rosters:upload": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (200, 200),
        "koordinator_b": (200, 200),
        "petugas": (403, 403),
        "pimpinan": (403, 403),
        "staf": (200, 200),
        "admin": (200, 200),
    },
    "rosters:template": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (200, 405),
        "koordinator_b": (200, 405),
        "petugas": (403, 405),
        "pimpinan": (403, 405),
        "staf": (200, 405),
        "admin": (200, 405),
    },
    "rosters:history": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (200, 405),
        "koordinator_b": (200, 405),
        "petugas": (403, 405),
        "pimpinan": (403, 405),
        "staf": (200, 405),
        "admin": (200, 405),
    },
    "rosters:detail": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (200, 200),
        "koordinator_b": (404, 404),
        "petugas": (404, 404),
        "pimpinan": (404, 404),
        "staf": (200, 200),
        "admin": (200, 200),
    },
    "rosters:progress": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (204, 405),
        "koordinator_b": (404, 405),
        "petugas": (404, 405),
        "pimpinan": (404, 405),
        "staf": (204, 405),
        "admin": (204, 405),
    },
    "rosters:confirm": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (405, 302),
        "koordinator_b": (405, 404),
        "petugas": (405, 404),
        "pimpinan": (405, 404),
        "staf": (405, 302),
        "admin": (405, 302),
    },
    "rosters:refused": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (200, 405),
        "koordinator_b": (404, 405),
        "petugas": (404, 405),
        "pimpinan": (404, 405),
        "staf": (200, 405),
        "admin": (200, 405),
    },
    "rosters:moves": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (403, 405),
        "koordinator_b": (403, 405),
        "petugas": (403, 405),
        "pimpinan": (403, 405),
        "staf": (200, 405),
        "admin": (200, 405),
    },
    "rosters:move_confirm": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (405, 403),
        "koordinator_b": (405, 403),
        "petugas": (405, 403),
        "pimpinan": (405, 403),
        "staf": (405, 302),
        "admin": (405, 302),
    },
    "rosters:move_reject": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (405, 403),
        "koordinator_b": (405, 403),
        "petugas": (405, 403),
        "pimpinan": (405, 403),
        "staf": (405, 302),
        "admin": (405, 302),
    },
    # Campaigns, teams and visits (issue 8). Campaigns and teams are the office's: others
    # get 403. A visit is seen by staff, its team and its school's coordinators (else 404).
    "campaigns:list": _staff_only(200, 405),
    "campaigns:create": _staff_only(200, 200),
    "campaigns:detail": _staff_only(200, 405),
    "campaigns:edit": _staff_only(200, 200),
    "campaigns:day_add": _staff_only(405, 400),
    "campaigns:day_remove": _staff_only(405, 302),
    "campaigns:plan": _staff_only(405, 302),
    "campaigns:plan_state": _staff_only(204, 405),
    "campaigns:accept": _staff_only(405, 302),
    "campaigns:unvisited": _staff_only(200, 405),
    "campaigns:schedule": _staff_only(200, 405),
    "campaigns:schedule_pdf": _staff_only(200, 405),
    "campaigns:schedule_xlsx": _staff_only(200, 405),
    "campaigns:visits_export": _staff_only(405, 200),
    "campaigns:visit_add": _staff_only(200, 400),
    "campaigns:team_create": _staff_only(200, 200),
    "campaigns:teams": _staff_only(200, 405),
    "campaigns:team": _team_and_staff(200, 405),
    "campaigns:team_edit": _team_and_staff(200, 200),
    "campaigns:team_pdf": _team_and_staff(200, 405),
    "campaigns:team_new_feed": _team_and_staff(405, 302),
    "campaigns:team_feed": _everyone_signed_in(200, 405, anonymous=(200, 405)),
    "campaigns:visits": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (200, 405),
        "koordinator_b": (200, 405),
        "petugas": (200, 405),
        "pimpinan": (403, 405),
        "staf": (200, 405),
        "admin": (200, 405),
    },
    "campaigns:visit": _visit_row((200, 405), coordinator=(200, 405)),
    "campaigns:visit_move": _visit_row((405, 400), coordinator=(405, 403)),
    "campaigns:visit_split": _visit_row((405, 400), coordinator=(405, 403)),
    "campaigns:visit_cancel": _visit_row((405, 400), coordinator=(405, 403)),
    "campaigns:visit_answer": _visit_row((405, 403), coordinator=(405, 400)),
    "campaigns:visit_pack": _visit_row((200, 405), coordinator=(200, 405)),
    # The visit day (issue 9): team members record; the petugas persona is on no team, so
    # the visit is hidden from them (tests/campaigns has a member). An empty POST is no
    # change (400); closing a visit with students left gives the checklist back (302).
    "campaigns:today": {
        **_everyone_signed_in(403, 405),
        "petugas": (200, 405),
        "staf": (200, 405),
        "admin": (200, 405),
    },
    "campaigns:checklist": _visit_row((200, 405), coordinator=(403, 405)),
    "campaigns:outcome": _visit_row((405, 400), coordinator=(405, 403)),
    "campaigns:rest_absent": _visit_row((405, 400), coordinator=(405, 403)),
    "campaigns:visit_close": _visit_row((405, 302), coordinator=(405, 403)),
    "campaigns:visit_report": _visit_row((200, 405), coordinator=(403, 405)),
    # SIAK results are the office's: an empty POST asks for the file (400).
    "campaigns:siak_upload": _staff_only(200, 400),
    "campaigns:siak_confirm": _staff_only(405, 302),
    # An empty POST ticks nobody: the list comes back with the error (400).
    "campaigns:siak_select": _staff_only(200, 400),
    "campaigns:student_add": _visit_row((200, 400), coordinator=(403, 403)),
    "campaigns:checklist_xlsx": _visit_row((200, 405), coordinator=(403, 405)),
    "campaigns:checklist_upload": _visit_row((200, 400), coordinator=(403, 403)),
    "campaigns:checklist_upload_confirm": _visit_row((405, 302), coordinator=(405, 403)),
    "campaigns:print_request": _staff_only(405, 302),
    "campaigns:print_job": _staff_only(200, 405),
    "campaigns:print_progress": _staff_only(204, 405),
    "campaigns:print_download": _staff_only(200, 405),
    # Cards (issue 10): the print queue and handover batches are the office's; coordinators
    # see the cards coming to their own schools.
    "campaigns:cards_queue": _staff_only(200, 405),
    "campaigns:cards_export": _staff_only(405, 200),
    "campaigns:cards_printed": _staff_only(405, 302),
    "campaigns:cards_blanko": _staff_only(405, 302),
    "campaigns:card_reprint": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (403, 403),
        "koordinator_b": (404, 404),
        "petugas": (404, 404),
        "pimpinan": (404, 404),
        "staf": (200, 200),
        "admin": (200, 200),
    },
    "campaigns:cards_forecast": _staff_only(200, 405),
    "campaigns:batches": _staff_only(200, 405),
    "campaigns:batch": _staff_only(200, 400),
    "campaigns:batch_receipt": _staff_only(200, 405),
    "campaigns:batch_close": _staff_only(405, 302),
    "campaigns:cards_ready": {
        "anonymous": (LOGIN, LOGIN),
        "koordinator_a": (200, 405),
        "koordinator_b": (200, 405),
        "petugas": (403, 405),
        "pimpinan": (403, 405),
        "staf": (200, 405),
        "admin": (200, 405),
    },
    # A large export's pages: the one who asked for it (here staf) only; 404 for anyone
    # else, the admin included.
    "export_job": _everyone_signed_in(404, 405) | {"staf": (200, 405)},
    "export_progress": _everyone_signed_in(404, 405) | {"staf": (204, 405)},
    "export_download": _everyone_signed_in(404, 405) | {"staf": (200, 405)},
    "campaigns:dashboard": _figures_row(200, 405),
    "campaigns:report_pdf": _figures_row(200, 405),
    "campaigns:coverage": _staff_only(200, 200),
}

# The objects each URL's kwargs name: always school A's.
KWARGS = {
    "schools:detail": lambda w: {"pk": w.school_a.pk},
    "schools:edit": lambda w: {"pk": w.school_a.pk},
    "schools:blackout_add": lambda w: {"pk": w.school_a.pk},
    "schools:blackout_delete": lambda w: {"pk": w.school_a.pk, "blackout_pk": w.blackout_a.pk},
    "schools:coordinator_add": lambda w: {"pk": w.school_a.pk},
    "schools:coordinator_remove": lambda w: {"pk": w.school_a.pk, "user_pk": w.koordinator_a.pk},
    "students:detail": lambda w: {"pk": w.student_a.pk},
    "students:edit": lambda w: {"pk": w.student_a.pk},
    "students:reveal_nik": lambda w: {"pk": w.student_a.pk},
    "students:record_event": lambda w: {"pk": w.student_a.pk},
    "rosters:detail": lambda w: {"pk": w.roster_import_a.pk},
    "rosters:progress": lambda w: {"pk": w.roster_import_a.pk},
    "rosters:confirm": lambda w: {"pk": w.roster_import_a.pk},
    "rosters:refused": lambda w: {"pk": w.roster_import_a.pk},
    "rosters:move_confirm": lambda w: {"pk": w.move_to_a.pk},
    "rosters:move_reject": lambda w: {"pk": w.move_to_a.pk},
    "campaigns:detail": lambda w: {"pk": w.campaign.pk},
    "campaigns:edit": lambda w: {"pk": w.campaign.pk},
    "campaigns:day_add": lambda w: {"pk": w.campaign.pk},
    "campaigns:day_remove": lambda w: {"pk": w.campaign.pk, "day_pk": w.closed_day.pk},
    "campaigns:plan": lambda w: {"pk": w.campaign.pk},
    "campaigns:plan_state": lambda w: {"pk": w.campaign.pk},
    "campaigns:accept": lambda w: {"pk": w.campaign.pk},
    "campaigns:unvisited": lambda w: {"pk": w.campaign.pk},
    "campaigns:schedule": lambda w: {"pk": w.campaign.pk},
    "campaigns:schedule_pdf": lambda w: {"pk": w.campaign.pk},
    "campaigns:schedule_xlsx": lambda w: {"pk": w.campaign.pk},
    "campaigns:visits_export": lambda w: {"pk": w.campaign.pk},
    "campaigns:visit_add": lambda w: {"pk": w.campaign.pk},
    "campaigns:team_create": lambda w: {"pk": w.campaign.pk},
    "campaigns:team": lambda w: {"pk": w.team.pk},
    "campaigns:team_edit": lambda w: {"pk": w.team.pk},
    "campaigns:team_pdf": lambda w: {"pk": w.team.pk},
    "campaigns:team_new_feed": lambda w: {"pk": w.team.pk},
    "campaigns:team_feed": lambda w: {"token": w.team.ical_token},
    "campaigns:visit": lambda w: {"pk": w.visit_a.pk},
    "campaigns:visit_move": lambda w: {"pk": w.visit_a.pk},
    "campaigns:visit_split": lambda w: {"pk": w.visit_a.pk},
    "campaigns:visit_cancel": lambda w: {"pk": w.visit_a.pk},
    "campaigns:visit_answer": lambda w: {"pk": w.visit_a.pk},
    "campaigns:visit_pack": lambda w: {"pk": w.visit_a.pk},
    "campaigns:checklist": lambda w: {"pk": w.visit_a.pk},
    "campaigns:outcome": lambda w: {"pk": w.visit_a.pk},
    "campaigns:rest_absent": lambda w: {"pk": w.visit_a.pk},
    "campaigns:visit_close": lambda w: {"pk": w.visit_a.pk},
    "campaigns:visit_report": lambda w: {"pk": w.visit_a.pk},
    "campaigns:student_add": lambda w: {"pk": w.visit_a.pk},
    "campaigns:checklist_xlsx": lambda w: {"pk": w.visit_a.pk},
    "campaigns:checklist_upload": lambda w: {"pk": w.visit_a.pk},
    "campaigns:checklist_upload_confirm": lambda w: {"pk": w.visit_a.pk},
    "campaigns:print_request": lambda w: {"pk": w.campaign.pk},
    "campaigns:print_job": lambda w: {"pk": w.print_job.pk},
    "campaigns:print_progress": lambda w: {"pk": w.print_job.pk},
    "campaigns:print_download": lambda w: {"pk": w.print_job.pk},
    "campaigns:card_reprint": lambda w: {"pk": w.student_a.pk},
    "campaigns:batch": lambda w: {"pk": w.batch_a.pk},
    "campaigns:batch_receipt": lambda w: {"pk": w.batch_a.pk},
    "campaigns:batch_close": lambda w: {"pk": w.batch_a.pk},
    "campaigns:report_pdf": lambda w: {"year": w.campaign.year},
    "export_job": lambda w: {"pk": w.export_job.pk},
    "export_progress": lambda w: {"pk": w.export_job.pk},
    "export_download": lambda w: {"pk": w.export_job.pk},
}


def product_urls():
    """{url name: (route, kwarg names)} of every pattern of our apps in the URLconf.

    An unnamed pattern is listed under "<unnamed route>", so it fails the matrix too.
    """
    found = {}

    def walk(patterns, prefix, namespace, kwargs):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            names = kwargs | set(entry.pattern.regex.groupindex)
            if isinstance(entry, URLResolver):
                if entry.namespace in SKIPPED_NAMESPACES:
                    continue
                inner = ":".join(part for part in (namespace, entry.namespace) if part)
                walk(entry.url_patterns, route, inner, names)
            elif isinstance(entry, URLPattern):
                if entry.name is None:
                    found[f"<unnamed {route}>"] = (route, names)
                else:
                    name = f"{namespace}:{entry.name}" if namespace else entry.name
                    found[name] = (route, names)

    walk(get_resolver().url_patterns, "", "", set())
    return found


def _xlsx(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


class World:
    """School A's objects, and school B's student, made once per test."""

    def __init__(self, request):
        for persona in PERSONAS[1:]:
            setattr(self, persona, request.getfixturevalue(FIXTURE_OF.get(persona, persona)))
        self.school_a = self.koordinator_a.coordinated_schools.get()
        self.school_b = self.koordinator_b.coordinated_schools.get()
        self.student_a = StudentFactory(school=self.school_a, name="Ahmad Fauzi Rahman")
        self.student_b = StudentFactory(school=self.school_b, name="Bunga Citra Lestari")
        self.blackout_a = BlackoutPeriodFactory(school=self.school_a)
        born = self.student_a.birth_date
        fileobj = _xlsx(
            [
                ["Nama", "NIK", "JK", "Tanggal Lahir"],
                ["Dewi Anggraini Putri", make_nik(born, "P"), "P", born.strftime("%d-%m-%Y")],
                ["Eko Prasetyo Wibowo", "12345", "L", born.strftime("%d-%m-%Y")],
            ]
        )
        preview = services.roster_preview(
            fileobj=fileobj, filename="daftar.xlsx", school=self.school_a
        )
        self.roster_import_a = services.roster_import_from_preview(
            preview=preview, school=self.school_a, filename="daftar.xlsx", user=self.koordinator_a
        )
        self.move_to_a = SchoolMoveRequest.objects.create(
            student=self.student_b,
            from_school=self.school_b,
            to_school=self.school_a,
            roster_import=self.roster_import_a,
        )
        # A campaign whose team visits school A. The petugas persona is on no team, so
        # for them the team and the visit are outsiders' (tests/campaigns has a member).
        self.campaign = CampaignFactory(schools=[self.school_a, self.school_b])
        self.closed_day = CalendarDayFactory(campaign=self.campaign)
        self.team = TeamFactory(campaign=self.campaign)
        self.visit_a = VisitFactory(
            campaign=self.campaign, team=self.team, school=self.school_a, date=VISIT_DAY
        )
        self.print_job = PrintJob.objects.create(
            campaign=self.campaign, state=PrintJob.State.DONE, total=1, done=1
        )
        self.print_job.file.save("paket.pdf", ContentFile(b"%PDF-1.7 paket"))
        self.batch_a = HandoverBatch.objects.create(school=self.school_a, visit=self.visit_a)
        self.export_job = ExportJob.objects.create(
            kind="students",
            requested_by=self.staf,
            state=ExportJob.State.DONE,
            total=1,
            done=1,
            download_name="siswa.xlsx",
        )
        self.export_job.file.save("siswa.xlsx", ContentFile(b"PK xlsx"))


@pytest.fixture
def world(request, english, media):
    caches["shared"].clear()  # the roster upload quota counts per user and minute
    return World(request)


def _request(world, persona, method, path):
    """One cell: the response, with whatever it changed rolled back."""
    with transaction.atomic():
        client = Client()
        if persona != "anonymous":
            client.force_login(getattr(world, persona))
        response = getattr(client, method.lower())(path)
        transaction.set_rollback(True)
    return response


def _cell_problem(expected, response, path):
    if expected == LOGIN:
        wanted = f"{reverse('login')}?next={quote(path)}"
        if response.status_code != 302 or response.get("Location") != wanted:
            return (
                f"expected 302 to {wanted}, got {response.status_code} "
                f"{response.get('Location', '')}".rstrip()
            )
        return None
    if response.status_code != expected:
        return f"expected {expected}, got {response.status_code}"
    return None


def _header_problems(persona, response):
    """SESS-03 and EXP-02 on every cell: private pages are never stored, files are downloads."""
    problems = []
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if persona != "anonymous" and 200 <= response.status_code < 300:
        if "no-store" not in response.get("Cache-Control", ""):
            problems.append(f"Cache-Control {response.get('Cache-Control')!r} lacks no-store")
        kind = response.get("Content-Type", "").split(";")[0]
        if (
            response.status_code != 204
            and kind not in PAGE_TYPES
            and not response.get("Content-Disposition", "").startswith("attachment; filename")
        ):
            problems.append(f"{kind} without Content-Disposition: attachment")
    return problems


def test_role_matrix_has_a_row_for_every_url_and_no_other():
    urls = product_urls()
    assert sorted(set(urls) - set(MATRIX)) == [], "URLs missing from the role matrix"
    assert sorted(set(MATRIX) - set(urls)) == [], "matrix rows for URLs that do not exist"
    incomplete = [name for name, row in MATRIX.items() if sorted(row) != sorted(PERSONAS)]
    assert incomplete == []
    no_objects = [name for name, (_route, names) in urls.items() if names and name not in KWARGS]
    assert no_objects == [], "URLs with kwargs but no objects in KWARGS"


@pytest.mark.parametrize("persona", PERSONAS)
def test_role_matrix_cells_match_the_allow_list(persona, world):
    """Every URL × GET and POST for one persona; every mismatching cell is listed."""
    # What this persona must never find in any response, whatever the status.
    forbidden = {
        "koordinator_b": [world.school_a.name, world.student_a.name, world.student_a.nik],
        "petugas": [world.student_a.name, world.student_a.nik, world.student_b.name],
        "pimpinan": [
            world.student_a.name,
            world.student_a.nik,
            world.student_b.name,
            world.student_b.nik,
        ],
    }.get(persona, [])
    mismatches = []
    for name, (_route, kwarg_names) in sorted(product_urls().items()):
        if name not in MATRIX:
            mismatches.append(f"{name}: not in the role matrix (deny by default)")
            continue
        kwargs = KWARGS[name](world) if kwarg_names else {}
        if set(kwargs) != kwarg_names:
            mismatches.append(
                f"{name}: KWARGS gives {sorted(kwargs)}, the URL takes {sorted(kwarg_names)}"
            )
            continue
        path = reverse(name, kwargs=kwargs)
        for method, expected in zip(("GET", "POST"), MATRIX[name][persona], strict=True):
            response = _request(world, persona, method, path)
            problem = _cell_problem(expected, response, path)
            if problem:
                mismatches.append(f"{name} {method} {path}: {problem}")
            mismatches += [
                f"{name} {method} {path}: {text}" for text in _header_problems(persona, response)
            ]
            body = response.content.decode("utf-8", "replace")
            mismatches += [
                f"{name} {method} {path}: the body shows {text!r}"
                for text in forbidden
                if text in body and name not in SECRET_ADDRESSES
            ]
    assert mismatches == [], f"{persona}:\n" + "\n".join(mismatches)

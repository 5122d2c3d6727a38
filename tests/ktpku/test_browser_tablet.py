"""On a tablet (800 px wide): the start page, the dashboard, the school list and the student
list show their key columns without sideways scrolling; the other columns fold away."""

import pytest

from tests.factories import SchoolFactory, StudentFactory, UserFactory
from tests.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 800

# For each page: the table and the headers that must stay in view.
PAGES = [
    ("/", "home", ["Kecamatan", "Cukup umur", "Sudah direkam", "Sudah diserahkan", "Terlambat"]),
    (
        "/dasbor/",
        "dashboard",
        ["Kecamatan", "Cukup umur", "Sudah direkam", "Sudah diserahkan", "Terlambat"],
    ),
    (
        "/sekolah/",
        "schools",
        ["Sekolah", "Siswa", "Terdaftar", "Sudah direkam", "Waktunya dicetak", "Sudah diserahkan"],
    ),
    ("/siswa/", "students", ["Nama", "NIK", "Sekolah", "Status"]),
]

# Widths a page has: the document, and every table's own scrolling box.
OVERFLOW = """() => {
  const boxes = [document.documentElement, ...document.querySelectorAll('.table-responsive')];
  return boxes.map(box => box.scrollWidth - box.clientWidth);
}"""

VISIBLE_HEADERS = """(table) => [...table.querySelectorAll('thead th')]
  .filter(th => th.getBoundingClientRect().width > 0)
  .map(th => {
    const box = th.getBoundingClientRect();
    return [th.innerText.trim(), Math.round(box.left), Math.round(box.right)];
  })"""


@pytest.fixture
def staff_with_schools(live_server):
    staf = UserFactory(username="staf_tablet", role="staf")
    for name in ["SMA Negeri 1 Paringin", "Pondok Pesantren Darul Ulum Lampihong"]:
        school = SchoolFactory(name=name)
        StudentFactory.create_batch(2, school=school, name="Muhammad Rizky Firmansyah")
    return staf


def test_tablet_pages_show_key_columns_without_sideways_scrolling(
    page, live_server, staff_with_schools
):
    page.set_viewport_size({"width": WIDTH, "height": 1000})
    log_in(page, live_server, staff_with_schools)

    for path, name, key_headers in PAGES:
        page.goto(f"{live_server.url}{path}")
        table = page.locator("table").first
        headers = table.evaluate(VISIBLE_HEADERS)
        shown = [text for text, _left, _right in headers]

        overflow = page.evaluate(OVERFLOW)
        assert overflow == [0] * len(overflow), name
        assert [h for h in key_headers if h not in shown] == [], (name, shown)
        assert [h for h in headers if h[1] < 0 or h[2] > WIDTH] == [], name

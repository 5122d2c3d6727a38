"""The roster's columns, written once: reading, validation, the template, the workbook of
rows to fix and the services all derive from FIELDS.

Titles are the app's own template headers: a file format, the same in every language of
the interface, so a template downloaded in English reads back in Indonesian. Other header
texts are compared after `intake.normalise_header` ("No. KK" is "no kk"), exactly: "nik
ayah" is not "nik". The longest text a field holds is the Student model's max_length.
"""

from functools import cache

from django.utils.translation import gettext as _

from ktpku import intake
from students.models import Student

HEADER_SCAN_ROWS = 20
TEMPLATE_DATA_SHEET = "Daftar Siswa"


def _column(name, title, aliases, **options):
    return intake.Column(name, title, tuple(sorted(aliases)), **options)


FIELDS = (
    _column(
        "name",
        "Nama Lengkap",
        {
            "nama",
            "nama siswa",
            "nama peserta didik",
            "nama murid",
            "nama santri",
            "nama lengkap siswa",
            "nama lengkap peserta didik",
            "name",
            "full name",
            "student name",
        },
        required=True,
        width=32,
    ),
    _column(
        "nik",
        "NIK",
        {
            "nik siswa",
            "nik peserta didik",
            "nik santri",
            "nik murid",
            "nomor induk kependudukan",
            "no nik",
            "nomor nik",
            "nik ktp",
        },
        required=True,
        identifier=True,
        width=20,
    ),
    _column(
        "kk_number",
        "No KK",
        {
            "nomor kk",
            "no kartu keluarga",
            "nomor kartu keluarga",
            "kk",
            "no kk siswa",
            "nomor kk siswa",
            "nik kk",
            "kartu keluarga",
        },
        identifier=True,
        width=20,
    ),
    _column(
        "nisn",
        "NISN",
        {"no nisn", "nomor nisn", "nomor induk siswa nasional"},
        identifier=True,
        width=14,
    ),
    _column(
        "sex",
        "Jenis Kelamin (L/P)",
        {"jk", "l p", "lp", "kelamin", "sex", "gender"},
        required=True,
        width=10,
    ),
    _column(
        "birth_place",
        "Tempat Lahir",
        {"tmp lahir", "tmpt lahir", "tempat lhr", "birth place", "place of birth"},
        width=18,
    ),
    _column(
        "birth_date",
        "Tanggal Lahir",
        {"tgl lahir", "tgl lhr", "tanggal lhr", "tgl lahir siswa", "birth date", "date of birth"},
        required=True,
        text=True,
        width=14,
    ),
    _column(
        "class_name",
        "Kelas",
        {"rombel", "rombel saat ini", "rombongan belajar", "kelas rombel", "class"},
        width=12,
    ),
    _column(
        "guardian_name",
        "Nama Wali",
        {
            "nama orang tua",
            "nama orang tua wali",
            "nama ortu",
            "nama ortu wali",
            "orang tua wali",
            "guardian name",
        },
        width=28,
    ),
    _column(
        "guardian_phone",
        "HP Wali",
        {
            "no hp wali",
            "nomor hp wali",
            "telepon wali",
            "no telepon wali",
            "no telp wali",
            "telp wali",
            "no wa wali",
            "hp orang tua",
            "no hp orang tua",
            "no hp orang tua wali",
            "nomor hp orang tua wali",
            "hp ortu",
            "no hp ortu",
            "no hp ortu wali",
            "guardian phone",
        },
        text=True,
        width=16,
    ),
)
BY_NAME = {column.name: column for column in FIELDS}
# Fields a roster may set on a student it finds by NIK, in the order changes are shown.
UPDATABLE = tuple(column.name for column in FIELDS if column.name != "nik")
# Free text, kept as typed (spaces tidied) within the model's lengths; the other fields
# are identifiers, a sex or a date, each with its own rule.
FREE_TEXT = tuple(
    column.name
    for column in FIELDS
    if not column.identifier and column.name not in ("sex", "birth_date")
)


@cache
def max_length(name):
    return Student._meta.get_field(name).max_length


def _header_not_found(missing):
    if missing:
        return _(
            "The header row lacks these columns: %(columns)s. Add them (one column each, "
            "the title in the header row) or use the template."
        ) % {"columns": ", ".join(missing)}
    return _(
        "No header row with the columns Nama, NIK, Jenis Kelamin and Tanggal Lahir was found "
        "in the first %(count)d rows. Put the column titles in one row above the students, "
        "or use the template."
    ) % {"count": HEADER_SCAN_ROWS}


SPEC = intake.TableSpec(FIELDS, scan_rows=HEADER_SCAN_ROWS, header_not_found=_header_not_found)

import json
from io import StringIO

import pytest
from django.core.management import call_command

from schools.models import Region

pytestmark = pytest.mark.django_db


def _load(*args):
    out = StringIO()
    call_command("load_regions", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_load_regions_again_changes_nothing():
    assert _load() == {"created": 0, "updated": 0, "regions": 7994}


def test_load_regions_from_an_updated_file_renames_and_adds(tmp_path):
    csv = tmp_path / "wilayah.csv"
    csv.write_text(
        "kode,nama,tingkat,induk\n"
        "63.11.06,Paringin Kota,kecamatan,63.11\n"
        "63.11.09,Kecamatan Baru,kecamatan,63.11\n",
        encoding="utf-8",
    )

    assert _load("--file", str(csv)) == {"created": 1, "updated": 1, "regions": 7995}
    assert Region.objects.get(code="63.11.06").name == "Paringin Kota"
    assert Region.objects.get(code="63.11.09").parent_id == "63.11"

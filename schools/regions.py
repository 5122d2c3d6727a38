"""Kemendagri region codes: loading the bundled table and asking it questions."""

import csv
from functools import lru_cache
from pathlib import Path

REGIONS_CSV = Path(__file__).resolve().parent / "data" / "kode_wilayah_kemendagri.csv"


def read_rows(path=REGIONS_CSV):
    """(code, name, level, parent) tuples, parents before children."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = [
            (r["kode"], r["nama"], r["tingkat"], r["induk"] or None) for r in csv.DictReader(handle)
        ]
    return sorted(rows, key=lambda row: (row[0].count("."), row[0]))


def load(region_model, path=REGIONS_CSV):
    """Insert new codes and update names; returns (created, updated). Idempotent."""
    existing = dict(region_model.objects.values_list("code", "name"))
    new, changed = [], []
    for code, name, level, parent in read_rows(path):
        if code not in existing:
            new.append(region_model(code=code, name=name, level=level, parent_id=parent))
        elif existing[code] != name:
            changed.append(region_model(code=code, name=name, level=level, parent_id=parent))
    region_model.objects.bulk_create(new, batch_size=2000)
    region_model.objects.bulk_update(changed, ["name", "level", "parent"], batch_size=2000)
    _kecamatan_prefixes.cache_clear()
    return len(new), len(changed)


def kecamatan_prefixes():
    """The six-digit NIK prefixes of every known kecamatan."""
    prefixes = _kecamatan_prefixes()
    if not prefixes:
        # Asked before the table was loaded: do not keep an empty answer.
        _kecamatan_prefixes.cache_clear()
    return prefixes


@lru_cache(maxsize=1)
def _kecamatan_prefixes():
    from .models import Region

    codes = Region.objects.filter(level=Region.Level.KECAMATAN).values_list("code", flat=True)
    return frozenset(code.replace(".", "") for code in codes)

"""School identifiers told apart by shape: NPSN, NSM, NSPP."""

import pytest

from schools import identifiers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("30304567", "npsn"),
        ("p9960123", "npsn"),
        ("131163110001", "nsm"),
        ("510063110002", "nspp"),
        ("131163110001 ", "nsm"),
        ("3030456", None),
        ("1311631100011", None),
        ("30-30-45-67", None),
        ("", None),
    ],
)
def test_kind_of_by_shape(raw, expected):
    assert identifiers.kind_of(identifiers.normalise(raw)) == expected


def test_normalise_strips_spreadsheet_leftovers():
    assert identifiers.normalise("'3030 4567.") == "30304567"
    assert identifiers.normalise(" p9960123\u00a0") == "P9960123"
    assert identifiers.normalise(None) == ""


@pytest.mark.parametrize(
    "decorated",
    [
        "\u2019{}",  # Excel on a phone: the "treat as text" apostrophe made curly
        "\u2018{}",
        "'{}",
        "`{}",
        " \u2019 {}.\u00a0",
        "{}\u200b",
    ],
)
def test_school_code_and_nik_go_through_the_one_normaliser(decorated):
    from ktpku.intake import identifiers as shared
    from students import nik

    assert identifiers.normalise(decorated.format("30304567")) == "30304567"
    # The same decoration on a NIK is removed by the same function, not a look-alike.
    assert nik.normalise is shared.normalise
    assert nik.normalise(decorated.format("6311064508100001")) == "6311064508100001"

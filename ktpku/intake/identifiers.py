"""The one normaliser for identifiers typed into spreadsheets: NIK, No. KK, NISN, NPSN, NSM, NSPP.

Spreadsheets and phones decorate a number typed as text: spaces (no-break ones too), dots,
invisible characters, and Excel's "treat as text" apostrophe, which autocorrect on a phone
turns into a curly one (`’30304567`). All of that goes; any other character stays, so a
wrong value is reported as it is instead of being "repaired" into someone else's number.
"""

import decimal
import re

# \s covers every kind of space (the no-break U+00A0 and U+202F included); these invisible
# characters (zero-width spaces and joiners, word joiner, byte-order mark) it does not.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_STRIP = re.compile(r"[\s.]")
# Excel's "treat as text" prefix, and the curly or back quotes autocorrect makes of it.
_TEXT_PREFIXES = "'\u2018\u2019`"
# A number in scientific notation, as Excel shows a long number: "6.31101E+15", "6,31101e15".
_SCIENTIFIC = re.compile(r"[0-9]+(?:[.,][0-9]+)?[eE]\+?[0-9]+")
# A long number written out by a program that read it as a float: "6311014508090000.0".
_FLOAT_TEXT = re.compile(r"[0-9]{12,}[.,]0+")
# A long number with thousands separators, as a number cell displays it: "6.311.014.508.090.000".
_GROUPED = re.compile(r"[0-9]{1,3}(?:([.,])[0-9]{3})(?:\1[0-9]{3}){3,}")


def normalise(raw):
    """The identifier without the spaces, dots, invisible characters and leading apostrophes
    (straight, curly or back quote) that spreadsheets leave in it. Letters keep their case."""
    text = "" if raw is None else str(raw)
    if text.isdigit():  # the common case: nothing to take away
        return text
    # Spaces first, so that " ' 6311…" loses its apostrophe too, and the result is the same
    # when normalised again.
    return _STRIP.sub("", _INVISIBLE.sub("", text)).lstrip(_TEXT_PREFIXES)


def looks_like_lost_precision(raw):
    """Did this identifier go through a spreadsheet as a number, and so lose digits?

    True for a number value (int, float, Decimal: Excel keeps 15 significant digits, so a
    16-digit NIK stored as a number has lost its last one, and a number never keeps leading
    zeros), and for text that shows a number the way a spreadsheet or a program prints one:
    scientific notation ("6.31101E+15"), a float ("6311014508090000.0") or thousands
    separators ("6.311.014.508.090.000"). Such a value must be refused, never repaired.
    """
    if isinstance(raw, bool) or raw is None:
        return False
    if isinstance(raw, int | float | decimal.Decimal):
        return True
    if isinstance(raw, str) and raw.isdigit():  # the common case: digits typed as text
        return False
    text = _INVISIBLE.sub("", str(raw)).strip().replace("\u00a0", "")
    if _SCIENTIFIC.fullmatch(text) or _FLOAT_TEXT.fullmatch(text):
        return True
    # Groups of three are how a number cell shows a rounded number, whose last digit is
    # then 0; any other last digit means someone typed the dots as decoration.
    return bool(_GROUPED.fullmatch(text)) and text.endswith("0")

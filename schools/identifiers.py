"""School identifiers: NPSN (Dapodik), NSM (EMIS madrasah), NSPP (EMIS pesantren).

All three are text. An NPSN has 8 characters and sometimes letters; an NSM is 12 digits
starting with 131; an NSPP is 12 digits with no reliable structure. No module here knows
about requests or forms, so the school form and the importer share these rules.
"""

import re

from ktpku.intake import identifiers

NPSN = "npsn"
NSM = "nsm"
NSPP = "nspp"

_NPSN = re.compile(r"^[0-9A-Z]{8}$")
_NSM = re.compile(r"^131[0-9]{9}$")
_NSPP = re.compile(r"^[0-9]{12}$")


def normalise(raw):
    """The intake's identifier normaliser (the one a NIK goes through), letters upper-cased."""
    return identifiers.normalise(raw).upper()


def is_npsn(value):
    return bool(_NPSN.match(value))


def is_nsm(value):
    return bool(_NSM.match(value))


def is_nspp(value):
    return bool(_NSPP.match(value))


def kind_of(value):
    """Which identifier a normalised code is, by its shape; None when it fits none.

    Twelve digits starting with 131 are an NSM, any other twelve digits an NSPP, eight
    letters or digits an NPSN.
    """
    if is_nsm(value):
        return NSM
    if is_nspp(value):
        return NSPP
    if is_npsn(value):
        return NPSN
    return None

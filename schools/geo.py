"""A school's place on the map: the coordinate ranges and the distance to the regency.

Plain functions, no request or model: the school form asks them, the tests reach them
directly. Where the regency lies is configuration (OFFICE_AREA_CENTRE and
OFFICE_AREA_RADIUS_KM), never written here.
"""

import math
from decimal import Decimal

EARTH_RADIUS_KM = 6371.0


def latitude_ok(value):
    return -90 <= value <= 90


def longitude_ok(value):
    return -180 <= value <= 180


def distance_km(a, b):
    """The great-circle (haversine) distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = (math.radians(float(v)) for v in (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def as_text(latitude, longitude):
    """The point as people write it: "-2.32, 115.6" (a dot for decimals, no trailing zeros)."""
    return f"{_plain(latitude)}, {_plain(longitude)}"


def _plain(value):
    text = format(Decimal(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text

"""Great-circle distance, as geopy's ``great_circle`` computes it, without geopy's objects.

The resolver measures a few hundred thousand distances over a large input; geopy
builds two ``Point`` objects and a ``Distance`` for each (most of the cost), and its
import pulls in every online geocoder. :func:`great_circle_km` is the same
arithmetic, operation for operation, so the kilometres are the same floats
(``tests/test_distance.py`` checks them against geopy's).
"""
from __future__ import annotations

import functools
from math import atan2, cos, radians, sin, sqrt

__all__ = ["EARTH_RADIUS_KM", "great_circle_km"]

EARTH_RADIUS_KM = 6371.009  # geopy.distance.EARTH_RADIUS: the mean great-circle radius


# memoised: the same pairs of places are measured again and again (a name's candidates against the others')
@functools.lru_cache(maxsize=1 << 16)
def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Kilometres between two points on the sphere (``geopy.distance.great_circle(a, b).km``)."""
    lat1, lon1, lat2, lon2 = float(lat1 or 0.0), float(lon1 or 0.0), float(lat2 or 0.0), float(lon2 or 0.0)  # as geopy reads them
    if not (abs(lat1) <= 90 and abs(lat2) <= 90 and abs(lon1) <= 180 and abs(lon2) <= 180):
        # out of range or not finite: geopy normalises the longitude or refuses; let it
        from geopy.distance import great_circle

        return great_circle((lat1, lon1), (lat2, lon2)).km
    lat1, lon1, lat2, lon2 = radians(lat1), radians(lon1), radians(lat2), radians(lon2)
    sin_lat1, cos_lat1 = sin(lat1), cos(lat1)
    sin_lat2, cos_lat2 = sin(lat2), cos(lat2)
    delta_lng = lon2 - lon1
    cos_delta_lng, sin_delta_lng = cos(delta_lng), sin(delta_lng)
    d = atan2(sqrt((cos_lat2 * sin_delta_lng) ** 2 + (cos_lat1 * sin_lat2 - sin_lat1 * cos_lat2 * cos_delta_lng) ** 2),
              sin_lat1 * sin_lat2 + cos_lat1 * cos_lat2 * cos_delta_lng)
    return EARTH_RADIUS_KM * d

"""geo.distance.great_circle_km gives geopy's great_circle kilometres, float for float."""
import math
import random

import pytest
from geopy.distance import great_circle

from geo.distance import great_circle_km


def test_same_floats_as_geopy_on_random_points():
    rng = random.Random(11)
    for _ in range(20000):
        a = (rng.uniform(-90, 90), rng.uniform(-180, 180))
        b = (rng.uniform(-90, 90), rng.uniform(-180, 180))
        assert great_circle_km(*a, *b) == great_circle(a, b).km


def test_same_floats_at_edges_and_close_points():
    points = [(0.0, 0.0), (90.0, 0.0), (-90.0, 180.0), (0.0, -180.0), (19.4326, -99.1332), (19.4327, -99.1331),
              (40.7128, -74.006), (None, 10.0), (45.0, 190.0), (10.0, -540.5)]
    for a in points:
        for b in points:
            assert great_circle_km(*a, *b) == great_circle(a, b).km, (a, b)


def test_refuses_what_geopy_refuses():
    with pytest.warns(UserWarning), pytest.raises(ValueError):
        great_circle_km(91.0, 0.0, 0.0, 0.0)
    with pytest.raises(ValueError):
        great_circle_km(math.nan, 0.0, 0.0, 0.0)

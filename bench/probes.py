"""What the probe benchmarks share (land_probes, es_probes, social_probes): reading
their TSV files, the mention over an expected span, and whether its point falls in
the expected area."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path


def probe_lines(path: Path, columns: int) -> Iterator[list[str]]:
    """The tab-separated fields of each probe line (blank lines and ``#`` comments skipped)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != columns:
            raise SystemExit(f"{path}: {len(fields)} fields, not {columns}: {line!r}")
        yield fields


def read_area(path: Path, area: str, sizes: tuple[int, ...] = (4,)) -> tuple[float, ...]:
    """An area as written: a box ``south,west,north,east`` (4 numbers) or, where
    ``sizes`` allows it, a point and radius ``lat,lon,km`` (3)."""
    nums = tuple(float(x) for x in area.split(","))
    if len(nums) not in sizes:
        raise SystemExit(f"{path}: area {area!r} is neither a box nor a point and radius")
    return nums


def in_area(area: tuple[float, ...], lat: float, lon: float) -> bool:
    """Whether a point lies in a box, or within a point's radius (great-circle km)."""
    if len(area) == 4:
        s, w, n, e = area
        return s <= lat <= n and w <= lon <= e
    from geo.distance import great_circle_km

    plat, plon, km = area
    return great_circle_km(plat, plon, lat, lon) <= km


def overlapping(resolutions: Sequence, start: int, end: int):
    """The resolution whose mention overlaps [start, end) the most, or None."""
    hits = [r for r in resolutions if r.mention.start < end and start < r.mention.end]
    return max(hits, key=lambda r: min(end, r.mention.end) - max(start, r.mention.start), default=None)


def answer(hit) -> tuple:
    """What a hit says, for listings: surface, place id, name, precision, lat, lon."""
    if hit.place is None:
        return (hit.mention.surface, None, None, str(hit.precision), None, None)
    return (hit.mention.surface, hit.place.place_id, hit.place.name, str(hit.precision),
            round(hit.place.lat, 3), round(hit.place.lon, 3))

"""``geo extract`` writes its lines directly as JSON text (geo.pipeline.toponyms_json): byte for byte what
json.dumps writes for the records built the plain way, for every shape of value a resolution can hold."""
import json
import math

import pytest

from geo.flows import extract_line
from geo.focus import document_focus
from geo.frames import display_place_id
from geo.model import Document, Kind, Mention, Place, Precision, Resolution
from geo.pipeline import toponym_records, toponyms_json


def plain_records(resolutions, demonyms=False):
    """The records as dicts, built field by field (what toponyms_json must equal once encoded)."""
    out = []
    for r in resolutions:
        if r.kind == Kind.DEMONYM and not demonyms:
            continue
        m, p = r.mention, r.place
        scores = r.alternative_scores
        out.append({
            "start": m.start, "end": m.end, "name": m.surface,
            "lat": round(p.lat, 5) if p else None, "lon": round(p.lon, 5) if p else None,
            "place_id": display_place_id(r), "kind": str(r.kind),
            "country_code": p.country_code if p else None,
            "precision": str(r.precision), "confidence": r.confidence,
            "role": m.role, "evidence": r.evidence,
            "alternatives": [{"name": a.name, "lat": round(a.lat, 5), "lon": round(a.lon, 5),
                              "gazetteer_id": a.place_id, "kind": str(a.kind), "country_code": a.country_code,
                              "score": scores[i] if i < len(scores) else None}
                             for i, a in enumerate(r.alternatives)],
        })
    return out


def plain_line(doc, resolutions, demonyms=False):
    focus = document_focus(doc, resolutions)
    line = {"id": doc.id, "toponyms": plain_records(resolutions, demonyms),
            "focus": focus.record() if focus is not None else None}
    return json.dumps(line, ensure_ascii=False) + "\n"


QUOTED = Place('csv:"q"\\', 'Say "Ñu"\\\n\t\x01 ☃ \U0001f600', Kind.FEATURE, -0.000001, 179.999996, "", "")
MX = Place("gn:3996063", "México", Kind.COUNTRY, 23.0, -102.0, "MX")
SONORA = Place("gn:3982846", "Sonora", Kind.ADMIN1, 29.33333, -110.66667, "MX", "26")
TINY = Place("gn:1", "Tiny", Kind.CITY, 1e-7, -1e-7, "MX", "26")
BIG = Place("gn:2", "Big", Kind.CITY, 12345678.123456789, -0.5, "MX", "26")
WHOLE = Place("gn:3", "Whole", Kind.CITY, 10, -20, "US", "TX")  # coordinates as ints (a CSV layer)


def res(surface, start, place, kind=Kind.CITY, precision=Precision.EXACT, conf=0.9, alts=(), scores=(),
        evidence="", role="text"):
    return Resolution(Mention("d", start, start + len(surface), surface, role=role), place, kind, precision, conf,
                      alts, scores, evidence)


SHAPES = [
    res("Hermosillo", 0, SONORA, precision=Precision.ADMIN1, evidence='"Hermosillo, Sonora" in text'),
    res("Camp Ñandú \"Shelby\"", 20, SONORA, kind=Kind.FEATURE, precision=Precision.ADMIN1, conf=1),
    res("mexicanos", 45, MX, kind=Kind.DEMONYM, conf=0.75),
    res("Nowhere", 60, None, precision=Precision.UNRESOLVED, conf=0.0, role="dateline"),
    res("Sonora", 70, SONORA, kind=Kind.ADMIN1, conf=1 / 3, alts=(MX, TINY, QUOTED), scores=(0.1, 1e-9)),
    res("Tiny", 80, TINY, conf=float("nan"), alts=(BIG,), scores=(float("inf"),)),
    res("Big", 90, BIG, conf=-0.0, alts=(WHOLE, TINY), scores=(2.5e16, -1e-300)),
    res("Whole", 100, WHOLE, conf=0.123456789012345678, evidence="tab\there, line\nthere, \u2028 \ud800"),
    res(QUOTED.name, 110, QUOTED, kind=Kind.FEATURE, alts=(QUOTED,), scores=(None,)),
]


@pytest.mark.parametrize("demonyms", [False, True])
def test_toponyms_json_is_json_dumps_of_the_plain_records(demonyms):
    text, n = toponyms_json(SHAPES, demonyms=demonyms)
    records = plain_records(SHAPES, demonyms)
    assert text == json.dumps(records, ensure_ascii=False)
    assert n == len(records) == len(SHAPES) - (not demonyms)
    # twice: the second time every place's parts come from the cache
    assert toponyms_json(SHAPES, demonyms=demonyms)[0] == text
    assert toponyms_json([], demonyms=demonyms) == ("[]", 0)


def test_toponym_records_are_the_plain_records():
    got = toponym_records(SHAPES, demonyms=True)
    want = plain_records(SHAPES, demonyms=True)
    assert math.isnan(got[5]["confidence"]) and math.isnan(want[5]["confidence"])
    got[5]["confidence"] = want[5]["confidence"] = None
    assert got == want
    assert [list(rec) for rec in got] == [list(rec) for rec in want]


def test_a_place_equal_to_a_cached_one_but_another_object_is_encoded_for_itself():
    first = Place("gn:9", "Uno", Kind.CITY, 1.0, 2.0, "MX")
    toponyms_json([res("Uno", 0, first)])
    other = Place("gn:9", "Otro", Kind.CITY, 3.0, 4.0, "AR")  # same id, other values (a corrections file)
    [rec] = json.loads(toponyms_json([res("Otro", 0, other, alts=(first,), scores=(0.5,))])[0])
    assert (rec["lat"], rec["country_code"], rec["alternatives"][0]["name"]) == (3.0, "AR", "Uno")


def test_extract_line_is_json_dumps_of_the_line(geoparser):
    texts = [("Llegaron a Camp Shelby, Misisipi, desde México; los mexicanos de Hermosillo, Sonora, también.", "es"),
             ('The "Paris" of Texas: officials in Paris, Texas, and Dallas met Georgians.', "en"),
             ("Nothing here names a place.", "en")]
    for n, (text, lang) in enumerate(texts):
        doc = Document(f'doc "{n}" ñ', text, lang)
        found = geoparser.parse(doc)
        for demonyms in (False, True):
            line, count = extract_line(doc, found, demonyms=demonyms)
            assert line == plain_line(doc, found, demonyms)
            assert count == len(plain_records(found, demonyms))
    synthetic = Document("d", "x" * 200)
    assert extract_line(synthetic, SHAPES, demonyms=True)[0] == plain_line(synthetic, SHAPES, True)

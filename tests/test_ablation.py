"""Switching parts off: the resolver's evidence and the recogniser's rules, one at a time."""
from __future__ import annotations

import pytest

from geo.model import Document, Kind
from geo.pipeline import Geoparser
from geo.resolve import EVIDENCE, WEIGHTS, Resolver


def places(geoparser, text, lang):
    return {r.mention.surface: r for r in geoparser.parse(Document("t", text, lang=lang))}


def test_unknown_evidence_is_refused(gazetteer):
    with pytest.raises(ValueError, match="unknown resolver evidence"):
        Resolver(gazetteer, disabled={"no_such_thing"})


def test_disabled_evidence_weighs_nothing(gazetteer):
    r = Resolver(gazetteer, disabled={"doc_country", "actor"})
    assert r.weights["doc_country"] == r.weights["actor"] == 0.0
    assert r.weights["near"] == WEIGHTS["near"] and "temperature" not in EVIDENCE


def test_unit_named_evidence_reads_the_province(gazetteer):
    text = "La provincia de Sevilla recibió lluvias."
    on = places(Geoparser(gazetteer), text, "es")["Sevilla"]
    off = places(Geoparser(gazetteer, disabled={"unit_named"}), text, "es")["Sevilla"]
    assert on.place.kind in (Kind.ADMIN1, Kind.ADMIN2)
    assert off.place.kind == Kind.CITY


def test_contained_evidence_raises_confidence(gazetteer):
    text = "The sheriff in Paris, Texas said the fair opened."
    on = places(Geoparser(gazetteer), text, "en")["Paris"]
    off = places(Geoparser(gazetteer, disabled={"contained"}), text, "en")["Paris"]
    assert on.place.admin1 == "TX" and on.confidence > off.confidence


def test_disabled_evidence_travels_to_worker_processes(gazetteer):
    import pickle
    g = pickle.loads(pickle.dumps(Geoparser(gazetteer, disabled={"near"})))
    assert g.resolver.weights["near"] == 0.0

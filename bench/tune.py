"""Try resolver weights on LGL and GeoVirus, per half, recognising each document once.

    python bench/tune.py                          # the figures with the weights as they are
    python bench/tune.py near=1.0 near=2.0        # each setting alone, against the base
    python bench/tune.py KIND.admin2=1.5          # a KIND_PRIOR entry
    python bench/tune.py near=2.0,doc_admin1=3.0  # several at once

Recognition (the recogniser's mentions, and the gold spans with the rest of the text as
context) runs once; each setting re-runs only the resolver. Prints gold-span acc@161km
and end-to-end acc@161km for each half of each corpus (halves as in bench/misses.py).
A setting is worth keeping only if it moves both halves of both corpora the same way.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from misses import EVAL, _scorer, half_of  # noqa: E402


def prepare(gp, sc, corpora=("lgl", "geovirus")):
    from geo.model import Document

    data = {}
    for corpus in corpora:
        golds = sc.read_jsonl(str(EVAL / "data" / f"{corpus}.jsonl"), "gold")
        docs = []
        for did, d in golds.items():
            doc = Document(str(did), d["text"], lang=d.get("lang") or "en")
            found = gp.recognizer.recognize(doc)
            given = [gp.recognizer.mention_for_span(doc, t["start"], t["end"])
                     for t in sorted(d.get("toponyms", ()), key=lambda t: (t["start"], t["end"]))]
            wanted = {(m.start, m.end) for m in given}
            context = [m for m in found if not any(m.start < e and s < m.end for s, e in wanted)]
            docs.append((did, doc, found, sorted(given + context, key=lambda m: (m.start, m.end)), wanted))
        data[corpus] = (golds, docs)
    return data


def evaluate(gp, sc, data) -> dict:
    from geo.pipeline import toponym_records

    out = {}
    for corpus, (golds, docs) in data.items():
        preds, gpreds = {}, {}
        for did, doc, found, mixed, wanted in docs:
            preds[did] = {"toponyms": toponym_records(gp.resolver.resolve(doc, found))}
            res = [r for r in gp.resolver.resolve(doc, mixed)
                   if (r.mention.start, r.mention.end) in wanted and r.mention.source == "given"]
            gpreds[did] = {"toponyms": toponym_records(res, demonyms=True)}
        for h in (0, 1):
            g = {k: v for k, v in golds.items() if half_of(k) == h}
            gs = sc.score(g, {k: gpreds[k] for k in g})
            es = sc.score(g, {k: preds[k] for k in g})
            out[(corpus, h)] = (gs["resolution"]["acc161"], es["acc161_end_to_end"], es["recognition"]["overlap"]["f1"],
                                gs["resolution"]["n"])
        gs, es = sc.score(golds, gpreds), sc.score(golds, preds)
        out[(corpus, "all")] = (gs["resolution"]["acc161"], es["acc161_end_to_end"], es["recognition"]["overlap"]["f1"],
                                gs["resolution"]["n"])
    return out


def apply(gp, setting: str) -> list:
    """Set weights from "a=1,KIND.admin2=2"; returns what to undo."""
    import geo.resolve as R
    from geo.model import Kind

    undo = []
    for part in filter(None, setting.split(",")):
        name, _, value = part.partition("=")
        if name.startswith("KIND."):
            kind = Kind(name[5:])
            undo.append((R.KIND_PRIOR, kind, R.KIND_PRIOR[kind]))
            R.KIND_PRIOR[kind] = float(value)
        elif name == "temperature":
            undo.append((R.WEIGHTS, name, R.WEIGHTS[name]))
            R.WEIGHTS[name] = float(value)
        elif name in ("NEAR_KM", "SCOPE_MASS", "DWARFED_SHARE", "FAMOUS_RATIO", "FAMOUS_POP"):
            undo.append((vars(R), name, getattr(R, name)))
            setattr(R, name, float(value))
        else:
            undo.append((gp.resolver.weights, name, gp.resolver.weights[name]))
            gp.resolver.weights[name] = float(value)
    return undo


def line(label: str, r: dict, base: dict | None = None) -> str:
    cells = []
    for corpus in ("lgl", "geovirus"):
        for h in (0, 1, "all"):
            if (corpus, h) not in r:
                continue
            g, e, _f, _n = r[(corpus, h)]
            if base is None:
                cells.append(f"{corpus[:3]}{h} {g:.4f}/{e:.4f}")
            else:
                bg, be, _bf, n = base[(corpus, h)]
                cells.append(f"{corpus[:3]}{h} {round((g - bg) * n):+d}/{e - be:+.4f}")
    return f"{label:40} " + "  ".join(cells)


def flips(gp, sc, data, setting: str, half: int = 0, corpus: str = "lgl") -> list[str]:
    """Gold spans of one half that a setting makes right (+) or wrong (-)."""
    from geo.pipeline import toponym_records  # noqa: F401

    def hits():
        golds, docs = data[corpus]
        out = {}
        for did, doc, _found, mixed, wanted in docs:
            if half_of(did) != half:
                continue
            res = {(r.mention.start, r.mention.end): r for r in gp.resolver.resolve(doc, mixed)
                   if (r.mention.start, r.mention.end) in wanted and r.mention.source == "given"}
            for t in golds[did]["toponyms"]:
                r = res.get((t["start"], t["end"]))
                if t.get("lat") is None or r is None:
                    continue
                ok = r.place is not None and sc.haversine_km(t["lat"], t["lon"], r.place.lat, r.place.lon) <= 161
                out[(did, t["start"])] = (ok, t["name"], r.place.name if r.place else None,
                                          f"{r.place.country_code}/{r.place.admin1}" if r.place else "", r.evidence)
        return out

    before = hits()
    undo = apply(gp, setting)
    after = hits()
    for target, key, value in reversed(undo):
        target[key] = value
    lines = []
    for k, (ok, name, place, where, ev) in after.items():
        if ok != before[k][0]:
            lines.append(f"{'+' if ok else '-'} {k[0]} {name}: {before[k][2]} {before[k][3]} -> {place} {where} ({ev})")
    return sorted(lines)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from geo.pipeline import Geoparser

    sc = _scorer()
    gp = Geoparser()
    data = prepare(gp, sc)
    if argv and argv[0] == "--flips":  # --flips SETTING [HALF] [CORPUS]
        print("\n".join(flips(gp, sc, data, argv[1], int(argv[2]) if len(argv) > 2 else 0,
                               argv[3] if len(argv) > 3 else "lgl")))
        return 0
    base = evaluate(gp, sc, data)
    print(line("base (gold-span acc / e2e)", base), flush=True)
    for setting in argv:
        undo = apply(gp, setting)
        r = evaluate(gp, sc, data)
        for target, key, value in reversed(undo):
            target[key] = value
        print(line(setting + " (gold mentions / e2e)", r, base), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())


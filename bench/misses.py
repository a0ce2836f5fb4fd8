"""Resolution misses on the gold spans, and figures per half of each corpus.

    python bench/misses.py [--corpora lgl,geovirus] [--half 0] [--out misses.tsv] [--no-e2e]
                           [--disable NAME,...]

Parses each corpus with coordinates in this process (one gazetteer): the gold spans
(as ``geo extract --spans-from``, with the rest of the text as context) and, unless
``--no-e2e``, the whole text (as ``geo extract``). Documents are split into two halves
by a hash of their id (crc32 % 2): half 0 is the half to look at, half 1 only to
score. Prints gold-span acc@161km, end-to-end acc@161km and overlap F1 per half, and
with ``--out`` writes the gold-span misses of ``--half`` as TSV: gold name, point and
GeoNames id, whether that id is in the gazetteer, our answer (id, name, kind,
population, country/admin-1), distance, confidence, evidence and alternatives.
"""
from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"


def _scorer():
    spec = importlib.util.spec_from_file_location("geo_eval_score", EVAL / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def half_of(doc_id: str) -> int:
    return zlib.crc32(str(doc_id).encode("utf-8")) % 2


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpora", default="lgl,geovirus")
    ap.add_argument("--half", type=int, default=0, help="the half whose misses --out lists")
    ap.add_argument("--out", help="TSV of gold-span misses")
    ap.add_argument("--no-e2e", action="store_true", help="only the gold spans")
    ap.add_argument("--disable", default="", help="resolver evidence / recogniser rules to switch off")
    args = ap.parse_args(argv)

    from geo.flows import extract_line
    from geo.model import Document
    from geo.pipeline import Geoparser

    sc = _scorer()
    gp = Geoparser(disabled={d for d in args.disable.split(",") if d})
    gaz = gp.gazetteer
    rows_out = []
    for corpus in args.corpora.split(","):
        gold_path = EVAL / "data" / f"{corpus}.jsonl"
        golds = sc.read_jsonl(str(gold_path), "gold")
        preds: dict[str, dict] = {}
        gpreds: dict[str, dict] = {}
        for did, d in golds.items():
            doc = Document(str(did), d["text"], lang=d.get("lang"))
            spans = [(t["start"], t["end"]) for t in d.get("toponyms", ())]
            res = gp.parse(doc, spans=spans)
            gpreds[did] = json.loads(extract_line(doc, res, demonyms=True)[0])
            if not args.no_e2e:
                preds[did] = json.loads(extract_line(doc, gp.parse(doc))[0])
            if args.out and half_of(did) == args.half:
                by_span = {(r.mention.start, r.mention.end): r for r in res}
                for t in d.get("toponyms", ()):
                    if t.get("lat") is None:
                        continue
                    r = by_span.get((t["start"], t["end"]))
                    p = r.place if r is not None else None
                    km = sc.haversine_km(t["lat"], t["lon"], p.lat, p.lon) if p is not None else 20039.0
                    if km <= 161:
                        continue
                    gid = t.get("geonameid")
                    gold_place = gaz.get(f"gn:{gid}") if gid else None
                    in_gaz = gold_place is not None
                    ctx = d["text"][max(0, t["start"] - 60):t["end"] + 60].replace("\n", " ").replace("\t", " ")
                    rows_out.append({
                        "corpus": corpus, "id": did, "name": t["name"], "gold_gn": gid or "", "gold_in_gaz": int(in_gaz),
                        "gold_cc_a1": f"{gold_place.country_code}/{gold_place.admin1}" if gold_place else "",
                        "gold_pop": gold_place.population if gold_place else "",
                        "gold_fcode": t.get("fcode", ""), "gold_lat": t["lat"], "gold_lon": t["lon"],
                        "ours": p.place_id if p else "", "ours_name": p.name if p else "",
                        "kind": str(p.kind) if p else "", "pop": p.population if p else "",
                        "cc_a1": f"{p.country_code}/{p.admin1}" if p else "", "km": round(km),
                        "conf": r.confidence if r else "", "precision": str(r.precision) if r else "",
                        "evidence": r.evidence if r else "",
                        "alts": "; ".join(f"{a.place_id} {a.name} {a.country_code}/{a.admin1} {a.population}"
                                          for a in (r.alternatives if r else ())),
                        "context": ctx,
                    })
        for h in (0, 1):
            g = {k: v for k, v in golds.items() if half_of(k) == h}
            gs = sc.score(g, {k: v for k, v in gpreds.items() if k in g})
            line = f"{corpus} half {h}: docs {len(g)} gold-span acc@161 {gs['resolution']['acc161']:.4f} " \
                   f"(n {gs['resolution']['n']})"
            if not args.no_e2e:
                es = sc.score(g, {k: v for k, v in preds.items() if k in g})
                line += f"  e2e {es['acc161_end_to_end']:.4f}  F1 {es['recognition']['overlap']['f1']:.4f}"
            print(line)
        gs = sc.score(golds, gpreds)
        line = f"{corpus} all:    gold-span acc@161 {gs['resolution']['acc161']:.4f}"
        if not args.no_e2e:
            es = sc.score(golds, preds)
            line += f"  e2e {es['acc161_end_to_end']:.4f}  F1 {es['recognition']['overlap']['f1']:.4f}"
        print(line, flush=True)
    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows_out[0]) if rows_out else ["corpus"], delimiter="\t")
            w.writeheader()
            w.writerows(rows_out)
        print(f"{len(rows_out)} misses of half {args.half} -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Date F1 on corpus/gold.jsonl: thidua's date facts vs the peer pipeline's dateparser dates.

    date_f1.py --corpus CORPUS --gold GOLD --thidua-out OUT [--json-out FILE] [--misses]

OUT is `thidua extract CORPUS -o OUT`. Per gold document, the gold set is facts.date (distinct
YYYY-MM-DD values). thidua's set is the `value` of its `date` facts for the document whose
`source` is that file (documents.jsonl `source` -> `doc_id` -> facts.jsonl). The peer's set is
every date dateparser's search_dates finds in the trafilatura/plain text, as YYYY-MM-DD.
Precision/recall/F1 are micro-averaged: tp/fp/fn summed over documents.

Two peer variants are scored:
  default  search_dates(text, languages=[lingua's lang])   (what the throughput run does)
  tuned    the same plus settings REQUIRE_PARTS=[day, month] (drops bare years and months),
           PREFER_DATES_FROM=past and RELATIVE_BASE = the page date trafilatura's metadata
           finds (HTML only), so year-less dates get a plausible year
"""
import argparse
import datetime as dt
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_pipeline as pp  # noqa: E402
import trafilatura  # noqa: E402


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def thidua_dates(out_dir, corpus):
    docs = {}
    by_source = {}
    with open(os.path.join(out_dir, "documents.jsonl")) as fh:
        for line in fh:
            d = json.loads(line)
            by_source[d["source"]] = d
    facts = {}
    with open(os.path.join(out_dir, "facts.jsonl")) as fh:
        for line in fh:
            f = json.loads(line)
            if f["kind"] == "date":
                facts.setdefault(f["doc_id"], set()).add(f["value"])
    for src, d in by_source.items():
        if d["status"] == "duplicate":  # facts live on the first row with these bytes
            d = by_source.get(d["error"], d)
        rel = os.path.relpath(os.path.abspath(src), os.path.abspath(corpus))
        docs[rel] = (facts.get(d["doc_id"], set()), d["lang"])
    return docs


def tuned_settings(path, raw):
    s = {"REQUIRE_PARTS": ["day", "month"], "PREFER_DATES_FROM": "past"}
    if path.endswith((".html", ".htm")):
        meta = trafilatura.extract_metadata(raw)
        if meta is not None and meta.date:
            try:
                s["RELATIVE_BASE"] = dt.datetime.strptime(meta.date[:10], "%Y-%m-%d")
            except ValueError:
                pass
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--gold", required=True)
    ap.add_argument("--thidua-out", required=True)
    ap.add_argument("--json-out")
    ap.add_argument("--misses", action="store_true", help="print each document's misses and extras")
    args = ap.parse_args()

    gold = [json.loads(l) for l in open(args.gold) if l.strip()]
    th = thidua_dates(args.thidua_out, args.corpus)
    systems = ["thidua", "peer_default", "peer_tuned"]
    tot = {s: {"all": [0, 0, 0]} for s in systems}
    lang_ok = {"thidua": 0, "peer": 0}
    for g in gold:
        path = os.path.join(args.corpus, g["file"])
        want = set(g.get("facts", {}).get("date", []))
        with open(path, "rb") as fh:
            raw = fh.read()
        text, lang, got_default = pp.process(path, raw)
        got_tuned = pp.find_dates(text, lang, tuned_settings(path, raw))
        got_th, th_lang = th.get(g["file"], (set(), None))
        lang_ok["thidua"] += th_lang == g["lang"]
        lang_ok["peer"] += lang == g["lang"]
        for s, got in (("thidua", got_th), ("peer_default", got_default), ("peer_tuned", got_tuned)):
            c = [len(got & want), len(got - want), len(want - got)]
            for key in ("all", g["lang"]):
                acc = tot[s].setdefault(key, [0, 0, 0])
                for i in range(3):
                    acc[i] += c[i]
            if args.misses and (c[1] or c[2]):
                print(f"{s:13} {g['file']}: missed {sorted(want - got)} extra {sorted(got - want)}")
    n = len(gold)
    res = {"documents": n, "lang_accuracy": {k: v / n for k, v in lang_ok.items()}, "date": {}}
    print(f"date facts vs {args.gold} ({n} documents, micro-averaged)")
    print(f"{'system':13} {'lang':4} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}")
    for s in systems:
        res["date"][s] = {}
        keys = ["all"] + sorted(k for k in tot[s] if k != "all")
        for k in keys:
            tp, fp, fn = tot[s][k]
            p, r, f = prf(tp, fp, fn)
            res["date"][s][k] = {"p": p, "r": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}
            print(f"{s:13} {k:4} {p:6.3f} {r:6.3f} {f:6.3f} {tp:5} {fp:5} {fn:5}")
    print(f"language accuracy vs gold: thidua {lang_ok['thidua']}/{n}, lingua {lang_ok['peer']}/{n}")
    if args.json_out:
        with open(args.json_out, "w") as fh:
            json.dump(res, fh)


if __name__ == "__main__":
    main()

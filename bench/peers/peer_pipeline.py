#!/usr/bin/env python3
"""The pipeline a researcher would write instead of thidua, for bench/peers/run.sh.

Per file (sorted paths, one process, one thread):
  HTML -> trafilatura.extract (plain .txt files are used as-is),
  lingua language detection restricted to vi/ru/uk/pt/ko,
  dateparser.search.search_dates(text, languages=[lang]) -> set of YYYY-MM-DD.

    peer_pipeline.py bench DIR [--max-mb N] [--list-out FILE] [--json-out FILE]
        time the pipeline over DIR (optionally only the first N MB of files, in sorted order),
        print/write bytes, docs, seconds (loop wall time, setup excluded) and per-stage seconds.
"""
import argparse
import json
import os
import sys
import time

T_IMPORT0 = time.perf_counter()
import trafilatura  # noqa: E402
from dateparser.search import search_dates  # noqa: E402
from lingua import Language, LanguageDetectorBuilder  # noqa: E402

LANGS = {
    Language.VIETNAMESE: "vi",
    Language.RUSSIAN: "ru",
    Language.UKRAINIAN: "uk",
    Language.PORTUGUESE: "pt",
    Language.KOREAN: "ko",
}

_DETECTOR = None


def detector():
    global _DETECTOR
    if _DETECTOR is None:
        _DETECTOR = (LanguageDetectorBuilder.from_languages(*LANGS)
                     .with_preloaded_language_models().build())
    return _DETECTOR


def main_text(path, raw):
    """trafilatura for HTML, the decoded bytes for anything else."""
    if path.endswith((".html", ".htm")):
        return trafilatura.extract(raw) or ""
    return raw.decode("utf-8", errors="replace")


def detect(text):
    lang = detector().detect_language_of(text)
    return LANGS.get(lang)


def find_dates(text, lang, settings=None):
    """dateparser's search, normalized to a set of YYYY-MM-DD strings."""
    if not text:
        return set()
    found = search_dates(text, languages=[lang] if lang else None, settings=settings) or []
    return {dt.strftime("%Y-%m-%d") for _, dt in found}


def process(path, raw, stages=None, settings=None):
    t0 = time.perf_counter()
    text = main_text(path, raw)
    t1 = time.perf_counter()
    lang = detect(text)
    t2 = time.perf_counter()
    dates = find_dates(text, lang, settings)
    t3 = time.perf_counter()
    if stages is not None:
        stages["trafilatura"] += t1 - t0
        stages["lingua"] += t2 - t1
        stages["dateparser"] += t3 - t2
    return text, lang, dates


def list_files(root, max_mb=None):
    files = []
    for d, _, names in os.walk(root):
        for n in names:
            if n.endswith((".html", ".htm", ".txt")):
                files.append(os.path.join(d, n))
    files.sort()
    if max_mb:
        limit, total, out = max_mb * 1_000_000, 0, []
        for f in files:
            if total >= limit:
                break
            out.append(f)
            total += os.path.getsize(f)
        files = out
    return files


def bench(args):
    t_setup0 = time.perf_counter()
    detector()
    setup = (t_setup0 - T_IMPORT0) + (time.perf_counter() - t_setup0)
    files = list_files(args.dir, args.max_mb)
    if args.list_out:
        with open(args.list_out, "w") as fh:
            fh.write("".join(os.path.relpath(f, args.dir) + "\n" for f in files))
    stages = {"read": 0.0, "trafilatura": 0.0, "lingua": 0.0, "dateparser": 0.0}
    nbytes = ndates = 0
    langs = {}
    start = time.perf_counter()
    for f in files:
        t = time.perf_counter()
        with open(f, "rb") as fh:
            raw = fh.read()
        stages["read"] += time.perf_counter() - t
        nbytes += len(raw)
        _, lang, dates = process(f, raw, stages)
        ndates += len(dates)
        langs[lang] = langs.get(lang, 0) + 1
    secs = time.perf_counter() - start
    res = {"docs": len(files), "bytes": nbytes, "seconds": secs, "setup_seconds": setup,
           "mb_per_s": nbytes / 1e6 / secs, "docs_per_s": len(files) / secs,
           "stages": stages, "dates_found": ndates, "langs": langs}
    if args.json_out:
        with open(args.json_out, "w") as fh:
            json.dump(res, fh)
    print(json.dumps(res, indent=1, default=str))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("bench")
    b.add_argument("dir")
    b.add_argument("--max-mb", type=float, default=None)
    b.add_argument("--list-out")
    b.add_argument("--json-out")
    args = ap.parse_args()
    if args.cmd == "bench":
        bench(args)


if __name__ == "__main__":
    sys.exit(main())

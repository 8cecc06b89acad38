#!/usr/bin/env python3
"""Turn article files into a sharded JSON Lines corpus for `thidua extract --jsonl-stdin`.

Every `*.html` / `*.htm` file becomes a record `{"html": ...}`, every `*.txt` file a record
`{"text": ...}` (SPEC §1: `{"url"?, "html"?, "text"?, "title"?, "published"?, "lang"?}`); the
extractor finds url, title, dates and language itself, exactly as it does for the files.
Records are spread round-robin over N shards `part-00000.jsonl`, ... in DIR, and the same
lines, shard after shard, are written to one file (`--all`), so that a batch run over that
one file and a Spark run over the shards see byte-identical records.

`--edge` appends records that exercise the error contract: malformed JSON, a non-object, a
wrong field type, a record with neither text nor html, a lone surrogate, a U+2028 inside a
text, a CRLF line end, a blank line, exact duplicates (round-robin puts them in other shards
than their first copy),
and (with `--edge-oversize`) one line over the default 16 MiB document limit.

Usage: make_shards.py --out DIR --all ALL.jsonl [--shards N] [--edge] SRC...
"""

import argparse
import json
import os
import sys


def article_files(src):
    if os.path.isfile(src):
        yield src
        return
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for name in sorted(files):
            if name.lower().endswith((".html", ".htm", ".txt")):
                yield os.path.join(root, name)


def record_for(path):
    # Corpus and gen-corpus files are UTF-8; anything else is decoded leniently so the line
    # still becomes a record (the extractor then sees the replacement characters).
    with open(path, "rb") as f:
        raw = f.read()
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        body = raw.decode("utf-8", errors="replace")
        print(f"make_shards: {path}: not UTF-8, decoded with replacements", file=sys.stderr)
    key = "text" if path.lower().endswith(".txt") else "html"
    return {key: body}


def dumps(obj):
    # Raw UTF-8 (not \u escapes), one line: JSON escapes \n and \r inside strings.
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def edge_lines(first_lines):
    """Lines (without newline) that must each become one error/duplicate row, never a crash."""
    vi = "Ngày 25/1/2024, Cụm thi đua số 2 tổ chức hội nghị sơ kết 6 tháng đầu năm 2024."
    out = [
        '{"text": "Ngày 26/1/2024, Khối thi đua', # truncated JSON
        '["not", "an", "object"]',
        '{"text": 42, "lang": ["vi"]}',
        '{"url": "https://example.vn/a.html", "title": "no body"}',
        '{"text": "lone surrogate \\ud800 here"}',
        dumps({"text": vi + "\u2028" + "Đoàn viên: 5.500 người.\u2029Hết."}),
        dumps({"text": vi, "lang": "vi", "published": "2024-01-26",
               "url": "https://example.vn/crlf.html"}) + "\r",  # CRLF line end
        "   ",  # blank: not a unit (batch and stream both skip it)
        dumps({"text": vi, "title": "Sơ kết"}),
        dumps({"text": vi, "title": "Sơ kết"}),  # duplicate of the previous line
    ]
    # Exact copies of real records (duplicates of lines that sit in other shards).
    out.extend(first_lines[:3])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sources", nargs="+", help="files or directories of .html/.htm/.txt articles")
    ap.add_argument("--out", required=True, help="directory for part-NNNNN.jsonl shards")
    ap.add_argument("--all", required=True, help="the same records in one .jsonl file")
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--edge", action="store_true", help="append edge-case records")
    ap.add_argument("--edge-oversize", action="store_true",
                    help="also append one record over 16 MiB (becomes an error row)")
    a = ap.parse_args()

    lines = []
    for src in a.sources:
        for path in article_files(src):
            lines.append(dumps(record_for(path)))
    n_articles = len(lines)
    if a.edge:
        lines.extend(edge_lines(lines))
        if a.edge_oversize:
            lines.append(dumps({"text": "x" * (17 << 20)}))

    os.makedirs(a.out, exist_ok=True)
    for name in os.listdir(a.out):
        if name.startswith("part-") and name.endswith(".jsonl"):
            os.remove(os.path.join(a.out, name))
    shards = [[] for _ in range(a.shards)]
    for i, line in enumerate(lines):
        shards[i % a.shards].append(line)
    # Round-robin: a copy lands in another shard than its first occurrence.
    with open(a.all, "wb") as every:
        for k, shard in enumerate(shards):
            data = "".join(line + "\n" for line in shard).encode("utf-8", "surrogatepass")
            with open(os.path.join(a.out, f"part-{k:05d}.jsonl"), "wb") as f:
                f.write(data)
            every.write(data)
    size = os.path.getsize(a.all)
    print(f"make_shards: {n_articles} articles + {len(lines) - n_articles} edge lines "
          f"-> {a.shards} shards in {a.out}, {size / 1e6:.1f} MB; all in {a.all}")


if __name__ == "__main__":
    main()

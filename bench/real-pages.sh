#!/usr/bin/env bash
# Throughput on real news pages as they were served (../shared/html-samples: 13 pages of
# Vietnamese news sites on any topic, 40-250 KB each, menus, scripts and related stories
# included), where bench/throughput.sh runs on pages generated from corpus/ (thin markup,
# a fact in every paragraph). The pages are not in the repository; the script reads them
# beside it, or from DIR.
#
# Each page is copied N times (default 20) with a distinct comment at its end, so that no
# copy is a duplicate of another; the main text thidua extracts from each page is copied 10 N
# times (plain-text files, a distinct last line each; the text is 2-3 % of a page's bytes). Prints, for HTML and text, MB/s and
# documents/s at -j 1 and -j 2 with start-up included, the start-up alone (no input), and
# MB/s at -j 1 without it.
# Usage: bench/real-pages.sh [N] [DIR]   (ROUNDS=3: best of 3 runs of each -j, taking turns)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${1:-20}
SRC=${2:-../shared/html-samples}
[ -d "$SRC" ] || { echo "no pages at $SRC (give DIR)" >&2; exit 1; }
cargo build --release --quiet
BIN=target/release/thidua
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/html" "$WORK/text"
for f in "$SRC"/*.html "$SRC"/*.htm; do
  [ -f "$f" ] || continue
  name=$(basename "$f")
  for i in $(seq "$N"); do
    { cat "$f"; printf '\n<!-- copy %d -->\n' "$i"; } > "$WORK/html/${name%.*}-$i.html"
  done
done
# The main text of each page, as thidua extracts it (one copy of each page).
mkdir -p "$WORK/once"
for f in "$WORK"/html/*-1.html; do cp "$f" "$WORK/once/"; done
"$BIN" extract "$WORK/once" -o "$WORK/texts" -q
python3 - "$WORK/texts/documents.jsonl" "$WORK/text" "$((10 * N))" <<'PY'
import json, sys
docs, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for k, line in enumerate(open(docs, encoding="utf-8")):
    d = json.loads(line)
    body = (d.get("title") or "") + "\n\n" + (d.get("text") or "")
    for i in range(1, n + 1):
        with open(f"{out}/page{k:02d}-{i}.txt", "w", encoding="utf-8") as f:
            f.write(f"{body}\n\n({i})\n")
PY
machine_check
STARTUP=$(startup)
printf 'start-up (no input, -j 1): %.2f s\n' "$STARTUP"
for form in html text; do
  BYTES=$(du -sb "$WORK/$form" | cut -f1)
  DOCS=$(find "$WORK/$form" -type f | wc -l)
  printf '\n%s: %d documents, %.1f MB\n' "$form" "$DOCS" "$(echo "$BYTES/1000000" | bc -l)"
  run_jobs "$WORK/$form" "$BYTES" "$DOCS"
  printf -- '-j 1 without start-up: %.2f MB/s\n' \
    "$(echo "$BYTES/1000000/($(cat "$WORK/secs1") - $STARTUP)" | bc -l)"
done
machine_check

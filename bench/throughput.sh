#!/usr/bin/env bash
# End-to-end throughput: generate N MB of articles from corpus/, run thidua extract at -j 1 and
# -j 2, print MB/s and documents/s for each, the speedup, and peak RSS (GNU time when present).
# Usage: bench/throughput.sh [MB]   (default 20)
#        JOBS="2" bench/throughput.sh 1000   (only -j 2: for the 1 GB run on a slow machine)
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-20}
cargo build --release --quiet
BIN=target/release/thidua
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
$BIN gen-corpus --from corpus --mb "$MB" -o "$WORK/in" 2>/dev/null
BYTES=$(du -sb "$WORK/in" | cut -f1)
DOCS=$(find "$WORK/in" -type f | wc -l)
printf 'input: %d documents, %.1f MB\n' "$DOCS" "$(echo "$BYTES/1000000" | bc -l)"
run() {
  local j=$1
  local start end secs rss=""
  start=$(date +%s.%N)
  if [ -x /usr/bin/time ]; then
    rss=$(/usr/bin/time -f '%M' $BIN extract "$WORK/in" -o "$WORK/out$j" -j "$j" -q 2>&1 >/dev/null | tail -1)
  else
    $BIN extract "$WORK/in" -o "$WORK/out$j" -j "$j" -q
  fi
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc -l)
  printf -- '-j %d: %6.2f s  %7.2f MB/s  %8.0f documents/s%s\n' "$j" "$secs" \
    "$(echo "$BYTES/1000000/$secs" | bc -l)" "$(echo "$DOCS/$secs" | bc -l)" \
    "${rss:+  peak RSS ${rss} KB}"
  echo "$secs" > "$WORK/secs$j"
}
JOBS=${JOBS:-1 2}
for j in $JOBS; do run "$j"; done
[ "$JOBS" = "1 2" ] || exit 0
printf 'speedup -j2/-j1: %.2fx\n' "$(echo "$(cat "$WORK/secs1")/$(cat "$WORK/secs2")" | bc -l)"
cmp -s "$WORK/out1/documents.jsonl" "$WORK/out2/documents.jsonl" && cmp -s "$WORK/out1/facts.jsonl" "$WORK/out2/facts.jsonl" \
  && echo "outputs identical at -j1 and -j2" || { echo "OUTPUTS DIFFER"; exit 1; }

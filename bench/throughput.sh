#!/usr/bin/env bash
# End-to-end throughput: generate N MB of articles from corpus/, run thidua extract at -j 1 and
# -j 2, print MB/s and documents/s for each, the speedup, and peak RSS (GNU time when present).
# Usage: bench/throughput.sh [MB]   (default 20)
#        JOBS="2" bench/throughput.sh 1000   (only -j 2: for the 1 GB run on a slow machine)
#        ROUNDS=3 bench/throughput.sh 10     (best of 3 runs of each -j, taking turns)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
MB=${1:-20}
cargo build --release --quiet
BIN=target/release/thidua
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
$BIN gen-corpus --from corpus --mb "$MB" -o "$WORK/in" 2>/dev/null
BYTES=$(du -sb "$WORK/in" | cut -f1)
DOCS=$(find "$WORK/in" -type f | wc -l)
printf 'input: %d documents, %.1f MB\n' "$DOCS" "$(echo "$BYTES/1000000" | bc -l)"
machine_check
run_jobs "$WORK/in" "$BYTES" "$DOCS"
machine_check

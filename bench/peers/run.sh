#!/usr/bin/env bash
# Peer benchmark (issue 6 item 4): thidua vs the pipeline a researcher would write
# (trafilatura + lingua + dateparser), on the same generated corpus, plus date F1 on corpus/gold.
# Usage: bench/peers/run.sh [MB]         (default 10 MB of generated articles)
# Env:   THIDUA=path/to/binary           (default: target/release/thidua, built first)
#        PY_MB=N                         run both sides on only the first N MB (sorted paths) of the input
#        VENV=dir                        (default /tmp/thidua-peers-venv)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MB=${1:-10}
if [ -z "${THIDUA:-}" ]; then
  (cd "$ROOT" && cargo build --release --quiet)
  THIDUA=$ROOT/target/release/thidua
fi
VENV=${VENV:-/tmp/thidua-peers-venv}
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time" >&2; exit 1; }

if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/pip" install -q --disable-pip-version-check -r "$HERE/requirements.txt" 2>&1 \
  | { grep -v "does not provide the extra 'html_clean'" || true; } >&2
PY=$VENV/bin/python

WORK=$(mktemp -d /tmp/thidua-peers.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
"$THIDUA" gen-corpus --from "$ROOT/corpus" --mb "$MB" -o "$WORK/gen" >/dev/null 2>&1
IN=$WORK/gen
if [ -n "${PY_MB:-}" ]; then
  # the first PY_MB MB of files in sorted order, for both sides
  (cd "$IN" && find . -type f \( -name '*.html' -o -name '*.txt' \) | sed 's|^\./||' | LC_ALL=C sort) > "$WORK/all"
  : > "$WORK/list"; total=0; lim=$(echo "$PY_MB*1000000/1" | bc)
  while read -r f; do
    [ "$total" -ge "$lim" ] && break
    echo "$f" >> "$WORK/list"; total=$((total + $(stat -c %s "$IN/$f")))
  done < "$WORK/all"
  mkdir -p "$WORK/sub"
  (cd "$IN" && while read -r f; do mkdir -p "$WORK/sub/$(dirname "$f")"; ln "$f" "$WORK/sub/$f"; done < "$WORK/list")
  IN=$WORK/sub
fi
BYTES=$(find "$IN" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
DOCS=$(find "$IN" -type f | wc -l)
echo "input: $DOCS documents, $BYTES bytes ($(basename "$THIDUA"), $(getconf _NPROCESSORS_ONLN) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"

# wall via date, peak RSS and CPU via GNU time; writes "secs cpu rss_kb" to $WORK/res.$1
timed() {
  local tag=$1; shift
  local s e
  s=$(date +%s.%N)
  /usr/bin/time -v -o "$WORK/time.$tag" "$@" > "$WORK/stdout.$tag"
  e=$(date +%s.%N)
  local u sy rss
  u=$(awk -F': ' '/User time/ {print $2}' "$WORK/time.$tag")
  sy=$(awk -F': ' '/System time/ {print $2}' "$WORK/time.$tag")
  rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$WORK/time.$tag")
  echo "$(echo "$e - $s" | bc -l) $(echo "$u + $sy" | bc -l) $rss" > "$WORK/res.$tag"
}
echo "running thidua -j 1 ..."
timed j1 "$THIDUA" extract "$IN" -o "$WORK/out1" -q -j 1
echo "running thidua -j 2 ..."
timed j2 "$THIDUA" extract "$IN" -o "$WORK/out2" -q -j 2
echo "running the peer pipeline (1 process) ..."
timed py env OMP_NUM_THREADS=1 RAYON_NUM_THREADS=1 "$PY" "$HERE/peer_pipeline.py" bench "$IN" --json-out "$WORK/py.json"

echo "scoring dates on corpus/gold.jsonl ..."
"$THIDUA" extract "$ROOT/corpus" -o "$WORK/gold_out" -q
"$PY" "$HERE/date_f1.py" --corpus "$ROOT/corpus" --gold "$ROOT/corpus/gold.jsonl" \
  --thidua-out "$WORK/gold_out" --json-out "$WORK/f1.json" > "$WORK/f1.txt"

"$PY" - "$WORK" "$BYTES" "$DOCS" <<'PYEOF'
import json, sys
work, nbytes, ndocs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def res(tag):
    secs, cpu, rss = open(f"{work}/res.{tag}").read().split()
    return float(secs), float(cpu), int(rss)
py = json.load(open(f"{work}/py.json"))
rows = []
for tag, name in (("j1", "thidua -j 1"), ("j2", "thidua -j 2")):
    secs, cpu, rss = res(tag)
    rows.append((name, secs, nbytes / 1e6 / secs, ndocs / secs, cpu, rss))
psecs, pcpu, prss = res("py")
# peer: loop wall time (imports + model loading excluded, reported separately)
rows.append(("peer (trafilatura+lingua+dateparser)", py["seconds"], py["mb_per_s"], py["docs_per_s"], pcpu, prss))
print()
print(f"{'pipeline':38} {'wall s':>8} {'MB/s':>8} {'docs/s':>8} {'CPU s':>8} {'peak RSS':>9}")
for n, s, mbs, dps, cpu, rss in rows:
    print(f"{n:38} {s:8.2f} {mbs:8.3f} {dps:8.1f} {cpu:8.2f} {rss/1024:7.0f} MB")
t1 = rows[0]
print(f"ratio thidua -j 1 / peer:  {t1[2]/py['mb_per_s']:.2f}x MB/s   ({t1[3]/py['docs_per_s']:.2f}x docs/s)")
print(f"ratio thidua -j 2 / peer:  {rows[1][2]/py['mb_per_s']:.2f}x MB/s")
print(f"ratio by CPU seconds (less sensitive to a noisy box): thidua -j 1 / peer {pcpu/t1[4]:.2f}x"
      " (peer CPU includes its setup)")
print(f"peer setup (imports + lingua models) {py['setup_seconds']:.2f} s, whole process {psecs:.2f} s wall;"
      " stage seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in py["stages"].items()))
if py["docs"] != ndocs or py["bytes"] != nbytes:
    print(f"WARNING: peer saw {py['docs']} docs / {py['bytes']} bytes")
print()
print(open(f"{work}/f1.txt").read(), end="")
f = json.load(open(f"{work}/f1.json"))["date"]
print()
for s in ("thidua", "peer_default", "peer_tuned"):
    a = f[s]["all"]
    print(f"date F1 {s:13} P {a['p']:.3f}  R {a['r']:.3f}  F1 {a['f1']:.3f}")
PYEOF

#!/usr/bin/env bash
# End-to-end check of the streaming contract at scale: batch run vs Spark (RDD.pipe) run.
#
#   scale/run.sh [BINARY]
#
# BINARY: the thidua binary (default: $THIDUA, else target/release/thidua).
# Environment: MB (size of the generated corpus, default 10), SHARDS (default 8),
#   VENV (default /tmp/thidua-spark-venv), WORK (default scale/work, git-ignored),
#   MASTER (default local[2]), EDGE=0 to leave out the edge-case records, EDGE=2 to
#   add a 17 MB line too (over the 16 MiB document limit).
# Exits 0 when the Spark output equals the batch output, 1 otherwise.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
BIN="${1:-${THIDUA:-$ROOT/target/release/thidua}}"
MB="${MB:-10}"
SHARDS="${SHARDS:-8}"
VENV="${VENV:-/tmp/thidua-spark-venv}"
WORK="${WORK:-$HERE/work}"
MASTER="${MASTER:-local[2]}"
EDGE="${EDGE:-1}"
PYSPARK_VERSION=3.5.5
PYARROW_VERSION=17.0.0

[ -x "$BIN" ] || { echo "run.sh: no thidua binary at $BIN (pass it as the first argument)" >&2; exit 2; }
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
command -v java >/dev/null || { echo "run.sh: Spark needs Java (17 works): apt-get install openjdk-17-jre-headless" >&2; exit 2; }

# 1. Python environment with PySpark (bundles Spark itself) and pyarrow.
if ! "$VENV/bin/python" -c "import pyspark, pyarrow; assert pyspark.__version__ == '$PYSPARK_VERSION'" 2>/dev/null; then
  echo "== venv $VENV: pyspark $PYSPARK_VERSION, pyarrow $PYARROW_VERSION"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "pyspark==$PYSPARK_VERSION" "pyarrow==$PYARROW_VERSION"
fi
PY="$VENV/bin/python"
export PYSPARK_PYTHON="$PY" PYSPARK_DRIVER_PYTHON="$PY"

# 2. Corpus: every corpus file, plus MB megabytes of variants from gen-corpus, as JSONL shards.
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"
echo "== corpus: $ROOT/corpus + ${MB} MB from gen-corpus -> $SHARDS shards"
"$BIN" gen-corpus --from "$ROOT/corpus" --mb "$MB" --out gen
edge=()
[ "$EDGE" != 0 ] && edge=(--edge)
[ "$EDGE" = 2 ] && edge+=(--edge-oversize)
"$PY" "$HERE/make_shards.py" --out shards --all all.jsonl --shards "$SHARDS" "${edge[@]}" "$ROOT/corpus" gen
rm -rf gen

# 3. Batch run over the same records in one file.
echo "== batch: thidua extract all.jsonl -o batch"
t0=$(date +%s%N)
"$BIN" extract all.jsonl -o batch
t1=$(date +%s%N)
batch_ms=$(( (t1 - t0) / 1000000 ))

# 4. Spark run over the shards.
echo "== spark ($MASTER): spark_extract.py --input shards --out spark"
t0=$(date +%s%N)
"$PY" "$HERE/spark_extract.py" --master "$MASTER" --binary "$BIN" --input shards --out spark 2> spark.log \
  || { tail -n 40 spark.log >&2; echo "FAIL: the Spark job failed (log: $WORK/spark.log)"; exit 1; }
t1=$(date +%s%N)
spark_ms=$(( (t1 - t0) / 1000000 ))

# 5. Compare.
echo "== compare"
set +e
"$PY" "$HERE/compare.py" --batch batch --spark spark --all all.jsonl --shards shards
rc=$?
set -e
echo "== times: batch $((batch_ms / 1000)).$(( batch_ms % 1000 / 100 )) s (all cores), spark $((spark_ms / 1000)).$(( spark_ms % 1000 / 100 )) s wall (JVM start included); input $(du -h all.jsonl | cut -f1)"
exit $rc

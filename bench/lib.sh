# Shared by the bench scripts: time `thidua extract` on an input at -j 1 and -j 2.
# Needs BIN (the thidua binary) and WORK (a scratch directory) set by the caller.

# run_jobs IN BYTES DOCS: extract IN at each -j in $JOBS (default "1 2"); print seconds,
# MB/s, documents/s and peak RSS (GNU time when present); with both, the speedup and whether
# the two outputs are byte-identical (exit 1 if not).
run_jobs() {
  local in=$1 bytes=$2 docs=$3 j start end secs rss
  for j in ${JOBS:-1 2}; do
    rss=""
    start=$(date +%s.%N)
    if [ -x /usr/bin/time ]; then
      rss=$(/usr/bin/time -f '%M' "$BIN" extract "$in" -o "$WORK/out$j" -j "$j" -q 2>&1 >/dev/null | tail -1)
    else
      "$BIN" extract "$in" -o "$WORK/out$j" -j "$j" -q
    fi
    end=$(date +%s.%N)
    secs=$(echo "$end - $start" | bc -l)
    printf -- '-j %d: %6.2f s  %7.2f MB/s  %8.0f documents/s%s\n' "$j" "$secs" \
      "$(echo "$bytes/1000000/$secs" | bc -l)" "$(echo "$docs/$secs" | bc -l)" \
      "${rss:+  peak RSS ${rss} KB}"
    echo "$secs" > "$WORK/secs$j"
  done
  [ "${JOBS:-1 2}" = "1 2" ] || return 0
  printf 'speedup -j2/-j1: %.2fx\n' "$(echo "$(cat "$WORK/secs1")/$(cat "$WORK/secs2")" | bc -l)"
  if cmp -s "$WORK/out1/documents.jsonl" "$WORK/out2/documents.jsonl" \
    && cmp -s "$WORK/out1/facts.jsonl" "$WORK/out2/facts.jsonl"; then
    echo "outputs identical at -j1 and -j2"
  else
    echo "OUTPUTS DIFFER"
    return 1
  fi
}

# startup: seconds `extract` takes on no input at -j 1 (compiling the rules, mostly).
startup() {
  local start end
  mkdir -p "$WORK/empty"
  start=$(date +%s.%N)
  "$BIN" extract "$WORK/empty" -o "$WORK/out-empty" -j 1 -q
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

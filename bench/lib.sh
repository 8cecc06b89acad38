# Shared by the bench scripts: time `thidua extract` on an input at -j 1 and -j 2.
# Needs BIN (the thidua binary) and WORK (a scratch directory) set by the caller.

# run_jobs IN BYTES DOCS: extract IN at each -j in $JOBS (default "1 2"), $ROUNDS times
# (default 1) taking turns, so that a machine that slows down and speeds up again (a shared
# VM) slows every -j alike; print the best seconds of each -j as MB/s and documents/s with
# the highest peak RSS (GNU time when present); with both -j, the speedup and whether the
# two outputs are byte-identical (exit 1 if not).
run_jobs() {
  local in=$1 bytes=$2 docs=$3 j r start end secs rss best
  for j in ${JOBS:-1 2}; do
    rm -f "$WORK/secs$j" "$WORK/rss$j"
  done
  for r in $(seq "${ROUNDS:-1}"); do
    for j in ${JOBS:-1 2}; do
      rss=""
      rm -rf "$WORK/out$j"
      start=$(date +%s.%N)
      if [ -x /usr/bin/time ]; then
        rss=$(/usr/bin/time -f '%M' "$BIN" extract "$in" -o "$WORK/out$j" -j "$j" -q 2>&1 >/dev/null | tail -1)
        echo "$rss" >> "$WORK/rss$j"
      else
        "$BIN" extract "$in" -o "$WORK/out$j" -j "$j" -q
      fi
      end=$(date +%s.%N)
      echo "$end - $start" | bc -l >> "$WORK/secs$j"
    done
  done
  for j in ${JOBS:-1 2}; do
    best=$(sort -g "$WORK/secs$j" | head -1)
    rss=$( [ -f "$WORK/rss$j" ] && sort -n "$WORK/rss$j" | tail -1 || true)
    printf -- '-j %d: %6.2f s  %7.2f MB/s  %8.0f documents/s%s%s\n' "$j" "$best" \
      "$(echo "$bytes/1000000/$best" | bc -l)" "$(echo "$docs/$best" | bc -l)" \
      "${rss:+  peak RSS ${rss} KB}" \
      "$( [ "${ROUNDS:-1}" -gt 1 ] && printf '  (best of %d: %s s)' "${ROUNDS}" "$(sort -g "$WORK/secs$j" | xargs printf '%.2f ' | sed 's/ $//')")"
    echo "$best" > "$WORK/secs$j"
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

# machine_check: how long two CPU-bound processes take at once against one (sha256sum of the
# same 256 MB file in memory, best of 2 each). On a shared VM the second vCPU is at times
# busy for another guest: then -j 2 cannot scale whatever thidua does, and this says so.
machine_check() {
  local f="$WORK/check.bin" one two s e r
  head -c 268435456 /dev/zero > "$f"
  sha256sum "$f" >/dev/null
  one=""; two=""
  for r in 1 2; do
    s=$(date +%s.%N); sha256sum "$f" >/dev/null; e=$(date +%s.%N)
    one=$(printf '%s\n' $one "$(echo "$e - $s" | bc -l)" | sort -g | head -1)
    s=$(date +%s.%N); sha256sum "$f" >/dev/null & sha256sum "$f" >/dev/null; wait; e=$(date +%s.%N)
    two=$(printf '%s\n' $two "$(echo "$e - $s" | bc -l)" | sort -g | head -1)
  done
  rm -f "$f"
  printf 'machine check: two CPU-bound processes at once take %.2fx the time of one (1.00: two free cores)\n' \
    "$(echo "$two / $one" | bc -l)"
}

#!/usr/bin/env python3
"""Run `thidua extract` over a sharded JSON Lines corpus with Spark, through `RDD.pipe`.

    spark_extract.py --binary /path/to/thidua --input SHARDS --out OUT [--master local[2]]

SHARDS is a directory of `*.jsonl` shards (or one .jsonl file). Each partition's lines are
piped through `thidua extract --jsonl-stdin --jsonl-stdout -q -j 1`, which answers every
non-blank line with exactly one JSON line (the document row with its facts nested under
"facts"), in order. The job writes OUT/documents.parquet (one row per input record, the
columns of SPEC §3.1) and OUT/facts.parquet (one row per fact, SPEC §3.2, `attrs` as JSON
text), ordered like a batch run over the shards in name order, and prints the counts.

What it adds around the pipe, so that the result equals a batch run row for row:
- `source` is rewritten from the subprocess's `-#K` to `<shard>#<line>` (1-based line of the
  shard file, blank lines counted, as the batch run labels JSON Lines records); the `error`
  of a `duplicate` row (the first copy's source) likewise.
- Duplicates: the binary marks a record `duplicate` when the same bytes came earlier *in the
  same process*. A map-only job would therefore process a copy that sits in another
  partition again (status ok, facts repeated). By default the job routes lines by a hash of
  their bytes (identical lines meet in one partition, kept in global input order), so the
  binary's own rule gives exactly the batch result. `--map-only` skips that shuffle
  (Hadoop-Streaming-like); then only duplicates within a partition are caught.
- Blank lines are dropped before the pipe (the binary skips them too: they are not units,
  and would get no answer line).
- The alignment is checked: every answer's doc_id must be the hash of the line it answers
  (SHA-256 of the line's bytes, first 16 hex digits), except oversize lines (their id hashes
  the source label). A mismatch aborts the job.
"""

import argparse
import hashlib
import json
import os
import shlex
import sys
import time

DOC_FIELDS = [
    ("doc_id", "string"), ("source", "string"), ("status", "string"), ("error", "string"),
    ("encoding", "string"), ("url", "string"), ("source_url", "string"), ("title", "string"),
    ("published", "string"), ("author", "string"), ("lang", "string"),
    ("lang_confidence", "double"), ("text", "string"), ("event_date", "string"),
    ("bloc", "string"), ("province", "string"),
]
FACT_FIELDS = [
    ("doc_id", "string"), ("fact_id", "long"), ("kind", "string"), ("text", "string"),
    ("start", "long"), ("end", "long"), ("sentence", "long"), ("value", "string"),
    ("attrs", "string"), ("rule", "string"),
]
RUST_ASCII_WS = " \t\n\r\x0c"  # u8::is_ascii_whitespace: what the binary treats as blank


def doc_id_of(line):
    """thidua's doc_id of a JSON line: SHA-256 of its bytes, first 8 bytes in hex."""
    return hashlib.sha256(line.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def route_of(line):
    """A stable (not per-process randomized) hash of the line's bytes, for routing."""
    return int.from_bytes(hashlib.sha256(line.encode("utf-8", "surrogatepass")).digest()[:8], "big")


def shard_paths(inp):
    if os.path.isfile(inp):
        return [inp]
    names = sorted(n for n in os.listdir(inp) if n.endswith(".jsonl") and not n.startswith((".", "_")))
    if not names:
        sys.exit(f"spark_extract: no .jsonl shards in {inp}")
    return [os.path.join(inp, n) for n in names]


def main():
    ap = argparse.ArgumentParser(description="thidua extract over Spark (RDD.pipe)")
    ap.add_argument("--binary", required=True,
                    help="the thidua binary as the executors see it: an absolute path, or "
                         "./thidua when shipped with spark-submit --files")
    ap.add_argument("--input", required=True, help="directory of .jsonl shards, or one .jsonl")
    ap.add_argument("--out", required=True, help="output directory (documents.parquet, facts.parquet)")
    ap.add_argument("--master", default=None, help="e.g. local[2]; default: what spark-submit says")
    ap.add_argument("--partitions", type=int, default=0,
                    help="partitions for the pipe (default: Spark's default parallelism)")
    ap.add_argument("--map-only", action="store_true",
                    help="no shuffle: pipe the input partitions as they are (duplicates across "
                         "partitions are then processed again)")
    ap.add_argument("--extra-args", default="",
                    help="more extract options, e.g. '--reference-date 2024-06-30'")
    a = ap.parse_args()

    binary = a.binary
    if os.path.exists(binary):
        binary = os.path.abspath(binary)  # the pipe runs with an empty environment
    cmd = f"{shlex.quote(binary)} extract --jsonl-stdin --jsonl-stdout -q -j 1 {a.extra_args}".strip()

    from pyspark.sql import SparkSession
    from pyspark.sql.types import (DoubleType, LongType, StringType, StructField, StructType)

    builder = SparkSession.builder.appName("thidua-extract")
    if a.master:
        builder = builder.master(a.master)
    spark = (builder.config("spark.ui.enabled", "false")
             .config("spark.sql.session.timeZone", "UTC").getOrCreate())
    sc = spark.sparkContext
    sc.setLogLevel("WARN")
    started = time.time()

    paths = shard_paths(a.input)
    # Tag each line with (shard index, partition of that shard) so that its line number in
    # its shard can be computed; sc.textFile may split a large shard over several partitions.
    tagged = []
    for si, p in enumerate(paths):
        def tag(pi, it, si=si):
            for line in it:
                yield (si, pi, line)
        tagged.append(sc.textFile(p).mapPartitionsWithIndex(tag, preservesPartitioning=True))
    lines = sc.union(tagged)
    counts = {}
    for (si, pi), n in lines.map(lambda t: ((t[0], t[1]), 1)).reduceByKey(lambda x, y: x + y).collect():
        counts[(si, pi)] = n
    offsets, acc, last = {}, 0, None
    for key in sorted(counts):
        if key[0] != last:
            acc, last = 0, key[0]
        offsets[key] = acc
        acc += counts[key]
    offsets_b = sc.broadcast(offsets)

    def number(it):
        # Within one (shard, partition) the lines arrive in file order.
        k = None
        for si, pi, line in it:
            if (si, pi) != k:
                k, n = (si, pi), offsets_b.value[(si, pi)]
            n += 1
            yield (si, n, line)

    numbered = (lines.mapPartitions(number)
                .filter(lambda t: t[2].strip(RUST_ASCII_WS) != ""))
    parts = a.partitions or sc.defaultParallelism
    if a.map_only:
        keyed = numbered.map(lambda t: ((t[0], t[1]), t[2]))
    else:
        # Identical lines meet in one partition; within a partition, global input order.
        keyed = (numbered.map(lambda t: ((t[0], t[1], route_of(t[2])), t[2]))
                 .repartitionAndSortWithinPartitions(parts, partitionFunc=lambda k: k[2])
                 .map(lambda kv: ((kv[0][0], kv[0][1]), kv[1]), preservesPartitioning=True))
    keyed = keyed.persist()
    answers = keyed.values().pipe(cmd, checkCode=True)
    names_b = sc.broadcast(paths)

    def merge(it):
        # The K-th answer of a partition answers its K-th line (`-#K` in the subprocess).
        local_sources = []
        for ((si, n), line), answer in it:
            src = f"{names_b.value[si]}#{n}"
            local_sources.append(src)
            rec = json.loads(answer)
            label = f"-#{len(local_sources)}"
            if rec["source"] != label:
                raise RuntimeError(f"pipe out of step at {src}: answer labelled {rec['source']}, expected {label}")
            if rec["doc_id"] != doc_id_of(line):
                if rec["doc_id"] == doc_id_of(label):
                    rec["doc_id"] = doc_id_of(src)  # oversize line: id of the source label
                else:
                    raise RuntimeError(f"pipe out of step at {src}: doc_id {rec['doc_id']} is not the line's")
            rec["source"] = src
            if rec["status"] == "duplicate" and (rec.get("error") or "").startswith("-#"):
                rec["error"] = local_sources[int(rec["error"][2:]) - 1]
            yield ((si, n), rec)

    records = keyed.zip(answers).mapPartitions(merge).persist()

    def doc_row(kv):
        (si, n), rec = kv
        return (si, n) + tuple(rec.get(f) for f, _ in DOC_FIELDS)

    def fact_rows(kv):
        (si, n), rec = kv
        for f in rec["facts"]:
            yield (si, n) + tuple(
                json.dumps(f["attrs"], ensure_ascii=False, sort_keys=True) if k == "attrs" else f.get(k)
                for k, _ in FACT_FIELDS)

    types = {"string": StringType(), "double": DoubleType(), "long": LongType()}
    pos = [StructField("_shard", LongType(), False), StructField("_line", LongType(), False)]
    doc_schema = StructType(pos + [StructField(f, types[t], True) for f, t in DOC_FIELDS])
    fact_schema = StructType(pos + [StructField(f, types[t], True) for f, t in FACT_FIELDS])
    docs = spark.createDataFrame(records.map(doc_row), doc_schema)
    facts = spark.createDataFrame(records.flatMap(fact_rows), fact_schema)
    os.makedirs(a.out, exist_ok=True)
    (docs.orderBy("_shard", "_line").drop("_shard", "_line")
     .write.mode("overwrite").parquet(os.path.join(a.out, "documents.parquet")))
    (facts.orderBy("_shard", "_line", "fact_id").drop("_shard", "_line")
     .write.mode("overwrite").parquet(os.path.join(a.out, "facts.parquet")))

    d = spark.read.parquet(os.path.join(a.out, "documents.parquet"))
    f = spark.read.parquet(os.path.join(a.out, "facts.parquet"))
    n_docs, n_facts = d.count(), f.count()
    by_status = {r["status"]: r["count"] for r in d.groupBy("status").count().collect()}
    by_kind = {r["kind"]: r["count"] for r in f.groupBy("kind").count().collect()}
    secs = time.time() - started
    summary = {
        "shards": len(paths), "partitions": answers.getNumPartitions(),
        "mode": "map-only" if a.map_only else "routed-by-line-hash",
        "command": cmd, "documents": n_docs, "by_status": dict(sorted(by_status.items())),
        "facts": n_facts, "facts_by_kind": dict(sorted(by_kind.items())),
        "seconds": round(secs, 2),
    }
    with open(os.path.join(a.out, "spark_run.json"), "w") as fh:
        json.dump(summary, fh, indent=2)
    print(f"spark_extract: {n_docs} documents {summary['by_status']}; {n_facts} facts "
          f"{summary['facts_by_kind']}; {len(paths)} shards, {summary['partitions']} partitions "
          f"({summary['mode']}), {secs:.1f} s. Output in {a.out}")
    spark.stop()


if __name__ == "__main__":
    main()

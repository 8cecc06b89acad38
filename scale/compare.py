#!/usr/bin/env python3
"""Compare a batch dataset (`thidua extract ALL.jsonl -o BATCH`) with the Spark output.

    compare.py --batch BATCH --spark SPARK_OUT --all ALL.jsonl --shards SHARDS_DIR

ALL.jsonl must be the shards concatenated in name order (make_shards.py writes it so), which
maps each batch `source` `ALL.jsonl#M` to the Spark `source` `SHARDS/part-K.jsonl#N`.
Checks, in order: document count, fact count, documents by status, facts by kind, the set of
(doc_id, kind, value), and then every field of every document row and fact row. Prints a
PASS/FAIL line per check and exits 1 on any mismatch.
"""

import argparse
import collections
import hashlib
import json
import os
import sys

import pyarrow.parquet as pq


def doc_id_of(s):
    return hashlib.sha256(s.encode("utf-8")).hexdigest()[:16]


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", required=True)
    ap.add_argument("--spark", required=True)
    ap.add_argument("--all", required=True)
    ap.add_argument("--shards", required=True)
    ap.add_argument("--show", type=int, default=5, help="examples to print per failing check")
    a = ap.parse_args()

    # Batch `all#M` -> Spark `shard#N`.
    shard_names = sorted(n for n in os.listdir(a.shards) if n.endswith(".jsonl") and not n.startswith((".", "_")))
    to_spark, m = {}, 0
    for name in shard_names:
        with open(os.path.join(a.shards, name), "rb") as f:
            n_lines = sum(1 for _ in f)
        for n in range(1, n_lines + 1):
            m += 1
            to_spark[f"{a.all}#{m}"] = f"{os.path.join(a.shards, name)}#{n}"
    with open(a.all, "rb") as f:
        if sum(1 for _ in f) != m:
            sys.exit(f"compare: {a.all} is not the concatenation of the shards in {a.shards}")

    bdocs = read_jsonl(os.path.join(a.batch, "documents.jsonl"))
    bfacts = read_jsonl(os.path.join(a.batch, "facts.jsonl"))
    sdocs = pq.read_table(os.path.join(a.spark, "documents.parquet")).to_pylist()
    sfacts = pq.read_table(os.path.join(a.spark, "facts.parquet")).to_pylist()

    # Batch rows in Spark terms: source (and a duplicate's `error`) mapped to the shard label;
    # an oversize line's doc_id is the hash of its source label, so it follows the label.
    renamed_ids = {}
    for d in bdocs:
        old = d["source"]
        d["source"] = to_spark[old]
        if d["doc_id"] == doc_id_of(old):
            renamed_ids[d["doc_id"]] = doc_id_of(d["source"])
            d["doc_id"] = renamed_ids[d["doc_id"]]
        if d["status"] == "duplicate" and d.get("error") in to_spark:
            d["error"] = to_spark[d["error"]]
    for f in bfacts:
        f["doc_id"] = renamed_ids.get(f["doc_id"], f["doc_id"])
    for f in sfacts:
        f["attrs"] = json.loads(f["attrs"])

    failed = []

    def check(name, ok, detail=""):
        print(f"  {'PASS' if ok else 'FAIL'}  {name}{(': ' + detail) if detail else ''}")
        if not ok:
            failed.append(name)

    print(f"compare: batch {a.batch} vs spark {a.spark}")
    check("documents count", len(bdocs) == len(sdocs), f"batch {len(bdocs)}, spark {len(sdocs)}")
    check("facts count", len(bfacts) == len(sfacts), f"batch {len(bfacts)}, spark {len(sfacts)}")
    bs = collections.Counter(d["status"] for d in bdocs)
    ss = collections.Counter(d["status"] for d in sdocs)
    check("documents by status", bs == ss, f"batch {dict(sorted(bs.items()))}" + ("" if bs == ss else f", spark {dict(sorted(ss.items()))}"))
    bk = collections.Counter(f["kind"] for f in bfacts)
    sk = collections.Counter(f["kind"] for f in sfacts)
    check("facts by kind", bk == sk, f"batch {dict(sorted(bk.items()))}" + ("" if bk == sk else f", spark {dict(sorted(sk.items()))}"))
    bset = {(f["doc_id"], f["kind"], f["value"]) for f in bfacts}
    sset = {(f["doc_id"], f["kind"], f["value"]) for f in sfacts}
    check("set of (doc_id, kind, value)", bset == sset,
          f"{len(bset)} distinct" + ("" if bset == sset else
                                    f"; only batch {sorted(bset - sset)[:a.show]}, only spark {sorted(sset - bset)[:a.show]}"))

    # Full rows, in order (both are in input order: shard by shard, line by line).
    def same_rows(what, brows, srows, label, summary):
        bad = [(i, b, s) for i, (b, s) in enumerate(zip(brows, srows)) if b != s]
        check(f"{what} rows identical, in order", not bad and len(brows) == len(srows),
              f"{len(bad)} differ" if bad else summary)
        for i, b, s in bad[:a.show]:
            diff = {k: (b.get(k), s.get(k)) for k in set(b) | set(s) if b.get(k) != s.get(k)}
            print(f"        {label(i, b)}: " + json.dumps(diff, ensure_ascii=False)[:600])

    same_rows("document", bdocs, sdocs, lambda i, b: f"row {i} {b['source']}",
              f"{len(bdocs)} rows, {len(bdocs[0]) if bdocs else 0} fields each")
    same_rows("fact", bfacts, sfacts, lambda i, b: f"fact {i} doc {b['doc_id']}", f"{len(bfacts)} rows")

    if failed:
        print(f"FAIL: {len(failed)} check(s) failed: {', '.join(failed)}")
        sys.exit(1)
    print(f"PASS: streaming (Spark) = batch: {len(bdocs)} documents, {len(bfacts)} facts")


if __name__ == "__main__":
    main()

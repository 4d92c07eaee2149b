"""Ingest throughput: ``mawqif ingest`` of synthetic ~3 KB articles at 1k/10k (/100k) with 1 and 2
workers: articles/s, triples/s, peak RSS, speed-up of 2 workers, cost per article vs the smallest size.

    python bench/ingest_speed.py                 # 1k and 10k (about 6 minutes on 2 cores)
    python bench/ingest_speed.py --sizes 1k,10k,100k
"""
from __future__ import annotations

import argparse
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from bench._common import corpus_file, fresh, machine, mawqif, run, size_mb, table, write_section  # noqa: E402
from bench.synthetic import parse_count  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1k,10k")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/BENCHMARKS.md alone")
    args = ap.parse_args()
    sizes = [parse_count(s) for s in args.sizes.split(",")]
    workers = [int(w) for w in args.workers.split(",")]
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    rows = []
    per_article: dict[tuple[int, int], float] = {}
    rates: dict[tuple[int, int], float] = {}
    for n in sizes:
        src = corpus_file(n)
        for w in workers:
            store = fresh(f"store-{n}-{w}")
            r = run([*mawqif(), "ingest", "--quiet", "--workers", str(w), "--store", str(store), str(src)], env=env)
            stats = json.loads(run([*mawqif(), "stats", "--format", "json", "--store", str(store)]).stdout)
            per_article[(n, w)] = r.seconds / n
            rates[(n, w)] = n / r.seconds
            rows.append([f"{n:,}", w, f"{r.seconds:.1f}", f"{n / r.seconds:.0f}", f"{n / r.seconds / w:.0f}",
                         f"{stats['triples'] / r.seconds:,.0f}", f"{r.peak_rss_mb:.0f}",
                         f"{size_mb(store):.0f}", f"{stats['triples']:,}"])
            print(rows[-1], file=sys.stderr)
    headers = ["articles", "workers", "s", "articles/s", "articles/s per worker", "triples/s",
               "peak RSS MB (all processes)", "store MB", "triples"]
    out = [table(headers, rows), ""]
    ratios = []
    smallest = sizes[0]
    for n in sizes:
        if len(workers) > 1 and (n, workers[0]) in rates:
            w1, w2 = workers[0], workers[-1]
            ratios.append([f"{n:,}", f"{w2} workers ÷ {w1}", f"{rates[(n, w2)] / rates[(n, w1)]:.2f}×",
                           "≥ 1.7×"])
        for w in workers:
            if n != smallest:
                ratios.append([f"{n:,}", f"cost/article ÷ cost at {smallest:,} ({w} worker{'s' * (w > 1)})",
                               f"{per_article[(n, w)] / per_article[(smallest, w)]:.2f}", "≤ 1.3"])
        ratios.append([f"{n:,}", "articles/s per core (1 worker) ÷ 100",
                       f"{rates[(n, workers[0])] / 100:.2f}", "≥ 1"])
    out += [table(["articles", "ratio", "measured", "target"], ratios)]
    text = "\n".join(out)
    print(text)
    if not args.no_write:
        write_section("ingest", "Ingest throughput", f"Machine: {machine()}.\n\nCommand: `python bench/ingest_speed.py "
                      f"--sizes {args.sizes}`; synthetic ~3 KB articles (`bench/synthetic.py`, seed 7), "
                      "a fresh store each run, wall time of the whole `mawqif ingest` process.\n\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

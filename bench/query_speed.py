"""Time every named query (``queries/*.rq``) on a store, parameters bound through ``substitutions``.

    python bench/query_speed.py --store /path/to/store [--timeout 60] [--repeat 3]
    python bench/query_speed.py --store S --compare-with /old/queries   # before/after table
    python bench/query_speed.py --store S --compare-with /old/queries --write   # into docs/BENCHMARKS.md

Each case runs in its own process (the store opened read-only), so a slow query is cut off after
``--timeout`` seconds instead of stalling the run. The time is the median of ``--repeat`` runs
(fewer when one run already takes most of the budget) of executing the query and reading every
row; ``rows`` counts solutions (triples for CONSTRUCT). With ``--compare-with``, the same cases also
run against the ``.rq`` files of another folder, and ``same`` says whether both returned the same
rows (compared as sorted N-Triples-like text; SAMPLE and GROUP_CONCAT may legitimately differ).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import pathlib
import statistics
import subprocess
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

ID = "https://w3id.org/mawqif/id/"
MQ = "https://w3id.org/mawqif/ontology#"

#: (label, query name, parameters): typical calls, as the server and the explorer make them.
CASES: list[tuple[str, str, dict[str, str]]] = [
    ("stance-count", "stance-count", {}),
    ("stances-of-actor", "stances-of-actor", {"actor": ID + "state/EGY"}),
    ("stances-of-actor (busy actor, type, dates)", "stances-of-actor",
     {"actor": ID + "organisation/UNSC", "type": MQ + "Condemnation", "from": "2020-01-01", "to": "2030-12-31"}),
    ("stances-about", "stances-about", {"target": ID + "state/SYR"}),
    ("stances-about (via location)", "stances-about", {"target": ID + "state/PSE"}),
    ("who-condemns", "who-condemns", {"target": ID + "state/UKR"}),
    ("who-supports", "who-supports", {"target": ID + "state/UKR"}),
    ("timeline", "timeline", {"target": ID + "state/PSE"}),
    ("opposite-stances (target)", "opposite-stances", {"target": ID + "state/UKR"}),
    ("opposite-stances (all)", "opposite-stances", {}),
    ("evidence (holder)", "evidence", {"holder": ID + "organisation/ARAB_LEAGUE"}),
    ("evidence (all)", "evidence", {}),
    ("members-of", "members-of", {"org": ID + "organisation/GCC"}),
    ("most-active (limit 10)", "most-active", {"limit": "10"}),
    ("articles", "articles", {}),
    ("explorer-ego", "explorer-ego", {"entity": ID + "state/SYR"}),
    ("explorer-ego (dates)", "explorer-ego", {"entity": ID + "state/SYR", "from": "2020-01-01", "to": "2030-12-31"}),
    ("explorer-stances (holder)", "explorer-stances", {"holder": ID + "state/EGY"}),
    ("explorer-stances (edge)", "explorer-stances",
     {"holder": ID + "state/EGY", "type": MQ + "Condemnation", "target": ID + "state/SYR"}),
    ("explorer-edge-rdf", "explorer-edge-rdf",
     {"holder": ID + "state/EGY", "type": MQ + "Condemnation", "target": ID + "state/SYR"}),
    ("explorer-describe", "explorer-describe", {"resource": ID + "state/SYR"}),
    ("explorer-properties", "explorer-properties", {"resource": ID + "state/SYR"}),
    ("explorer-links", "explorer-links", {"entity": ID + "organisation/GCC"}),
    ("explorer-mentions", "explorer-mentions", {"entity": ID + "state/SYR"}),
    ("explorer-timeline-entity", "explorer-timeline-entity", {"entity": ID + "state/SYR"}),
    ("explorer-timeline", "explorer-timeline", {}),
    ("explorer-stance-pairs", "explorer-stance-pairs", {}),
    ("explorer-structure", "explorer-structure", {}),
    ("explorer-entities", "explorer-entities", {}),
]


def _load(queries_dir: pathlib.Path, name: str):
    from queries import parse_header

    path = queries_dir / f"{name}.rq"
    return parse_header(name, path.read_text(encoding="utf-8"))


def _worker(args: argparse.Namespace) -> None:
    """Run one case (in a child process) and print {"ms", "rows", "digest"} as JSON."""
    import pyoxigraph as ox

    from graph_builder.store import Store
    from queries import bind

    store = Store(args.store, read_only=True)
    query = _load(pathlib.Path(args.queries_dir), args.name)
    subs = bind(query, json.loads(args.params))
    budget = args.timeout * 0.5
    times: list[float] = []
    digest = ""
    rows = 0
    while True:
        t0 = time.perf_counter()
        result = store.query(query.text, substitutions=subs)
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            out = [tuple("" if s[n] is None else str(s[n]) for n in names) for s in result]
        elif isinstance(result, ox.QueryBoolean):
            out = [(str(bool(result)),)]
        else:
            out = [(str(t),) for t in result]
        times.append(time.perf_counter() - t0)
        if not digest:
            rows = len(out)
            digest = hashlib.sha1("\n".join(sorted("\t".join(r) for r in out)).encode()).hexdigest()[:10]
        if len(times) >= args.repeat or sum(times) + times[-1] > budget:
            break
    print(json.dumps({"ms": statistics.median(times) * 1000, "rows": rows, "digest": digest,
                      "runs": len(times)}))


def run_case(store: str, queries_dir: pathlib.Path, name: str, params: dict[str, str],
             timeout: float, repeat: int) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--worker", "--store", store, "--queries-dir", str(queries_dir),
           "--name", name, "--params", json.dumps(params), "--timeout", str(timeout), "--repeat", str(repeat)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=REPO)
    except subprocess.TimeoutExpired:
        return {"ms": None, "rows": None, "digest": None, "error": f"> {timeout:.0f} s"}
    if done.returncode != 0:
        return {"ms": None, "rows": None, "digest": None,
                "error": (done.stderr.strip().splitlines() or ["failed"])[-1][:80]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _ms(r: dict[str, object]) -> str:
    return f"{r['ms']:,.0f}" if r.get("ms") is not None else str(r.get("error"))


def _rows(r: dict[str, object]) -> str:
    return f"{r['rows']:,}" if r.get("rows") is not None else "—"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", required=True, help="a mawqif store folder (opened read-only)")
    ap.add_argument("--queries-dir", default=str(REPO / "queries"), help="folder of .rq files to time")
    ap.add_argument("--compare-with", help="another folder of .rq files (e.g. the previous version)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds allowed per case")
    ap.add_argument("--repeat", type=int, default=3, help="runs per case (median)")
    ap.add_argument("--only", help="comma-separated query names to run")
    ap.add_argument("--write", action="store_true", help="write the table into docs/BENCHMARKS.md")
    ap.add_argument("--note", default="", help="a line about the store, for --write")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--name", help=argparse.SUPPRESS)
    ap.add_argument("--params", default="{}", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        _worker(args)
        return

    only = set(args.only.split(",")) if args.only else None
    cases = [c for c in CASES if only is None or c[1] in only]
    current = pathlib.Path(args.queries_dir)
    before = pathlib.Path(args.compare_with) if args.compare_with else None
    rows_out: list[list[object]] = []
    for label, name, params in cases:
        after = run_case(args.store, current, name, params, args.timeout, args.repeat)
        if before is None:
            print(f"{label:45} {_ms(after):>12} ms {_rows(after):>9} rows", flush=True)
            rows_out.append([f"`{label}`", _ms(after), _rows(after)])
            continue
        old = run_case(args.store, before, name, params, args.timeout, args.repeat)
        speed = (f"{old['ms'] / after['ms']:,.1f}×" if old.get("ms") and after.get("ms")
                 else (f"> {args.timeout / (after['ms'] / 1000):,.0f}×" if after.get("ms") else "—"))
        same = ("yes" if old.get("digest") and old["digest"] == after.get("digest")
                else ("—" if old.get("digest") is None else "no"))
        print(f"{label:45} before {_ms(old):>12} ms  after {_ms(after):>10} ms  rows {_rows(old):>8} / "
              f"{_rows(after):>8}  {speed:>8}  same rows: {same}", flush=True)
        rows_out.append([f"`{label}`", _ms(old), _ms(after), speed, _rows(old), _rows(after), same])

    if args.write:
        from bench._common import machine, table

        if before is None:
            body = table(["query (parameters)", "ms", "rows"], rows_out)
        else:
            body = table(["query (parameters)", "before ms", "after ms", "speed-up", "rows before",
                          "rows after", "same rows"], rows_out)
        params_note = "; ".join(f"`{label}`: " + (", ".join(f"{k}={v.replace(ID, 'id:').replace(MQ, 'mq:')}"
                                                             for k, v in p.items()) or "none")
                                for label, _, p in cases)
        text = (f"Machine: {machine()}.\n\n"
                f"Command: `python bench/query_speed.py --store {args.store}"
                f"{' --compare-with <previous queries/>' if before else ''} --timeout {args.timeout:g}`. "
                f"{args.note}\n\n"
                "Every query runs with its parameters bound through pyoxigraph `substitutions` "
                "(as `mawqif query` and the server run them), in its own process on the store opened "
                "read-only; ms is the median of up to "
                f"{args.repeat} runs of executing the query and reading every row.\n\n"
                f"{body}\n\nParameters: {params_note}.\n")
        write_named_section(text)


def write_named_section(body: str) -> None:
    """Replace (or append) the "Named queries" section of docs/BENCHMARKS.md, keeping the others."""
    from bench._common import BENCHMARKS_MD

    begin, end = "<!-- section:queries -->", "<!-- /section:queries -->"
    block = f"{begin}\n## Named queries\n\n{body.strip()}\n{end}"
    text = BENCHMARKS_MD.read_text(encoding="utf-8") if BENCHMARKS_MD.exists() else "# Benchmarks\n"
    if begin in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    BENCHMARKS_MD.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

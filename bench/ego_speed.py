"""Ego-graph benchmark (issue 5): ``GET /api/explorer/ego`` against a large store, edge index vs counting.

    python bench/ego_speed.py --store /path/to/store-of-100k-articles --write-docs

1. **Engine, in process** (the store opened read-only): for the busiest entities, the ego query
   read from the edge index (``explorer-ego-index``, and ``explorer-ego-index-period`` for a
   month-aligned year) vs counting the stances (``explorer-ego``, the anchor: what every request
   cost before the index). Counting is slow at scale, so it runs once per entity within a budget.
2. **End to end**: ``mawqif serve`` on the same store and ``GET /api/explorer/ego`` for the same
   entities, several rounds after one warm-up request each: p50 and p95 of the HTTP request
   (the index test, the ego query, the link query, labels and JSON).

Target: an ego-graph request at 100,000 articles answers in ≤ 200 ms p50.
"""
from __future__ import annotations

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import free_port, machine, mawqif, table, wait_up, write_section  # noqa: E402

ID = "https://w3id.org/mawqif/id/"


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def busiest(store: str, n: int) -> list[str]:
    """The n entities with most stance edges (from the edge index), busiest first."""
    from graph_builder.store import Store

    with Store(store, read_only=True) as s:
        res = s.query("""SELECT ?e (SUM(?n) AS ?total) WHERE {
                           { ?edge mq:edgeHolder ?e } UNION { ?edge mq:edgeTarget ?e }
                           ?edge mq:stanceCount ?n } GROUP BY ?e ORDER BY DESC(?total) LIMIT 100""")
        return [r["e"].value for r in res][:n]  # type: ignore[union-attr]


def engine(store: str, entities: list[str], budget: float) -> dict[str, dict[str, float]]:
    """Milliseconds per entity: the index query (median of 3), its period variant, and counting (once)."""
    import pyoxigraph as ox

    from graph_builder.store import Store
    from queries import bind, get_query

    def timed(s: Store, name: str, **values: str) -> float:
        q = get_query(name)
        t = time.perf_counter()
        res = s.query(q.text, substitutions=bind(q, values))
        assert isinstance(res, ox.QuerySolutions)
        for _ in res:
            pass
        return (time.perf_counter() - t) * 1000

    out: dict[str, dict[str, float]] = {}
    year = {"from": "2024-01-01", "to": "2024-12-31"}
    deadline = time.monotonic() + budget
    with Store(store, read_only=True) as s:
        for e in entities:
            row = {"index": statistics.median(timed(s, "explorer-ego-index", entity=e) for _ in range(3)),
                   "index_year": statistics.median(timed(s, "explorer-ego-index-period", entity=e, **year)
                                                   for _ in range(3))}
            if time.monotonic() < deadline:
                row["count"] = timed(s, "explorer-ego", entity=e)
            out[e] = row
    return out


def http_rounds(store: str, entities: list[str], rounds: int) -> tuple[list[float], list[float]]:
    """Latencies (ms) of GET /api/explorer/ego, without and with a month-aligned year."""
    port = free_port()
    proc = subprocess.Popen([*mawqif(), "serve", "--store", store, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_up(port, "/api/explorer/meta", proc, limit=600)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

        def get(entity: str, **extra: str) -> float:
            path = "/api/explorer/ego?" + urllib.parse.urlencode({"entity": entity, **extra})
            t = time.perf_counter()
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            ms = (time.perf_counter() - t) * 1000
            if resp.status != 200 or not json.loads(body)["ok"]:
                raise SystemExit(f"GET {path}: {resp.status} {body[:300]!r}")
            return ms

        for e in entities:  # warm-up: labels, query workers
            get(e)
        plain = [get(e) for _ in range(rounds) for e in entities]
        year = [get(e, **{"from": "2024-01-01", "to": "2024-12-31"}) for _ in range(rounds) for e in entities]
        return plain, year
    finally:
        proc.terminate()
        proc.wait(timeout=120)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", required=True, help="a store of the synthetic corpus (bench/synthetic.py)")
    ap.add_argument("--entities", type=int, default=10, help="how many of the busiest entities")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--count-budget", type=float, default=600.0, help="seconds for the counting anchor")
    ap.add_argument("--write-docs", action="store_true")
    args = ap.parse_args()

    from graph_builder.store import Store

    with Store(args.store, read_only=True) as s:
        st = s.stats()
        if not s.edge_index.is_complete():
            raise SystemExit("the store has no complete edge index: open it once for writing (mawqif stats "
                             "does not; mawqif ingest or serve does)")
    entities = busiest(args.store, args.entities)
    per = engine(args.store, entities, args.count_budget)
    plain, year = http_rounds(args.store, entities, args.rounds)

    rows: list[list[object]] = []
    for e in entities:
        r = per[e]
        count = r.get("count")
        rows.append([e.replace(ID, "id:"), f"{r['index']:.1f}", f"{r['index_year']:.1f}",
                     f"{count:,.0f}" if count is not None else "—",
                     f"{count / r['index']:,.0f}×" if count is not None else "—"])
    counted = [per[e]["count"] for e in entities if "count" in per[e]]
    indexed = [per[e]["index"] for e in entities if "count" in per[e]]
    body = [f"Machine: {machine()}.", "",
            f"Command: `python bench/ego_speed.py --store <store> --entities {args.entities} --rounds {args.rounds}`"
            f"; store: {st.articles:,} synthetic articles (`bench/synthetic.py`, seed 7), {st.stances:,} stances, "
            f"{st.triples:,} triples; the {len(entities)} entities with most stances.", "",
            "**End to end** (`mawqif serve`, `GET /api/explorer/ego`, one client, after one warm-up request "
            "per entity):", "",
            table(["request", "requests", "p50 ms", "p95 ms", "target p50"],
                  [["ego graph", len(plain), f"{pct(plain, 50):.0f}", f"{pct(plain, 95):.0f}", "≤ 200"],
                   ["ego graph, one year (`from`/`to` month-aligned)", len(year), f"{pct(year, 50):.0f}",
                    f"{pct(year, 95):.0f}", "≤ 200"]]), "",
            "**Engine** (in process, store read-only; ms; the edge index vs counting the stances, the "
            "anchor — what every ego request cost before the index):", "",
            table(["entity", "index", "index, one year", "counting (anchor)", "counting ÷ index"], rows), ""]
    if counted:
        mi, mc = statistics.median(indexed), statistics.median(counted)
        body.append(f"Median over the entities counted: index {mi:.1f} ms, counting {mc:,.0f} ms ({mc / mi:,.0f}×).")
    text = "\n".join(body)
    print(text)
    if args.write_docs:
        write_section("ego", "Explorer: ego graph at scale (issue 5)", text)


if __name__ == "__main__":
    main()

"""SPARQL endpoint speed: ``mawqif serve`` vs ``oxigraph serve`` (same store folder), and rdflib in memory.

    python bench/server_speed.py --articles 10000 --duration 5

Builds (or reuses, with ``--store``) a store of the synthetic corpus (``bench/synthetic.py``), then
for each server in turn: starts it on a random loopback port, warms it up, and for 1 and 8
concurrent clients (keep-alive HTTP connections, round robin over the queries) measures p50 and
p95 latency and throughput for ``--duration`` seconds. The queries are the bundled named queries
(parameters given as a trailing ``VALUES`` clause, so both servers get the same text) plus a COUNT
and a two-hop join. Then rdflib answers the same queries over the same data (N-Quads loaded into
an in-memory ``Dataset`` with a union default graph), each once, in a child process killed when
``--rdflib-budget`` runs out. Prints a table and the ratios. Everything is bounded in time and
talks only to 127.0.0.1.
"""
from __future__ import annotations

import argparse
import http.client
import json
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench._common import free_port, machine, wait_up  # noqa: E402

MQ = "https://w3id.org/mawqif/ontology#"
ID = "https://w3id.org/mawqif/id/"
#: named query → parameters (the synthetic corpus's actors and targets)
NAMED = {
    "stances-of-actor": {"actor": ID + "state/FRA"},
    "stances-about": {"target": ID + "state/SYR"},
    "who-supports": {"target": ID + "state/YEM"},
    "who-condemns": {"target": ID + "state/SYR"},
    "members-of": {"org": ID + "organisation/ARAB_LEAGUE"},
    # opposite-stances is left out: it pairs every support with every condemnation and takes about a
    # minute at 1k articles on its own (see docs/BENCHMARKS.md), which would swamp every figure here
    "timeline": {"target": ID + "state/IRQ"},
    "evidence": {"holder": ID + "state/EGY"},
    "most-active": {"limit": "10"},
    "stance-count": {},
}
EXTRA = {
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "two-hop": f"""SELECT ?holder (COUNT(DISTINCT ?article) AS ?n) WHERE {{
  ?stance <{MQ}holder> ?holder ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?article .
  ?article <https://schema.org/datePublished> ?d . FILTER(?d >= "2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date>)
}} GROUP BY ?holder ORDER BY DESC(?n)""",
}


def queries() -> dict[str, str]:
    """The benchmark queries as self-contained texts."""
    import queries as named_queries

    out: dict[str, str] = {}
    for name, params in NAMED.items():
        try:
            q = named_queries.get_query(name)
        except KeyError:
            continue
        subs = named_queries.bind(q, params)
        text = q.text
        if subs:
            names = " ".join(f"?{v.value}" for v in subs)
            values = " ".join(str(t) for t in subs.values())
            # at the start of the WHERE clause, where the engine joins it first (a trailing VALUES
            # clause is joined last and makes some queries hundreds of times slower)
            m = re.search(r"WHERE\s*\{", text, re.IGNORECASE)
            assert m is not None, name
            text = f"{text[:m.end()]}\n  VALUES ({names}) {{ ({values}) }}\n{text[m.end():]}"
        out[name] = text
    out.update(EXTRA)
    return out


def one(conn: http.client.HTTPConnection, path: str, text: str) -> float:
    body = urllib.parse.urlencode({"query": text}).encode()
    t0 = time.perf_counter()
    conn.request("POST", path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                   "Accept": "application/sparql-results+json"})
    r = conn.getresponse()
    data = r.read()
    dt = time.perf_counter() - t0
    if r.status != 200:
        raise RuntimeError(f"{r.status}: {data[:200]!r}")
    return dt


def load(port: int, path: str, qs: dict[str, str], clients: int, duration: float) -> dict[str, object]:
    """Round robin over qs from ``clients`` threads for ``duration`` s: latencies per query and overall."""
    lat: dict[str, list[float]] = {k: [] for k in qs}
    stop = time.monotonic() + duration
    lock = threading.Lock()
    names = list(qs)

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
        k = i
        while time.monotonic() < stop:
            name = names[k % len(names)]
            k += 1
            dt = one(conn, path, qs[name])
            with lock:
                lat[name].append(dt)
        conn.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    everything = sorted(x for v in lat.values() for x in v)
    return {"n": len(everything), "qps": len(everything) / wall, "p50": pct(everything, 50),
            "p95": pct(everything, 95), "per_query": {k: statistics.median(v) if v else None for k, v in lat.items()}}


def pct(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    i = min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))
    return sorted(xs)[i]


def bench_server(name: str, cmd: list[str], port: int, path: str, qs: dict[str, str], duration: float,
                 ) -> dict[str, object]:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_up(port, path + "?query=ASK%7B%7D", proc)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
        for text in qs.values():   # warm up: every query once
            one(conn, path, text)
        conn.close()
        result = {f"c{c}": load(port, path, qs, c, duration) for c in (1, 8)}
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    print(f"  {name}: " + "; ".join(f"{k}: p50 {v['p50'] * 1000:.1f} ms, p95 {v['p95'] * 1000:.1f} ms, "  # type: ignore[index]
                                  f"{v['qps']:.0f} q/s" for k, v in result.items()), file=sys.stderr)  # type: ignore[index]
    return result


RDFLIB_CHILD = r"""
import json, sys, time
import rdflib
ds = rdflib.Dataset(default_union=True)
t = time.perf_counter()
ds.parse(sys.argv[1], format="nquads")
print(json.dumps({"load": time.perf_counter() - t, "triples": len(ds)}), flush=True)
qs = json.loads(open(sys.argv[2]).read())
for name, text in qs.items():
    t = time.perf_counter()
    list(ds.query(text))
    print(json.dumps({"query": name, "seconds": time.perf_counter() - t}), flush=True)
"""


def bench_rdflib(store: str, qs: dict[str, str], budget: float, work: Path) -> dict[str, object]:
    nq = work / "data.nq"
    subprocess.run([sys.executable, "-m", "graph_builder", "export", "--store", store, "--format", "nquads",
                    "--output", str(nq)], check=True)
    qfile = work / "queries.json"
    qfile.write_text(json.dumps(qs))
    script = work / "rdflib_child.py"
    script.write_text(RDFLIB_CHILD)
    proc = subprocess.Popen([sys.executable, str(script), str(nq), str(qfile)], stdout=subprocess.PIPE, text=True)
    out: dict[str, object] = {"queries": {}}
    lines: list[str] = []

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    t.join(budget)
    if proc.poll() is None:
        proc.kill()
        out["stopped_after"] = budget
    proc.wait()
    for line in lines:
        doc = json.loads(line)
        if "load" in doc:
            out.update(doc)
        else:
            out["queries"][doc["query"]] = doc["seconds"]  # type: ignore[index]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--store", help="an existing store of the synthetic corpus to reuse (else one is built)")
    ap.add_argument("--duration", type=float, default=5.0, help="seconds per load level and server")
    ap.add_argument("--rdflib-budget", type=float, default=600.0, help="seconds for rdflib (load + queries)")
    ap.add_argument("--no-rdflib", action="store_true")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    mawqif = [sys.executable, "-m", "graph_builder"]
    work = Path(tempfile.mkdtemp(prefix="mawqif-bench-"))
    store = args.store
    if not store:
        store = str(work / "store")
        from bench.synthetic import corpus
        corpus_file = work / "corpus.jsonl"
        with corpus_file.open("w", encoding="utf-8") as f:
            for rec in corpus(args.articles):
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        t = time.perf_counter()
        subprocess.run([*mawqif, "ingest", "-q", "--store", store, str(corpus_file)], check=True)
        print(f"ingested {args.articles} articles in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    qs = queries()
    print(f"machine: {machine()}\nstore: {store}, queries: {', '.join(qs)}", file=sys.stderr)
    results: dict[str, object] = {"machine": machine(), "articles": args.articles, "queries": list(qs)}
    port = free_port()
    # --reserve 0: every thread may run a SPARQL query, as in oxigraph serve (by default mawqif keeps two
    # threads for pages and explorer APIs, which this benchmark does not ask for)
    serve = [*mawqif, "serve", "--store", store, "--port", str(port), "--timeout", "600", "--reserve", "0"]
    results["mawqif"] = bench_server("mawqif serve", serve,
                                     port, "/sparql", qs, args.duration)
    port = free_port()
    results["oxigraph"] = bench_server("oxigraph serve", [oxigraph, "serve", "--location", store, "--bind",
                                                          f"127.0.0.1:{port}", "--union-default-graph"],
                                       port, "/query", qs, args.duration)
    if not args.no_rdflib:
        results["rdflib"] = bench_rdflib(store, qs, args.rdflib_budget, work)
    report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    shutil.rmtree(work, ignore_errors=True)
    return 0


def report(r: dict) -> None:
    m, o = r["mawqif"], r["oxigraph"]
    print(f"\n{r['articles']} articles; {r['machine']}")
    print("| clients | server | p50 ms | p95 ms | queries/s |\n|---|---|---|---|---|")
    for c in ("c1", "c8"):
        for name, x in (("mawqif serve", m), ("oxigraph serve", o)):
            print(f"| {c[1:]} | {name} | {x[c]['p50'] * 1000:.1f} | {x[c]['p95'] * 1000:.1f} | {x[c]['qps']:.0f} |")
    for c in ("c1", "c8"):
        print(f"ratio at {c[1:]} client(s): p50 mawqif/oxigraph = {m[c]['p50'] / o[c]['p50']:.2f} (target ≤ 1.5), "
              f"throughput mawqif/oxigraph = {m[c]['qps'] / o[c]['qps']:.2f} (target ≥ 0.6)")
    print("\nper query, median ms at 1 client (mawqif / oxigraph / rdflib):")
    rd = r.get("rdflib", {}).get("queries", {})
    ratios = []
    stuck = None   # the query rdflib was running when its budget ran out: a lower bound
    if "stopped_after" in r.get("rdflib", {}):
        left = [q for q in r["queries"] if q not in rd]
        if left:
            stuck = (left[0], r["rdflib"]["stopped_after"] - r["rdflib"].get("load", 0) - sum(rd.values()))
    for q in r["queries"]:
        mm, oo = m["c1"]["per_query"].get(q), o["c1"]["per_query"].get(q)
        rr = rd.get(q)
        line = f"  {q:<18} {mm * 1000 if mm else float('nan'):8.1f} {oo * 1000 if oo else float('nan'):8.1f} "
        if rr is None and stuck and stuck[0] == q:
            line += f" > {stuck[1] * 1000:7.0f}   rdflib/mawqif > {stuck[1] / mm:.0f}× (stopped)" if mm else ""
        line += f"{rr * 1000:10.0f}" if rr is not None else ("" if stuck and stuck[0] == q else "  (not reached)")
        if rr is not None and mm:
            ratios.append(rr / mm)
            line += f"   rdflib/mawqif {rr / mm:.0f}×"
        print(line)
    if "rdflib" in r:
        x = r["rdflib"]
        print(f"rdflib: loaded {x.get('triples', '?')} triples in {x.get('load', float('nan')):.0f} s"
              + (f"; stopped after {x['stopped_after']:.0f} s" if "stopped_after" in x else ""))
        if ratios:
            print(f"rdflib/mawqif: min {min(ratios):.0f}×, median {statistics.median(ratios):.0f}× (target ≥ 20×)")


if __name__ == "__main__":
    sys.exit(main())

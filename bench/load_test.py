"""Load benchmark of ``mawqif serve`` (issue 7): N concurrent clients, then the same while articles stream in.

Loopback only, bounded in time, stops by itself. Against a copy of a store of synthetic articles
(``bench/synthetic.py``; reused from ``--store``, else built once with ``mawqif ingest`` and cached in
``$MAWQIF_BENCH_DATA``):

1. ``--clients`` threads (default 32) for ``--seconds`` (default 60) mix named queries, entity pages and
   ego-graph APIs (each a ``requests.Session``: keep-alive, like a browser); every answer must be 200.
   Server RSS (the server and its query workers) is sampled at start, middle and end.
2. The same again while new articles are posted to ``POST /api/articles`` at ``--rate`` articles/s
   (default 10), ``--post-batch`` per request (default 1), with the token, on a fixed schedule (open
   loop: a request is sent when due, not when the one before is answered; at most ``--posters``
   requests in flight). Reported: the ingest rate achieved, and query p95 with ingest ÷ without
   (target ≤ 2×).

    python bench/load_test.py                                   # 10k articles, 32 clients, 60 s + 60 s
    python bench/load_test.py --seconds 10 --clients 8          # a quick run
    python bench/load_test.py --store /tmp/mawqif-bench/store-10000-1 --write-docs

``--write-docs`` replaces the "Load" section of docs/BENCHMARKS.md (the other sections are kept).
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench._common import DATA, corpus_file, free_port, machine, mawqif  # noqa: E402
from bench.synthetic import corpus  # noqa: E402

ID = "https://w3id.org/mawqif/id/"
TOKEN = "load-test-token"
ENTITIES = ["state/SYR", "state/YEM", "state/LBY", "state/IRQ", "state/SDN", "state/UKR", "state/IRN", "state/LBN",
            "state/EGY", "state/FRA", "state/RUS", "state/DEU", "state/QAT", "state/JPN", "state/KWT", "state/TUR",
            "organisation/ARAB_LEAGUE", "organisation/EU", "organisation/UN"]
DOCS = REPO / "docs" / "BENCHMARKS.md"


TYPES = ["Condemnation", "Support", "Call", "Concern", "Rejection"]
SEARCHES = ["Syria", "سوريا", "Egypt", "الكويت", "Union"]
Request = tuple[str, str, dict[str, str]]   # (kind, path, headers)
_ASK: dict[str, Callable[[random.Random, str], Request]] = {
    "who-condemns": lambda rng, e: ("named", f"/queries/who-condemns?target={ID + e}",
                                    {"Accept": "application/sparql-results+json"}),
    "stances-of-actor": lambda rng, e: ("named", f"/queries/stances-of-actor?actor={ID + e}&from=2024-01-01", {}),
    "most-active": lambda rng, e: ("named", "/queries/most-active?limit=10", {}),
    "timeline": lambda rng, e: ("named", f"/queries/timeline?target={ID + e}", {"Accept": "text/csv"}),
    "page": lambda rng, e: ("entity", f"/id/{e}", {"Accept": "text/html"}),
    "page json": lambda rng, e: ("entity", f"/id/{e}.json", {}),
    "ego": lambda rng, e: ("ego", f"/api/explorer/ego?entity={ID + e}", {}),
    "edge": lambda rng, e: ("edge", f"/api/explorer/stances?holder={ID + e}&type=https://w3id.org/mawqif/ontology#"
                                    f"{rng.choice(TYPES)}&target={ID + rng.choice(ENTITIES)}", {}),
    "search": lambda rng, e: ("ego", f"/api/explorer/search?q={rng.choice(SEARCHES)}", {}),
}
#: --mix → (share, request) pairs summing to 1: "all" (named queries, entity pages, explorer APIs) or
#: "ui" (what the explorer's pages ask: entity pages, ego graph, an edge's stance list, search)
MIXES: dict[str, list[tuple[float, str]]] = {
    "all": [(0.15, "who-condemns"), (0.10, "stances-of-actor"), (0.05, "most-active"), (0.05, "timeline"),
            (0.20, "page"), (0.10, "page json"), (0.25, "ego"), (0.10, "search")],
    "ui": [(0.30, "page"), (0.15, "page json"), (0.30, "ego"), (0.15, "edge"), (0.10, "search")],
}


def workload(rng: random.Random, mix: str = "all") -> Request:
    """(kind, path, headers) of one request of the mix."""
    e = rng.choice(ENTITIES)
    pick, upto = rng.random(), 0.0
    for share, name in MIXES[mix]:
        upto += share
        if pick < upto:
            return _ASK[name](rng, e)
    return _ASK[MIXES[mix][-1][1]](rng, e)


@dataclass
class Phase:
    name: str
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    error_kinds: dict[str, int] = field(default_factory=dict)   # errors per kind of request
    rss: list[float] = field(default_factory=list)        # MB at start, middle, end
    ingested: int = 0
    ingest_errors: list[str] = field(default_factory=list)
    ingest_ms: list[float] = field(default_factory=list)
    ingest_seconds: float = 0.0     # from the first article due to the last answer (the phase runs longer:
                                    # it waits for the query clients' last answers)
    seconds: float = 0.0
    runaway_s: list[float] = field(default_factory=list)       # how long each runaway query took to stop
    runaway_errors: list[str] = field(default_factory=list)

    def all(self) -> list[float]:
        return [x for xs in self.latencies.values() for x in xs]


def pct(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def rss_mb(pid: int) -> float:
    """Resident memory of the server process and its children (the query workers), MB."""
    try:
        p = psutil.Process(pid)
        procs = [p, *p.children(recursive=True)]
    except psutil.NoSuchProcess:
        return float("nan")
    total = 0
    for x in procs:
        try:
            total += x.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 1024 / 1024


def client(url: str, seed: int, stop: threading.Event, phase: Phase, lock: threading.Lock, mix: str) -> None:
    rng = random.Random(seed)
    session = requests.Session()
    local: dict[str, list[float]] = {}
    errors: list[tuple[str, str]] = []
    while not stop.is_set():
        kind, path, headers = workload(rng, mix)
        t0 = time.perf_counter()
        try:
            r = session.get(url + path, headers=headers, timeout=60)
            r.content  # noqa: B018  read the whole body
            if r.status_code != 200:
                errors.append((kind, f"{r.status_code} {path}: {r.text[:120]}"))
        except requests.RequestException as e:
            errors.append((kind, f"{type(e).__name__} {path}: {e}"))
        local.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
    with lock:
        for k, v in local.items():
            phase.latencies.setdefault(k, []).extend(v)
        for kind, text in errors:
            phase.errors.append(text)
            phase.error_kinds[kind] = phase.error_kinds.get(kind, 0) + 1


def ingester(url: str, rate: float, stop: threading.Event, phase: Phase, run_id: str, batch: int = 1,
             posters: int = 4) -> None:
    """Post articles at ``rate`` per second, ``batch`` per request, on a fixed schedule (open loop: the
    k-th request is due at k·batch/rate s whatever the answers before it), with at most ``posters``
    requests in flight; when all are busy the schedule slips, and the rate achieved shows it."""
    articles = corpus(10**7, seed=1000 + len(run_id))
    numbering = itertools.count()
    lock = threading.Lock()
    start = time.perf_counter()

    def poster() -> None:
        session = requests.Session()
        while not stop.is_set():
            with lock:
                k = next(numbering)
                records = []
                for j in range(batch):
                    a = dict(next(articles))
                    a["id"] = f"load-{run_id}-{k}-{j}"
                    a["url"] = f"https://example.org/load/{run_id}/{k}/{j}"
                    records.append(a)
            due = start + k * batch / rate
            while not stop.is_set() and time.perf_counter() < due:
                time.sleep(min(0.01, max(0.0, due - time.perf_counter())))
            if stop.is_set():
                return
            body = "\n".join(json.dumps(a, ensure_ascii=False) for a in records).encode()
            t0 = time.perf_counter()
            try:
                r = session.post(url + "/api/articles", data=body, timeout=60,
                                 headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-ndjson"})
                if r.status_code != 200 or r.json().get("stored") != batch:
                    phase.ingest_errors.append(f"{r.status_code}: {r.text[:160]}")
                else:
                    phase.ingested += batch
            except requests.RequestException as e:
                phase.ingest_errors.append(f"{type(e).__name__}: {e}")
            phase.ingest_ms.append((time.perf_counter() - t0) * 1000)

    threads = [threading.Thread(target=poster, daemon=True) for _ in range(max(1, posters))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    phase.ingest_seconds = time.perf_counter() - start   # until the last request in flight was answered


#: A query that runs far past any limit: the cross product of every stance with every stance.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a a ?x . ?b a ?y . ?c a ?z }"


def runaway(url: str, stop: threading.Event, phase: Phase, limit: float) -> None:
    """One client sending the runaway query again and again: each must be stopped at the limit with a
    JSON error (never a 200), within the limit plus 2 s."""
    session = requests.Session()
    while not stop.is_set():
        t0 = time.perf_counter()
        try:
            r = session.post(url + "/sparql", data={"query": RUNAWAY}, timeout=limit + 60)
            seconds = time.perf_counter() - t0
            phase.runaway_s.append(seconds)
            if r.status_code == 200 or not r.headers.get("Content-Type", "").startswith("application/json"):
                phase.runaway_errors.append(f"{r.status_code} {r.text[:120]}")
            elif seconds > limit + 2:
                phase.runaway_errors.append(f"stopped after {seconds:.1f} s (limit {limit:g} s)")
        except requests.RequestException as e:
            phase.runaway_errors.append(f"{type(e).__name__}: {e}")


def run_phase(name: str, url: str, pid: int, clients: int, seconds: float, rate: float | None, batch: int = 1,
              posters: int = 4, runaway_limit: float | None = None, mix: str = "all") -> Phase:
    phase = Phase(name)
    stop = threading.Event()
    lock = threading.Lock()
    phase.rss.append(rss_mb(pid))
    threads = [threading.Thread(target=client, args=(url, i, stop, phase, lock, mix), daemon=True)
               for i in range(clients)]
    if rate:
        threads.append(threading.Thread(target=ingester, args=(url, rate, stop, phase, str(int(time.time())),
                                                               batch, posters), daemon=True))
    if runaway_limit:
        threads.append(threading.Thread(target=runaway, args=(url, stop, phase, runaway_limit), daemon=True))
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(seconds / 2)
    phase.rss.append(rss_mb(pid))
    time.sleep(max(0.0, seconds - (time.perf_counter() - t0)))
    phase.rss.append(rss_mb(pid))
    stop.set()
    for t in threads:
        t.join(timeout=90)
    phase.seconds = time.perf_counter() - t0
    return phase


def build_store(articles: int) -> Path:
    store = DATA / f"load-store-{articles}"
    if (store / "CURRENT").exists():
        return store
    shutil.rmtree(store, ignore_errors=True)
    src = corpus_file(articles)
    print(f"building a store of {articles} synthetic articles (once; cached in {store}) …", file=sys.stderr)
    subprocess.run([*mawqif(), "ingest", "--store", str(store), str(src)], check=True, capture_output=True)
    return store


def summary(p: Phase) -> dict[str, Any]:
    xs = p.all()
    return {"requests": len(xs), "errors": len(p.errors), "rps": round(len(xs) / p.seconds, 1),
            "p50_ms": round(pct(xs, 50), 1), "p95_ms": round(pct(xs, 95), 1), "p99_ms": round(pct(xs, 99), 1),
            "by_kind": {k: {"n": len(v), "p50_ms": round(pct(v, 50), 1), "p95_ms": round(pct(v, 95), 1),
                            "errors": p.error_kinds.get(k, 0)}
                        for k, v in sorted(p.latencies.items())},
            "rss_mb": [round(x) for x in p.rss], "ingested": p.ingested, "ingest_errors": len(p.ingest_errors),
            "ingest_rate": round(p.ingested / p.ingest_seconds, 2) if p.ingest_seconds else 0.0,
            "ingest_seconds": round(p.ingest_seconds, 1),
            "ingest_p50_ms": round(pct(p.ingest_ms, 50), 1) if p.ingest_ms else None,
            "ingest_p95_ms": round(pct(p.ingest_ms, 95), 1) if p.ingest_ms else None,
            "seconds": round(p.seconds, 1), "first_errors": p.errors[:5] + p.ingest_errors[:5] + p.runaway_errors[:5],
            "runaway": len(p.runaway_s), "runaway_errors": len(p.runaway_errors),
            "runaway_max_s": round(max(p.runaway_s), 1) if p.runaway_s else None}


def markdown(r: dict[str, Any]) -> str:
    a, b, c = r["plain"], r["ingest"], r["runaway"]
    rows = []
    for label, s in (("queries only", a), (f"queries + ingest at {r['rate']:g} articles/s", b),
                     ("queries + one runaway query at a time", c)):
        kinds = ", ".join(f"{k} {v['p50_ms']:.0f}/{v['p95_ms']:.0f}" for k, v in s["by_kind"].items())
        rows.append(f"| {label} | {s['seconds']:.0f} | {s['requests']:,} | {s['rps']:.0f} | {s['errors']} | "
                    f"{s['p50_ms']:.0f} | {s['p95_ms']:.0f} | {s['p99_ms']:.0f} | {kinds} | "
                    f"{' / '.join(str(x) for x in s['rss_mb'])} |")
    ratio = r["p95_ratio"]
    errors_by_kind = "; ".join(
        f"{label} " + (", ".join(f"{k} {v.get('errors', 0)}" for k, v in s["by_kind"].items() if v.get("errors"))
                       or "none")
        for label, s in (("queries only:", a), ("with ingest:", b), ("with the runaway:", c)))
    section = r.get("section", "load")
    title = "Load (issue 7)" if section == "load" else f"Load (issue 7): {r['articles']:,} articles, {r['mix']} mix"
    asked = ("named queries (who-condemns, stances-of-actor, most-active, timeline),\nentity pages (HTML and "
             "`.json`) and the explorer's ego-graph and search APIs") if r.get("mix", "all") == "all" else \
        ("what the explorer's pages ask (no named query):\nentity pages (HTML and `.json`), the ego-graph API, "
         "an edge's stance list (`/api/explorer/stances`) and search")
    return f"""<!-- section:{section} -->
## {title}

Command: `python bench/load_test.py {r['command']}`. {r['clients']} concurrent clients (threads, each a keep-alive
`requests.Session`) on 127.0.0.1 mix {asked}, for {r['seconds']:g} s, against a copy
of a store of {r['articles']:,} synthetic articles ({r['quads']:,} quads) served by `mawqif serve` (waitress,
{r['threads']} threads, query workers with a {r['timeout']:g} s limit). Then the same while new articles are
posted to `POST /api/articles` with the token at {r['rate']:g} articles/s, {r.get('post_batch', 1)} per request, on a
fixed schedule (open loop, at most {r.get('posters', 1)} requests in flight). RSS is the server and its query
workers together, sampled at start / middle / end of each phase. Latencies in ms; per kind p50/p95.

| phase | s | requests | req/s | errors | p50 | p95 | p99 | per kind (p50/p95) | RSS MB start / mid / end |
|---|---:|---:|---:|---:|---:|---:|---:|---|---|
{rows[0]}
{rows[1]}
{rows[2]}

- Errors: {a['errors']} without ingest, {b['errors']} with ingest ({b['ingest_errors']} failed article posts);
  by kind: {errors_by_kind}.
- Ingest during load: {b['ingested']} articles stored in {b.get('ingest_seconds', b['seconds']):.0f} s
  ({b['ingest_rate']:.1f}/s; target {r['rate']:g}/s), each `POST` ({r.get('post_batch', 1)} article(s))
  p50 {b['ingest_p50_ms']} ms, p95 {b['ingest_p95_ms']} ms.
- Query p95 with ingest ÷ without: **{ratio:.2f}×** (target ≤ 2×: {'met' if ratio <= 2 else 'NOT met'}).
- Runaway queries (a cross product, sent again as soon as one is answered): {c['runaway']} stopped, the
  slowest answered after {c['runaway_max_s']} s (limit {r['timeout']:g} s, allowed + 2 s), {c['runaway_errors']} wrong
  answers; the other clients' p95 with it ÷ without: **{r['runaway_ratio']:.2f}×** (target ≤ 1.5×:
  {'met' if r['runaway_ratio'] <= 1.5 else 'NOT met'}).
- RSS over the query-only phase: {a['rss_mb'][0]} → {a['rss_mb'][-1]} MB
  ({'stable' if a['rss_mb'][-1] <= a['rss_mb'][0] * 1.1 + 20 else 'GREW'}); with ingest
  {b['rss_mb'][0]} → {b['rss_mb'][-1]} MB.

Machine: {r['machine']}.
<!-- /section:{section} -->"""


def write_docs(block: str, section: str = "load") -> None:
    text = DOCS.read_text(encoding="utf-8")
    begin, end = f"<!-- section:{section} -->", f"<!-- /section:{section} -->"
    if begin in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOCS.write_text(text, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10000, help="synthetic articles in the store (when built)")
    ap.add_argument("--store", help="an existing store to copy and serve (else one is built and cached)")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=60.0, help="per phase")
    ap.add_argument("--rate", type=float, default=10.0, help="articles/s posted in the second phase")
    ap.add_argument("--post-batch", type=int, default=1, help="articles per POST /api/articles in phase 2")
    ap.add_argument("--posters", type=int, default=4,
                    help="POST requests in flight at most (the schedule is open-loop up to this many)")
    ap.add_argument("--threads", type=int, default=8, help="waitress threads")
    ap.add_argument("--timeout", type=float, default=30.0, help="the server's query time limit")
    ap.add_argument("--mix", choices=sorted(MIXES), default="all",
                    help="all: named queries, entity pages and explorer APIs; ui: only what the explorer's pages ask")
    ap.add_argument("--log", help="keep the server's log (one line per request) in this file")
    ap.add_argument("--section", default="load",
                    help="the section of docs/BENCHMARKS.md that --write-docs replaces (default: load)")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--write-docs", action="store_true", help="replace the Load section of docs/BENCHMARKS.md")
    args = ap.parse_args()
    if args.seconds > 600 or args.clients > 256:
        ap.error("bounded: at most 600 s per phase and 256 clients")

    source = Path(args.store) if args.store else build_store(args.articles)
    work = Path(tempfile.mkdtemp(prefix="mawqif-load-"))
    store = work / "store"
    proc: subprocess.Popen[bytes] | None = None
    try:
        shutil.copytree(source, store, ignore=shutil.ignore_patterns("LOCK", "mawqif-holder.json"))
        port = free_port()
        env = {k: v for k, v in os.environ.items() if k not in ("MAWQIF_STORE", "MAWQIF_BASE")}
        env["MAWQIF_TOKEN"] = TOKEN
        log = (work / "serve.log").open("wb")
        proc = subprocess.Popen([*mawqif(), "serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port),
                                 "--threads", str(args.threads), "--timeout", str(args.timeout)],
                                stdout=log, stderr=subprocess.STDOUT, env=env)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 600
        while True:
            try:   # the counts of a large store come a little later (counted in the background)
                meta = requests.get(url + "/api/explorer/meta", timeout=5).json()
                if meta.get("stats"):
                    break
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not count the store in time")
                time.sleep(1)
            except requests.RequestException:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the server did not start:\n"
                                     + (work / "serve.log").read_text(errors="replace")) from None
                time.sleep(0.2)
        articles = int(meta["stats"]["articles"])
        quads = int(meta["stats"]["triples"])
        print(f"serving {articles} articles ({quads} quads) at {url}; warming up …", file=sys.stderr)
        run_phase("warm-up", url, proc.pid, min(4, args.clients), min(5.0, args.seconds / 4), None, mix=args.mix)
        print(f"phase 1: {args.clients} clients, {args.seconds:g} s …", file=sys.stderr)
        plain = run_phase("queries", url, proc.pid, args.clients, args.seconds, None, mix=args.mix)
        print(f"phase 2: the same + ingest at {args.rate:g} articles/s …", file=sys.stderr)
        ingest = run_phase("queries+ingest", url, proc.pid, args.clients, args.seconds, args.rate,
                           args.post_batch, args.posters, mix=args.mix)
        print("phase 3: the same clients + one runaway query at a time …", file=sys.stderr)
        wild = run_phase("queries+runaway", url, proc.pid, args.clients, args.seconds, None,
                         runaway_limit=args.timeout, mix=args.mix)
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        if args.log and (work / "serve.log").exists():
            shutil.copyfile(work / "serve.log", args.log)
        shutil.rmtree(work, ignore_errors=True)
    a, b, c = summary(plain), summary(ingest), summary(wild)
    cmd = " ".join(x for x in [f"--clients {args.clients}" if args.clients != 32 else "",
                               f"--seconds {args.seconds:g}" if args.seconds != 60 else "",
                               f"--post-batch {args.post_batch}" if args.post_batch != 1 else "",
                               f"--posters {args.posters}" if args.posters != 4 else "",
                               f"--mix {args.mix}" if args.mix != "all" else "",
                               f"--section {args.section}" if args.section != "load" else "",
                               f"--store {args.store}" if args.store else ""] if x)
    result = {"articles": articles, "quads": quads, "clients": args.clients, "seconds": args.seconds,
              "rate": args.rate, "post_batch": args.post_batch, "posters": args.posters, "threads": args.threads,
              "timeout": args.timeout, "mix": args.mix, "section": args.section, "plain": a, "ingest": b, "runaway": c,
              "p95_ratio": round(b["p95_ms"] / a["p95_ms"], 2), "runaway_ratio": round(c["p95_ms"] / a["p95_ms"], 2),
              "machine": machine(), "command": cmd}
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    if args.write_docs:
        write_docs(markdown(result), args.section)
        print(f"wrote the Load section of {DOCS}", file=sys.stderr)
    ok = a["errors"] == 0 and b["errors"] == 0 and b["ingest_errors"] == 0 and c["errors"] == 0 \
        and c["runaway_errors"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

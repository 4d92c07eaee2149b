"""Writes while queries run (issue 7, Load): writes never wait for queries, and no query ever sees
half a write.

* the reader-writer lock grants in arrival order (neither side starves) and readers can time out;
* write requests go to the front of waitress's queue;
* concurrent article writes share one store write (group commit), never with one article twice;
* files vanishing under a worker's view (compaction) make the job run again on a fresh view; a view
  is only kept if the store's MANIFEST stood still while it was opened;
* many writes (article batches, SPARQL updates, full compactions) interleaved with many queries on
  the worker processes: zero errors, no article graph without its commit record, and every query
  sees every write acknowledged before it was sent;
* on a live ``mawqif serve``: ``POST /api/articles`` completes while a long query runs, and the
  same interleaving through HTTP (articles, updates, Graph Store writes, queries) gives no error.
"""
from __future__ import annotations

import itertools
import json
import multiprocessing as mp
import random
import threading
import time
import urllib.parse
from collections.abc import Iterator, Sequence

import pyoxigraph as ox
import pytest

from graph_builder import store as store_module
from graph_builder import terms
from graph_builder.errors import MawqifError, StoreError
from graph_builder.ingest import ingest
from graph_builder.loaders import article_from_record
from graph_builder.store import Store
from server import executor
from server.app import create_app
from server.executor import (
    ROWS,
    STALE_RETRIES,
    GroupCommit,
    InProcessRunner,
    QueryJob,
    ReadWriteLock,
    Runner,
    ServerBusyError,
    WorkerPool,
    open_view,
)
from tests.test_server_helpers import LiveServer, http, start_server

TOKEN = "w-token"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
ARTICLE_PREFIX = terms.DEFAULT_BASE + terms.INSTANCE_PATHS["article"]
#: article graphs without their commit record: what a query must never see
HALF = f"""SELECT ?g WHERE {{ GRAPH ?g {{ ?g ?p ?o }} FILTER(STRSTARTS(STR(?g), "{ARTICLE_PREFIX}"))
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?g a <{terms.MQ_ARTICLE.value}> }} }} }} LIMIT 5"""
COMMITTED = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?g a <{terms.MQ_ARTICLE.value}> }} }}"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def _records(n: int, seed: int) -> list[dict[str, str]]:
    from bench.synthetic import corpus

    return list(corpus(n, seed=seed, target_bytes=300))


# -- the lock -----------------------------------------------------------------------------------------
def test_lock_grants_in_arrival_order() -> None:
    lock = ReadWriteLock()
    order: list[str] = []
    first_reader_in, release_first = threading.Event(), threading.Event()

    def reader(name: str, hold: threading.Event | None = None) -> None:
        with lock.read():
            order.append(name)
            if hold is not None:
                first_reader_in.set()
                hold.wait(5)

    def writer() -> None:
        with lock.write():
            order.append("writer")
            time.sleep(0.05)

    threads = [threading.Thread(target=reader, args=("r1", release_first))]
    threads[0].start()
    assert first_reader_in.wait(5)
    threads.append(threading.Thread(target=writer))
    threads[-1].start()
    time.sleep(0.05)                     # the writer waits for r1
    for name in ("r2", "r3"):            # readers after a waiting writer wait for it
        threads.append(threading.Thread(target=reader, args=(name,)))
        threads[-1].start()
    time.sleep(0.05)
    assert order == ["r1"]
    release_first.set()
    for t in threads:
        t.join(5)
    assert order[:2] == ["r1", "writer"] and sorted(order[2:]) == ["r2", "r3"]


def test_lock_read_times_out_behind_a_writer() -> None:
    lock = ReadWriteLock()
    with lock.write():
        t0 = time.monotonic()
        with pytest.raises(ServerBusyError):
            with lock.read(timeout=0.2):
                pass
        assert 0.15 < time.monotonic() - t0 < 2
    with lock.read(timeout=0.2):   # a timed-out reader left nothing behind
        pass
    with lock.write():
        pass


def test_write_requests_go_first_in_the_queue() -> None:
    from server.run import writes_first_dispatcher

    class Request:
        def __init__(self, method: str, path: str, ctype: str = "") -> None:
            self.command, self.path, self.headers = method, path, {"CONTENT_TYPE": ctype}

    class Channel:   # what waitress queues: a connection with its pending requests
        def __init__(self, *args: str) -> None:
            self.requests = [Request(*args)]

    dispatcher = writes_first_dispatcher(0)   # no threads: the queue stays as it is built
    tasks = {
        "query": Channel("GET", "/sparql"), "page": Channel("GET", "/id/state/SYR"),
        "articles": Channel("POST", "/api/articles", "application/x-ndjson"),
        "update": Channel("POST", "/sparql", "application/sparql-update; charset=utf-8"),
        "query by POST": Channel("POST", "/sparql", "application/sparql-query"),
        "graph": Channel("PUT", "/store", "text/turtle"), "delete": Channel("DELETE", "/store"),
    }
    for t in tasks.values():
        dispatcher.add_task(t)
    names = {id(t): n for n, t in tasks.items()}
    assert [names[id(t)] for t in dispatcher.queue] == ["delete", "graph", "update", "articles", "query", "page",
                                                        "query by POST"]
    long = {n for n, t in tasks.items() if t._mawqif_long}   # what may hold a thread up to the time limit
    assert long == {"query", "query by POST"}


# -- group commit -------------------------------------------------------------------------------------
class _SlowSink:
    """A fake store that records every write and takes a while over each."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.writes: list[list[str]] = []
        self.fail_on = fail_on
        self.recovered = 0

    def recover(self) -> list[str]:
        self.recovered += 1
        return []

    def article_hashes(self, graphs: Sequence[str]) -> dict[str, str]:
        return {}

    def replace_serialized(self, articles: Sequence[tuple[str, bytes]], shared: bytes = b"",
                           edges: object = None) -> None:
        time.sleep(0.1)
        names = [g for g, _ in articles]
        if self.fail_on in names:
            raise StoreError("the disk is full")
        self.writes.append(names)


def test_group_commit_shares_writes_and_keeps_versions_apart() -> None:
    sink = _SlowSink()
    runner = Runner()
    commit = GroupCommit(sink, runner)
    posts = [[(f"a{i}", b"")] for i in range(12)] + [[("a0", b"v2")], [("a0", b"v3")]]
    threads = [threading.Thread(target=commit.replace_serialized, args=(p,)) for p in posts]
    for t in threads:
        t.start()
        time.sleep(0.005)
    for t in threads:
        t.join(10)
    written = [g for w in sink.writes for g in w]
    assert sorted(written) == sorted(g for p in posts for g, _ in p)   # each exactly once
    assert all(len(w) == len(set(w)) for w in sink.writes)              # never one article twice in a write
    assert len(sink.writes) < len(posts)                                 # requests shared writes
    assert runner.generation == len(sink.writes)


def test_group_commit_error_reaches_every_request_of_the_write() -> None:
    sink = _SlowSink(fail_on="bad")
    commit = GroupCommit(sink, Runner())
    results: dict[str, str] = {}

    def post(name: str) -> None:
        try:
            commit.replace_serialized([(name, b"")])
            results[name] = "ok"
        except MawqifError as e:
            results[name] = str(e)

    first = threading.Thread(target=post, args=("first",))
    first.start()
    time.sleep(0.03)   # "first" is being written; these two queue and share the next write
    rest = [threading.Thread(target=post, args=(n,)) for n in ("bad", "other")]
    for t in rest:
        t.start()
    for t in (first, *rest):
        t.join(10)
    assert results == {"first": "ok", "bad": "the disk is full", "other": "the disk is full"}
    assert sink.recovered == 1   # what the failed write left half-written is removed before any view sees it
    commit.replace_serialized([("after", b"")])   # the next write goes on
    assert sink.writes[-1] == ["after"]


# -- the worker processes under writes ------------------------------------------------------------------
@pytest.fixture
def pool_on_store(tmp_path) -> Iterator[tuple[Store, WorkerPool]]:
    store = Store(tmp_path / "store")
    ingest(store, [article_from_record(r, source="seed") for r in _records(40, seed=21)])
    assert store.path is not None
    pool = WorkerPool(store.path, terms.PREFIXES, size=3, timeout=30)
    try:
        yield store, pool
    finally:
        pool.close()
        store.close()


def _count(pool: WorkerPool) -> int:
    answer = pool.run(QueryJob(query=COMMITTED, result_media=ROWS, graph_media=ROWS))
    assert answer.rows is not None
    return int(answer.rows[1][0][0][1])


def test_many_writes_interleaved_with_queries_no_errors_no_half_articles(
        pool_on_store: tuple[Store, WorkerPool]) -> None:
    store, pool = pool_on_store
    sink = GroupCommit(store, pool)
    records = _records(40 + 3 * 60, seed=22)[40:]
    acknowledged = [_count(pool)]            # articles whose write has returned
    ack_lock = threading.Lock()
    stop = threading.Event()
    errors: list[str] = []
    queries = [0]

    def writer(k: int) -> None:
        for j in range(k, 60, 2):
            batch = [article_from_record(r, source="w") for r in records[3 * j:3 * j + 3]]
            try:
                report = ingest(sink, batch)
                assert report.stored == 3, report.errors
                with ack_lock:
                    acknowledged[0] += 3
                if j % 10 == 1:
                    with pool.writing():   # a full compaction: every file of the store replaced
                        store.oxigraph.optimize()
                if j % 10 == 6:
                    with pool.writing():
                        store.oxigraph.update(f"INSERT DATA {{ GRAPH <http://example.org/u> "
                                              f"{{ <http://example.org/x> <http://example.org/p> {j} }} }}")
            except Exception as e:  # noqa: BLE001 - collected, the test fails on any
                errors.append(f"write: {type(e).__name__}: {e}")

    def reader(k: int) -> None:
        rng = random.Random(k)
        while not stop.is_set():
            try:
                if rng.random() < 0.5:
                    answer = pool.run(QueryJob(query=HALF, result_media=ROWS, graph_media=ROWS))
                    assert answer.rows is not None
                    if answer.rows[1]:
                        errors.append(f"half-written articles seen: {answer.rows[1]}")
                else:
                    with ack_lock:
                        before = acknowledged[0]
                    seen = _count(pool)
                    if seen < before:
                        errors.append(f"a query saw {seen} articles after {before} were acknowledged")
                queries[0] += 1
            except Exception as e:  # noqa: BLE001
                errors.append(f"query: {type(e).__name__}: {e}")

    writers = [threading.Thread(target=writer, args=(k,)) for k in range(2)]
    readers = [threading.Thread(target=reader, args=(k,)) for k in range(5)]
    for t in (*writers, *readers):
        t.start()
    for t in writers:
        t.join(300)
    stop.set()
    for t in readers:
        t.join(60)
    print(f"queries={queries[0]} writes={sink.writes} generation={pool.generation} views={pool.opened} "
          f"open retries={pool.open_retries} jobs run again={pool.reopened}")
    assert not errors, errors[:5]
    assert queries[0] >= 100
    assert _count(pool) == 40 + 180 == store.stats().articles


class _ThreadContext:
    """Runs the pool's workers as threads of this process, so that a test can patch what they run."""

    class _Kept:
        """The worker's end of the pipe: the pool closes its copy of it after starting a process,
        which here is the worker's own."""

        def __init__(self, conn: object) -> None:
            self._conn = conn

        def close(self) -> None:
            pass

        def __getattr__(self, name: str) -> object:
            return getattr(self._conn, name)

    @classmethod
    def Pipe(cls) -> tuple[object, object]:  # noqa: N802 - the multiprocessing name
        mine, theirs = mp.Pipe()
        return mine, cls._Kept(theirs)

    class Process:
        def __init__(self, target: object, args: tuple, daemon: bool = True, name: str | None = None) -> None:
            self._thread = threading.Thread(target=target, args=args, daemon=True, name=name)  # type: ignore[arg-type]

        def start(self) -> None:
            self._thread.start()

        def is_alive(self) -> bool:
            return self._thread.is_alive()

        def join(self, timeout: float | None = None) -> None:
            self._thread.join(timeout)

        def kill(self) -> None:
            pass


VANISHED = RuntimeError("Corruption: IO error: No such file or directory: While open a file for random read: "
                        "/store/000042.sst: No such file or directory")


def test_files_vanishing_under_a_view_run_the_job_again(tmp_path, monkeypatch) -> None:
    with Store(tmp_path / "store") as s:
        ingest(s, [article_from_record(r, source="seed") for r in _records(5, seed=23)])
    real = executor.run_query
    trouble: dict[str, BaseException | int | None] = {"left": 2, "error": VANISHED}

    def flaky(store: object, job: QueryJob, prefixes: object) -> object:
        if trouble["left"]:
            trouble["left"] -= 1  # type: ignore[operator]
            raise trouble["error"]  # type: ignore[misc]
        return real(store, job, prefixes)  # type: ignore[arg-type]

    monkeypatch.setattr(executor, "run_query", flaky)
    pool = WorkerPool(tmp_path / "store", terms.PREFIXES, size=1, timeout=20, context=_ThreadContext())
    try:
        assert _count(pool) == 5                       # compaction took files twice: run again twice
        assert (pool.reopened, pool.opened) == (2, 3)  # each time on a view opened afresh
        trouble["left"] = STALE_RETRIES + 1             # files vanish every time: a 503, not a 500
        with pytest.raises(ServerBusyError, match="changed under the query"):
            _count(pool)
        assert _count(pool) == 5                       # the worker went back to the pool
        trouble.update(left=1, error=RuntimeError("Corruption: block checksum mismatch"))
        with pytest.raises(MawqifError, match="checksum") as failed:   # a real fault is not hidden
            _count(pool)
        assert failed.value.status == 500
        assert _count(pool) == 5
    finally:
        pool.close()


def test_open_view_waits_for_the_files_to_stand_still(tmp_path, monkeypatch) -> None:
    Store(tmp_path / "store").close()
    real = executor._version_files
    moving = itertools.count()
    state = {"moves": 4}   # the MANIFEST moves during the first two opens (two looks each)

    def version(path: str) -> tuple[str, int, int]:
        if state["moves"]:
            state["moves"] -= 1
            return ("MANIFEST-moving", next(moving), 0)
        return real(path)

    monkeypatch.setattr(executor, "_version_files", version)
    monkeypatch.setattr(executor.time, "sleep", lambda s: None)
    view, thrown_away = open_view(str(tmp_path / "store"))
    assert thrown_away == 2 and len(view) >= 0   # a usable view
    del view
    state["moves"] = 10**6   # never still: the request is told to try again
    with pytest.raises(ServerBusyError, match="kept changing"):
        open_view(str(tmp_path / "store"))
    state["moves"] = 0
    with pytest.raises(OSError):   # not a store: a real error, not retried
        open_view(str(tmp_path / "nothing"))


def test_writes_keep_the_log_a_view_replays_short(tmp_path, monkeypatch) -> None:
    """Small writes (a server's POSTs, SPARQL updates) go through RocksDB's write-ahead log, which
    every worker's read-only view replays when it opens: at 180 MB that took 3.7 s, during which the
    view held writes, and pages behind them, back. Article writes (``Store``, as ``mawqif ingest``
    makes them) and the server's writes (``create_app`` wires ``Runner.after_write``) flush once the
    live log passes ``LOG_FLUSH_BYTES``; the control, with no limit and no wiring, shows it growing."""
    limit = 256 << 10
    records = _records(60, seed=33)
    triples = " ".join(f"<http://example.org/s{i}> <http://example.org/p> \"{'x' * 200}\" ." for i in range(300))
    largest: dict[tuple[bool, str], int] = {}
    for bounded in (False, True):
        monkeypatch.setattr(store_module, "LOG_FLUSH_BYTES", limit if bounded else 1 << 40)
        with Store(tmp_path / f"store-{bounded}") as store:
            runner = InProcessRunner(store.oxigraph, terms.PREFIXES)
            if bounded:
                create_app(store, runner=runner)   # what the server runs with
            sink = GroupCommit(store, runner)

            sizes: dict[str, list[int]] = {"ingest": [], "post": [], "update": []}
            for r in records[:30]:   # article writes as `mawqif ingest` makes them
                assert ingest(store, [article_from_record(r, source="t")]).stored == 1
                sizes["ingest"].append(store.log_bytes())
            for r in records[30:]:   # as POST /api/articles makes them
                assert ingest(sink, [article_from_record(r, source="t")]).stored == 1
                sizes["post"].append(store.log_bytes())
            for k in range(20):      # SPARQL updates
                with runner.writing():
                    store.oxigraph.update(f"INSERT DATA {{ GRAPH <http://example.org/u{k}> {{ {triples} }} }}")
                sizes["update"].append(store.log_bytes())
            largest.update({(bounded, kind): max(values) for kind, values in sizes.items()})
            assert store.path is not None
            view, _ = open_view(str(store.path))   # what a worker sees: every write, flushed or not
            assert sum(1 for _ in view.quads_for_pattern(None, terms.RDF_TYPE, terms.MQ_ARTICLE, None)) == 60
            assert sum(1 for _ in view.quads_for_pattern(None, None, None, ox.NamedNode("http://example.org/u19"))) \
                == 300
            del view
    for kind in ("ingest", "post", "update"):
        assert largest[True, kind] < limit + (1 << 20), largest   # the limit and at most one write more
    assert largest[False, "update"] > 8 * limit, largest          # the control: the log only grows


# -- a live server ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("writes")
    store = tmp / "store"
    with Store(store) as s:
        ingest(s, [article_from_record(r, source="seed") for r in _records(30, seed=31)])
    server = start_server(str(store), "--timeout", "4", "--workers", "3", "--threads", "8", token=TOKEN)
    yield server
    code, err = server.stop()
    assert code == 0, err


def _post(url: str, records: list[dict[str, str]], timeout: float = 30) -> tuple[int, dict]:
    body = "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    status, _, data = http("POST", f"{url}/api/articles", body,
                           {**BEARER, "Content-Type": "application/x-ndjson"}, timeout=timeout)
    return status, json.loads(data)


def _ask(url: str, query: str) -> tuple[int, bytes]:
    status, _, body = http("GET", f"{url}/sparql?query={urllib.parse.quote(query)}",
                           headers={"Accept": "application/sparql-results+json"}, timeout=30)
    return status, body


def test_post_completes_while_a_long_query_runs(live: LiveServer) -> None:
    slow: dict[str, object] = {}

    def run_slow() -> None:
        t0 = time.monotonic()
        slow["answer"] = _ask(live.url, SLOW)
        slow["seconds"] = time.monotonic() - t0

    t = threading.Thread(target=run_slow)
    t.start()
    time.sleep(0.5)   # the slow query holds a worker
    record = {"url": "https://example.org/writes/while-slow", "lang": "en",
              "text": "France condemned the attack on Syria."}
    t0 = time.monotonic()
    status, doc = _post(live.url, [record])
    took = time.monotonic() - t0
    assert status == 200 and doc["stored"] + doc["unchanged"] == 1, doc
    assert took < 2.5, f"the write waited {took:.1f} s"   # not for the query (it runs up to 4 s)
    assert t.is_alive(), "the slow query should still be running"
    ask = ('ASK { ?a <https://schema.org/url> ?u FILTER(STR(?u) = "https://example.org/writes/while-slow") }')
    status, body = _ask(live.url, ask)
    assert status == 200 and json.loads(body)["boolean"] is True   # a query after the write sees it
    t.join(15)
    status, _ = slow["answer"]  # type: ignore[misc]
    assert status == 503   # stopped at the limit, as before


def test_interleaved_writes_and_queries_through_http(live: LiveServer) -> None:
    url = live.url
    records = _records(30 + 2 * 40, seed=32)[30:]
    status, body = _ask(url, COMMITTED)
    acknowledged = [int(json.loads(body)["results"]["bindings"][0]["n"]["value"])]
    ack_lock = threading.Lock()
    stop = threading.Event()
    errors: list[str] = []
    counts = {"queries": 0, "posts": 0, "updates": 0}

    def poster(k: int) -> None:
        for j in range(k, 40, 2):
            status, doc = _post(url, records[2 * j:2 * j + 2])
            if status != 200 or doc.get("stored") != 2:
                errors.append(f"post {status}: {doc}")
                continue
            with ack_lock:
                acknowledged[0] += 2
            counts["posts"] += 1

    def updater() -> None:
        i = 0
        while not stop.is_set():
            i += 1
            g = urllib.parse.quote(f"http://example.org/gsp/{i % 3}", safe="")
            for method, path, body, ctype in (
                    ("POST", "/sparql", f"INSERT DATA {{ <http://example.org/s> <http://example.org/n> {i} }}",
                     "application/sparql-update"),
                    ("PUT", f"/store?graph={g}", f"<http://example.org/a> <http://example.org/b> {i} .",
                     "text/turtle")):
                status, _, data = http(method, url + path, body, {**BEARER, "Content-Type": ctype})
                if status not in (201, 204):
                    errors.append(f"{method} {path}: {status} {data[:200]!r}")
            counts["updates"] += 1
            time.sleep(0.05)

    def reader(k: int) -> None:
        rng = random.Random(k)
        while not stop.is_set():
            pick = rng.random()
            with ack_lock:
                before = acknowledged[0]
            if pick < 0.4:
                status, body = _ask(url, HALF)
            elif pick < 0.8:
                status, body = _ask(url, COMMITTED)
            else:
                actor = urllib.parse.quote(terms.DEFAULT_BASE + "state/SYR", safe="")
                status, _, body = http("GET", f"{url}/queries/stances-of-actor?actor={actor}",
                                       headers={"Accept": "text/csv"}, timeout=30)
            counts["queries"] += 1
            if status != 200:
                errors.append(f"query {status}: {body[:200]!r}")
                continue
            if pick < 0.4:
                if json.loads(body)["results"]["bindings"]:
                    errors.append(f"half-written articles seen: {body[:300]!r}")
            elif pick < 0.8:
                rows = json.loads(body)["results"]["bindings"]
                if len(rows) != 1:
                    errors.append(f"count query answered {body[:300]!r}")
                    continue
                seen = int(rows[0]["n"]["value"])
                if seen < before:
                    errors.append(f"a query saw {seen} articles after {before} were acknowledged")

    posters = [threading.Thread(target=poster, args=(k,)) for k in range(2)]
    others = [threading.Thread(target=updater), *(threading.Thread(target=reader, args=(k,)) for k in range(4))]
    for t in (*posters, *others):
        t.start()
    for t in posters:
        t.join(300)
    stop.set()
    for t in others:
        t.join(60)
    print(counts)
    assert not errors, errors[:5]
    assert counts["posts"] == 40 and counts["queries"] >= 50 and counts["updates"] >= 5
    status, body = _ask(url, COMMITTED)
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == acknowledged[0]

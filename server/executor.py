"""Running SPARQL queries with a time limit that really stops them.

pyoxigraph cannot cancel a running query, so a query that must be stoppable runs in a worker
process (:class:`WorkerPool`): each worker opens the store read-only, runs the query *and
serialises the whole answer*, then sends the bytes back. The request thread waits at most the
time limit; past it the worker is killed (SIGKILL: the query does not run on), a fresh worker
takes its place, and the client gets a JSON error, never a 200 with a truncated body.

Writes happen only in the server process, which holds the store for writing. A reader-writer
lock (:class:`ReadWriteLock`) keeps queries and writes apart: a write waits for the running
queries (each bounded by the time limit), and every write bumps a generation counter, so each
worker reopens its read-only view of the store before its next query. A read-only RocksDB view
of a store another process writes to is only safe between writes, which is what the lock and
the reopen give.

:class:`InProcessRunner` runs queries in the calling thread (no time limit): for an in-memory
store, or ``--timeout 0``.
"""
from __future__ import annotations

import contextlib
import io
import multiprocessing as mp
import multiprocessing.connection as mpc
import os
import queue
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from graph_builder.errors import MawqifError, QueryError

#: SPARQL results media type → pyoxigraph format (SELECT/ASK)
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
#: RDF media type → pyoxigraph format (CONSTRUCT/DESCRIBE)
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
#: the pseudo media type asking for rows as Python values (for the HTML views)
ROWS = "rows"


class QueryTimeoutError(MawqifError):
    """A query ran past the time limit and was stopped."""

    status = 503


class ServerBusyError(MawqifError):
    """No worker became free within the time limit."""

    status = 503


@dataclass(frozen=True)
class QueryJob:
    """One query to run: text, dataset, bindings and the media types the client accepts."""

    query: str
    result_media: str | None = "application/sparql-results+json"   # for SELECT/ASK; None: none fits
    graph_media: str | None = "text/turtle"                          # for CONSTRUCT/DESCRIBE
    base_iri: str | None = None
    default_graphs: tuple[str, ...] | None = None   # protocol default-graph-uri (None: union)
    named_graphs: tuple[str, ...] | None = None     # protocol named-graph-uri
    substitutions: Mapping[ox.Variable, Any] = field(default_factory=dict)
    max_rows: int = 0                               # for ROWS: at most this many rows (0: all)


@dataclass(frozen=True)
class QueryAnswer:
    kind: str               # "solutions", "boolean" or "graph"
    media: str              # the media type of body (or ROWS)
    body: bytes = b""
    rows: tuple[tuple[str, ...], tuple[tuple[Any, ...], ...], bool] | None = None  # vars, rows, truncated


def run_query(store: ox.Store, job: QueryJob, prefixes: Mapping[str, str]) -> QueryAnswer:
    """Run ``job`` on ``store`` and serialise the whole answer (raises QueryError)."""
    kwargs: dict[str, Any] = {"prefixes": dict(prefixes), "base_iri": job.base_iri}
    if job.default_graphs is None and job.named_graphs is None:
        kwargs["use_default_graph_as_union"] = True
    else:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        if job.named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    if job.substitutions:
        kwargs["substitutions"] = dict(job.substitutions)
    try:
        results = store.query(job.query, **kwargs)
    except SyntaxError as e:
        raise QueryError(f"malformed query: {e}") from None
    except (ValueError, TypeError) as e:
        raise QueryError(str(e)) from None
    kind = ("graph" if isinstance(results, ox.QueryTriples)
            else "boolean" if isinstance(results, ox.QueryBoolean) else "solutions")
    media = job.graph_media if kind == "graph" else job.result_media
    if media is None:
        return QueryAnswer(kind=kind, media="")   # the caller answers 406
    try:
        if media == ROWS:
            return QueryAnswer(kind=kind, media=ROWS, rows=_rows(results, job.max_rows))
        buf = io.BytesIO()
        if isinstance(results, ox.QueryTriples):
            fmt = GRAPH_FORMATS[media]
            if fmt.supports_datasets:
                ox.serialize((ox.Quad(t.subject, t.predicate, t.object) for t in results), buf, fmt,
                             prefixes=dict(prefixes))
            else:
                ox.serialize(results, buf, fmt, prefixes=dict(prefixes))
        else:
            results.serialize(buf, RESULT_FORMATS[media])
    except (OSError, ValueError, SyntaxError) as e:   # an evaluation error found while iterating
        raise QueryError(f"the query failed: {e}") from None
    return QueryAnswer(kind=kind, media=media, body=buf.getvalue())


def _term(t: Any) -> Any:
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return ("iri", t.value)
    if isinstance(t, ox.BlankNode):
        return ("bnode", t.value)
    if isinstance(t, ox.Literal):
        return ("literal", t.value, t.language, t.datatype.value)
    return ("other", str(t))


def _rows(results: Any, max_rows: int) -> tuple[tuple[str, ...], tuple[tuple[Any, ...], ...], bool]:
    if isinstance(results, ox.QueryBoolean):
        return ("boolean",), ((("literal", "true" if bool(results) else "false", None, ""),),), False
    if isinstance(results, ox.QueryTriples):
        names: tuple[str, ...] = ("subject", "predicate", "object")
        source: Iterator[tuple[Any, ...]] = ((t.subject, t.predicate, t.object) for t in results)
    else:
        names = tuple(v.value for v in results.variables)
        source = (tuple(row) for row in results)
    rows: list[tuple[Any, ...]] = []
    truncated = False
    for row in source:
        if max_rows and len(rows) >= max_rows:
            truncated = True
            break
        rows.append(tuple(_term(t) for t in row))
    return names, tuple(rows), truncated


# -- the reader-writer lock ------------------------------------------------------------------------
class ReadWriteLock:
    """Many readers or one writer; a waiting writer holds back new readers (no writer starvation)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._waiting_writers = 0

    @contextlib.contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writer or self._waiting_writers:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._waiting_writers += 1
            try:
                while self._writer or self._readers:
                    self._cond.wait()
            finally:
                self._waiting_writers -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


# -- runners ---------------------------------------------------------------------------------------
class Runner:
    """Runs query jobs; writes go through :meth:`writing` so readers never see half a write."""

    timeout: float = 0.0

    def __init__(self) -> None:
        self.lock = ReadWriteLock()

    def run(self, job: QueryJob) -> QueryAnswer:
        raise NotImplementedError

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        with self.lock.write():
            yield
            self.changed()

    def changed(self) -> None:
        """The store was written to."""

    def close(self) -> None:
        """Stop the workers."""


class InProcessRunner(Runner):
    """Queries in the request thread, without a time limit."""

    def __init__(self, store: ox.Store, prefixes: Mapping[str, str]) -> None:
        super().__init__()
        self.store = store
        self.prefixes = dict(prefixes)

    def run(self, job: QueryJob) -> QueryAnswer:
        with self.lock.read():
            return run_query(self.store, job, self.prefixes)


def _vanished_files(e: BaseException) -> bool:
    text = str(e)
    return "IO error" in text or "No such file" in text or "Corruption" in text


def _worker_main(path: str, prefixes: dict[str, str], generation: Any, conn: mpc.Connection) -> None:
    """A worker process: read-only store, one job at a time, reopened after every write."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the server stops workers itself
    store: ox.Store | None = None
    seen = -1
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            if store is None or generation.value != seen:
                seen = generation.value
                store = None
                store = ox.Store.read_only(path)
            for attempt in range(3):
                try:
                    answer: Any = run_query(store, job, prefixes)
                    break
                except (OSError, RuntimeError) as e:
                    # the writer's background compaction may have removed files under this view
                    # (RocksDB reports "IO error: No such file" as a RuntimeError "Corruption"): reopen
                    if attempt == 2 or not (isinstance(e, OSError) or _vanished_files(e)):
                        raise
                    time.sleep(0.05 * (attempt + 1))   # let the compaction finish its file switch
                    store = ox.Store.read_only(path)
            conn.send(("ok", answer))
        except MawqifError as e:
            conn.send(("error", e.status, str(e)))
        except Exception as e:  # noqa: BLE001 - reported to the client as a 500
            conn.send(("error", 500, f"{type(e).__name__}: {e}"))


class _Worker:
    def __init__(self, ctx: Any, path: str, prefixes: dict[str, str], generation: Any) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(path, prefixes, generation, child),
                                daemon=True, name="mawqif-query-worker")
        self.proc.start()
        child.close()

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
        with contextlib.suppress(Exception):
            self.proc.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
        self.proc.join(2)
        if self.proc.is_alive():
            self.kill()
        with contextlib.suppress(Exception):
            self.conn.close()


class WorkerPool(Runner):
    """Queries in ``size`` worker processes over a read-only view of the store at ``path``."""

    def __init__(self, path: str | os.PathLike[str], prefixes: Mapping[str, str], *, size: int = 4,
                 timeout: float = 30.0) -> None:
        super().__init__()
        self.path = str(path)
        self.prefixes = dict(prefixes)
        self.timeout = timeout
        self.size = max(1, size)
        self._ctx = mp.get_context("spawn")
        self._generation = self._ctx.Value("l", 0)
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._all_lock = threading.Lock()
        self._closed = False
        for _ in range(self.size):
            self._add()

    def _add(self) -> None:
        if self._closed:
            return
        w = _Worker(self._ctx, self.path, self.prefixes, self._generation)
        with self._all_lock:
            self._all.add(w)
        self._idle.put(w)

    def _replace(self, w: _Worker) -> None:
        with self._all_lock:
            self._all.discard(w)
        w.kill()
        # a fresh worker is started in the background; the others go on serving meanwhile
        threading.Thread(target=self._add, daemon=True, name="mawqif-worker-restart").start()

    def changed(self) -> None:
        with self._generation.get_lock():
            self._generation.value += 1

    def run(self, job: QueryJob) -> QueryAnswer:
        deadline = time.monotonic() + self.timeout
        with self.lock.read():
            try:
                w = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise ServerBusyError(f"the server is busy: no query worker became free within "
                                      f"{self.timeout:g} s; try again later") from None
            try:
                w.conn.send(job)
                if not w.conn.poll(max(0.0, deadline - time.monotonic())):
                    self._replace(w)
                    raise QueryTimeoutError(f"the query ran past the time limit of {self.timeout:g} s "
                                            "and was stopped")
                reply = w.conn.recv()
            except (EOFError, OSError, BrokenPipeError):
                self._replace(w)
                raise MawqifError("the query worker died; try again") from None
            except BaseException:
                if w in self._all and not w.proc.is_alive():
                    self._replace(w)
                raise
            self._idle.put(w)
        if reply[0] == "ok":
            answer: QueryAnswer = reply[1]
            return answer
        _, status, message = reply
        err = QueryError(message) if status == 400 else MawqifError(message)
        err.status = status
        raise err

    def close(self) -> None:
        self._closed = True
        with self._all_lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.stop()

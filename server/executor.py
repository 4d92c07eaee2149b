"""Running SPARQL queries with a time limit that really stops them, while writes go on.

pyoxigraph cannot cancel a running query, so a query that must be stoppable runs in a worker
process (:class:`WorkerPool`): each worker runs queries on a read-only view of the store, *serialises
the whole answer*, then sends the bytes back. The request thread waits at most the time limit; past
it the worker is killed (SIGKILL: the query does not run on), a fresh worker takes its place, and
the client gets a JSON error, never a 200 with a truncated body.

Writes happen only in the server process, which holds the store for writing, and never wait for
queries. A read-only RocksDB view is a snapshot of the store's files as they were when it was
opened, so what matters is *when* a view is opened: never during a write (a write is a bulk load
then the commit records, so a view opened in between would show articles without their commit
record). The reader-writer lock (:class:`ReadWriteLock`) therefore covers the opening of a view
(tens of ms) and each write, not the queries: a worker whose view is older than the last completed
write opens a new one before its next query, so it sees every write answered before the query was
sent and nothing of a write still running. The writer's background compactions may remove files
under an open view; the worker then reports the view stale, and the job runs again on a new one.
Concurrent ``POST /api/articles`` requests share one store write (:class:`GroupCommit`).

:class:`InProcessRunner` runs queries in the calling thread (no time limit): for an in-memory
store, or ``--timeout 0``; there queries hold the read side for their whole run.
"""
from __future__ import annotations

import contextlib
import io
import multiprocessing as mp
import multiprocessing.connection as mpc
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from graph_builder.errors import MawqifError, QueryError

if TYPE_CHECKING:
    from graph_builder.edge_index import Row as EdgeRow
    from graph_builder.ingest import ArticleSink

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
#: How much lower the CPU priority of query workers is than the server process's (``nice``): on a
#: busy machine the scheduler serves pages, explorer APIs and article writes before long queries.
WORKER_NICENESS = 10
#: The request header ``mawqif serve``'s dispatcher sets (overwriting any a client sent) to the
#: :func:`time.monotonic` at which a request was queued for a thread (WSGI: ``HTTP_MAWQIF_QUEUED_AT``).
QUEUED_AT_HEADER = "MAWQIF_QUEUED_AT"


def queue_wait(environ: Mapping[str, Any], now: float | None = None) -> float:
    """Seconds a request waited for a thread, from the dispatcher's header (0 without it; a value
    in the future, which only a client could send where no dispatcher sets it, counts 0).

    >>> queue_wait({"HTTP_MAWQIF_QUEUED_AT": "100.5"}, now=103.0), queue_wait({}, now=1.0)
    (2.5, 0.0)
    """
    try:
        queued = float(environ.get("HTTP_" + QUEUED_AT_HEADER, ""))
    except ValueError:
        return 0.0
    return max(0.0, (time.monotonic() if now is None else now) - queued)


class QueryTimeoutError(MawqifError):
    """A query ran past the time limit and was stopped."""

    status = 503


class QueryMemoryError(MawqifError):
    """A query needed more memory than a query worker may use, and was stopped."""

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
    waited: float = 0.0                             # seconds the request already waited for a thread:
    #                                                 the time limit counts from its arrival


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
    """Many readers or one writer, granted in arrival order, so neither side starves.

    A writer waits for the readers ahead of it; readers that come after a waiting writer wait for
    it; readers queued behind a writer all enter together when it is done. ``read`` takes a
    time-out (``ServerBusyError`` past it).
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._queue: deque[list[Any]] = deque()   # waiters: [is_writer, granted]

    def _grant(self) -> None:
        while self._queue and not self._writer:
            head = self._queue[0]
            if head[0]:
                if self._readers:
                    break
                self._writer = True
            else:
                self._readers += 1
            head[1] = True
            self._queue.popleft()
        self._cond.notify_all()

    def _acquire(self, writer: bool, timeout: float | None) -> bool:
        with self._cond:
            me = [writer, False]
            self._queue.append(me)
            self._grant()
            if self._cond.wait_for(lambda: me[1], timeout):
                return True
            self._queue.remove(me)
            self._grant()
            return False

    def _release(self, writer: bool) -> None:
        with self._cond:
            if writer:
                self._writer = False
            else:
                self._readers -= 1
            self._grant()

    @contextlib.contextmanager
    def read(self, timeout: float | None = None) -> Iterator[None]:
        if not self._acquire(False, timeout):
            raise ServerBusyError("the server is busy writing; try again later")
        try:
            yield
        finally:
            self._release(False)

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        self._acquire(True, None)
        try:
            yield
        finally:
            self._release(True)


# -- runners ---------------------------------------------------------------------------------------
class Runner:
    """Runs query jobs; writes go through :meth:`writing` so readers never see half a write."""

    timeout: float = 0.0

    def __init__(self) -> None:
        self.lock = ReadWriteLock()
        self.generation = 0   # completed writes (for the worker processes' views)
        #: called at the end of each write, still exclusive (the server: ``Store.bound_log``, so that
        #: the write-ahead log a worker's view replays when it opens stays short after any write,
        #: not only article writes, which bound it themselves)
        self.after_write: Callable[[], object] | None = None

    def run(self, job: QueryJob) -> QueryAnswer:
        raise NotImplementedError

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Exclusive: no other write and no reader of the kind the runner guards (see its class)."""
        with self.lock.write():
            try:
                yield
            finally:   # even a failed write may have changed something
                self.generation += 1
                if self.after_write is not None:
                    with contextlib.suppress(MawqifError):   # the write itself is done and durable
                        self.after_write()

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """For reads in the server process: hold this while *calling* ``query`` or ``quads_for_pattern``
        on the store (pyoxigraph takes its snapshot then; the results may be read afterwards): the
        snapshot then shows the store between two writes, never an article without its commit
        record. Waits at most the query time limit for a write to finish."""
        with self.lock.read(timeout=self.timeout or None):
            yield

    def close(self) -> None:
        """Stop the workers."""


class InProcessRunner(Runner):
    """Queries in the request thread, without a time limit.

    Each query holds the read side of the lock for its whole run: a query in the process that
    writes sees the store as it is, and a write (bulk load, then commit records) is not one
    transaction, so writes wait for running queries here.
    """

    def __init__(self, store: ox.Store, prefixes: Mapping[str, str]) -> None:
        super().__init__()
        self.store = store
        self.prefixes = dict(prefixes)

    def run(self, job: QueryJob) -> QueryAnswer:
        with self.lock.read():
            return run_query(self.store, job, self.prefixes)


def _vanished_files(e: BaseException) -> bool:
    """A RocksDB error from files removed under a read-only view (compaction), not a real fault:
    ``Corruption: IO error: No such file or directory: While open a file for random read: …/000042.sst``."""
    return isinstance(e, FileNotFoundError) or "No such file or directory" in str(e)


def _version_files(path: str) -> tuple[str, int, int]:
    """(MANIFEST name, size, mtime) of the store: RocksDB appends to the MANIFEST before it removes a
    file (a flushed WAL, a compacted SST), so the same state before and after an open means no flush
    or compaction was installed meanwhile. No ``CURRENT``: not a store (``FileNotFoundError``)."""
    with open(os.path.join(path, "CURRENT"), encoding="ascii") as f:
        manifest = f.read().strip()
    try:
        st = os.stat(os.path.join(path, manifest))
    except FileNotFoundError:   # replaced by a new MANIFEST meanwhile: differs from the next look
        return manifest, -1, -1
    return manifest, st.st_size, st.st_mtime_ns


#: tries of a worker to open a view while the writer's background work changes the store's files
OPEN_TRIES = 20


def open_view(path: str) -> tuple[ox.Store, int]:
    """A read-only view of the store at ``path``, opened while its files stood still, and the number
    of opens thrown away first.

    The caller guarantees that no write runs meanwhile (the read side of the server's lock); the
    writer's background flushes and compactions may still run, so an open that overlapped one (the
    MANIFEST moved) or tripped over a file it removed is thrown away and done again.
    """
    last: BaseException | None = None
    for attempt in range(OPEN_TRIES):
        before = _version_files(path)
        try:
            view = ox.Store.read_only(path)
        except (OSError, RuntimeError) as e:
            if not _vanished_files(e):
                raise
            last = e
        else:
            if before[1] >= 0 and _version_files(path) == before:
                return view, attempt
            del view
        time.sleep(0.005 * min(attempt + 1, 4))
    raise ServerBusyError(f"the store's files kept changing while a query worker opened it; try again "
                          f"({last or 'the MANIFEST moved on every try'})")


def _worker_main(path: str, prefixes: dict[str, str], conn: mpc.Connection, memory_limit: int = 0) -> None:
    """A worker process: opens a read-only view when told to, runs jobs on it.

    ``memory_limit`` (bytes, 0: none) caps the process's data (``RLIMIT_DATA``): a query that needs
    more (a cross product that Oxigraph joins in memory) makes the allocation fail, and the worker
    aborts or reports a ``MemoryError``; either way the client gets a 503 (:class:`QueryMemoryError`).

    Says ``("ready",)`` once started. Messages: ``("open",)`` → ``("opened", opens thrown away)``;
    ``("job", QueryJob)`` → ``("ok", QueryAnswer)``, ``("error", status, message)``, or
    ``("stale", message)`` when files vanished under the view (the server reopens it and sends the
    job again); ``None`` → exit.
    """
    if threading.current_thread() is threading.main_thread():   # (a thread in the tests)
        signal.signal(signal.SIGINT, signal.SIG_IGN)   # the server stops workers itself
        if memory_limit > 0:
            import resource
            resource.setrlimit(resource.RLIMIT_DATA, (memory_limit, memory_limit))
        with contextlib.suppress(OSError):
            os.nice(WORKER_NICENESS)   # pages, explorer APIs and writes (in the server process) go first
    store: ox.Store | None = None
    try:
        conn.send(("ready",))
    except OSError:
        return
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return   # the server is gone
        if msg is None:
            return
        try:
            if msg[0] == "open":
                store = None   # close the old view first (memory, file handles)
                store, retried = open_view(path)
                conn.send(("opened", retried))
                continue
            if store is None:
                conn.send(("stale", "no view open"))
                continue
            try:
                answer = run_query(store, msg[1], prefixes)
            except (OSError, RuntimeError) as e:
                if not _vanished_files(e):
                    raise
                store = None
                conn.send(("stale", f"{type(e).__name__}: {e}"))
                continue
            conn.send(("ok", answer))
        except MawqifError as e:
            conn.send(("error", e.status, str(e)))
        except MemoryError:
            conn.send(("memory",))
        except Exception as e:  # noqa: BLE001 - reported to the client as a 500
            conn.send(("error", 500, f"{type(e).__name__}: {e}"))


class _Worker:
    def __init__(self, ctx: Any, path: str, prefixes: dict[str, str], memory_limit: int = 0) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(path, prefixes, child, memory_limit),
                                daemon=True, name="mawqif-query-worker")
        self.proc.start()
        child.close()
        self.generation = -1   # the writes its view includes (-1: no view)

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


class _Handout:
    """Idle workers, handed to waiting requests in arrival order (a ``queue.Queue`` lets a thread that
    comes back at once take a worker before one that has waited, so a request could starve)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._idle: deque[_Worker] = deque()
        self._waiting: deque[list[Any]] = deque()   # [worker or None]

    def put(self, w: _Worker) -> None:
        with self._cond:
            if self._waiting:
                self._waiting.popleft()[0] = w
                self._cond.notify_all()
            else:
                self._idle.append(w)

    def get(self, timeout: float) -> _Worker | None:
        with self._cond:
            if self._idle and not self._waiting:   # the one whose view is newest: the least to reopen
                best = max(self._idle, key=lambda w: w.generation)
                self._idle.remove(best)
                return best
            me: list[Any] = [None]
            self._waiting.append(me)
            if not self._cond.wait_for(lambda: me[0] is not None, timeout):
                self._waiting.remove(me)
                return None
            w: _Worker = me[0]
            return w


class _Stopped(MawqifError):
    """The worker was killed (time limit) or died; it has been replaced."""


#: times a job is sent again after files vanished under a worker's view
STALE_RETRIES = 5
#: seconds a new worker may take to start
STARTUP_LIMIT = 120.0


class WorkerPool(Runner):
    """Queries in ``size`` worker processes, each on a read-only view of the store at ``path``.

    Writes never wait for queries. The lock's read side covers only the opening of a view (tens of
    ms), so a view always shows the store between two writes, never during one; a worker whose view
    is older than the last completed write opens a new one before its next query, so a query sees
    every write answered before it was sent.
    """

    def __init__(self, path: str | os.PathLike[str], prefixes: Mapping[str, str], *, size: int = 4,
                 timeout: float = 30.0, context: Any = None, memory_limit: int = 0) -> None:
        """``context``: where workers run, a :mod:`multiprocessing` context (``spawn`` by default;
        the tests pass one that runs them as threads, to make files vanish under a view on cue).
        ``memory_limit``: bytes of data a worker may hold (0: no limit; see :func:`_worker_main`)."""
        super().__init__()
        self.memory_limit = memory_limit
        self.path = str(path)
        self.prefixes = dict(prefixes)
        self.timeout = timeout
        self.size = max(1, size)
        # for tests and benchmarks: views opened, opens done again because the files moved meanwhile,
        # and jobs run again because files vanished under a view
        self.opened = self.open_retries = self.reopened = 0
        self._ctx = context or mp.get_context("spawn")
        self._idle = _Handout()
        self._all: set[_Worker] = set()
        self._all_lock = threading.Lock()
        self._closed = False
        for _ in range(self.size):   # started together; each joins the pool once it has started
            threading.Thread(target=self._add, daemon=True, name="mawqif-worker-start").start()

    def _add(self) -> None:
        """Start a worker and give it to the pool once it says it is ready (a spawned Python takes a
        second or more to start on a busy machine: not time a request should wait for, holding the
        lock while its view opens)."""
        while not self._closed:
            w = _Worker(self._ctx, self.path, self.prefixes, self.memory_limit)
            with self._all_lock:
                self._all.add(w)
            try:
                ready = w.conn.poll(STARTUP_LIMIT) and w.conn.recv() == ("ready",)
            except (EOFError, OSError):
                ready = False
            if ready and not self._closed:
                self._idle.put(w)
                return
            with self._all_lock:
                self._all.discard(w)
            w.kill()
            if not self._closed:
                time.sleep(1.0)   # it died starting: try again, not in a tight loop

    def _replace(self, w: _Worker) -> None:
        with self._all_lock:
            self._all.discard(w)
        w.kill()
        # a fresh worker is started in the background; the others go on serving meanwhile
        threading.Thread(target=self._add, daemon=True, name="mawqif-worker-restart").start()

    def _ask(self, w: _Worker, msg: tuple[Any, ...], deadline: float) -> tuple[Any, ...]:
        """Send ``msg`` and wait for the answer until ``deadline``; past it the worker is killed."""
        try:
            w.conn.send(msg)
            if not w.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(w)
                raise _Stopped("timeout")
            reply: tuple[Any, ...] = w.conn.recv()
        except (EOFError, OSError):
            with contextlib.suppress(Exception):
                w.proc.join(1)   # to read how it ended
            aborted = self.memory_limit > 0 and getattr(w.proc, "exitcode", None) == -signal.SIGABRT
            self._replace(w)
            raise _Stopped("aborted" if aborted else "died") from None
        if reply == ("memory",):
            self._replace(w)   # (what the failed allocation left behind goes with the process)
            raise _Stopped("memory")
        return reply

    def _open(self, w: _Worker, deadline: float) -> None:
        """Have ``w`` open a view of the store as the last completed write left it."""
        with self.lock.read(timeout=max(0.0, deadline - time.monotonic())):
            generation = self.generation   # cannot move while the read side is held
            w.generation = -1
            reply = self._ask(w, ("open",), deadline)
        if reply[0] != "opened":
            self._raise(reply)
        w.generation = generation
        self.opened += 1
        self.open_retries += reply[1]

    @staticmethod
    def _raise(reply: tuple[Any, ...]) -> None:
        _, status, message = reply
        err = QueryError(message) if status == 400 else MawqifError(message)
        err.status = status
        raise err

    def _run_on(self, w: _Worker, job: QueryJob, deadline: float) -> tuple[Any, ...]:
        for _ in range(STALE_RETRIES + 1):
            if w.generation != self.generation:
                self._open(w, deadline)
            reply = self._ask(w, ("job", job), deadline)
            if reply[0] != "stale":
                return reply
            w.generation = -1   # the worker dropped its view: open a new one and run the job again
            self.reopened += 1
        raise ServerBusyError(f"the store's files changed under the query {STALE_RETRIES + 1} times "
                              f"({reply[1]}); try again")

    def run(self, job: QueryJob) -> QueryAnswer:
        deadline = time.monotonic() + self.timeout - min(max(job.waited, 0.0), self.timeout)
        w = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        if w is None:
            raise ServerBusyError(f"the server is busy: no query worker became free within the time limit "
                                  f"({self.timeout:g} s from the request's arrival); try again later")
        keep = True   # give w back to the pool (not when it was killed and replaced)
        try:
            reply = self._run_on(w, job, deadline)
        except _Stopped as e:
            keep = False
            if str(e) == "memory":
                raise QueryMemoryError(f"the query needed more memory than a query may use "
                                       f"({self.memory_limit >> 20} MB) and was stopped") from None
            if str(e) == "aborted":   # what an allocation past the limit does in Oxigraph (Rust)
                raise QueryMemoryError(f"the query's worker aborted, most likely because the query needed more "
                                       f"memory than a query may use ({self.memory_limit >> 20} MB); if it "
                                       "should not, try again") from None
            if str(e) == "timeout":
                raise QueryTimeoutError(f"the query ran past the time limit of {self.timeout:g} s (counted from "
                                        "the request's arrival) and was stopped") from None
            raise MawqifError("the query worker died; try again") from None
        finally:
            if keep:
                if w.proc.is_alive():
                    self._idle.put(w)
                else:
                    self._replace(w)
        if reply[0] == "ok":
            answer: QueryAnswer = reply[1]
            return answer
        self._raise(reply)
        raise AssertionError("unreachable")

    def close(self) -> None:
        self._closed = True
        with self._all_lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.stop()


# -- writing articles ------------------------------------------------------------------------------
class _Pending:
    def __init__(self, articles: Sequence[tuple[str, bytes]], shared: bytes,
                 edges: Iterable[EdgeRow] | None) -> None:
        self.articles = articles
        self.shared = shared
        self.edges = None if edges is None else list(edges)
        self.done = False
        self.error: BaseException | None = None


class GroupCommit:
    """The article sink of ``POST /api/articles``: concurrent requests share one store write.

    Each request extracts its articles on its own (no lock held); what is ready to be stored is
    queued, and the first request to get the write side stores everything queued at that moment
    in one :meth:`Store.replace_serialized` (one bulk load, then all the commit records), inside
    :meth:`Runner.writing`. Requests that queued meanwhile find their articles stored when their
    turn comes. An article is never in one write twice (a later version waits for the next write),
    so the later of two versions posted wins.
    """

    def __init__(self, store: ArticleSink, runner: Runner, *, max_articles: int = 500) -> None:
        self.store = store
        self.runner = runner
        self.max_articles = max_articles
        self.writes = 0   # store writes made (for tests and benchmarks)
        self._queue: deque[_Pending] = deque()
        self._cond = threading.Condition()
        self._busy = False   # a request is writing

    def article_hashes(self, graphs: Sequence[str]) -> dict[str, str]:
        return self.store.article_hashes(graphs)

    def _take(self) -> list[_Pending]:
        """The queued requests for the next write (called with the condition held)."""
        batch: list[_Pending] = []
        graphs: set[str] = set()
        count = 0
        while self._queue:
            p = self._queue[0]
            names = {g for g, _ in p.articles}
            if batch and (names & graphs or count + len(p.articles) > self.max_articles):
                break
            batch.append(self._queue.popleft())
            graphs |= names
            count += len(p.articles)
        return batch

    def _write(self, batch: list[_Pending]) -> None:
        error: BaseException | None = None
        articles = [a for p in batch for a in p.articles]
        shared = b"".join(p.shared for p in batch)
        counted = all(p.edges is not None for p in batch)   # else the store counts them itself
        try:
            with self.runner.writing():
                try:
                    if counted:
                        self.store.replace_serialized(articles, shared, [r for p in batch for r in p.edges or ()])
                    else:
                        self.store.replace_serialized(articles, shared)
                except BaseException:
                    # a failed write (a full disk) may leave article graphs without their commit
                    # record: remove them now, as opening the store would, before a view sees them
                    recover = getattr(self.store, "recover", None)
                    if recover is not None:
                        with contextlib.suppress(Exception):
                            recover()
                    raise
            self.writes += 1
        except BaseException as e:  # every request of the batch gets the error
            error = e
        with self._cond:
            for p in batch:
                p.error, p.done = error, True
            self._cond.notify_all()

    def replace_serialized(self, articles: Sequence[tuple[str, bytes]], shared: bytes = b"",
                           edges: Iterable[EdgeRow] | None = None) -> None:
        mine = _Pending(articles, shared, edges)
        with self._cond:
            self._queue.append(mine)
            while not mine.done and self._busy:
                self._cond.wait()
            leader = not mine.done
            self._busy = self._busy or leader
        if leader:   # write what is queued until this request's own articles are stored
            try:
                while not mine.done:
                    with self._cond:
                        batch = self._take()
                    self._write(batch)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
        if mine.error is not None:
            raise mine.error

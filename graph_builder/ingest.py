"""Ingest: articles → extraction → quads → store, in batches (the library behind ``mawqif ingest``).

The pipeline: the reader (this process) reads articles, skips those stored unchanged, and hands
chunks of the others to the extractors (:func:`graph_builder.parallel.extract_chunk`, in this
process or in ``workers`` processes), which return each article's graph as N-Quads; the one
writer (this process) bulk-loads them in batches with the store's commit protocol. At most a
fixed window of chunks is in flight and one batch is held, so memory is bounded whatever the size
of the corpus; results come back in input order, so the store ends the same with any number of
workers.
"""
from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import multiprocessing
import os
import queue
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from graph_builder import terms
from graph_builder.edge_index import Row as EdgeRow
from graph_builder.errors import InputError, MawqifError, StoreError
from graph_builder.model import Article
from graph_builder.parallel import ChunkResult, Extracted, extract_chunk, warm
from graph_builder.quads import article_iri, content_hash


def extraction_time(record: bool = False) -> str | None:
    """The ``prov:endedAtTime`` an ingest records (xsd:dateTime text), or None for none.

    None by default, so that the store and its export are a function of the input alone;
    ``$SOURCE_DATE_EPOCH`` when set (reproducible); the current time when ``record`` is asked for.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise InputError(f"must be a whole number of seconds since 1970, got {epoch!r}",
                             field="SOURCE_DATE_EPOCH") from None
    elif record:
        when = dt.datetime.now(dt.timezone.utc)
    else:
        return None
    return when.replace(microsecond=0).isoformat().replace("+00:00", "Z")


#: Articles written to the store in one bulk load.
BATCH_SIZE = 500
#: Articles handed to an extractor at a time.
CHUNK_SIZE = 20


@dataclass
class IngestReport:
    """What one ingest did; ``errors`` are reported, not raised, so good articles still land."""

    stored: int = 0
    unchanged: int = 0
    stances: int = 0
    quads: int = 0
    errors: list[MawqifError] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def read(self) -> int:
        return self.stored + self.unchanged + len(self.errors)

    def summary(self, through: str | None = None) -> str:
        """One line: what was read and stored (``through`` names the server an ingest went through)."""
        rate = self.read / self.seconds if self.seconds > 0 else 0.0
        parts = [f"{self.stored} stored"]
        if self.unchanged:
            parts.append(f"{self.unchanged} unchanged")
        if self.errors:
            parts.append(f"{len(self.errors)} failed")
        via = f" through {through}" if through else ""
        quads = f", {self.quads} quads" if not through else ""
        return (f"ingested {self.read} article{'s' if self.read != 1 else ''}{via} ({', '.join(parts)}): "
                f"{self.stances} stances{quads} in {self.seconds:.2f} s ({rate:.0f} articles/s)")


class ArticleSink(Protocol):
    """What ingest writes to: the embedded :class:`~graph_builder.store.Store` or a SPARQL endpoint."""

    def article_hashes(self, graphs: Sequence[str]) -> dict[str, str]: ...

    def replace_serialized(self, articles: Sequence[tuple[str, bytes]], shared: bytes = b"",
                           edges: Iterable[EdgeRow] | None = None) -> None: ...


class _Done:
    """A finished "future" for the in-process extractor."""

    def __init__(self, value: ChunkResult) -> None:
        self._value = value

    def result(self) -> ChunkResult:
        return self._value


def _decrement(counts: dict[str, int], key: str) -> None:
    left = counts.get(key, 0) - 1
    if left > 0:
        counts[key] = left
    else:
        counts.pop(key, None)


#: A batch for the writer: (article IRI, N-Quads) pairs, entity descriptions, edge-index rows.
_Batch = tuple[list[tuple[str, bytes]], bytes, "list[EdgeRow] | None"]


class _Writer:
    """The one writer: stores batches in a thread of its own, one batch queued at most.

    Bulk loading releases the GIL, so reading and dispatching go on while a batch is written.
    An article stays "pending" until its batch is written, so the reader never trusts the
    store's hash of an article that is on its way there.
    """

    def __init__(self, store: ArticleSink, pending: dict[str, int], lock: threading.Lock) -> None:
        self.store = store
        self.pending = pending
        self.lock = lock
        self.queue: queue.Queue[_Batch | None] = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="mawqif-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                return
            if self.error is not None:
                continue
            articles, shared, edges = item
            try:
                self.store.replace_serialized(articles, shared, edges)
            except BaseException as e:  # handed to the reader, which raises it
                self.error = e
                continue
            with self.lock:
                for g, _ in articles:
                    _decrement(self.pending, g)

    def _check(self) -> None:
        if self.error is not None:
            raise self.error

    def put(self, articles: list[tuple[str, bytes]], shared: bytes, edges: list[EdgeRow] | None) -> None:
        self._check()
        self.queue.put((articles, shared, edges))

    def finish(self) -> None:
        """Wait until every batch is written; raise the writer's error, if any."""
        self.queue.put(None)
        self.thread.join()
        self._check()

    def stop(self) -> None:
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()


def _chunks(items: Iterable[Article | InputError], size: int) -> Iterator[list[Article | InputError]]:
    chunk: list[Article | InputError] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _executor(workers: int) -> cf.ProcessPoolExecutor:
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    return cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=warm)


def ingest(store: ArticleSink, items: Iterable[Article | InputError], *, base: str = terms.DEFAULT_BASE,
           generated_at: str | None = None, batch_size: int = BATCH_SIZE, workers: int = 1,
           chunk_size: int = CHUNK_SIZE,
           on_progress: Callable[[IngestReport], None] | None = None,
           on_error: Callable[[MawqifError], None] | None = None) -> IngestReport:
    """Extract and store every good article; collect an error for each bad one.

    An article whose content (and the software version) is unchanged since it was stored is
    left as it is, so ingesting the same input twice leaves the store byte-for-byte the same.
    ``workers`` > 1 extracts in that many processes; what is stored is the same as with one.
    """
    if workers < 1:
        raise MawqifError(f"workers must be at least 1, not {workers}")
    report = IngestReport()
    t0 = time.perf_counter()
    run = uuid.uuid4().hex
    window = 2 * workers + 1
    inflight: deque[tuple[cf.Future[ChunkResult] | _Done, list[Article | InputError]]] = deque()
    #: articles read but not yet written (graph IRI → times): the store cannot tell about them yet
    pending: dict[str, int] = {}
    lock = threading.Lock()
    batch: dict[str, bytes] = {}
    batch_edges: dict[str, tuple[EdgeRow, ...] | None] = {}
    batch_shared: list[bytes] = []
    executor = _executor(workers) if workers > 1 else None
    writer = _Writer(store, pending, lock)

    def fail(err: MawqifError) -> None:
        report.errors.append(err)
        if on_error:
            on_error(err)

    def flush() -> None:
        if batch or batch_shared:
            counted = all(rows is not None for rows in batch_edges.values())
            edges = [r for rows in batch_edges.values() for r in rows or ()] if counted else None
            writer.put(list(batch.items()), b"".join(batch_shared), edges)
            batch.clear()
            batch_edges.clear()
            batch_shared.clear()

    def _unpend(g: str) -> None:
        with lock:
            _decrement(pending, g)

    def take(result: ChunkResult, chunk: list[Article | InputError]) -> None:
        if result.shared:
            batch_shared.append(result.shared)
        for r, item in zip(result.results, chunk, strict=True):
            if isinstance(r, Extracted):
                if r.graph in batch:  # the same article twice in one batch: the later wins
                    del batch[r.graph]
                    _unpend(r.graph)
                batch[r.graph] = r.body
                batch_edges[r.graph] = r.edges
                report.stored += 1
                report.stances += r.stances
                report.quads += r.quads
                if len(batch) >= batch_size:
                    flush()
            else:
                if isinstance(item, Article):
                    _unpend(article_iri(item, base).value)
                fail(r.error())
        report.seconds = time.perf_counter() - t0
        if on_progress:
            on_progress(report)

    def submit(chunk: list[Article | InputError]) -> None:
        if executor is None:
            inflight.append((_Done(extract_chunk(chunk, run=run, base=base, generated_at=generated_at)),
                             chunk))
        else:
            inflight.append((executor.submit(extract_chunk, chunk, run=run, base=base,
                                             generated_at=generated_at), chunk))
        while len(inflight) >= window:
            future, done_chunk = inflight.popleft()
            take(future.result(), done_chunk)

    # the embedded store sums what the whole run changes in its edge index, and applies it at the end
    deferred = getattr(store, "deferred_index", None)
    with deferred() if deferred is not None else contextlib.nullcontext():
        try:
            for chunk in _chunks(items, chunk_size):
                todo: list[Article | InputError] = []
                keys: dict[str, str] = {}
                for item in chunk:
                    if isinstance(item, Article):
                        keys[article_iri(item, base).value] = content_hash(item)
                with lock:
                    ask = [g for g in keys if g not in pending]
                stored = store.article_hashes(ask) if ask else {}
                for item in chunk:
                    if isinstance(item, MawqifError) and not isinstance(item, InputError):
                        fail(item)
                        continue
                    if isinstance(item, Article):
                        g = article_iri(item, base).value
                        with lock:
                            if g not in pending and stored.get(g) == keys[g]:
                                report.unchanged += 1
                                continue
                            pending[g] = pending.get(g, 0) + 1
                    todo.append(item)
                if todo:
                    submit(todo)
            while inflight:
                future, done_chunk = inflight.popleft()
                take(future.result(), done_chunk)
            flush()
            writer.finish()
        except cf.BrokenExecutor as e:   # (BrokenProcessPool; cf.process is only imported with workers)
            raise StoreError(f"an extraction worker died: {e}") from None
        finally:
            writer.stop()
            if executor is not None:
                executor.shutdown(wait=True, cancel_futures=True)
    report.seconds = time.perf_counter() - t0
    if on_progress:
        on_progress(report)
    return report

"""The on-disk Oxigraph store: the only module that reads and writes the graph.

One :class:`Store` is opened per process. Articles are written by
:meth:`Store.replace_articles`, which keeps the contract's promise that an article is stored whole
or not at all: the bulk of each article's quads is loaded with Oxigraph's bulk loader (fast, but
not atomic), and the article's own ``<article> a mq:Article`` quad, its commit record, is added
last in a transaction. On opening for writing, any article graph without its commit record (left
by a crash mid-load) is removed, so it reads as absent and a new ingest completes it; so are the
files of a bulk load the crash interrupted.

    >>> import tempfile
    >>> with Store(tempfile.mkdtemp()) as store:
    ...     store.stats().triples
    0
"""
from __future__ import annotations

import contextlib
import json
import os
import pathlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

import pyoxigraph as ox

from graph_builder import terms
from graph_builder.edge_index import EdgeIndex, Tally, merge_into, rows_of_quads, tally
from graph_builder.edge_index import Row as EdgeRow
from graph_builder.errors import QueryError, StoreError, StoreLockedError
from graph_builder.export import EXPORT_FORMATS as EXPORT_FORMATS  # re-exported (cli, server)
from graph_builder.export import export_store

#: Article batches up to this many bytes of N-Quads are written in one transaction, larger ones
#: bulk-loaded (bodies first, then the commit records in a transaction). ``$MAWQIF_TRANSACTION_BYTES``
#: changes it (0: always bulk-load; the crash tests use it to kill a server mid bulk load).
TRANSACTION_BYTES = int(os.environ.get("MAWQIF_TRANSACTION_BYTES", 1 << 20))

#: Past this many bytes of write-ahead log, :meth:`Store.bound_log` flushes the store's memory tables
#: (after which the log is no longer needed). A read-only view (the server's query workers) replays
#: the whole log when it opens: at 180 MB that took 3.7 s on a quiet machine, and the server's
#: small transactional writes (about 360 KB of log per article) would grow it without end.
LOG_FLUSH_BYTES = 16 << 20

#: File in the store folder that names the process holding the store for writing.
HOLDER_FILE = "mawqif-holder.json"

RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}


@dataclass(frozen=True)
class Stats:
    articles: int
    stances: int
    entities: int
    triples: int
    graphs: int


@dataclass(frozen=True)
class ArticleGraph:
    """The quads of one article, ready to store: its graph name and what goes in it."""

    graph: ox.NamedNode
    quads: tuple[ox.Quad, ...]
    #: quads for graphs other than the article's own (entity descriptions), merged idempotently
    shared: tuple[ox.Quad, ...] = ()
    #: its stances counted for the edge index (None: count them from ``quads``)
    edges: tuple[EdgeRow, ...] | None = None


class _PendingIndex:
    """What article writes inside :meth:`Store.deferred_index` changed, not yet in the edge index."""

    def __init__(self) -> None:
        self.removed: Tally = {}
        self.added: Tally = {}
        self.graphs: set[str] = set()

    def add(self, removed: Tally, added: Tally, graphs: Sequence[ox.NamedNode]) -> None:
        merge_into(self.removed, removed)   # in place: a run is long
        merge_into(self.added, added)
        self.graphs.update(g.value for g in graphs)


def _holder_message(path: pathlib.Path) -> str:
    holder: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError):
        holder = json.loads((path / HOLDER_FILE).read_text(encoding="utf-8"))
    pid = holder.get("pid")
    who = f"process {pid} ({holder.get('command', 'mawqif')})" if pid else "another process"
    hint = "stop it, or wait for it to finish"
    if holder.get("url"):
        hint = (f"it serves {holder['url']}: query it there, or ingest through it with "
                f"--server {holder['url']}")
    return f"the store {path} is in use by {who}; {hint}"


def _os_hint(text: str) -> str:
    """A plain-words reason for a storage error from RocksDB's message, or nothing."""
    if "No space left on device" in text or "Disk quota exceeded" in text:
        return " (the disk is full: free some space, then run the command again)"
    if "Permission denied" in text or "Read-only file system" in text:
        return " (the store folder is not writable)"
    return ""


class Store:
    """An embedded on-disk Oxigraph store (or in memory when ``path`` is None)."""

    def __init__(self, path: str | os.PathLike[str] | None, *, read_only: bool = False,
                 base: str = terms.DEFAULT_BASE, command: str = "mawqif", url: str | None = None) -> None:
        self.path = pathlib.Path(path) if path is not None else None
        self.base = base
        self.read_only = read_only
        self._holder_written = False
        self._pending: _PendingIndex | None = None
        self._live_log = 0   # write-ahead log files numbered below this were flushed (bound_log)
        if self.path is None:
            self._store = ox.Store()
            self.edge_index = EdgeIndex(self._store, base)
            self.edge_index.rebuild()
            return
        try:
            if read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as e:
            text = str(e)
            if "lock" in text.lower() and _os_hint(text) == "":
                raise StoreLockedError(_holder_message(self.path)) from None
            if isinstance(e, (PermissionError, FileExistsError, NotADirectoryError)):
                raise StoreError(f"cannot open the store {self.path}: {e.strerror or e}") from None
            raise StoreError(f"cannot open the store {self.path}{_os_hint(text)}: {text}") from None
        self.edge_index = EdgeIndex(self._store, base)
        if not read_only:
            self._write_holder(command, url)
            self._remove_bulk_leftovers()
            self.recover()

    # -- lifecycle -------------------------------------------------------------------------------
    def _write_holder(self, command: str, url: str | None) -> None:
        assert self.path is not None
        info = {"pid": os.getpid(), "command": command, "url": url}
        with contextlib.suppress(OSError):
            (self.path / HOLDER_FILE).write_text(json.dumps(info), encoding="utf-8")
            self._holder_written = True

    def set_url(self, url: str) -> None:
        """Record the URL a server serves this store at, for the lock message of other processes."""
        if self.path is not None and not self.read_only:
            self._write_holder("mawqif serve", url)

    def close(self) -> None:
        if getattr(self, "_store", None) is None:
            return
        if not self.read_only:
            with contextlib.suppress(OSError):
                self._store.flush()
        if self._holder_written and self.path is not None:
            with contextlib.suppress(OSError):
                (self.path / HOLDER_FILE).unlink()
        del self.edge_index  # it holds the pyoxigraph store too
        del self._store
        self._store = None  # type: ignore[assignment]

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying :class:`pyoxigraph.Store` (for the server and tests)."""
        return self._store

    # -- writing ---------------------------------------------------------------------------------
    def _is_article_graph(self, g: ox.NamedNode | ox.BlankNode) -> bool:
        return isinstance(g, ox.NamedNode) and g.value.startswith(self.base + terms.INSTANCE_PATHS["article"])

    def _remove_bulk_leftovers(self) -> None:
        """Delete the files of a bulk load a crash interrupted (Oxigraph writes ``bulk-*.sst`` into the
        store folder, then moves them into the database): nothing refers to them, and only the holder
        of the store bulk-loads, so they are garbage once the store is ours."""
        assert self.path is not None
        with contextlib.suppress(OSError):
            for leftover in self.path.glob("bulk-*.sst"):
                with contextlib.suppress(OSError):
                    leftover.unlink()

    def recover(self) -> list[str]:
        """Remove article graphs whose commit record is missing (an interrupted load), and rebuild the
        edge index if it is missing or an update of it was interrupted."""
        removed = []
        for g in list(self._store.named_graphs()):
            if not self._is_article_graph(g):
                continue
            commit = ox.Quad(g, terms.RDF_TYPE, terms.MQ_ARTICLE, g)
            if commit not in self._store:
                self._store.remove_graph(g)
                removed.append(g.value)
        self.ensure_edge_index()
        return removed

    def ensure_edge_index(self) -> None:
        """Rebuild the edge index unless it is complete and no update of it was interrupted."""
        if not self.edge_index.is_sound():
            self.edge_index.rebuild()

    def _written(self, graphs: Sequence[ox.NamedNode], write: Callable[[], None],
                 added: Callable[[], list[EdgeRow]]) -> None:
        """Run ``write``, which replaces the given article graphs with the stances ``added`` lists, and
        keep the edge index exact: what the old graphs held is subtracted, what the new ones hold added
        (the counts at once, or at the end of a :meth:`deferred_index` block; the stances' places in
        the index at once)."""
        if self.edge_index.is_complete():
            self._written_indexed(graphs, write, added)
        else:
            write()
        self.bound_log()   # (bulk loads bypass the log; lists, commits and small writes do not)

    def _written_indexed(self, graphs: Sequence[ox.NamedNode], write: Callable[[], None],
                         added: Callable[[], list[EdgeRow]]) -> None:
        index = self.edge_index
        pending = self._pending
        if pending is not None and any(g.value in pending.graphs for g in graphs):
            self._apply_pending()  # written twice in one block: count the first version in first
            pending = self._pending
        if pending is None:
            index.begin()
        old = index.rows_of_articles([g for g in graphs if self._store.contains_named_graph(g)])
        try:
            index.remove_stances(old)
            write()
            rows = added()
            index.add_stances(rows)
        except BaseException:
            with contextlib.suppress(Exception):   # (on a full disk this may fail too: the flag stays)
                index.invalidate()   # what the failed write changed is unknown: count again when reopened
            raise
        if pending is None:
            index.apply(tally(old), tally(rows))
        else:
            pending.add(tally(old), tally(rows), graphs)

    @contextlib.contextmanager
    def changing_graph(self, graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> Iterator[None]:
        """Around a write to one graph made by other means (the Graph Store Protocol): the edge index
        follows it (what the graph held before is subtracted, what it holds after is added)."""
        index = self.edge_index if self.edge_index.is_complete() else None
        if index is None or not isinstance(graph, ox.NamedNode):
            yield   # stances outside named graphs are not counted (edge-index-all.rq)
            return
        index.begin()
        old = index.rows_of_articles([graph] if self._store.contains_named_graph(graph) else [])
        index.remove_stances(old)
        try:
            yield
        finally:   # a failed write may still have changed something: count what is there now
            rows = index.rows_of_articles([graph] if self._store.contains_named_graph(graph) else [])
            index.add_stances(rows)
            index.apply(tally(old), tally(rows))

    def changed_anywhere(self) -> None:
        """After a write the edge index cannot follow (a SPARQL Update): count it again."""
        self.edge_index.rebuild()

    @contextlib.contextmanager
    def deferred_index(self) -> Iterator[None]:
        """Within the block, what article writes change in the edge index is summed in memory and
        applied once at the end (``mawqif ingest``: each edge is then read and written once per run,
        not once per batch). A crash inside the block leaves the index marked as updating, and it
        is rebuilt when the store is next opened for writing."""
        if self._pending is not None or not self.edge_index.is_complete():
            yield
            return
        self.edge_index.begin()
        self._pending = _PendingIndex()
        try:
            yield
        finally:
            self._apply_pending(again=False)

    def _apply_pending(self, again: bool = True) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            self.edge_index.apply(pending.removed, pending.added)
        if again:
            self.edge_index.begin()
            self._pending = _PendingIndex()

    def replace_articles(self, articles: Sequence[ArticleGraph]) -> None:
        """Store each article's graph, replacing any earlier version; each is whole or absent."""
        def added() -> list[EdgeRow]:
            if all(a.edges is not None for a in articles):
                return [r for a in articles for r in a.edges or ()]
            return rows_of_quads(q for a in articles for q in a.quads)

        self._written([a.graph for a in articles], lambda: self._replace_articles(articles), added)

    def _replace_articles(self, articles: Sequence[ArticleGraph]) -> None:
        try:
            for a in articles:
                if self._store.contains_named_graph(a.graph):
                    self._store.remove_graph(a.graph)
            commits = [ox.Quad(a.graph, terms.RDF_TYPE, terms.MQ_ARTICLE, a.graph) for a in articles]
            commit_set = set(commits)
            bulk = [q for a in articles for q in (*a.quads, *a.shared) if q not in commit_set]
            if bulk:
                self._store.bulk_extend(bulk)
            self._store.extend(commits)
        except OSError as e:
            raise StoreError(f"writing to the store {self.path or '(memory)'} failed{_os_hint(str(e))}: {e}; "
                             "articles not written are absent and are stored by ingesting again") from None

    def replace_serialized(self, articles: Sequence[tuple[str, bytes]], shared: bytes = b"",
                           edges: Iterable[EdgeRow] | None = None) -> None:
        """:meth:`replace_articles` for articles already serialised (``mawqif ingest --workers``).

        ``articles``: (article IRI, N-Quads of its graph without the commit quad); ``shared``:
        N-Quads for other graphs (entity descriptions), merged; ``edges``: the articles' stances
        counted for the edge index (else they are counted from the N-Quads). The same commit
        protocol: the bodies are bulk-loaded, then every article's commit quad is added in one
        transaction.
        """
        graphs = [ox.NamedNode(g) for g, _ in articles]
        def added() -> list[EdgeRow]:
            if edges is not None:
                return list(edges)
            return rows_of_quads(ox.parse(b"".join(body for _, body in articles), format=ox.RdfFormat.N_QUADS,
                                        lenient=True))

        self._written(graphs, lambda: self._replace_serialized(graphs, articles, shared), added)

    def _replace_serialized(self, graphs: Sequence[ox.NamedNode], articles: Sequence[tuple[str, bytes]],
                            shared: bytes) -> None:
        try:
            for g in graphs:
                if self._store.contains_named_graph(g):
                    self._store.remove_graph(g)
            data = b"".join([shared, *(body for _, body in articles)])
            commits = [ox.Quad(g, terms.RDF_TYPE, terms.MQ_ARTICLE, g) for g in graphs]
            if len(data) <= TRANSACTION_BYTES:
                # small (a server's POST): one transaction, so readers see the articles whole at once,
                # and cheaper than a bulk load, which writes files of its own
                self._store.extend([*ox.parse(data, format=ox.RdfFormat.N_QUADS, lenient=True), *commits])
                return
            self._store.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=True)
            self._store.extend(commits)
        except OSError as e:
            raise StoreError(f"writing to the store {self.path or '(memory)'} failed{_os_hint(str(e))}: {e}; "
                             "articles not written are absent and are stored by ingesting again") from None

    def _logs(self) -> dict[int, int]:
        """The store's write-ahead log files: number → bytes (none for a store in memory)."""
        logs: dict[int, int] = {}
        if self.path is None:
            return logs
        with contextlib.suppress(OSError), os.scandir(self.path) as entries:
            for e in entries:
                stem, _, ext = e.name.partition(".")
                if ext == "log" and stem.isdigit():
                    with contextlib.suppress(OSError):
                        logs[int(stem)] = e.stat().st_size
        return logs

    def log_bytes(self) -> int:
        """Bytes of write-ahead log a read-only view would replay when it opens: the log files since
        the last :meth:`bound_log` flush (the older ones are obsolete; RocksDB deletes them later)."""
        return sum(size for number, size in self._logs().items() if number >= self._live_log)

    def bound_log(self) -> None:
        """Flush the memory tables if the live write-ahead log has grown past :data:`LOG_FLUSH_BYTES`,
        so that a read-only view of the store opens in milliseconds, not seconds. Every article write
        ends with it; the server also calls it after its other writes (``Runner.after_write``)."""
        if self.log_bytes() < LOG_FLUSH_BYTES:
            return
        try:
            self._store.flush()
        except OSError as e:
            raise StoreError(f"flushing the store {self.path} failed{_os_hint(str(e))}: {e}") from None
        # the flush moved writing to a new log file: the newest one; the older ones are obsolete
        self._live_log = max(self._logs(), default=self._live_log)

    def article_hashes(self, graphs: Sequence[str]) -> dict[str, str]:
        """The content hashes recorded for those stored articles that have one."""
        out = {}
        for g in graphs:
            h = self.article_hash(ox.NamedNode(g))
            if h is not None:
                out[g] = h
        return out

    def load(self, data: IO[bytes] | bytes | str, *, fmt: ox.RdfFormat, graph: ox.NamedNode,
             base_iri: str | None = None) -> None:
        """Add an RDF document to a named graph (``mawqif load``); the edge index is rebuilt by
        :meth:`ensure_edge_index` (the document may hold stances)."""
        self.edge_index.invalidate()
        try:
            self._store.load(data, format=fmt, base_iri=base_iri, to_graph=graph)
        except SyntaxError as e:
            raise QueryError(f"not valid {fmt.name}: {e}") from None

    def article_hash(self, graph: ox.NamedNode) -> str | None:
        """The content hash recorded for a stored article, or None."""
        for q in self._store.quads_for_pattern(graph, terms.MQ_CONTENT_HASH, None, graph):
            return q.object.value if isinstance(q.object, ox.Literal) else None
        return None

    # -- reading ---------------------------------------------------------------------------------
    def query(self, sparql: str, *, substitutions: Mapping[ox.Variable, Any] | None = None,
              union: bool = True) -> ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean:
        """Run a SPARQL query; the default graph is the union of all graphs."""
        try:
            return self._store.query(sparql, use_default_graph_as_union=union,
                                     substitutions=dict(substitutions) if substitutions else None,
                                     prefixes=terms.PREFIXES)
        except SyntaxError as e:
            raise QueryError(f"malformed query: {e}") from None
        except (ValueError, TypeError) as e:
            raise QueryError(str(e)) from None

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self._store.quads_for_pattern(None, None, None, None))

    def export(self, output: IO[bytes], fmt: str = "turtle") -> None:
        """Write the whole graph, streamed: dataset formats keep graphs, the others merge them
        (:mod:`graph_builder.export`; derived graphs such as the edge index are left out)."""
        export_store(self._store, output, fmt, self.base)

    def stats(self) -> Stats:
        articles, stances, entities = count_contents(self.query)
        index = first_int(self.query("SELECT (COUNT(*) AS ?n) ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                                     substitutions={ox.Variable("g"): self.edge_index.graph}, union=False))
        return Stats(articles=articles, stances=stances, entities=entities, triples=len(self._store) - index,
                     graphs=sum(1 for g in self._store.named_graphs() if g != self.edge_index.graph))


def first_int(results: Any) -> int:
    """The integer in the first cell of a SELECT result (a COUNT), 0 when there is none."""
    assert isinstance(results, ox.QuerySolutions)
    for row in results:
        value = row[0]
        return int(value.value) if isinstance(value, ox.Literal) else 0
    return 0


def count_contents(query: Callable[[str], Any]) -> tuple[int, int, int]:
    """Articles, stances and entities in a store, through its ``query`` (the union default graph)."""

    def count(q: str) -> int:
        return first_int(query(q))

    classes = " ".join(f"<{iri.value}>" for iri in terms.ENTITY_CLASS_IRI.values())
    # COUNT(*) not COUNT(DISTINCT): the union default graph has each triple once, and DISTINCT
    # would hash two million stances on a large store
    return (count("SELECT (COUNT(*) AS ?n) WHERE { ?a a mq:Article }"),
            count("SELECT (COUNT(*) AS ?n) WHERE { ?s a mq:Stance }"),
            count(f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ VALUES ?c {{ {classes} }} ?e a ?c }}"))


def write_results(results: ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean | Iterable[ox.Triple],
                  output: IO[bytes], fmt: str | None) -> None:
    """Serialise query results in the CLI's format names (json/xml/csv/tsv; turtle/ntriples/…).

    CONSTRUCT/DESCRIBE results may also be any iterable of triples (a remote store's).
    """
    if not isinstance(results, (ox.QuerySolutions, ox.QueryBoolean)):
        name = fmt or "turtle"
        if name not in GRAPH_FORMATS:
            raise QueryError(f"format {name!r} is not for CONSTRUCT/DESCRIBE results; use one of "
                             f"{', '.join(GRAPH_FORMATS)}")
        graph_format = GRAPH_FORMATS[name]
        if graph_format.supports_datasets:
            ox.serialize((ox.Quad(t.subject, t.predicate, t.object) for t in results), output,
                         graph_format, prefixes=terms.PREFIXES)
        else:
            ox.serialize(results, output, graph_format, prefixes=terms.PREFIXES)
        return
    name = fmt or "json"
    if name not in RESULT_FORMATS:
        raise QueryError(f"format {name!r} is not for SELECT/ASK results; use one of "
                         f"{', '.join(RESULT_FORMATS)}")
    results.serialize(output, RESULT_FORMATS[name])

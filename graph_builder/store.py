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
from graph_builder.errors import QueryError, StoreError, StoreLockedError

#: File in the store folder that names the process holding the store for writing.
HOLDER_FILE = "mawqif-holder.json"

EXPORT_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
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
        if self.path is None:
            self._store = ox.Store()
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
        """Remove article graphs whose commit record is missing (an interrupted load)."""
        removed = []
        for g in list(self._store.named_graphs()):
            if not self._is_article_graph(g):
                continue
            commit = ox.Quad(g, terms.RDF_TYPE, terms.MQ_ARTICLE, g)
            if commit not in self._store:
                self._store.remove_graph(g)
                removed.append(g.value)
        return removed

    def replace_articles(self, articles: Sequence[ArticleGraph]) -> None:
        """Store each article's graph, replacing any earlier version; each is whole or absent."""
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

    def replace_serialized(self, articles: Sequence[tuple[str, bytes]], shared: bytes = b"") -> None:
        """:meth:`replace_articles` for articles already serialised (``mawqif ingest --workers``).

        ``articles``: (article IRI, N-Quads of its graph without the commit quad); ``shared``:
        N-Quads for other graphs (entity descriptions), merged. The same commit protocol: the
        bodies are bulk-loaded, then every article's commit quad is added in one transaction.
        """
        try:
            graphs = [ox.NamedNode(g) for g, _ in articles]
            for g in graphs:
                if self._store.contains_named_graph(g):
                    self._store.remove_graph(g)
            data = b"".join([shared, *(body for _, body in articles)])
            if data:
                self._store.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=True)
            self._store.extend([ox.Quad(g, terms.RDF_TYPE, terms.MQ_ARTICLE, g) for g in graphs])
        except OSError as e:
            raise StoreError(f"writing to the store {self.path or '(memory)'} failed{_os_hint(str(e))}: {e}; "
                             "articles not written are absent and are stored by ingesting again") from None

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
        """Add an RDF document to a named graph (``mawqif load``)."""
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
        """Write the whole graph, streamed: dataset formats keep graphs, the others merge them."""
        export_quads(self.quads, output, fmt, self.base)

    def stats(self) -> Stats:
        articles, stances, entities = count_contents(self.query)
        return Stats(articles=articles, stances=stances, entities=entities, triples=len(self._store),
                     graphs=sum(1 for _ in self._store.named_graphs()))


def export_quads(quads: Callable[[], Iterable[ox.Quad]], output: IO[bytes], fmt: str, base: str) -> None:
    """Serialise a store's quads, streamed, in an export format; triple formats merge the graphs.

    Shared by the embedded and the remote store, so both export the same bytes for the same data.
    """
    try:
        rdf_format = EXPORT_FORMATS[fmt]
    except KeyError:
        raise QueryError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}") from None
    data: Iterable[ox.Quad] | Iterable[ox.Triple] = quads()
    if not rdf_format.supports_datasets:
        data = (q.triple for q in quads())
    ox.serialize(data, output, rdf_format, prefixes=terms.export_prefixes(base))


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
    return (count("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a mq:Article }"),
            count("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a mq:Stance }"),
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

"""The worker side of ingest: articles → extraction → N-Quads bytes, in any process (pure).

:func:`extract_chunk` is what each worker of ``mawqif ingest --workers N`` (and each Dask task)
runs on a chunk of articles. It returns, for every article, either an :class:`Extracted` (the
article's graph serialised as N-Quads, without its commit quad, which the writer adds last) or a
:class:`Failed` (an error message with file/line, rebuilt as an ``InputError`` by the writer), plus
the entity descriptions this process has not sent yet in this run (``shared``): the descriptions
of an entity are the same in every article, so each worker sends them once per run rather than
once per article.

Everything here is deterministic: the same articles, base and ``generated_at`` give the same
bytes in any process, so N workers store exactly what one does.

    >>> from graph_builder.model import Article
    >>> out = extract_chunk([Article(text="France condemned the attack on Syria.", lang="en",
    ...                              url="https://example.org/a")], run="doc")
    >>> out.results[0].stances, out.results[0].body.count(b"\\n") + 1 == out.results[0].quads
    (1, True)
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from graph_builder import terms
from graph_builder.edge_index import Row as EdgeRow
from graph_builder.errors import InputError, MawqifError
from graph_builder.extract import extract
from graph_builder.model import Article
from graph_builder.quads import build_article_graph

NQ = ox.RdfFormat.N_QUADS


@dataclass(frozen=True)
class Extracted:
    """One article's graph, serialised: what the writer stores."""

    graph: str              #: the article's IRI, which is also its graph's name
    body: bytes             #: N-Quads of the article's graph, without the commit quad
    quads: int              #: quads in the article's graph, the commit quad included
    stances: int
    content_hash: str
    #: its stances counted for the edge index (None: the store counts them from ``body``)
    edges: tuple[EdgeRow, ...] | None = None


@dataclass(frozen=True)
class Failed:
    """An article that could not be read or extracted (picklable; see :meth:`error`)."""

    message: str
    source: str | None = None
    line: int | None = None
    field: str | None = None

    def error(self) -> InputError:
        return InputError(self.message, source=self.source, line=self.line, field=self.field)

    @staticmethod
    def of(e: InputError) -> Failed:
        return Failed(e.message, e.source, e.line, e.field)


@dataclass(frozen=True)
class ChunkResult:
    results: list[Extracted | Failed]
    #: N-Quads of entity descriptions not yet sent by this process in this run
    shared: bytes


def commit_quad(graph: ox.NamedNode) -> ox.Quad:
    """``<article> a mq:Article`` in the article's graph: written last, it marks the article whole."""
    return ox.Quad(graph, terms.RDF_TYPE, terms.MQ_ARTICLE, graph)


# Per-process memory of the entity-description quads already sent, keyed by the run.
_sent_run: str | None = None
_sent: set[ox.Quad] = set()


def warm() -> None:
    """Load the gazetteer and lexicons once per worker process, before the first chunk."""
    from graph_builder.gazetteer import default_gazetteer

    default_gazetteer()


def extract_one(article: Article, *, base: str = terms.DEFAULT_BASE,
                generated_at: str | None = None) -> tuple[Extracted | Failed, tuple[ox.Quad, ...]]:
    """One article → its serialised graph and its entity descriptions (or the reason it failed)."""
    try:
        built = build_article_graph(extract(article), base=base, generated_at=generated_at)
    except MawqifError as e:
        err = e if isinstance(e, InputError) and e.source else InputError(str(e), source=article.origin)
        return Failed.of(err), ()
    commit = commit_quad(built.graph)
    body = [q for q in built.quads if q != commit]
    stances = sum(1 for q in body if q.object == terms.MQ_STANCE and q.predicate == terms.RDF_TYPE)
    data = ox.serialize(body, format=NQ) if body else b""
    hash_value = next((q.object.value for q in body
                       if q.predicate == terms.MQ_CONTENT_HASH and isinstance(q.object, ox.Literal)), "")
    return (Extracted(built.graph.value, data or b"", len(body) + 1, stances, hash_value, built.edges),
            built.shared)


def extract_chunk(articles: Sequence[Article | InputError], *, run: str, base: str = terms.DEFAULT_BASE,
                  generated_at: str | None = None) -> ChunkResult:
    """Extract a chunk of articles (errors pass through as :class:`Failed`, in order)."""
    global _sent_run
    if _sent_run != run:
        _sent_run = run
        _sent.clear()
    results: list[Extracted | Failed] = []
    new_shared: list[ox.Quad] = []
    for item in articles:
        if isinstance(item, InputError):
            results.append(Failed.of(item))
            continue
        result, shared = extract_one(item, base=base, generated_at=generated_at)
        results.append(result)
        for q in shared:
            if q not in _sent:
                _sent.add(q)
                new_shared.append(q)
    shared_bytes = ox.serialize(new_shared, format=NQ) if new_shared else b""
    return ChunkResult(results, shared_bytes or b"")

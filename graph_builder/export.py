"""Export: the whole graph in one of :data:`EXPORT_FORMATS`, streamed.

Which graphs an export writes is decided in one place, :func:`is_exported`: every graph but the
derived ones (:func:`graphs_left_out`, today the edge index ``<base>graph/edges``, a cache rebuilt
from the article graphs). Dataset formats (TriG, N-Quads, JSON-LD) keep the graphs; the triple
formats (Turtle, N-Triples, RDF/XML) merge them into one graph, and a triple stated in several
graphs may then be written once per graph: the document still parses to the same set of triples.

Graphs are written one after the other in the store's order (default graph first), so the same
store exports the same bytes every time, and nothing but the graph being written is held in memory.
For Turtle (the default) and N-Triples of the embedded store (:func:`export_store`), Oxigraph writes
each graph itself (:meth:`pyoxigraph.Store.dump`), with no Python object per quad; of each graph's
Turtle only the ``@prefix`` lines are dropped, as the export starts with one header of them. The
other formats, and the remote store (:func:`export_quads`), stream quads into
:func:`pyoxigraph.serialize`: what Oxigraph's per-graph dump would give is no faster for them
(docs/BENCHMARKS.md, "Export").

    >>> import io
    >>> s = ox.Store()
    >>> egy = ox.NamedNode(terms.DEFAULT_BASE + "state/EGY")
    >>> s.add(ox.Quad(egy, terms.RDF_TYPE, terms.MQ_STATE, terms.entities_graph()))
    >>> s.add(ox.Quad(egy, terms.RDFS_LABEL, ox.Literal("Egypt", language="en"), terms.edges_graph()))
    >>> out = io.BytesIO()
    >>> export_store(s, out, "turtle", terms.DEFAULT_BASE)
    >>> out.getvalue().decode().splitlines()[len(terms.export_prefixes()):]
    ['state:EGY a mq:State .']
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import IO, cast

import pyoxigraph as ox

from graph_builder import terms
from graph_builder.errors import QueryError

__all__ = ["EXPORT_FORMATS", "export_quads", "export_store", "graphs_left_out", "is_exported"]

GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph

#: ``mawqif export --format`` names → formats.
EXPORT_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


# -- which graphs --------------------------------------------------------------------------------
def graphs_left_out(base: str) -> frozenset[ox.NamedNode]:
    """The graphs no export writes: derived data, rebuilt from the others (the edge index)."""
    return frozenset({terms.edges_graph(base)})


def is_exported(graph: GraphName, base: str) -> bool:
    """Whether exports write ``graph``: the one place that decides it (see :func:`graphs_left_out`)."""
    return not isinstance(graph, ox.NamedNode) or graph not in graphs_left_out(base)


def _format(fmt: str) -> ox.RdfFormat:
    try:
        return EXPORT_FORMATS[fmt]
    except KeyError:
        raise QueryError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}") from None


# -- the embedded store -----------------------------------------------------------------------------
def export_store(store: ox.Store, output: IO[bytes], fmt: str, base: str) -> None:
    """Write the exported graphs of an embedded store to ``output``, streamed (see the module)."""
    rdf_format = _format(fmt)
    prefixes = terms.export_prefixes(base)
    graphs = _exported(store.named_graphs(), base)
    if rdf_format == ox.RdfFormat.TURTLE:
        output.write(_prefix_header(prefixes))
        for g in graphs:
            store.dump(cast(IO[bytes], _WithoutDirectives(output)), rdf_format, from_graph=g, prefixes=prefixes)
    elif rdf_format == ox.RdfFormat.N_TRIPLES:
        for g in graphs:
            store.dump(output, rdf_format, from_graph=g)
    else:
        _serialize((q for g in graphs for q in store.quads_for_pattern(None, None, None, g)),
                   output, rdf_format, prefixes)


def _exported(named_graphs: Iterable[ox.NamedNode | ox.BlankNode], base: str) -> Iterator[GraphName]:
    """The default graph, then the named graphs :func:`is_exported` keeps, in the given order."""
    left_out = graphs_left_out(base)
    yield ox.DefaultGraph()
    for g in named_graphs:
        if not (isinstance(g, ox.NamedNode) and g in left_out):
            yield g


def _prefix_header(prefixes: dict[str, str]) -> bytes:
    return "".join(f"@prefix {name}: {ox.NamedNode(iri)} .\n" for name, iri in prefixes.items()).encode()


class _WithoutDirectives:
    """Where Oxigraph writes one graph's Turtle: everything but the directives it starts with
    (``@prefix`` lines: the export has one header of them) goes on to ``out``."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self._head: bytes | None = b""     # the start of the document until it is past the directives

    def write(self, b: bytes) -> int:
        if self._head is None:
            self._out.write(b)
            return len(b)
        data = self._head + b
        while data.startswith(b"@"):        # a directive; no triple starts with "@"
            end = data.find(b"\n")
            if end < 0:
                break
            data = data[end + 1:]
        if not data or data.startswith(b"@"):
            self._head = data
        else:
            self._head = None
            self._out.write(data)
        return len(b)

    def flush(self) -> None:
        pass


# -- any store: a stream of quads ------------------------------------------------------------------
def export_quads(quads: Callable[[], Iterable[ox.Quad]], output: IO[bytes], fmt: str, base: str) -> None:
    """Serialise a store's quads (in any order), streamed, leaving out the graphs :func:`is_exported`
    rejects; triple formats merge the graphs. For stores other than the embedded one (the remote store)."""
    rdf_format = _format(fmt)
    left_out = graphs_left_out(base)
    _serialize((q for q in quads() if not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name in left_out)),
               output, rdf_format, terms.export_prefixes(base))


def _serialize(quads: Iterable[ox.Quad], output: IO[bytes], rdf_format: ox.RdfFormat,
               prefixes: dict[str, str]) -> None:
    data: Iterable[ox.Quad] | Iterable[ox.Triple] = quads
    if not rdf_format.supports_datasets:
        data = (q.triple for q in quads)
    ox.serialize(data, output, rdf_format, prefixes=prefixes)

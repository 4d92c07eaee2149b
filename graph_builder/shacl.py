"""SHACL validation of mawqif data against ``ontology/shapes.ttl``, reported in plain words.

:func:`validate` takes an rdflib ``Graph``, an rdflib ``Dataset``/``ConjunctiveGraph`` (all its
graphs are merged first: the shapes are written for the union of the named graphs, since an
entity's description may sit in another graph than the article that names it), or an N-Quads
string (N-Triples is a subset), and returns a :class:`Report`. :func:`validate_store` does the
same for a whole store (``graph_builder.store.Store`` or a ``pyoxigraph.Store``).

Inference is ``"none"``. The quad builder writes the most specific ``rdf:type`` of every node
explicitly, and the shapes check membership with ``sh:or``/``sh:in`` lists, so nothing needs to
be entailed. RDFS inference would only slow validation down (it materialises the RDFS closure of
the whole store) and would *hide* errors: a node given ``mq:holder`` would be inferred to be an
``mq:Stance`` by the domain axiom instead of being reported as untyped. The ontology is still
mixed in as ``ont_graph`` so that ``sh:class`` also sees the ``rdfs:subClassOf`` hierarchy.

Besides the shapes, one check is done in Python (a warning, not a violation): an ``mq:evidence``
whose length differs from ``mq:evidenceEnd − mq:evidenceStart``. As a SPARQL constraint it made
validation five times slower, since pyshacl re-parses the query for every stance. Validating
1,000 articles (34k triples) takes about 7 s.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import ConjunctiveGraph
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from graph_builder.terms import MQ, PREFIXES
from ontology import ONTOLOGY_PATH, SHAPES_PATH

if TYPE_CHECKING:
    from graph_builder.store import Store

__all__ = ["Report", "Violation", "graph_from_quads", "to_graph", "validate", "validate_store"]

#: mq: classes by which a focus node is named in messages, most telling first.
_KIND_ORDER: tuple[str, ...] = (
    "Stance", "Article", "State", "Organisation", "ArmedGroup", "Conflict", "Region",
    "Person", "ExtractionRun",
)
_SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_XSD_STRING = PREFIXES["xsd"] + "string"


@dataclass(frozen=True)
class Violation:
    """One SHACL result.

    ``focus`` is the node at fault (an IRI, or ``_:id`` for a blank node), ``path`` the property
    concerned in prefixed form (``"mq:target"``, ``None`` for a node-level constraint),
    ``message`` the shape's plain-English ``sh:message`` (the rest of a sentence whose subject is
    the focus node), ``severity`` ``"Violation"``, ``"Warning"`` or ``"Info"``, ``value`` the
    offending value when there is one, and ``kind`` the mq: class of the focus (``"Stance"``).
    """

    focus: str
    path: str | None
    message: str
    severity: str
    value: str | None = None
    kind: str | None = None
    shape: str | None = None

    def plain_text(self) -> str:
        """One line: ``Stance <…> has no mq:target (every stance needs at least one target)``."""
        subject = self.kind or "Node"
        focus = self.focus if self.focus.startswith("_:") else f"<{self.focus}>"
        line = f"{subject} {focus} {self.message}"
        if self.value is not None:
            line += f"; found {self.value}"
        if self.severity != "Violation":
            line = f"{self.severity}: {line}"
        return line


@dataclass(frozen=True)
class Report:
    """The outcome of :func:`validate`: whether the data conforms, and every result."""

    conforms: bool
    violations: tuple[Violation, ...]

    @property
    def errors(self) -> tuple[Violation, ...]:
        """The results of severity ``Violation`` (the ones that make the data non-conforming)."""
        return tuple(v for v in self.violations if v.severity == "Violation")

    def plain_text(self) -> str:
        """A plain-words report, one line per result, with a summary line first."""
        n_err = len(self.errors)
        n_other = len(self.violations) - n_err
        if self.conforms:
            head = "The graph conforms to the mawqif shapes"
            head += f" ({n_other} warning{'s' * (n_other != 1)})." if n_other else "."
        else:
            head = f"The graph does not conform to the mawqif shapes: {n_err} violation{'s' * (n_err != 1)}"
            head += f" and {n_other} warning{'s' * (n_other != 1)}." if n_other else "."
        return "\n".join([head, *(v.plain_text() for v in self.violations)])


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    return Graph().parse(SHAPES_PATH, format="turtle")


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


def to_graph(data: Graph | str) -> Graph:
    """The union of all graphs of ``data`` as one rdflib ``Graph``.

    A plain ``Graph`` is returned as it is; a ``Dataset``/``ConjunctiveGraph`` is merged; a string
    is parsed as N-Quads.
    """
    if isinstance(data, str):
        return graph_from_quads(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    if isinstance(data, ConjunctiveGraph):  # rdflib.Dataset is a ConjunctiveGraph
        merged = Graph()
        for s, p, o, _g in data.quads((None, None, None, None)):
            merged.add((s, p, o))
        return merged
    return data


def validate(data: Graph | str, *, with_ontology: bool = True) -> Report:
    """Validate ``data`` (a Graph, a Dataset merged into one graph, or N-Quads text).

    ``with_ontology`` mixes ``ontology/mawqif.ttl`` into the data graph (``ont_graph``); the
    shapes give the same answer without it for data that types its nodes with the mq: classes
    directly.
    """
    owned = not isinstance(data, Graph) or isinstance(data, ConjunctiveGraph)
    graph = to_graph(data)
    conforms, results, _text = pyshacl.validate(
        graph,
        shacl_graph=_shapes(),
        ont_graph=_ontology() if with_ontology else None,
        inference="none",
        inplace=owned,          # our own merged copy may be mixed into in place
        abort_on_first=False,
        allow_warnings=True,    # warnings are reported but do not break conformance
        meta_shacl=False,
        advanced=False,
        js=False,
        debug=False,
    )
    found = [_violation(results, r, graph) for r in results.subjects(RDF.type, SH.ValidationResult)]
    found += _evidence_length_warnings(graph)
    violations = tuple(sorted(
        found, key=lambda v: (v.severity != "Violation", v.focus, v.path or "", v.message, v.value or ""),
    ))
    return Report(conforms=bool(conforms), violations=violations)


_EVIDENCE = URIRef(MQ + "evidence")
_EVIDENCE_START = URIRef(MQ + "evidenceStart")
_EVIDENCE_END = URIRef(MQ + "evidenceEnd")


def _evidence_length_warnings(graph: Graph) -> list[Violation]:
    """Warn when an evidence is not as long as its offsets say (checked here, not in shapes.ttl,
    because a SPARQL-based constraint is re-parsed by pyshacl for every stance)."""
    out = []
    for stance, evidence in graph.subject_objects(_EVIDENCE):
        try:
            start = int(str(graph.value(stance, _EVIDENCE_START)))
            span = int(str(graph.value(stance, _EVIDENCE_END))) - start
        except ValueError:
            continue  # missing or malformed offsets are the shapes' business
        if len(str(evidence)) != span:
            out.append(Violation(
                focus=_node_id(stance),
                path="mq:evidence",
                message="has an mq:evidence whose length differs from mq:evidenceEnd − mq:evidenceStart "
                        "(the evidence should be exactly that slice of the article text)",
                severity="Warning",
                value=f"{len(str(evidence))} characters where the offsets give {span}",
                kind=_kind(graph, stance),
            ))
    return out


def validate_store(store: Store | ox.Store) -> Report:
    """Validate everything in ``store`` (all graphs merged)."""
    quads: Iterable[ox.Quad] = store.quads() if hasattr(store, "quads") else iter(store)
    return validate(graph_from_quads(quads))


def graph_from_quads(quads: Iterable[ox.Quad]) -> Graph:
    """The union of pyoxigraph quads as one rdflib ``Graph`` (graph names dropped)."""
    g = Graph()
    for q in quads:
        s, p, o = q.subject, q.predicate, q.object
        if isinstance(s, ox.Triple) or isinstance(o, ox.Triple):  # RDF 1.2 triple terms: not ours
            continue
        g.add((_from_ox(s), URIRef(p.value), _from_ox(o)))
    return g


def _from_ox(t: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    if t.datatype.value == _XSD_STRING:
        return Literal(t.value)  # as rdflib's own parsers give a simple literal
    return Literal(t.value, datatype=URIRef(t.datatype.value))


# ---------------------------------------------------------------------------------------------
# Reading the results graph
# ---------------------------------------------------------------------------------------------

def _violation(results: Graph, r: Node, data: Graph) -> Violation:
    focus = results.value(r, SH.focusNode)
    path = results.value(r, SH.resultPath)
    value = results.value(r, SH.value)
    severity = results.value(r, SH.resultSeverity)
    shape = results.value(r, SH.sourceShape)
    messages = sorted(str(m) for m in results.objects(r, SH.resultMessage))
    message = messages[0] if messages else "does not conform to a mawqif shape"
    return Violation(
        focus=_node_id(focus),
        path=_compact(path) if path is not None else None,
        message=message,
        severity=_severity(severity),
        value=_show(value) if value is not None else None,
        kind=_kind(data, focus) if focus is not None else None,
        shape=_compact(shape) if isinstance(shape, URIRef) else None,
    )


def _severity(node: Node | None) -> str:
    if node is None:
        return "Violation"
    return _SEVERITY_NAMES.get(node, str(node)) if isinstance(node, URIRef) else str(node)


def _node_id(node: Node | None) -> str:
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node) if node is not None else ""


def _compact(node: Node) -> str:
    if isinstance(node, URIRef):
        iri = str(node)
        for prefix, base in PREFIXES.items():
            if iri.startswith(base) and _is_local_name(iri[len(base):]):
                return f"{prefix}:{iri[len(base):]}"
        return f"<{iri}>"
    return _node_id(node)


def _is_local_name(s: str) -> bool:
    return bool(s) and all(c.isalnum() or c in "_-" for c in s)


def _show(node: Node) -> str:
    """A value as a reader would want it quoted: "sy", "1.5"^^xsd:double, "nice"@fr, <iri>."""
    if isinstance(node, Literal):
        text = f'"{node}"'
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype is not None and str(node.datatype) != _XSD_STRING:
            return f"{text}^^{_compact(node.datatype)}"
        return text
    if isinstance(node, URIRef):
        return f"<{node}>"
    return _node_id(node)


def _kind(data: Graph, focus: Node) -> str | None:
    types: Iterable[Node] = data.objects(focus, RDF.type)
    local = {str(t)[len(MQ):] for t in types if isinstance(t, URIRef) and str(t).startswith(MQ)}
    for k in _KIND_ORDER:
        if k in local:
            return k
    return min(local) if local else None

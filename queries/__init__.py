"""Named SPARQL queries bundled with mawqif.

Each ``queries/<name>.rq`` starts with a comment header::

    # title: Stances of an actor
    # description: Every stance an actor took, newest first, ...
    # param: actor iri — the actor's IRI, e.g. https://w3id.org/mawqif/id/state/SYR
    # param: type iri optional — a stance type IRI, ...
    # index-form: stances-of-actor-index

A parameter is a plain SPARQL variable of the same name (``?actor``) that the query projects;
:func:`bind` turns user-given strings into RDF terms for pyoxigraph's ``substitutions``
(values are never pasted into the query text). Optional parameters may be left unbound.

``index-form`` names a query that gives the same rows from the store's edge index
(``graph_builder/edge_index.py``); :mod:`graph_builder.named` runs it when the index is complete.
An index form may read only some of the index's months (parameters ``m1``, ``m2``, ``m3`` and
``allOf``, worked out from the counts of the edges that the query named by its ``# edges:`` line
gives); that needs a query whose rows are capped by a ``LIMIT``, :attr:`NamedQuery.row_limit`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import pyoxigraph

__all__ = [
    "PARAM_TYPES", "QUERIES_DIR", "NamedQuery", "Param", "Substitutions",
    "bind", "get_query", "list_queries", "parse_header",
]

#: Where the ``.rq`` files live (package data).
QUERIES_DIR: Path = Path(__file__).parent

#: The parameter types a header may declare.
PARAM_TYPES: tuple[str, ...] = ("iri", "date", "integer", "string", "literal")

XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_DATE = pyoxigraph.NamedNode(XSD + "date")
_XSD_INTEGER = pyoxigraph.NamedNode(XSD + "integer")

#: What :func:`bind` returns, typed as pyoxigraph's ``substitutions`` argument expects it (``dict`` is
#: invariant). The values are only ever ``NamedNode`` or ``Literal``.
Substitutions = dict[
    pyoxigraph.Variable,
    pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple,
]

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_HEADER_RE = re.compile(r"^#\s*(title|description|param|index-form|edges)\s*:\s*(.*?)\s*$")
_LIMIT_RE = re.compile(r"\bLIMIT\s+(\d+)\s*$", re.IGNORECASE)
_PARAM_RE = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>[a-z]+)(?P<optional>\s+optional)?"
    r"\s*(?:(?:—|–|--|-|:)\s*(?P<description>.*))?$"
)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER_RE = re.compile(r"^[+-]?\d+$")
# An absolute IRI: a scheme, a colon, then no characters that IRIs forbid.
_IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
# N-Triples-like literal for the "literal" type: "text", "text"@lang or "text"^^<datatype>.
_LITERAL_RE = re.compile(
    r'^"(?P<value>(?:[^"\\]|\\.)*)"(?:@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^<(?P<datatype>[^<>\s]+)>)?$',
    re.DOTALL,
)


@dataclass(frozen=True)
class Param:
    """One parameter of a named query: a variable of the same name, bound from a string."""

    name: str
    type: str           # one of PARAM_TYPES
    optional: bool
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A bundled query: its file name (without ``.rq``), header and full text (header included)."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    index_form: str | None = None   # the query giving the same rows from the edge index
    edges: str | None = None        # (an index form of a listing) the query giving the edges it reads

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    @property
    def required(self) -> tuple[Param, ...]:
        return tuple(p for p in self.params if not p.optional)

    @property
    def row_limit(self) -> int | None:
        """The ``LIMIT`` that ends the query, if any: at most this many rows."""
        m = _LIMIT_RE.search(self.text.strip())
        return int(m.group(1)) if m else None


def parse_header(name: str, text: str) -> NamedQuery:
    """Read the comment header of a query; raises ValueError when it is incomplete or malformed."""
    title = description = index_form = edges = None
    params: list[Param] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break  # the header ends at the first line that is not a comment
        m = _HEADER_RE.match(stripped)
        if m is None:
            continue
        key, value = m.group(1), m.group(2)
        if key == "title":
            title = value
        elif key == "index-form":
            index_form = value
        elif key == "edges":
            edges = value
        elif key == "description":
            description = value
        else:
            pm = _PARAM_RE.match(value)
            if pm is None:
                raise ValueError(f"query {name!r}: malformed param line: {stripped!r}")
            ptype = pm.group("type")
            if ptype not in PARAM_TYPES:
                raise ValueError(f"query {name!r}: param {pm.group('name')!r} has unknown type {ptype!r}")
            if any(p.name == pm.group("name") for p in params):
                raise ValueError(f"query {name!r}: param {pm.group('name')!r} declared twice")
            params.append(Param(pm.group("name"), ptype, bool(pm.group("optional")),
                                (pm.group("description") or "").strip()))
    if not title:
        raise ValueError(f"query {name!r}: header has no '# title:' line")
    if not description:
        raise ValueError(f"query {name!r}: header has no '# description:' line")
    return NamedQuery(name=name, title=title, description=description, params=tuple(params), text=text,
                      index_form=index_form, edges=edges)


@lru_cache(maxsize=1)
def _load_all() -> dict[str, NamedQuery]:
    queries: dict[str, NamedQuery] = {}
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        queries[path.stem] = parse_header(path.stem, path.read_text(encoding="utf-8"))
    return queries


def list_queries() -> tuple[NamedQuery, ...]:
    """Every bundled query, sorted by name."""
    return tuple(_load_all().values())


def get_query(name: str) -> NamedQuery:
    """The bundled query called ``name`` (with or without ``.rq``); KeyError when there is none."""
    key = name[:-3] if name.endswith(".rq") else name
    if not _NAME_RE.match(key):
        raise KeyError(name)
    try:
        return _load_all()[key]
    except KeyError:
        raise KeyError(name) from None


def _to_term(param: Param, value: str) -> pyoxigraph.NamedNode | pyoxigraph.Literal:
    if not isinstance(value, str):
        raise ValueError(f"parameter {param.name!r}: expected a string, got {type(value).__name__}")
    if param.type == "iri":
        iri = value.strip()
        if not _IRI_RE.match(iri):
            raise ValueError(f"parameter {param.name!r}: not an absolute IRI: {value!r}")
        try:
            return pyoxigraph.NamedNode(iri)
        except ValueError as exc:
            raise ValueError(f"parameter {param.name!r}: not a valid IRI: {value!r} ({exc})") from None
    if param.type == "date":
        text = value.strip()
        if not _DATE_RE.match(text):
            raise ValueError(f"parameter {param.name!r}: expected a date YYYY-MM-DD, got {value!r}")
        try:
            date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"parameter {param.name!r}: not a calendar date: {value!r}") from None
        return pyoxigraph.Literal(text, datatype=_XSD_DATE)
    if param.type == "integer":
        text = value.strip()
        if not _INTEGER_RE.match(text):
            raise ValueError(f"parameter {param.name!r}: expected an integer, got {value!r}")
        return pyoxigraph.Literal(str(int(text)), datatype=_XSD_INTEGER)
    if param.type == "literal":
        m = _LITERAL_RE.match(value)
        if m is not None:
            text = re.sub(r"\\(.)", r"\1", m.group("value"))
            if m.group("lang"):
                return pyoxigraph.Literal(text, language=m.group("lang"))
            if m.group("datatype"):
                dt = m.group("datatype")
                if not _IRI_RE.match(dt):
                    raise ValueError(f"parameter {param.name!r}: bad datatype IRI in {value!r}")
                return pyoxigraph.Literal(text, datatype=pyoxigraph.NamedNode(dt))
            return pyoxigraph.Literal(text)
        return pyoxigraph.Literal(value)
    # "string"
    return pyoxigraph.Literal(value)


def bind(query: NamedQuery, values: dict[str, str]) -> Substitutions:
    """Turn ``{param: string}`` into pyoxigraph ``substitutions`` for ``query``.

    iri → NamedNode (absolute IRIs only); date → ``xsd:date`` literal (YYYY-MM-DD); integer →
    ``xsd:integer``; string → plain literal; literal → ``"x"@lang`` / ``"x"^^<dt>`` syntax or a plain
    literal. An empty value for an optional parameter leaves it unbound. Raises ValueError naming the
    parameter for an unknown parameter, a missing required one, or a value of the wrong form.
    """
    known = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(known))
    if unknown:
        accepted = ", ".join(known) or "none"
        raise ValueError(f"query {query.name!r}: unknown parameter(s) {', '.join(unknown)} "
                         f"(accepted: {accepted})")
    substitutions: Substitutions = {}
    for param in query.params:
        value = values.get(param.name)
        if value is None or (param.optional and isinstance(value, str) and value.strip() == ""):
            if not param.optional:
                raise ValueError(f"query {query.name!r}: missing required parameter {param.name!r} "
                                 f"({param.type}{': ' + param.description if param.description else ''})")
            continue
        substitutions[pyoxigraph.Variable(param.name)] = _to_term(param, value)
    return substitutions

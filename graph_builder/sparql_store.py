"""An external store: any SPARQL 1.1 endpoint with Query, Update and the Graph Store Protocol.

``mawqif … --store http(s)://HOST/PATH`` uses :class:`SparqlStore` instead of the embedded
:class:`~graph_builder.store.Store`; both give ingest, query, export and stats the same interface
(:class:`GraphStore`). The endpoints default to the Oxigraph server's layout under the given URL
(``/query``, ``/update``, ``/store``); other servers' layouts are given with the environment
variables ``MAWQIF_SPARQL_QUERY``, ``MAWQIF_SPARQL_UPDATE`` and ``MAWQIF_SPARQL_GSP`` (full URLs),
e.g. for Fuseki ``…/ds/query``, ``…/ds/update``, ``…/ds/data``.

* Ingest writes each article with one Graph Store Protocol ``PUT`` of its graph (its commit quad
  included), so re-ingesting replaces the graph, and a server that applies a PUT atomically keeps
  every article whole or absent. Entity descriptions are merged with ``POST`` to their graph.
* Queries see the union of all graphs as their default graph: the request asks for it with
  Oxigraph's ``union-default-graph`` parameter; other servers must be set up that way (Fuseki:
  ``tdb2:unionDefaultGraph true``; GraphDB and Virtuoso do so by default).
* Named queries' parameters cannot travel as pyoxigraph ``substitutions``; they are sent as a
  ``VALUES`` block at the start of the query's outer ``WHERE`` group, which binds the same
  variables before the rest of the group is evaluated (see :func:`bind_values`).
"""
from __future__ import annotations

import http.client
import os
import re
import threading
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, Protocol

import pyoxigraph as ox

from graph_builder import terms
from graph_builder.edge_index import Row as EdgeRow
from graph_builder.errors import QueryError, StoreError
from graph_builder.export import export_quads
from graph_builder.store import Stats, count_contents, first_int

__all__ = ["GraphStore", "SparqlStore", "bind_values", "is_remote", "open_store"]

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]


class GraphStore(Protocol):
    """What ingest, query, export and stats need of a store, embedded or remote."""

    base: str

    def article_hashes(self, graphs: Sequence[str]) -> dict[str, str]: ...

    def replace_serialized(self, articles: Sequence[tuple[str, bytes]], shared: bytes = b"",
                           edges: Iterable[EdgeRow] | None = None) -> None: ...

    def query(self, sparql: str, *, substitutions: Mapping[ox.Variable, Any] | None = None,
              union: bool = True) -> Any: ...

    def export(self, output: IO[bytes], fmt: str = "turtle") -> None: ...

    def stats(self) -> Stats: ...

    def close(self) -> None: ...


def is_remote(spec: str) -> bool:
    return spec.startswith(("http://", "https://"))


def open_store(spec: str, *, base: str = terms.DEFAULT_BASE, command: str = "mawqif",
               read_only: bool = False) -> Any:
    """A folder → the embedded :class:`~graph_builder.store.Store`; a URL → :class:`SparqlStore`."""
    if is_remote(spec):
        return SparqlStore(spec, base=base)
    from graph_builder.store import Store

    return Store(spec, base=base, command=command, read_only=read_only)


# -- parameters as VALUES ---------------------------------------------------------------------------
_SCAN = re.compile(r'''
    (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
               |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<where>(?<![?$:\w])WHERE(?!\w))
  | (?P<open>\{)
''', re.VERBOSE | re.IGNORECASE)


def _term(value: Any) -> str:
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return str(value)
    raise QueryError(f"a parameter of type {type(value).__name__} cannot be sent to a remote store")


def bind_values(sparql: str, substitutions: Mapping[ox.Variable, Any]) -> str:
    """The query with ``VALUES (?a ?b) { (<x> "y") }`` opening its outer ``WHERE`` group.

    >>> bind_values("SELECT ?s WHERE { ?s ?p ?a }", {ox.Variable("a"): ox.Literal("x")})
    'SELECT ?s WHERE { VALUES (?a) { ("x") } ?s ?p ?a }'
    """
    if not substitutions:
        return sparql
    names = " ".join(f"?{v.value}" for v in substitutions)
    row = " ".join(_term(t) for t in substitutions.values())
    block = f" VALUES ({names}) {{ ({row}) }}"
    seen_where = False
    for m in _SCAN.finditer(sparql):
        if m.lastgroup == "where":
            seen_where = True
        elif m.lastgroup == "open":
            if seen_where or not re.search(r"(?i)\bCONSTRUCT\b", sparql[:m.start()]):
                return sparql[:m.end()] + block + sparql[m.end():]
    raise QueryError("cannot bind parameters in a query without a WHERE group")


def _prologue() -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in terms.PREFIXES.items())


# -- the client -------------------------------------------------------------------------------------
class _Http:
    """One keep-alive connection per thread to one host."""

    def __init__(self, url: str, timeout: float) -> None:
        parts = urllib.parse.urlsplit(url)
        self.https = parts.scheme == "https"
        self.host = parts.hostname or "localhost"
        self.port = parts.port
        self.timeout = timeout
        self.local = threading.local()
        self.all: list[http.client.HTTPConnection] = []

    def _conn(self) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection | None = getattr(self.local, "conn", None)
        if conn is None:
            cls = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
            conn = cls(self.host, self.port, timeout=self.timeout)
            self.local.conn = conn
            self.all.append(conn)
        return conn

    def request(self, method: str, url: str, body: bytes | None = None,
                headers: Mapping[str, str] | None = None) -> http.client.HTTPResponse:
        parts = urllib.parse.urlsplit(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        for attempt in (0, 1):
            conn = self._conn()
            try:
                conn.request(method, target, body=body, headers=dict(headers or {}))
                return conn.getresponse()
            except (ConnectionError, http.client.HTTPException, OSError) as e:
                conn.close()
                self.local.conn = None
                if attempt:
                    raise StoreError(f"the SPARQL endpoint {url} cannot be reached: {e}") from None
        raise AssertionError("unreachable")

    def close(self) -> None:
        for c in self.all:
            c.close()
        self.all.clear()


def _with_params(url: str, **params: str | None) -> str:
    extra = urllib.parse.urlencode({k.replace("_", "-"): v or "" for k, v in params.items()})
    return url + ("&" if "?" in url else "?") + extra


class SparqlStore:
    """A remote store behind SPARQL 1.1 Query, Update and the Graph Store Protocol."""

    def __init__(self, url: str, *, base: str = terms.DEFAULT_BASE, query_url: str | None = None,
                 update_url: str | None = None, gsp_url: str | None = None, timeout: float = 300.0) -> None:
        root = url.rstrip("/")
        self.url = url
        self.path = None
        self.base = base
        self.read_only = False
        self.query_url = query_url or os.environ.get("MAWQIF_SPARQL_QUERY") or f"{root}/query"
        self.update_url = update_url or os.environ.get("MAWQIF_SPARQL_UPDATE") or f"{root}/update"
        self.gsp_url = gsp_url or os.environ.get("MAWQIF_SPARQL_GSP") or f"{root}/store"
        self._http = _Http(self.query_url, timeout)

    def __enter__(self) -> SparqlStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def __repr__(self) -> str:
        return f"SparqlStore({self.url!r})"

    # -- HTTP -----------------------------------------------------------------------------------
    def _send(self, method: str, url: str, body: bytes | None = None, *, content_type: str | None = None,
              accept: str | None = None) -> http.client.HTTPResponse:
        headers = {}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        return self._http.request(method, url, body, headers)

    def _check(self, resp: http.client.HTTPResponse, what: str) -> None:
        if 200 <= resp.status < 300:
            return
        text = resp.read().decode("utf-8", "replace").strip()
        if resp.status == 400:
            raise QueryError(f"malformed query: {text}" if what == "query" else f"{what}: {text}")
        raise StoreError(f"the SPARQL endpoint answered {resp.status} {resp.reason} to {what}: {text[:500]}")

    def _post_query(self, sparql: str, accept: str, *, union: bool) -> http.client.HTTPResponse:
        url = _with_params(self.query_url, union_default_graph=None) if union else self.query_url
        body = urllib.parse.urlencode({"query": _prologue() + sparql}).encode()
        resp = self._send("POST", url, body, content_type="application/x-www-form-urlencoded", accept=accept)
        self._check(resp, "query")
        return resp

    # -- writing --------------------------------------------------------------------------------
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update."""
        body = urllib.parse.urlencode({"update": _prologue() + sparql}).encode()
        resp = self._send("POST", self.update_url, body, content_type="application/x-www-form-urlencoded")
        self._check(resp, "update")
        resp.read()

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Replace one graph (Graph Store Protocol ``PUT``)."""
        resp = self._send("PUT", _with_params(self.gsp_url, graph=graph), ntriples,
                          content_type="application/n-triples")
        self._check(resp, f"PUT <{graph}>")
        resp.read()

    def post_graph(self, graph: str, ntriples: bytes) -> None:
        """Merge triples into one graph (Graph Store Protocol ``POST``)."""
        resp = self._send("POST", _with_params(self.gsp_url, graph=graph), ntriples,
                          content_type="application/n-triples")
        self._check(resp, f"POST <{graph}>")
        resp.read()

    def replace_serialized(self, articles: Sequence[tuple[str, bytes]], shared: bytes = b"",
                           edges: Iterable[EdgeRow] | None = None) -> None:
        """Merge ``shared`` (N-Quads) into its graphs, then PUT each article's graph whole.

        ``edges`` is ignored: an external store keeps no edge index (the explorer counts stances)."""
        if shared:
            by_graph: dict[str, list[ox.Triple]] = {}
            for q in ox.parse(shared, format=ox.RdfFormat.N_QUADS):
                g = q.graph_name
                if isinstance(g, ox.NamedNode):
                    by_graph.setdefault(g.value, []).append(q.triple)
            for g, triples in by_graph.items():
                self.post_graph(g, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
        for g, body in articles:
            self.put_graph(g, _to_ntriples(g, body) + _commit_line(g))

    def load(self, data: IO[bytes] | bytes | str, *, fmt: ox.RdfFormat, graph: ox.NamedNode,
             base_iri: str | None = None) -> None:
        """Add an RDF document to a named graph (``mawqif load``), with a GSP ``POST``."""
        try:
            triples = [q.triple for q in ox.parse(data, format=fmt, base_iri=base_iri)]
        except SyntaxError as e:
            raise QueryError(f"not valid {fmt.name}: {e}") from None
        self.post_graph(graph.value, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")

    def article_hashes(self, graphs: Sequence[str]) -> dict[str, str]:
        if not graphs:
            return {}
        values = " ".join(f"<{g}>" for g in graphs)
        res = self.query(f"SELECT ?g ?h WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?g mq:contentHash ?h }} }}",
                         union=False)
        assert isinstance(res, ox.QuerySolutions)
        out = {}
        for row in res:
            out[row["g"].value] = row["h"].value
        return out

    # -- reading --------------------------------------------------------------------------------
    def query(self, sparql: str, *, substitutions: Mapping[ox.Variable, Any] | None = None,
              union: bool = True) -> QueryResult:
        """Run a query; SELECT/ASK give pyoxigraph results, CONSTRUCT/DESCRIBE a list of triples."""
        if substitutions:
            sparql = bind_values(sparql, substitutions)
        resp = self._post_query(sparql, "application/sparql-results+json, application/n-triples;q=0.9",
                                union=union)
        data = resp.read()
        kind = (resp.getheader("Content-Type") or "").split(";")[0].strip().lower()
        try:
            if kind in ("application/sparql-results+json", "application/json"):
                return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
            if kind in ("application/sparql-results+xml", "application/xml"):
                return ox.parse_query_results(data, format=ox.QueryResultsFormat.XML)
            fmt = ox.RdfFormat.from_media_type(kind) or ox.RdfFormat.N_TRIPLES
            return [q.triple for q in ox.parse(data, format=fmt)]
        except (SyntaxError, ValueError) as e:
            raise StoreError(f"the SPARQL endpoint sent results mawqif cannot read ({kind}): {e}") from None

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad, streamed (a SELECT over the default graph and every named graph, as TSV)."""
        resp = self._post_query("SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
                                "text/tab-separated-values", union=False)
        results = ox.parse_query_results(resp, format=ox.QueryResultsFormat.TSV)
        assert isinstance(results, ox.QuerySolutions)
        default = ox.DefaultGraph()
        for row in results:
            g = row[3]
            yield ox.Quad(row[0], row[1], row[2], g if g is not None else default)

    def export(self, output: IO[bytes], fmt: str = "turtle") -> None:
        """Write the whole graph, streamed, as the embedded store does."""
        export_quads(self.quads, output, fmt, self.base)

    def stats(self) -> Stats:
        def count(q: str) -> int:
            return first_int(self.query(q, union=False))

        articles, stances, entities = count_contents(self.query)
        return Stats(
            articles=articles, stances=stances, entities=entities,
            triples=count("SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"),
            graphs=count("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
        )


def _to_ntriples(graph: str, body: bytes) -> bytes:
    """An article's N-Quads (as :mod:`graph_builder.parallel` writes them) as N-Triples.

    Every line ends with `` <graph> .``; N-Quads escape line breaks inside literals, so the
    replacement touches nothing else. A body that does not have this shape is parsed instead.
    """
    suffix = f" <{graph}> .\n".encode()
    lines = body.count(b"\n")
    out = body.replace(suffix, b" .\n")
    if len(body) - len(out) == lines * (len(suffix) - 3):
        return out
    triples = [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_QUADS)]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def _commit_line(graph: str) -> bytes:
    return f"<{graph}> <{terms.RDF_TYPE.value}> <{terms.MQ_ARTICLE.value}> .\n".encode()


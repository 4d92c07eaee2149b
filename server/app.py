"""``create_app(store)``: SPARQL 1.1 Protocol queries, streamed export, and the explorer page.

Every error answers in one JSON shape: ``{"ok": false, "status": N, "error": "…"}``.
"""
from __future__ import annotations

import io
import queue
import threading
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from graph_builder import __version__, terms
from graph_builder.errors import MawqifError, QueryError
from graph_builder.store import EXPORT_FORMATS, Store

#: media type → (kind, format name in graph_builder.store): kind "results" (SELECT/ASK) or "graph"
RESULT_MEDIA = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_MEDIA = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
EXPORT_MEDIA = {
    "turtle": "text/turtle", "trig": "application/trig", "nquads": "application/n-quads",
    "ntriples": "application/n-triples", "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml",
}


def error(status: int, message: str) -> Response:
    resp = jsonify({"ok": False, "status": status, "error": message})
    resp.status_code = status
    return resp


def _best(accept: Any, offered: dict[str, Any], default: str) -> str | None:
    """The offered media type the client prefers; the default for */* or no Accept; None if none fits."""
    if not accept or not list(accept.values()):
        return default
    best = accept.best_match([default, *offered])
    return best


class _QueueWriter(io.RawIOBase):
    """A binary file whose writes go, in chunks, to a bounded queue (so memory stays bounded)."""

    def __init__(self, q: queue.Queue[bytes | BaseException | None]) -> None:
        self.q = q

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        data = bytes(b)
        self.q.put(data)
        return len(data)


def stream_export(store: Store, fmt: str, chunk: int = 1 << 16) -> Iterator[bytes]:
    """The store's export in ``fmt``, produced by a writer thread and yielded as it is written."""
    q: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=64)

    def work() -> None:
        try:
            with io.BufferedWriter(_QueueWriter(q), buffer_size=chunk) as out:
                store.export(out, fmt)
        except BaseException as e:  # handed to the reader, which re-raises it
            q.put(e)
        finally:
            q.put(None)

    threading.Thread(target=work, daemon=True, name="mawqif-export").start()
    while True:
        item = q.get()
        if item is None:
            return
        if isinstance(item, BaseException):
            raise item
        yield item


def create_app(store: Store, *, base: str = terms.DEFAULT_BASE, config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=1 << 20, STORE=store, BASE=base)
    if config:
        app.config.update(config)

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException) -> Response:
        return error(e.code or 500, e.description or e.name)

    @app.errorhandler(MawqifError)
    def mawqif_error(e: MawqifError) -> Response:
        return error(e.status, str(e))

    @app.get("/")
    def index() -> str:
        return render_template("index.html", stats=store.stats(), version=__version__)

    @app.route("/sparql", methods=["GET", "POST"])
    def sparql() -> Response:
        if request.method == "GET":
            query = request.args.get("query")
        elif request.mimetype == "application/sparql-query":
            query = request.get_data(as_text=True)
        elif request.mimetype == "application/x-www-form-urlencoded":
            query = request.form.get("query")
            if query is None and "update" in request.form:
                return error(403, "SPARQL Update is not enabled on this server")
        else:
            return error(415, f"unsupported media type {request.mimetype!r}: send "
                              "application/sparql-query or application/x-www-form-urlencoded")
        if query is None:
            if request.method == "GET":
                return service_description()
            return error(400, "missing the 'query' parameter")
        results = store.query(query)
        if isinstance(results, ox.QueryTriples):
            media = _best(request.accept_mimetypes, GRAPH_MEDIA, "text/turtle")
            if media not in GRAPH_MEDIA:
                return error(406, "no acceptable media type for a graph result; offered: " + ", ".join(GRAPH_MEDIA))
            fmt = GRAPH_MEDIA[media]
            buf = io.BytesIO()
            if fmt.supports_datasets:
                ox.serialize((ox.Quad(t.subject, t.predicate, t.object) for t in results), buf, fmt)
            else:
                ox.serialize(results, buf, fmt, prefixes=terms.PREFIXES)
            return Response(buf.getvalue(), mimetype=media)
        media = _best(request.accept_mimetypes, RESULT_MEDIA, "application/sparql-results+json")
        if media not in RESULT_MEDIA:
            return error(406, "no acceptable media type for query results; offered: " + ", ".join(RESULT_MEDIA))
        buf = io.BytesIO()
        results.serialize(buf, RESULT_MEDIA[media])
        return Response(buf.getvalue(), mimetype=RESULT_MEDIA[media].media_type)

    def service_description() -> Response:
        sd = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix fmt: <http://www.w3.org/ns/formats/> .
<{request.base_url}> a sd:Service ;
  sd:endpoint <{request.base_url}> ;
  sd:supportedLanguage sd:SPARQL11Query ;
  sd:feature sd:UnionDefaultGraph ;
  sd:resultFormat fmt:SPARQL_Results_JSON, fmt:SPARQL_Results_XML, fmt:SPARQL_Results_CSV,
    fmt:SPARQL_Results_TSV, fmt:Turtle, fmt:N-Triples, fmt:JSON-LD, fmt:RDF_XML ;
  sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .
"""
        return Response(sd, mimetype="text/turtle")

    @app.get("/export")
    def export() -> Response:
        fmt = request.args.get("format", "turtle")
        if fmt not in EXPORT_FORMATS:
            raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
        return Response(stream_export(store, fmt), mimetype=EXPORT_MEDIA[fmt])

    return app

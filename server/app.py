"""``create_app(store)``: the SPARQL 1.1 Protocol (queries and, with a token, updates), the Graph Store
HTTP Protocol at ``/store``, ``POST /api/articles``, named queries at ``/queries/<name>``, the
streamed export and the explorer page.

Every error answers in one JSON shape: ``{"ok": false, "status": N, "error": "…"}``.

Configuration (``config`` or ``app.config``): ``TOKEN`` (writes are refused without one),
``MAX_CONTENT_LENGTH`` (request body, bytes), ``MAX_ROWS`` (rows in the HTML views),
``CORS_ORIGINS`` (origins allowed, ``"*"`` for any; none by default), ``CACHE_MAX_AGE`` (seconds for
``Cache-Control`` on query results), ``GZIP_MIN_SIZE`` (bytes from which answers are gzipped),
``ALLOW_SERVICE`` (federated ``SERVICE`` queries to other hosts; refused by default). ``LOAD <url>``
is always refused: the server never fetches from other hosts on a client's behalf.

Every response carries the explorer's Content-Security-Policy (scripts, styles and requests from this
origin only, no inline script), ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy``.
"""
from __future__ import annotations

import base64
import dataclasses
import gzip
import hashlib
import hmac
import io
import json
import queue
import threading
import uuid
import zlib
from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox
from flask import Flask, Response, render_template, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, MethodNotAllowed

import queries as named_queries
from graph_builder import __version__, terms
from graph_builder.errors import InputError, MawqifError, QueryError
from graph_builder.named import plan
from graph_builder.store import EXPORT_FORMATS, Store
from server.executor import ROWS, GroupCommit, InProcessRunner, QueryAnswer, QueryJob, Runner, queue_wait
from server.explorer import CSP
from server.protocol import (
    GRAPH_MEDIA,
    RESULT_MEDIA,
    add_using,
    graph_media,
    negotiate,
    remote_operations,
    result_media,
)

EXPORT_MEDIA = {
    "turtle": "text/turtle", "trig": "application/trig", "nquads": "application/n-quads",
    "ntriples": "application/n-triples", "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml",
}
#: JSON Lines media types accepted by POST /api/articles
JSONL_MEDIA = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines",
               "application/json-seq")
_FMT = "http://www.w3.org/ns/formats/"


class HTTPProblem(MawqifError):
    """An error with its own HTTP status (and headers) raised by the app."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


def error(status: int, message: str, headers: dict[str, str] | None = None, **extra: Any) -> Response:
    body = {"ok": False, "status": status, "error": message, **extra}
    resp = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


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


def _gzip_stream(chunks: Iterable[bytes]) -> Iterator[bytes]:
    z = zlib.compressobj(5, zlib.DEFLATED, 31)   # 31: gzip container
    for c in chunks:
        out = z.compress(c)
        if out:
            yield out
    yield z.flush()


def _term_json(t: Any) -> Any:
    if t is None:
        return None
    if isinstance(t, ox.Literal):
        if t.language:
            return {"value": t.value, "lang": t.language}
        return t.value
    return t.value


def _shown(rows: Any, query: named_queries.NamedQuery, form: named_queries.NamedQuery) -> Any:
    """The rows of an HTML answer without the columns only the index form has (the months it read)."""
    extra = {p.name for p in form.params} - {p.name for p in query.params}
    if rows is None or not extra:
        return rows
    names, values, truncated = rows
    keep = [i for i, n in enumerate(names) if n not in extra]
    return tuple(names[i] for i in keep), tuple(tuple(r[i] for i in keep) for r in values), truncated


def create_app(store: Store, *, base: str = terms.DEFAULT_BASE, config: dict[str, Any] | None = None,
               runner: Runner | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=16 << 20, STORE=store, BASE=base, TOKEN=None, MAX_ROWS=1000,
                      CORS_ORIGINS=(), CACHE_MAX_AGE=0, GZIP_MIN_SIZE=2048, ALLOW_SERVICE=False)
    if config:
        app.config.update(config)
    app.config["MAX_FORM_MEMORY_SIZE"] = app.config["MAX_CONTENT_LENGTH"]
    ox_store = store.oxigraph
    if runner is None:
        runner = InProcessRunner(ox_store, terms.PREFIXES)
    app.extensions["mawqif.runner"] = runner
    runner.after_write = store.bound_log
    articles_sink = GroupCommit(store, runner)   # concurrent POST /api/articles share one write
    app.extensions["mawqif.articles"] = articles_sink
    stances_query = named_queries.get_query("article-stances").text

    # -- errors, headers -------------------------------------------------------------------------
    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException) -> Response:
        headers = {}
        if isinstance(e, MethodNotAllowed) and e.valid_methods:
            headers["Allow"] = ", ".join(e.valid_methods)
        return error(e.code or 500, e.description or e.name, headers)

    @app.errorhandler(MawqifError)
    def mawqif_error(e: MawqifError) -> Response:
        return error(e.status, str(e), getattr(e, "headers", None))

    @app.errorhandler(Exception)
    def unexpected(e: Exception) -> Response:
        app.logger.exception("unexpected error")
        return error(500, f"internal error: {type(e).__name__}")

    @app.after_request
    def finish(resp: Response) -> Response:
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        origins = app.config["CORS_ORIGINS"]
        origin = request.headers.get("Origin")
        if origins and origin:
            if "*" in origins:
                resp.headers["Access-Control-Allow-Origin"] = "*"
            elif origin in origins:
                resp.headers["Access-Control-Allow-Origin"] = origin
                resp.vary.add("Origin")
            if request.method == "OPTIONS":
                resp.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, PUT, DELETE, OPTIONS"
                resp.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, Accept"
                resp.headers["Access-Control-Max-Age"] = "600"
            resp.headers["Access-Control-Expose-Headers"] = "ETag, Location, Content-Encoding"
        if (resp.status_code == 200 and not resp.is_streamed and not resp.direct_passthrough   # files: as they are
                and "Content-Encoding" not in resp.headers
                and request.accept_encodings["gzip"] > 0):
            data = resp.get_data()
            if len(data) >= app.config["GZIP_MIN_SIZE"]:
                resp.set_data(gzip.compress(data, compresslevel=5, mtime=0))
                resp.headers["Content-Encoding"] = "gzip"
                etag, weak = resp.get_etag()
                if etag:
                    resp.set_etag(etag + "-gz", weak=bool(weak))
        if request.accept_encodings and resp.status_code in (200, 304):
            resp.vary.add("Accept-Encoding")
        return resp

    def cacheable(resp: Response) -> Response:
        """ETag (of the body) and Cache-Control for a GET answer; 304 when the client has it."""
        if request.method not in ("GET", "HEAD"):
            return resp
        tag = hashlib.sha1(resp.get_data()).hexdigest()[:24]
        resp.headers["Cache-Control"] = f"public, max-age={int(app.config['CACHE_MAX_AGE'])}, must-revalidate"
        inm = request.if_none_match
        if inm and (inm.contains(tag) or inm.contains(tag + "-gz") or inm.star_tag):
            gz = request.accept_encodings["gzip"] > 0 and len(resp.get_data()) >= app.config["GZIP_MIN_SIZE"]
            not_modified = Response(status=304)
            not_modified.set_etag(tag + "-gz" if gz else tag)
            not_modified.headers["Cache-Control"] = resp.headers["Cache-Control"]
            return not_modified
        resp.set_etag(tag)
        return resp

    # -- auth ------------------------------------------------------------------------------------
    def require_token() -> None:
        token = app.config.get("TOKEN")
        if not token:
            raise HTTPProblem(403, "writes are disabled on this server: start it with --token or "
                                   "$MAWQIF_TOKEN to allow updates and uploads")
        given = None
        auth = request.headers.get("Authorization", "")
        scheme, _, value = auth.partition(" ")
        if scheme.lower() == "bearer":
            given = value.strip()
        elif scheme.lower() == "basic":
            try:
                given = base64.b64decode(value.strip()).decode("utf-8").partition(":")[2]
            except (ValueError, UnicodeDecodeError):
                given = None
        challenge = {"WWW-Authenticate": 'Bearer realm="mawqif"'}
        if not given:
            raise HTTPProblem(401, "this request writes: send the server's token as "
                                   "'Authorization: Bearer <token>'", challenge)
        if not hmac.compare_digest(given.encode("utf-8"), str(token).encode("utf-8")):
            raise HTTPProblem(401, "wrong token", challenge)

    # -- pages -----------------------------------------------------------------------------------
    # The graph explorer (server/explorer) serves "/", "/query", "/analytics", "/id/…" and its APIs.
    from server.explorer import create_blueprint
    app.register_blueprint(create_blueprint(store, base, runner.reading))

    # -- SPARQL 1.1 Protocol ---------------------------------------------------------------------
    def body_text() -> str:
        charset = (request.mimetype_params.get("charset") or "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise HTTPProblem(415, f"the body must be UTF-8, not {charset}")
        try:
            return request.get_data().decode("utf-8")
        except UnicodeDecodeError as e:
            raise HTTPProblem(400, f"the body is not valid UTF-8 (byte {e.start})") from None

    def graph_list(params: MultiDict[str, str], name: str) -> list[str]:
        values = params.getlist(name)
        for v in values:
            try:
                ox.NamedNode(v)
            except ValueError:
                raise HTTPProblem(400, f"{name}: not an IRI: {v!r}") from None
        return values

    def refuse_remote(text: str, update: bool) -> None:
        found = remote_operations(text)
        if "LOAD" in found:
            raise HTTPProblem(403, "LOAD is disabled on this server: it never fetches documents from other "
                                   "hosts; send the data with the Graph Store Protocol (PUT/POST /store)")
        if "SERVICE" in found and not app.config.get("ALLOW_SERVICE"):
            raise HTTPProblem(403 if update else 400, "SERVICE (federated queries to other hosts) is disabled on "
                                                      "this server")

    def answer_query(text: str, params: MultiDict[str, str]) -> Response:
        refuse_remote(text, update=False)
        rm, gm = result_media(request.accept_mimetypes), graph_media(request.accept_mimetypes)
        if rm is None and gm is None:
            return error(406, "no acceptable media type; offered: " + ", ".join((*RESULT_MEDIA, *GRAPH_MEDIA)))
        default_graphs = graph_list(params, "default-graph-uri")
        named = graph_list(params, "named-graph-uri")
        dataset = bool(default_graphs or named)
        job = QueryJob(query=text, result_media=rm, graph_media=gm, base_iri=request.base_url,
                       default_graphs=tuple(default_graphs) if dataset else None,
                       named_graphs=tuple(named) if dataset else None)
        return cacheable(respond(run(job)))

    def run(job: QueryJob) -> QueryAnswer:
        """Run a query of this request: its time limit counts from the request's arrival."""
        return runner.run(dataclasses.replace(job, waited=queue_wait(request.environ)))

    def respond(answer: QueryAnswer) -> Response:
        if not answer.media:
            offered = GRAPH_MEDIA if answer.kind == "graph" else RESULT_MEDIA
            return error(406, f"no acceptable media type for a {'graph' if answer.kind == 'graph' else 'results'} "
                              "answer; offered: " + ", ".join(offered))
        return Response(answer.body, mimetype=answer.media)

    def run_update(text: str, params: MultiDict[str, str]) -> Response:
        require_token()
        refuse_remote(text, update=True)
        text = add_using(text, graph_list(params, "using-graph-uri"), graph_list(params, "using-named-graph-uri"))
        with runner.writing():
            try:
                ox_store.update(text, base_iri=request.base_url, prefixes=terms.PREFIXES)
            except SyntaxError as e:
                raise QueryError(f"malformed update: {e}") from None
            except (ValueError, TypeError) as e:
                raise QueryError(str(e)) from None
            except RuntimeError as e:   # the update's own failure, e.g. CLEAR of a graph that does not exist
                raise QueryError(f"the update failed (nothing was changed): {e}") from None
            # an update may change stances anywhere: the edge index is counted again (seconds to
            # minutes on a large store, during which other writes wait)
            store.changed_anywhere()
        return Response(status=204)

    @app.route("/sparql", methods=["GET", "POST"])
    @app.route("/sparql/", methods=["GET", "POST"])
    def sparql() -> Response:
        args = request.args
        if request.method in ("GET", "HEAD"):
            if "update" in args:
                return error(405, "SPARQL Update must be sent with POST", {"Allow": "POST"})
            texts = args.getlist("query")
            if not texts:
                return service_description()
            if len(texts) > 1:
                return error(400, "more than one 'query' parameter")
            return answer_query(texts[0], args)
        mt = request.mimetype
        if mt == "application/x-www-form-urlencoded":
            body_text()   # checks the charset
            form = request.form
            qs, us = form.getlist("query"), form.getlist("update")
            if len(qs) + len(us) > 1:
                return error(400, "exactly one 'query' or 'update' parameter is allowed")
            params = MultiDict([*args.items(multi=True), *form.items(multi=True)])
            if qs:
                return answer_query(qs[0], params)
            if us:
                return run_update(us[0], params)
            return error(400, "missing the 'query' (or 'update') parameter")
        if mt == "application/sparql-query":
            if "query" in args or "update" in args:
                return error(400, "the query is in the body; do not give a 'query' parameter too")
            return answer_query(body_text(), args)
        if mt == "application/sparql-update":
            if "query" in args or "update" in args:
                return error(400, "the update is in the body; do not give an 'update' parameter too")
            return run_update(body_text(), args)
        if not mt:
            return error(415, "missing Content-Type: send application/sparql-query, application/sparql-update "
                              "or application/x-www-form-urlencoded")
        return error(415, f"unsupported media type {mt!r}: send application/sparql-query, "
                          "application/sparql-update or application/x-www-form-urlencoded")

    def service_description() -> Response:
        endpoint = request.base_url
        languages = "sd:SPARQL11Query" + (", sd:SPARQL11Update" if app.config.get("TOKEN") else "")
        results = ", ".join(f"<{_FMT}{f}>" for f in (
            "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
            "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads"))
        inputs = ", ".join(f"<{_FMT}{f}>" for f in ("Turtle", "N-Triples", "RDF_XML", "TriG", "N-Quads", "JSON-LD"))
        sd = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<{endpoint}> a sd:Service ;
  sd:endpoint <{endpoint}> ;
  dcterms:title "mawqif SPARQL endpoint" ;
  sd:supportedLanguage {languages} ;
  sd:feature sd:UnionDefaultGraph, sd:EmptyGraphs ;
  sd:defaultEntailmentRegime <http://www.w3.org/ns/entailment/Simple> ;
  sd:resultFormat {results} ;
  sd:inputFormat {inputs} ;
  sd:defaultDataset [ a sd:Dataset ;
    dcterms:description "The default graph is the union of all graphs unless the request names one" ;
    sd:defaultGraph [ a sd:Graph ] ] .
"""
        media = graph_media(request.accept_mimetypes)
        if media is None:
            return error(406, "no acceptable media type for the service description; offered: "
                         + ", ".join(GRAPH_MEDIA))
        if media == "text/turtle":
            return cacheable(Response(sd, mimetype=media))
        fmt = ox.RdfFormat.from_media_type(media)
        assert fmt is not None
        buf = io.BytesIO()
        triples = ox.parse(sd.encode(), ox.RdfFormat.TURTLE)
        ox.serialize((ox.Quad(q.subject, q.predicate, q.object) for q in triples) if fmt.supports_datasets
                     else (q.triple for q in triples), buf, fmt)
        return cacheable(Response(buf.getvalue(), mimetype=media))

    # -- export ----------------------------------------------------------------------------------
    @app.get("/export")
    def export() -> Response:
        fmt = request.args.get("format", "turtle")
        if fmt not in EXPORT_FORMATS:
            raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
        if request.method == "HEAD":
            return Response(mimetype=EXPORT_MEDIA[fmt])
        chunks: Iterable[bytes] = stream_export(store, fmt)
        resp = Response(mimetype=EXPORT_MEDIA[fmt])
        if request.accept_encodings["gzip"] > 0:
            chunks = _gzip_stream(chunks)
            resp.headers["Content-Encoding"] = "gzip"
        resp.response = chunks
        return resp

    # -- Graph Store HTTP Protocol ---------------------------------------------------------------
    def target_graph(direct: bool) -> ox.NamedNode | ox.DefaultGraph | None:
        if direct:
            return ox.NamedNode(request.base_url)
        has_default, graph = "default" in request.args, request.args.get("graph")
        if has_default and graph is not None:
            raise HTTPProblem(400, "give either ?default or ?graph=IRI, not both")
        if has_default:
            return ox.DefaultGraph()
        if graph is None:
            return None
        try:
            iri = ox.NamedNode(graph)
        except ValueError:
            raise HTTPProblem(400, f"?graph: not an absolute IRI: {graph!r}") from None
        return iri

    def graph_exists(g: ox.NamedNode | ox.DefaultGraph) -> bool:
        return isinstance(g, ox.DefaultGraph) or ox_store.contains_named_graph(g)

    def read_rdf(g: ox.NamedNode | ox.DefaultGraph) -> list[ox.Quad]:
        mt = request.mimetype
        if mt.startswith("multipart/"):
            raise HTTPProblem(415, "multipart/form-data uploads are not supported; send the RDF document "
                                   "as the body with its media type")
        fmt = ox.RdfFormat.from_media_type(mt) if mt else None
        if fmt is None:
            raise HTTPProblem(415, f"unsupported media type {mt or '(none)'!r}: send Turtle, N-Triples, "
                                   "RDF/XML, JSON-LD, TriG or N-Quads")
        base_iri = g.value if isinstance(g, ox.NamedNode) else request.base_url
        try:
            return [ox.Quad(q.subject, q.predicate, q.object, g)
                    for q in ox.parse(body_text().encode("utf-8"), fmt, base_iri=base_iri)]
        except SyntaxError as e:
            raise HTTPProblem(400, f"not valid {fmt.name}: {e}") from None

    @app.route("/store", methods=["GET", "PUT", "POST", "DELETE"])
    @app.route("/store/<path:rest>", methods=["GET", "PUT", "POST", "DELETE"])
    def graph_store(rest: str | None = None) -> Response:
        g = target_graph(rest is not None)
        if request.method in ("GET", "HEAD"):
            if g is None:
                media = negotiate(request.accept_mimetypes, ("application/trig", "application/n-quads"))
                if media is None:
                    return error(406, "the whole store is served as application/trig or application/n-quads")
                return export_dataset(media)
            media = graph_media(request.accept_mimetypes)
            with runner.reading():   # a snapshot between two writes (never half an article)
                exists = graph_exists(g)
                stored = ox_store.quads_for_pattern(None, None, None, g)
            if not exists:
                return error(404, f"no graph <{getattr(g, 'value', '')}> in the store")
            if media is None:
                return error(406, "no acceptable media type for a graph; offered: " + ", ".join(GRAPH_MEDIA))
            fmt = ox.RdfFormat.from_media_type(media)
            assert fmt is not None
            buf = io.BytesIO()
            if fmt.supports_datasets:
                ox.serialize((ox.Quad(q.subject, q.predicate, q.object) for q in stored), buf, fmt,
                             prefixes=terms.PREFIXES)
            else:
                ox.serialize((q.triple for q in stored), buf, fmt, prefixes=terms.PREFIXES)
            return cacheable(Response(buf.getvalue(), mimetype=media))
        require_token()
        if request.method == "DELETE":
            if g is None:
                return error(400, "DELETE needs ?graph=IRI or ?default")
            if not graph_exists(g):
                return error(404, f"no graph <{getattr(g, 'value', '')}> in the store")
            with runner.writing(), store.changing_graph(g):
                if isinstance(g, ox.DefaultGraph):
                    ox_store.clear_graph(g)
                else:
                    ox_store.remove_graph(g)
            return Response(status=204)
        location = None
        if g is None:
            if request.method == "PUT":
                return error(400, "PUT needs ?graph=IRI or ?default")
            g = ox.NamedNode(f"{request.url_root}store/{uuid.uuid4().hex}")
            location = g.value
        quads = read_rdf(g)
        with runner.writing(), store.changing_graph(g):
            existed = graph_exists(g)
            if request.method == "PUT" and existed:
                ox_store.clear_graph(g)
            if isinstance(g, ox.NamedNode) and not existed:
                ox_store.add_graph(g)
            if quads:
                ox_store.extend(quads)
        resp = Response(status=204 if existed else 201)
        if location:
            resp.headers["Location"] = location
        return resp

    def export_dataset(media: str) -> Response:
        fmt = "trig" if media == "application/trig" else "nquads"
        if request.method == "HEAD":
            return Response(mimetype=media)
        return Response(stream_export(store, fmt), mimetype=media)

    # -- articles --------------------------------------------------------------------------------
    @app.post("/api/articles")
    def post_articles() -> Response:
        from graph_builder.ingest import extraction_time, ingest
        from graph_builder.loaders import article_from_record, read_stream
        from graph_builder.quads import article_iri

        require_token()
        mt = request.mimetype
        items: list[Any] = []
        if mt == "application/json":
            try:
                doc = json.loads(body_text())
            except json.JSONDecodeError as e:
                raise InputError(f"not valid JSON: {e.msg} (line {e.lineno}, column {e.colno})",
                                 source="request") from None
            records = doc if isinstance(doc, list) else [doc]
            for i, record in enumerate(records, 1):
                try:
                    items.append(article_from_record(record, source="request",
                                                     line=i if isinstance(doc, list) else None))
                except InputError as e:
                    items.append(e)
        elif mt in JSONL_MEDIA:
            body_text()
            items.extend(read_stream(io.BytesIO(request.get_data()), source="request"))
        else:
            return error(415, f"unsupported media type {mt or '(none)'!r}: send one article as "
                              "application/json or several as application/x-ndjson (JSON Lines)")
        if not items:
            return error(400, "no article in the request")
        # extraction runs here, unlocked; only the store write takes the write side (GroupCommit)
        report = ingest(articles_sink, items, base=base, generated_at=extraction_time())
        errors = [str(e) for e in report.errors]
        if not report.stored and not report.unchanged:
            return error(400, "; ".join(errors) or "no article stored", errors=errors)
        articles = []
        for item in items:
            if isinstance(item, MawqifError):
                continue
            iri = article_iri(item, base)
            if not ox_store.contains_named_graph(iri):
                continue   # it failed in extraction: reported in errors
            articles.append({"article": iri.value, "url": item.url, "origin": item.origin,
                             "stances": article_stances(iri)})
        return Response(json.dumps({"ok": True, "stored": report.stored, "unchanged": report.unchanged,
                                    "failed": len(errors), "errors": errors, "articles": articles},
                                   ensure_ascii=False), mimetype="application/json")

    def article_stances(iri: ox.NamedNode) -> list[dict[str, Any]]:
        res = ox_store.query(stances_query, substitutions={ox.Variable("article"): iri},
                             use_default_graph_as_union=True)
        assert isinstance(res, ox.QuerySolutions)
        by_stance: dict[str, dict[str, Any]] = {}
        for row in res:
            s = row["stance"].value
            entry = by_stance.setdefault(s, {
                "stance": s, "holder": _term_json(row["holder"]), "holderLabel": _term_json(row["holderLabel"]),
                "type": _term_json(row["type"]), "targets": [], "evidence": _term_json(row["evidence"]),
                "confidence": float(row["confidence"].value) if row["confidence"] is not None else None})
            entry["targets"].append({"target": _term_json(row["target"]),
                                     "label": _term_json(row["targetLabel"])})
        return list(by_stance.values())

    # -- named queries ---------------------------------------------------------------------------
    def wants_html() -> bool:
        return negotiate(request.accept_mimetypes, (*RESULT_MEDIA, "text/html")) == "text/html"

    @app.get("/queries")
    def query_list() -> Response:
        qs = named_queries.list_queries()
        if wants_html():
            return Response(render_template("queries.html", queries=qs, version=__version__), mimetype="text/html")
        return Response(json.dumps([{"name": q.name, "title": q.title, "description": q.description,
                                     "url": f"{request.url_root}queries/{q.name}",
                                     "params": [p.__dict__ for p in q.params]} for q in qs], ensure_ascii=False),
                        mimetype="application/json")

    @app.get("/queries/<name>")
    def named_query(name: str) -> Response:
        try:
            q = named_queries.get_query(name)
        except KeyError:
            return error(404, f"no named query {name!r}; see {request.url_root}queries")
        values = {k: v for k, v in request.args.items()}
        html = wants_html()
        if html:
            missing = [p.name for p in q.required if not values.get(p.name, "").strip()]
            if missing:
                return Response(render_template("query.html", q=q, values=values, result=None, message=None,
                                                max_rows=app.config["MAX_ROWS"], version=__version__),
                                mimetype="text/html")
        try:
            with runner.reading():   # (the planner's few lookups: between two writes)
                form, subs = plan(q, values, ox_store)
        except ValueError as e:
            if html:
                return Response(render_template("query.html", q=q, values=values, result=None, message=str(e),
                                                max_rows=app.config["MAX_ROWS"], version=__version__),
                                status=400, mimetype="text/html")
            raise QueryError(str(e)) from None
        if html:
            answer = run(QueryJob(query=form.text, result_media=ROWS, graph_media=ROWS, base_iri=request.base_url,
                                  substitutions=subs, max_rows=int(app.config["MAX_ROWS"])))
            page = render_template("query.html", q=q, values=values, result=_shown(answer.rows, q, form), message=None,
                                   max_rows=app.config["MAX_ROWS"], version=__version__)
            return cacheable(Response(page, mimetype="text/html", headers={"Mawqif-Query": form.name}))
        rm, gm = result_media(request.accept_mimetypes), graph_media(request.accept_mimetypes)
        if rm is None and gm is None:
            return error(406, "no acceptable media type; offered: " + ", ".join((*RESULT_MEDIA, *GRAPH_MEDIA,
                                                                                 "text/html")))
        answer = run(QueryJob(query=form.text, result_media=rm, graph_media=gm, base_iri=request.base_url,
                              substitutions=subs))
        resp = respond(answer)
        resp.headers["Mawqif-Query"] = form.name   # which form answered (the index's or the query itself)
        return cacheable(resp)

    return app

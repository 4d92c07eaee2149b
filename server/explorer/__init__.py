"""The visual graph explorer: a Flask blueprint with its pages, JSON APIs, scripts and styles.

``create_blueprint(store, base)`` gives the blueprint that ``server.app.create_app`` registers:

* ``/`` the graph view, ``/query`` the SPARQL page, ``/analytics`` the analytics page;
* ``/id/<path>``: the page of every IRI under the instance base, with a ``.json`` twin and content
  negotiation (``Accept: text/turtle`` gives the resource's description);
* ``/api/explorer/...`` and ``/api/analytics/...``: the JSON behind the views (``/api/explorer/stances``
  the evidence of a stance edge, ``/api/explorer/link`` where a membership, location, party or part-of
  link comes from);
* ``/explorer/static/...`` its own scripts and styles, ``/explorer/vendor/vis-network.min.js`` the
  vis-network build that the installed ``pyvis`` wheel carries (found without importing pyvis).

Responses carry a Content-Security-Policy that allows scripts, styles and requests from this origin
only (no inline script): every label, evidence sentence and title is rendered as text.
"""
from __future__ import annotations

import importlib.util
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, jsonify, render_template, request, send_file

from graph_builder import __version__, terms
from graph_builder.errors import QueryError
from graph_builder.store import Store
from queries import list_queries
from server.explorer.data import MAX_NODES, STEP, ExplorerData, Filters, check_iri, text_dir
from server.explorer.i18n import STRINGS, strings

__all__ = ["CSP", "create_blueprint", "vis_network_dir"]

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
VENDOR_FILES = {"vis-network.min.js": "text/javascript", "vis-network.css": "text/css"}
PAGE_MEDIA = ["text/html", "text/turtle", "application/n-triples", "application/ld+json", "application/json"]
RDF_MEDIA = {"text/turtle": "turtle", "application/n-triples": "ntriples", "application/ld+json": "jsonld"}


def vis_network_dir() -> Path | None:
    """``pyvis/lib/vis-9.1.2`` of the installed pyvis wheel, found without importing pyvis."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        d = Path(location) / "lib" / "vis-9.1.2"
        if (d / "vis-network.min.js").is_file():
            return d
    return None


def _int_arg(name: str, default: int = 1, lo: int = 1, hi: int = 100_000) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise QueryError(f"parameter {name!r}: expected an integer, got {raw!r}") from None
    return max(lo, min(hi, value))


def _lang() -> str:
    return "ar" if request.args.get("lang") == "ar" else "en"


def create_blueprint(store: Store, base: str = terms.DEFAULT_BASE,
                     reading: Callable[[], AbstractContextManager[object]] | None = None) -> Blueprint:
    """The explorer's pages and APIs over ``store``; ``reading`` guards the start of each query
    (the server's ``Runner.reading``)."""
    bp = Blueprint("explorer", __name__, template_folder="templates", static_folder="static",
                   static_url_path="/explorer/static")
    data = ExplorerData(store, base, reading)

    @bp.after_request
    def security_headers(resp: Response) -> Response:
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "no-referrer")
        # Files are read into the response (they are small) so that later response hooks, such as
        # the app's gzip, may read the body.
        resp.direct_passthrough = False
        return resp

    def page(template: str, **context: Any) -> str:
        lang = _lang()
        return render_template(template, lang=lang, dir="rtl" if lang == "ar" else "ltr", t=strings(lang),
                               version=__version__, other_lang="en" if lang == "ar" else "ar",
                               label=lambda n: n.get("label_ar" if lang == "ar" else "label_en") or n.get("id"),
                               label_dir=lambda: "rtl" if lang == "ar" else "ltr", text_dir=text_dir,
                               **context)

    # -- pages -----------------------------------------------------------------------------------
    @bp.get("/")
    def index() -> str:
        return page("explorer/index.html", stats=data.stats())

    @bp.get("/query")
    def query_page() -> str:
        return page("explorer/query.html")

    @bp.get("/analytics")
    def analytics_page() -> str:
        a, b = request.args.get("a", "").strip(), request.args.get("b", "").strip()
        related = None
        if a and b:
            ia, ib = resolve(a), resolve(b)
            related = data.paths(ia, ib) if ia and ib else {"paths": [], "unresolved": True}
        return page("explorer/analytics.html", activity=data.activity(), blocs=data.blocs()["blocs"],
                    a=a, b=b, related=related)

    def resolve(text: str) -> str | None:
        if "://" in text:
            return check_iri(text, "entity")
        hits = data.search(text, 1)
        return hits[0]["id"] if hits else None

    @bp.get("/id/<path:rest>")
    def resource_page(rest: str) -> Response | str:
        as_json = rest.endswith(".json")
        as_ttl = rest.endswith(".ttl")
        if as_json or as_ttl:
            rest = rest.rsplit(".", 1)[0]
        iri = base + rest
        check_iri(iri, "iri")
        media = "application/json" if as_json else "text/turtle" if as_ttl else \
            request.accept_mimetypes.best_match(PAGE_MEDIA, default="text/html")
        if media in RDF_MEDIA:
            triples = data.describe(iri)
            if not triples:
                abort(404, description=f"nothing is known about <{iri}>")
            body = data.turtle(triples) if media == "text/turtle" else _serialize(triples, media)
            resp = Response(body, mimetype=media)
            resp.headers["Vary"] = "Accept"
            return resp
        if media not in ("text/html", "application/json"):
            abort(406, description="offered: " + ", ".join(PAGE_MEDIA))
        entity = data.entity(iri, _int_arg("held"), _int_arg("received"), _int_arg("articles"))
        if entity is None:
            abort(404, description=f"nothing is known about <{iri}>")
        is_entity = bool(set(entity["classes"]) & {"State", "Organisation", "ArmedGroup", "Conflict", "Region"})
        if media == "application/json":
            doc = entity if is_entity else {"ok": True, "iri": iri, "classes": entity["classes"],
                                            "properties": data.resource(iri)}
            doc["links"] = {"html": request.path.removesuffix(".json"), "json": request.path,
                            "turtle": "/id/" + rest + ".ttl"}
            resp = jsonify(doc)
        elif is_entity:
            resp = Response(page("explorer/entity.html", e=entity, rest=rest), mimetype="text/html")
        else:
            resp = Response(page("explorer/resource.html", iri=iri, rest=rest, classes=entity["classes"],
                                 props=data.resource(iri)), mimetype="text/html")
        resp.headers["Vary"] = "Accept"
        return resp

    def _serialize(triples: list[Any], media: str) -> bytes:
        import io

        import pyoxigraph as ox
        buf = io.BytesIO()
        fmt = ox.RdfFormat.N_TRIPLES if media == "application/n-triples" else ox.RdfFormat.JSON_LD
        ox.serialize(triples, buf, fmt)
        return buf.getvalue()

    # -- assets ----------------------------------------------------------------------------------
    @bp.get("/explorer/vendor/<name>")
    def vendor(name: str) -> Response:
        if name not in VENDOR_FILES:
            abort(404)
        d = vis_network_dir()
        if d is None:
            abort(404, description="vis-network is missing: install the pyvis package, which carries it")
        resp = send_file(d / name, mimetype=VENDOR_FILES[name], max_age=3600)
        return resp

    @bp.get("/explorer/i18n.json")
    def i18n() -> Response:
        return jsonify(STRINGS)

    # -- JSON APIs -------------------------------------------------------------------------------
    @bp.get("/api/explorer/meta")
    def meta() -> Response:
        s = data.stats()
        return jsonify({"ok": True, "version": __version__, "base": base, "step": STEP, "max_nodes": MAX_NODES,
                        "stats": {"articles": s.articles, "stances": s.stances, "entities": s.entities,
                                  "triples": s.triples} if s is not None else None,
                        **data.vocab.as_json()})

    @bp.get("/api/explorer/search")
    def search() -> Response:
        q = request.args.get("q", "")
        return jsonify({"ok": True, "q": q, "results": data.search(q, _int_arg("limit", 10, 1, 50))})

    @bp.get("/api/explorer/ego")
    def ego() -> Response:
        entity = check_iri(request.args.get("entity"), "entity")
        return jsonify(data.ego(entity, Filters.parse(request.args), _int_arg("page", 1, 1, 1000)))

    @bp.get("/api/explorer/stances")
    def stances() -> Response:
        values = {k: check_iri(request.args.get(k), k) for k in ("holder", "type", "target", "stance")
                  if request.args.get(k)}
        if not values:
            raise QueryError("give at least one of holder, type, target, stance")
        return jsonify(data.newest_stances(Filters.parse(request.args), _int_arg("page"),
                                           _int_arg("size", 20, 1, 200), **values))

    @bp.get("/api/explorer/link")
    def link() -> Response:
        """Where a membership, location, party or part-of link comes from (the evidence of a link edge)."""
        missing = [k for k in ("source", "relation", "dest") if not request.args.get(k)]
        if missing:
            raise QueryError("give source, relation and dest (missing: " + ", ".join(missing) + ")")
        source = check_iri(request.args.get("source"), "source")
        dest = check_iri(request.args.get("dest"), "dest")
        doc = data.link_evidence(source, request.args.get("relation", ""), dest, _int_arg("page"),
                                 _int_arg("size", 20, 1, 200))
        if doc is None:
            abort(404, description=f"no graph states <{source}> {request.args.get('relation')} <{dest}>")
        return jsonify(doc)

    @bp.get("/api/explorer/timeline")
    def timeline() -> Response:
        entity = request.args.get("entity")
        return jsonify(data.timeline(check_iri(entity, "entity") if entity else None, Filters.parse(request.args)))

    @bp.post("/api/explorer/turtle")
    def shown_turtle() -> Response:
        doc = request.get_json(silent=True)
        if not isinstance(doc, dict):
            raise QueryError("send a JSON object {\"nodes\": [IRI…], \"edges\": [{from, type, to}…]}")
        nodes = [n for n in doc.get("nodes", []) if isinstance(n, str)]
        edges = [e for e in doc.get("edges", []) if isinstance(e, dict)]
        resp = Response(data.shown_turtle(nodes, edges), mimetype="text/turtle")
        resp.headers["Content-Disposition"] = "attachment; filename=mawqif-view.ttl"
        return resp

    @bp.get("/api/explorer/queries")
    def named_queries() -> Response:
        return jsonify({"ok": True, "queries": [
            {"name": q.name, "title": q.title, "description": q.description, "text": q.text,
             "params": [{"name": p.name, "type": p.type, "optional": p.optional, "description": p.description}
                        for p in q.params]}
            for q in list_queries() if not q.name.startswith("explorer-")]})

    @bp.get("/api/analytics")
    def analytics_all() -> Response:
        return jsonify({**data.activity(_int_arg("limit", 20, 1, 500)), "blocs": data.blocs()["blocs"]})

    @bp.get("/api/analytics/<what>")
    def analytics_one(what: str) -> Response:
        if what == "blocs":
            return jsonify(data.blocs())
        if what == "path":
            a = resolve(request.args.get("a", "").strip())
            b = resolve(request.args.get("b", "").strip())
            if not a or not b:
                raise QueryError("give two entities: a and b (IRIs or names)")
            return jsonify(data.paths(a, b, _int_arg("limit", 10, 1, 100)))
        key = {"active": "most_active", "discussed": "most_discussed", "pagerank": "pagerank"}.get(what)
        if key is None:
            abort(404, description=f"no analytics called {what!r}; use active, discussed, pagerank, blocs, path")
        return jsonify({"ok": True, what: data.activity(_int_arg("limit", 20, 1, 500))[key]})

    return bp

"""The explorer's JSON APIs and pages against a live ``mawqif serve`` over the bundled samples."""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import rdflib

from graph_builder.store import Store
from server.explorer import vis_network_dir
from server.explorer.data import ExplorerData, Filters
from tests.explorer_server import EGY, MQ, SYR


def get(url: str, accept: str | None = None, data: bytes | None = None,
        ctype: str | None = None) -> tuple[int, dict[str, str], bytes]:
    headers = {}
    if accept:
        headers["Accept"] = accept
    if ctype:
        headers["Content-Type"] = ctype
    req = urllib.request.Request(url, headers=headers, data=data, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def get_json(url: str) -> Any:
    status, headers, body = get(url)
    assert status == 200, body
    assert headers["Content-Type"].startswith("application/json")
    return json.loads(body)


def q(**params: str) -> str:
    return urllib.parse.urlencode(params)


# ----------------------------------------------------------------------------- delivery and security

def test_vis_network_asset_is_installed_and_served(explorer_server):
    d = vis_network_dir()
    assert d is not None and (d / "vis-network.min.js").is_file(), "pyvis (carrier of vis-network) is missing"
    status, headers, body = get(explorer_server.url + "/explorer/vendor/vis-network.min.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert len(body) > 100_000 and b"vis-network" in body[:2000]
    assert get(explorer_server.url + "/explorer/vendor/other.js")[0] == 404


def test_explorer_page_has_no_inline_script_and_no_other_origin(explorer_server):
    status, headers, body = get(explorer_server.url + "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    html = body.decode()
    assert "mawqif" in html
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all("src=" in attrs and not content.strip() for attrs, content in scripts)
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"
    for ref in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert ref.startswith(("/", "?", "#", "data:")), ref


def test_static_and_pages_answer(explorer_server):
    for path in ("/explorer/static/explorer.js", "/explorer/static/common.js", "/explorer/static/query.js",
                 "/explorer/static/explorer.css", "/explorer/vendor/vis-network.css", "/query", "/analytics"):
        status, headers, _ = get(explorer_server.url + path)
        assert status == 200, path
        assert "Content-Security-Policy" in headers


def test_hostile_text_is_escaped_on_server_pages(explorer_server):
    doc = get_json(explorer_server.url + "/api/explorer/stances?" + q(holder=EGY, target=SYR, type=MQ + "Condemnation"))
    hostile = [s for s in doc["stances"] if "onerror" in s["evidence"]["text"]]
    assert hostile, doc
    s = hostile[0]
    assert s["article"]["url"] is None and s["article"]["url_text"] == "javascript:alert(1)"
    # the stance page and the article page render the strings as text
    for path in (s["page"], s["article"]["page"], "/id/state/SYR", "/id/state/EGY"):
        status, _, body = get(explorer_server.url + path)
        assert status == 200, path
        html = body.decode()
        assert "<img src=x" not in html and "<script>alert" not in html
        assert 'href="javascript:' not in html
    status, _, body = get(explorer_server.url + s["article"]["page"])
    assert "&lt;script&gt;alert(" in body.decode()


# ----------------------------------------------------------------------------- search and ego graph

def test_search_arabic_english_and_clitics(explorer_server):
    for text in ("سوريا", "سورية", "وسوريا", "syria", "Syria", "SYR"):
        doc = get_json(explorer_server.url + "/api/explorer/search?" + q(q=text))
        assert doc["results"] and doc["results"][0]["id"] == SYR, (text, doc["results"][:2])
    doc = get_json(explorer_server.url + "/api/explorer/search?" + q(q="الامم المتحده"))
    assert doc["results"][0]["id"].endswith("/organisation/UN")
    assert get_json(explorer_server.url + "/api/explorer/search?" + q(q="zzzzqq"))["results"] == []


def test_ego_graph(explorer_server):
    doc = get_json(explorer_server.url + "/api/explorer/ego?" + q(entity=SYR))
    ids = {n["id"] for n in doc["nodes"]}
    assert SYR in ids and EGY in ids
    assert doc["nodes"][0]["id"] == SYR and doc["nodes"][0]["label_ar"] == "سوريا"
    stance_edges = [e for e in doc["edges"] if e["kind"] == "stance"]
    assert stance_edges and all(e["from"] in ids and e["to"] in ids for e in doc["edges"])
    assert {e["type"] for e in stance_edges} >= {"Condemnation", "Call"}
    assert all(SYR in (e["from"], e["to"]) for e in stance_edges)
    # filters: type, holder class, date range
    only = get_json(explorer_server.url + "/api/explorer/ego?" + q(entity=SYR, types="Condemnation"))
    assert {e["type"] for e in only["edges"]} == {"Condemnation"}
    orgs = get_json(explorer_server.url + "/api/explorer/ego?" + q(entity=SYR, classes="Organisation"))
    assert all(e["from"] != EGY for e in orgs["edges"])
    late = get_json(explorer_server.url + "/api/explorer/ego?" + q(entity=SYR, **{"from": "2025-06-01"}))
    assert all(e["latest"] >= "2025-06-01" for e in late["edges"]) and len(late["edges"]) < len(stance_edges)


def test_ego_graph_is_capped_per_step(tmp_path):
    from graph_builder.ingest import ingest
    from graph_builder.loaders import iter_articles
    from graph_builder.samples import SAMPLES_PATH
    with Store(tmp_path / "s") as store:
        ingest(store, iter_articles([str(SAMPLES_PATH)]))
        data = ExplorerData(store)
        first = data.ego(SYR, Filters(), page=1, step=1)
        assert first["shown"] == 1 and first["more"] == first["neighbours"] - 1 >= 1
        assert len(first["nodes"]) == 2
        second = data.ego(SYR, Filters(), page=2, step=1)
        assert second["shown"] == 2 and second["more"] == first["more"] - 1


def test_bad_parameters_are_json_400(explorer_server):
    for path in ("/api/explorer/ego?entity=not-an-iri", "/api/explorer/ego",
                 "/api/explorer/ego?" + q(entity=SYR, types="Hug"), "/api/explorer/ego?" + q(entity=SYR, to="May 5"),
                 "/api/explorer/stances", "/api/explorer/ego?" + q(entity=SYR, page="x")):
        status, headers, body = get(explorer_server.url + path)
        doc = json.loads(body)
        assert status == 400 and doc["ok"] is False and doc["status"] == 400 and doc["error"], path


# ----------------------------------------------------------------------------- evidence, timeline, export

def test_evidence_with_cue_entities_article_and_cameo(explorer_server):
    doc = get_json(explorer_server.url + "/api/explorer/stances?" + q(target=SYR))
    assert doc["total"] >= 3
    ar = [s for s in doc["stances"] if s["evidence"]["lang"] == "ar"]
    assert ar
    s = ar[0]
    assert s["evidence"]["dir"] == "rtl"
    marks = {seg["mark"] for seg in s["evidence"]["segments"]}
    assert "cue" in marks and "entity" in marks
    assert "".join(seg["text"] for seg in s["evidence"]["segments"]) == s["evidence"]["text"]
    cue = next(seg for seg in s["evidence"]["segments"] if seg["mark"] == "cue")
    assert cue["text"] == s["cue"]
    assert re.fullmatch(r"\d{3}", s["type"]["cameo"]) and s["type"]["label_ar"]
    assert s["article"]["title"] and s["article"]["published"] and s["holder"]["label_en"]
    assert any(t["id"] == SYR for t in s["targets"])


def test_timeline_is_monthly_and_filters(explorer_server):
    doc = get_json(explorer_server.url + "/api/explorer/timeline")
    months = [m["month"] for m in doc["months"]]
    assert months == sorted(months) and len(months) >= 2 and sum(m["count"] for m in doc["months"]) >= 40
    syr = get_json(explorer_server.url + "/api/explorer/timeline?" + q(entity=SYR, types="Condemnation"))
    assert all(set(m["types"]) <= {"Condemnation"} for m in syr["months"])


def test_turtle_of_what_is_shown(explorer_server):
    ego = get_json(explorer_server.url + "/api/explorer/ego?" + q(entity=SYR))
    body = json.dumps({"nodes": [n["id"] for n in ego["nodes"]],
                       "edges": [e for e in ego["edges"] if e["kind"] == "stance"]}).encode()
    status, headers, ttl = get(explorer_server.url + "/api/explorer/turtle", data=body, ctype="application/json")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=ttl, format="turtle")
    stances = set(g.subjects(rdflib.RDF.type, rdflib.URIRef(MQ + "Stance")))
    assert len(stances) >= sum(e["count"] for e in ego["edges"] if e["kind"] == "stance")
    assert (rdflib.URIRef(SYR), rdflib.RDFS.label, rdflib.Literal("سوريا", lang="ar")) in g


# ----------------------------------------------------------------------------- entity pages

def test_entity_page_json_twin_and_content_negotiation(explorer_server):
    status, headers, body = get(explorer_server.url + "/id/state/SYR")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    html = body.decode()
    assert "Syria" in html and "سوريا" in html and "https://www.wikidata.org/wiki/Q858" in html
    doc = get_json(explorer_server.url + "/id/state/SYR.json")
    assert doc["labels"]["ar"] == ["سوريا"] and doc["labels"]["en"] == ["Syria"]
    assert doc["wikidata"] == "https://www.wikidata.org/wiki/Q858" and doc["iso_code"] == "SYR"
    assert doc["received"]["total"] >= 3 and doc["articles"]["total"] >= 1
    assert doc["received"]["stances"][0]["evidence"]["text"]
    status, headers, ttl = get(explorer_server.url + "/id/state/SYR", accept="text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle") and "Accept" in headers.get("Vary", "")
    g = rdflib.Graph().parse(data=ttl, format="turtle")
    assert (rdflib.URIRef(SYR), rdflib.OWL.sameAs, rdflib.URIRef("http://www.wikidata.org/entity/Q858")) in g
    assert get(explorer_server.url + "/id/state/SYR", accept="application/json")[1]["Content-Type"].startswith(
        "application/json")
    gcc = get_json(explorer_server.url + "/id/organisation/GCC.json")
    assert "memberOf_of" in gcc["links"] or gcc["received"]["total"] or gcc["held"]["total"]
    status, _, body = get(explorer_server.url + "/id/state/NOPE")
    assert status == 404 and json.loads(body)["ok"] is False


def test_entity_pages_are_paged(explorer_server):
    doc = get_json(explorer_server.url + "/id/state/SYR.json?received=2")
    assert doc["received"]["page"] == 2 and doc["received"]["stances"] == []


# ----------------------------------------------------------------------------- analytics and queries

def test_analytics_json(explorer_server):
    doc = get_json(explorer_server.url + "/api/analytics")
    active = doc["most_active"]
    assert active and active[0]["stances_taken"] >= active[-1]["stances_taken"] > 0
    assert doc["most_discussed"][0]["stances_received"] > 0
    assert abs(sum(r["pagerank"] for r in get_json(explorer_server.url + "/api/analytics/pagerank?limit=500")
                   ["pagerank"]) - 1.0) < 0.01
    blocs = get_json(explorer_server.url + "/api/analytics/blocs")["blocs"]
    assert blocs and all(len(b["members"]) >= 2 for b in blocs)
    path = get_json(explorer_server.url + "/api/analytics/path?" + q(a="Egypt", b="سوريا"))
    assert path["length"] == 1 and path["paths"][0]["steps"][0]["types"]
    far = get_json(explorer_server.url + "/api/analytics/path?" + q(a=SYR, b="https://w3id.org/mawqif/id/state/RUS"))
    assert far["paths"] == [] or far["length"] >= 2
    status, _, body = get(explorer_server.url + "/analytics?" + q(a="Egypt", b="Syria"))
    assert status == 200 and 'id="paths"' in body.decode()


def test_named_queries_for_the_query_page(explorer_server):
    doc = get_json(explorer_server.url + "/api/explorer/queries")
    names = {x["name"] for x in doc["queries"]}
    assert {"stances-of-actor", "who-condemns"} <= names
    assert not any(n.startswith("explorer-") for n in names)


# ----------------------------------------------------------------------------- evidence of links

GCC = "https://w3id.org/mawqif/id/organisation/GCC"
QAT = "https://w3id.org/mawqif/id/state/QAT"


def test_link_evidence_of_a_membership_lists_its_articles(explorer_server):
    doc = get_json(explorer_server.url + "/api/explorer/link?" + q(source=QAT, relation=MQ + "memberOf", dest=GCC))
    assert doc["ok"] is True and doc["source"]["id"] == QAT and doc["dest"]["id"] == GCC
    assert doc["relation"] == {"name": "memberOf", "iri": MQ + "memberOf", "label_en": "member of",
                               "label_ar": "عضو في"}
    # the extractor records no sentence for a membership, only the triple in the article's graph
    assert doc["sentence"] is None and doc["curated"] == [] and doc["default_graph"] is False
    assert doc["articles"]["total"] >= 1
    a = doc["articles"]["items"][0]
    assert a["iri"].startswith("https://w3id.org/mawqif/id/article/") and a["page"].startswith("/id/article/")
    assert a["title"] and a["title_dir"] == "rtl" and a["date"] and a["url"].startswith("https://")
    assert a["run"]["software"].startswith("mawqif ") and a["run"]["page"].startswith("/id/run/")
    assert doc["wikidata"]["source"] == {"iri": "http://www.wikidata.org/entity/Q846",
                                         "url": "https://www.wikidata.org/wiki/Q846"}
    # the relation may be given by its local name; the article's page answers
    short = get_json(explorer_server.url + "/api/explorer/link?" + q(source=QAT, relation="memberOf", dest=GCC))
    assert short["articles"] == doc["articles"]
    assert get(explorer_server.url + a["page"])[0] == 200
    # every edge of the ego graph leads to its evidence
    ego = get_json(explorer_server.url + "/api/explorer/ego?" + q(entity=GCC))
    links = [e for e in ego["edges"] if e["kind"] == "link"]
    assert links
    for e in links:
        ev = get_json(explorer_server.url + "/api/explorer/link?" + q(source=e["from"], relation=e["relation"],
                                                                         dest=e["to"]))
        assert ev["articles"]["total"] or ev["curated"]


def test_link_evidence_of_a_curated_link_names_its_source(explorer_server):
    yemen, houthis = "https://w3id.org/mawqif/id/conflict/yemen", "https://w3id.org/mawqif/id/armed-group/HOUTHIS"
    doc = get_json(explorer_server.url + "/api/explorer/link?" + q(source=yemen, relation=MQ + "party", dest=houthis))
    assert doc["articles"]["total"] == 0
    assert doc["curated"] == [{"graph": "https://w3id.org/mawqif/id/graph/entities", "gazetteer": {
        "name": "mawqif gazetteer", "file": "graph_builder/gazetteer/data/conflicts.json", "key": "conflict:yemen",
        "field": "parties", "value": "HOUTHIS", "wikidata": None, "wikidata_url": None}}]
    unsc, un = "https://w3id.org/mawqif/id/organisation/UNSC", "https://w3id.org/mawqif/id/organisation/UN"
    part = get_json(explorer_server.url + "/api/explorer/link?" + q(source=unsc, relation="partOf", dest=un))
    assert part["curated"][0]["gazetteer"]["field"] == "parent"
    assert part["wikidata"]["dest"]["url"] == "https://www.wikidata.org/wiki/Q1065"


def test_link_evidence_errors_are_json(explorer_server):
    base = explorer_server.url + "/api/explorer/link?"
    cases = [
        (400, ""), (400, q(source=QAT, relation="memberOf")), (400, q(relation="memberOf", dest=GCC)),
        (400, q(source="not an iri", relation="memberOf", dest=GCC)),
        (400, q(source=QAT, relation="memberOf", dest="GCC")),
        (400, q(source=QAT, relation="knows", dest=GCC)),
        (400, q(source=QAT, relation="http://example.org/memberOf", dest=GCC)),
        (400, q(source=QAT, relation="memberOf", dest=GCC, page="two")),
        (404, q(source=QAT, relation="memberOf", dest="https://w3id.org/mawqif/id/organisation/UN")),
        (404, q(source=GCC, relation="memberOf", dest=QAT)),
    ]
    for status, query in cases:
        got, headers, body = get(base + query)
        assert got == status, (query, body)
        assert headers["Content-Type"].startswith("application/json")
        doc = json.loads(body)
        assert doc["ok"] is False and doc["status"] == status and doc["error"], query
    status, headers, _ = get(base + q(source=QAT, relation="memberOf", dest=GCC), data=b"{}", ctype="application/json")
    assert status == 405 and "GET" in headers.get("Allow", "")


def test_link_evidence_pages_and_reads_every_graph(tmp_path):
    """Articles are paged; a link in the default graph or in another named graph is reported as such."""
    import pyoxigraph as ox

    from graph_builder import terms

    with Store(tmp_path / "s") as store:
        org, state = ox.NamedNode(GCC), ox.NamedNode(QAT)
        quads = []
        for i in range(3):
            art = ox.NamedNode(f"https://w3id.org/mawqif/id/article/test{i}")
            quads += [ox.Quad(art, terms.RDF_TYPE, terms.MQ_ARTICLE, art),
                      ox.Quad(art, terms.SCHEMA_DATE_PUBLISHED, ox.Literal(f"2025-01-0{i + 1}",
                                                                           datatype=terms.XSD_DATE), art),
                      ox.Quad(state, terms.MQ_MEMBER_OF, org, art)]
        quads.append(ox.Quad(state, terms.MQ_MEMBER_OF, org, ox.NamedNode("https://example.org/graph/loaded")))
        store.oxigraph.extend(quads)
        data = ExplorerData(store)
        first = data.link_evidence(QAT, "memberOf", GCC, page=1, size=2)
        assert first is not None
        assert first["articles"]["total"] == 3 and first["articles"]["pages"] == 2
        assert [a["date"] for a in first["articles"]["items"]] == ["2025-01-03", "2025-01-02"]
        assert data.link_evidence(QAT, "memberOf", GCC, page=2, size=2)["articles"]["items"][0]["date"] == "2025-01-01"
        assert first["other_graphs"] == ["https://example.org/graph/loaded"] and first["default_graph"] is False
        store.oxigraph.add(ox.Quad(org, terms.MQ_PARTY, state, ox.DefaultGraph()))
        only_default = data.link_evidence(GCC, terms.MQ + "party", QAT)
        assert only_default is not None and only_default["default_graph"] is True
        assert only_default["articles"]["total"] == 0 and only_default["curated"] == []
        assert data.link_evidence(GCC, "memberOf", QAT) is None

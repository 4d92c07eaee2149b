"""The W3C SPARQL 1.1 Protocol and Graph Store Protocol manifests, run against a live ``mawqif serve``.

The manifests live in ``../shared/w3c`` (beside the checkout); without them these tests skip.
Every test of the protocol manifest runs (``update_*`` with the server's token); of the Graph
Store manifests, those that need ``multipart/form-data`` are skipped (mawqif does not take
multipart uploads). Request paths ``/sparql/`` and ``/gsp`` map to mawqif's ``/sparql/`` and ``/store``.
"""
from __future__ import annotations

import http.client
import json
import pathlib
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from tests.test_server_helpers import LiveServer, start_server

REPO = pathlib.Path(__file__).resolve().parents[1]
W3C = REPO.parent / "shared" / "w3c"
PROTOCOL = W3C / "protocol-manifest.ttl"
GSP = [W3C / "sparql_sparql11_graph-store-protocol_manifest-indirect.ttl",
       W3C / "sparql_sparql11_graph-store-protocol_manifest-direct.ttl"]
TOKEN = "w3c-test-token"

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#"
NAMED_STATUS = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404, "BadRequest": 400}


@dataclass
class Req:
    method: str
    path: str
    headers: dict[str, str]
    body: str | None
    statuses: list[str]
    expected_boolean: bool | None = None
    expected_format: str | None = None
    expected_headers: dict[str, str] = field(default_factory=dict)
    expected_body: str | None = None
    expected_location: str | None = None


@dataclass
class Case:
    name: str
    requests: list[Req]
    graph_data: list[tuple[pathlib.Path, str]]
    multipart: bool


def _headers(g: rdflib.Graph, node: rdflib.term.Node | None) -> dict[str, str]:
    if node is None:
        return {}
    out = {}
    for h in Collection(g, node):
        out[str(g.value(h, HT.fieldName)).lower()] = str(g.value(h, HT.fieldValue))
    return out


def load_cases(path: pathlib.Path) -> list[Case]:
    g = rdflib.Graph().parse(path, format="turtle", publicID=path.as_uri())
    manifest = next(g.subjects(MF.entries, None))
    cases = []
    for test in Collection(g, g.value(manifest, MF.entries)):
        action = g.value(test, MF.action)
        reqs = []
        for r in Collection(g, g.value(action, HT.requests)):
            body_node = g.value(r, HT.body)
            resp = g.value(r, HT.resp)
            resp_body = g.value(resp, HT.body)
            boolean = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            loc = g.value(resp, MF.expectedLocation)
            reqs.append(Req(
                method=str(g.value(r, HT.methodName)), path=str(g.value(r, HT.absolutePath)),
                headers=_headers(g, g.value(r, HT.headers)),
                body=str(g.value(body_node, CNT.chars)) if body_node is not None else None,
                statuses=[str(s) for s in g.objects(resp, MF.expectedStatus)],
                expected_boolean=bool(boolean.toPython()) if boolean is not None else None,
                expected_format=str(fmt) if fmt is not None else None,
                expected_headers=_headers(g, g.value(resp, HT.headers)),
                expected_body=str(g.value(resp_body, CNT.chars)) if resp_body is not None else None,
                expected_location=str(loc) if loc is not None else None))
        data = []
        for gd in g.objects(test, UT.graphData):
            data.append((pathlib.Path(urllib.parse.urlparse(str(g.value(gd, UT.graph))).path),
                         str(g.value(gd, rdflib.RDFS.label))))
        multipart = any(r.headers.get("content-type", "").startswith("multipart/") for r in reqs)
        name = str(test).rsplit("#", 1)[-1]
        cases.append(Case(name, reqs, data, multipart))
    return cases


def _status_ok(status: int, expected: list[str]) -> bool:
    for e in expected:
        local = e.replace(HTS, "")
        if local.startswith("StatusCode") and local.endswith("xx"):
            if status // 100 == int(local[len("StatusCode")]):
                return True
        elif NAMED_STATUS.get(local) == status:
            return True
    return False


def _boolean(ctype: str, body: bytes) -> bool:
    if "json" in ctype:
        return bool(json.loads(body)["boolean"])
    root = ET.fromstring(body)
    el = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert el is not None, body
    return el.text == "true"


RDF_PARSERS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
               "application/ld+json": "json-ld", "application/trig": "trig", "application/n-quads": "nquads"}
TABULAR = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values"}


def run_case(server: LiveServer, case: Case) -> None:
    host = server.url.removeprefix("http://")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    conn = http.client.HTTPConnection(host, timeout=30)   # each test starts from an empty store
    conn.request("POST", "/sparql", body=b"DROP ALL", headers={**auth, "Content-Type": "application/sparql-update"})
    assert conn.getresponse().status == 204
    conn.close()
    for path, label in case.graph_data:   # the test's data, put in place through the Graph Store Protocol
        data = (W3C / path.name).read_bytes()
        conn = http.client.HTTPConnection(host, timeout=30)
        conn.request("PUT", "/store?graph=" + urllib.parse.quote(label, safe=""), body=data,
                     headers={**auth, "Content-Type": "application/n-triples"})
        assert conn.getresponse().status in (201, 204)
        conn.close()
    variables: dict[str, str] = {}
    for i, r in enumerate(case.requests):
        path, body = r.path, r.body
        for k, v in variables.items():
            path = path.replace(k, urllib.parse.quote(v, safe=":/") if "?" in path else v)
            body = body.replace(k, v) if body is not None else None
        if path.startswith("/gsp"):
            path = "/store" + path[len("/gsp"):]
        conn = http.client.HTTPConnection(host, timeout=30)
        headers = {**auth, **r.headers}
        conn.putrequest(r.method, path, skip_accept_encoding=True)
        payload = body.encode("utf-8") if body is not None else None
        for k, v in headers.items():
            conn.putheader(k, v)
        if payload is not None or r.method in ("POST", "PUT"):
            conn.putheader("Content-Length", str(len(payload or b"")))
        conn.endheaders(payload)
        resp = conn.getresponse()
        content = resp.read()
        ctype = (resp.getheader("Content-Type") or "").split(";")[0].strip()
        where = f"{case.name} request {i + 1} ({r.method} {path}): {resp.status} {content[:300]!r}"
        assert _status_ok(resp.status, r.statuses), where
        if r.expected_location:
            location = resp.getheader("Location")
            assert location, where
            variables[r.expected_location] = location
        if r.expected_format == "boolean":
            value = _boolean(ctype, content)
            assert r.expected_boolean is None or value is r.expected_boolean, where
        elif r.expected_format == "tabular":
            assert ctype in TABULAR, where
        elif r.expected_format == "RDF":
            rdflib.Graph().parse(data=content, format=RDF_PARSERS[ctype])
        expected_type = r.expected_headers.get("content-type")
        if expected_type:
            assert ctype == expected_type.split(";")[0].strip(), where
        if r.expected_body is not None and r.method != "HEAD":
            fmt = RDF_PARSERS[expected_type.split(";")[0].strip() if expected_type else "text/turtle"]
            want = rdflib.Graph().parse(data=r.expected_body, format=fmt)
            got = rdflib.Graph().parse(data=content, format=RDF_PARSERS[ctype])
            assert isomorphic(want, got), f"{where}\nwanted:\n{r.expected_body}"
        conn.close()


PROTOCOL_CASES = load_cases(PROTOCOL) if PROTOCOL.exists() else []
GSP_CASES = [c for m in GSP if m.exists() for c in load_cases(m)]


@pytest.fixture(scope="module")
def w3c_server(tmp_path_factory: pytest.TempPathFactory):
    if not PROTOCOL.exists():
        pytest.skip("../shared/w3c is not beside this checkout")
    server = start_server(str(tmp_path_factory.mktemp("w3c") / "store"), "--timeout", "20", token=TOKEN)
    yield server
    server.stop()


@pytest.mark.skipif(not PROTOCOL.exists(), reason="../shared/w3c is not beside this checkout")
@pytest.mark.parametrize("case", PROTOCOL_CASES, ids=[c.name for c in PROTOCOL_CASES])
def test_protocol(w3c_server: LiveServer, case: Case) -> None:
    run_case(w3c_server, case)


@pytest.mark.skipif(not GSP_CASES, reason="../shared/w3c is not beside this checkout")
@pytest.mark.parametrize("case", GSP_CASES, ids=[c.name for c in GSP_CASES])
def test_graph_store_protocol(w3c_server: LiveServer, case: Case) -> None:
    if case.multipart:
        pytest.skip("needs multipart/form-data, which mawqif does not take")
    run_case(w3c_server, case)


@pytest.mark.skipif(not PROTOCOL.exists(), reason="../shared/w3c is not beside this checkout")
def test_manifest_covers_every_kind() -> None:
    names = [c.name for c in PROTOCOL_CASES]
    assert sum(n.startswith("query_") for n in names) >= 10
    assert sum(n.startswith("bad_") for n in names) >= 10
    assert sum(n.startswith("update_") for n in names) >= 5

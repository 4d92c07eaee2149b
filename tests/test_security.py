"""Security of ``mawqif serve`` (issue 7): the token, injection, headers, traversal, limits, SERVICE/LOAD.

One live server (loopback, a token, ``--max-body 100000``) over a store with hostile articles and labels
(tests/test_security_helpers.py). Every request that fails must fail in the JSON error shape, never 500.
"""
from __future__ import annotations

import base64
import hmac
import json
import re
import socket
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import queries as named_queries
from server.explorer import CSP
from server.run import ServeOptions, bind_warning
from tests.test_security_helpers import EGY, HOSTILE_LABEL, SYR, TOKEN, Hostile, hostile_server
from tests.test_server_helpers import http

MAX_BODY = 100_000
#: values that would break out of a SPARQL term if they were pasted into the query text
PAYLOADS = [
    "'", '"', "\"'}", "} DROP ALL #", "\" } ; DROP ALL ; #", "> ; DELETE WHERE {?s ?p ?o} #",
    f"{SYR}> }} ; DROP ALL ; #", "http://example.org/a b", "https://w3id.org/mawqif/id/state/سوريا",
    "سوريا\u202e\u200d", "{{7*7}}", "<script>alert(1)</script>", "\x00x", "%2e%2e/%2e%2e", "-1", "1e999",
    "2025-13-45", "*", "",
]


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hostile]:
    with hostile_server(tmp_path_factory.mktemp("security"), "--max-body", str(MAX_BODY), "--timeout", "10",
                        "--workers", "2") as s:
        yield s


def assert_json_error(status: int, headers: Any, body: bytes, *expected: int) -> dict[str, Any]:
    assert status in expected, (status, body[:300])
    assert headers.get_content_type() == "application/json", (status, headers.get_content_type(), body[:200])
    doc = json.loads(body)
    assert doc["ok"] is False and doc["status"] == status and isinstance(doc["error"], str) and doc["error"]
    return doc


def sane(status: int, headers: Any, body: bytes, what: str) -> None:
    """An answer to hostile input: a success, or a clear 4xx in the JSON shape (HTML pages may answer
    their own HTML 400); never a 5xx."""
    assert status < 500, f"{what}: {status} {body[:300]!r}"
    if status >= 400 and headers.get_content_type() != "text/html":
        assert_json_error(status, headers, body, status)


def q(value: str) -> str:
    return urllib.parse.quote(value, safe="")


# -- the token -----------------------------------------------------------------------------------
def test_token_compare_is_hmac_compare_digest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph_builder.store import Store
    from server.app import create_app

    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    with Store(tmp_path / "store") as store:
        client = create_app(store, config={"TOKEN": "t0ken"}).test_client()
        update = {"Content-Type": "application/sparql-update"}
        assert client.post("/sparql", data="CLEAR ALL", headers={**update, "Authorization": "Bearer nope"}) \
            .status_code == 401
        assert client.post("/sparql", data="CLEAR ALL", headers={**update, "Authorization": "Bearer t0ken"}) \
            .status_code == 204
        basic = base64.b64encode(b"u:t0ken").decode()
        assert client.post("/sparql", data="CLEAR ALL", headers={**update, "Authorization": f"Basic {basic}"}) \
            .status_code == 204
    assert calls == [(b"nope", b"t0ken"), (b"t0ken", b"t0ken"), (b"t0ken", b"t0ken")]


def test_token_never_in_logs_or_error_bodies(srv: Hostile) -> None:
    wrong = "guess-" + TOKEN[::-1]
    bodies: list[bytes] = []
    statuses: list[int] = []
    update = {"Content-Type": "application/sparql-update"}
    for token in (TOKEN, wrong):
        basic = base64.b64encode(f"user:{token}".encode()).decode()
        basic_user = base64.b64encode(f"{token}:".encode()).decode()
        attempts = [
            ("POST", "/sparql", "CLEAR SILENT GRAPH <urn:none>", {**update, "Authorization": f"Bearer {token}"}),
            ("POST", "/sparql", "CLEAR GRAPH <urn:none", {**update, "Authorization": f"Bearer {token}"}),
            ("POST", "/sparql", "LOAD <http://127.0.0.1:9/>", {**update, "Authorization": f"Bearer {token}"}),
            ("POST", "/sparql", "CLEAR GRAPH <urn:none>", {**update, "Authorization": f"Basic {basic}"}),
            ("POST", "/sparql", "CLEAR GRAPH <urn:none>", {**update, "Authorization": f"Basic {basic_user}"}),
            ("POST", "/sparql", "CLEAR GRAPH <urn:none>", {**update, "Authorization": f"Token {token}"}),
            ("POST", "/sparql", "CLEAR GRAPH <urn:none>", {**update, "X-Token": token}),
            ("POST", f"/sparql?token={token}&access_token={token}", "CLEAR GRAPH <urn:none>", update),
            ("POST", "/sparql", f"update={q('CLEAR GRAPH <urn:none>')}&token={token}",
             {"Content-Type": "application/x-www-form-urlencoded"}),
            ("GET", f"/sparql?query=SELEC&token={token}", None, {"Authorization": f"Bearer {token}"}),
            ("GET", f"/queries/who-condemns?token={token}", None, {}),
            ("GET", f"/api/explorer/ego?entity={SYR}&token={token}", None, {}),
            ("POST", f"/api/articles?token={token}", "{not json", {"Content-Type": "application/json",
                                                                   "Authorization": f"Bearer {token}"}),
            ("POST", "/api/articles", "[]", {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}),
            ("PUT", f"/store?graph=urn:x&token={token}", "<a:b> <a:c> .", {"Content-Type": "application/n-triples",
                                                                          "Authorization": f"Bearer {token}"}),
            ("DELETE", "/store?graph=urn:none", None, {"Authorization": f"Bearer {token}"}),
            ("GET", "/nowhere", None, {"Authorization": f"Bearer {token}"}),
        ]
        for method, path, body, headers in attempts:
            status, _, answer = http(method, srv.url + path, body, headers)
            statuses.append(status)
            bodies.append(answer)
    assert 204 in statuses and 401 in statuses and 403 in statuses and 400 in statuses   # the paths ran
    for answer in bodies:
        assert TOKEN.encode() not in answer and wrong.encode() not in answer
        assert TOKEN[::-1].encode() not in answer
    log = srv.log.read_text(encoding="utf-8", errors="replace")
    assert "POST /sparql 204" in log and "POST /sparql 401" in log   # the log has the requests …
    assert TOKEN not in log and TOKEN[::-1] not in log and "token=" not in log   # … but no token


def test_binds_loopback_by_default_and_warns_otherwise(srv: Hostile) -> None:
    assert ServeOptions().host == "127.0.0.1"
    assert re.search(r"serving http://127\.0\.0\.1:\d+/", srv.log.read_text(encoding="utf-8"))
    assert "warning" not in srv.log.read_text(encoding="utf-8")
    for host in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"):
        assert bind_warning(host, None) is None
    for host in ("0.0.0.0", "::", "", "192.168.1.20", "example.org"):
        warning = bind_warning(host, None)
        assert warning and "without --token" in warning
        warning = bind_warning(host, TOKEN)
        assert warning and "TLS" in warning and TOKEN not in warning
    from graph_builder.cli import build_parser
    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"


# -- injection -----------------------------------------------------------------------------------
def injection_requests() -> list[tuple[str, str, bytes | None]]:
    """(method, path, body) for every parameter of every route, with every payload."""
    out: list[tuple[str, str, bytes | None]] = []
    for p in PAYLOADS:
        v = q(p)
        for nq in named_queries.list_queries():
            for param in nq.params:
                good = {x.name: (SYR if x.type == "iri" else "2025-01-01" if x.type == "date" else "5")
                        for x in nq.params if not x.optional}
                good[param.name] = p
                out.append(("GET", f"/queries/{nq.name}?{urllib.parse.urlencode(good)}", None))
            out.append(("GET", f"/queries/{nq.name}?{v}={v}", None))
        out += [("GET", f"/queries/{v}", None), ("GET", f"/api/explorer/search?q={v}&limit={v}", None),
                ("GET", f"/api/explorer/search?q={v}", None), ("GET", f"/api/explorer/ego?entity={v}", None)]
        for k in ("types", "classes", "from", "to", "page"):
            out.append(("GET", f"/api/explorer/ego?entity={q(SYR)}&{k}={v}", None))
            out.append(("GET", f"/api/explorer/timeline?{k}={v}", None))
        for k in ("holder", "type", "target", "stance"):
            out.append(("GET", f"/api/explorer/stances?{k}={v}", None))
        out += [("GET", f"/api/explorer/stances?holder={q(EGY)}&page={v}&size={v}", None),
                ("GET", f"/api/explorer/timeline?entity={v}", None),
                ("GET", f"/api/analytics?limit={v}", None), ("GET", f"/api/analytics/{v}", None),
                ("GET", f"/api/analytics/path?a={v}&b={q(SYR)}", None),
                ("GET", f"/api/analytics/path?a={q(EGY)}&b={v}&limit={v}", None),
                ("GET", f"/analytics?a={v}&b={v}", None), ("GET", f"/analytics?a=Egypt&b={v}", None),
                ("GET", f"/id/{v}", None), ("GET", f"/id/state/{v}.json", None),
                ("GET", f"/id/state/SYR?held={v}&received={v}&articles={v}&lang={v}", None),
                ("GET", f"/?lang={v}", None), ("GET", f"/export?format={v}", None),
                ("GET", f"/sparql?query={q('SELECT * WHERE { ?s ?p ?o } LIMIT 1')}&default-graph-uri={v}", None),
                ("GET", f"/sparql?query={q('ASK {}')}&named-graph-uri={v}", None),
                ("GET", f"/store?graph={v}", None),
                ("POST", "/api/explorer/turtle", json.dumps({"nodes": [p, SYR], "edges": [
                    {"from": p, "type": p, "to": SYR}, {"from": SYR, "type": "Condemnation", "to": p}]}).encode())]
    return out


def test_injection_leaves_store_unchanged_and_answers_cleanly(srv: Hostile) -> None:
    before = srv.snapshot()
    assert before[0] > 50
    requests = injection_requests()
    assert len(requests) > 1000
    for method, path, body in requests:
        headers = {"Content-Type": "application/json"} if body else {}
        sane(*http(method, srv.url + path, body, headers), f"{method} {path}")
        if path.startswith("/queries/") and "?" in path:    # the HTML twin of every named query too
            sane(*http(method, srv.url + path, body, {"Accept": "text/html"}), f"{method} {path} (html)")
    assert srv.snapshot() == before


def test_injection_answers_are_literal_matches(srv: Hostile) -> None:
    # a label full of markup is found literally by the search box …
    status, _, body = srv.get(f"/api/explorer/search?q={q(HOSTILE_LABEL)}")
    assert status == 200 and SYR in [r["id"] for r in json.loads(body)["results"]]
    # … breaking-out text finds nothing, and is echoed back as data
    status, _, body = srv.get(f"/api/explorer/search?q={q('} DROP ALL #')}")
    doc = json.loads(body)
    assert status == 200 and doc["results"] == [] and doc["q"] == "} DROP ALL #"
    # an IRI parameter that tries to close the IRI is a clear 400 naming the parameter
    doc = assert_json_error(*srv.get(f"/queries/who-condemns?target={q(SYR + '> } ; DROP ALL ; #')}"), 400)
    assert "target" in doc["error"]
    doc = assert_json_error(*srv.get(f"/queries/who-condemns?target={q('http://example.org/a b')}"), 400)
    assert "target" in doc["error"]
    # a well-formed Unicode IRI is just an IRI nobody mentions: no rows
    status, _, body = srv.get(f"/queries/who-condemns?target={q('https://w3id.org/mawqif/id/state/سوريا')}")
    assert status == 200 and json.loads(body)["results"]["bindings"] == []
    # and the real one still answers
    status, _, body = srv.get(f"/queries/who-condemns?target={q(SYR)}")
    assert status == 200 and json.loads(body)["results"]["bindings"]


# -- SERVICE and LOAD ----------------------------------------------------------------------------
SERVICE_QUERIES = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "PREFIX x: <http://127.0.0.1:9/>\nSELECT * WHERE {\n# comment }\n?a ?b ?c .SERVICE x:sparql { ?s ?p ?o } }",
]
LOAD_UPDATES = ["LOAD <http://127.0.0.1:9/data.ttl>", "load silent <http://127.0.0.1:9/x> into graph <urn:g>",
                "INSERT DATA { <urn:a> <urn:b> <urn:c> } ;\nLOAD <http://127.0.0.1:9/x>"]


def test_service_refused_by_get_and_post(srv: Hostile) -> None:
    before = srv.snapshot()
    for text in SERVICE_QUERIES:
        for method, path, body, ctype in [
            ("GET", f"/sparql?query={q(text)}", None, None),
            ("POST", "/sparql", f"query={q(text)}", "application/x-www-form-urlencoded"),
            ("POST", "/sparql", text, "application/sparql-query"),
        ]:
            doc = assert_json_error(*http(method, srv.url + path, body, {"Content-Type": ctype} if ctype else {}), 400)
            assert "SERVICE" in doc["error"]
    # the word in a string, an IRI, a variable or a comment is not a SERVICE call
    ok = 'SELECT ?service WHERE { BIND("SERVICE <http://x/> {}" AS ?service) } # SERVICE <http://y/>'
    status, _, body = srv.get(f"/sparql?query={q(ok)}")
    assert status == 200 and b"SERVICE <http://x/>" in body
    update = ("INSERT { <urn:a> <urn:b> ?o } WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    doc = assert_json_error(*http("POST", srv.url + "/sparql", update,
                                  {**auth, "Content-Type": "application/sparql-update"}), 403)
    assert "SERVICE" in doc["error"]
    assert srv.snapshot() == before


def test_load_refused_even_with_the_token(srv: Hostile) -> None:
    before = srv.snapshot()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for text in LOAD_UPDATES:
        assert_json_error(*http("POST", srv.url + "/sparql", text, {"Content-Type": "application/sparql-update"}), 401)
        doc = assert_json_error(*http("POST", srv.url + "/sparql", text,
                                      {**auth, "Content-Type": "application/sparql-update"}), 403)
        assert "LOAD" in doc["error"]
        doc = assert_json_error(*http("POST", srv.url + "/sparql", f"update={q(text)}",
                                      {**auth, "Content-Type": "application/x-www-form-urlencoded"}), 403)
        assert "LOAD" in doc["error"]
        assert_json_error(*srv.get(f"/sparql?update={q(text)}"), 405)
        assert_json_error(*srv.get(f"/sparql?query={q(text)}"), 400, 403)   # not a query either way
    # an update that fails in evaluation is the client's 400, not a 500
    doc = assert_json_error(*http("POST", srv.url + "/sparql", "CLEAR GRAPH <urn:mawqif:none>",
                                  {**auth, "Content-Type": "application/sparql-update"}), 400)
    assert "does not exist" in doc["error"]
    assert srv.snapshot() == before


# -- headers on every HTML page ------------------------------------------------------------------
def html_pages(srv: Hostile) -> list[str]:
    status, _, body = srv.get("/queries/articles")
    article = json.loads(body)["results"]["bindings"][0]["article"]["value"]
    pages = ["/", "/?lang=ar", "/query", "/analytics", "/analytics?a=Egypt&b=Syria", "/id/state/SYR",
             "/id/state/SYR?lang=ar", "/id/" + article.split("/id/", 1)[1], "/queries", "/queries/articles",
             f"/queries/evidence?holder={q(EGY)}", f"/queries/stances-about?target={q(SYR)}",
             "/queries/who-condemns", "/queries/who-condemns?target=bad"]
    return pages


def test_csp_on_every_html_response_and_no_inline_script(srv: Hostile) -> None:
    for path in html_pages(srv):
        status, headers, body = srv.get(path, Accept="text/html")
        assert status in (200, 400), (path, status)
        assert headers.get_content_type() == "text/html", path
        csp = headers["Content-Security-Policy"]
        assert csp == CSP, path
        policy = dict((d.split(" ", 1) + [""])[:2] for d in (x.strip() for x in csp.split(";")))
        assert policy["default-src"] == "'none'" and policy["script-src"] == "'self'"
        assert policy["style-src"] == "'self'" and policy["connect-src"] == "'self'"
        assert "unsafe" not in csp and "*" not in csp and "http" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        html = body.decode("utf-8")
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, (path, tag)                 # only scripts from files
        assert "<style" not in html and not re.search(r"\sstyle=", html), path
        assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html, re.IGNORECASE), path   # no handler attributes
        assert not re.search(r"href=\"\s*javascript:", html, re.IGNORECASE), path
    # JSON errors carry it too
    _, headers, _ = srv.get("/nowhere")
    assert headers["Content-Security-Policy"] == CSP


# -- paths, sizes ----------------------------------------------------------------------------------
TRAVERSALS = [
    "/explorer/static/../../app.py", "/explorer/static/..%2f..%2fapp.py", "/explorer/static/%2e%2e/%2e%2e/app.py",
    "/explorer/static/%2e%2e%2f__init__.py", "/explorer/static//etc/passwd", "/explorer/static/%2fetc%2fpasswd",
    "/explorer/static/..\\..\\app.py", "/explorer/static/....//....//etc/passwd",
    "/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static//etc/passwd",
    "/static/%2fetc%2fpasswd", "/static/queries.css/../../run.py",
    "/explorer/vendor/../../../../etc/passwd", "/explorer/vendor/..%2f..%2f..%2fetc%2fpasswd",
    "/explorer/vendor/%2e%2e%2fvis-network.min.js", "/explorer/vendor//etc/passwd", "/explorer/vendor/%2fetc%2fpasswd",
    "/id/../../../etc/passwd", "/id/%2e%2e/%2e%2e/etc/passwd", "/id/%2fetc%2fpasswd", "/id//etc/passwd.json",
    "/id/..%2f..%2fpyproject.toml.ttl", "/store/../../etc/passwd", "/store/%2e%2e/%2e%2e/etc/passwd",
    "/queries/..%2f..%2fpyproject", "/queries/%2e%2e%2fqueries%2f__init__.py", "/queries//etc/passwd",
    "/export?format=../../etc/passwd", "/export?format=/etc/passwd",
]


def raw_get(url: str, path: str) -> tuple[int, bytes]:
    """GET the path exactly as written (urllib and browsers would normalise the dots away)."""
    host, port = urllib.parse.urlsplit(url).hostname, urllib.parse.urlsplit(url).port
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def test_no_path_traversal(srv: Hostile) -> None:
    secret = [b"root:x:0", b"create_app", b"def serve", b"[project]", b"import ", b"vis-network"]
    for path in TRAVERSALS:
        status, body = raw_get(srv.url, path)
        assert status in (301, 302, 308, 400, 404, 405, 406), (path, status, body[:200])
        for s in secret:
            assert s not in body, (path, s)
        if status >= 400:
            assert json.loads(body)["status"] == status, path
    # and the real assets still come
    assert raw_get(srv.url, "/static/queries.css")[0] == 200
    assert raw_get(srv.url, "/explorer/static/common.js")[0] == 200


def test_header_and_body_sizes_are_limited_with_json_errors(srv: Hostile) -> None:
    doc = assert_json_error(*http("GET", srv.url + "/queries", headers={"X-Big": "x" * 100_000}), 431)
    assert "header" in doc["error"].lower()
    doc = assert_json_error(*http("GET", srv.url + "/sparql?query=" + "x" * 70_000), 431)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for size in (MAX_BODY + 1, 3 * MAX_BODY, 4 << 20):         # Flask's limit, then waitress's
        for path, ctype in [("/sparql", "application/sparql-query"), ("/api/articles", "application/json"),
                            ("/store?graph=urn:big", "text/turtle"), ("/api/explorer/turtle", "application/json")]:
            try:
                status, headers, body = http("POST", srv.url + path, b"#" * size, {**auth, "Content-Type": ctype})
            except (ConnectionError, OSError):
                continue   # the server may close before reading it all; it must not have stored anything
            assert_json_error(status, headers, body, 413)
    # a lying Content-Length far over the limit is refused before any body is read
    status, body = raw_post_length(srv.url, "/sparql", 1 << 30)
    assert status == 413 and json.loads(body)["status"] == 413
    assert srv.get("/sparql?query=ASK%7B%7D")[0] == 200   # still serving


def raw_post_length(url: str, path: str, length: int) -> tuple[int, bytes]:
    host, port = urllib.parse.urlsplit(url).hostname, urllib.parse.urlsplit(url).port
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/sparql-query\r\n"
                  f"Content-Length: {length}\r\nConnection: close\r\n\r\nASK {{}}".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body

"""The HTTP interface as a real running process on 127.0.0.1 (``mawqif serve``)."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import rdflib

from tests.conftest import mawqif_command

ARTICLE = "أدانت وزارة الخارجية الفرنسية الهجوم على المدنيين في سوريا، ودعت إلى وقف إطلاق النار.\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("srv")
    (tmp / "a.txt").write_text(ARTICLE, encoding="utf-8")
    store = str(tmp / "store")
    subprocess.run([*mawqif_command(), "ingest", "--store", store, str(tmp / "a.txt")], check=True,
                   capture_output=True)
    port = _free_port()
    proc = subprocess.Popen([*mawqif_command(), "serve", "--store", store, "--port", str(port)],
                            stderr=subprocess.PIPE, text=True, env={**os.environ})
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/sparql", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise AssertionError("server did not start: " + (proc.stderr.read() if proc.stderr else ""))
    yield url, store, proc
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=10)


def _get(url: str, accept: str | None = None) -> tuple[int, str, bytes]:
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers.get_content_type(), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get_content_type(), e.read()


def test_select_json_default(server):
    url, _, _ = server
    q = urllib.parse.quote("PREFIX mq: <https://w3id.org/mawqif/ontology#> "
                           "SELECT (COUNT(*) AS ?n) WHERE { ?s a mq:Stance }")
    status, ctype, body = _get(f"{url}/sparql?query={q}")
    assert status == 200 and ctype == "application/sparql-results+json"
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) >= 1


def test_post_sparql_query_and_csv(server):
    url, _, _ = server
    req = urllib.request.Request(url + "/sparql", data=b"SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", method="POST",
                                 headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"})
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.headers.get_content_type() == "text/csv"
        assert r.read().decode().startswith("s")


def test_malformed_query_is_json_400(server):
    url, _, _ = server
    status, ctype, body = _get(f"{url}/sparql?query=" + urllib.parse.quote("SELEC ?x"))
    assert status == 400 and ctype == "application/json"
    doc = json.loads(body)
    assert doc["ok"] is False and doc["status"] == 400 and "1:" in doc["error"]


def test_unacceptable_accept_is_406(server):
    url, _, _ = server
    status, _, body = _get(f"{url}/sparql?query=" + urllib.parse.quote("ASK {}"), accept="image/png")
    assert status == 406 and json.loads(body)["status"] == 406


def test_service_description(server):
    url, _, _ = server
    status, ctype, body = _get(f"{url}/sparql")
    assert status == 200 and ctype == "text/turtle"
    g = rdflib.Graph().parse(data=body, format="turtle")
    assert len(g) > 5


@pytest.mark.parametrize("fmt,parse_as", [("turtle", "turtle"), ("nquads", "nquads"), ("trig", "trig")])
def test_export(server, fmt, parse_as):
    url, _, _ = server
    status, _, body = _get(f"{url}/export?format={fmt}")
    assert status == 200
    ds = rdflib.Dataset()
    ds.parse(data=body, format=parse_as)
    assert sum(1 for _ in ds.quads((None, None, None, None))) > 10


def test_unknown_route_is_json_404(server):
    url, _, _ = server
    status, ctype, body = _get(f"{url}/nothing-here")
    assert status == 404 and ctype == "application/json" and json.loads(body)["ok"] is False


def test_index_page(server):
    url, _, _ = server
    status, ctype, body = _get(url + "/")
    assert status == 200 and ctype == "text/html" and b"mawqif" in body


def test_store_held_by_server_is_named(server):
    url, store, proc = server
    p = subprocess.run([*mawqif_command(), "ingest", "--store", store, "-"], input="x", capture_output=True,
                       text=True)
    assert p.returncode != 0
    assert f"process {proc.pid}" in p.stderr and url in p.stderr

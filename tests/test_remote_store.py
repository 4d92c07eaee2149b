"""``--store http://…``: a real ``oxigraph serve`` (from the ``oxigraph`` PyPI package) on a random
loopback port behaves as the embedded store for ingest, query, export, stats and re-ingest."""
from __future__ import annotations

import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from collections.abc import Callable, Iterator

import pyoxigraph as ox
import pytest

import queries
from graph_builder.ingest import ingest
from graph_builder.loaders import iter_articles
from graph_builder.model import Article
from graph_builder.samples import SAMPLES_PATH
from graph_builder.sparql_store import SparqlStore, bind_values
from graph_builder.store import Store

WHEN = "2026-01-01T00:00:00Z"


def oxigraph_binary() -> str | None:
    for folder in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable)):
        exe = os.path.join(folder, "oxigraph")
        if os.path.exists(exe):
            return exe
    return shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def endpoint(tmp_path: pathlib.Path) -> Iterator[str]:
    exe = oxigraph_binary()
    if exe is None:
        pytest.skip("the oxigraph server (pip install oxigraph) is not installed")
    port = _free_port()
    proc = subprocess.Popen([exe, "serve", "--location", str(tmp_path / "oxigraph"), "--bind",
                             f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"oxigraph serve exited: {proc.stderr.read() if proc.stderr else ''}")
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _nquads(store: Store | SparqlStore) -> list[str]:
    out = _Buffer()
    store.export(out, "nquads")
    return sorted(line for line in out.getvalue().decode().splitlines() if line)


class _Buffer:
    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, b: bytes) -> int:
        self.parts.append(bytes(b))
        return len(b)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


@pytest.fixture
def local(tmp_path: pathlib.Path) -> Iterator[Store]:
    with Store(tmp_path / "local") as s:
        ingest(s, iter_articles([str(SAMPLES_PATH)]), generated_at=WHEN)
        yield s


def test_ingest_export_stats_as_embedded(endpoint: str, local: Store) -> None:
    with SparqlStore(endpoint) as remote:
        report = ingest(remote, iter_articles([str(SAMPLES_PATH)]), generated_at=WHEN)
        assert report.stored > 0 and not report.errors
        assert _nquads(remote) == _nquads(local)
        assert remote.stats() == local.stats()
        again = ingest(remote, iter_articles([str(SAMPLES_PATH)]), generated_at=WHEN)
        assert again.unchanged == report.stored and again.stored == 0
        assert _nquads(remote) == _nquads(local)


def test_reingest_replaces_the_article_graph(endpoint: str) -> None:
    url = "https://example.org/news/1"
    with SparqlStore(endpoint) as remote:
        ingest(remote, [Article(text="France condemned the attack on Syria.", lang="en", url=url)],
               generated_at=WHEN)
        ingest(remote, [Article(text="Egypt welcomed the agreement on Libya.", lang="en", url=url)],
               generated_at=WHEN)
        res = remote.query("SELECT ?h WHERE { ?s a mq:Stance ; mq:holder ?h }")
        assert isinstance(res, ox.QuerySolutions)
        holders = [row["h"].value for row in res]
        assert holders == ["https://w3id.org/mawqif/id/state/EGY"]
        assert remote.stats().articles == 1


def test_queries_match_named_queries_with_params(endpoint: str, local: Store) -> None:
    with SparqlStore(endpoint) as remote:
        ingest(remote, iter_articles([str(SAMPLES_PATH)]), generated_at=WHEN)
        actor = "https://w3id.org/mawqif/id/state/EGY"
        checked = 0
        for q in queries.list_queries():
            if q.name.startswith("edge-index") or "-index" in q.name:
                continue  # the embedded store's own edge index; an external store has none
            values = {}
            for p in q.params:
                if p.type == "iri" and not p.optional:
                    values[p.name] = actor if "actor" in p.name or "holder" in p.name or p.name == "state" \
                        else "https://w3id.org/mawqif/id/state/SYR"
                elif p.type == "date" and p.name == "from":
                    values[p.name] = "2020-01-01"
                elif not p.optional:
                    values[p.name] = "x"
            try:
                subs = queries.bind(q, values)
            except ValueError:
                continue
            want = local.query(q.text, substitutions=subs)
            got = remote.query(q.text, substitutions=subs)
            assert _rows(got) == _rows(want), q.name
            checked += 1
        assert checked >= 5


def _rows(res: object) -> list[tuple[str, ...]]:
    if not isinstance(res, ox.QuerySolutions):  # CONSTRUCT: pyoxigraph's triples or a list of them
        assert not isinstance(res, ox.QueryBoolean)
        return sorted((str(t),) for t in res)  # type: ignore[attr-defined]
    names = [v.value for v in res.variables]
    return sorted(tuple(str(row[n]) for n in names) for row in res)


def test_bind_values_skips_construct_template_and_strings() -> None:
    q = 'CONSTRUCT { ?s ?p "{" } WHERE { ?s ?p ?o } # { comment'
    got = bind_values(q, {ox.Variable("o"): ox.NamedNode("http://x")})
    assert got == 'CONSTRUCT { ?s ?p "{" } WHERE { VALUES (?o) { (<http://x>) } ?s ?p ?o } # { comment'


def test_cli_against_endpoint(endpoint: str, mawqif: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    sample = str(SAMPLES_PATH / "articles.jsonl") if SAMPLES_PATH.is_dir() else str(SAMPLES_PATH)
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    p = mawqif("ingest", "--store", endpoint, sample, env=env)
    assert p.returncode == 0, p.stderr
    p = mawqif("query", "--store", endpoint, "--format", "json",
               "SELECT (COUNT(*) AS ?n) WHERE { ?s a mq:Stance }", check=True)
    n = int(json.loads(p.stdout)["results"]["bindings"][0]["n"]["value"])
    assert n > 0
    p = mawqif("query", "--store", endpoint, "SELEC nothing")
    assert p.returncode == 2 and "malformed query" in p.stderr
    p = mawqif("stats", "--store", endpoint, "--format", "json", check=True)
    assert json.loads(p.stdout)["stances"] == n
    p = mawqif("export", "--store", endpoint, "--format", "turtle", check=True)
    assert "mq:Stance" in p.stdout
    p = mawqif("query", "--store", endpoint, "--format", "csv", "stances-of-actor", "--param",
               "actor=https://w3id.org/mawqif/id/state/EGY", check=True)
    assert p.stdout.startswith("stance,")

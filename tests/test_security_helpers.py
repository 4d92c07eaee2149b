"""A live ``mawqif serve`` with a token and hostile data, for the security and XSS tests (no tests here).

The store holds real articles (ingested through ``POST /api/articles``) whose titles, sources, URLs and
evidence sentences carry markup, script, ``javascript:`` URLs, bidi overrides and SPARQL fragments, and
a graph (through the Graph Store Protocol) that gives Syria hostile labels and ``javascript:`` IRIs.
The server's stderr goes to a file, so a test can read the log while it runs.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import mawqif_command
from tests.test_server_helpers import free_port, http

TOKEN = "tok-7f3a9c1e5b-SECRET"
SYR = "https://w3id.org/mawqif/id/state/SYR"
EGY = "https://w3id.org/mawqif/id/state/EGY"
RLO = "\u202e"   # RIGHT-TO-LEFT OVERRIDE
HOSTILE_LABEL = "<img src=x onerror=alert('label')>" + RLO + "Syria"
HOSTILE_TITLE = "<script>alert('title')</script><img src=x onerror=alert('img')> " + RLO + "evil"
ARTICLES = [
    {"id": "xss-en", "url": "javascript:alert('url')", "title": HOSTILE_TITLE, "published": "2025-06-02",
     "lang": "en", "source": "<b onmouseover=alert('source')>src</b>",
     "text": "Egypt condemned the attack in Syria <img src=x onerror=alert('evidence')> \"} DROP ALL #.\n"},
    {"id": "xss-ar", "url": "https://example.org/a?x=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
     "title": "<svg onload=alert('svg')>" + RLO + " عنوان", "published": "2025-06-03", "lang": "ar",
     "text": "أدانت وزارة الخارجية المصرية الهجوم على المدنيين في سوريا <script>alert('ar')</script>، "
             "ودعت إلى وقف إطلاق النار.\n"},
]
HOSTILE_NT = "\n".join([
    f'<{SYR}> <http://www.w3.org/2000/01/rdf-schema#label> {json.dumps(HOSTILE_LABEL)}@en .',
    f'<{SYR}> <http://www.w3.org/2004/02/skos/core#altLabel> "javascript:alert(\'alt\')"@en .',
    f"<{SYR}> <https://w3id.org/mawqif/ontology#note> <javascript:alert('iri')> .",
    f'<{SYR}> <https://w3id.org/mawqif/ontology#comment> "</script><script>alert(\'lit\')</script>" .',
]) + "\n"
HOSTILE_GRAPH = "urn:mawqif:test:hostile"


@dataclass
class Hostile:
    url: str
    store: str
    log: Path
    proc: subprocess.Popen[bytes]

    def get(self, path: str, **headers: str) -> tuple[int, Any, bytes]:
        return http("GET", self.url + path, headers=headers)

    def snapshot(self) -> tuple[int, str]:
        """(quads, sha256 of the sorted N-Quads export): the store's whole state."""
        status, _, body = http("GET", self.url + "/export?format=nquads")
        assert status == 200
        lines = sorted(line for line in body.decode("utf-8").splitlines() if line.strip())
        return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _wait(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError("server exited:\n" + log.read_text(errors="replace"))
        try:
            urllib.request.urlopen(url + "/api/explorer/meta", timeout=2).read()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("server did not start in 30 s")


@contextmanager
def hostile_server(tmp: Path, *args: str) -> Iterator[Hostile]:
    store = str(tmp / "store")
    env = {k: v for k, v in os.environ.items() if k not in ("MAWQIF_TOKEN", "MAWQIF_STORE", "MAWQIF_BASE")}
    env["MAWQIF_TOKEN"] = TOKEN
    port = free_port()
    log = tmp / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([*mawqif_command(), "serve", "--store", store, "--port", str(port), *args],
                                stdout=out, stderr=subprocess.STDOUT, env=env)
    server = Hostile(f"http://127.0.0.1:{port}", store, log, proc)
    try:
        _wait(server.url, proc, log)
        auth = {"Authorization": f"Bearer {TOKEN}"}
        status, _, body = http("POST", server.url + "/api/articles", json.dumps(ARTICLES),
                               {**auth, "Content-Type": "application/json"})
        assert status == 200 and json.loads(body)["stored"] == 2, body
        status, _, body = http("PUT", f"{server.url}/store?graph={urllib.parse.quote(HOSTILE_GRAPH)}", HOSTILE_NT,
                               {**auth, "Content-Type": "application/n-triples"})
        assert status == 201, body
        yield server
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

"""A live ``mawqif serve`` over the bundled samples plus one hostile article, for the explorer tests."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

#: An article whose title, source, url and evidence try to inject markup and script.
HOSTILE = {
    "id": "hostile-1", "url": "javascript:alert(1)",
    "title": "<script>alert('title')</script><img src=x onerror=alert(2)> \u202eevil",
    "published": "2025-06-02", "lang": "ar", "source": "<b onmouseover=alert(4)>src</b>",
    "text": "أدانت وزارة الخارجية المصرية الهجوم على المدنيين في سوريا <img src=x onerror=alert(3)>، "
            "ودعت إلى وقف إطلاق النار.",
}
SYR = "https://w3id.org/mawqif/id/state/SYR"
EGY = "https://w3id.org/mawqif/id/state/EGY"
MQ = "https://w3id.org/mawqif/ontology#"


@dataclass(frozen=True)
class Served:
    url: str
    store: Path


def mawqif_command() -> list[str]:
    exe = shutil.which("mawqif")
    return [exe] if exe else [sys.executable, "-m", "graph_builder"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def explorer_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("explorer")
    store = tmp / "store"
    env = {k: v for k, v in os.environ.items() if k not in ("MAWQIF_STORE", "MAWQIF_BASE")}
    subprocess.run([*mawqif_command(), "demo", "--store", str(store), "--no-serve"], check=True,
                   capture_output=True, env=env, timeout=300)
    (tmp / "hostile.jsonl").write_text(json.dumps(HOSTILE, ensure_ascii=False) + "\n", encoding="utf-8")
    subprocess.run([*mawqif_command(), "ingest", "--store", str(store), str(tmp / "hostile.jsonl")], check=True,
                   capture_output=True, env=env, timeout=300)
    port = _free_port()
    log = (tmp / "serve.log").open("w")
    proc = subprocess.Popen([*mawqif_command(), "serve", "--store", str(store), "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/api/explorer/meta", timeout=1)
            break
        except (OSError, urllib.error.URLError):
            if proc.poll() is not None:
                break
            time.sleep(0.1)
    else:
        proc.kill()
        raise AssertionError("server did not start:\n" + (tmp / "serve.log").read_text())
    if proc.poll() is not None:
        raise AssertionError("server exited:\n" + (tmp / "serve.log").read_text())
    yield Served(url, store)
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()

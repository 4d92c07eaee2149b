"""A real ``mawqif serve`` process on a random loopback port, for the server tests (no tests here)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import mawqif_command


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    store: str
    proc: subprocess.Popen[str]
    token: str | None
    #: the server's stderr (one line per request), read as it comes: a pipe nobody reads fills up
    #: (64 KiB) and then blocks every thread of the server that logs
    log: list[str] = field(default_factory=list)
    reader: threading.Thread | None = None

    def stop(self) -> tuple[int, str]:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.reader is not None:
            self.reader.join(10)
        return self.proc.returncode, "".join(self.log)


def _drain(stream: Any, into: list[str]) -> None:
    for line in stream:
        into.append(line)


def start_server(store: str, *args: str, token: str | None = None, env: dict[str, str] | None = None) -> LiveServer:
    port = free_port()
    cmd = [*mawqif_command(), "serve", "--store", store, "--port", str(port), *args]
    full_env = {k: v for k, v in os.environ.items() if k not in ("MAWQIF_TOKEN", "MAWQIF_STORE")}
    if token:
        full_env["MAWQIF_TOKEN"] = token
    full_env.update(env or {})
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=full_env)
    log: list[str] = []
    reader = threading.Thread(target=_drain, args=(proc.stderr, log), daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            reader.join(5)
            raise AssertionError("server did not start: " + "".join(log))
        try:
            urllib.request.urlopen(url + "/sparql", timeout=2).read()
            return LiveServer(url, store, proc, token, log, reader)
        except urllib.error.HTTPError:
            return LiveServer(url, store, proc, token, log, reader)
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("server did not start in 30 s")


def http(method: str, url: str, body: bytes | str | None = None, headers: dict[str, str] | None = None,
         timeout: float = 30) -> tuple[int, Any, bytes]:
    """(status, headers, body) of one request; HTTP errors are answers, not exceptions."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()

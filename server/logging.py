"""One log line per request (method, path, status, bytes, milliseconds) as WSGI middleware."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

log = logging.getLogger("mawqif.server")

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class RequestLog:
    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        t0 = time.perf_counter()
        status: list[str] = ["-"]

        def start(st: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status[0] = st.split(" ", 1)[0]
            return start_response(st, headers, exc_info) if exc_info else start_response(st, headers)

        size = 0
        try:
            for chunk in self.app(environ, start):
                size += len(chunk)
                yield chunk
        finally:
            path = environ.get("PATH_INFO", "")
            log.info("%s %s %s %s %d %.1fms", environ.get("REMOTE_ADDR", "-"), environ.get("REQUEST_METHOD"),
                     path, status[0], size, (time.perf_counter() - t0) * 1000)

"""Serve the app under waitress (a multi-threaded production WSGI server), on 127.0.0.1 by default.

Queries run in worker processes with a time limit (see :mod:`server.executor`); SIGTERM and SIGINT
stop the server cleanly: waitress stops accepting, the workers are stopped, and the caller closes
the store.
"""
from __future__ import annotations

import ipaddress
import logging
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import FrameType

from graph_builder import terms
from graph_builder.store import Store
from server.executor import InProcessRunner, Runner, WorkerPool
from server.logging import RequestLog


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 5000
    base: str = terms.DEFAULT_BASE
    threads: int = 8
    token: str | None = None
    timeout: float = 30.0            # seconds per query; 0: no limit (queries in the server process)
    workers: int = 0                 # query worker processes; 0: as many as threads, at most 2 per core
    max_body: int = 16 << 20         # bytes
    max_rows: int = 1000             # rows in the HTML views
    cors: Sequence[str] = field(default_factory=tuple)
    cache_max_age: int = 0


def bind_warning(host: str, token: str | None) -> str | None:
    """The warning to print when ``host`` is reachable from other machines (None for loopback)."""
    if host == "localhost":
        return None
    try:
        if ipaddress.ip_address(host.strip("[]")).is_loopback:
            return None
    except ValueError:
        pass
    if token:
        return (f"serving on {host}, reachable from other machines; the write token travels in clear over "
                "plain HTTP: put a TLS proxy in front")
    return (f"serving on {host}, reachable from other machines, without --token (read-only: writes answer "
            "403)")


def make_runner(store: Store, options: ServeOptions) -> Runner:
    if store.path is None or options.timeout <= 0:
        return InProcessRunner(store.oxigraph, terms.PREFIXES)
    size = options.workers or max(2, min(options.threads, 2 * (os.cpu_count() or 1)))
    return WorkerPool(store.path, terms.PREFIXES, size=size, timeout=options.timeout)


def serve(store: Store, options: ServeOptions | None = None, **kwargs: object) -> None:
    """Run until SIGTERM or SIGINT; the caller closes the store afterwards."""
    from waitress import wasyncore
    from waitress.server import create_server

    from server.app import create_app

    opts = options or ServeOptions(**kwargs)  # type: ignore[arg-type]
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    runner = make_runner(store, opts)
    app = create_app(store, base=opts.base, runner=runner, config={
        "TOKEN": opts.token, "MAX_CONTENT_LENGTH": opts.max_body, "MAX_ROWS": opts.max_rows,
        "CORS_ORIGINS": tuple(opts.cors), "CACHE_MAX_AGE": opts.cache_max_age})
    try:
        server = create_server(RequestLog(app), host=opts.host, port=opts.port, threads=opts.threads,
                               ident="mawqif", max_request_body_size=max(2 * opts.max_body, opts.max_body + (1 << 20)),
                               channel_timeout=max(120, int(opts.timeout) + 30))
    except OSError as e:
        runner.close()
        from graph_builder.errors import MawqifError
        raise MawqifError(f"cannot listen on {opts.host}:{opts.port}: {e.strerror or e}") from None
    url = f"http://{opts.host}:{server.effective_port}/"
    store.set_url(url)
    warning = bind_warning(opts.host, opts.token)
    if warning:
        print(f"mawqif: warning: {warning}", file=sys.stderr)
    limit = f"{opts.timeout:g} s per query" if opts.timeout > 0 else "no query time limit"
    writes = "writes with the token" if opts.token else "read-only"
    print(f"mawqif: serving {url} ({limit}, {writes}; Ctrl-C to stop)", file=sys.stderr, flush=True)

    def stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(0)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        server.run()
    except SystemExit:
        pass
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
        server.close()
        wasyncore.close_all()
        runner.close()
        print("mawqif: stopped", file=sys.stderr, flush=True)

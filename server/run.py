"""Serve the app under waitress (a multi-threaded production WSGI server), on 127.0.0.1 by default.

Queries run in worker processes with a time limit (see :mod:`server.executor`). Requests wait for
a thread in lanes (:func:`writes_first_dispatcher`): writes go to the front of waitress's queue, and
requests that may run up to the time limit (SPARQL, named queries, export) never hold the last
``reserve`` threads, so pages and explorer APIs are answered while long queries run.
SIGTERM and SIGINT stop the server cleanly: waitress stops accepting, the workers are stopped, and
the caller closes the store.
"""
from __future__ import annotations

import ipaddress
import logging
import os
import signal
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from graph_builder import terms
from graph_builder.store import Store
from server.executor import QUEUED_AT_HEADER, InProcessRunner, Runner, WorkerPool
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
    max_header: int = 64 << 10       # bytes of request line and headers (longer queries go by POST)
    allow_service: bool = False      # federated SPARQL SERVICE queries to other hosts
    max_rows: int = 1000             # rows in the HTML views
    reserve: int = 2                 # threads long requests (SPARQL, named queries, export) leave free
    query_memory: int = 4096         # MB of data a query worker may hold (0: no limit)
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


def json_error_channel() -> type:
    """A waitress channel whose own errors (header or body too large, malformed request) answer in the
    app's JSON shape ``{"ok": false, "status": N, "error": "…"}`` instead of waitress's plain text."""
    import json

    from waitress.channel import HTTPChannel
    from waitress.task import ErrorTask

    class JSONErrorTask(ErrorTask):
        def execute(self) -> None:
            e = self.request.error
            message = f"{e.reason}: {e.body}".strip().rstrip(":")
            body = json.dumps({"ok": False, "status": e.code, "error": message}, ensure_ascii=False).encode()
            self.status = f"{e.code} {e.reason}"
            self.response_headers.extend([("Content-Type", "application/json")])
            self.set_close_on_finish()
            self.content_length = len(body)
            self.write(body)

    class JSONErrorChannel(HTTPChannel):
        error_task_class = JSONErrorTask

    return JSONErrorChannel


def is_write(method: str, path: str, content_type: str) -> bool:
    """Whether a request writes: article posts, Graph Store writes, SPARQL Update sent as such."""
    if method in ("PUT", "DELETE"):
        return True
    if method != "POST":
        return False
    if path.startswith(("/api/articles", "/store")):
        return True
    return path.rstrip("/") == "/sparql" and content_type.split(";")[0].strip().lower() == "application/sparql-update"


def is_long(method: str, path: str) -> bool:
    """Whether a request may run up to the query time limit: SPARQL (queries; updates are writes),
    named queries, export, and Graph Store reads of whole graphs."""
    if method not in ("GET", "HEAD", "POST"):
        return False
    return (path.rstrip("/") in ("/sparql", "/export", "/store")
            or (path.startswith("/queries/") and not path.startswith("/queries/static")))


def writes_first_dispatcher(threads: int, reserve: int = 0, workers: int = 0) -> Any:
    """waitress's thread pool, with lanes for the requests that wait for a thread:

    * a write goes to the front of the queue: writes are short, queries may take up to the time
      limit, and an ingest must not wait behind every query queued before it (issue 7: 10
      articles/s under load);
    * a long request (:func:`is_long`) is not started while ``threads - reserve`` long requests run,
      nor while as many run as there are query ``workers`` (more would only hold a thread waiting
      for a worker): the others (pages, explorer APIs, which read the edge index, article posts)
      pass it in the queue, so a burst of heavy queries cannot hold every thread.
    """
    from waitress.task import ThreadedTaskDispatcher

    long_limit = max(1, threads - reserve) if reserve > 0 else threads + 1_000_000
    if reserve > 0 and workers > 0:
        long_limit = max(1, min(long_limit, workers))

    def first_request(task: Any) -> Any:
        requests = getattr(task, "requests", None)
        return requests[0] if requests else None

    class Lanes(ThreadedTaskDispatcher):
        long_running = 0

        def add_task(self, task: Any) -> None:
            now = f"{time.monotonic():.6f}"
            for r in getattr(task, "requests", None) or ():   # when it arrived (any such header a
                r.headers[QUEUED_AT_HEADER] = now             # client sent is overwritten)
            first = first_request(task)
            write = first is not None and is_write(first.command or "", first.path or "",
                                                   first.headers.get("CONTENT_TYPE", ""))
            task._mawqif_long = not write and first is not None and is_long(first.command or "", first.path or "")
            if not write:
                super().add_task(task)
                return
            with self.lock:
                self.queue.appendleft(task)
                self.queue_cv.notify()

        def _next(self) -> Any:
            """The first task of the queue this thread may start (under the lock), or None."""
            for i, task in enumerate(self.queue):
                if not getattr(task, "_mawqif_long", False) or self.long_running < long_limit:
                    del self.queue[i]
                    return task
            return None

        def handler_thread(self, thread_no: int) -> None:   # waitress's loop, picking by lane
            while True:
                with self.lock:
                    task = None
                    while self.stop_count == 0 and (task := self._next()) is None:
                        self.active_count -= 1
                        self.queue_cv.wait()
                        self.active_count += 1
                    if self.stop_count > 0:
                        if task is not None:
                            self.queue.appendleft(task)
                        self.active_count -= 1
                        self.stop_count -= 1
                        self.threads.discard(thread_no)
                        self.thread_exit_cv.notify()
                        break
                    assert task is not None
                    is_long_task = getattr(task, "_mawqif_long", False)
                    if is_long_task:
                        self.long_running += 1
                try:
                    task.service()
                except BaseException:
                    self.logger.exception("Exception when servicing %r", task)
                finally:
                    if is_long_task:
                        with self.lock:
                            self.long_running -= 1
                            self.queue_cv.notify_all()   # a long task waiting in the queue may start now

    dispatcher = Lanes()
    dispatcher.set_thread_count(threads)
    return dispatcher


def make_runner(store: Store, options: ServeOptions) -> Runner:
    if store.path is None or options.timeout <= 0:
        return InProcessRunner(store.oxigraph, terms.PREFIXES)
    size = options.workers or max(2, min(options.threads, 2 * (os.cpu_count() or 1)))
    return WorkerPool(store.path, terms.PREFIXES, size=size, timeout=options.timeout,
                      memory_limit=max(0, options.query_memory) << 20)


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
        "CORS_ORIGINS": tuple(opts.cors), "CACHE_MAX_AGE": opts.cache_max_age,
        "ALLOW_SERVICE": opts.allow_service})
    dispatcher = writes_first_dispatcher(opts.threads, opts.reserve,
                                         runner.size if isinstance(runner, WorkerPool) else 0)
    try:
        server = create_server(RequestLog(app), _dispatcher=dispatcher, host=opts.host, port=opts.port,
                               threads=opts.threads,
                               ident="mawqif", max_request_body_size=max(2 * opts.max_body, opts.max_body + (1 << 20)),
                               max_request_header_size=opts.max_header,
                               channel_timeout=max(120, int(opts.timeout) + 30))
        channel = json_error_channel()
        for listener in [server, *getattr(server, "map", {}).values()]:
            if hasattr(listener, "channel_class"):
                listener.channel_class = channel
    except OSError as e:
        dispatcher.shutdown()
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

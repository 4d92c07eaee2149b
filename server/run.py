"""Serve the app under waitress (a multi-threaded production WSGI server), on 127.0.0.1 by default."""
from __future__ import annotations

import logging
import signal
import sys
from types import FrameType

from graph_builder import terms
from graph_builder.store import Store
from server.app import create_app
from server.logging import RequestLog


def serve(store: Store, *, host: str = "127.0.0.1", port: int = 5000, base: str = terms.DEFAULT_BASE,
          threads: int = 8) -> None:
    """Run until SIGTERM or SIGINT; the caller closes the store afterwards."""
    from waitress import wasyncore
    from waitress.server import create_server

    app = create_app(store, base=base)
    server = create_server(RequestLog(app), host=host, port=port, threads=threads, ident="mawqif")
    url = f"http://{host}:{server.effective_port}/"  # type: ignore[union-attr]
    store.set_url(url)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"mawqif: warning: serving on {host}, reachable from other machines", file=sys.stderr)
    print(f"mawqif: serving {url} (Ctrl-C to stop)", file=sys.stderr, flush=True)

    def stop(signum: int, frame: FrameType | None) -> None:
        server.close()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server.run()
    except SystemExit:
        pass
    finally:
        wasyncore.close_all()

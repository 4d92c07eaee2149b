"""The HTTP interface: a Flask app factory over one open :class:`graph_builder.store.Store`."""
from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # lazy, so that query worker processes (server.executor) do not import Flask
    if name == "create_app":
        from server.app import create_app
        return create_app
    raise AttributeError(name)

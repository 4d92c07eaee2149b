"""The HTTP interface: a Flask app factory over one open :class:`graph_builder.store.Store`."""
from server.app import create_app

__all__ = ["create_app"]

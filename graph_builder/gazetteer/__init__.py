"""Entity tables (``data/*.json``) and the matcher that finds their mentions in text.

    >>> from graph_builder.gazetteer import default_gazetteer
    >>> g = default_gazetteer()
    >>> [(m.key, m.surface, m.via) for m in g.find("وللأمم المتحدة دور في سوريا", "ar")]
    [('UN', 'لأمم المتحدة', 'name'), ('SYR', 'سوريا', 'name')]
"""
from __future__ import annotations

from functools import cache

from graph_builder.gazetteer.matcher import BARE_STOP, STOP_PHRASES, Gazetteer, load_records

__all__ = ["BARE_STOP", "STOP_PHRASES", "Gazetteer", "default_gazetteer", "load_records"]


@cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer of the package data, loaded once."""
    return Gazetteer(load_records())

"""mawqif: a knowledge graph of diplomatic stances extracted from Arabic and English news.

The library comes first and the command line is a thin layer over it::

    >>> from graph_builder import Article, extract
    >>> x = extract(Article(text="أدانت فرنسا الهجوم على سوريا.", lang="ar"))
    >>> [(s.holder, s.type, s.targets) for s in x.stances]
    [('FRA', 'Condemnation', ('SYR',))]
"""
from __future__ import annotations

__version__ = "0.1.0"

from graph_builder.errors import InputError, MawqifError, QueryError, StoreError, StoreLockedError  # noqa: E402
from graph_builder.extract import extract  # noqa: E402  (the function, not the module of that name)
from graph_builder.model import Article, Extraction, Mention, Stance  # noqa: E402

__all__ = [
    "Article",
    "Extraction",
    "InputError",
    "MawqifError",
    "Mention",
    "QueryError",
    "Stance",
    "StoreError",
    "StoreLockedError",
    "__version__",
    "extract",
]


"""mawqif: a knowledge graph of diplomatic stances extracted from Arabic and English news.

The library comes first and the command line is a thin layer over it::

    >>> from graph_builder import Article, extract
    >>> x = extract(Article(text="أدانت فرنسا الهجوم على سوريا.", lang="ar"))
    >>> [(s.holder, s.type, s.targets) for s in x.stances]
    [('FRA', 'Condemnation', ('SYR',))]
"""
from __future__ import annotations

from graph_builder.errors import InputError, MawqifError, QueryError, StoreError, StoreLockedError
from graph_builder.model import Article, Extraction, Mention, Stance

__version__ = "0.1.0"

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


def extract(article: Article) -> Extraction:
    """Extract stances, entities, memberships and dates from one article (pure)."""
    from graph_builder.extract import extract as _extract

    return _extract(article)

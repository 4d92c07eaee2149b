"""Search over entity labels and aliases, in Arabic and English, with mawqif's normalisation.

Hamza forms, ta marbuta, alef maqsura, tashkeel and tatweel are normalised as the extractor does
(:func:`graph_builder.normalize.normalize_word`), and Arabic proclitics (و ف ب ك ل, the article
ال and their combinations) are tried off both the query and the labels, so "سوريا", "وسورية" and
"syria" all find Syria:

    >>> idx = SearchIndex([IndexedEntity("s", "State", {"en": "Syria", "ar": "سوريا"}, ("سورية",))])
    >>> [h.iri for h in idx.search("وسورية")], [h.iri for h in idx.search("SYR")]
    (['s'], ['s'])
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph_builder.normalize import normalize_word

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_PUNCT = re.compile(r"[.\u060c,'\"()\[\]]")
_PROCLITICS = ("وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال", "و", "ف", "ب", "ك", "ل")
CLASS_ORDER = {"State": 0, "Organisation": 1, "Conflict": 2, "ArmedGroup": 3, "Region": 4}


def norm(text: str) -> str:
    """The search form of a text: normalised, case-folded, without dots and quotes."""
    return " ".join(_PUNCT.sub("", normalize_word(text).casefold()).split())


def variants(text: str) -> set[str]:
    """The normalised text and its forms without an Arabic proclitic or article."""
    n = norm(text)
    out = {n} if n else set()
    if n and _ARABIC.search(n):
        for p in _PROCLITICS:
            rest = n[len(p):]
            if n.startswith(p) and len(rest) >= 2:
                out.add(rest)
                if rest.startswith("ال") and len(rest) >= 4:
                    out.add(rest[2:])
    return out


@dataclass(frozen=True)
class IndexedEntity:
    iri: str
    cls: str
    labels: dict[str, str]
    aliases: tuple[str, ...] = ()
    keys: tuple[tuple[str, bool], ...] = field(default=(), compare=False)

    def with_keys(self) -> IndexedEntity:
        keys: list[tuple[str, bool]] = []
        for label in self.labels.values():
            keys += [(v, False) for v in variants(label)]
        for alias in self.aliases:
            keys += [(v, True) for v in variants(alias)]
        local = self.iri.rstrip("/").rsplit("/", 1)[-1]
        keys += [(v, True) for v in variants(local.replace("-", " "))]
        return IndexedEntity(self.iri, self.cls, self.labels, self.aliases, tuple(dict.fromkeys(keys)))


@dataclass(frozen=True)
class Hit:
    iri: str
    cls: str
    labels: dict[str, str]
    matched: str
    score: float


def _score(query: str, key: str) -> float | None:
    if key == query:
        return 0.0
    if key.startswith(query):
        return 1.0
    if any(w.startswith(query) for w in key.split()[1:]):
        return 2.0
    if len(query) >= 3 and query in key:
        return 3.0
    return None


class SearchIndex:
    """Entities with their search keys; :meth:`search` ranks exact, prefix, word-prefix, substring."""

    def __init__(self, entities: Iterable[IndexedEntity]) -> None:
        self.entities = [e.with_keys() for e in entities]
        self.by_iri = {e.iri: e for e in self.entities}

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        qs = variants(query)
        if not qs:
            return []
        hits: list[Hit] = []
        for e in self.entities:
            best: tuple[float, str] | None = None
            for key, is_alias in e.keys:
                for q in qs:
                    s = _score(q, key)
                    if s is None:
                        continue
                    s += 0.5 if is_alias else 0.0
                    s += 0.25 if q != norm(query) else 0.0  # a proclitic was stripped off the query
                    if best is None or s < best[0]:
                        best = (s, key)
            if best is not None:
                hits.append(Hit(e.iri, e.cls, e.labels, best[1], best[0]))
        hits.sort(key=lambda h: (h.score, CLASS_ORDER.get(h.cls, 9), h.labels.get("en", h.iri)))
        return hits[:limit]

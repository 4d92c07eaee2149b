"""Shared clause helpers for :mod:`graph_builder.extract` and :mod:`graph_builder.extract_ar`:
words between two offsets, cue hits, objects, speech verbs."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graph_builder.lexicon import AR_OBJECT_PREPOSITIONS, EN_OBJECT_PREPOSITIONS
from graph_builder.model import Mention
from graph_builder.normalize import normalize_word

#: How many words may stand between a verb and its subject (titles, dates, "في بيان").
SUBJECT_WINDOW = 6

_WORD = re.compile(r"\w+", re.UNICODE)

# Words that introduce who speaks: "قال X"/"X said"; they set the holder of what follows.
_SPEECH = {
    "ar": re.compile(r"(?<!\w)(?:و|ف)?(قال|قالت|اضاف|اضافت|اوضح|اوضحت|صرح|صرحت|ذكر|ذكرت|تابع|تابعت|"
                     r"اعلن|اعلنت|اكد|اكدت|شدد|شددت)(?!\w)"),
    "en": re.compile(r"\b(said|says|told|added|stated|announced|according to)\b"),
}


@dataclass(frozen=True)
class _CueHit:
    start: int        # original offsets
    end: int
    type: str
    role: str
    negated: bool = False


def _words_between(text: str, a: int, b: int, lang: str) -> list[str]:
    chunk = text[a:b] if a < b else ""
    chunk = normalize_word(chunk) if lang == "ar" else chunk.lower()
    return _WORD.findall(chunk)


@lru_cache(maxsize=1 << 16)
def _norm_token(word: str) -> str:
    """:func:`normalize_word` of one word; words recur, so it is memoised."""
    return normalize_word(word)


def _word_gap(text: str, a: int, b: int, lang: str) -> int:
    return len(_words_between(text, a, b, lang))


def _is_object(text: str, m: Mention, lang: str) -> bool:
    """Whether the word before the mention (or an attached ب/ل) marks it as an object."""
    before = text[max(0, m.start - 25):m.start]
    words = _words_between(before, 0, len(before), lang)
    if lang == "ar":
        if words and words[-1] in AR_OBJECT_PREPOSITIONS:
            return True
        j = m.start - 1
        if j >= 0 and text[j] in "بلك":   # a clitic preposition attached to the name
            return True
        if j >= 1 and text[j - 1:j + 1] in ("لل", "بال", "وب", "ول", "فب", "فل"):
            return True
        return False
    return bool(words) and words[-1] in EN_OBJECT_PREPOSITIONS

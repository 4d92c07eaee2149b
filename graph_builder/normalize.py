"""Arabic/English text normalisation that keeps a map back to the original offsets.

``normalize(text, lang)`` returns a :class:`Normalized` whose ``text`` is what the matchers
search, and whose :meth:`Normalized.to_original` turns a span of the normalised text back into a
span of the original text (code-point offsets, end exclusive). Every span it returns is valid in
the original text.

What is done, character by character (the same rules for every language; ``lang`` is accepted so
that language-specific rules can be added without changing callers):

* NFKC (presentation forms such as ``ﻻ`` become ``لا``; full-width Latin becomes ASCII; NBSP
  becomes a space) followed by ``casefold`` (``US`` → ``us``; ``ß`` → ``ss``);
* canonical decomposition, then every non-spacing mark (Unicode category ``Mn``) is dropped:
  Arabic tashkeel (fatha … sukun, tanween, shadda, superscript alef, Quranic marks) and also
  hamza-above/below and madda, so that ``أ إ آ`` → ``ا``, ``ؤ`` → ``و``, ``ئ`` → ``ي``; Latin
  accents go the same way (``Élysée`` → ``elysee``);
* format characters (category ``Cf``) are dropped: zero-width space/joiner/non-joiner, LRM/RLM/ALM,
  LRE…PDF, LRI…PDI, BOM, soft hyphen;
* tatweel ``ـ`` is dropped; ``ٱ`` → ``ا``; ``ى`` → ``ي``; ``ة`` → ``ه``;
* the standalone hamza ``ء`` (and the high hamza ``ٴ``) is dropped: the press writes
  ``صنعاء``/``صنعا`` and ``هيئة``/``هيأة`` both ways, and a name never differs from another only
  by a standalone hamza, so dropping it makes matching more robust;
* Persian/Urdu/Kurdish letters: ``ک ڪ گ ڭ`` → ``ك``, ``ی ې ے`` → ``ي``, ``ە ۀ ہ ھ`` → ``ه``,
  ``پ`` → ``ب``, ``چ`` → ``ج``, ``ژ`` → ``ز``, ``ڤ`` → ``ف``, ``ڨ`` → ``ق``;
* Eastern Arabic (``٠…٩``) and Persian (``۰…۹``) digits → ASCII; Arabic decimal/thousands
  separators → ``.``/``,``;
* ``_`` → space (``#مجلس_الأمن`` → ``#مجلس الامن``); typographic quotes → ``'``/``"``; dashes
  (``‐ ‑ ‒ – — ―``) → ``-``.

Typos such as ``وفقًأ`` normalise naturally (``ًأ`` → ``ا``). Whitespace is not collapsed (that would
only complicate the offset map); :func:`normalize_word` does collapse it, for gazetteer aliases.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

__all__ = ["Normalized", "normalize", "normalize_char", "normalize_word"]

# Explicit letter mappings, applied after NFKC + casefold + decomposition.
_LETTER_MAP: dict[str, str] = {
    "\u0671": "\u0627",  # ٱ alef wasla → ا
    "\u0672": "\u0627", "\u0673": "\u0627", "\u0675": "\u0627",  # alef with wavy hamza / high hamza
    "\u0649": "\u064a",  # ى → ي
    "\u0629": "\u0647",  # ة → ه
    "\u0621": "",        # ء standalone hamza: dropped
    "\u0674": "",        # ٴ high hamza: dropped
    "\u0640": "",        # ـ tatweel
    "\u06a9": "\u0643", "\u06aa": "\u0643", "\u06af": "\u0643", "\u06ad": "\u0643",  # ک ڪ گ ڭ → ك
    "\u06cc": "\u064a", "\u06d0": "\u064a", "\u06d2": "\u064a", "\u06d3": "\u064a",  # ی ې ے ۓ → ي
    "\u0626": "\u064a",  # ئ (in case decomposition did not apply)
    "\u0624": "\u0648",  # ؤ
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627",  # أ إ آ
    "\u06d5": "\u0647", "\u06c0": "\u0647", "\u06c1": "\u0647", "\u06be": "\u0647", "\u06c2": "\u0647",
    "\u067e": "\u0628",  # پ → ب
    "\u0686": "\u062c",  # چ → ج
    "\u0698": "\u0632",  # ژ → ز
    "\u06a4": "\u0641",  # ڤ → ف
    "\u06a8": "\u0642",  # ڨ → ق
    "\u066b": ".", "\u066c": ",",  # Arabic decimal and thousands separators
    "_": " ",
    "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-",
}
for _i in range(10):
    _LETTER_MAP[chr(0x0660 + _i)] = str(_i)
    _LETTER_MAP[chr(0x06F0 + _i)] = str(_i)


@cache
def normalize_char(ch: str) -> str:
    """The normalised form of one character (possibly empty or several characters)."""
    if ch in _LETTER_MAP:
        return _LETTER_MAP[ch]
    s = unicodedata.normalize("NFKC", ch).casefold()
    s = unicodedata.normalize("NFD", s)
    out: list[str] = []
    for c in s:
        if c in _LETTER_MAP:
            out.append(_LETTER_MAP[c])
            continue
        cat = unicodedata.category(c)
        if cat in ("Mn", "Cf"):
            continue
        out.append(c)
    r = "".join(out)
    # Recompose what is left (e.g. Hangul syllables).
    return r if r.isascii() else unicodedata.normalize("NFC", r)


def _safe_chars() -> str:
    """Characters (in the ranges news text mostly uses) that normalise to themselves."""
    ranges = [(0x00, 0x250), (0x0600, 0x0700), (0x2000, 0x2070), (0x0750, 0x0780)]
    safe = []
    for lo, hi in ranges:
        for cp in range(lo, hi):
            c = chr(cp)
            if normalize_char(c) == c:
                safe.append(c)
    return "".join(safe)


# Any character that is not known to be left alone goes through normalize_char.
_UNSAFE = re.compile("[^" + re.escape(_safe_chars()) + "]")


@dataclass(frozen=True)
class Normalized:
    """A normalised text with the map back to the original.

    The map is piecewise: ``_nbreaks[k]`` is the normalised offset where piece ``k`` starts,
    ``_obreaks[k]`` the original offset it maps to, and ``_linear[k]`` tells whether the piece
    advances one original character per normalised character (True) or is the expansion of a
    single original character (False, e.g. ``ﻻ`` → ``لا``).
    """

    text: str
    original: str
    _nbreaks: tuple[int, ...] = (0,)
    _obreaks: tuple[int, ...] = (0,)
    _linear: tuple[bool, ...] = (True,)

    def _orig(self, k: int) -> int:
        """Original offset of normalised character ``k`` (0 <= k < len(text))."""
        p = bisect_right(self._nbreaks, k) - 1
        if self._linear[p]:
            return self._obreaks[p] + (k - self._nbreaks[p])
        return self._obreaks[p]

    def to_original(self, i: int, j: int) -> tuple[int, int]:
        """The original span of normalised span ``[i, j)``; always valid in ``original``.

        Offsets are clamped to the text; combining marks that follow the span's last character
        are included in the original span.
        """
        n = len(self.text)
        i = max(0, min(i, n))
        j = max(i, min(j, n))
        if i == j:
            o = self._orig(i) if i < n else len(self.original)
            return o, o
        end = self._orig(j - 1) + 1
        # Marks after the last character (``مصرَ``) belong to it; they are always deleted, so no
        # later normalised character maps into them.
        orig = self.original
        while end < len(orig) and unicodedata.category(orig[end]) == "Mn":
            end += 1
        return self._orig(i), end


def normalize(text: str, lang: str = "ar") -> Normalized:
    """Normalise ``text`` (see the module docstring) keeping the offset map."""
    del lang  # the same rules serve both languages (see the module docstring)
    pieces: list[str] = []
    nbreaks: list[int] = [0]
    obreaks: list[int] = [0]
    linear: list[bool] = [True]
    pos = 0     # next original offset to copy
    npos = 0    # current length of the normalised text
    for m in _UNSAFE.finditer(text):
        i = m.start()
        if i > pos:
            pieces.append(text[pos:i])
            npos += i - pos
        rep = normalize_char(text[i])
        if len(rep) == 1:
            pieces.append(rep)
            npos += 1
        elif not rep:
            # Deleted: the next normalised character maps to the original's i + 1.
            if nbreaks[-1] == npos:
                obreaks[-1] = i + 1
                linear[-1] = True
            else:
                nbreaks.append(npos)
                obreaks.append(i + 1)
                linear.append(True)
        else:
            if nbreaks[-1] == npos:
                obreaks[-1] = i
                linear[-1] = False
            else:
                nbreaks.append(npos)
                obreaks.append(i)
                linear.append(False)
            pieces.append(rep)
            npos += len(rep)
            nbreaks.append(npos)
            obreaks.append(i + 1)
            linear.append(True)
        pos = i + 1
    if pos < len(text):
        pieces.append(text[pos:])
    return Normalized("".join(pieces), text, tuple(nbreaks), tuple(obreaks), tuple(linear))


_SPACES = re.compile(r"\s+")


def normalize_word(s: str) -> str:
    """Normalise a gazetteer alias the way :func:`normalize` normalises text, collapsing spaces."""
    if not _UNSAFE.search(s):
        return _SPACES.sub(" ", s).strip()
    return _SPACES.sub(" ", "".join(map(normalize_char, s))).strip()

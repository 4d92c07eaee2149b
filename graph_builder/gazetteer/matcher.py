"""The gazetteer: entity records and an Aho–Corasick matcher over normalised text.

Matching happens on :func:`graph_builder.normalize.normalize` output (hyphens read as spaces), with
one automaton shared by both languages (Arabic articles quote ``OPCW``, English ones ``داعش``
rarely, but nothing is lost). Rules:

* longest match first, non-overlapping; never inside a longer word (letters and digits of any
  script are word characters);
* Arabic: a name may carry the proclitics ``و ف`` then ``ب ك ل`` (``وبالعراق``، ``فلسوريا``); ``ل``
  before the article gives ``لل`` (``وللأمم المتحدة``), which is generated as its own pattern; the
  mention then starts after the clitic(s), so ``surface`` is ``العراق`` / ``لأمم المتحدة``. No
  suffix is allowed: demonym forms (``السوريين``، ``الروس``) are listed in the data;
* English: case-insensitive, except that an alias written in capitals (``UN``, ``US``, ``IS``,
  ``WHO``, ``U.S.``) only matches the same capitals, and an alias starting with a capital
  (``Turkey``, ``Chad``, ``Polish``) only matches text starting with a capital;
* ``via``: ``name`` (names, abbreviations), ``demonym`` (``السوري``، ``Syrian``), ``capital``
  (capitals and seats of government, ``دمشق``، ``the Kremlin``: the caller decides whether it is
  the government or only the place), ``ministry`` (``الخارجية الفرنسية``، ``State Department``),
  ``title`` (an office of the entity: ``الأمين العام للأمم المتحدة``، ``وزير الخارجية السوري``,
  ``Syrian foreign minister``), ``hashtag`` (any of these written as ``#كوريا_الشمالية``).

Stop-list (see ``STOP_PHRASES``, ``BARE_STOP`` and ``_resolve_ambiguous``):

* ``مالي`` (Mali, but also "financial"/"my money") is only matched as ``جمهورية مالي``، ``دولة مالي``
  or after ``في``، ``إلى``، ``شمال``، ``حكومة``، ``رئيس`` …; the demonym ``المالي`` is never Malian;
* ``عمان`` is Oman (عُمان) and Amman (عَمّان, Jordan's capital): bare, it is resolved only from the
  original diacritics (damma → Oman, shadda → Amman as the capital of Jordan), otherwise skipped;
  ``سلطنة عمان``، ``العماني``، ``مسقط`` give Oman;
* ``القمر`` (the moon), ``بنين`` (sons), ``سيول`` (floods): not names of Comoros, Benin, Seoul;
  ``جزر القمر``, ``جمهورية بنين`` are;
* phrases that contain a name but are not about the state: ``مجلس الأمن القومي/الوطني/الروسي``
  (not the UNSC), ``اللغة الروسية`` (and every ``اللغة`` + feminine demonym), ``المحيط الهندي``،
  ``مسقط رأس``، ``الجامعة الأمريكية``، ``المقاومة الشعبية السلمية``, "Indian Ocean",
  "Latin America(n)", "New Mexico", "New Jersey", "Washington Post", "Jordan Valley",
  "National Security Council", "North Pole"…;
* ``الأمن`` alone, ``الأمين العام`` alone, ``الجامعة`` alone and ``المملكة`` alone are not entities
  (no such alias); ``الجزائر``، ``الكويت``، ``تونس``، ``جيبوتي`` are the states (name), not capitals.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ahocorasick

from graph_builder.model import EntityInfo, Mention
from graph_builder.normalize import Normalized, normalize, normalize_word

DATA = Path(__file__).resolve().parent / "data"
DATA_FILES = ("states.json", "organisations.json", "armed_groups.json", "conflicts.json", "regions.json")

#: Which via wins when one pattern is listed several times for the same key.
_VIA_RANK = {"name": 0, "ministry": 1, "title": 2, "demonym": 3, "capital": 4}

#: Phrases that contain a name but do not name the entity; matched and then dropped.
STOP_PHRASES: tuple[str, ...] = (
    "مجلس الأمن القومي", "مجلس الأمن الوطني", "مجلس الأمن الروسي", "مجلس الأمن الاتحادي",
    "مجلس الأمن والدفاع", "مجلس الأمن الأعلى", "مجلس الأمن الداخلي", "مجلس الأمن الإقليمي",
    "المحيط الهندي", "مسقط رأس", "مسقط رأسه", "مسقط رأسها", "الجامعة الأمريكية", "الجامعة الأميركية",
    "المقاومة الشعبية السلمية", "المقاومة الشعبية الفلسطينية", "القاعدة العسكرية", "القاعدة الجوية",
    "القاعدة البحرية", "القاعدة الأمريكية", "القاعدة الأميركية", "القاعدة الروسية", "القاعدة التركية",
    "القاعدة الشعبية", "القاعدة القانونية", "القاعدة الانتخابية", "القاعدة التي", "القاعدة الذهبية",
    "الإمبراطورية الرومانية", "القانون الروماني", "الهنود الحمر", "الخليج الفارسي",
    "National Security Council", "Russian Security Council", "Security Council of Russia",
    "Indian Ocean", "Latin American", "South American", "North American",
    "Central American", "African American", "African-American", "Native American", "North America",
    "New Mexico", "New Jersey", "New Guinea", "New South Wales", "New England", "Washington Post",
    "Washington Times", "Washington state", "Washington State", "George Washington",
    "Jordan Valley", "Jordan River", "North Pole", "South Pole", "Chinese New Year",
    "French fries", "Turkish delight", "Northern Ireland", "Paris Saint-Germain",
    "Mexico City", "Guinea pig", "Georgia Tech", "Holy See",
)

#: Normalised aliases never matched on their own (see the module docstring).
BARE_STOP: frozenset[str] = frozenset(
    normalize_word(s) for s in ("مالي", "عمان", "عُمان", "القمر", "بنين", "سيول", "المالي", "المالية",
                                "الماليون", "الماليين", "ماليه", "ماليون", "ماليين")
)

#: Contexts (before ``|``) that make a stop-listed name a name.
CONTEXT_PATTERNS: tuple[tuple[str, str, str], ...] = (
    ("في |مالي", "MLI", "name"), ("إلى |مالي", "MLI", "name"), ("شمال |مالي", "MLI", "name"),
    ("جنوب |مالي", "MLI", "name"), ("وسط |مالي", "MLI", "name"), ("حكومة |مالي", "MLI", "name"),
    ("رئيس |مالي", "MLI", "name"), ("شعب |مالي", "MLI", "name"), ("دولة |مالي", "MLI", "name"),
    ("جمهورية |بنين", "BEN", "name"), ("العاصمة الأردنية |عمان", "JOR", "capital"),
    ("العاصمة العمانية |مسقط", "OMN", "capital"),
)

#: Ministries and offices that have their own names (not generated from demonyms).
EXTRA_PATTERNS: tuple[tuple[str, str, str], ...] = (
    ("State Department", "USA", "ministry"), ("US State Department", "USA", "ministry"),
    ("U.S. State Department", "USA", "ministry"), ("Department of State", "USA", "ministry"),
    ("Pentagon", "USA", "ministry"), ("the Pentagon", "USA", "ministry"),
    ("البنتاغون", "USA", "ministry"), ("البنتاجون", "USA", "ministry"),
    ("وزارة الخارجية الأمريكية", "USA", "ministry"),
    ("Foreign Office", "GBR", "ministry"), ("Foreign and Commonwealth Office", "GBR", "ministry"),
    ("Foreign, Commonwealth and Development Office", "GBR", "ministry"), ("FCO", "GBR", "ministry"),
    ("Quai d'Orsay", "FRA", "ministry"), ("الكي دورسيه", "FRA", "ministry"),
    ("Kremlin", "RUS", "capital"), ("Elysee Palace", "FRA", "capital"),
)

_AR_LETTER = re.compile(r"[\u0621-\u064a\u066e-\u06d3]")
_PROCLITICS = re.compile(r"[وف]?[بكل]?")
_NON_LETTERS = re.compile(r"[^A-Za-z]")


@dataclass(frozen=True)
class _Pat:
    key: str | None          # None: a stop phrase
    via: str
    lead: int                # characters of context before the mention proper
    exact: str | None        # letters an all-capitals alias must match exactly
    capital_first: bool      # the alias starts with an upper-case letter
    lam: bool                # "لل…" variant: the first letter is the clitic ل
    oman: bool = False       # bare "عمان": Oman or Amman, told apart by the original's diacritics


def _search_form(s: str) -> str:
    return normalize_word(s).replace("-", " ")


def _case_info(alias: str) -> tuple[str | None, bool]:
    """(letters an all-capitals alias must match exactly, whether the alias starts with a capital)."""
    if not alias.isascii():
        return None, False
    if alias.isupper():
        return _NON_LETTERS.sub("", alias), True
    return None, alias[:1].isupper()


def _record(d: dict[str, Any]) -> EntityInfo:
    return EntityInfo(
        key=d["key"], kind=d["kind"], label_en=d["label_en"], label_ar=d["label_ar"],
        iso3=d.get("iso3"), qid=d.get("qid"),
        aliases_en=tuple(d.get("aliases_en", ())), aliases_ar=tuple(d.get("aliases_ar", ())),
        location=tuple(d.get("location", ())), parties=tuple(d.get("parties", ())),
        parent=d.get("parent"),
    )


def _generated(d: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Ministry and title patterns of a state, from its names and demonyms."""
    # Official long forms ("Federal Democratic Republic of Ethiopia") are not used in these phrases.
    names_ar = [n for n in (d["label_ar"], *d.get("aliases_ar", ())) if n and len(n.split()) <= 3]
    names_en = [n for n in (d["label_en"], *d.get("aliases_en", ()))
                if len(n.split()) <= 3 and "Republic" not in n and "Kingdom" not in n]
    dem_ar = [normalize_word(x) for x in d.get("demonyms_ar", ())]
    fem = [x for x in dem_ar if x.startswith("ال") and x.endswith("يه")]
    masc = [x for x in dem_ar if x.startswith("ال") and x.endswith("ي")]
    for f in fem:
        for p in ("الخارجية", "وزارة الخارجية", "وزارة الخارجية والمغتربين", "الدفاع", "وزارة الدفاع",
                  "المتحدث باسم الخارجية", "المتحدث باسم وزارة الخارجية", "المتحدثة باسم الخارجية",
                  "المتحدثة باسم وزارة الخارجية"):
            yield f"{p} {f}", "ministry" if not p.startswith("المتحدث") else "title"
        for p in ("وزيرة الخارجية", "رئيسة الوزراء", "السفيرة", "المندوبة", "الرئاسة"):
            yield f"{p} {f}", "title"
    for m in masc:
        for p in ("وزير الخارجية", "الرئيس", "رئيس الوزراء", "رئيس الحكومة", "السفير", "المندوب",
                  "وزير الدفاع", "العاهل", "الملك", "ولي العهد", "نائب الرئيس", "المبعوث",
                  "المتحدث باسم الرئيس", "الناطق باسم الخارجية"):
            yield f"{p} {m}", "title"
    if not dem_ar:
        return   # territories without demonyms (Aruba, Jersey…) get no ministry or title phrases
    for n in names_ar:
        for p in ("وزارة خارجية", "خارجية", "وزارة دفاع"):
            yield f"{p} {n}", "ministry"
        for p in ("وزير خارجية", "وزيرة خارجية", "رئيس", "سفير", "مندوب", "ملك", "أمير", "رئيس وزراء"):
            yield f"{p} {n}", "title"
    for a in d.get("demonyms_en", ()):
        for p in ("foreign ministry", "ministry of foreign affairs", "defence ministry",
                  "defense ministry", "foreign office"):
            yield f"{a} {p}", "ministry"
        for p in ("foreign minister", "president", "prime minister", "ambassador", "envoy",
                  "defence minister", "defense minister", "king", "emir", "crown prince",
                  "government"):
            yield f"{a} {p}", "title" if p != "government" else "name"
    for n in names_en:
        for p in ("'s foreign ministry", "'s ministry of foreign affairs", "'s defence ministry",
                  "'s defense ministry"):
            yield f"{n}{p}", "ministry"
        yield f"foreign ministry of {n}", "ministry"
        for p in ("'s foreign minister", "'s ambassador"):
            yield f"{n}{p}", "title"
        yield f"foreign minister of {n}", "title"


class Gazetteer:
    """Entity records and the matcher over them."""

    def __init__(self, records: Iterable[dict[str, Any]]):
        self._entities: dict[str, EntityInfo] = {}
        raw: list[dict[str, Any]] = []
        for d in records:
            info = _record(d)
            if info.key in self._entities:
                raise ValueError(f"duplicate gazetteer key {info.key}")
            self._entities[info.key] = info
            raw.append(d)
        # pattern → {key: (via, alias)}; a pattern given to two keys with the same via is dropped.
        table: dict[tuple[str, int, bool], dict[str | None, tuple[str, str]]] = {}

        skip: set[str] = set()

        def add(alias: str, key: str | None, via: str) -> None:
            lead = 0
            if "|" in alias:
                ctx, alias_ = alias.split("|", 1)
                lead = len(_search_form(ctx)) + 1
                alias = ctx + alias_
            form = _search_form(alias)
            if not form:
                return
            if key is not None and via == "name" and normalize_word(alias) in skip:
                return
            if lead == 0 and key is not None and form in BARE_STOP:
                return
            slot = table.setdefault((form, lead, False), {})
            old = slot.get(key)
            if old is None or _VIA_RANK.get(via, 9) < _VIA_RANK.get(old[0], 9):
                slot[key] = (via, alias)

        for d in raw:
            key = d["key"]
            skip = {normalize_word(a) for a in d.get("unmatched", ())}
            for a in (d["label_en"], d["label_ar"], *d.get("aliases_en", ()), *d.get("aliases_ar", ())):
                add(a, key, "name")
            for a in (*d.get("demonyms_en", ()), *d.get("demonyms_ar", ())):
                add(a, key, "demonym")
            for a in (*d.get("capitals_en", ()), *d.get("capitals_ar", ())):
                add(a, key, "capital")
            for a in (*d.get("titles_en", ()), *d.get("titles_ar", ())):
                add(a, key, "title")
            if d["kind"] == "State":
                for a, via in _generated(d):
                    add(a, key, via)
                for f in d.get("demonyms_ar", ()):
                    if normalize_word(f).startswith("ال") and normalize_word(f).endswith("يه"):
                        add(f"اللغة {f}", None, "name")
        for a, key, via in (*CONTEXT_PATTERNS, *EXTRA_PATTERNS):
            add(a, key, via)
        for a in STOP_PHRASES:
            add(a, None, "name")

        self._auto = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        self.collisions: list[tuple[str, tuple[str, ...]]] = []
        for (form, lead, _), slot in table.items():
            pats = self._patterns(form, lead, slot)
            if pats is None:
                continue
            self._auto.add_word(form, (len(form), pats[0]))
            if form.startswith("ال") and len(form) > 3 and lead == 0:
                lam = "لل" + form[2:]
                self._auto.add_word(lam, (len(lam), pats[1]))
        oman = _Pat("OMN", "name", 0, None, False, False, True)
        self._auto.add_word("عمان", (len("عمان"), oman))
        self._auto.make_automaton()

    def _patterns(self, form: str, lead: int,
                  slot: dict[str | None, tuple[str, str]]) -> tuple[_Pat, _Pat] | None:
        if None in slot:
            key: str | None = None
            via, alias = slot[None]
        else:
            best = min(_VIA_RANK.get(v, 9) for v, _ in slot.values())
            keys = sorted(k for k, (v, _) in slot.items() if _VIA_RANK.get(v, 9) == best and k)
            if len(keys) > 1:
                self.collisions.append((form, tuple(keys)))
                return None
            key = keys[0]
            via, alias = slot[key]
        exact, cap = _case_info(alias)
        return _Pat(key, via, lead, exact, cap, False), _Pat(key, via, lead, exact, cap, True)

    # -- records -------------------------------------------------------------------------
    def entity(self, key: str) -> EntityInfo:
        """The record of ``key``; ``KeyError`` when there is none."""
        return self._entities[key]

    def get(self, key: str) -> EntityInfo | None:
        return self._entities.get(key)

    def __iter__(self) -> Iterator[EntityInfo]:
        return iter(self._entities.values())

    def __len__(self) -> int:
        return len(self._entities)

    def __contains__(self, key: object) -> bool:
        return key in self._entities

    # -- matching ------------------------------------------------------------------------
    def find(self, text: str, lang: str = "ar", *, inner: bool = False,
             norm: Normalized | None = None) -> tuple[Mention, ...]:
        """Entity mentions in ``text``, sorted by start, offsets into ``text``.

        With ``inner=True`` the mentions nested in a longer one of another key are returned as
        well (``الجمعية العامة للأمم المتحدة`` gives ``UNGA`` and ``UN``; ``النزاع
        الفلسطيني-الإسرائيلي`` gives the conflict and ``PSE``, ``ISR``), still sorted by start.
        ``norm`` is ``normalize(text, lang)`` when the caller has it already.
        """
        if not text:
            return ()
        if norm is None:
            norm = normalize(text, lang)
        s = norm.text.replace("-", " ")
        n = len(s)
        cands: list[tuple[int, int, int, _Pat]] = []   # (span start, span end, mention start, pat)
        for end_i, (length, pat) in self._auto.iter(s):
            start = end_i - length + 1
            end = end_i + 1
            if end < n and s[end].isalnum():
                continue
            first = s[start]
            mstart = start + pat.lead
            if pat.lam:
                mstart = start + 1
            if start > 0 and s[start - 1].isalnum():
                if not _AR_LETTER.match(first):
                    continue
                ws = start
                while ws > 0 and s[ws - 1].isalnum():
                    ws -= 1
                prefix = s[ws:start]
                if pat.lam:
                    if prefix not in ("و", "ف"):
                        continue
                elif not _PROCLITICS.fullmatch(prefix):
                    continue
            if pat.exact is not None or pat.capital_first:
                os_, oe = norm.to_original(mstart, end)
                surf = text[os_:oe]
                if pat.exact is not None:
                    if "".join(c for c in surf if c.isalpha()) != pat.exact:
                        continue
                    if pat.exact in _CAPS_WORDS and _in_caps_run(text, os_, oe):
                        continue
                elif not surf[:1].isupper():
                    continue
            if pat.oman:
                os_, oe = norm.to_original(mstart, end)
                pat = _resolve_oman(text[os_:oe])
                if pat is None:
                    continue
            cands.append((start, end, mstart, pat))
        if not cands:
            return ()
        chosen = _select(cands)
        out: list[Mention] = []
        for c in chosen:
            m = self._mention(c, norm, text, s)
            if m is not None:
                out.append(m)
        if inner:
            by_start = sorted(cands, key=lambda d: d[0])
            cand_starts = [d[0] for d in by_start]
            for c in chosen:
                if c[3].key is None:
                    continue
                outer = self._entities[c[3].key].kind
                if outer == "State":
                    continue   # "جنوب السودان" names South Sudan, not Sudan
                window = by_start[bisect_left(cand_starts, c[0]):bisect_left(cand_starts, c[1])]
                inside = [d for d in window if d is not c and d[1] <= c[1] and d[3].key not in (None, c[3].key)]
                for d in _select(inside):
                    m = self._mention(d, norm, text, s)
                    if m is not None:
                        out.append(m)
            out = list(dict.fromkeys(out))
        out.sort(key=lambda m: (m.start, -m.end))
        return tuple(out)

    def _mention(self, c: tuple[int, int, int, _Pat], norm: Any, text: str, s: str) -> Mention | None:
        start, end, mstart, pat = c
        if pat.key is None:
            return None
        os_, oe = norm.to_original(mstart, end)
        surf = text[os_:oe]
        key, via = pat.key, pat.via
        ws = start
        while ws > 0 and s[ws - 1].isalnum():
            ws -= 1
        if ws > 0 and s[ws - 1] == "#":
            via = "hashtag"
        return Mention(key, os_, oe, surf, via)


#: Abbreviations that are also English words: not matched inside an all-capitals headline.
_CAPS_WORDS = frozenset({"IS", "WHO"})
_WORD_BEFORE = re.compile(r"([A-Za-z]+)[^A-Za-z]*$")
_WORD_AFTER = re.compile(r"^[^A-Za-z]*([A-Za-z]+)")


def _in_caps_run(text: str, start: int, end: int) -> bool:
    """Whether the word before or after ``text[start:end]`` is in capitals too ("WHAT IS NEXT")."""
    before = _WORD_BEFORE.search(text[max(0, start - 30):start])
    after = _WORD_AFTER.search(text[end:end + 30])
    return any(m is not None and len(m.group(1)) > 1 and m.group(1).isupper() for m in (before, after))


def _resolve_oman(surface: str) -> _Pat | None:
    """``عُمان`` (damma) is Oman; ``عمّان`` / ``عَمّان`` (shadda) is Amman, Jordan's capital."""
    if surface.startswith("ع\u064f") or surface.startswith("\u0639\u064f"):
        return _Pat("OMN", "name", 0, None, False, False)
    if "\u0651" in surface or surface.startswith("ع\u064e"):
        return _Pat("JOR", "capital", 0, None, False, False)
    return None


def _select(cands: list[tuple[int, int, int, _Pat]]) -> list[tuple[int, int, int, _Pat]]:
    """Longest first, then leftmost; non-overlapping (n log n: the taken spans are kept sorted)."""
    starts: list[int] = []
    ends: list[int] = []   # the taken spans never overlap, so their ends are sorted too
    chosen = []
    for c in sorted(cands, key=lambda c: (-(c[1] - c[0]), c[0])):
        i = bisect_left(starts, c[1])          # the taken spans that start before c ends
        if i and ends[i - 1] > c[0]:           # the last of them is the only one that can reach c
            continue
        starts.insert(i, c[0])
        ends.insert(i, c[1])
        chosen.append(c)
    return chosen


def load_records(data_dir: Path = DATA) -> list[dict[str, Any]]:
    """Every record of the package data files."""
    records: list[dict[str, Any]] = []
    for name in DATA_FILES:
        records += json.loads((data_dir / name).read_text(encoding="utf-8"))
    return records

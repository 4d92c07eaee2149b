"""Dates in Arabic and English news text, normalised to ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.

Spans are found with this module's own regular expressions (compiled at import); nothing parses
free text. The text is first normalised one character to one character where possible (Eastern
Arabic and Persian digits → ASCII, hamza forms of alef → ا, ى → ي, Persian ی/ک → ي/ك, no-break
space → space); diacritics, tatweel and direction marks are removed through an index map so every
span still points into the original text.

What is found:

* day–month–year, month–year, day–month in Arabic (Egyptian/Gulf, Levantine/Iraqi, Maghrebi and
  Algerian/Tunisian month names, the double form ``19 يناير/كانون الثاني 2020`` as one span, with
  clitics ``بيناير`` / ``وديسمبر``) and English (``January 19, 2020``, ``19 January 2020``,
  ``Jan. 19, 2020``, ``March 2018``), ISO ``2011-11-29`` and ``29/11/2011``;
* years after a year word or preposition (``عام 2002``, ``العام 2018``, ``منذ 1967``,
  ``in 2002``), with ``م`` after them, or standing alone, except where the number is a resolution
  or reference number (``القرار 2254``, ``resolution 2401``, ``رقم 2216``, ``No. 2401``), a
  money amount or a count (``2000 شخص``, ``$2015``), part of a decimal, a longer number or a
  decade (``1990s``);
* relative months and days, resolved against ``published`` (``YYYY-MM-DD``) and skipped without
  it: ``ديسمبر الماضي`` / ``last December`` → the latest such month strictly before the
  publication month (with a day: the latest such date strictly before publication);
  ``مايو المقبل`` / ``next May`` → the first one strictly after; ``... من العام الماضي`` /
  ``... last year`` → the year before publication; ``25 الجاري`` → that day of the publication
  month. A month or day-and-month with no year and no qualifier is put in the year that brings it
  closest to the publication date (ties go to the past);
* Hijri dates (``15 رمضان 1439 هـ``, ``رمضان 1439``, ``1439هـ``), converted with ``hijridate``:
  a day gives the Gregorian day, a month the Gregorian month of its first day, a bare year the
  Gregorian year in which it began (1 Muharram).

Weekdays, "yesterday", "today" and decades are not dates. Years must be in 1900–2100 (Hijri
1300–1500). Mentions are returned sorted by start and non-overlapping (leftmost, then longest).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from graph_builder.model import DateMention

__all__ = ["find_dates"]

# --------------------------------------------------------------------------------------------
# Normalisation (one-to-one, except deleted marks, which go through an index map)

_MAP: dict[str, str] = {
    **{chr(0x0660 + i): str(i) for i in range(10)},
    **{chr(0x06F0 + i): str(i) for i in range(10)},
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ک": "ك", "ۀ": "ه",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "٫": ".", "٬": ",",
}
_MAP_CHARS = re.compile("[" + "".join(_MAP) + "]")


def _translate(text: str) -> str:
    # str.replace per character present is much faster than str.translate on non-ASCII text.
    if _MAP_CHARS.search(text) is None:
        return text
    for ch, rep in _MAP.items():
        if ch in text:
            text = text.replace(ch, rep)
    return text


_DELETE = re.compile("[\u0640\u064b-\u065f\u0670\u200c-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_KEEP_RUN = re.compile("[^\u0640\u064b-\u065f\u0670\u200c-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+")


def _normalise(text: str) -> tuple[str, list[int] | None]:
    if _DELETE.search(text) is None:
        return _translate(text), None
    parts: list[str] = []
    idx: list[int] = []
    for m in _KEEP_RUN.finditer(text):
        parts.append(m.group(0))
        idx.extend(range(m.start(), m.end()))
    return _translate("".join(parts)), idx


# --------------------------------------------------------------------------------------------
# Vocabulary (normalised spellings)

_AR_MONTHS: dict[str, int] = {}
for _num, _names in enumerate((
    "يناير جانفي كانون الثاني|كانون ثاني|كانون2",
    "فبراير فيفري فبرايل شباط",
    "مارس اذار",
    "ابريل افريل نيسان",
    "مايو ماي ايار",
    "يونيو يونيه جوان حزيران",
    "يوليو يوليه يوليوز جويلية جويليه تموز",
    "اغسطس اغسطوس غشت اوت اب",
    "سبتمبر شتنبر ايلول",
    "اكتوبر تشرين الاول|تشرين اول|تشرين1",
    "نوفمبر نونبر تشرين الثاني|تشرين ثاني|تشرين2",
    "ديسمبر دجنبر كانون الاول|كانون اول|كانون1",
), start=1):
    for _chunk in _names.split("|"):
        _words = _chunk.split()
        # multi-word names are the last two words of a chunk ("كانون الثاني")
        if len(_words) >= 2 and _words[-2] in ("كانون", "تشرين"):
            for _w in _words[:-2]:
                _AR_MONTHS[_w] = _num
            _AR_MONTHS[" ".join(_words[-2:])] = _num
        else:
            for _w in _words:
                _AR_MONTHS[_w] = _num
# Arabic month names that are also ordinary words (آب "father"/أب, ماي, مارس "practised").
_AR_WEAK = frozenset({"اب", "ماي", "مارس"})

_EN_MONTHS: dict[str, int] = {}
for _num, _name in enumerate(
    "January February March April May June July August September October November December".split(),
    start=1,
):
    _EN_MONTHS[_name.lower()] = _num
    _EN_MONTHS[_name[:3].lower()] = _num
_EN_MONTHS["sept"] = 9
_EN_WEAK = frozenset({"may", "march", "mar", "jan", "jun", "jul", "aug", "sep", "sept", "oct",
                      "nov", "dec", "feb", "apr"})

_HIJRI_MONTHS: dict[str, int] = {
    "محرم": 1, "صفر": 2, "ربيع الاول": 3, "ربيع اول": 3, "ربيع الثاني": 4, "ربيع الاخر": 4,
    "ربيع ثاني": 4, "جمادي الاولي": 5, "جمادي الاول": 5, "جمادي الثانية": 6, "جمادي الثاني": 6,
    "جمادي الاخرة": 6, "جمادي الاخر": 6, "جمادي الثانيه": 6, "جمادي الاخره": 6, "رجب": 7,
    "شعبان": 8, "رمضان": 9, "شوال": 10, "ذو القعدة": 11, "ذي القعدة": 11, "ذو القعده": 11,
    "ذي القعده": 11, "ذو الحجة": 12, "ذي الحجة": 12, "ذو الحجه": 12, "ذي الحجه": 12,
}


def _alt(names: list[str] | set[str] | dict[str, int]) -> str:
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True))


def _en_alt() -> str:
    forms: set[str] = set()
    for name in _EN_MONTHS:
        forms.add(name.capitalize())
        forms.add(name.upper())
    return "|".join(re.escape(n) for n in sorted(forms, key=len, reverse=True))


_AR_M = rf"(?:{_alt(_AR_MONTHS)})"
_AR_CLITIC = r"(?:[وف]?[بلك]?)"
_DAY = r"(?<![\d.,/:])(?P<d>[0-3]?\d)(?![\d.,:%])"
_YEAR = r"(?P<y>(?:19|20)\d\d|2100)(?![\d%])(?!\.\d)"
_AR_YEAR_TAIL = (
    rf"\s*[,،]?\s*(?:(?:من|في)\s+)?(?:(?:[ول]?(?:ال)?(?:عام|سنة|سنه))\s+)?[ول]?{_YEAR}"
    r"(?:\s*(?:م|ميلادي(?:ة|ه)?)(?![^\W\d_]))?"
)
_AR_REL = (
    r"\s+(?:من\s+)?(?P<rel>(?:العام|السنة|السنه)\s+(?:الماضي|الماضية|المنصرم|الفائت|السابق|الجاري|"
    r"الحالي|المقبل|القادم)|هذا\s+العام|الماضي|المنصرم|الفائت|المقبل|القادم|الجاري|الحالي)(?![^\W\d_])"
)
_AR_PHASE = (
    r"(?:(?:[وفب]?(?:اوائل|اواخر|مطلع|منتصف|نهاية|نهايه|بداية|بدايه|اواسط|خلال|في|منذ|حتي|حتى|قبل|بعد)"
    r"\s+)?(?:[وفبل]?شهر[يى]?\s+)?)"
)

# Arabic dates are found from their month name (fast), then extended left and right.
_AR_ANCHOR = re.compile(rf"{_AR_M}(?![^\W\d_])")
_AR_LEFT = re.compile(
    rf"(?P<phase>{_AR_PHASE})(?:{_DAY}\s*(?:من\s+)?(?:شهر\s+)?)?(?P<cl>{_AR_CLITIC})$"
)
_AR_RIGHT = re.compile(
    rf"(?:\s*(?:/|\\|-|–|\(|،\s*)\s*{_AR_CLITIC}(?P<m2>{_AR_M})(?![^\W\d_])(?:\s*\))?)?"
    rf"(?:(?P<yt>{_AR_YEAR_TAIL})|{_AR_REL})?"
)
# "نوفمبر وديسمبر 2017": the first month takes the year of the second.
_AR_PAIR_TAIL = re.compile(
    rf"\s+(?:و|او|الى|إلى|حتي|حتى)\s*(?P<m2>{_AR_M})"
    rf"\s*[,،]?\s*(?:(?:من\s+)?(?:عام|العام|سنة)\s+)?{_YEAR}"
)
# "25 الجاري", "25 من الشهر الجاري", "3 الشهر الماضي"
_AR_DAY_REL = re.compile(
    rf"(?=\d){_DAY}\s*(?:من\s+)?(?:(?P<mo>الشهر)\s+)?(?P<rel>الجاري|الحالي|الماضي|المنصرم|المقبل|القادم)(?![^\W\d_])"
)

_HM = rf"(?:{_alt(_HIJRI_MONTHS)})"
_HIJRI_MARK = r"(?:\s*(?:ه|هجري(?:ة|ه)?|للهجرة|للهجره)(?![^\W\d_]))"
_HIJRI_DATE = re.compile(
    rf"(?:{_DAY}\s*(?:من\s+)?(?:شهر\s+)?)?(?<![^\W\d_])[وب]?(?P<hm>{_HM})(?![^\W\d_])"
    rf"\s*[,،]?\s*(?:(?:من\s+)?(?:عام|العام|سنة)\s+)?(?P<hy>1[345]\d\d)(?!\d){_HIJRI_MARK}?"
)
_HIJRI_YEAR = re.compile(
    rf"(?<![\d.,])(?P<hy>1[345]\d\d)(?!\d){_HIJRI_MARK}"
)

_EN_M = rf"(?:{_en_alt()})"
_EN_ORD = r"(?:st|nd|rd|th)?"
# English dates are found from their month name, then extended left and right.
_EN_ANCHOR = re.compile(rf"(?=[A-Z])(?<![A-Za-z]){_EN_M}(?![A-Za-z])")
_EN_LEFT = re.compile(
    r"(?:(?<![\d.,/:])(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?"
    r"|(?<![A-Za-z])(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast|[Cc]oming)\s+"
    r"|(?<![A-Za-z])(?P<prep>in|In|since|Since|until|Until|by|By|during|During|from|From|of|through|"
    r"early|late|mid|Early|Late|Mid|end\s+of|beginning\s+of|before|after)[\s-]+)$"
)
_EN_RIGHT = re.compile(
    rf"\.?(?:\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?![A-Za-z\d])(?:\s*,?\s*{_YEAR})?"
    rf"|\s*,?\s+(?:of\s+)?(?P<y2>(?:19|20)\d\d|2100)(?![\d%])(?!\.\d)"
    rf"|\s+(?:of\s+)?(?P<rel>last|next|this)\s+year(?![A-Za-z]))?"
)
_ISO = re.compile(
    r"(?=\d)(?:(?<![\d/.-])(?P<y>(?:19|20)\d\d)(?P<sep>[-/.])(?P<mo>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)(?![\d/.]\d)(?!\d)"
    r"|(?<![\d/.-])(?P<d2>[0-3]?\d)(?P<sep2>[/.-])(?P<mo2>[01]?\d)(?P=sep2)(?P<y2>(?:19|20)\d\d)(?![\d/.-]?\d))"
)
# A 4-digit year standing alone (optionally after a clitic و/ب/ل/ف), or after a year word.
_BARE_YEAR = re.compile(
    r"(?=[12])(?:(?<![^\W_])|(?<=[وبلف])(?<![^\W_][وبلف]))(?<!\d[.,])(?<!\d\s)"
    r"(?P<y>(?:19|20)\d\d|2100)(?!\d)(?![.,]\d)(?!\s\d)(?!\s*[%٪])"
    r"(?:\s*(?:م|ميلادي(?:ة|ه)?)(?![^\W\d_])|(?![^\W_]))"
)
_NOT_YEAR_BEFORE = re.compile(
    r"(?:قرار\w*|القرار\w*|رقم|المرقم|برقم|المادة|مادة|الفقرة|فقرة|الرحلة|هاتف|"
    r"resolutions?|res\.?|s/res/|no\.?|nos\.?|nr\.?|numbers?|#|\$|us\$|€|£|¥|pages?|p\.|pp\.|"
    r"articles?|art\.|flight|route|code|tel\.?|phone|fax|ext\.?|paragraph|para\.?|item|"
    r"room|suite|box|bus|highway|law)"
    r"\s*(?:\(?\s*\d+\s*\)?\s*(?:[,،/و&-]|and|و)\s*)*$",
    re.IGNORECASE,
)
_RESOLUTION_NEAR = re.compile(r"(?:قرار|القرار|resolution)(?:\s+[^\s\d]+){0,4}\s+$", re.IGNORECASE)
_UNIT_AFTER = re.compile(
    r"\s*(?:[%٪]|بالمئ|بالمائ|في\s+الم[اي]?ئ|مليون|مليار|بليون|الف|الاف|شخص|اشخاص|مدني|قتيل|جريح|"
    r"جندي|عسكري|مقاتل|عنصر|لاجئ|نازح|طفل|اطفال|امراة|نساء|عائل|اسرة|اسر|منزل|مبنى|دولار|يورو|جنيه|"
    r"ريال|درهم|دينار|ليرة|طن|كيلو|كلم|كم|متر|ميل|برميل|وحدة|صاروخ|قذيف|غارة|معتقل|اسير|سجين|"
    r"people|persons?|troops|soldiers|civilians|refugees|dead|killed|deaths|casualties|dollars|"
    r"euros|pounds|km|kilomet|miles|met(?:er|re)s|tons|tonnes|barrels|billion|million|thousand|"
    r"percent|per\s+cent|members|units|homes|houses|children|families|fighters|rockets|missiles|"
    r"prisoners|detainees|acres|hectares|feet|sq)",
    re.IGNORECASE,
)
_CALENDAR_WORD_AFTER = re.compile(r"\s*(?:ه|هجري|للهجر)(?![^\W\d_])")


# --------------------------------------------------------------------------------------------
# Helpers

_Cand = tuple[int, int, str]   # normalised start, end, value


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return 1900 <= y <= 2100


def _ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _ymd(y: int, m: int, d: int) -> str:
    return f"{y:04d}-{m:02d}-{d:02d}"


def _parse_published(published: str | None) -> date | None:
    if not published:
        return None
    m = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", published)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    m = re.match(r"\s*(\d{4})-(\d{1,2})", published)
    if m and 1 <= int(m.group(2)) <= 12:
        return date(int(m.group(1)), int(m.group(2)), 1)
    return None


def _resolve(month: int, day: int | None, pub: date, rel: str) -> str | None:
    """Place a month (and day) relative to publication: "past", "future", "this", "near",
    "prev_year", "next_year"."""
    py = pub.year
    if rel == "this":
        year = py
    elif rel == "prev_year":
        year = py - 1
    elif rel == "next_year":
        year = py + 1
    elif rel == "past":
        if day is not None:
            year = py if (month, day) < (pub.month, pub.day) else py - 1
        else:
            year = py if month < pub.month else py - 1
    elif rel == "future":
        if day is not None:
            year = py if (month, day) > (pub.month, pub.day) else py + 1
        else:
            year = py if month > pub.month else py + 1
    else:  # nearest, ties to the past
        best: tuple[int, int] | None = None
        year = py
        for cand in (py - 1, py, py + 1):
            if day is not None:
                if not _valid(cand, month, day):
                    continue
                diff = (date(cand, month, day) - pub).days
            else:
                diff = (cand * 12 + month) - (py * 12 + pub.month)
            key = (abs(diff), 0 if diff <= 0 else 1)
            if best is None or key < best:
                best, year = key, cand
    if day is not None:
        return _ymd(year, month, day) if _valid(year, month, day) else None
    return _ym(year, month) if 1900 <= year <= 2100 else None


def _ar_month(word: str) -> int | None:
    w = re.sub(r"\s+", " ", word)
    return _AR_MONTHS.get(w)


_AR_REL_KIND = {
    "الماضي": "past", "المنصرم": "past", "الفائت": "past",
    "المقبل": "future", "القادم": "future", "الجاري": "this", "الحالي": "this",
}


def _ar_rel_kind(rel: str) -> str:
    rel = re.sub(r"\s+", " ", rel)
    if rel.startswith(("العام", "السنة", "السنه")):
        tail = rel.split(" ", 1)[1]
        if tail in ("الماضي", "الماضية", "المنصرم", "الفائت", "السابق"):
            return "prev_year"
        if tail in ("المقبل", "القادم"):
            return "next_year"
        return "this"
    if rel == "هذا العام":
        return "this"
    return _AR_REL_KIND.get(rel, "near")


def _hijri(y: int, m: int, d: int) -> date | None:
    if not 1300 <= y <= 1500:
        return None
    try:
        from hijridate import Hijri
        g = Hijri(y, m, d).to_gregorian()
        return date(g.year, g.month, g.day)
    except (ValueError, OverflowError, ImportError):
        return None


# --------------------------------------------------------------------------------------------
# Finders over normalised text; each yields (start, end, value)


def _ar_dates(t: str, pub: date | None, anchors: list[re.Match[str]]) -> Iterator[_Cand]:
    done = 0
    for a in anchors:
        ms, me = a.span()
        if ms < done:
            continue
        left = _AR_LEFT.search(t, max(0, ms - 48), ms)
        if left is None:
            continue
        cl_start = left.start("cl")
        if cl_start > 0 and _is_letter(t[cl_start - 1]):
            continue
        m1 = _ar_month(a.group(0))
        right = _AR_RIGHT.match(t, me)
        if m1 is None or right is None:
            continue
        done = right.end()
        double = right.group("m2") is not None
        day = int(left.group("d")) if left.group("d") else None
        if day is not None and not 1 <= day <= 31:
            continue
        phase = left.group("phase") or ""
        if phase.strip() and not _PREP.match(phase):
            start = left.start("phase")
        elif left.group("d"):
            start = left.start("d")
        elif "شهر" in phase:
            start = left.start("phase") + phase.index("شهر")
            start = start - 1 if start > 0 and t[start - 1] in "وفبل" else start
        else:
            start = ms  # the proclitic (بيناير، وديسمبر) stays out of the span
        if right.group("y"):
            y = int(right.group("y"))
            if day is not None:
                if _valid(y, m1, day):
                    yield start, right.end(), _ymd(y, m1, day)
            else:
                yield start, right.end(), _ym(y, m1)
            continue
        if right.group("rel"):
            end = right.end()
        elif double:
            end = right.end("m2")
            if right.group(0)[end - me:].lstrip().startswith(")"):
                end = right.end()
        else:
            end = me
        if pub is None:
            continue
        if right.group("rel"):
            kind = _ar_rel_kind(right.group("rel"))
        else:
            weak = a.group(0) in _AR_WEAK
            if weak and not (day is not None or double or "شهر" in phase):
                continue
            if not (day is not None or double or phase.strip() or left.group("cl")):
                continue
            kind = "near"
        value = _resolve(m1, day, pub, kind)
        if value:
            yield start, end, value


def _is_letter(ch: str) -> bool:
    return ch.isalpha()


_PREP = re.compile(r"\s*[وفب]?(?:خلال|في|منذ|حتي|حتى|قبل|بعد)\s")


def _ar_pairs(t: str, anchors: list[re.Match[str]]) -> Iterator[_Cand]:
    for a in anchors:
        m = _AR_PAIR_TAIL.match(t, a.end())
        if m is None:
            continue
        s = a.start()
        if s > 0 and t[s - 1].isalpha() and not (
                t[s - 1] in "وفبلك" and (s < 2 or not t[s - 2].isalpha())):
            continue
        first, second = _ar_month(a.group(0)), _ar_month(m.group("m2"))
        if first is None or second is None:
            continue
        y = int(m.group("y"))
        # the first month alone ("نوفمبر"); the second is found with its year by _ar_dates
        yield a.start(), a.end(), _ym(y - 1 if first > second else y, first)


def _ar_day_rel(t: str, pub: date | None) -> Iterator[_Cand]:
    if pub is None:
        return
    for m in _AR_DAY_REL.finditer(t):
        day = int(m.group("d"))
        rel = m.group("rel")
        if rel in ("الجاري", "الحالي"):
            y, mo = pub.year, pub.month
        elif m.group("mo") is None:
            continue
        elif rel in ("الماضي", "المنصرم"):
            y, mo = (pub.year, pub.month - 1) if pub.month > 1 else (pub.year - 1, 12)
        else:
            y, mo = (pub.year, pub.month + 1) if pub.month < 12 else (pub.year + 1, 1)
        if _valid(y, mo, day):
            yield m.start(), m.end(), _ymd(y, mo, day)


_HIJRI_HINT = re.compile(r"(?=1)(?<!\d)1[345]\d\d(?!\d)")


def _hijri_dates(t: str) -> Iterator[_Cand]:
    if _HIJRI_HINT.search(t) is None:
        return
    for m in _HIJRI_DATE.finditer(t):
        hm = _HIJRI_MONTHS.get(re.sub(r"\s+", " ", m.group("hm")))
        if hm is None:
            continue
        hy = int(m.group("hy"))
        if m.group("d"):
            g = _hijri(hy, hm, int(m.group("d")))
            if g is not None:
                yield m.start(), m.end(), _ymd(g.year, g.month, g.day)
        else:
            g = _hijri(hy, hm, 1)
            if g is not None:
                yield m.start(), m.end(), _ym(g.year, g.month)
    for m in _HIJRI_YEAR.finditer(t):
        g = _hijri(int(m.group("hy")), 1, 1)
        if g is not None:
            yield m.start(), m.end(), str(g.year)


def _en_dates(t: str, pub: date | None) -> Iterator[_Cand]:
    done = 0
    for a in _EN_ANCHOR.finditer(t):
        ms, me = a.span()
        if ms < done:
            continue
        word = a.group(0)
        month = _EN_MONTHS.get(word.lower())
        right = _EN_RIGHT.match(t, me)
        if month is None or right is None:
            continue
        left = _EN_LEFT.search(t, max(0, ms - 16), ms)
        may_ok = word != "MAY" and (word.lower() != "may" or word == "May")
        y = right.group("y") or right.group("y2")
        day_s = right.group("d") or (left.group("d") if left else None)
        day = int(day_s) if day_s else None
        start = left.start() if left and (left.group("d") or left.group("rel")) else ms
        if day is not None and not 1 <= day <= 31:
            continue
        if y:
            if day is None:
                if not may_ok:
                    continue
                done = right.end()
                yield start, right.end(), _ym(int(y), month)
            elif _valid(int(y), month, day):
                done = right.end()
                yield start, right.end(), _ymd(int(y), month, day)
            continue
        if pub is None:
            continue
        end = right.end() if right.group("d") or right.group("rel") else me
        if right.group("rel"):
            kind = {"last": "prev_year", "next": "next_year"}.get(right.group("rel"), "this")
        elif day is not None:
            kind = "near"
        elif left and left.group("rel"):
            kind = {"last": "past", "past": "past", "next": "future",
                    "coming": "future"}.get(left.group("rel").lower(), "this")
        elif left and left.group("prep") and may_ok and (
                word.lower() not in _EN_WEAK or word in ("March", "May")):
            kind = "near"
        else:
            continue
        value = _resolve(month, day, pub, kind)
        if value:
            done = end
            yield start, end, value


def _iso_dates(t: str) -> Iterator[_Cand]:
    for m in _ISO.finditer(t):
        if m.group("y"):
            y, mo, d = int(m.group("y")), int(m.group("mo")), int(m.group("d"))
        else:
            y, mo, d = int(m.group("y2")), int(m.group("mo2")), int(m.group("d2"))
        if _valid(y, mo, d):
            yield m.start(), m.end(), _ymd(y, mo, d)


def _years(t: str) -> Iterator[_Cand]:
    for m in _BARE_YEAR.finditer(t):
        s = m.start("y")
        left = t[max(0, s - 40):s]
        if _NOT_YEAR_BEFORE.search(left) or _RESOLUTION_NEAR.search(left):
            continue
        if m.end() == m.end("y"):   # no "م" after it
            right = t[m.end():m.end() + 20]
            if _UNIT_AFTER.match(right) or _CALENDAR_WORD_AFTER.match(right):
                continue
        yield s, m.end(), m.group("y")


# --------------------------------------------------------------------------------------------

# Year words that belong in the span of a year ("عام 2002", "in 2002" keeps only the year).
_YEAR_LEAD = re.compile(
    r"(?:(?<![^\W\d_])[ولب]?(?:ال)?(?:عام|عامي|سنة|سنه|مطلع|اوائل|اواخر|منتصف|نهاية|بداية)\s+)$"
)


def find_dates(text: str, lang: str, published: str | None = None) -> tuple[DateMention, ...]:
    """Every calendar date or year ``text`` gives, sorted by start and non-overlapping.

    ``lang`` ("ar"/"en") only orders the work: both scripts are searched in either language,
    since Arabic articles quote English dates and the reverse. ``published`` ("YYYY-MM-DD")
    resolves relative and year-less dates; without it they are skipped.
    """
    del lang  # both scripts are looked for in any article
    if not text:
        return ()
    t, idx = _normalise(text)
    pub = _parse_published(published)
    cands: list[_Cand] = []
    has_arabic = re.search("[\u0600-\u06ff]", t) is not None
    if has_arabic:
        anchors = list(_AR_ANCHOR.finditer(t))
        cands.extend(_ar_dates(t, pub, anchors))
        cands.extend(_ar_pairs(t, anchors))
        cands.extend(_ar_day_rel(t, pub))
        cands.extend(_hijri_dates(t))
    if re.search("[A-Za-z]", t):
        cands.extend(_en_dates(t, pub))
    cands.extend(_iso_dates(t))
    for s, e, v in _years(t):
        if has_arabic:
            lead = _YEAR_LEAD.search(t, max(0, s - 12), s)
            if lead:
                s = lead.start()
        cands.append((s, e, v))
    cands.sort(key=lambda c: (c[0], c[0] - c[1]))
    out: list[DateMention] = []
    last_end = 0
    for s, e, v in cands:
        if s < last_end or e <= s:
            continue
        if idx is None:
            os_, oe = s, e
        else:
            os_, oe = idx[s], idx[e - 1] + 1
            while oe < len(text) and text[oe] == "\u0640":   # "هـ": keep the tatweel
                oe += 1
        out.append(DateMention(text=text[os_:oe], start=os_, end=oe, value=v))
        last_end = e
    return tuple(out)

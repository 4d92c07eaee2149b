"""Stance extraction from one article (pure): holders, stance types, targets, principles, memberships.

The text is read natively: Arabic cues are matched on normalised text (see
:mod:`graph_builder.normalize`), entities come from the gazetteer, dates from
:mod:`graph_builder.dates`. Each stance keeps its sentence, the cue and its offsets, and the rule
that produced it.

    >>> from graph_builder.model import Article
    >>> x = extract(Article(text="The European Union condemned the attack on Ukraine.", lang="en"))
    >>> [(s.holder, s.type, s.targets) for s in x.stances]
    [('EU', 'Condemnation', ('UKR',))]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from graph_builder.dates import find_dates
from graph_builder.errors import UnsupportedLanguageError
from graph_builder.gazetteer import Gazetteer, default_gazetteer
from graph_builder.lang import detect_language
from graph_builder.lexicon import (
    AR_OBJECT_PREPOSITIONS,
    AR_REFERENCE_WORDS,
    CONTEXT_CARRY,
    CUES,
    EN_REFERENCE_WORDS,
    EN_OBJECT_PREPOSITIONS,
    NEGATION,
    PERSONS,
    PRINCIPLES_RX,
    Cue,
)
from graph_builder.model import ACTOR_KINDS, Article, Extraction, Mention, Sentence, Stance
from graph_builder.normalize import normalize, normalize_word
from graph_builder.sentences import split_sentences

#: How many words may stand between a frame verb (أكد، أعرب) and the cue it frames.
FRAME_WINDOW = 5
#: How many words may stand between a verb and its subject (titles, dates, "في بيان").
SUBJECT_WINDOW = 6
#: Most targets one stance gets from one clause.
MAX_TARGETS = 4

_WORD = re.compile(r"\w+", re.UNICODE)

# Words that introduce who speaks: "قال X"/"X said"; they set the holder of what follows.
_SPEECH = {
    "ar": re.compile(r"(?<!\w)(?:و|ف)?(قال|قالت|اضاف|اضافت|اوضح|اوضحت|صرح|صرحت|ذكر|ذكرت|تابع|تابعت|"
                     r"اعلن|اعلنت|اكد|اكدت|شدد|شددت)(?!\w)"),
    "en": re.compile(r"\b(said|says|told|added|stated|announced|according to)\b"),
}
# Words before a demonym that make it an institution ("السفير السعودي", "الخارجية الفرنسية").
_AR_TITLE_WORDS = frozenset(normalize_word(w) for w in (
    "وزير وزيرة وزراء الوزير الخارجية خارجية وزارة الوزارة المتحدث الناطق السفير سفير السفيرة "
    "المندوب مندوب المندوبة الرئيس رئيس الحكومة حكومة الجانب الدبلوماسية الدبلوماسي الوفد وفد "
    "الرسمي الرسمية باسم الدائم الدائمة الملك العاهل الأمير ولي العهد الجيش القوات السلطات "
    "الممثل ممثل البعثة المسؤول مسؤول الإدارة إدارة المجلس البرلمان").split())
# Words that may stand between a verb and its subject: titles, times, "في بيان".
_AR_BETWEEN_WORDS = _AR_TITLE_WORDS | frozenset(normalize_word(w) for w in (
    "في بيان بيانا له لها اليوم امس أمس ايضا أيضا مجددا من جديد بشدة بقوة الأحد الاثنين الثلاثاء "
    "الأربعاء الخميس الجمعة السبت مساء صباح رسميا الدولي الدولية العربية العربي الخاص العام "
    "المتحدة الأمن مجلس وزراء").split())
_AR_BLAME_OBJECT = re.compile(r"مسوولي")
_EN_TITLE_WORDS = frozenset(
    "minister ministry foreign secretary spokesman spokeswoman spokesperson ambassador envoy president "
    "government officials official delegation embassy prime king leader leaders troops forces "
    "administration state department".split())


@dataclass(frozen=True)
class _CueHit:
    start: int        # original offsets
    end: int
    type: str
    role: str
    negated: bool = False


def resolve_language(article: Article) -> str:
    lang = article.lang or detect_language(article.text)
    if lang not in ("ar", "en"):
        shown = lang or "unknown"
        raise UnsupportedLanguageError(
            f"language {shown!r} is not supported: mawqif reads Arabic (ar) and English (en)",
            source=article.origin, field="lang" if article.lang else None)
    return lang


def _words_between(text: str, a: int, b: int, lang: str) -> list[str]:
    chunk = text[a:b] if a < b else ""
    chunk = normalize_word(chunk) if lang == "ar" else chunk.lower()
    return _WORD.findall(chunk)


def _find_cues(sent: Sentence, lang: str) -> list[_CueHit]:
    norm = normalize(sent.text, lang)
    raw: list[tuple[int, int, Cue]] = []
    for rx, cue in CUES[lang]:
        for m in rx.finditer(norm.text):
            # حمّل/يحمّل blames only with "المسؤولية" after it ("تحمل الشعب معاناة" is endurance).
            if lang == "ar" and cue.role == "blame" and not _AR_BLAME_OBJECT.search(
                    norm.text, m.end(1), m.end(1) + 60):
                continue
            raw.append((m.start(1), m.end(1), cue))
    raw.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    # drop overlaps, keeping the longest at each place
    kept: list[tuple[int, int, Cue]] = []
    for hit in raw:
        if kept and hit[0] < kept[-1][1]:
            continue
        kept.append(hit)
    hits: list[_CueHit] = []
    for a, b, cue in kept:
        before = norm.text[max(0, a - 30):a]
        negated = bool(NEGATION[lang].search(before))
        oa, ob = norm.to_original(a, b)
        hits.append(_CueHit(sent.start + oa, sent.start + ob, cue.type, cue.role, negated))
    return hits


def _word_gap(text: str, a: int, b: int, lang: str) -> int:
    return len(_words_between(text, a, b, lang))


def _merge_frames(text: str, hits: list[_CueHit], lang: str) -> list[_CueHit]:
    """A frame verb and the cue it frames make one stance (أعرب عن قلقه، شدد على ضرورة)."""
    out: list[_CueHit] = []
    i = 0
    while i < len(hits):
        h = hits[i]
        if h.role in ("frame", "partframe") and i + 1 < len(hits):
            nxt = hits[i + 1]
            if nxt.role in ("noun", "need") and _word_gap(text, h.end, nxt.start, lang) <= FRAME_WINDOW:
                role = "part" if h.role == "partframe" else "verb"
                out.append(_CueHit(h.start, nxt.end, nxt.type, role, h.negated or nxt.negated))
                i += 2
                continue
        if h.type == "Frame":
            i += 1
            continue
        out.append(h if h.role != "partframe" else _CueHit(h.start, h.end, h.type, "part", h.negated))
        i += 1
    # A noun right after a call/demand is its content ("دعا إلى دعم العراق"), not a stance of its own.
    merged: list[_CueHit] = []
    for h in out:
        if merged and h.role in ("noun", "need") and merged[-1].type in ("Call", "Demand") \
                and _word_gap(text, merged[-1].end, h.start, lang) <= 4:
            continue
        merged.append(h)
    return merged


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


def _preceded_by_title(text: str, m: Mention, lang: str) -> bool:
    words = _words_between(text, max(0, m.start - 40), m.start, lang)
    titles = _AR_TITLE_WORDS if lang == "ar" else _EN_TITLE_WORDS
    return any(w in titles for w in words[-3:])


class _Reader:
    """Extraction state for one article."""

    def __init__(self, article: Article, lang: str, gaz: Gazetteer) -> None:
        self.a = article
        self.text = article.text
        self.lang = lang
        self.gaz = gaz
        self.mentions = [m for m in gaz.find(self.text, lang)]
        self.persons = self._find_persons()
        self.holder: str | None = None
        self.topic: tuple[str, ...] = ()
        self.holder_mentions: list[Mention] = []

    def _find_persons(self) -> list[Mention]:
        out = []
        norm = normalize(self.text, self.lang)
        for name, key in PERSONS[self.lang].items():
            for m in re.finditer(r"(?<!\w)(?:و)?(" + re.escape(name) + r")(?!\w)", norm.text):
                a, b = norm.to_original(m.start(1), m.end(1))
                out.append(Mention(key, a, b, self.text[a:b], via="person"))
        return out

    def kind(self, m: Mention) -> str:
        info = self.gaz.get(m.key)
        return info.kind if info else ""

    def actor_ok(self, m: Mention) -> bool:
        """Whether a mention can name who speaks."""
        if self.kind(m) not in ACTOR_KINDS:
            return False
        if m.via == "demonym":
            return _preceded_by_title(self.text, m, self.lang)
        return True

    def in_span(self, a: int, b: int) -> list[Mention]:
        return [m for m in (*self.mentions, *self.persons) if a <= m.start and m.end <= b]

    # -- holders ---------------------------------------------------------------------------------
    def find_holder(self, sent: Sentence, hit: _CueHit, clause_start: int) -> tuple[str | None, str]:
        text, lang = self.text, self.lang
        after = [m for m in self.in_span(hit.end, sent.end) if self.actor_ok(m)]
        before = [m for m in self.in_span(clause_start, hit.start) if self.actor_ok(m)]
        # VSO: the subject follows the verb, with only titles and times between, and is not an object.
        if hit.role in ("verb", "frame", "blame") and lang == "ar" and after:
            m = after[0]
            between = _words_between(text, hit.end, m.start, lang)
            if len(between) <= SUBJECT_WINDOW and all(w in _AR_BETWEEN_WORDS for w in between) \
                    and not _is_object(text, m, lang):
                return m.key, "vso"
        # SVO: the nearest subject before the verb in the same clause.
        if hit.role not in ("part", "need") and before:
            m = before[-1]
            between = _words_between(text, m.end, hit.start, lang)
            if lang == "ar":
                close = len(between) <= 2
            else:
                raw = text[m.end:hit.start].split()
                close = len(raw) <= 6 and all(w[:1].isupper() or w.lower().strip(",'’s") in _EN_TITLE_WORDS
                                              or w.lower() in ("'s", "’s", "has", "have", "had", "also",
                                                               "on", "strongly", "sharply", "firmly")
                                              for w in raw)
            if close and not _is_object(text, m, lang):
                return m.key, "svo"
        # Reported speech: "قال X إن …" / "…, X said".
        speech = _SPEECH[lang]
        for sm in speech.finditer(normalize(sent.text, lang).text if lang == "ar" else sent.text.lower()):
            pos = sent.start + sm.end(1)
            if pos > hit.start and hit.role == "part":
                break
            cands = [m for m in self.in_span(pos, sent.end) if self.actor_ok(m)]
            if cands and _word_gap(text, pos, cands[0].start, lang) <= SUBJECT_WINDOW + 2 \
                    and not _is_object(text, cands[0], lang):
                return cands[0].key, "speech"
        if lang == "en":
            for m in after:
                if _word_gap(text, hit.end, m.start, lang) <= 2 and not _is_object(text, m, lang):
                    return m.key, "post"
        if self.holder:
            return self.holder, "carried"
        return None, ""

    # -- targets ---------------------------------------------------------------------------------
    def find_targets(self, sent: Sentence, hit: _CueHit, scope_end: int, holder: str,
                     clause_start: int) -> tuple[str, ...]:
        text, lang = self.text, self.lang
        cands = [m for m in self.in_span(hit.end, scope_end) if m.key != holder and m.via != "person"]
        if hit.type in ("Call", "Demand") and cands:
            first = cands[0]
            follow = _words_between(text, first.end, min(sent.end, first.end + 25), lang)[:3]
            addressee_words = {"الي", "ب", "بان", "علي"} if lang == "ar" else {"to"}
            if self.kind(first) in ACTOR_KINDS and _word_gap(text, hit.end, first.start, lang) <= 3 \
                    and (set(follow) & addressee_words):
                cands = cands[1:]
        kept: list[Mention] = []
        last_ref: Mention | None = None
        for m in cands:
            if m.via == "capital" and _is_object(text, m, lang):
                continue
            joined = last_ref is not None and _words_between(text, last_ref.end, m.start, lang) in (
                ["و"], ["and"], [])
            if self.is_reference(m) or joined:
                last_ref = m
                continue
            kept.append(m)
        cands = kept
        if not cands and CONTEXT_CARRY[lang].search(self.norm_sentence(sent)) and self.topic:
            return self.topic
        if not cands:
            cands = [m for m in self.in_span(clause_start, hit.start)
                     if m.key != holder and m.via not in ("person", "capital")]
        keys: list[str] = []
        for m in cands:
            if m.key not in keys:
                keys.append(m.key)
        non_region = [k for k in keys if self.kindk(k) != "Region"]
        if non_region:
            keys = non_region
        # A conflict covers the states where it takes place.
        conflicts = [k for k in keys if self.kindk(k) == "Conflict"]
        covered = {loc for c in conflicts for loc in self.gaz.entity(c).location}
        keys = [k for k in keys if k not in covered or k in conflicts]
        if not keys:
            return self.topic
        return tuple(keys[:MAX_TARGETS])

    def is_reference(self, m: Mention) -> bool:
        """A mention inside a reference ("قرارات مجلس الأمن", "the auspices of the UN")."""
        words = _words_between(self.text, max(0, m.start - 30), m.start, self.lang)
        refs = AR_REFERENCE_WORDS if self.lang == "ar" else EN_REFERENCE_WORDS
        return any(w in refs or (self.lang == "ar" and w[:1] in "وبل" and w[1:] in refs)
                   for w in words[-2:])

    def norm_sentence(self, sent: Sentence) -> str:
        return normalize_word(sent.text) if self.lang == "ar" else sent.text.lower()

    def kindk(self, key: str) -> str:
        info = self.gaz.get(key)
        return info.kind if info else ""

    def principles(self, a: int, b: int) -> tuple[str, ...]:
        chunk = self.text[a:b]
        chunk = normalize_word(chunk) if self.lang == "ar" else chunk.lower()
        return tuple(name for name, rx in PRINCIPLES_RX[self.lang].items() if rx.search(chunk))

    # -- the article -----------------------------------------------------------------------------
    def stances(self, sentences: tuple[Sentence, ...]) -> list[Stance]:
        out: list[Stance] = []
        for sent in sentences:
            hits = _merge_frames(self.text, _find_cues(sent, self.lang), self.lang)
            clause_start = sent.start
            for i, hit in enumerate(hits):
                scope_end = hits[i + 1].start if i + 1 < len(hits) else sent.end
                holder, how = self.find_holder(sent, hit, clause_start)
                if holder is None:
                    clause_start = hit.end
                    continue
                if how != "carried":
                    self.holder = holder
                    self.holder_mentions.extend(
                        m for m in self.in_span(sent.start, sent.end) if m.key == holder)
                type_ = hit.type
                if hit.negated:
                    if type_ in ("Support", "Welcome"):
                        type_ = "Rejection"
                    elif type_ != "Rejection":
                        clause_start = hit.end
                        continue
                targets = self.find_targets(sent, hit, scope_end, holder, clause_start)
                targets = tuple(t for t in targets if t != holder)
                if not targets:
                    clause_start = hit.end
                    continue
                self.topic = targets
                conf = {"vso": 0.8, "svo": 0.75, "speech": 0.7, "post": 0.65, "carried": 0.55}[how]
                out.append(Stance(
                    holder=holder, type=type_, targets=targets, sentence=sent,
                    cue=self.text[hit.start:hit.end], cue_start=hit.start, cue_end=hit.end,
                    principles=self.principles(hit.start, scope_end), confidence=conf,
                    rule=f"{self.lang}:{hit.role}:{how}", stated_on=self.a.published))
                clause_start = hit.end
        return out

    def entity_mentions(self) -> tuple[Mention, ...]:
        keep = []
        holder_spans = {(m.start, m.end) for m in self.holder_mentions}
        for m in self.mentions:
            if m.via == "capital" and (m.start, m.end) not in holder_spans:
                continue
            keep.append(m)
        return tuple(keep)


_MEMBER_TRIGGER = {
    "ar": re.compile(r"(?:اعضا|الاعضا|عضويه|عضوا|تضم|يضم|تتالف|يتالف|الدول الاعضا)"),
    "en": re.compile(r"\b(?:members?|member states|comprises|made up of|consists of)\b"),
}
_FOUNDED = {
    "ar": re.compile(r"(?:تاسست|تاسس|انشيت|انشي|اسست|تشكلت|تشكل|منذ تاسيسها|تاسيسها|تاسيسه)"),
    "en": re.compile(r"\b(?:founded|established|formed|created)\b"),
}


def _memberships(r: _Reader, sentences: tuple[Sentence, ...]) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for sent in sentences:
        norm = normalize(sent.text, r.lang).text if r.lang == "ar" else sent.text.lower()
        trig = _MEMBER_TRIGGER[r.lang].search(norm)
        if not trig:
            continue
        ms = r.in_span(sent.start, sent.end)
        orgs = [m for m in ms if r.kind(m) == "Organisation"]
        org = orgs[0].key if orgs else (r.holder if r.holder and r.kindk(r.holder) == "Organisation" else None)
        if org is None:
            continue
        states = [m for m in ms if r.kind(m) == "State" and m.via in ("name", "hashtag")
                  and m.start >= sent.start + trig.start()]
        if len(states) < 2:
            continue
        for m in states:
            if (m.key, org) not in out:
                out.append((m.key, org))
    return tuple(out)


def _foundings(r: _Reader, sentences: tuple[Sentence, ...], dates: tuple) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for sent in sentences:
        norm = normalize(sent.text, r.lang).text if r.lang == "ar" else sent.text.lower()
        f = _FOUNDED[r.lang].search(norm)
        if not f:
            continue
        after = [d for d in dates if d.start >= sent.start + f.start() and d.end <= sent.end]
        orgs = [m for m in r.in_span(sent.start, sent.end) if r.kind(m) == "Organisation"]
        if after and orgs:
            out.append((orgs[0].key, after[0].value))
    return tuple(dict.fromkeys(out))


def extract(article: Article, gazetteer: Gazetteer | None = None) -> Extraction:
    """Everything mawqif reads from one article."""
    lang = resolve_language(article)
    gaz = gazetteer or default_gazetteer()
    sentences = split_sentences(article.text)
    reader = _Reader(article, lang, gaz)
    stances = reader.stances(sentences)
    dates = find_dates(article.text, lang, article.published)
    memberships = _memberships(reader, sentences)
    foundings = _foundings(reader, sentences, dates)
    return Extraction(article=article, lang=lang, sentences=sentences, mentions=reader.entity_mentions(),
                      stances=tuple(stances), dates=dates, memberships=memberships, foundings=foundings)

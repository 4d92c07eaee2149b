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
from bisect import bisect_left

from graph_builder.clauses import (
    _WORD,
    _CueHit,
    _is_object,
    _word_gap,
    _words_between,
)
from graph_builder.dates import find_dates
from graph_builder.errors import UnsupportedLanguageError
from graph_builder.extract_ar import (
    _AR_DATELINE,
    _AR_EXCHANGE,
    _AR_MEMBER_TRIGGER,
    _AR_RECIPROCAL_AFTER,
    _AR_TITLE_WORDS,
    ArabicReading,
    _ar_memberships,
)
from graph_builder.extract_en import EnglishReader, join_wrapped
from graph_builder.gazetteer import Gazetteer, default_gazetteer
from graph_builder.lang import detect_language
from graph_builder.lexicon import (
    AR_CLAUSE_INITIAL,
    AR_CLAUSE_OPENERS,
    AR_REFERENCE_WORDS,
    AR_REQUIRES_AFTER,
    AR_VENUE_WORDS,
    CONTEXT_CARRY,
    CUE_MATCHERS,
    EN_POSTING_WORDS,
    EN_REFERENCE_WORDS,
    EN_VENUE_WORDS,
    NEGATION,
    PERSONS,
    PRINCIPLES_RX,
    Cue,
)
from graph_builder.model import ACTOR_KINDS, Article, Extraction, Mention, Sentence, Stance
from graph_builder.normalize import Normalized, normalize, normalize_word
from graph_builder.sentences import split_sentences

#: How many words may stand between a frame verb (أكد، أعرب) and the cue it frames.
FRAME_WINDOW = 5
#: How many sentences on the last topic still stands for a stance that names nothing.
TOPIC_SPAN = 0
EN_TOPIC_SPAN = 0
#: Most targets one stance gets from one clause.
MAX_TARGETS = 4
#: Arabic: the object of a cue comes first; later names in a long clause are mostly circumstance.
AR_MAX_TARGETS = 3

_EN_TO_BEFORE = re.compile(r"\bto\s+$", re.IGNORECASE)
# Where reported content begins: a complementiser, a quotation mark, a colon.
_THAT = {"ar": re.compile(r"(?<![\w\u064B-\u065F])(?:[إأا]ن|ب[أا]ن|[إأا]نه|[إأا]نها)(?![\w\u064B-\u065F])|[\"“«:]"),
         "en": re.compile(r"\bthat\b|[\"“:]|(?<![\w])[‘'](?=\w)")}

# Reciprocal accusations: "Both sides blame each other", "اتهم كل طرف الطرف الآخر", "تبادل الطرفان
# الاتهامات": each of the two parties last named together condemns the other.
_RECIPROCAL_SUBJECT = {
    "en": re.compile(r"\b(?:both|the two|each)\s+(?:sides|parties|countries|nations|governments|camps|"
                     r"side|party|country|nation|government|camp)\b[^.,;]{0,30}$", re.IGNORECASE),
    "ar": re.compile(r"(?:كل (?:طرف|جانب|منهما|من الطرفين|من البلدين)|(?:ال)?(?:طرفان|طرفين|جانبان|جانبين|"
                     r"بلدان|بلدين))(?:\s+\S+){0,2}\s*$"),
}
_RECIPROCAL_OBJECT = {
    "en": re.compile(r"^\s*(?:the other(?:\s+(?:side|party|country))?|each other|one another)\b",
                     re.IGNORECASE),
    "ar": re.compile(r"^\s*(?:\S+\s+){0,4}?(?:(?:ال)?(?:طرف|جانب) )?الاخر(?!\w)"),
}
_EN_TITLE_WORDS = frozenset(
    "minister ministry foreign secretary spokesman spokeswoman spokesperson ambassador envoy president "
    "government officials official delegation embassy prime king leader leaders troops forces "
    "administration state department".split())


def resolve_language(article: Article) -> str:
    lang = article.lang or detect_language(article.text)
    if lang not in ("ar", "en"):
        shown = lang or "unknown"
        raise UnsupportedLanguageError(
            f"language {shown!r} is not supported: mawqif reads Arabic (ar) and English (en)",
            source=article.origin, field="lang" if article.lang else None)
    return lang


def _find_cues(sent: Sentence, norm: Normalized, lang: str) -> list[_CueHit]:
    """The cues of ``sent``, whose normalised text is ``norm``."""
    rx, cues = CUE_MATCHERS[lang]
    kept: list[tuple[int, int, Cue]] = []
    for m in rx.finditer(norm.text):
        group = m.lastgroup or ""
        cue = cues[int(group[1:])]
        a, b = m.start(group), m.end(group)
        if lang == "ar" and cue.pattern in AR_REQUIRES_AFTER \
                and not AR_REQUIRES_AFTER[cue.pattern].search(norm.text[b:b + 60]):
            continue
        if lang == "ar" and cue.pattern in AR_CLAUSE_INITIAL and m.start(0) == a \
                and not AR_CLAUSE_OPENERS.search(norm.text[max(0, a - 12):a]):
            continue
        kept.append((a, b, cue))
    hits: list[_CueHit] = []
    for a, b, cue in kept:
        before = norm.text[max(0, a - 30):a]
        negated = bool(NEGATION[lang].search(before))
        oa, ob = norm.to_original(a, b)
        hits.append(_CueHit(sent.start + oa, sent.start + ob, cue.type, cue.role, negated))
    return hits


_EN_NOUN_DETERMINERS = frozenset("its their his her our my your the a an".split())


def _en_noun_use(text: str, frame: _CueHit, nxt: _CueHit, lang: str) -> bool:
    """English: a verb cue used as a noun after a frame ("reaffirmed its support for", "expressed
    their strong backing"): the frame and the noun make one stance of the noun's type."""
    if lang != "en" or nxt.role != "verb" or frame.role not in ("frame", "partframe"):
        return False
    word = text[nxt.start:nxt.end].lower()
    if word.endswith(("ed", "ing")) or " " in word:
        return False
    between = _words_between(text, frame.end, nxt.start, lang)
    return len(between) <= 3 and bool(set(between) & _EN_NOUN_DETERMINERS)


def _merge_frames(text: str, hits: list[_CueHit], lang: str) -> list[_CueHit]:
    """A frame verb and the cue it frames make one stance (أعرب عن قلقه، شدد على ضرورة)."""
    out: list[_CueHit] = []
    i = 0
    while i < len(hits):
        h = hits[i]
        if h.role in ("frame", "partframe") and i + 1 < len(hits):
            nxt = hits[i + 1]
            if (nxt.role in ("noun", "need", "eval") or _en_noun_use(text, h, nxt, lang)) \
                    and _word_gap(text, h.end, nxt.start, lang) <= FRAME_WINDOW:
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
        if merged and h.role in ("noun", "need", "eval") and merged[-1].type in ("Call", "Demand") \
                and _word_gap(text, merged[-1].end, h.start, lang) <= 4:
            continue
        # "رفض رفضا قاطعا", "condemned … in the strongest condemnation": the verb's own emphasis.
        if merged and h.role == "noun" and merged[-1].role in ("verb", "part") and merged[-1].type == h.type \
                and not h.negated and _word_gap(text, merged[-1].end, h.start, lang) <= 4:
            continue
        # "urged Iran to support the plan": what the call asks for, not a stance of the caller.
        if lang == "en" and merged and merged[-1].type in ("Call", "Demand") \
                and _EN_TO_BEFORE.search(text, max(0, h.start - 12), h.start) \
                and _word_gap(text, merged[-1].end, h.start, lang) <= 12 \
                and not any(c in text[merged[-1].end:h.start] for c in ".;\"“”"):
            continue
        merged.append(h)
    return merged


def _preceded_by_title(text: str, m: Mention, lang: str) -> bool:
    words = _words_between(text, max(0, m.start - 40), m.start, lang)
    titles = _AR_TITLE_WORDS if lang == "ar" else _EN_TITLE_WORDS
    return any(w in titles for w in words[-3:])


def _split_nested(found: tuple[Mention, ...]) -> tuple[list[Mention], list[Mention]]:
    """The outermost mentions and those nested in a longer one, in one pass over mentions sorted
    by start (a longer mention first at an equal start)."""
    outer: list[Mention] = []
    nested: list[Mention] = []
    cover_start, cover_end = -1, -1
    for m in sorted(found, key=lambda m: (m.start, m.start - m.end)):
        if m.end <= cover_end and cover_end - cover_start > m.end - m.start:
            nested.append(m)
            continue
        outer.append(m)
        if m.end > cover_end:
            cover_start, cover_end = m.start, m.end
    return outer, nested


class _Reader(ArabicReading):
    """Extraction state for one article."""

    def __init__(self, article: Article, lang: str, gaz: Gazetteer) -> None:
        self.a = article
        self.text = article.text
        self.lang = lang
        self.gaz = gaz
        # one scan: the outermost mentions read the text; states nested in a longer name
        # ("الفلسطيني-الإسرائيلي") are only listed as named
        self.norm_text = normalize(self.text, lang)   # the whole article, normalised once
        self.mentions, self.nested = _split_nested(gaz.find(self.text, lang, inner=True, norm=self.norm_text))
        self.persons = self._find_persons()
        self._span_index: tuple[list[Mention], list[int]] | None = None
        self.holder: str | None = None
        self.topic: tuple[str, ...] = ()
        self.topic_at = -1      # index of the sentence that set the topic
        self.topic_pos = 0      # where that sentence begins
        self.sent_no = 0        # index of the sentence being read
        self.para_start = 0     # where the paragraph of the sentence being read begins
        self._focus_counts: dict[str, int] | None = None
        self.holder_mentions: list[Mention] = []
        # Arabic: the holders of the last statement (several for a joint one), carried on to
        # sentences with an implicit subject ("وأضاف", "وشددوا").
        self.holders: tuple[str, ...] = ()
        self.subject_end = 0
        self.exclude: set[str] = set()
        self.dateline_end = 0
        self._speech_at: dict[int, list[tuple[int, ...]]] = {}   # sentence start → its speech verbs
        self._norms: dict[tuple[int, int], Normalized] = {}     # sentence span → its normalised text
        if lang == "ar":
            dl = _AR_DATELINE.match(self.text[:120])
            if dl and dl.end() < len(self.text.split("\n", 1)[0]):
                self.dateline_end = dl.end()
        # English: speakers, quotations and people named in the article (graph_builder.extract_en)
        self.en = EnglishReader(self) if lang == "en" else None
        self.en_rule = ""

    def _find_persons(self) -> list[Mention]:
        out = []
        norm = self.norm_text
        for name, key in PERSONS[self.lang].items():
            if name not in norm.text:   # most articles name none of them: skip the scan
                continue
            for m in re.finditer(r"(?<!\w)(?:و)?(" + re.escape(name) + r")(?!\w)", norm.text):
                a, b = norm.to_original(m.start(1), m.end(1))
                out.append(Mention(key, a, b, self.text[a:b], via="person"))
        return out

    def norm(self, sent: Sentence) -> Normalized:
        """The normalised text of ``sent``, computed once per sentence (several readers need it)."""
        span = (sent.start, sent.end)
        norm = self._norms.get(span)
        if norm is None:
            norm = self._norms[span] = normalize(sent.text, self.lang)
        return norm

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
        """Mentions (and persons) inside text[a:b], in text order; a binary search, not a scan."""
        a = max(a, self.dateline_end)
        if self._span_index is None:
            ordered = sorted((*self.mentions, *self.persons), key=lambda m: m.start)
            self._span_index = (ordered, [m.start for m in ordered])
        ordered, starts = self._span_index
        found = []
        for i in range(bisect_left(starts, a), len(starts)):
            m = ordered[i]
            if m.start >= b:
                break
            if m.end <= b:
                found.append(m)
        return found

    # -- holders ---------------------------------------------------------------------------------
    # -- targets ---------------------------------------------------------------------------------
    def find_targets(self, sent: Sentence, hit: _CueHit, scope_end: int, holder: str,
                     clause_start: int) -> tuple[str, ...]:
        text, lang = self.text, self.lang
        if self.en is not None:
            scope_end = self.en.target_scope_end(hit.start, scope_end)
        if hit.role == "eval":
            judged = self._judged(sent, hit, holder, clause_start)
            if judged:
                return judged
        cands = [m for m in self.in_span(hit.end, scope_end) if m.key != holder and m.via != "person"]
        if lang == "ar":
            cands = [m for m in cands if m.key not in self.exclude]
            if hit.type in ("Call", "Demand"):
                cands = self._ar_drop_addressees(sent, hit, [m for m in cands if not self.is_reference(m)])
            if self.topic and self._ar_demonstrative_object(hit, scope_end, cands):
                return self.topic
        elif hit.type in ("Call", "Demand") and cands:
            first = cands[0]
            follow = _words_between(text, first.end, min(sent.end, first.end + 25), lang)[:3]
            addressee_words = {"الي", "ب", "بان", "علي"} if lang == "ar" else {"to"}
            if self.kind(first) in ACTOR_KINDS and _word_gap(text, hit.end, first.start, lang) <= 3 \
                    and (set(follow) & addressee_words):
                cands = cands[1:]
        if self.en is not None and cands:
            # "denounced a raid that hit a WFP depot": the relative clause
            # after the object describes it; names in it are circumstance
            cut = self.en.relative_start(cands[0].end, scope_end)
            cands = [m for m in cands if m.start < cut]
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
        if not cands and self.en is not None:
            # "accused the council of …", "criticised the organization": the organisation last named
            org = self.en.org_anaphor(hit.end, scope_end, holder)
            if org:
                return (org,)
        if not cands and CONTEXT_CARRY[lang].search(self.norm_sentence(sent)) and self.topic:
            return self.topic
        if not cands:
            cands = [m for m in self.in_span(clause_start, hit.start)
                     if m.key != holder and m.via not in ("person", "capital") and not self.is_reference(m)]
        if lang == "ar" and cands:
            # The object is the first name after the cue (a region only if nothing else is
            # named), with the names coordinated to it ("أدان X وY"); later names are circumstance.
            pool = [m for m in cands if m.key not in self.exclude]
            if pool:
                head = next((m for m in pool if self.kind(m) != "Region"), pool[0])
                cands = self._ar_group(head, pool, forward=True)
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
            if self.topic and self._topic_fresh():
                return self.topic
            if self.en is not None:
                return self.en.main_topic(holder)
            if lang == "ar":
                return self._ar_focus(holder)
            return self.topic
        return tuple(keys[:AR_MAX_TARGETS if lang == "ar" else MAX_TARGETS])

    def _judged(self, sent: Sentence, hit: _CueHit, holder: str, clause_start: int) -> tuple[str, ...]:
        """What a judgement is about when it closes a clause ("قال إن خطوة X غير مقبولة", "said
        X's move was a disgrace"): the actors named between the reported content's start (a
        complementiser, a quotation mark, a colon) and the judgement."""
        first = max(clause_start, sent.start)
        if self.lang == "en":
            # "Georgia's aggression", "the Israeli provocation": the judged actor is its possessor
            own = [m for m in self.in_span(max(first, hit.start - 40), hit.start)
                   if self.text[m.end:hit.start] in (" ", "'s ", "’s ") and m.key != holder
                   and self.kind(m) in ("State", "ArmedGroup", "Organisation")]
            if own:
                return (own[-1].key,)
        starts = [first]
        for opener in _THAT[self.lang].finditer(self.text, first, hit.start):
            # a quotation mark counts only for a quotation still open at the judgement
            q = opener.group()
            if q not in ('"', "“", "«", "'", "‘") or not any(
                    c in self.text[opener.end():hit.start] for c in (q, "”", "»", "’")) and (
                    q != '"' or self.text.count('"', sent.start, opener.start()) % 2 == 0):
                starts.append(opener.end())
        keys: list[str] = []
        # the reported content, else (a quotation right after the object: "اعتبر X «عملا …»")
        # the words before it
        for a in dict.fromkeys(starts[-1:-3:-1]):
            for m in self.in_span(a, hit.start):
                if m.key != holder and m.key not in self.exclude and m.via != "person" \
                        and not (m.via == "capital" and _is_object(self.text, m, self.lang)) \
                        and self.kind(m) != "Region" and not self.is_reference(m) and m.key not in keys:
                    keys.append(m.key)
            if keys:
                break
        return tuple(keys[:AR_MAX_TARGETS if self.lang == "ar" else MAX_TARGETS])

    def _topic_fresh(self) -> bool:
        """Whether the last topic may still be what a stance that names nothing is about: it was
        set in this sentence or the one before, in the same paragraph."""
        if self.lang == "en":   # wire copy: a paragraph is often one sentence
            return self.sent_no - self.topic_at <= EN_TOPIC_SPAN
        return self.sent_no - self.topic_at <= TOPIC_SPAN and self.topic_pos >= self.para_start

    def is_reference(self, m: Mention) -> bool:
        """A mention inside a reference ("قرارات مجلس الأمن", "the auspices of the UN")."""
        words = _words_between(self.text, max(0, m.start - 30), m.start, self.lang)
        refs = AR_REFERENCE_WORDS if self.lang == "ar" else EN_REFERENCE_WORDS
        if any(w in refs or (self.lang == "ar" and w[:1] in "وبل" and w[1:] in refs) for w in words[-2:]):
            return True
        # "the ambassador to the United Nations", "Kenya's envoy to the AU": where a diplomat is
        # posted, not what the stance is about
        if self.lang == "en":
            tail = words[:-1] if words and words[-1] == "the" else words
            if len(tail) >= 2 and tail[-1] == "to" and tail[-2] in EN_POSTING_WORDS:
                return True
            # "the Palestinian U.N. envoy", "Rwanda's U.N. ambassador": the organisation is where
            # the diplomat of another actor is posted
            nxt = _WORD.match(self.text, m.end + 1) if self.text[m.end:m.end + 1] == " " else None
            if nxt and nxt.group().lower() in EN_POSTING_WORDS and self.kind(m) == "Organisation" \
                    and any(o.end in (m.start - 1, m.start - 3) and o.key != m.key
                            for o in self.in_span(max(0, m.start - 40), m.start)):
                return True
        # a venue: "اجتماع طارئ في مجلس الأمن", "an emergency session of the Security Council"
        venues = AR_VENUE_WORDS if self.lang == "ar" else EN_VENUE_WORDS
        if words and words[-1] == "the":
            words = words[:-1]
        return bool(words) and (words[-1] in ("في", "of", "at", "in") or (
            self.lang == "ar" and m.start > 0 and self.text[m.start - 1] == "ل")) \
            and any(w in venues for w in words[-4:-1] + words[-1:])

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
        prev_end = 0
        if self.en is not None:
            sentences = join_wrapped(self.text, sentences)
        for no, sent in enumerate(sentences):
            self.sent_no = no
            if "\n\n" in self.text[prev_end:sent.start].replace("\r", ""):
                self.para_start = sent.start
            prev_end = sent.end
            if self.en is not None:
                self.en.read_sentence(sent)
            hits = _merge_frames(self.text, _find_cues(sent, self.norm(sent), self.lang), self.lang)
            clause_start = sent.start
            spoke = False   # whether a stance of this sentence named its holder
            for i, hit in enumerate(hits):
                scope_end = hits[i + 1].start if i + 1 < len(hits) else sent.end
                if self.lang == "ar":
                    group, how = self._ar_holders(sent, hit, clause_start)
                    # "أكدت الخارجية البريطانية أن الحوثيين رفضوا …": what another actor is said
                    # to do, inside someone's statement, is that speaker's claim, not its stance.
                    if how == "svo" and self._ar_reported_by_other(sent, hit, group):
                        clause_start = hit.end
                        continue
                    holder = group[0] if group else None
                else:
                    group, how = self._en_holders(sent, hit)
                    holder = group[0] if group else None
                if self.en is not None and hit.type == "Support":
                    got = self.en.support_received(sent, hit.start, hit.end)
                    if got is False:   # "X lacks the support of Y": no stance of X's
                        clause_start = hit.end
                        continue
                    if got:
                        out.append(Stance(
                            holder=got[0], type="Support", targets=(got[1],), sentence=sent,
                            cue=self.text[hit.start:hit.end], cue_start=hit.start, cue_end=hit.end,
                            principles=(), confidence=0.6, rule="en:noun:received",
                            stated_on=self.a.published))
                        clause_start = hit.end
                        continue
                pair = self._reciprocal(sent, hit)
                if pair:
                    a_key, b_key = pair
                    principles = self.principles(hit.start, scope_end)
                    for h, t in ((a_key, b_key), (b_key, a_key)):
                        out.append(Stance(
                            holder=h, type=hit.type, targets=(t,), sentence=sent,
                            cue=self.text[hit.start:hit.end], cue_start=hit.start, cue_end=hit.end,
                            principles=principles, confidence=0.6,
                            rule=f"{self.lang}:{hit.role}:reciprocal", stated_on=self.a.published))
                    spoke = True
                    clause_start = hit.end
                    continue
                self.exclude = set(group)
                if hit.role == "eval" and not self._eval_held(how, spoke):
                    holder = None
                if holder is None:
                    clause_start = hit.end
                    continue
                if how != "carried":
                    spoke = True
                    self.holder = holder
                    self.holders = group
                    self.holder_mentions.extend(
                        m for m in self.in_span(sent.start, sent.end) if m.key in group)
                type_ = hit.type
                if hit.negated:
                    if type_ in ("Support", "Welcome"):
                        type_ = "Rejection"
                    elif type_ != "Rejection":
                        clause_start = hit.end
                        continue
                targets = self.find_targets(sent, hit, scope_end, holder, clause_start)
                targets = tuple(t for t in targets if t not in group)
                if not targets:
                    clause_start = hit.end
                    continue
                self.topic = targets
                self.topic_at = self.sent_no
                self.topic_pos = sent.start
                if self.en is not None:
                    self.en.note(sent, group, self.en_rule)
                conf = {"vso": 0.8, "svo": 0.75, "speech": 0.7, "post": 0.65, "carried": 0.55}[how]
                principles = self.principles(hit.start, scope_end)
                for h in group:   # a joint statement: one stance per holder
                    out.append(Stance(
                        holder=h, type=type_, targets=targets, sentence=sent,
                        cue=self.text[hit.start:hit.end], cue_start=hit.start, cue_end=hit.end,
                        principles=principles, confidence=conf,
                        rule=f"{self.lang}:{hit.role}:{how}", stated_on=self.a.published))
                clause_start = hit.end
            if self.lang == "ar" and not spoke:
                # A sentence with a speaker but no stance still hands the floor to that speaker.
                speaker = self._ar_speaker(sent, sent.end)
                if speaker:
                    self.holders = speaker
                    self.holder = speaker[0]
        return out

    def _reciprocal(self, sent: Sentence, hit: _CueHit) -> tuple[str, str] | None:
        """The two parties of a reciprocal accusation ("both sides blamed the other"): the last two
        actors named together ("X and Y", "بين X وY") in this sentence or the few before it."""
        if hit.type != "Condemnation" or hit.negated:
            return None
        lang = self.lang
        before = self.text[max(sent.start, hit.start - 60):hit.start]
        after = self.text[hit.end:min(sent.end, hit.end + 40)]
        if lang == "ar":
            before, after = normalize_word(before), normalize_word(after)
            # "تبادل الطرفان الاتهامات": the cue and its subject in one
            around = self.text[max(sent.start, hit.start - 2):min(sent.end, hit.end + 40)]
            exchange = bool(_AR_EXCHANGE.search(normalize_word(around)))
            subject = _RECIPROCAL_SUBJECT[lang].search(before) or _AR_RECIPROCAL_AFTER.match(after)
            if not exchange and not (subject and _RECIPROCAL_OBJECT[lang].match(after)):
                return None
        elif not (_RECIPROCAL_SUBJECT[lang].search(before) and _RECIPROCAL_OBJECT[lang].match(after)):
            return None
        joiners = (["and"],) if lang == "en" else (["و"],)
        pool = [m for m in self.in_span(max(self.para_start - 800, 0, hit.start - 800), hit.start)
                if self.kind(m) in ("State", "ArmedGroup")]
        for m1, m2 in zip(pool[-2::-1], pool[::-1], strict=False):
            if m1.key != m2.key and _words_between(self.text, m1.end, m2.start, lang) in joiners:
                return m1.key, m2.key
        return None

    def _eval_held(self, how: str, spoke: bool) -> bool:
        """Whether a judgement with no stance verb has a holder: someone speaks in the sentence
        (a speech verb, a quotation) or an earlier stance of the same sentence names its holder."""
        if self.lang == "en":
            return self.en_rule in ("speech", "part") or (self.en_rule != "subject" and spoke)
        return how == "speech" or (how == "carried" and spoke)

    def _en_holders(self, sent: Sentence, hit: _CueHit) -> tuple[tuple[str, ...], str]:
        """English holders of a cue (see :mod:`graph_builder.extract_en`), as (group, rule)."""
        assert self.en is not None
        keys, how = self.en.holders_for(sent, hit.start, hit.end, hit.role)
        self.en_rule = how
        group = tuple(k for k in dict.fromkeys(keys) if self.kindk(k) in ACTOR_KINDS)
        rule = {"svo": "svo", "person": "svo", "np": "svo", "coref": "svo", "pronoun": "svo",
                "speech": "speech"}.get(how, "post")
        return group, rule

    def entity_mentions(self) -> tuple[Mention, ...]:
        keep = []
        holder_spans = {(m.start, m.end) for m in self.holder_mentions}
        for m in self.mentions:
            if m.via == "capital" and (m.start, m.end) not in holder_spans:
                continue
            keep.append(m)
        # A state named inside a longer name ("الصراع الفلسطيني-الإسرائيلي" names ISR) is named by
        # the article too; an organisation inside another's name ("U.N. Security Council") is only
        # part of that name.
        nested = [m for m in self.nested if m.via != "capital" and self.kind(m) == "State"]
        if not nested:
            return tuple(keep)
        return tuple(sorted((*keep, *nested), key=lambda m: m.start))


_MEMBER_TRIGGER = {
    "ar": _AR_MEMBER_TRIGGER,
    "en": re.compile(r"\b(?:members?|member states|comprises|made up of|consists of)\b"),
}
_FOUNDED = {
    "ar": re.compile(r"(?:تاسست|تاسس|انشيت|انشي|اسست|تشكلت|تشكل|منذ تاسيسها|تاسيسها|تاسيسه)"),
    "en": re.compile(r"\b(?:founded|established|formed|created)\b"),
}


def _memberships(r: _Reader, sentences: tuple[Sentence, ...]) -> tuple[tuple[str, str], ...]:
    if r.lang == "ar":
        return tuple(_ar_memberships(r, sentences))
    out: list[tuple[str, str]] = []
    for sent in sentences:
        trig = _MEMBER_TRIGGER[r.lang].search(sent.text.lower())
        if not trig:
            continue
        ms = r.in_span(sent.start, sent.end)
        orgs = [m for m in ms if r.kind(m) == "Organisation"]
        org = orgs[0].key if orgs else (
            r.holder if r.holder and r.kindk(r.holder) == "Organisation" else None)
        if org is None:
            continue
        states = [m for m in ms if r.kind(m) == "State" and m.via in ("name", "hashtag")
                  and m.start >= sent.start + trig.start()]
        if len(states) < 2:
            continue
        for m in states:
            if (m.key, org) not in out:
                out.append((m.key, org))
    if r.en is not None:
        out.extend(p for p in r.en.memberships(sentences) if p not in out)
    return tuple(out)


def _foundings(r: _Reader, sentences: tuple[Sentence, ...], dates: tuple) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for sent in sentences:
        norm = r.norm(sent).text if r.lang == "ar" else sent.text.lower()
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

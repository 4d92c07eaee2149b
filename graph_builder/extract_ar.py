"""Arabic-specific reading for :mod:`graph_builder.extract`: who speaks and what about in an Arabic
news sentence, and which states an Arabic article says are members of an organisation.

- the subject of a verb, after it (VSO: "أدان وزير الخارجية السعودي") or before it (SVO, with an
  apposition between: "السعودية، الخصم الإقليمي لإيران، أكدت"), with the actors coordinated to it;
- an anaphoric institution noun ("وأدان المجلس", "دعا البيان") and what it refers back to;
- the speaker of reported speech ("قال X إن …"), and statements inside another actor's statement;
- the addressees of a call ("دعا X إلى …"), a demonstrative object ("رفض هذا المقترح"), and what
  the article is about when a stance names nothing;
- memberships: "6 دول أعضاء هي: …", "X كعضو في ORG", "شريكتي أنقرة في الحلف".

:class:`ArabicReading` is a mixin of :class:`graph_builder.extract._Reader`.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from graph_builder.clauses import (
    _SPEECH,
    SUBJECT_WINDOW,
    _CueHit,
    _is_object,
    _norm_token,
    _word_gap,
    _words_between,
)
from graph_builder.lexicon import AR_OBJECT_PREPOSITIONS
from graph_builder.model import ACTOR_KINDS, Mention, Sentence
from graph_builder.normalize import Normalized, normalize, normalize_word

if TYPE_CHECKING:  # pragma: no cover
    from graph_builder.extract import _Reader
    from graph_builder.gazetteer import Gazetteer

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
# Arabic tokens in the original text (letters with their diacritics and tatweel).
_AR_TOKEN = re.compile(r"[\w\u064B-\u065F\u0670\u0640]+", re.UNICODE)
# A verb agreeing in the plural or dual has its subject before it (or as a pronoun): no VSO.
_AR_PLURAL_VERB = re.compile(r"(?:وا|ون)$|^[وف]?[يت]\w+ان$")
# Words between a verb and its subject that are not themselves the subject (times, "في بيان").
_AR_SKIP_WORDS = _AR_BETWEEN_WORDS - _AR_TITLE_WORDS
# Definite nouns that refer back to an institution already named ("وأدان المجلس", "دعا البيان").
# The value is the stem the antecedent's name contains, or "" for "whoever holds the floor".
_AR_ANAPHORS: dict[str, str] = {
    "المجلس": "مجلس", "الجامعه": "جامع", "المنظمه": "منظم", "الاتحاد": "اتحاد", "الحلف": "حلف",
    "اللجنه": "لجن", "التحالف": "تحالف", "الامين": "", "البيان": "", "المتحدث": "", "الناطق": "",
    "الوزير": "", "الوزاره": "", "الخارجيه": "", "الحكومه": "", "الوفد": "", "السفير": "",
    "السفيره": "", "المندوب": "", "المندوبه": "", "الرئيس": "", "المسوول": "",
}
# Titles of persons, after which the speaker's name may come before the state it speaks for.
_AR_PERSON_TITLES = frozenset(normalize_word(w) for w in (
    "وزير وزيرة الوزير الوزيرة السفير سفير السفيرة سفيرة المندوب مندوب المندوبة مندوبة المتحدث "
    "متحدث المتحدثة الناطق ناطق الناطقة الرئيس رئيس الممثل ممثل المبعوث مبعوث الأمين أمين "
    "العاهل الملك الأمير ولي نائب مستشار المستشار مساعد مسؤول المسؤول").split())
# A comma-delimited apposition between a subject and its verb ("، فلان الفلاني،").
_AR_APPOSITION = re.compile(r"\s*[،,][^،,.]{1,80}[،,]\s*(?:\S+\s+){0,2}?\S*\s*$")
# Complementisers that open reported content ("أكد أن …", "قال إن …").
_AR_THAT = frozenset({"ان", "بان", "انه", "انها", "بانه", "بانها"})
# Demonstratives: "رفض هذا المقترح" is about what was just spoken of.
_AR_DEMONSTRATIVES = frozenset({"هذا", "هذه", "ذلك", "تلك", "هذين", "هاتين", "هولا"})
# A dateline before the first sentence ("دبي، الإمارات (وكالة)--", "القاهرة - "): only a place.
_AR_DATELINE = re.compile(r"^\s*(?:[^\n.()]{0,60}\([^()\n]{1,30}\)\s*(?:-{1,2}|–|—|:)?"
                          r"|[^\s\n.،,]{2,15}(?:\s*[،,]\s*[^\n.،,()]{2,30})?\s+[-–—]\s)")
_AR_RECIPROCAL_AFTER = re.compile(r"^\s*(?:كل (?:طرف|جانب|منهما|من الطرفين|من البلدين)|(?:ال)?(?:طرفان|جانبان|بلدان))"
                                  r"(?!\w)")
_AR_EXCHANGE = re.compile(r"(?:^|\s)[وف]?(?:[يت])?تبادل(?:ت|ا|وا|ان)?\s+(?:\S+\s+){0,2}?(?:ال)?اتهامات")
# A membership word ("أعضاء", "تضم"): the states listed after it are members.
_AR_MEMBER_TRIGGER = re.compile(r"(?:اعضا|الاعضا|عضويه|عضوا|تضم|يضم|تتالف|يتالف|الدول الاعضا)")


class ArabicReading:
    """The Arabic holder and target rules of :class:`graph_builder.extract._Reader` (a mixin: the
    state they read and update is the reader's)."""

    if TYPE_CHECKING:  # pragma: no cover
        text: str
        gaz: Gazetteer
        mentions: list[Mention]
        holder: str | None
        holders: tuple[str, ...]
        subject_end: int
        exclude: set[str]
        dateline_end: int
        _speech_at: dict[int, list[tuple[int, ...]]]
        _focus_counts: dict[str, int] | None

        def kind(self, m: Mention) -> str: ...
        def kindk(self, key: str) -> str: ...
        def is_reference(self, m: Mention) -> bool: ...
        def actor_ok(self, m: Mention) -> bool: ...
        def in_span(self, a: int, b: int) -> list[Mention]: ...
        def norm(self, sent: Sentence) -> Normalized: ...

    def _ar_tokens(self, a: int, b: int) -> list[tuple[str, int, int]]:
        """(normalised word, start, end) for the words of text[a:b], offsets into the text."""
        return [(_norm_token(t.group()), a + t.start(), a + t.end())
                for t in _AR_TOKEN.finditer(self.text[a:b])]

    def _ar_joined(self, a: int, b: int) -> bool:
        """Whether only "و" or a comma stands between a and b: a coordination (not "الحوثي
        الإيرانية", a name and its adjective)."""
        words = _words_between(self.text, a, b, "ar")
        # "و", or "و" with the preposition repeated ("للحكومة اليمنية وللأمم المتحدة")
        return words in (["و"], ["ول"], ["وب"]) or (not words and any(c in self.text[a:b] for c in "،,"))

    def _ar_group(self, m: Mention, pool: list[Mention], forward: bool) -> list[Mention]:
        """m with the actors coordinated to it ("الولايات المتحدة وبريطانيا وفرنسا")."""
        group = [m]
        i = pool.index(m)
        step = 1 if forward else -1
        j = i + step
        while 0 <= j < len(pool):
            n = pool[j]
            a, b = (group[-1].end, n.start) if forward else (n.end, group[-1].start)
            if a > b or not self._ar_joined(a, b):
                break
            if n.key not in [g.key for g in group]:
                group.append(n)
            j += step
        return group if forward else group[::-1]

    def _ar_antecedent(self, stem: str, pos: int) -> str | None:
        """The institution an anaphoric noun refers to: the last one named whose name has the
        noun's stem (المجلس → مجلس الأمن / مجلس الجامعة), or whoever holds the floor."""
        if not stem:
            return self.holders[0] if self.holders else self.focus_actor(pos)
        for key in self.holders:
            info = self.gaz.get(key)
            if info and stem in normalize_word(info.label_ar):
                return key
        seen = 0
        for m in reversed(self.mentions):
            if m.start >= pos or self.kind(m) not in ACTOR_KINDS or self.is_reference(m):
                continue
            info = self.gaz.get(m.key)
            label = normalize_word(info.label_ar) if info else ""
            if stem in normalize_word(m.surface) or stem in label:
                return m.key
            seen += 1
            if seen > 40:
                break
        if self.holders and self.kindk(self.holders[0]) != "State":
            return self.holders[0]
        return None

    @staticmethod
    def _ar_anaphor_stem(toks: list[tuple[str, int, int]], i: int, word: str = "") -> str:
        """The stem an anaphor points with; "الأمين العام للمنظمة" points with its complement."""
        for w, _, _ in toks[i + 1:i + 3]:
            if w.startswith("لل") and "ال" + w[2:] in _AR_ANAPHORS and _AR_ANAPHORS["ال" + w[2:]]:
                return _AR_ANAPHORS["ال" + w[2:]]
        return _AR_ANAPHORS[word or toks[i][0]]

    def focus_actor(self, pos: int) -> str | None:
        """The last organisation named before pos (what "الأمين العام" alone refers to)."""
        for m in reversed(self.mentions):
            if m.start < pos and self.kind(m) == "Organisation" and not self.is_reference(m):
                return m.key
        return None

    def _ar_subject_after(self, pos: int, end: int, loose: bool = False) -> tuple[list[str], int] | None:
        """The subject right after a verb ending at pos: a named actor (with titles, times, a
        person's name after a title between), or an anaphoric institution noun."""
        after = [m for m in self.in_span(pos, end) if self.actor_ok(m)]
        toks = self._ar_tokens(pos, min(end, pos + 160))
        first = 0
        while first < len(toks) and toks[first][0] in _AR_SKIP_WORDS:
            first += 1
        lead = toks[first] if first < len(toks) else ("", pos, pos)
        # An anaphoric noun right after the verb, not part of a name: "وأدان المجلس", "دعا البيان".
        anaphor = lead[0] in _AR_ANAPHORS and not any(m.start <= lead[1] < m.end for m in after)
        if after:
            m = after[0]
            between = _words_between(self.text, pos, m.start, "ar")
            direct = all(w in _AR_BETWEEN_WORDS for w in between) and len(between) <= SUBJECT_WINDOW
            # after a speech verb: "وقالت فلانة الفلانية سفيرة الولايات المتحدة"
            if loose and len(between) <= SUBJECT_WINDOW + 2 and any(w in _AR_PERSON_TITLES for w in between):
                direct = True
            obj = _is_object(self.text, m, "ar")
            if direct and not obj and not (anaphor and _AR_ANAPHORS[lead[0]]):
                group = self._ar_group(m, after, forward=True)
                return [g.key for g in group], group[-1].end
            # "طالبت السفيرة فلانة الفلانية المندوبة الدائمة لقطر": a title, a name, then the state.
            attached = m.start > 0 and self.text[m.start - 1] == "ل"
            if lead[0] in _AR_PERSON_TITLES and len(between) <= 10 and (not obj or attached) \
                    and not any(w in AR_OBJECT_PREPOSITIONS and w != "في" for w in between):
                group = self._ar_group(m, after, forward=True)
                return [g.key for g in group], group[-1].end
        if anaphor:
            key = self._ar_antecedent(self._ar_anaphor_stem(toks, first), pos)
            if key:
                return [key], lead[2]
        return None

    def _ar_holders(self, sent: Sentence, hit: _CueHit, clause_start: int) -> tuple[tuple[str, ...], str]:
        text = self.text
        self.subject_end = hit.end
        verbal = hit.role in ("verb", "frame", "blame")
        plural = verbal and bool(_AR_PLURAL_VERB.search(normalize_word(text[hit.start:hit.end]).split()[0]))
        # VSO: "أدان وزير الخارجية السعودي", "دعت روسيا والصين".
        if verbal and not plural:
            # a merged frame ("أعربت الخارجية الفرنسية عن قلقها") has its subject inside the hit
            verb = _AR_TOKEN.match(text, hit.start)
            r = self._ar_subject_after(verb.end() if verb else hit.end, sent.end)
            if r:
                self.subject_end = r[1]
                return tuple(r[0]), "vso"
        # SVO: "مصر قلقة", "الاتحاد الأوروبي والحلف الأطلسي دعوا".
        if hit.role not in ("part", "need", "eval"):
            before = [m for m in self.in_span(clause_start, hit.start)
                      if self.actor_ok(m) and not self.is_reference(m)]
            subjects = [m for m in before if not _is_object(text, m, "ar")]
            if subjects:
                m = subjects[-1]
                between = _words_between(text, m.end, hit.start, "ar")
                # "وزير الخارجية الليبي، فلان الفلاني، قال", "السعودية، الخصم الإقليمي لإيران، أكدت":
                # a name or a description in apposition between the subject and its verb.
                close = len(between) <= 2 or (len(between) <= 8 and bool(
                    _AR_APPOSITION.match(text, m.end, hit.start)))
                if close:
                    group = self._ar_group(m, before, forward=False)
                    return tuple(g.key for g in group), "svo"
            # A sentence opening with an anaphoric subject: "الأمين العام للمنظمة فلان وصف …".
            toks = self._ar_tokens(clause_start, min(hit.start, clause_start + 120))
            w = toks[0][0] if toks else ""
            if w not in _AR_ANAPHORS and w[:1] in ("و", "ف"):
                w = w[1:]
            if verbal and w in _AR_ANAPHORS and len(toks) <= 8:
                key = self._ar_antecedent(self._ar_anaphor_stem(toks, 0, w), clause_start)
                if key:
                    return (key,), "svo"
        # Reported speech: "قال X إن …".
        speaker = self._ar_speaker(sent, hit.start if hit.role == "part" else sent.end)
        if speaker:
            return speaker, "speech"
        if self.holders:
            return self.holders, "carried"
        return (), ""

    def _ar_speaker(self, sent: Sentence, limit: int) -> tuple[str, ...]:
        """Who speaks in the sentence: the subject of a speech verb (قال، أضاف، أكد) before limit."""
        if sent.start not in self._speech_at:
            norm = self.norm(sent)
            self._speech_at[sent.start] = [tuple(sent.start + x for x in norm.to_original(sm.start(1), sm.end(1)))
                                           for sm in _SPEECH["ar"].finditer(norm.text)]
        for v0, pos in self._speech_at[sent.start]:
            if pos > limit:
                break
            r = self._ar_subject_after(pos, sent.end, loose=True)
            if r:
                return tuple(r[0])
            # SVO: "وزير الخارجية الليبي، فلان الفلاني، قال إن …"
            before = [m for m in self.in_span(sent.start, v0)
                      if self.actor_ok(m) and not self.is_reference(m) and not _is_object(self.text, m, "ar")]
            if before and self.text[v0 - 1:v0] not in ("و", "ف"):   # "…، وأعلن": a new clause
                m = before[-1]
                between = _words_between(self.text, m.end, v0, "ar")
                if len(between) <= 1 or (len(between) <= 8 and _AR_APPOSITION.match(self.text, m.end, v0)):
                    return tuple(g.key for g in self._ar_group(m, before, forward=False))
        return ()

    def _ar_focus(self, holder: str) -> tuple[str, ...]:
        """What the article is about, for a stance that names nothing before any topic is set:
        the conflict it names most, else the state or armed group it names most (not the holder)."""
        if self._focus_counts is None:   # counted once per article: the call stays O(keys)
            self._focus_counts = {}
            for m in self.mentions:
                if m.start >= self.dateline_end and not self.is_reference(m):
                    self._focus_counts[m.key] = self._focus_counts.get(m.key, 0) + 1
        counts = {k: n for k, n in self._focus_counts.items() if k not in self.exclude and k != holder}
        for kinds in (("Conflict",), ("State", "ArmedGroup")):
            ranked = sorted((k for k in counts if self.kindk(k) in kinds), key=lambda k: -counts[k])
            if ranked:
                return (ranked[0],)
        return ()

    def _ar_drop_addressees(self, sent: Sentence, hit: _CueHit, cands: list[Mention]) -> list[Mention]:
        """"دعا X (وY) إلى/على/بـ …": those named before the content of the call are asked to act;
        the call is about what follows. An organisation asked to act is never what the call is
        about; a party asked to stop something is, when nothing else is named."""
        if not cands:
            return cands
        start = max(hit.end, self.subject_end)
        marker = None
        for w, a, _ in self._ar_tokens(start, min(sent.end, start + 400))[:40]:
            if any(m.start <= a < m.end for m in cands):
                continue
            if w in ("الي", "علي", "بان", "لل") or (w[:1] == "ب" and len(w) > 3
                                                     and not w.startswith(("بيان", "بالبيان"))):
                marker = a
                break
        if marker is None:
            return cands
        asked = [m for m in cands if start <= m.start < marker and self.kind(m) in ACTOR_KINDS]
        if not asked or _word_gap(self.text, start, asked[0].start, "ar") > 8:
            return cands
        asked_keys = {m.key for m in asked}
        rest = [m for m in cands if m.start >= marker and m.key not in asked_keys]
        drop = asked_keys if rest else {m.key for m in asked if self.kind(m) == "Organisation"}
        return [m for m in cands if m.key not in drop or m.start >= marker]

    def _ar_demonstrative_object(self, hit: _CueHit, scope_end: int, cands: list[Mention]) -> bool:
        """"رفض هذا المقترح": the object points back to what was just spoken of."""
        toks = self._ar_tokens(hit.end, min(scope_end, hit.end + 60))[:3]
        if not toks:
            return False
        i = 1 if toks[0][0] in ("علي", "عن", "الي", "ب") and len(toks) > 1 else 0
        if toks[i][0].lstrip("ول") not in _AR_DEMONSTRATIVES:
            return False
        near = toks[min(i + 1, len(toks) - 1)][2]
        # "هذا القرار الأمريكي": the adjective names what it is about
        adj = toks[i + 2][2] if i + 2 < len(toks) else near
        return not any(m.start < near or (m.start < adj and m.via == "demonym") for m in cands)

    def _ar_reported_by_other(self, sent: Sentence, hit: _CueHit, group: tuple[str, ...]) -> bool:
        """Whether the cue is inside what a speaker other than its subject says ("قال X إن Y …")."""
        toks = self._ar_tokens(sent.start, hit.start)
        if not any(t[0] in _AR_THAT for t in toks):
            return False
        norm = normalize(self.text[sent.start:hit.start], "ar").text
        if not _SPEECH["ar"].search(norm):
            return False
        speaker = self._ar_speaker(sent, hit.start) or self.holders
        return bool(speaker) and not set(speaker) & set(group)


# "قطر كعضو في الأمم المتحدة", "الكويت من خلال عضويتها في مجلس الأمن": one state's membership.
_AR_PARTNER_IN = re.compile(r"(?<!\w)(?:و|ل|ول)?شريك\w*\s+(\w+(?:\s+\w+)?)\s+في\s")
_AR_DUAL_PARTNER = re.compile(r"(?:و|ل|ول)?شريك(?:تي|ي|ا|تا)\s")
_AR_MEMBER_OF = re.compile(r"(?<!\w)(?:ك|ب)?(?:عضو|عضوا|عضويتها|عضويته|عضويه)\s+(?:\w+\s+)?في\s")


def _ar_memberships(r: _Reader, sentences: tuple[Sentence, ...]) -> list[tuple[str, str]]:
    """Arabic: a list of states right after a membership word ("6 دول أعضاء هي: روسيا وأرمينيا …"),
    members of the organisation named before it; or "X (كعضو|عضويتها) في ORG"."""
    out: list[tuple[str, str]] = []
    for sent in sentences:
        norm = r.norm(sent)
        if not (_AR_MEMBER_TRIGGER.search(norm.text) or "عضو" in norm.text or "شريك" in norm.text):
            continue
        ms = [m for m in r.in_span(sent.start, sent.end) if not r.is_reference(m)]
        for single in _AR_MEMBER_OF.finditer(norm.text):
            t0, s_end = (sent.start + x for x in norm.to_original(single.start(), single.end()))
            org = next((m for m in ms if m.start >= s_end and r.kind(m) == "Organisation"
                        and _word_gap(r.text, s_end, m.start, "ar") <= 1), None)
            state = [m for m in ms if m.end <= t0 and r.kind(m) == "State" and m.via in ("name", "hashtag")
                     and _word_gap(r.text, m.end, t0, "ar") <= 8]
            if org and state and (state[-1].key, org.key) not in out:
                out.append((state[-1].key, org.key))
        # "شريكتي أنقرة في حلف شمال الأطلسي": the state whose partners they are is a member too.
        for part in _AR_PARTNER_IN.finditer(norm.text):
            x0, x1 = (sent.start + x for x in norm.to_original(part.start(1), part.end(1)))
            p_end = sent.start + norm.to_original(part.start(), part.end())[1]
            org = next((m for m in ms if m.start >= p_end and r.kind(m) == "Organisation"
                        and _word_gap(r.text, p_end, m.start, "ar") <= 1), None)
            state = [m for m in ms if x0 <= m.start and m.end <= x1 and r.kind(m) == "State"]
            if org and state and (state[0].key, org.key) not in out:
                out.append((state[0].key, org.key))
            # "شريكتي أنقرة في الحلف" (dual): the two partners are the two other states the
            # sentence names, when it names exactly two.
            if org and state and _AR_DUAL_PARTNER.match(norm.text, part.start()):
                others = list(dict.fromkeys(m.key for m in ms if r.kind(m) == "State"
                                            and m.key != state[0].key))
                if len(others) == 2:
                    out.extend((k, org.key) for k in others if (k, org.key) not in out)
        for trig in _AR_MEMBER_TRIGGER.finditer(norm.text):
            t0, t1 = (sent.start + x for x in norm.to_original(trig.start(), trig.end()))
            states = [m for m in ms if m.start >= t1 and r.kind(m) == "State"
                      and m.via in ("name", "hashtag")]
            if not states or _word_gap(r.text, t1, states[0].start, "ar") > 8:
                continue
            chain = r._ar_group(states[0], states, forward=True)
            if len(chain) < 2:
                continue
            orgs = [m for m in ms if m.end <= t0 and r.kind(m) == "Organisation"]
            held = r.holder if r.holder and r.kindk(r.holder) == "Organisation" else None
            org_key = orgs[-1].key if orgs else held
            if org_key is None:
                continue
            for m in chain:
                if (m.key, org_key) not in out:
                    out.append((m.key, org_key))
    return out

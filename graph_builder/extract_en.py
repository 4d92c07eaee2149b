"""English-specific helpers for :mod:`graph_builder.extract`: who speaks in an English news sentence.

English news names the speaker in a handful of ways, and each has a rule here:

- a subject noun phrase before the verb: "Britain condemned …", "U.S. State Department
  spokeswoman Jane Doe said …", "France's foreign minister urged …", "Several governments, among
  them Japan and Canada, endorsed …" (one holder per coordinated actor);
- an inverted attribution after a quotation: ``"…," said Jane Doe, France's foreign minister.``;
- ``according to X``; an appositive ("Jane Doe, a spokeswoman for the Foreign Ministry, said");
- a pronoun or a definite description ("He also called on …", "the ministry said", "the country's
  foreign ministry") that refers to whoever spoke last;
- a bare surname ("Doe said") of a person the article introduced earlier with a title;
- a participle or a second verb of the same subject (", urging …", "… and demanded …"): the
  holder of the main clause.

A quotation that runs over several sentences is the stance of the person it is attributed to.
Hard-wrapped text (wire copy broken at ~60 columns) is rejoined into logical sentences first.

Everything is linear in the length of the sentence; regexes are compiled once.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from graph_builder.model import ACTOR_KINDS, Mention, Sentence

if TYPE_CHECKING:  # pragma: no cover
    from graph_builder.extract import _Reader

#: Words of an office or an institution ("spokeswoman", "foreign minister", "U.N. ambassador").
TITLE_WORDS = frozenset("""
minister ministers ministry foreign affairs secretary general secretary-general spokesman spokeswoman
spokesperson spokespeople ambassador ambassadors envoy envoys president vice prime premier king queen
emir crown prince leader leaders supreme chief policy deputy undersecretary under-secretary permanent
representative representatives special state department office officials official government
delegate delegation delegations commissioner high chancellor head acting interior defense defence
national security adviser advisor adviser diplomat diplomats senior top spokesmen envoy charge
d'affaires affaires consul counselor counsellor embassy mission cabinet administration council
committee commission executive junior presidential ministerial regime authorities authority
u.n. un united nations spokesperson's parliament speaker army military commander forces
""".split())
#: Definite descriptions that refer to the last speaker ("the ministry said", "the country's").
COREF_NOUNS = frozenset("""
minister ministry spokesman spokeswoman spokesperson statement government official officials envoy
ambassador office embassy delegation president leader leadership country country's nation nation's
administration communique communiqué source sources diplomat cabinet
""".split())
#: Nouns that refer to the last organisation named ("the organization", "the 57-nation bloc").
ORG_COREF = frozenset("organization organisation body bloc alliance league grouping union council".split())
_ORG_COREF_NATION = ORG_COREF | {"nation"}
PRONOUNS = frozenset("he she it they we i".split())
_DETERMINERS = frozenset("the a an its their his her this that these those".split())
#: Words that may stand between a subject and its verb ("has also strongly …").
_AUX = frozenset("""
has have had was is were are will would also again then later earlier today yesterday tonight
previously already did does do has been be being jointly publicly repeatedly once further
""".split())
_TIME_WORDS = frozenset("""
monday tuesday wednesday thursday friday saturday sunday morning evening night afternoon week month
year on last this late early
""".split())
#: Capitalised words that are not names.
_NOT_NAMES = frozenset("""
the a an today yesterday tomorrow speaking after before but and also however meanwhile in on at
while as when asked earlier later then monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december mr mrs ms dr
sheikh sir his her their its we he she they it i this that these those
""".split())
#: Prepositions that make the mention after them an object inside a subject noun phrase.
#: Lower-case particles inside personal names ("bin", "al", "van").
_NAME_PARTICLES = frozenset("bin bint ibn al el abu abd abdul de da di du van von der le la ben".split())
#: Small words that may stand inside a speaker's noun phrase.
_NP_GLUE = frozenset(["of", "for", "to", "at", "from", "'s", "’s", ",", "(", ")", "--", "and", "including",
                      "both", "state-run", "state"])
_NP_OBJECT = frozenset("to at in on against with from by over about toward towards into between upon".split())
_CLAUSE_WORDS = frozenset("that which who whom whose when after as while because if whether but".split())

#: Verbs that introduce reported speech.
SPEECH_RX = re.compile(
    r"\b(said|says|say|told|tells|added|adds|stated|states|announced|noted|notes|explained|declared|"
    r"tweeted|wrote|writes|remarked|replied|responded|continued|saying|according to|described|"
    # "He called the move 'reckless'" (not "called for/on", "so-called")
    r"(?<!-)called(?!\s+(?:on|for|upon|off|in|to|back)\b))\b", re.IGNORECASE)
_SPEECH_WORDS = frozenset(
    "said says say told tells added adds stated announced noted explained declared".split())
_TOKEN = re.compile(r"[^\W\d_](?:[\w'’.\-]*[\w])?\.?|\d[\d.,%]*|--|[—–,;:()\"“”]", re.UNICODE)
_DATELINE = re.compile(r"^[^()\n]{0,60}\((?:[A-Za-z .]{2,24})\)\s*(?:--|[—–-])\s*")
_INVERTED_END = re.compile(r"[.;\"“”]|\s(?:who|which|in|at|on|after|before|during|as|when|while|"
                           r"adding|told|said|saying)\s")
_OPEN_Q = "\"“«"
_CLOSE_Q = "\"”»"
_SINGLE_OPEN = re.compile(r"(?:(?<=\s)|(?<=^)|(?<=[(:]))['‘](?=[A-Za-z])")
_SINGLE_CLOSE = re.compile(r"(?<=[\w.,?!])['’](?=\s|$|[.,;:)?!])")
_WRAP_END_OK = re.compile(r"[.!?…][\"'”’)\]]*$")
_DOTTED_END = re.compile(r"(?:^|\s)(?:[A-Z]\.){2,}$")
_AGENT = re.compile(r"\s+(by|from)\s+(?:the\s+)?", re.IGNORECASE)
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are|be)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_N_NATION_BODY = re.compile(
    r"\b(?:in|of|within|from|to|among)\s+the\s+\d+-(?:nation|member|country|state)\s+"
    r"(?:body|bloc|organi[sz]ation|group|grouping|alliance|league|union|council)\b", re.IGNORECASE)
_SUSPENDED = re.compile(r"\b(?:suspend(?:s|ed|ing)?|expel(?:s|led|ling)?|readmit(?:s|ted)?)\s+",
                        re.IGNORECASE)
_MEMBERSHIP = re.compile(r"\bmembership\b", re.IGNORECASE)
_MEMBERS_OF = re.compile(r"\b(?:are|were|is|was|become|became|as)\s+(?:(?:the|all|both|its|founding|"
                         r"full|only|other|fellow|permanent)\s+)*members?\s+of\b", re.IGNORECASE)
_RELATIVE = re.compile(r"(?:,|--|—)[\"”'’]?\s*(?:which|who|whose)\b")
_RESTRICTIVE = re.compile(r"\s(?:that|which|who)\s+(?!is\b|are\b|was\b|were\b)(?:[a-z]+ly\s+)?[a-z]+(?:ed|s)\b")
# "X has the support of Y", "X enjoys no backing aside from Y": support received, not given.
_HAS_SUPPORT = re.compile(r"\b(?:has|have|had|enjoys?|enjoyed|receiv(?:e|es|ed)|w[io]n|gain(?:s|ed)?|"
                          r"lacks?|lacked|gets?|got)\s+((?:no|little|the|broad|wide|strong|full|any|"
                          r"international|its|their|[a-z]+ly|[a-z]+al)\s+){0,3}$", re.IGNORECASE)
_SUPPORT_GIVER = re.compile(r"[^.;:\"“”]{0,60}?\b(aside from|apart from|except(?: for)?|other than|from|of|by)"
                            r"\s+(?:the\s+)?(?:(?:nation|country|government|state|governments) of\s+)?",
                            re.IGNORECASE)
_ORG_ANAPHOR = re.compile(r"\s+(?:(?:to|on|upon|against|with|at|of|for)\s+)?the\s+(?:world\s+)?"
                          r"(council|organi[sz]ation|bloc|alliance|league)\b(?!\s+(?:of|for)\s+(?:the\s+)?(?-i:[A-Z]))",
                          re.IGNORECASE)
_PARTICIPLE = re.compile(r"^\w+ing\b")
_COND_BEFORE = re.compile(r"\b(?:if|whether)\b[^,;:\"“”]*$", re.IGNORECASE)


# -- logical sentences ---------------------------------------------------------------------------
def join_wrapped(text: str, sentences: Sequence[Sentence]) -> tuple[Sentence, ...]:
    """Rejoin sentences that a hard line wrap cut: a line that does not end a sentence and is
    followed, after a single line break, by the next line of the same paragraph."""
    out: list[Sentence] = []
    for s in sentences:
        if out:
            prev = out[-1]
            gap = text[prev.end:s.start]
            if gap.count("\n") == 1 and "\n\n" not in gap.replace("\r", "") and (
                    not _WRAP_END_OK.search(prev.text) or _DOTTED_END.search(prev.text)):
                out[-1] = Sentence(prev.start, s.end, text[prev.start:s.end])
                continue
        out.append(s)
    return tuple(out)


# -- quotations -----------------------------------------------------------------------------------
def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted text (double quotes, and single quotes used as quotation marks)."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for i, ch in enumerate(text):
        if ch in _OPEN_Q and ch not in _CLOSE_Q:
            opened = i
        elif ch in _CLOSE_Q and ch not in _OPEN_Q:
            if opened is not None:
                spans.append((opened, i + 1))
            opened = None
        elif ch == '"':
            if opened is None:
                opened = i
            else:
                spans.append((opened, i + 1))
                opened = None
        elif ch == "\n" and opened is not None and text[i + 1:i + 2] == "\n":
            # a paragraph break inside an open quotation: the quotation goes on in the next one
            continue
    if opened is not None:
        spans.append((opened, len(text)))
    if not spans:   # single quotes as quotation marks (some agencies)
        opens = [m.start() for m in _SINGLE_OPEN.finditer(text)]
        closes = [m.start() for m in _SINGLE_CLOSE.finditer(text)]
        j = 0
        last_end = -1
        for o in opens:
            if o < last_end:
                continue
            while j < len(closes) and closes[j] <= o:
                j += 1
            if j < len(closes):
                spans.append((o, closes[j] + 1))
                last_end = closes[j] + 1
    return spans


# -- the per-article state ------------------------------------------------------------------------
@dataclass
class EnState:
    """What the English reader remembers while it reads an article."""

    people: dict[str, str] = field(default_factory=dict)   # name token → actor key
    speaker: str | None = None                             # who spoke last (for pronouns)
    quotes: list[tuple[int, int]] = field(default_factory=list)
    quote_speaker: dict[int, list[str]] = field(default_factory=dict)   # quote start → holders
    sent_keys: dict[int, list[str]] = field(default_factory=dict)       # sentence start → speech holders
    subject: dict[int, list[str]] = field(default_factory=dict)         # sentence start → subject holders
    last_in_sentence: dict[int, list[str]] = field(default_factory=dict)


Token = tuple[int, int, str]   # (start, end, word)


def _tokens(text: str, a: int, b: int) -> list[Token]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, a, b)]


class _TokenIndex:
    """The tokens of a text, read once: the tokens of ``text[a:b]`` are a slice of them.

    A token regex has no lookaround, so reading from a token boundary finds the same tokens as
    reading the whole text; only a bound that cuts a token needs a fresh (truncated) read.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokens(text, 0, len(text))
        self.starts = [t[0] for t in self.toks]

    def between(self, a: int, b: int) -> list[Token]:
        """What ``_tokens(text, a, b)`` returns (a new list)."""
        a, b = max(a, 0), min(b, len(self.text))
        if b <= a:
            return []
        i = bisect_left(self.starts, a)
        j = bisect_left(self.starts, b)
        if (i and self.toks[i - 1][1] > a) or (j and self.toks[j - 1][1] > b):
            return _tokens(self.text, a, b)   # a bound inside a token
        return self.toks[i:j]


@lru_cache(maxsize=1 << 16)
def _bare(word: str) -> str:
    """The word lower-cased, without a possessive or a final abbreviation dot (memoised)."""
    w = word.lower()
    for suf in ("'s", "’s"):
        if w.endswith(suf):
            w = w[:-2]
    if w.endswith(".") and w.count(".") == 1:
        w = w[:-1]
    return w


def _is_name_token(word: str) -> bool:
    return word[:1].isupper() and _bare(word) not in _NOT_NAMES


def _word_ok_in_np(word: str) -> bool:
    """Whether a word can be part of a noun phrase that names a speaker."""
    b = _bare(word)
    return (word[:1].isupper() or b in TITLE_WORDS or b in _DETERMINERS or b in COREF_NOUNS
            or b in ORG_COREF or b in _NP_GLUE or b in PRONOUNS or b in _NAME_PARTICLES
            or b[:1].isdigit() or ("-" in b and b.split("-")[-1] in _ORG_COREF_NATION))


class EnglishReader:
    """The English holder logic, bound to one :class:`graph_builder.extract._Reader`."""

    def __init__(self, r: _Reader) -> None:
        self.r = r
        self.text = r.text
        self.st = EnState()
        self._toks = _TokenIndex(self.text)
        self.st.quotes = quote_spans(self.text)
        self._q_starts = [q0 for q0, _ in self.st.quotes]
        self._q_ends = [q1 for _, q1 in self.st.quotes]
        self._bounds_for: tuple[int, int] = (-1, -1)
        self._bounds: tuple[int, list[int]] = (0, [])
        for m in r.persons:   # "Ban Ki-moon" → "Ban" alone names him too
            for w in re.findall(r"[^\W\d_][\w'’\-]*", m.surface):
                self.st.people.setdefault(w.lower(), m.key)
        self._actor_mentions = sorted((m for m in (*r.mentions, *r.persons) if r.kind(m) in ACTOR_KINDS),
                                      key=lambda m: m.start)
        self._starts = [m.start for m in self._actor_mentions]
        self._orgs = [m for m in self._actor_mentions if r.kind(m) == "Organisation"]
        self._org_starts = [m.start for m in self._orgs]
        self._topics: dict[str, tuple[str, ...]] = {}

    # -- noun phrases -----------------------------------------------------------------------------
    def _mentions(self, a: int, b: int) -> list[Mention]:
        out = []
        for i in range(bisect_left(self._starts, a), len(self._starts)):
            m = self._actor_mentions[i]
            if m.start >= b:
                break
            if m.end <= b:
                out.append(m)
        return out

    def _followed_by_title(self, m: Mention, b: int) -> bool:
        words = self._toks.between(m.end, min(b, m.end + 40))[:3]
        for _, _, w in words:
            bw = _bare(w)
            if bw in TITLE_WORDS:
                return True
            if not (w[:1].isupper() or bw in ("'s", "’s", "s")):
                return False
        return self.text[m.end:m.end + 2] in ("'s", "’s") and False

    def _is_np_object(self, m: Mention, a: int) -> bool:
        words = [w for _, _, w in self._toks.between(max(a, m.start - 30), m.start)]
        while words and _bare(words[-1]) in _DETERMINERS:
            words.pop()
        return bool(words) and _bare(words[-1]) in _NP_OBJECT

    def _last_org(self, before: int, word: str) -> str | None:
        i = bisect_left(self._org_starts, before) - 1
        while i >= 0:
            m = self._orgs[i]
            if word != "council" or "council" in m.surface.lower():
                return m.key
            i -= 1
        return None

    def np_holders(self, a: int, b: int, *, learn: bool = True) -> tuple[list[str], str]:
        """The actors a noun phrase ``text[a:b]`` names as speaker, and how it names them."""
        ms = self._mentions(a, b)
        inst: list[Mention] = []
        plain: list[Mention] = []
        for m in ms:
            titled = m.via in ("ministry", "title", "person") or self._followed_by_title(m, b)
            if titled:
                inst.append(m)
                continue
            if m.via == "demonym" or self._is_np_object(m, a):
                continue
            plain.append(m)
        keys: list[str] = []
        how = ""
        if inst:
            keys = [inst[0].key]
            how = "inst"
        elif plain:
            keys = [plain[0].key]
            for prev, m in zip(plain, plain[1:], strict=False):
                between = {_bare(w) for _, _, w in self._toks.between(prev.end, m.start)}
                if between <= {",", "and", "the", "including", "both", "as", "well"}:
                    if m.key not in keys:
                        keys.append(m.key)
                else:
                    break
            how = "np"
        toks = self._toks.between(a, b)
        if not keys:
            for _, _, w in toks:
                k = self.st.people.get(_bare(w))
                if k and w[:1].isupper():
                    return [k], "person"
            low = [_bare(w) for _, _, w in toks]
            lowset = set(low)
            for w in low:
                if w in ORG_COREF or ("-" in w and w.split("-")[-1] in ORG_COREF):
                    k = self._last_org(a, w.split("-")[-1])
                    if k and ("the" in lowset or "its" in lowset):
                        return [k], "coref"
            if len(low) <= 2 and lowset & PRONOUNS and self.st.speaker:
                return [self.st.speaker], "pronoun"
            if lowset & COREF_NOUNS and ("the" in lowset or "its" in lowset or "today" in lowset) \
                    and self.st.speaker:
                return [self.st.speaker], "coref"
            return [], ""
        if learn and (inst or len(keys) == 1):
            covered = [(m.start, m.end) for m in ms]
            for s, _e, w in toks:
                if any(cs <= s < ce for cs, ce in covered):
                    continue
                if _is_name_token(w) and _bare(w) not in TITLE_WORDS and "." not in w.rstrip("."):
                    self.st.people.setdefault(_bare(w), keys[0])
        return keys, how

    def np_valid(self, a: int, b: int) -> bool:
        toks = self._toks.between(a, b)
        return bool(toks) and all(_word_ok_in_np(w) for _, _, w in toks)

    # -- subjects ---------------------------------------------------------------------------------
    def _clause_start(self, sent: Sentence, p: int) -> int:
        """Where the clause that ends at ``p`` begins (after a quote, dash, colon or clause word)."""
        start, ends = self._clause_bounds(sent)
        i = bisect_right(ends, p) - 1
        if i >= 0:
            start = ends[i]
        i = bisect_right(self._q_ends, p) - 1
        if i >= 0 and self._q_ends[i] > start:
            start = self._q_ends[i]
        return start

    def _clause_bounds(self, sent: Sentence) -> tuple[int, list[int]]:
        """The sentence's start (after a dateline) and the ends of its clause-opening tokens, read
        once per sentence so that finding a clause's start is a binary search, not a re-read."""
        if self._bounds_for != (sent.start, sent.end):
            text = self.text
            start = sent.start
            dl = _DATELINE.match(text, sent.start, sent.end)
            if dl:
                start = dl.end()
            ends = [e for _s, e, w in self._toks.between(start, sent.end)
                    if w in ("--", "—", "–", ";", ":", "(", ")", "\"", "“", "”") or _bare(w) in _CLAUSE_WORDS
                    or _bare(w) in _SPEECH_WORDS]
            self._bounds_for = (sent.start, sent.end)
            self._bounds = (start, ends)
        return self._bounds

    def subject_before(self, sent: Sentence, p: int) -> tuple[list[str], str]:
        """The subject of a verb at ``p``: the noun phrase right before it in its clause."""
        a = self._clause_start(sent, p)
        toks = self._toks.between(a, p)
        # drop auxiliaries, adverbs and times between the subject and the verb
        while toks and (_bare(toks[-1][2]) in _AUX or _bare(toks[-1][2]) in _TIME_WORDS
                        or (toks[-1][2].islower() and toks[-1][2].endswith("ly"))):
            toks.pop()
        if not toks:
            return [], ""
        if toks[-1][2] == ",":
            # an appositive ("Jane Doe, a spokeswoman for the ministry, said") or a participle
            pieces = [t for t in toks[:-1]]
            if pieces and not self.np_valid(pieces[0][0], pieces[-1][1]):
                # "After the meeting, the U.S. envoy, Jane Doe, said": the longest valid tail
                commas = [i for i, t in enumerate(pieces) if t[2] == ","]
                tail = next((pieces[i + 1:] for i in commas
                             if pieces[i + 1:] and self.np_valid(pieces[i + 1][0], pieces[-1][1])), [])
                pieces = tail if len(commas) >= 2 else []
            if not pieces:
                return [], "conj"
            return self.np_holders(pieces[0][0], pieces[-1][1])
        # the last comma piece, extended backwards over coordinated actors
        cut = max((i for i, t in enumerate(toks) if t[2] == ","), default=-1)
        piece = toks[cut + 1:]
        if not piece or not self.np_valid(piece[0][0], piece[-1][1]):
            return [], ""
        if _bare(piece[0][2]) in ("and", "but"):
            return [], "conj"
        keys, how = self.np_holders(piece[0][0], piece[-1][1])
        if keys and how in ("np", "inst") and cut >= 0:
            # "A, B and C backed": earlier pieces that are just a named actor join the subject
            j = cut
            while j >= 0:
                k = max((i for i in range(j) if toks[i][2] == ","), default=-1)
                prev = toks[k + 1:j]
                if not prev or not self.np_valid(prev[0][0], prev[-1][1]):
                    break
                pk, ph = self.np_holders(prev[0][0], prev[-1][1], learn=False)
                if not pk or ph not in ("np", "inst"):
                    break
                keys = [*pk, *[x for x in keys if x not in pk]]
                j = k
        return keys, how

    def subject_after(self, a: int, b: int) -> tuple[list[str], str]:
        """The subject of an inverted attribution (``"…," said Jane Doe, France's envoy``)."""
        m = _INVERTED_END.search(self.text, a, b)
        end = m.start() if m else b
        toks = self._toks.between(a, end)
        n = 0
        while n < len(toks) and _word_ok_in_np(toks[n][2]):
            n += 1
        while n and _bare(toks[n - 1][2]) in _NP_OBJECT | _DETERMINERS | {",", "of", "for", "and"}:
            n -= 1
        if not n:
            return [], ""
        return self.np_holders(a, toks[n - 1][1])

    # -- sentences --------------------------------------------------------------------------------
    def read_sentence(self, sent: Sentence) -> None:
        """Find who speaks in ``sent`` (speech verbs and the sentence subject) before its cues."""
        text = self.text
        holders: list[str] = []
        for sm in SPEECH_RX.finditer(text, sent.start, sent.end):
            word = sm.group(1).lower()
            if word == "according to":
                keys, how = self.subject_after(sm.end(), sent.end)
            else:
                before = text[max(sent.start, sm.start() - 3):sm.start()].rstrip()
                if before[-1:] in ",\"”'’" and not before.endswith("s'") and sm.group(1).islower() \
                        and word not in ("saying",):
                    keys, how = self.subject_after(sm.end(), sent.end)
                    if not keys:
                        keys, how = self.subject_before(sent, sm.start())
                elif word == "saying":
                    keys = self.st.last_in_sentence.get(sent.start) or self.sentence_subject(sent)[0]
                    how = "part"
                else:
                    keys, how = self.subject_before(sent, sm.start())
            if keys:
                holders = keys
                if how != "pronoun" and len(keys) == 1:
                    self.st.speaker = keys[0]
                break
        self.st.sent_keys[sent.start] = holders
        subj = self.sentence_subject(sent)
        self.st.subject[sent.start] = subj[0]
        if holders:
            # the quotations this sentence holds or closes (one may have begun sentences earlier)
            i = bisect_left(self._q_ends, sent.start - 1)
            while i < len(self.st.quotes) and self.st.quotes[i][0] < sent.end:
                self.st.quote_speaker.setdefault(self.st.quotes[i][0], holders)
                i += 1
        elif len(subj[0]) == 1 and subj[1] in ("inst", "person"):
            # a titled person or an institution opens the sentence: the next "he" is them
            self.st.speaker = subj[0][0]

    def sentence_subject(self, sent: Sentence) -> tuple[list[str], str]:
        """The actor(s) the sentence opens with, when it opens with a noun phrase and a verb."""
        text = self.text
        a = sent.start
        dl = _DATELINE.match(text, sent.start, sent.end)
        if dl:
            a = dl.end()
        toks = self._toks.between(a, sent.end)
        end = None
        named_after = False   # "The Ruritanian envoy, Ambassador Jane Doe, said"
        for i, (s, _e, w) in enumerate(toks):
            if w in (",", "--", "—", "–"):
                nxt = toks[i + 1][2] if i + 1 < len(toks) else ""
                if w == "," and _bare(nxt) not in ("a", "an", "the") and not nxt[:1].islower():
                    named_after = True
                end = s
                break
            if not _word_ok_in_np(w) or (i and _bare(w) in _AUX):
                end = s
                break
        if end is None or end <= a:
            return [], ""
        keys, how = self.np_holders(a, end)
        if named_after and how != "inst":
            # "Britain, France and Germany …": a list, not a titled subject with its name after it
            return [], ""
        return keys, how

    def agent_after(self, start: int, end: int) -> list[str]:
        """The agent of a passive or nominal cue: "was condemned by X", "appeals from X"."""
        text = self.text
        m = _AGENT.match(text, end)
        if not m:
            return []
        word = text[start:end].lower()
        passive = bool(_PASSIVE_BEFORE.search(text, max(0, start - 20), start))
        nominal = not (word.endswith("ed") or word.endswith("ing"))
        if not (passive and m.group(1).lower() == "by") and not (nominal and not passive):
            return []
        i = bisect_left(self._starts, m.end())
        while i < len(self._starts) and self._starts[i] == m.end():
            mm = self._actor_mentions[i]
            if mm.via != "demonym":
                return [mm.key]
            i += 1
        return []

    def target_scope_end(self, start: int, scope_end: int) -> int:
        """A cue inside a quotation is about what the quotation names, not its attribution; a
        relative clause (", which is made up of …") describes, it is not what the stance is about."""
        q = self._in_quote(start)
        end = min(scope_end, q[1]) if q else scope_end
        rel = _RELATIVE.search(self.text, start, end)
        return rel.start() if rel else end

    def support_received(self, sent: Sentence, start: int, end: int) -> tuple[str, str] | Literal[False] | None:
        """"Russia has no support for that aside from Nicaragua" (Nicaragua backs Russia), "X has
        the backing of Y": (giver, receiver); False when support is said to be missing ("lacks
        the support of Y"); None when the cue is not support received."""
        text = self.text
        word = text[start:end].lower()
        if word not in ("support", "backing"):
            return None
        has = _HAS_SUPPORT.search(text, max(sent.start, start - 60), start)
        if not has:
            return None
        missing = bool(re.search(r"\b(?:no|lacks?|lacked)\b", has.group(), re.IGNORECASE))
        giver_m = _SUPPORT_GIVER.match(text, end, sent.end)
        if not giver_m:
            return False if missing else None
        exception = giver_m.group(1).lower() not in ("from", "of", "by")
        if missing and not exception:
            return False
        i = bisect_left(self._starts, giver_m.end())
        giver = self._actor_mentions[i] if i < len(self._starts) and self._starts[i] == giver_m.end() else None
        receiver, _ = self.subject_before(sent, has.start())
        if giver is None or len(receiver) != 1 or receiver[0] == giver.key:
            return False if missing else None
        return giver.key, receiver[0]

    def org_anaphor(self, a: int, b: int, holder: str) -> str | None:
        """The organisation "the council", "the organization", "the bloc" right after a cue refers
        to (the last one named whose name fits), when it is not the holder."""
        m = _ORG_ANAPHOR.match(self.text, a, b)
        if not m:
            return None
        word = m.group(1).lower()
        key = self._last_org(a, "council" if word == "council" else "")
        return key if key and key != holder else None

    def relative_start(self, a: int, b: int) -> int:
        """Where a relative clause ("… that damaged X", "… which killed Y") opens in text[a:b]."""
        m = _RESTRICTIVE.search(self.text, a, b)
        return m.start() if m else b

    def main_topic(self, holder: str) -> tuple[str, ...]:
        """What the article is about when a stance names nothing: the state or conflict it names
        most often (the first of equals), other than the holder."""
        if holder in self._topics:
            return self._topics[holder]
        counts: dict[str, int] = {}
        for m in self.r.mentions:
            if m.key != holder and m.via in ("name", "demonym") \
                    and self.r.kind(m) in ("State", "Conflict"):
                counts[m.key] = counts.get(m.key, 0) + 1
        best = max(counts.values(), default=0)
        topic = tuple(k for k, n in counts.items() if n == best)[:1]
        self._topics[holder] = topic
        return topic

    def attribution_after(self, q1: int) -> list[str]:
        """Who a quotation ending at ``q1`` is attributed to (``…," Doe said.`` / ``…," said Doe``)."""
        text = self.text
        stop = text.find(".", q1, q1 + 160)
        stop = stop if stop >= 0 else min(len(text), q1 + 160)
        sm = SPEECH_RX.search(text, q1, stop)
        if not sm or len(self._toks.between(q1, sm.start())) > 8:
            return []
        if not text[q1:sm.start()].strip(" ,\n"):
            keys, _ = self.subject_after(sm.end(), stop + 1)
            return keys
        a = q1
        while a < sm.start() and text[a] in " ,\n\"'”’":
            a += 1
        if not self.np_valid(a, sm.start()):
            return []
        keys, _ = self.np_holders(a, sm.start(), learn=False)
        return keys

    def _in_quote(self, pos: int) -> tuple[int, int] | None:
        i = bisect_left(self._q_starts, pos) - 1
        if i >= 0 and pos < self.st.quotes[i][1]:
            return self.st.quotes[i]
        return None

    def holders_for(self, sent: Sentence, start: int, end: int, role: str) -> tuple[list[str], str]:
        """The holders of a cue at ``text[start:end]`` in ``sent``."""
        text = self.text
        if _COND_BEFORE.search(text, max(sent.start, start - 60), start):
            return [], ""
        cue_word = text[start:end].lower()
        participle = bool(_PARTICIPLE.match(cue_word)) or role == "part"
        quote = self._in_quote(start)
        agent = self.agent_after(start, end)
        if agent:
            return agent, "agent"
        if role in ("verb", "frame", "blame") and not participle:
            keys, how = self.subject_before(sent, start)
            if keys and (not quote or how in ("np", "inst")):
                return keys, "svo" if how in ("np", "inst") else how
        if quote:
            keys = self.st.quote_speaker.get(quote[0]) or self.attribution_after(quote[1]) \
                or self.st.sent_keys.get(sent.start) or []
            if not keys and self.st.speaker:
                keys = [self.st.speaker]
            if keys:
                return list(keys), "speech"
        said = self.st.sent_keys.get(sent.start)
        if said:
            return list(said), "speech"
        prev = self.st.last_in_sentence.get(sent.start)
        if prev:
            return list(prev), "part"
        subj = self.st.subject.get(sent.start)
        if subj:
            return list(subj), "subject"
        return [], ""

    def note(self, sent: Sentence, holders: Iterable[str], rule: str = "") -> None:
        """Record the holders of a stance: the floor passes to them (not to a passive agent)."""
        hs = list(holders)
        self.st.last_in_sentence[sent.start] = hs
        if len(hs) == 1 and rule != "agent":
            self.st.speaker = hs[0]

    # -- memberships ------------------------------------------------------------------------------
    def memberships(self, sentences: Sequence[Sentence]) -> list[tuple[str, str]]:
        """Memberships English states without the word "member": "Iran and Algeria … in the
        57-nation body" (the organisation last named), "the bloc suspended Syria from membership"."""
        out: list[tuple[str, str]] = []
        kind = self.r.kind
        for sent in sentences:
            body = _N_NATION_BODY.search(self.text, sent.start, sent.end)
            if body:
                org = self._last_org(body.start(), "")
                states = [m for m in self._mentions(sent.start, body.start())
                          if kind(m) == "State" and m.via == "name"]
                if org:
                    out.extend((m.key, org) for m in states)
            mof = _MEMBERS_OF.search(self.text, sent.start, sent.end)
            if mof:
                org_m = next((m for m in self._mentions(mof.end(), sent.end)
                              if kind(m) == "Organisation"), None)
                states = [m for m in self._mentions(sent.start, mof.start())
                          if kind(m) == "State" and m.via == "name"]
                if org_m is not None and org_m.start < sent.end:
                    out.extend((m.key, org_m.key) for m in states)
            sus = _SUSPENDED.search(self.text, sent.start, sent.end)
            if sus and _MEMBERSHIP.search(self.text, sus.end(), sent.end):
                nxt = next(iter(self._mentions(sus.end(), sent.end)), None)
                org = self._last_org(sus.start(), "")
                if nxt is not None and nxt.start - sus.end() <= 4 and kind(nxt) == "State" and org:
                    out.append((nxt.key, org))
        return list(dict.fromkeys(out))

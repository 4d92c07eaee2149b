"""Cue lexicons: the words that carry a stance, in Arabic and English, with the type each signals.

Arabic patterns are written in *normalised* form (see :mod:`graph_builder.normalize`: no hamza
seats, ``ة`` → ``ه``, ``ى`` → ``ي``) and match a whole word, after the proclitics و/ف. Each cue has
a *role*:

- ``verb``: a finite verb; its subject (the holder) follows it (VSO) or precedes it (SVO);
- ``part``: a participle or a circumstantial (مؤكدا، داعين, "urging"); its holder is the holder of
  the clause it hangs on;
- ``noun``: a verbal noun (إدانة، قلق، "concern"); it signals a stance when framed (أعرب عن…،
  possessive) or when the sentence has a holder;
- ``eval``: a judgement with no stance verb (غير مقبول، استفزاز، لا أساس له; "unacceptable",
  "atrocious", "dangerous"): a negative judgement of an actor or an action is a Condemnation or a
  Rejection, a worry a Concern. It is a stance only where the sentence gives it a holder (a
  speaker, a quotation, an earlier stance of the same sentence), never of the subject it judges;
- ``frame``: a verb that only frames another cue (أكد، شدد، أعرب، عبر; "stressed", "expressed"):
  with a cue after it, the frame and the cue make one stance of the cue's type; alone, ``أكد`` and
  ``شدد`` are an Affirmation and ``أعرب`` is nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Cue:
    pattern: str
    type: str        # a stance type, or "Frame" for frame verbs
    role: str        # verb | part | noun | frame
    lang: str


# Arabic: (regex over normalised words, type, role). Alternatives are whole words.
_AR: list[tuple[str, str, str]] = [
    # Condemnation
    (r"ادان(?:ت|وا|ا)?|دان(?:ت|وا)?|[يتن]دين(?:ون|ان)?", "Condemnation", "verb"),
    (r"مدينا|مدينين", "Condemnation", "part"),
    (r"ادان(?:ه|ته|تها|تهم)", "Condemnation", "noun"),
    (r"استنكر(?:ت|وا)?|[يتن]ستنكر(?:ون)?", "Condemnation", "verb"),
    (r"مستنكرا|مستنكرين", "Condemnation", "part"),
    (r"استنكار(?:ا|ه|ها|هم)?", "Condemnation", "noun"),
    (r"شجب(?:ت|وا)?|[يتن]شجب(?:ون)?|شاجبا", "Condemnation", "verb"),
    (r"انتقد(?:ت|وا)?|[يتن]نتقد(?:ون)?", "Condemnation", "verb"),
    (r"منتقدا|منتقدين", "Condemnation", "part"),
    (r"اتهم(?:ت|وا)?|[يتن]تهم(?:ون)?", "Condemnation", "verb"),
    (r"متهما|متهمين", "Condemnation", "part"),
    # "تبادل الطرفان الاتهامات": an exchange of accusations (see extract._reciprocal)
    (r"[يت]?تبادل(?:ت|ا|وا|ان)?(?= (?:\S+ ){0,2}?(?:ال)?اتهامات)", "Condemnation", "verb"),
    (r"حمل(?:ت|وا)?|[يت]حمل|تحملان", "Condemnation", "blame"),
    (r"محملا|محملين|محمله", "Condemnation", "part"),  # a participle: what follows is the one blamed
    # Call
    (r"دعا|دعت|دعوا|[يتن]دعو(?:ن)?|[يت]دعوان", "Call", "verb"),
    (r"داعيا|داعين|داعيه", "Call", "part"),
    (r"دعوه|دعوتها|دعوته|دعوتهم|دعوات", "Call", "noun"),
    (r"ناشد(?:ت|وا)?|[يتن]ناشد(?:ون)?", "Call", "verb"),
    (r"مناشدا|مناشدين", "Call", "part"),
    (r"حث(?:ت|وا)?|[يتن]حث(?:ون)?|حاثا", "Call", "verb"),
    (r"حض(?:ت|وا)?|[يتن]حض(?:ون)?", "Call", "verb"),
    (r"ضروره|بضروره|اهميه|باهميه|الحاجه", "Call", "need"),
    (r"يجب|ينبغي|لابد|لا بد", "Call", "need"),
    # Demand
    (r"طالب(?:ت|وا)?|[يتن]طالب(?:ون)?", "Demand", "verb"),
    (r"مطالبا|مطالبين|مطالبه", "Demand", "part"),
    # Concern
    (r"قلق(?:ه|ها|هم|نا)?|بقلق|القلق|قلقه|قلقون", "Concern", "noun"),
    (r"مخاوف(?:ه|ها|هم)?|انزعاج(?:ه|ها)?", "Concern", "noun"),
    (r"حذر(?:ت|وا)?|[يتن]حذر(?:ون)?", "Concern", "verb"),
    (r"محذرا|محذرين", "Concern", "part"),
    (r"تحذير(?:ه|ها|ات)?", "Concern", "noun"),
    (r"اسف(?:ه|ها|هم)?", "Concern", "noun"),
    # Support
    (r"دعم(?:ه|ها|هم|نا)?|تاييد(?:ه|ها|هم)?|تضامن(?:ه|ها|هم)?|مسانده|ودعن", "Support", "noun"),
    (r"دعمت|دعموا|[يتن]دعم(?:ون)?|ايد(?:ت|وا)?|[يتن]ويد(?:ون)?|ساند(?:ت|وا)?|[يت]ساند", "Support", "verb"),
    (r"اشاد(?:ت|وا)?|[يتن]شيد(?:ون)?", "Support", "verb"),
    (r"مشيدا|مشيدين|اشادته|اشادتها", "Support", "part"),
    (r"ثمنت|ثمنوا|[يتن]ثمن(?:ون)?", "Support", "verb"),
    (r"ثمن", "Support", "verb"),   # also the noun "price": only as a clause's first word
    (r"مثمنا", "Support", "part"),
    (r"تضامنها|تضامنه|وقوفها|وقوفه", "Support", "noun"),
    # Welcome
    (r"رحب(?:ت|وا)?|[يتن]رحب(?:ون)?", "Welcome", "verb"),
    (r"مرحبا|مرحبين|ترحيب(?:ه|ها|هم)?", "Welcome", "part"),
    # Commitment
    (r"التزام(?:ه|ها|هم|نا)?|ملتزم(?:ه|ون|ين)?", "Commitment", "noun"),
    (r"تعهد(?:ت|وا)?|[يتن]تعهد(?:ون)?", "Commitment", "verb"),
    (r"متعهدا", "Commitment", "part"),
    # Rejection
    (r"رفض(?:ت|وا|ته|تها)?|[يتن]رفض(?:ون)?", "Rejection", "verb"),
    (r"رافضا|رافضين", "Rejection", "part"),
    (r"رفض(?:ه|ها|هم)|رفضا", "Rejection", "noun"),
    (r"مرفوض(?:ه)?", "Rejection", "noun"),
    (r"نفي|نفت|نفوا|[يت]نفي|نافيا|نفته", "Rejection", "verb"),
    (r"اعترض(?:ت|وا)?|[يت]عترض", "Rejection", "verb"),
    # "لن نقبل", "لا تقبل": a refusal (قبل alone is mostly "before")
    (r"(?:لا|لن|لم) [يتن]قبل(?:ون|وا|ان)?", "Rejection", "verb"),
    # Evaluative judgements (see ``eval`` above)
    (r"غير (?:ال)?مقبول(?:ه|ين)?|غير (?:ال)?مبرر(?:ه)?|لا اساس (?:له|لها|لهم)(?: من الصحه)?|"
     r"عار(?:يه)? (?:تماما )?عن الصحه|ليس(?:ت)? (?:مناسب(?:ا|ه)|مقبول(?:ا|ه))|(?:ال)?باطل(?:ه)?",
     "Rejection", "eval"),
    (r"(?:ال)?استفزاز(?:ي|يه|يا)|(?:ال)?جاير(?:ه|ا)?|(?:ال)?(?:انتهاك|خرق)(?:ا)? (?:ال)?(?:صارخ|فاضح|سافر)(?:ا)?|"
     r"(?:ال)?(?:انتهاكات|خروقات) (?:ال)?(?:صارخه|فاضحه|سافره)|غير (?:ال)?مسوول(?:ه)?|(?:ال)?همجي(?:ه)?|"
     r"(?:ال)?شنيع(?:ه)?", "Condemnation", "eval"),
    # Affirmation and frames
    (r"اكد(?:ت|وا)?|[يتن]وكد(?:ون)?", "Affirmation", "frame"),
    (r"شدد(?:ت|وا)?|[يتن]شدد(?:ون)?", "Affirmation", "frame"),
    (r"موكدا|موكدين|موكده|مشددا|مشددين|مشدده", "Affirmation", "partframe"),
    (r"اعتبر(?:ت|وا)?|[يتن]عتبر(?:ون)?", "Affirmation", "verb"),
    (r"وصف(?:ت|وا)?|[يتن]صف(?:ون|ان)?", "Affirmation", "verb"),
    (r"معتبرا|معتبرين", "Affirmation", "part"),
    (r"اعرب(?:ت|وا)?|[يتن]عرب(?:ون)?|عبر(?:ت|وا)?|[يت]عبر|اعربت", "Frame", "frame"),
    (r"جدد(?:ت|وا)?|[يتن]جدد(?:ون)?", "Frame", "frame"),   # "جددت X رفضها/دعمها"
    (r"معربا|معربين|معربه", "Frame", "partframe"),
    (r"اشار(?:ت|وا)?|[يت]شير", "Frame", "frame"),
    (r"مشيرا|مشيرين|مشيره", "Frame", "partframe"),
]

#: Arabic cues that carry a stance only with a given word soon after them (normalised text, the
#: next 60 characters): حمّل blames only with "المسؤولية" ("تحمل الشعب معاناة" is endurance);
#: اعترض objects only "على" something ("اعترضت صاروخا" is an interception).
AR_REQUIRES_AFTER: dict[str, re.Pattern[str]] = {
    r"حمل(?:ت|وا)?|[يت]حمل|تحملان": re.compile(r"مسوولي"),
    r"محملا|محملين|محمله": re.compile(r"مسوولي"),
    r"اعترض(?:ت|وا)?|[يت]عترض": re.compile(r"^\W*(?:\w+\W+){0,2}?علي(?!\w)"),
}

#: Arabic cues whose bare form is also a common noun: a cue only where a verb opens its clause
#: (after و/ف, a comma, the sentence start, or كما/قد), not inside a noun phrase ("ثمن الحل").
AR_CLAUSE_INITIAL: frozenset[str] = frozenset({r"ثمن"})
AR_CLAUSE_OPENERS = re.compile(r"(?:^|[،,:\"'(]|(?<!\w)(?:كما|قد|وقد|فقد|كذلك|ايضا))\s*$")

# English: regex over casefolded text; whole words.
_EN: list[tuple[str, str, str]] = [
    (r"condemn(?:s|ed|ing)?|denounc(?:e|es|ed|ing)|deplor(?:e|es|ed|ing)|"
     r"criticis(?:e|es|ed|ing)|criticiz(?:e|es|ed|ing)|accus(?:e|es|ed|ing)|blam(?:e|es|ed|ing)|"
     r"complain(?:s|ed|ing)?", "Condemnation", "verb"),
    (r"condemnation|denunciation|criticism", "Condemnation", "noun"),
    (r"call(?:s|ed|ing)? (?:on|for|upon)|urg(?:e|es|ed|ing)|appeal(?:s|ed|ing)? (?:to|for)|"
     r"appeal(?:s|ed)?|ask(?:s|ed|ing)?(?=\s+(?:[\w.'’-]+\s+){1,4}?to\s)", "Call", "verb"),
    # "must", "should", "the need to": what the speaker says has to be done
    (r"must|should|(?:has|have|had) to|needs? to|(?:the )?need (?:for|to)", "Call", "need"),
    (r"demand(?:s|ed|ing)?|insist(?:s|ed|ing)?", "Demand", "verb"),
    (r"concern(?:s)?|concerned|alarm(?:ed)?|worried|worry|regret(?:s|ted)?|disappointed|disappointment",
     "Concern", "noun"),
    (r"warn(?:s|ed|ing)?", "Concern", "verb"),
    (r"support(?:s|ed|ing)?|back(?:s|ed|ing)|prais(?:e|es|ed|ing)|commend(?:s|ed|ing)?|"
     r"applaud(?:s|ed|ing)?|endors(?:e|es|ed|ing)|encourag(?:e|es|ed|ing)|hail(?:s|ed)?",
     "Support", "verb"),
    (r"welcom(?:e|es|ed|ing)", "Welcome", "verb"),
    # "committed to"/"commits itself to"; not the passive "crimes committed against"
    (r"commit(?:s|ted)?(?=\s+(?:itself\s+|themselves\s+|himself\s+|herself\s+)?to\b)|pledg(?:e|es|ed)",
     "Commitment", "verb"),
    (r"commitments?", "Commitment", "noun"),
    (r"reject(?:s|ed|ing)?|refus(?:e|es|ed|ing)|den(?:y|ies|ied)|oppos(?:e|es|ed|ing)",
     "Rejection", "verb"),
    # "will not accept", "won't tolerate": a refusal ("accepted the plan" alone is no cue)
    (r"(?:not|never|cannot|(?:won|don|doesn|didn|can|wouldn)['’]t)\s+(?:\w+\s+)?"
     r"(?:accept|tolerate|allow)(?:s|ed)?", "Rejection", "verb"),
    # Evaluative judgements (see ``eval`` above)
    (r"unacceptable|not acceptable|preposterous|groundless|baseless|absurd|unfounded|unjustified",
     "Rejection", "eval"),
    (r"atrocious|outrageous|disgrace(?:ful)?|deplorable|reprehensible|provocati(?:ve|on|ons)|"
     r"irresponsible|heinous|barbaric|(?:flagrant|blatant) violations?|unconstructive|counterproductive|"
     r"counter-productive|destabili[sz]ing|aggression", "Condemnation", "eval"),
    (r"dangerous|disturbing|troubling|worrying|alarming", "Concern", "eval"),
    (r"opposition to", "Rejection", "noun"),
    (r"claim(?:s|ed)?(?=\s+that\b)", "Affirmation", "verb"),
    (r"affirm(?:s|ed)?|reaffirm(?:s|ed)?|stress(?:es|ed)?|underscor(?:e|es|ed)|emphasi[sz](?:e|es|ed)",
     "Affirmation", "frame"),
    (r"express(?:es|ed)?|voic(?:e|es|ed)", "Frame", "frame"),
    (r"expressing|voicing", "Frame", "partframe"),
]


def _combine(entries: list[tuple[str, str, str]], lang: str) -> tuple[re.Pattern[str], tuple[Cue, ...]]:
    """One regex for the whole lexicon (one scan per sentence): alternative ``c<i>`` is cue ``i``.

    Every cue is a whole word (or words), so at a given start at most the alternatives matching the
    same whole span compete, and the first listed wins, as it does when the cues are tried one by one.
    The Arabic proclitic is tried lazily, so a cue that begins with و/ف (وصف) is preferred to the
    same word read as a clitic and a shorter cue, again as when tried one by one.
    """
    alts = "|".join(f"(?P<c{i}>{pattern})" for i, (pattern, _, _) in enumerate(entries))
    if lang == "ar":
        rx = re.compile(r"(?<![\w])(?:و|ف)??(?:" + alts + r")(?![\w])")
    else:
        rx = re.compile(r"\b(?:" + alts + r")\b")
    return rx, tuple(Cue(p, t, r, lang) for p, t, r in entries)


#: The lexicon of each language as one regex and its cues by alternative number.
CUE_MATCHERS: dict[str, tuple[re.Pattern[str], tuple[Cue, ...]]] = {
    "ar": _combine(_AR, "ar"), "en": _combine(_EN, "en")}

# Principles: normalised Arabic / casefolded English keywords.
PRINCIPLE_PATTERNS: dict[str, dict[str, str]] = {
    "ar": {
        "TwoStateSolution": r"حل الدولتين|مبدا الدولتين|دولتين",
        "Sovereignty": r"سياد(?:ه|ته|تها)|استقلال(?:ه|ها)?",
        "TerritorialIntegrity": r"وحده|سلامه اراضي|سلامته الاقليميه|السلامه الاقليميه|سلامه وحده",
        "NonInterference": r"عدم التدخل|التدخل في الشو|شوونه الداخليه|الشوون الداخليه",
        "PoliticalSolution": r"الحل السياسي|حل سياسي|تسويه سياسيه|حلا سياسيا|الحوار",
        "Ceasefire": r"وقف اطلاق النار|وقف النار|الهدنه|التهدئه|وقف العنف|وقف القتال",
        "Negotiations": r"مفاوضات|المفاوضات|التفاوض|محادثات",
        "CounterTerrorism": r"الارهاب|الارهابيه|مكافحه الارهاب",
        "HumanitarianAid": r"انساني|الانسانيه|المساعدات|الاغاثه|مساعده",
        "InternationalLaw": r"القانون الدولي|الشرعيه الدوليه|قرارات مجلس الامن|القرار \d+|قرارات الامم",
        "HumanRights": r"حقوق الانسان|انتهاكات",
        "Investigation": r"تحقيق|التحقيق|لجنه تقصي",
        "Sanctions": r"عقوبات|العقوبات|حظر",
    },
    "en": {
        "TwoStateSolution": r"two-state|two state",
        "Sovereignty": r"sovereignty|independence",
        "TerritorialIntegrity": r"territorial integrity|unity of",
        "NonInterference": r"non-interference|interference in",
        "PoliticalSolution": r"political solution|political settlement|political process|dialogue",
        "Ceasefire": r"cease-?fire|truce|end (?:to|of) (?:the |all )?(?:violence|fighting|hostilities)",
        "Negotiations": r"negotiation|talks",
        "CounterTerrorism": r"terroris",
        "HumanitarianAid": r"humanitarian|aid\b|relief",
        "InternationalLaw": r"international law|security council resolution|resolution \d+",
        "HumanRights": r"human rights|abuses|rights of",
        "Investigation": r"investigat|inquiry|probe",
        "Sanctions": r"sanction|embargo",
    },
}
PRINCIPLES_RX: dict[str, dict[str, re.Pattern[str]]] = {
    lang: {name: re.compile(p) for name, p in table.items()} for lang, table in PRINCIPLE_PATTERNS.items()
}

#: Words in a genitive before an entity that make it a reference, not what the stance is about
#: ("قرارات مجلس الأمن", "under the auspices of the UN").
AR_REFERENCE_WORDS = frozenset(
    "قرار قرارات لقرارات بقرارات القرار رعايه اشراف ميثاق اطار مظله وساطه مبادره بيان "
    # venues: "the ambassador to the UN", "a session of the Security Council"
    "لدي جلسه اجتماع برياسه رياسه".split())
#: Meetings: an organ named as where a meeting is held is a venue, not a target.
AR_VENUE_WORDS = frozenset("اجتماع اجتماعا الاجتماع جلسه الجلسه جلسات دوره الدوره قمه القمه".split())
EN_VENUE_WORDS = frozenset("meeting session sessions summit".split())
EN_REFERENCE_WORDS = frozenset("resolution resolutions auspices charter framework mediation".split())
#: Diplomats "to" an organisation or a state: the posting is a reference, not a target.
EN_POSTING_WORDS = frozenset(
    "ambassador ambassadors envoy envoys representative representatives delegate delegates delegation "
    "mission observer".split())

#: Phrases that keep the previous topic ("وفي ذات السياق").
CONTEXT_CARRY = {
    "ar": re.compile(r"(?:في|وفي|وفى|في) "
                     r"(?:ذات السياق|السياق ذاته|السياق نفسه|نفس السياق|هذا السياق|هذا الصدد)"),
    "en": re.compile(r"\b(?:in the same context|in this context|in this regard|meanwhile)\b"),
}

#: Words that negate the cue right after them.
NEGATION = {"ar": re.compile(r"(?:^|\s)(?:لا|لم|لن|ليس|ليست|غير|عدم)\s+$"),
            "en": re.compile(r"\b(?:not|never|no longer|n't|refused to|declined to)\s+(?:\w+\s+)?$")}

#: Words right before an entity that make it an object, not a subject (Arabic, normalised).
AR_OBJECT_PREPOSITIONS = frozenset(
    "الي علي عن في من ضد مع بين لدي حول تجاه ازاء بشان لصالح نحو بحق عبر".split())
EN_OBJECT_PREPOSITIONS = frozenset(
    "to on against with about over in at for from of by toward towards into between upon".split())

#: Who speaks for whom: persons often quoted (their institution holds the stance).
PERSONS: dict[str, dict[str, str]] = {
    "ar": {"غوتيريش": "UN", "غوتيرس": "UN", "جوتيريش": "UN", "بان كي مون": "UN",
           "ابو الغيط": "ARAB_LEAGUE", "ابوالغيط": "ARAB_LEAGUE",
           # the Arab foreign ministers meeting as the League's council speak for the League
           "وزرا الخارجيه العرب": "ARAB_LEAGUE"},
    "en": {"guterres": "UN", "ban ki-moon": "UN", "kofi annan": "UN", "aboul gheit": "ARAB_LEAGUE",
           # long-serving voices of their institutions
           "churkin": "RUS", "lavrov": "RUS", "nebenzia": "RUS", "stoltenberg": "NATO"},
}

"""Tell Arabic from English (and from everything else) by script counts and function words.

mawqif reads only Arabic (``"ar"``) and English (``"en"``). :func:`detect_language` answers one of
those two or ``None``; it never guesses a third language. The rule:

* count letters by script over the first :data:`ENOUGH_LETTERS` letters of the text (the scan
  stops there, so the cost is bounded whatever the length of the article);
* Arabic script is more than half the letters → ``"ar"``, unless Persian or Urdu function words
  outnumber Arabic ones (Persian and Urdu are written in the same script);
* Latin script is more than half the letters → ``"en"`` if common English function words occur
  (at least one in a short text, two in a longer one) and outnumber those of French, Spanish,
  German, Italian, Portuguese and Dutch;
* otherwise (Cyrillic, Chinese, Hebrew …, an even mix, no letters at all) → ``None``.

>>> detect_language("أدانت فرنسا الهجوم على المدنيين في المدينة.")
'ar'
>>> detect_language("France condemned the attack on the city.")
'en'
>>> detect_language("La France a condamné l'attaque contre la ville.") is None
True
>>> detect_language("") is None
True
"""
from __future__ import annotations

import re

__all__ = ["ENOUGH_LETTERS", "SUPPORTED_LANGUAGES", "detect_language"]

#: The languages mawqif reads.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("ar", "en")

#: The scan stops once it has seen this many letters.
ENOUGH_LETTERS = 3000

# A word: a letter followed by letters, combining marks (Arabic harakat, superscript alef, Quranic
# marks), tatweel, or zero-width (non-)joiners.
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d])*")
# What is stripped from an Arabic-script word before looking it up.
_ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d]")
_ALEF_VARIANTS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي"})

_ARABIC_WORDS = frozenset({
    "في", "من", "علي", "الي", "عن", "ان", "مع", "التي", "الذي", "الذين", "هذا", "هذه", "ذلك",
    "كان", "كانت", "قد", "لقد", "كما", "بين", "لا", "لم", "لن", "ما", "بعد", "قبل", "قال", "وقال",
    "اكد", "وفي", "ومن", "حول", "ضد", "حيث", "الا", "او", "ثم", "منذ", "خلال", "عبر", "لدي", "اي",
})
_ARABIC_ARTICLE_PREFIXES = ("ال", "وال", "بال", "فال", "كال", "لل")

# Persian and Urdu words that Arabic does not use (spelt with the Persian kaf/yeh where they have
# them, as Persian and Urdu text is).
_PERSIAN_URDU_WORDS = frozenset({
    "در", "از", "که", "را", "است", "این", "برای", "یک", "شد", "شده", "کرد", "کند", "می", "های",
    "ها", "خود", "نیز", "بود", "باید", "وی", "دارد", "کے", "کی", "میں", "ہے", "ہیں", "سے", "اور",
    "کو", "نے", "پر", "کا", "بھی", "کہ", "یہ", "وہ",
})
# Letters of the Arabic script that Arabic itself does not use.
_NON_ARABIC_LETTERS = frozenset("پچژگکیٹڈڑںےہھۓ")

_ENGLISH_WORDS = frozenset({
    "the", "of", "and", "to", "is", "was", "were", "that", "for", "with", "from", "by", "this",
    "which", "has", "have", "had", "said", "will", "would", "its", "it", "are", "be", "been", "an",
    "at", "not", "after", "their", "they", "he", "she", "his", "her", "who", "against", "over",
    "on", "in", "as", "or", "but", "also", "into", "than", "we", "our", "called", "must", "should",
})
_OTHER_LATIN_WORDS = frozenset({
    # French
    "le", "les", "des", "du", "et", "est", "une", "dans", "pour", "qui", "sur", "avec", "au", "aux",
    "pas", "ce", "cette", "sont", "été", "leur", "ont", "mais", "par",
    # Spanish / Portuguese / Italian
    "el", "los", "las", "del", "por", "para", "con", "una", "que", "se", "lo", "su", "sus", "y",
    "il", "di", "che", "della", "delle", "per", "sono", "gli", "um", "uma", "não", "os", "da",
    "dos", "das", "em", "ao", "é", "è", "más", "pero", "como", "fue",
    # German / Dutch
    "der", "die", "und", "ist", "nicht", "mit", "von", "zu", "ein", "eine", "sie", "dem",
    "den", "auf", "sich", "het", "een", "van", "niet", "zijn", "ook", "voor", "wurde", "werden",
})


def _script(ch: str) -> str:
    cp = ord(ch)
    if 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0x08A0 <= cp <= 0x08FF \
            or 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF:
        return "arabic"
    if cp < 0x0250 or 0x1E00 <= cp <= 0x1EFF:
        return "latin"
    return "other"


def detect_language(text: str) -> str | None:
    """``"ar"``, ``"en"`` or ``None`` (neither, or cannot tell) for ``text``. Pure and linear."""
    arabic = latin = other = 0
    ar_words = fa_words = non_arabic_letters = 0
    en_words = other_latin_words = latin_tokens = 0
    for match in _WORD.finditer(text):
        word = match.group()
        script = _script(word[0])
        if script == "arabic":
            bare = _ARABIC_MARKS.sub("", word)
            arabic += len(bare)
            non_arabic_letters += sum(1 for c in bare if c in _NON_ARABIC_LETTERS)
            if bare in _PERSIAN_URDU_WORDS:
                fa_words += 1
            else:
                folded = bare.translate(_ALEF_VARIANTS)
                if folded in _ARABIC_WORDS or (
                        len(folded) >= 4 and folded.startswith(_ARABIC_ARTICLE_PREFIXES)):
                    ar_words += 1
        elif script == "latin":
            latin += len(word)
            latin_tokens += 1
            lower = word.lower()
            if lower in _ENGLISH_WORDS:
                en_words += 1
            elif lower in _OTHER_LATIN_WORDS:
                other_latin_words += 1
        else:
            other += len(word)
        if arabic + latin + other >= ENOUGH_LETTERS:
            break
    total = arabic + latin + other
    if total == 0:
        return None
    if arabic * 2 > total:
        if fa_words > ar_words and fa_words >= 2:
            return None
        if ar_words == 0 and non_arabic_letters * 20 >= arabic and non_arabic_letters >= 2:
            return None
        return "ar"
    if latin * 2 > total:
        needed = 1 if latin_tokens < 12 else 2
        if en_words >= needed and en_words > other_latin_words:
            return "en"
    return None

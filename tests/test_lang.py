"""Language detection: Arabic, English, or None for anything else."""
from __future__ import annotations

import time

import pytest

from graph_builder.lang import ENOUGH_LETTERS, detect_language

# Sentences written for these tests.
AR = "أعلنت وزارة الخارجية أن الوفد سيصل إلى العاصمة يوم الاثنين لبحث التعاون بين البلدين."
AR_DIACRITICS = "قَالَ المُتَحَدِّثُ إِنَّ الاِجْتِمَاعَ سَيُعْقَدُ فِي الأُسْبُوعِ المُقْبِلِ."
EN = "The foreign ministry announced that the delegation will arrive in the capital on Monday."
FR = "Le ministère des affaires étrangères a annoncé que la délégation arrivera lundi dans la capitale."
ES = "El ministerio de asuntos exteriores anunció que la delegación llegará el lunes a la capital."
DE = "Das Außenministerium teilte mit, dass die Delegation am Montag in der Hauptstadt eintreffen wird."
RU = "Министерство иностранных дел объявило, что делегация прибудет в столицу в понедельник."
ZH = "外交部宣布代表团将于星期一抵达首都。"
FA = "وزارت امور خارجه اعلام کرد که هیئت روز دوشنبه برای گفتگو به پایتخت خواهد رسید."
UR = "وزارت خارجہ نے اعلان کیا ہے کہ وفد پیر کو دارالحکومت پہنچے گا اور بات چیت کرے گا۔"
AR_WITH_EN = "قال المتحدث باسم الأمم المتحدة إن the Security Council سيجتمع غدا لبحث الأزمة في المنطقة."
EN_WITH_AR = 'The spokesman said in a statement: "نرفض هذا القرار" and called for calm in the region.'


@pytest.mark.parametrize(("text", "expected"), [
    (AR, "ar"),
    (AR_DIACRITICS, "ar"),
    ("في", "ar"),
    (EN, "en"),
    (EN.upper(), "en"),
    ("the talks", "en"),
    (FR, None),
    (ES, None),
    (DE, None),
    (RU, None),
    (ZH, None),
    (FA, None),
    (UR, None),
    (AR_WITH_EN, "ar"),
    (EN_WITH_AR, "en"),
    ("", None),
    ("   \n\t ", None),
    ("2024-01-01 12:30 !!! ...", None),
    ("Hello", None),                      # Latin, but no English function word: cannot tell
    (RU + " " + EN[:20], None),           # mostly Cyrillic
    ("\u200f" + AR + "\u200d", "ar"),     # bidi and zero-width characters do not matter
], ids=lambda v: v if isinstance(v, str) and len(v) < 12 else None)
def test_detect_language(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected


def test_long_text_stops_early() -> None:
    # The decision is made from the first ENOUGH_LETTERS letters; a huge tail is not read.
    text = EN * (ENOUGH_LETTERS // 20) + RU * 200_000
    start = time.perf_counter()
    assert detect_language(text) == "en"
    assert time.perf_counter() - start < 0.5


def test_arabic_typed_with_persian_letters_is_still_arabic() -> None:
    # Arabic text typed on a Persian keyboard (Persian kaf and yeh) keeps its Arabic function words.
    text = AR.replace("ي", "ی").replace("ك", "ک")
    assert detect_language(text) == "ar"

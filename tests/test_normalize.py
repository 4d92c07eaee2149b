"""Tests of graph_builder.normalize: the normalised text and the map back to the original."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph_builder.normalize import normalize, normalize_word


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("مُصْطَفَى", "مصطفي"),                 # tashkeel, alef maqsura
        ("وفقًأ", "وفقا"),                       # tanween + stray hamza on alef
        ("السوريـــين", "السوريين"),             # tatweel
        ("أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"),   # alef variants
        ("مؤتمر", "موتمر"),                      # ؤ → و
        ("الجزائر", "الجزاير"),                  # ئ → ي
        ("مدرسة", "مدرسه"),                      # ة → ه
        ("صنعاء", "صنعا"),                       # standalone hamza dropped
        ("هٰذا", "هذا"),                         # superscript alef
        ("کرمانشاه گیلان", "كرمانشاه كيلان"),     # Persian kaf, gaf, yeh
        ("ۀ ە", "ه ه"),
        ("پ چ ژ ڤ", "ب ج ز ف"),
        ("٢٠١٨ ۱۳۹۷", "2018 1397"),              # Eastern Arabic and Persian digits
        ("#مجلس_الأمن", "#مجلس الامن"),         # hashtag underscores
        ("ﻻ", "لا"),                             # presentation form (NFKC expands)
        ("ﷲ", "الله"),
        ("a\u200fb\u200dc\u200c\u2066d\u2069", "abcd"),   # bidi and zero-width controls
        ("\u202bنص\u202c", "نص"),
        ("U.S. and ÉLYSÉE", "u.s. and elysee"),  # casefold + accents
        ("Straße", "strasse"),
        ("Syria’s", "syria's"),
        ("north–south", "north-south"),
    ],
)
def test_normalized_text(text: str, expected: str) -> None:
    assert normalize(text, "ar").text == expected


def test_offsets_map_back_through_deletions_and_expansions() -> None:
    text = "قال: ﻻ لِلأُمَمِ\u200f المتحدة"
    n = normalize(text, "ar")
    i = n.text.index("للامم")
    s, e = n.to_original(i, i + len("للامم"))
    assert text[s:e] == "لِلأُمَمِ"
    s, e = n.to_original(n.text.index("لا"), n.text.index("لا") + 1)
    assert text[s:e] == "ﻻ"   # half of an expansion maps to the whole original character


def test_empty_and_edges() -> None:
    n = normalize("", "en")
    assert n.text == "" and n.to_original(0, 0) == (0, 0)
    n = normalize("ـــ", "ar")
    assert n.text == "" and n.to_original(0, 0) == (3, 3)
    n = normalize("abc", "en")
    assert n.to_original(3, 3) == (3, 3)
    assert n.to_original(-5, 99) == (0, 3)


def test_normalize_word() -> None:
    assert normalize_word("  الأمم   المتحدة ") == "الامم المتحده"
    assert normalize_word("United  Nations") == "united nations"
    assert normalize_word("#كوريا_الشمالية") == "#كوريا الشماليه"


@given(st.text(alphabet=st.sampled_from(
    list("abcXYZ .-_#'\u2019") + [chr(c) for c in range(0x0600, 0x0700, 3)]
    + ["\ufefb", "\ufdf2", "\u200f", "\u200d", "\u0640", "ß", "İ", "\u0651", "é", "\u0301"]
)))
def test_offsets_always_valid(text: str) -> None:
    n = normalize(text, "ar")
    for i in range(len(n.text) + 1):
        for j in range(i, min(len(n.text), i + 4) + 1):
            s, e = n.to_original(i, j)
            assert 0 <= s <= e <= len(text)
            if j > i:
                assert e > s
                # the original span normalises to (at least) the normalised span
                assert n.text[i:j] in normalize(text[s:e], "ar").text


@given(st.text())
def test_any_text(text: str) -> None:
    n = normalize(text, "en")
    s, e = n.to_original(0, len(n.text))
    assert 0 <= s <= e <= len(text)

"""Sentence splitting: offsets, terminators, abbreviations, numbers, quotes."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_builder.sentences import split_sentences


def texts(text: str, **kw: bool) -> list[str]:
    return [s.text for s in split_sentences(text, **kw)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("رحب الوزير بالاتفاق. ودعا إلى الحوار.", ["رحب الوزير بالاتفاق.", "ودعا إلى الحوار."]),
        ("هل يقبل الطرفان؟ لا أحد يعرف!", ["هل يقبل الطرفان؟", "لا أحد يعرف!"]),
        ("السطر الأول\nالسطر الثاني", ["السطر الأول", "السطر الثاني"]),
        ("قال الوزير.وأضاف أن الحل سياسي.", ["قال الوزير.", "وأضاف أن الحل سياسي."]),
        ("أكد الوزير موقفه؛ وشدد على ضرورة الحل.", ["أكد الوزير موقفه؛ وشدد على ضرورة الحل."]),
        ("Is it over? Yes! It is.", ["Is it over?", "Yes!", "It is."]),
        ("The U.S. envoy met Mr. Brown. They spoke.", ["The U.S. envoy met Mr. Brown.", "They spoke."]),
        ("The U.N. chief and Dr. Lee left St. Mark's. Gen. Ray stayed.",
         ["The U.N. chief and Dr. Lee left St. Mark's.", "Gen. Ray stayed."]),
        ("Aid rose to 2.96 billion, i.e. 1.5 times more, e.g. for food. Then it fell.",
         ["Aid rose to 2.96 billion, i.e. 1.5 times more, e.g. for food.", "Then it fell."]),
        ("Resolution No. 2401 was adopted on Jan. 5 by J. Smith's team. Russia abstained.",
         ["Resolution No. 2401 was adopted on Jan. 5 by J. Smith's team.", "Russia abstained."]),
        ('He said "we waited... and waited." Then he left.',
         ['He said "we waited... and waited."', "Then he left."]),
        ('"We reject it." The minister left.', ['"We reject it."', "The minister left."]),
        ("قال الوزير: «نرفض ذلك.» ثم غادر.", ["قال الوزير: «نرفض ذلك.»", "ثم غادر."]),
        ("...\n!!\n  \nنص.", ["نص."]),
        ("", []),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The U.S. envoy spoke. Then left.", ["The U.S.", "envoy spoke.", "Then left."]),
        ('He said "no... never" today.', ['He said "no...', 'never" today.']),
        ("هل؟ نعم!\nلا.", ["هل؟", "نعم!", "لا."]),
    ],
)
def test_guideline_mode(text: str, expected: list[str]) -> None:
    assert texts(text, guideline=True) == expected


def test_offsets_point_into_text() -> None:
    text = "  أولا.   ثانيا؟\n\n ثالثا!  "
    sents = split_sentences(text)
    assert [s.text for s in sents] == ["أولا.", "ثانيا؟", "ثالثا!"]
    for s in sents:
        assert text[s.start:s.end] == s.text


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_property_offsets(text: str) -> None:
    for guideline in (False, True):
        prev_end = 0
        for s in split_sentences(text, guideline=guideline):
            assert 0 <= s.start < s.end <= len(text)
            assert s.start >= prev_end
            assert text[s.start:s.end] == s.text
            assert s.text == s.text.strip()
            prev_end = s.end


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .?!؟؛\n\"'”»«“…UNS0123"))))
def test_property_punctuation_heavy(text: str) -> None:
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text


def test_linear_time_on_long_text() -> None:
    import time
    text = "رحب الوزير بالاتفاق. " * 20000 + "U.S. " * 20000
    t0 = time.perf_counter()
    sents = split_sentences(text)
    assert time.perf_counter() - t0 < 5
    assert len(sents) >= 20000

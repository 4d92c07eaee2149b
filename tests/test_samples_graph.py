"""Every graph mawqif writes conforms to the shapes (on the bundled samples), and the extractor never
crashes and keeps offsets inside the text on arbitrary input."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_builder.extract import extract
from graph_builder.ingest import ingest
from graph_builder.loaders import iter_articles
from graph_builder.model import Article
from graph_builder.samples import SAMPLES_PATH
from graph_builder.shacl import validate_store
from graph_builder.store import Store


def test_samples_conform_to_shapes(store: Store):
    report = ingest(store, iter_articles([str(SAMPLES_PATH)]), generated_at="2026-01-01T00:00:00Z")
    assert not report.errors and report.stored >= 8 and report.stances >= 10
    shacl = validate_store(store)
    assert shacl.conforms, shacl.plain_text()


_AR_WORDS = ["أدانت", "فرنسا", "رحب", "مجلس", "الأمن", "بالعراق", "وللأمم", "المتحدة", "داعيا", "إلى", "،",
             ".", "\n", "ليبيا", "قلقه", "لا", "يدعم", "2020", "يناير", "#مجلس_الأمن", "ـ", "\u200f", "\u202e"]
_EN_WORDS = ["The", "EU", "condemned", "Syria", "said", "U.S.", "called", "on", "the", "Security", "Council",
             "to", ".", "\n", "not", "welcomed", "March", "2019", '"', "Russia's", "foreign", "minister"]


def _check(x, text: str) -> None:
    n = len(text)
    for s in x.sentences:
        assert 0 <= s.start <= s.end <= n and text[s.start:s.end] == s.text
    for m in x.mentions:
        assert 0 <= m.start < m.end <= n and text[m.start:m.end] == m.surface
    for st_ in x.stances:
        assert st_.sentence.start <= st_.cue_start < st_.cue_end <= st_.sentence.end
        assert text[st_.cue_start:st_.cue_end] == st_.cue
        assert st_.targets and st_.holder not in st_.targets
    for d in x.dates:
        assert text[d.start:d.end] == d.text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_AR_WORDS), max_size=40).map(" ".join), st.sampled_from(["ar", "en"]))
def test_extractor_on_word_salad(text: str, lang: str):
    if text.strip():
        _check(extract(Article(text=text, lang=lang)), text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_EN_WORDS), max_size=40).map(" ".join))
def test_extractor_on_english_salad(text: str):
    if text.strip():
        _check(extract(Article(text=text, lang="en")), text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=300), st.sampled_from(["ar", "en"]))
def test_extractor_on_arbitrary_unicode(text: str, lang: str):
    _check(extract(Article(text=text, lang=lang)), text)

"""Bad input (issue 7), end to end: one ``mawqif ingest`` of a batch that mixes every kind of bad
input with good articles reports each bad one (file, line, field) and still stores every good one;
and a bounded fuzz run of the loaders and of the extractor (never an uncaught exception, offsets valid).
"""
from __future__ import annotations

import io
import json
import pathlib
import re
import time

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_builder import loaders
from graph_builder.errors import InputError
from graph_builder.extract import extract
from graph_builder.loaders import iter_articles, read_stream
from graph_builder.model import Article
from graph_builder.parallel import extract_one
from graph_builder.store import Store
from tests.test_samples_graph import _check

AR = ("أدانت وزارة الخارجية الفرنسية بشدة الهجوم على المدنيين في سوريا، ودعت إلى وقف فوري لإطلاق النار.\n"
      "وأعربت الجامعة العربية عن قلقها البالغ إزاء تدهور الأوضاع في ليبيا.\n")
EN = ("The European Union welcomed the ceasefire agreement in Yemen. "
      "Russia rejected the proposal on Ukraine, the Kremlin said.\n")
FR = "La France a condamné l'attaque contre la Syrie et appelé à un cessez-le-feu immédiat dans le pays.\n"
RLM, LRE, PDF, RLO, ZWJ, ZWNJ = "\u200f", "\u202a", "\u202c", "\u202e", "\u200d", "\u200c"


def _rec(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


def _batch(folder: pathlib.Path) -> dict[str, str]:
    """Write the batch; return {good article's url or file name: what identifies it in the store}."""
    folder.mkdir()
    good: dict[str, str] = {}
    # --- good articles, some with bidi controls, zero-width (non-)joiners and NULs in JSON strings
    (folder / "good-ar.txt").write_text(f"{RLM}{AR.replace('سوريا', 'سو' + ZWJ + 'ريا')}{LRE}x{PDF}", encoding="utf-8")
    (folder / "good-en.html").write_text(
        "<html lang=en><head><title>EU and Yemen</title><style>p { color: red } .evil::after { content: 'STYLE-"
        "LEAK' }</style><script>document.write('SCRIPT-LEAK')</script></head><body><div><p>" + EN
        + "<p>Unclosed <b>bold <i>and italic</div></span><script>alert('SCRIPT-LEAK-2')</script><table><tr><td>"
        "cell</body>", encoding="utf-8")
    lines = [
        _rec(url="https://example.org/g1", lang="en", text=EN),                                  # 1 good
        "{not json",                                                                              # 2
        _rec(url="https://example.org/b3", lang="en", text=5),                                    # 3
        _rec(url="https://example.org/b4", lang="fr", text=FR),                                   # 4
        _rec(url="https://example.org/b5", text=FR),                                              # 5
        _rec(url="https://example.org/b6", lang="en", published="1700-01-01", text=EN),           # 6
        _rec(url="https://example.org/b7", lang="en", published="2024-02-30", text=EN),           # 7
        _rec(url="https://example.org/b8", lang="en"),                                            # 8
        _rec(url="https://example.org/b9", id=[1], lang="en", text=EN),                           # 9
        '["not", "an", "object"]',                                                                # 10
        _rec(url="https://example.org/g11", lang="ar", text=RLO + AR + ZWNJ + "\u0000"),          # 11 good
        _rec(url="https://example.org/b12", lang="en", text="The EU said " + "x" * 100_000),      # 12
        json.dumps({"url": "https://example.org/b13", "lang": "en", "text": "\ud800" + EN}),  # 13
        _rec(url="https://example.org/b14", lang="en", text=EN).replace("Yemen", "Yem\x00en"),    # 14 raw NUL
        "",                                                                                       # 15 blank
        _rec(url="https://example.org/g16", lang="en", published="2024-02-29", text=EN * 2),      # 16 good
        _rec(url=123, lang="en", text=EN),                                                        # 17
    ]
    data = "\n".join(lines).encode("utf-8") + b"\n"
    data += _rec(url="https://example.org/b18", lang="en", text=EN).encode("utf-8").replace(b"Yemen", b"Ye\xffmen")
    data += b"\n" + _rec(url="https://example.org/g19", lang="en",
                         text=(EN.strip() + " ") * 1200).encode("utf-8") + b"\n"              # 19 good, 100k+ line
    (folder / "mixed.jsonl").write_bytes(data)
    good.update({u: u for u in ("https://example.org/g1", "https://example.org/g11", "https://example.org/g16",
                                "https://example.org/g19")})
    # --- whole files that are bad
    (folder / "bad-utf8.txt").write_bytes(AR.encode("utf-8")[:40] + b"\xc3\x28" + AR.encode("utf-8")[40:])
    (folder / "utf16-bom.txt").write_bytes(EN.encode("utf-16"))
    (folder / "utf16-nobom.jsonl").write_bytes(_rec(lang="en", text=EN).encode("utf-16-le"))
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "empty.jsonl").write_bytes(b"\n\n")
    (folder / "only-script.html").write_text("<html><script>x()</script><style>p{}</style></html>",
                                             encoding="utf-8")
    (folder / "french.txt").write_text(FR, encoding="utf-8")
    (folder / "nul.txt").write_bytes(EN.encode("utf-8") + b"\x00" + EN.encode("utf-8"))
    (folder / "huge.txt").write_bytes((EN.encode("utf-8") * (20_000_000 // len(EN) + 1))[:20_000_000])
    (folder / "long-line.txt").write_text("The EU said that " + "and so on " * 10_000, encoding="utf-8")
    (folder / "array.json").write_text("[\n" + _rec(url="https://example.org/g-json", lang="en", text=EN) + ",\n"
                                       + _rec(lang="en", published=20240101, text=EN) + "\n]\n", encoding="utf-8")
    good["https://example.org/g-json"] = "https://example.org/g-json"
    return good


def test_one_batch_of_bad_and_good_input(tmp_path: pathlib.Path, mawqif) -> None:
    batch = tmp_path / "batch"
    good = _batch(batch)
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    store = tmp_path / "s"
    t0 = time.monotonic()
    p = mawqif("ingest", "--store", str(store), str(batch), str(tmp_path / "notes.pdf"))
    took = time.monotonic() - t0
    assert p.returncode == 1
    assert "Traceback" not in p.stderr
    err = [line for line in p.stderr.splitlines() if line.startswith("mawqif: ")]
    b = str(batch)
    m = f"{b}/mixed.jsonl"
    expected = [
        (f"{b}/array.json:3: field 'published': must be a string, got a number", ""),
        (f"{b}/bad-utf8.txt:1: not valid UTF-8 (byte 0x", "save the file as UTF-8"),
        (f"{b}/binary.html: looks like a binary file", ""),
        (f"{b}/binary.txt: looks like a binary file", ""),
        (f"{b}/empty.jsonl: empty file: no articles", ""),
        (f"{b}/empty.txt: empty article", ""),
        (f"{b}/french.txt: cannot tell the language", "Arabic (ar) and English (en)"),
        (f"{b}/huge.txt: article too long", "200,000 characters"),
        (f"{b}/long-line.txt: sentence too long (100,0", "the limit is 5,000"),
        (f"{m}:2: not valid JSON", ""),
        (f"{m}:3: field 'text': must be a string, got a number", ""),
        (f"{m}:4: field 'lang': language 'fr' is not supported", ""),
        (f"{m}:5: field 'lang': cannot tell the language", ""),
        (f"{m}:6: field 'published': must be a date YYYY-MM-DD between 1800 and 2100, got '1700-01-01'", ""),
        (f"{m}:7: field 'published': must be a date YYYY-MM-DD between 1800 and 2100, got '2024-02-30'", ""),
        (f"{m}:8: field 'text': the record has neither 'text' nor 'html'", ""),
        (f"{m}:9: field 'id': must be a string, got an array", ""),
        (f"{m}:10: expected a JSON object, got an array", ""),
        (f"{m}:12: field 'text': sentence too long", ""),
        (f"{m}:13: field 'text': not valid Unicode", ""),
        (f"{m}:14: not valid JSON: Invalid control character", ""),
        (f"{m}:17: field 'url': must be a string, got a number", ""),
        (f"{m}:18: not valid UTF-8 (byte 0xff", ""),
        (f"{b}/nul.txt: looks like a binary file", ""),
        (f"{b}/only-script.html: empty article", ""),
        (f"{b}/utf16-bom.txt: is UTF-16", "save the file as UTF-8"),
        (f"{b}/utf16-nobom.jsonl: is UTF-16 (no byte-order mark)", ""),
        (f"{tmp_path}/notes.pdf: unknown file type '.pdf'", ""),
    ]
    for start, also in expected:
        hits = [e for e in err if e.startswith(f"mawqif: {start}")]
        assert len(hits) == 1, (start, err)
        assert also in hits[0], hits[0]
    assert len(err) == len(expected), "\n".join(err)
    n_good = len(good) + 2   # and the two files without a url: good-ar.txt, good-en.html
    assert f"({n_good} stored, {len(expected)} failed)" in p.stderr
    assert took < 60
    with Store(store) as s:
        assert s.stats().articles == n_good
        urls = {str(row[0].value) for row in s.query("SELECT ?u WHERE { ?a schema:url ?u }")}  # type: ignore[union-attr]
        assert urls == set(good.values())
        out = io.BytesIO()
        s.export(out, "nquads")
    export = out.getvalue().decode("utf-8")
    assert "LEAK" not in export and "alert(" not in export          # scripts and styles are not text
    assert '"EU and Yemen"@en' in export
    assert ZWJ in export and RLO in export       # kept in the evidence, as the loaders promise
    assert "\x00" not in export and "\\u0000" not in export


# ----------------------------------------------------------------------------------------- fuzz

_PIECES = st.sampled_from([
    b"{", b"}", b'"text"', b'"html"', b'"lang"', b'"published"', b'"url"', b":", b",", b"\n", b"\r\n", b'"',
    b"\\u0000", b"\\ud800", b"\\", b"null", b"5", b'"en"', b'"ar"', b'"2024-02-29"', b'"1799-12-31"',
    b"\xef\xbb\xbf", b"\xff\xfe", b"\x00", b"\xc3\x28", b"\xe2\x80\x8f", b"\xe2\x80\xae", b"\xe2\x80\x8d",
    b"<p>", b"</p>", b"<script>", b"<!--", b"<title>", b"<html lang=ar>", b"&amp;", b"&#0;", b"&#xD800;",
    AR.encode("utf-8"), EN.encode("utf-8"), "فرنسا".encode(), b"France", b"2019", b" ", b"\t", b".",
])
_DOCS = st.lists(_PIECES | st.binary(max_size=8), max_size=30).map(b"".join)


@settings(max_examples=120, deadline=None,   # one file, rewritten for each example
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=_DOCS, suffix=st.sampled_from([".txt", ".html", ".jsonl", ".json"]))
def test_fuzz_loaders_files(tmp_path: pathlib.Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"f{suffix}"
    path.write_bytes(data)
    items = list(iter_articles([str(path)]))
    assert items
    for item in items:
        assert isinstance(item, (Article, InputError)), item
        if isinstance(item, InputError):
            assert str(item).startswith(str(path))
        else:
            assert item.lang in ("ar", "en") and item.text.strip() and "\x00" not in item.text
            assert len(item.text) <= loaders.MAX_TEXT_CHARS
            assert item.published is None or re.fullmatch(r"\d{4}-\d\d-\d\d", item.published)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCS)
def test_fuzz_read_stream(data: bytes) -> None:
    items = list(read_stream(io.BytesIO(data), source="<fuzz>"))
    assert items and all(isinstance(i, (Article, InputError)) for i in items)


_TEXT_PIECES = st.sampled_from([
    "أدانت", "فرنسا", "سوريا", "الأمم المتحدة", "مجلس الأمن", "في 3 مارس 2021", "١٤ يناير ٢٠٢٠", "عام 1999",
    "France", "condemned", "Syria", "the UN Security Council", "on March 3, 2021", "in 2019", "said", ".",
    "،", "؟", "\n", " ", '"', "«", "»", "U.S.", "Mr.", RLM, LRE, PDF, RLO, ZWJ, ZWNJ, "\u0640", "\u064b",
    "\ufeff", "\u00a0", "\u2028", "#مجلس_الأمن", "30/02/2020", "2024-13-45", "ـــ", "(", ")", "—",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TEXT_PIECES | st.text(max_size=3), min_size=1, max_size=40).map("".join),
       st.sampled_from(["ar", "en"]))
def test_fuzz_extractor_offsets_dates_and_graph(text: str, lang: str) -> None:
    """Beyond tests/test_samples_graph.py's salads: bidi/zero-width/dates mixed in; every date is a
    real date in its precision; the article's graph serialises and parses back."""
    if not text.strip():
        return
    x = extract(Article(text=text, lang=lang))
    _check(x, text)
    for d in x.dates:
        assert 0 <= d.start < d.end <= len(text)
        assert re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", d.value), d.value
        if len(d.value) == 10:
            import datetime

            datetime.date.fromisoformat(d.value)
    for stance in x.stances:
        assert stance.stated_on is None or re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", stance.stated_on)
    result, _shared = extract_one(Article(text=text, lang=lang, url="https://example.org/f"))
    body = getattr(result, "body", b"")
    assert len(list(ox.parse(body, format=ox.RdfFormat.N_QUADS))) + 1 == getattr(result, "quads", 1)


def test_long_text_with_sentence_breaks_is_ingested_in_bounded_time() -> None:
    text = ("The European Union welcomed the ceasefire agreement in Yemen. " * 1600)  # 100k characters, one line
    assert "\n" not in text and len(text) > 99_000
    [article] = list(read_stream(io.BytesIO(text.encode("utf-8")), source="<long>"))
    assert isinstance(article, Article)
    t0 = time.perf_counter()
    x = extract(article)
    assert len(x.stances) == 1600 and time.perf_counter() - t0 < 20


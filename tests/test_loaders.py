"""Loaders: every input format, folders, stdin, and every kind of bad input.

All texts are sentences written for these tests (never the corpus).
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_builder import loaders
from graph_builder.errors import InputError, UnsupportedLanguageError
from graph_builder.loaders import (
    article_from_record,
    html_to_text,
    iter_articles,
    load_articles,
    read_path,
)
from graph_builder.model import Article

AR = "أعلنت وزارة الخارجية أن الوفد سيصل إلى العاصمة يوم الاثنين لبحث التعاون بين البلدين."
AR2 = "وقال المتحدث إن المحادثات ستستمر حتى نهاية الأسبوع."
EN = "The foreign ministry said that the delegation will arrive in the capital on Monday."
EN2 = "The two sides agreed to meet again after the holiday."
FR = "Le ministère a annoncé que la délégation arrivera lundi dans la capitale."


def run(paths: list[str | Path], **kw: object) -> list[Article | InputError]:
    return list(iter_articles([str(p) for p in paths], **kw))  # type: ignore[arg-type]


def articles(items: list[Article | InputError]) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


def errors(items: list[Article | InputError]) -> list[InputError]:
    return [i for i in items if isinstance(i, InputError)]


def only_error(items: list[Article | InputError]) -> InputError:
    assert len(items) == 1 and isinstance(items[0], InputError), items
    return items[0]


def jsonl(path: Path, *records: object) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)
                              for r in records) + "\n", encoding="utf-8")
    return path


# ----------------------------------------------------------------------------------- .txt


def test_txt_one_article(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes(("\ufeff" + EN + "\r\n" + EN2 + "\r\n").encode())
    [a] = run([p])
    assert isinstance(a, Article)
    assert a.text == EN + "\n" + EN2          # BOM dropped, line ends normalised, stripped
    assert (a.lang, a.title, a.url, a.origin) == ("en", None, None, str(p))


def test_txt_arabic_keeps_bidi_and_zero_width(tmp_path: Path) -> None:
    text = "\u200f" + AR + " \u200dالعربية\u200c"
    p = tmp_path / "ar.txt"
    p.write_text(text, encoding="utf-8")
    [a] = run([p])
    assert isinstance(a, Article)
    assert a.lang == "ar" and a.text == text


def test_txt_in_unsupported_language(tmp_path: Path) -> None:
    p = tmp_path / "fr.txt"
    p.write_text(FR, encoding="utf-8")
    err = only_error(run([p]))
    assert isinstance(err, UnsupportedLanguageError)
    assert str(p) in str(err) and "Arabic (ar) and English (en)" in str(err)


def test_default_lang_skips_detection(tmp_path: Path) -> None:
    p = tmp_path / "short.txt"
    p.write_text("Ceasefire", encoding="utf-8")
    assert isinstance(only_error(run([p])), UnsupportedLanguageError)
    [a] = run([p], lang="en")
    assert isinstance(a, Article) and a.lang == "en"
    err = only_error(run([p], lang="fr"))
    assert isinstance(err, UnsupportedLanguageError)


# ----------------------------------------------------------------------------------- .html

PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head>
<meta charset="utf-8">
<title>  Talks   resume </title>
<link rel="canonical" href="https://news.example.org/2024/talks">
<meta property="og:url" content="https://news.example.org/other">
<meta property="article:published_time" content="2024-02-29T08:15:00+03:00">
<style>p { color: red; } .hidden { display: none }</style>
<script>var tracking = "should not appear";</script>
</head><body>
<h1>Delegation arrives</h1>
<p>The foreign ministry said that the delegation <b>will arrive</b> on Monday.
<p>The two sides agreed to meet again.</p>
<div><span>Talks will cover trade</div>
<ul><li>First point<li>Second point</ul>
<script type="text/javascript">document.write("nor this");</script>
<p>Unclosed <i>markup at the end
"""


def test_html_article_with_metadata(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_text(PAGE, encoding="utf-8")
    [a] = run([p])
    assert isinstance(a, Article)
    assert a.title == "Talks resume"
    assert a.url == "https://news.example.org/2024/talks"
    assert a.published == "2024-02-29"
    assert a.lang == "en" and a.origin == str(p)
    assert "should not appear" not in a.text and "nor this" not in a.text and "color" not in a.text
    lines = [line for line in a.text.split("\n") if line]
    assert lines[:4] == ["Delegation arrives",
                         "The foreign ministry said that the delegation will arrive on Monday.",
                         "The two sides agreed to meet again.", "Talks will cover trade"]
    assert "markup at the end" in lines[-1]
    assert "\n\n\n" not in a.text


def test_html_fallbacks_h1_title_og_url_and_lang_hint(tmp_path: Path) -> None:
    p = tmp_path / "page.htm"
    p.write_text('<html lang="ar"><head><meta property="og:url" content="https://ex.org/ar/1">'
                 '<meta property="article:published_time" content="2024-02-30"></head>'
                 f"<body><h1>عنوان الخبر</h1><p>{AR}</p></body></html>", encoding="utf-8")
    [a] = run([p])
    assert isinstance(a, Article)
    assert (a.title, a.url, a.published, a.lang) == ("عنوان الخبر", "https://ex.org/ar/1", None, "ar")


def test_html_lang_hint_used_when_text_does_not_tell(tmp_path: Path) -> None:
    p = tmp_path / "hint.html"
    p.write_text('<html lang="en"><body><p>Ceasefire</p></body></html>', encoding="utf-8")
    [a] = run([p])
    assert isinstance(a, Article) and a.lang == "en"


def test_html_with_only_markup_is_empty(tmp_path: Path) -> None:
    p = tmp_path / "empty.html"
    p.write_text("<html><head><script>x()</script></head><body><!-- nothing --></body></html>",
                 encoding="utf-8")
    assert "empty article" in str(only_error(run([p])))


def test_html_to_text_tolerates_broken_markup() -> None:
    text = html_to_text("<p>One<p>Two</b></i><div>Three<table><tr><td>a<td>b</table></span>")
    assert text.split("\n")[0] == "One" and "Two" in text and "Three" in text


# ----------------------------------------------------------------------------------- .jsonl


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    p = jsonl(tmp_path / "batch.jsonl",
              {"id": "a1", "url": "https://ex.org/1", "title": "One", "published": "2024-03-01",
               "lang": "en", "source": "Example News", "text": EN, "extra": [1, 2]},
              '{"id": "a2", "text": "broken',
              {"id": "a3", "text": AR},
              {"id": "a4", "text": EN2, "published": 20240301},
              {"id": "a5", "text": FR, "lang": "fr"})
    items = run([p])
    good = articles(items)
    assert [a.id for a in good] == ["a1", "a3"]
    a1, a3 = good
    assert a1 == Article(text=EN, lang="en", url="https://ex.org/1", id="a1", title="One",
                         published="2024-03-01", source="Example News", origin=f"{p}:1")
    assert a3.lang == "ar" and a3.origin == f"{p}:3"
    bad = errors(items)
    assert [(e.line, e.field) for e in bad] == [(2, None), (4, "published"), (5, "lang")]
    assert all(e.source == str(p) for e in bad)
    assert str(bad[0]).startswith(f"{p}:2: not valid JSON")
    assert str(bad[1]).startswith(f"{p}:4: field 'published'")
    assert isinstance(bad[2], UnsupportedLanguageError)
    assert str(bad[2]) == (f"{p}:5: field 'lang': language 'fr' is not supported: "
                           "mawqif reads Arabic (ar) and English (en)")


def test_jsonl_blank_lines_bom_html_field_and_order(tmp_path: Path) -> None:
    p = tmp_path / "b.jsonl"
    p.write_bytes(b"\xef\xbb\xbf" + json.dumps({"text": EN}).encode() + b"\r\n\n   \n"
                  + json.dumps({"html": f"<p>{AR}</p><script>x()</script>", "lang": "AR"}).encode() + b"\n")
    items = run([p])
    assert [(a.origin, a.lang) for a in articles(items)] == [(f"{p}:1", "en"), (f"{p}:4", "ar")]
    assert articles(items)[1].text == AR
    assert errors(items) == []


def test_jsonl_nul_in_text_is_dropped(tmp_path: Path) -> None:
    p = jsonl(tmp_path / "nul.jsonl", {"text": "The talks\u0000 were held in the city."})
    [a] = run([p])
    assert isinstance(a, Article) and a.text == "The talks were held in the city."


@pytest.mark.parametrize(("record", "field", "words"), [
    ({"text": 5}, "text", "must be a string"),
    ({"html": ["<p>"]}, "html", "must be a string"),
    ({"title": "no text"}, "text", "neither"),
    ({"text": "   \n\u200b "}, "text", "empty article"),
    ({"text": EN, "url": 3}, "url", "must be a string"),
    ({"text": EN, "url": "not a url"}, "url", "not an absolute URL"),
    ({"text": EN, "title": {"a": 1}}, "title", "must be a string"),
    ({"text": EN, "id": True}, "id", "must be a string"),
    ({"text": EN, "source": 1.5}, "source", "must be a string"),
    ({"text": EN, "published": "2023-02-29"}, "published", "YYYY-MM-DD"),
    ({"text": EN, "published": "1799-12-31"}, "published", "YYYY-MM-DD"),
    ({"text": EN, "published": "2101-01-01"}, "published", "YYYY-MM-DD"),
    ({"text": EN, "published": "01/02/2024"}, "published", "YYYY-MM-DD"),
    ({"text": EN, "lang": 1}, "lang", "must be a string"),
    ({"text": EN, "lang": "de"}, "lang", "not supported"),
    ({"text": FR}, "lang", "give \"lang\""),
    ({"text": "The talks \ud800 were held in the city."}, "text", "surrogate"),
])
def test_record_errors_name_the_field(record: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(InputError) as info:
        article_from_record(record, source="batch.jsonl", line=7)
    err = info.value
    assert (err.source, err.line, err.field) == ("batch.jsonl", 7, field)
    assert words in str(err) and str(err).startswith(f"batch.jsonl:7: field '{field}': ")


def test_record_accepts_edge_values() -> None:
    a = article_from_record({"id": 12, "text": EN, "published": "2024-02-29T10:00:00Z", "lang": "en-US",
                             "url": "", "title": None, "html": "<p>ignored</p>"}, source="s", line=1)
    assert (a.id, a.published, a.lang, a.url, a.title, a.text) == ("12", "2024-02-29", "en", None, None, EN)
    assert article_from_record({"text": AR, "published": "1800-01-01"}, source="s").published == "1800-01-01"


def test_record_not_an_object() -> None:
    with pytest.raises(InputError, match="expected a JSON object"):
        article_from_record([1, 2], source="s", line=3)


def test_jsonl_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.jsonl"
    p.write_text("\n\n", encoding="utf-8")
    err = only_error(run([p]))
    assert str(p) in str(err) and "empty" in str(err)


def test_jsonl_invalid_utf8_line_is_reported_and_others_load(tmp_path: Path) -> None:
    p = tmp_path / "bad.jsonl"
    first = json.dumps({"text": EN}).encode() + b"\n"
    second = b'{"text": "The talks \xff were held."}\n'
    p.write_bytes(first + second + json.dumps({"text": EN2}).encode() + b"\n")
    items = run([p])
    assert [a.text for a in articles(items)] == [EN, EN2]
    [err] = errors(items)
    assert err.line == 2
    assert f"byte 0xff at offset {len(first) + second.index(0xFF)}" in str(err)
    assert str(err).startswith(f"{p}:2: not valid UTF-8") and "save the file as UTF-8" in str(err)


def test_jsonl_too_long_line_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loaders, "MAX_LINE_BYTES", 100)
    p = jsonl(tmp_path / "long.jsonl", {"text": EN2}, {"text": EN2 * 10}, {"text": EN2})
    items = run([p])
    assert [a.origin for a in articles(items)] == [f"{p}:1", f"{p}:3"]
    assert [e.line for e in errors(items)] == [2]


# ----------------------------------------------------------------------------------- .json


def test_json_object_and_array(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"text": EN, "id": "x"}, indent=2), encoding="utf-8")
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"text": EN}, {"text": 1}, {"text": AR}], indent=2), encoding="utf-8")
    items = run([one, many])
    assert [a.origin for a in articles(items)] == [f"{one}:1", f"{many}:2", f"{many}:8"]
    [err] = errors(items)
    assert (err.line, err.field) == (5, "text")


def test_json_that_is_json_lines(tmp_path: Path) -> None:
    p = jsonl(tmp_path / "lines.json", {"text": EN}, "{oops", {"text": AR})
    items = run([p])
    assert [a.origin for a in articles(items)] == [f"{p}:1", f"{p}:3"]
    assert [e.line for e in errors(items)] == [2]


def test_json_broken(tmp_path: Path) -> None:
    p = tmp_path / "broken.json"
    p.write_text('[\n  {"text": "x"},\n  {"text": }\n]', encoding="utf-8")
    err = only_error(run([p]))
    assert err.line == 3 and "not valid JSON" in str(err)


# ----------------------------------------------------------------------------------- folders


def test_folder_recursion_order_and_skips(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "inner").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "c.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "a.TXT").write_text(AR, encoding="utf-8")
    (tmp_path / "b" / "z.html").write_text(f"<p>{EN2}</p>", encoding="utf-8")
    jsonl(tmp_path / "b" / "inner" / "m.jsonl", {"text": AR2})
    (tmp_path / "b" / "notes.md").write_text("ignored", encoding="utf-8")
    (tmp_path / "b" / "image.png").write_bytes(b"\x89PNG\x00\x00")
    (tmp_path / ".hidden" / "secret.txt").write_text(EN, encoding="utf-8")
    (tmp_path / ".dot.txt").write_text(EN, encoding="utf-8")
    items = run([tmp_path])
    assert errors(items) == []
    rel = [Path(a.origin).relative_to(tmp_path).as_posix() for a in articles(items)]
    assert rel == ["a.TXT", "b/inner/m.jsonl:1", "b/z.html", "c.txt"]
    assert run([tmp_path]) == items      # deterministic


def test_folder_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text(EN, encoding="utf-8")
    try:
        (tmp_path / "d" / "loop").symlink_to(tmp_path / "d")
    except OSError:
        pytest.skip("no symbolic links here")
    assert len(articles(run([tmp_path]))) == 1


def test_missing_path_and_unknown_extension(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text(EN, encoding="utf-8")
    (tmp_path / "good.txt").write_text(EN, encoding="utf-8")
    items = run([tmp_path / "nope.txt", tmp_path / "notes.md", tmp_path / "good.txt"])
    assert len(articles(items)) == 1
    missing, unknown = errors(items)
    assert str(missing) == f"{tmp_path / 'nope.txt'}: no such file or folder"
    assert str(tmp_path / "notes.md") in str(unknown) and "'.md'" in str(unknown)


def test_load_articles_and_read_path(tmp_path: Path) -> None:
    jsonl(tmp_path / "x.jsonl", {"text": EN}, {"text": 1})
    good, bad = load_articles([str(tmp_path)])
    assert len(good) == 1 and len(bad) == 1
    via_read_path = [str(i) for i in read_path(str(tmp_path / "x.jsonl"))]
    assert via_read_path == [str(i) for i in iter_articles([str(tmp_path / "x.jsonl")])]


# ----------------------------------------------------------------------------------- stdin


def test_stdin_jsonl_bytes() -> None:
    data = ("\n  " + json.dumps({"text": EN}) + "\n" + "not json\n"
            + json.dumps({"text": AR}, ensure_ascii=False) + "\n").encode()
    items = run(["-"], stdin=io.BytesIO(data))
    assert [(a.origin, a.lang) for a in articles(items)] == [("<stdin>:2", "en"), ("<stdin>:4", "ar")]
    [err] = errors(items)
    assert str(err).startswith("<stdin>:3: not valid JSON")


def test_stdin_jsonl_text_stream() -> None:
    data = json.dumps({"text": AR2}, ensure_ascii=False) + "\n" + json.dumps({"text": EN2}) + "\n"
    items = run(["-"], stdin=io.StringIO(data))
    assert [a.origin for a in articles(items)] == ["<stdin>:1", "<stdin>:2"]


def test_stdin_jsonl_beyond_first_chunk() -> None:
    lines = [json.dumps({"id": str(i), "text": EN}) for i in range(400)]   # well over 8 KB
    for stream in (io.BytesIO("\n".join(lines).encode()), io.StringIO("\n".join(lines))):
        items = run(["-"], stdin=stream)
        assert [a.id for a in articles(items)] == [str(i) for i in range(400)]


@pytest.mark.parametrize("stream", [io.BytesIO(("\ufeff" + AR + "\n").encode()), io.StringIO(AR + "\n")])
def test_stdin_plain_text(stream: io.IOBase) -> None:
    [a] = run(["-"], stdin=stream)
    assert isinstance(a, Article)
    assert (a.text, a.lang, a.origin) == (AR, "ar", "<stdin>")


@pytest.mark.parametrize("data", [b"", b"  \n\n"])
def test_stdin_empty(data: bytes) -> None:
    err = only_error(run(["-"], stdin=io.BytesIO(data)))
    assert str(err) == "<stdin>: empty article"


def test_stdin_invalid_utf8_and_utf16() -> None:
    err = only_error(run(["-"], stdin=io.BytesIO(b"The talks\n were \xc3( held.")))
    assert str(err).startswith("<stdin>:2: not valid UTF-8 (byte 0xc3 at offset 16)")
    err = only_error(run(["-"], stdin=io.BytesIO(EN.encode("utf-16"))))
    assert "UTF-16" in str(err)


# ----------------------------------------------------------------------------------- encodings etc.


@pytest.mark.parametrize("suffix", [".txt", ".html", ".jsonl", ".json"])
@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("text", [EN, AR])
def test_utf16_and_utf32_are_refused(tmp_path: Path, suffix: str, codec: str, text: str) -> None:
    content = json.dumps({"text": text}, ensure_ascii=False) if suffix.startswith(".json") else text
    p = tmp_path / f"f{suffix}"
    p.write_bytes(content.encode(codec))
    err = only_error(run([p]))
    assert str(err).startswith(f"{p}: is UTF-")
    assert "mawqif reads UTF-8" in str(err)


@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_invalid_utf8(tmp_path: Path, suffix: str) -> None:
    p = tmp_path / f"bad{suffix}"
    p.write_bytes(b"The ministry\nsaid the \xff talks went well.")
    err = only_error(run([p]))
    assert str(err) == f"{p}:2: not valid UTF-8 (byte 0xff at offset 22); save the file as UTF-8"


def test_invalid_utf8_html_names_declared_charset(tmp_path: Path) -> None:
    p = tmp_path / "cp.html"
    p.write_bytes(b'<meta charset="windows-1256"><p>' + AR.encode("cp1256") + b"</p>")
    assert "windows-1256" in str(only_error(run([p])))


@pytest.mark.parametrize("suffix", [".txt", ".html", ".jsonl"])
def test_binary_file(tmp_path: Path, suffix: str) -> None:
    p = tmp_path / f"blob{suffix}"
    p.write_bytes(bytes(range(256)) * 8)
    err = only_error(run([p]))
    assert str(err) == f"{p}: looks like a binary file (it contains NUL bytes), not text"


def test_gzip_file(tmp_path: Path) -> None:
    import gzip

    p = tmp_path / "batch.jsonl"
    p.write_bytes(gzip.compress(json.dumps({"text": EN}).encode()))
    assert "gzip" in str(only_error(run([p])))


@pytest.mark.parametrize("content", ["", "   \n\t\n", "\ufeff", "\u200b\u200f\n"])
def test_empty_txt(tmp_path: Path, content: str) -> None:
    p = tmp_path / "empty.txt"
    p.write_text(content, encoding="utf-8")
    assert str(only_error(run([p]))) == f"{p}: empty article"


def test_too_long(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loaders, "MAX_TEXT_CHARS", 100)
    long_text = EN * 2
    n = len(long_text)
    (tmp_path / "long.txt").write_text(long_text, encoding="utf-8")
    (tmp_path / "ok.txt").write_text(EN2, encoding="utf-8")
    jsonl(tmp_path / "long.jsonl", {"text": EN2}, {"text": long_text}, {"html": f"<p>{long_text}</p>"})
    items = run([tmp_path])
    assert [a.origin for a in articles(items)] == [f"{tmp_path / 'long.jsonl'}:1", str(tmp_path / "ok.txt")]
    msgs = [str(e) for e in errors(items)]
    assert msgs == [
        f"{tmp_path / 'long.jsonl'}:2: field 'text': article too long ({n} characters; the limit is 100)",
        f"{tmp_path / 'long.jsonl'}:3: field 'html': article too long ({n} characters; the limit is 100)",
        f"{tmp_path / 'long.txt'}: article too long ({n} characters; the limit is 100)",
    ]


def test_too_long_file_is_not_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loaders, "MAX_TEXT_CHARS", 10)
    p = tmp_path / "huge.txt"
    p.write_text(EN * 10, encoding="utf-8")
    assert "article too long" in str(only_error(run([p])))
    err = only_error(run(["-"], stdin=io.StringIO(EN * 10)))
    assert "article too long" in str(err)


# ----------------------------------------------------------------------------------- properties

_json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text()
_json_values = st.recursive(_json_scalars, lambda inner: st.lists(inner, max_size=3)
                            | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)
_fields = st.sampled_from(["id", "url", "title", "published", "lang", "source", "text", "html", "other"])
_field_values = _json_values | st.sampled_from([
    EN, AR, FR, "", "2024-02-29", "2023-02-29", "ar", "en", "fr", "https://ex.org/a",
    "<p>" + EN + "</p>", "<script>x</script>", "<?xml version='1.0' encoding='utf-8'?><p>x</p>",
    "<" * 50, "\x00\x01<p>\x0b" + AR, "\ud800", "<table><tr><td colspan='999999999'>x",
])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_fields | st.text(max_size=4), _field_values, max_size=8) | _json_values)
def test_article_from_record_only_raises_input_error(record: object) -> None:
    try:
        a = article_from_record(record, source="p.jsonl", line=1)
    except InputError as exc:
        assert str(exc).startswith("p.jsonl:1: ")
    else:
        assert a.lang in ("ar", "en") and a.text.strip() and a.origin == "p.jsonl:1"
        assert a.published is None or len(a.published) == 10


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_on_stdin_yield_articles_or_input_errors(data: bytes) -> None:
    items = run(["-"], stdin=io.BytesIO(data))
    assert items and all(isinstance(i, (Article, InputError)) for i in items)

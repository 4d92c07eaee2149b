"""Read articles from ``.txt``, ``.html``/``.htm``, ``.jsonl``/``.json`` files, folders and stdin.

The loaders never raise on bad input: :func:`iter_articles` yields an :class:`Article` for every
good article and an :class:`InputError` (naming the file, the line when known and the field when
known) for every bad one, so the caller can store the good ones, report each bad one and exit
non-zero at the end::

    for item in iter_articles(["news/", "extra.jsonl"]):
        if isinstance(item, InputError):
            print(f"mawqif: {item}", file=sys.stderr)
        else:
            store(item)

Formats
-------
* ``.txt``: one article, plain text. ``title`` and ``url`` are ``None``; ``origin`` is the path.
* ``.html``/``.htm``: one article, converted to text with inscriptis (each block element on its own
  line, at most one blank line in a row, scripts and styles dropped, broken markup tolerated).
  ``<title>`` (else the first ``<h1>``) gives the title, ``<link rel=canonical>`` (else
  ``<meta property="og:url">``) the url, ``<meta property="article:published_time">`` the date and
  ``<html lang>`` a language hint used when the text alone does not tell.
* ``.jsonl``: one JSON object a line (see :func:`article_from_record`); blank lines are skipped; a
  bad line yields an error naming it and the following lines still load; ``origin`` is
  ``path:line``. Read line by line, so memory stays bounded.
* ``.json``: one object, a list of objects (errors name the line where the object starts) or,
  failing both, JSON Lines.
* a folder: walked recursively, entries in name order within each folder; hidden entries
  (``.name``) and files of other types are skipped silently. A file of another type named
  explicitly is an error.
* ``-``: standard input, read as JSON Lines if its first non-blank character is ``{`` and as one
  plain-text article otherwise; its name in messages is ``<stdin>``.

Decisions on bad input
----------------------
* Files are UTF-8 (a leading BOM is dropped). Invalid UTF-8 is an error naming the byte and its
  offset in the file (and the line). UTF-16 and UTF-32, with or without a BOM, are refused with
  "is UTF-16; mawqif reads UTF-8" rather than decoded, so every input is read one way.
* NUL bytes in the first 8 KB of a ``.txt``/``.html`` file (of a ``.jsonl``/``.json`` file: NUL
  bytes together with many control bytes, so that one stray NUL only spoils its own line) →
  "looks like a binary file"; a gzip or zip file is named as such. NUL characters inside a
  JSON string (``\\u0000``) are dropped: they carry no text and would only break later stages.
* ``\\r\\n`` and ``\\r`` line ends become ``\\n``; text is stripped of surrounding whitespace.
  Bidi controls and zero-width (non-)joiners are kept.
* Unpaired surrogates in JSON strings (``"\\ud800"``) are an error: the text is not Unicode.
* An article with no text (empty, or only whitespace and invisible format characters) → "empty
  article". Over :data:`MAX_TEXT_CHARS` characters → "article too long"; a sentence over
  :data:`MAX_SENTENCE_CHARS` characters (a 100,000-character line without a full stop) →
  "sentence too long", naming where it starts. Both keep the time an article takes bounded.
* Language: a given ``lang`` must be ``ar`` or ``en`` (case and a region subtag such as ``en-GB``
  are ignored); otherwise it is detected (:func:`graph_builder.lang.detect_language`) and an
  article that is neither is refused with :class:`UnsupportedLanguageError`.
"""
from __future__ import annotations

import datetime as _dt
import io
import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from graph_builder.errors import InputError, UnsupportedLanguageError
from graph_builder.lang import SUPPORTED_LANGUAGES, detect_language
from graph_builder.model import Article
from graph_builder.sentences import split_sentences

__all__ = [
    "HTML_SUFFIXES",
    "JSONL_SUFFIXES",
    "JSON_SUFFIXES",
    "MAX_HTML_CHARS",
    "MAX_LINE_BYTES",
    "MAX_SENTENCE_CHARS",
    "MAX_TEXT_CHARS",
    "STDIN",
    "SUFFIXES",
    "TEXT_SUFFIXES",
    "article_from_html",
    "article_from_record",
    "article_from_text",
    "html_to_text",
    "iter_articles",
    "load_articles",
    "read_path",
    "read_stream",
]

#: An article's text may have at most this many characters (some 40 pages: far more than any news
#: article; a 20 MB file is refused, not read whole). Extraction is not yet linear in the number of
#: entity mentions in a text, so the limit also bounds the time one article can take (seconds).
MAX_TEXT_CHARS = 200_000
#: An HTML document (file or ``html`` field) may have at most this many characters (pages carry
#: scripts, styles and markup; only their text counts against :data:`MAX_TEXT_CHARS`).
MAX_HTML_CHARS = 20_000_000
#: A sentence (text between ``. ! ? ؟`` or line breaks) may have at most this many characters: the
#: longest in the development corpus has 585, and extraction time grows with the square of it.
MAX_SENTENCE_CHARS = 5_000
#: A JSON Lines line may have at most this many bytes.
MAX_LINE_BYTES = 64 * 1024 * 1024
#: How many leading bytes are examined for a BOM, UTF-16 without BOM, and binary content.
SNIFF_BYTES = 8192

TEXT_SUFFIXES: tuple[str, ...] = (".txt",)
HTML_SUFFIXES: tuple[str, ...] = (".html", ".htm")
JSONL_SUFFIXES: tuple[str, ...] = (".jsonl", ".ndjson")
JSON_SUFFIXES: tuple[str, ...] = (".json",)
SUFFIXES: tuple[str, ...] = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + JSON_SUFFIXES

#: The path that means standard input, and its name in messages.
STDIN = "-"
STDIN_NAME = "<stdin>"

_LANG_HELP = "mawqif reads Arabic (ar) and English (en)"
_STRING_FIELDS = ("id", "url", "title", "source")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z]*)?\Z")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+\Z")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Characters XML (and so lxml) refuses; dropped from HTML before parsing.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
_BLANK_LINES = re.compile(r"\n{3,}")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)

Item = Article | InputError


# --------------------------------------------------------------------------------------------
# Public entry points


def iter_articles(paths: Sequence[str], *, stdin: IO[str] | IO[bytes] | None = None,
                  lang: str | None = None) -> Iterator[Item]:
    """Every article in ``paths`` (files, folders, ``-`` for ``stdin``), in order.

    Yields an :class:`Article` per good article and an :class:`InputError` per bad one (never
    raises one). ``stdin`` defaults to ``sys.stdin``. ``lang`` (``"ar"``/``"en"``), when given, is
    the language of every article that does not state its own (detection is then skipped).
    """
    for path in paths:
        yield from read_path(path, stdin=stdin, lang=lang)


def load_articles(paths: Sequence[str], *, stdin: IO[str] | IO[bytes] | None = None,
                  lang: str | None = None) -> tuple[list[Article], list[InputError]]:
    """:func:`iter_articles`, collected: (articles, errors). Holds everything in memory."""
    articles: list[Article] = []
    errors: list[InputError] = []
    for item in iter_articles(paths, stdin=stdin, lang=lang):
        (errors if isinstance(item, InputError) else articles).append(item)  # type: ignore[arg-type]
    return articles, errors


def read_path(path: str, *, stdin: IO[str] | IO[bytes] | None = None,
              lang: str | None = None) -> Iterator[Item]:
    """The articles of one path: a file, a folder (recursively) or ``-`` (standard input)."""
    hint = _check_default_lang(lang)
    if isinstance(hint, InputError):
        yield hint
        return
    if path == STDIN:
        yield from read_stream(stdin if stdin is not None else sys.stdin, source=STDIN_NAME, lang=hint)
        return
    try:
        if os.path.isdir(path):
            yield from _read_folder(path, hint, set())
            return
        if not os.path.exists(path):
            yield InputError("no such file or folder", source=path)
            return
    except (OSError, ValueError) as exc:   # ValueError: a NUL in the path
        yield InputError(f"cannot read: {_os_reason(exc)}", source=path)
        return
    if _suffix(path) not in SUFFIXES:
        yield InputError(
            f"unknown file type {_suffix(path) or '(no extension)'!r}: mawqif reads "
            ".txt, .html/.htm, .jsonl and .json files", source=path)
        return
    yield from _read_file(path, hint)


def read_stream(stream: IO[str] | IO[bytes], *, source: str = STDIN_NAME,
                lang: str | None = None) -> Iterator[Item]:
    """Articles from a stream (text or binary): JSON Lines if its first non-blank character is
    ``{``, else one plain-text article. A text stream with a ``buffer`` (``sys.stdin``) is read
    through the buffer, so that the bytes are decoded as UTF-8 whatever the locale."""
    raw: IO[Any] = getattr(stream, "buffer", stream)
    try:
        head = raw.read(SNIFF_BYTES)
        if isinstance(head, bytes):
            yield from _read_binary_stream(raw, head, source, lang)
        else:
            yield from _read_text_stream(raw, head, source, lang)
    except OSError as exc:
        yield InputError(f"cannot read: {_os_reason(exc)}", source=source)


def article_from_record(record: Any, *, source: str, line: int | None = None,
                        lang: str | None = None) -> Article:
    """Validate one JSON record and make it an :class:`Article`; raises :class:`InputError`.

    Fields: ``id`` (string or integer), ``url``, ``title``, ``source`` (strings), ``published``
    (``YYYY-MM-DD``, a real date in 1800–2100; a time part after ``T`` is ignored), ``lang``
    (``ar``/``en``), and ``text`` or ``html`` (``text`` wins when both are there). ``null`` and
    empty strings count as absent. Other fields are ignored. With ``html``, the page's own title,
    canonical url, publication date and ``<html lang>`` fill the fields the record leaves out.
    ``lang`` is the language to assume when the record gives none (else it is detected).
    """
    origin = source if line is None else f"{source}:{line}"
    fail = _Where(source, line)

    if not isinstance(record, dict):
        raise fail(f"expected a JSON object, got {_json_type(record)}")
    values: dict[str, str | None] = {}
    for name in _STRING_FIELDS:
        value = record.get(name)
        if name == "id" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        values[name] = _optional_string(value, name, fail)
    url = values["url"]
    if url is not None and not _URL.match(url):
        raise fail(f"not an absolute URL: {_short(url)!r}", "url")
    published = _optional_string(record.get("published"), "published", fail)
    if published is not None:
        date = _parse_date(published)
        if date is None:
            raise fail(f"must be a date YYYY-MM-DD between 1800 and 2100, got {_short(published)!r}",
                       "published")
        published = date
    given_lang = _optional_string(record.get("lang"), "lang", fail)
    if given_lang is not None:
        code = _language_code(given_lang)
        if code is None:
            raise UnsupportedLanguageError(
                f"language {_short(given_lang)!r} is not supported: {_LANG_HELP}",
                source=source, line=line, field="lang")
        given_lang = code

    text_value = record.get("text")
    html_value = record.get("html")
    if text_value == "" and html_value is not None:
        text_value = None
    if text_value is not None:
        if not isinstance(text_value, str):
            raise fail(f"must be a string, got {_json_type(text_value)}", "text")
        text = _clean_text(text_value, fail, "text")
        html_meta: _HtmlMeta | None = None
    elif html_value is not None:
        if not isinstance(html_value, str):
            raise fail(f"must be a string, got {_json_type(html_value)}", "html")
        html_meta = _convert_html(html_value, fail, "html")
        text = html_meta.text
    else:
        raise fail("the record has neither 'text' nor 'html'", "text")
    field = "text" if html_meta is None else "html"
    _check_text(text, fail, field)
    article_lang = given_lang or _decide_lang(
        text, lang, html_meta.lang if html_meta else None, fail, "lang")
    return Article(
        text=text, lang=article_lang, url=url or (html_meta.url if html_meta else None),
        id=values["id"], title=values["title"] or (html_meta.title if html_meta else None),
        published=published or (html_meta.published if html_meta else None),
        source=values["source"], origin=origin)


def article_from_text(text: str, *, source: str, lang: str | None = None) -> Article:
    """One plain-text article (already decoded); raises :class:`InputError`."""
    fail = _Where(source, None)

    if _SURROGATE.search(text):
        raise fail("not valid Unicode (it contains an unpaired surrogate)")
    text = _clean_text(text, fail, None)
    _check_text(text, fail, None)
    return Article(text=text, lang=_decide_lang(text, lang, None, fail, None), origin=source)


def article_from_html(html: str, *, source: str, lang: str | None = None) -> Article:
    """One HTML article (already decoded) with its metadata; raises :class:`InputError`."""
    fail = _Where(source, None)

    meta = _convert_html(html, fail, None)
    _check_text(meta.text, fail, None)
    return Article(text=meta.text, lang=_decide_lang(meta.text, lang, meta.lang, fail, None),
                   url=meta.url, title=meta.title, published=meta.published, origin=source)


def html_to_text(html: str) -> str:
    """HTML → plain text: block elements on their own lines, at most one blank line in a row,
    scripts and styles dropped. Raises :class:`InputError` if the HTML cannot be converted."""
    fail = _Where(None, None)

    return _convert_html(html, fail, None).text


# --------------------------------------------------------------------------------------------
# Files and folders


def _suffix(path: str) -> str:
    return os.path.splitext(path)[1].lower()


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc)


def _read_folder(folder: str, lang: str | None, seen: set[str]) -> Iterator[Item]:
    real = os.path.realpath(folder)
    if real in seen:        # a symbolic link back up the tree
        return
    seen.add(real)
    try:
        with os.scandir(folder) as it:
            entries = sorted((e.name, e.path) for e in it if not e.name.startswith("."))
    except OSError as exc:
        yield InputError(f"cannot read folder: {_os_reason(exc)}", source=folder)
        return
    for _name, path in entries:
        try:
            is_dir = os.path.isdir(path)
        except OSError:
            is_dir = False
        if is_dir:
            yield from _read_folder(path, lang, seen)
        elif _suffix(path) in SUFFIXES and os.path.isfile(path):
            yield from _read_file(path, lang)


def _read_file(path: str, lang: str | None) -> Iterator[Item]:
    suffix = _suffix(path)
    try:
        with open(path, "rb") as fh:
            if suffix in JSONL_SUFFIXES:
                yield from _read_jsonl_binary(fh, fh.read(SNIFF_BYTES), path, lang)
            elif suffix in JSON_SUFFIXES:
                yield from _read_json_file(fh, path, lang)
            else:
                kind = "html" if suffix in HTML_SUFFIXES else "text"
                limit = 4 * (MAX_HTML_CHARS if kind == "html" else MAX_TEXT_CHARS)
                data = fh.read(limit + 1)
                yield from _one_document(data, kind, path, lang, truncated=len(data) > limit)
    except OSError as exc:
        yield InputError(f"cannot read: {_os_reason(exc)}", source=path)


def _one_document(data: bytes, kind: str, source: str, lang: str | None, *,
                  truncated: bool = False) -> Iterator[Item]:
    """A whole ``.txt``/``.html`` file (or plain-text stdin) → one article or one error."""
    problem = _sniff(data[:SNIFF_BYTES], source, strict_binary=True)
    if problem is not None:
        yield problem
        return
    if truncated:
        limit = MAX_HTML_CHARS if kind == "html" else MAX_TEXT_CHARS
        yield InputError(f"article too long (more than {4 * limit:,} bytes; "
                         f"the limit is {limit:,} characters)", source=source)
        return
    text = _decode(data, source, None, 0, html=kind == "html")
    if isinstance(text, InputError):
        yield text
        return
    try:
        if kind == "html":
            yield article_from_html(text, source=source, lang=lang)
        else:
            yield article_from_text(text, source=source, lang=lang)
    except InputError as exc:
        yield exc


def _sniff(head: bytes, source: str, *, strict_binary: bool) -> InputError | None:
    """A whole-file problem visible in the first bytes: UTF-16/32, compressed, binary."""
    for bom, name in ((b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe\x00\x00", "UTF-32"),
                      (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):
        if head.startswith(bom):
            return InputError(f"is {name} (it starts with a {name} byte-order mark); mawqif reads "
                              "UTF-8: save the file as UTF-8", source=source)
    if head.startswith(b"\x1f\x8b"):
        return InputError("looks like a gzip-compressed file; decompress it first", source=source)
    if head.startswith(b"PK\x03\x04"):
        return InputError("looks like a zip archive; extract it first", source=source)
    nuls = head.count(0)
    if nuls == 0:
        return None
    if _looks_like_utf16(head):
        return InputError("is UTF-16 (no byte-order mark); mawqif reads UTF-8: save the file as UTF-8",
                          source=source)
    controls = sum(1 for b in head if b < 0x20 and b not in b"\t\n\r\f") + head.count(0x7F)
    if strict_binary or nuls * 100 > len(head) or controls * 20 > len(head):
        return InputError("looks like a binary file (it contains NUL bytes), not text", source=source)
    return None


def _looks_like_utf16(head: bytes) -> bool:
    head = head[: len(head) - len(head) % 2]
    if len(head) < 4:
        return False
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            decoded = head.decode(codec)
        except UnicodeDecodeError:
            continue
        good = sum(1 for c in decoded if ord(c) < 0x0800 and (c.isprintable() or c in "\t\n\r"))
        if good * 10 >= len(decoded) * 9 and any(c.isalpha() for c in decoded):
            return True
    return False


def _decode(data: bytes, source: str, line: int | None, offset: int, *,
            html: bool = False) -> str | InputError:
    """UTF-8 → str, dropping a leading BOM; an error names the byte, its file offset and line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        where_line = line if line is not None else data.count(b"\n", 0, exc.start) + 1
        hint = ""
        if html:
            declared = _CHARSET.search(data[:4096])
            if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
                hint = f" (it declares charset {declared.group(1).decode('ascii', 'replace')})"
        return InputError(f"not valid UTF-8 (byte 0x{bad:02x} at offset {offset + exc.start}){hint}; "
                          "save the file as UTF-8", source=source, line=where_line)
    return text[1:] if text.startswith("\ufeff") else text


# --------------------------------------------------------------------------------------------
# Streams


def _read_binary_stream(raw: IO[bytes], head: bytes, source: str, lang: str | None) -> Iterator[Item]:
    while head.strip() == b"" or head.lstrip(b"\xef\xbb\xbf \t\r\n") == b"":
        more = raw.read(SNIFF_BYTES)
        if not more:
            break
        head += more
    first = head.lstrip(b" \t\r\n")
    if first.startswith(b"\xef\xbb\xbf"):
        first = first[3:].lstrip(b" \t\r\n")
    if first.startswith(b"{"):
        yield from _read_jsonl_binary(_Pushback(raw, head), head[:SNIFF_BYTES], source, lang)
        return
    limit = 4 * MAX_TEXT_CHARS
    data = head + raw.read(max(0, limit + 1 - len(head)))
    yield from _one_document(data, "text", source, lang, truncated=len(data) > limit)


def _read_text_stream(raw: IO[str], head: str, source: str, lang: str | None) -> Iterator[Item]:
    while head.strip() == "" or head.lstrip("\ufeff \t\r\n") == "":
        more = raw.read(SNIFF_BYTES)
        if not more:
            break
        head += more
    if head.lstrip("\ufeff \t\r\n").startswith("{"):
        stream = _Pushback(raw, head)
        yield from _records(_text_lines(stream, source), source, lang)
        return
    text = head + raw.read(MAX_TEXT_CHARS + 1)
    if len(text) > MAX_TEXT_CHARS:
        yield InputError(f"article too long (more than {MAX_TEXT_CHARS:,} characters; "
                         f"the limit is {MAX_TEXT_CHARS:,})", source=source)
        return
    try:
        yield article_from_text(text, source=source, lang=lang)
    except InputError as exc:
        yield exc


class _Pushback:
    """A stream (of str or of bytes) with some already-read data put back in front of it."""

    def __init__(self, raw: IO[Any], head: Any) -> None:
        self.raw = raw
        self.head = head

    def readline(self, limit: int = -1) -> Any:
        if self.head:
            newline = b"\n" if isinstance(self.head, bytes) else "\n"
            end = self.head.find(newline)
            if end >= 0 and (limit < 0 or end < limit):
                line, self.head = self.head[: end + 1], self.head[end + 1:]
                return line
            if limit >= 0 and len(self.head) >= limit:
                line, self.head = self.head[:limit], self.head[limit:]
                return line
            line, self.head = self.head, self.head[:0]
            return line + self.raw.readline(-1 if limit < 0 else limit - len(line))
        return self.raw.readline(limit)


# --------------------------------------------------------------------------------------------
# JSON Lines and JSON


def _read_jsonl_binary(fh: Any, head: bytes, source: str, lang: str | None) -> Iterator[Item]:
    problem = _sniff(head, source, strict_binary=False)
    if problem is not None:
        yield problem
        return
    if isinstance(fh, _Pushback):
        stream = fh
    else:
        stream = _Pushback(fh, head)
    yield from _records(_binary_lines(stream, source), source, lang)


def _binary_lines(stream: Any, source: str) -> Iterator[tuple[int, str] | InputError]:
    """(line number, decoded line) for each line, or an error for a line that cannot be decoded."""
    offset = 0
    number = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        start = offset
        offset += len(raw)
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while True:   # skip the rest of the over-long line
                rest = stream.readline(1 << 20)
                offset += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            yield InputError(f"line too long (more than {MAX_LINE_BYTES:,} bytes)",
                             source=source, line=number)
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
            start += 3
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield InputError(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset "
                             f"{start + exc.start}); save the file as UTF-8", source=source, line=number)


def _text_lines(stream: Any, source: str) -> Iterator[tuple[int, str] | InputError]:
    number = 0
    while True:
        line = stream.readline()
        if not line:
            return
        number += 1
        if number == 1:
            line = line.lstrip("\ufeff")
        yield number, line


def _records(lines: Iterable[tuple[int, str] | InputError], source: str,
             lang: str | None) -> Iterator[Item]:
    any_line = False
    for item in lines:
        if isinstance(item, InputError):
            any_line = True
            yield item
            continue
        number, line = item
        if not line.strip():
            continue
        any_line = True
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(f"not valid JSON: {exc.msg} (column {exc.colno})", source=source, line=number)
            continue
        except (ValueError, RecursionError) as exc:
            yield InputError(f"not valid JSON: {_short(str(exc)) or 'nested too deeply'}",
                             source=source, line=number)
            continue
        try:
            yield article_from_record(record, source=source, line=number, lang=lang)
        except InputError as exc:
            yield exc
    if not any_line:
        yield InputError("empty file: no articles", source=source)


def _read_json_file(fh: IO[bytes], path: str, lang: str | None) -> Iterator[Item]:
    """A ``.json`` file: one object, an array of objects, or JSON Lines under another name."""
    data = fh.read(MAX_LINE_BYTES + 1)
    problem = _sniff(data[:SNIFF_BYTES], path, strict_binary=False)
    if problem is not None:
        yield problem
        return
    if len(data) > MAX_LINE_BYTES:
        yield InputError(f"file too long for .json (more than {MAX_LINE_BYTES:,} bytes); "
                         "write it as JSON Lines (.jsonl)", source=path)
        return
    text = _decode(data, path, None, 0)
    if isinstance(text, InputError):
        yield text
        return
    stripped = text.lstrip()
    if not stripped:
        yield InputError("empty file: no articles", source=path)
        return
    skipped = len(text) - len(stripped)
    decoder = json.JSONDecoder()
    try:
        value, end = decoder.raw_decode(text, skipped)
    except json.JSONDecodeError as exc:
        if stripped.startswith("{"):   # perhaps JSON Lines after all: report line by line
            yield from _records(_numbered(text), path, lang)
        else:
            yield InputError(f"not valid JSON: {exc.msg} (column {exc.colno})", source=path, line=exc.lineno)
        return
    except (ValueError, RecursionError) as exc:
        yield InputError(f"not valid JSON: {_short(str(exc)) or 'nested too deeply'}", source=path)
        return
    if text[end:].strip():
        yield from _records(_numbered(text), path, lang)
        return
    if isinstance(value, list):
        if not value:
            yield InputError("empty file: no articles", source=path)
            return
        for record, line in zip(value, _item_lines(text, skipped), strict=False):
            try:
                yield article_from_record(record, source=path, line=line, lang=lang)
            except InputError as exc:
                yield exc
        return
    line = text.count("\n", 0, skipped) + 1
    try:
        yield article_from_record(value, source=path, line=line, lang=lang)
    except InputError as exc:
        yield exc


def _numbered(text: str) -> Iterator[tuple[int, str]]:
    yield from enumerate(io.StringIO(text), start=1)


def _item_lines(text: str, start: int) -> Iterator[int]:
    """The line on which each element of the JSON array starting at ``start`` begins."""
    decoder = json.JSONDecoder()
    ws = re.compile(r"[ \t\n\r]*")
    pos = ws.match(text, start + 1).end()  # type: ignore[union-attr]
    line = text.count("\n", 0, pos) + 1
    while pos < len(text) and text[pos] != "]":
        yield line
        _value, end = decoder.raw_decode(text, pos)
        line += text.count("\n", pos, end)
        pos = ws.match(text, end).end()  # type: ignore[union-attr]
        if pos < len(text) and text[pos] == ",":
            nxt = ws.match(text, pos + 1).end()  # type: ignore[union-attr]
            line += text.count("\n", pos, nxt)
            pos = nxt


# --------------------------------------------------------------------------------------------
# Validation and conversion


class _Where:
    """Where an article comes from; calling it makes the :class:`InputError` to raise."""

    __slots__ = ("line", "source")

    def __init__(self, source: str | None, line: int | None) -> None:
        self.source = source
        self.line = line

    def __call__(self, message: str, field: str | None = None) -> InputError:
        return InputError(message, source=self.source, line=self.line, field=field)


class _HtmlMeta:
    __slots__ = ("lang", "published", "text", "title", "url")

    def __init__(self, text: str, title: str | None = None, url: str | None = None,
                 published: str | None = None, lang: str | None = None) -> None:
        self.text = text
        self.title = title
        self.url = url
        self.published = published
        self.lang = lang


def _convert_html(html: str, fail: _Where, field: str | None) -> _HtmlMeta:
    if len(html) > MAX_HTML_CHARS:
        raise fail(f"HTML too long ({len(html):,} characters; the limit is {MAX_HTML_CHARS:,})", field)
    if _SURROGATE.search(html):
        raise fail("not valid Unicode (it contains an unpaired surrogate)", field)
    html = _XML_DECLARATION.sub("", _XML_ILLEGAL.sub("", html.lstrip("\ufeff")))
    if not html.strip():
        raise fail("empty article", field)
    try:
        from inscriptis import Inscriptis
        from inscriptis.model.config import ParserConfig
        from lxml.etree import ParserError
        from lxml.html import document_fromstring

        try:
            tree = document_fromstring(html)
        except ParserError:     # e.g. only a comment: nothing to read
            raise fail("empty article", field) from None
        meta = _html_metadata(tree)
        converted = Inscriptis(tree, ParserConfig()).get_text()
    except InputError:
        raise
    except RecursionError:
        raise fail("the HTML is nested too deeply to convert", field) from None
    except Exception as exc:   # lxml/inscriptis on hostile markup: report, never crash
        raise fail(f"cannot convert the HTML: {_short(str(exc)) or type(exc).__name__}", field) from None
    lines = [line.strip() for line in converted.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    meta.text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    return meta


def _html_metadata(tree: Any) -> _HtmlMeta:
    def clean(value: Any) -> str | None:
        if not isinstance(value, str):
            return None
        value = " ".join(value.split())
        return value or None

    meta = _HtmlMeta("")
    titles = tree.xpath("//title")
    if titles:
        meta.title = clean(titles[0].text_content())
    if meta.title is None:
        h1 = tree.xpath("//h1")
        if h1:
            meta.title = clean(h1[0].text_content())
    for link in tree.xpath("//link[@rel][@href]"):
        if "canonical" in str(link.get("rel", "")).lower().split():
            candidate = clean(link.get("href"))
            if candidate and _URL.match(candidate):
                meta.url = candidate
                break
    metas = {}
    for element in tree.xpath("//meta[@content]"):
        key = str(element.get("property") or element.get("name") or "").strip().lower()
        if key and key not in metas:
            metas[key] = clean(element.get("content"))
    if meta.url is None:
        candidate = metas.get("og:url")
        if candidate and _URL.match(candidate):
            meta.url = candidate
    published = metas.get("article:published_time")
    if published:
        meta.published = _parse_date(published)
    root_lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if isinstance(root_lang, str):
        meta.lang = _language_code(root_lang)
    return meta


def _optional_string(value: Any, field: str, fail: _Where) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise fail(f"must be a string, got {_json_type(value)}", field)
    if _SURROGATE.search(value):
        raise fail("not valid Unicode (it contains an unpaired surrogate)", field)
    value = value.replace("\x00", "").strip()
    return value or None


def _clean_text(text: str, fail: _Where, field: str | None) -> str:
    if len(text) > MAX_TEXT_CHARS:
        raise fail(f"article too long ({len(text):,} characters; the limit is {MAX_TEXT_CHARS:,})", field)
    if _SURROGATE.search(text):
        raise fail("not valid Unicode (it contains an unpaired surrogate)", field)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        text = text.replace("\x00", "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def _check_text(text: str, fail: _Where, field: str | None) -> None:
    if not any(not c.isspace() and unicodedata.category(c) != "Cf" for c in text):
        raise fail("empty article", field)
    if len(text) > MAX_TEXT_CHARS:
        raise fail(f"article too long ({len(text):,} characters; the limit is {MAX_TEXT_CHARS:,})", field)
    if len(text) > MAX_SENTENCE_CHARS:
        for sentence in split_sentences(text):
            size = sentence.end - sentence.start
            if size > MAX_SENTENCE_CHARS:
                line = text.count("\n", 0, sentence.start) + 1
                raise fail(f"sentence too long ({size:,} characters with no . ! ? ؟ or line break, from "
                           f"character {sentence.start:,}, line {line} of the text; the limit is "
                           f"{MAX_SENTENCE_CHARS:,})", field)


def _decide_lang(text: str, default: str | None, hint: str | None, fail: _Where,
                 field: str | None) -> str:
    """The article's language: ``default`` if given, else detected, else the document's hint."""
    if default is not None:
        return default
    detected = detect_language(text) or hint
    if detected is None:
        raise UnsupportedLanguageError(
            f"cannot tell the language of the text, or it is neither Arabic nor English: {_LANG_HELP}"
            + ("; give \"lang\" in the record if it is one of them" if field else ""),
            source=fail.source, line=fail.line, field=field)
    return detected


def _check_default_lang(lang: str | None) -> str | None | InputError:
    if lang is None:
        return None
    code = _language_code(lang)
    if code is None:
        return UnsupportedLanguageError(f"language {lang!r} is not supported: {_LANG_HELP}")
    return code


def _language_code(value: str) -> str | None:
    code = value.strip().lower().replace("_", "-").split("-", 1)[0]
    return code if code in SUPPORTED_LANGUAGES else None


def _parse_date(value: str) -> str | None:
    match = _DATE.match(value.strip())
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not 1800 <= year <= 2100:
        return None
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"

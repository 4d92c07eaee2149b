"""Pure helpers for the SPARQL 1.1 Protocol: content negotiation and the update dataset.

pyoxigraph's ``Store.update`` takes no protocol dataset, so ``using-graph-uri`` and
``using-named-graph-uri`` are applied the way the protocol defines them: as ``USING`` and
``USING NAMED`` clauses on every ``DELETE/INSERT … WHERE`` operation of the request. A request
that gives them *and* a ``USING``/``WITH`` clause of its own is an error, as the protocol requires.

    >>> add_using("INSERT { ?s a <x:T> } WHERE { ?s ?p ?o }", ["http://g"], [])
    'INSERT { ?s a <x:T> } USING <http://g> WHERE { ?s ?p ?o }'
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from graph_builder.errors import QueryError

#: what SELECT/ASK answers can be, best first (the first is the default)
RESULT_MEDIA = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values")
#: what CONSTRUCT/DESCRIBE answers can be, best first
GRAPH_MEDIA = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml",
               "application/trig", "application/n-quads")
#: other names clients use → the media type served
ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "application/turtle": "text/turtle",
    "text/plain": "application/n-triples",
}
_RESULT_ALIASES = ("application/json", "application/xml", "text/xml")
_GRAPH_ALIASES = ("application/x-turtle", "application/turtle", "text/plain")


def negotiate(accept: Any, offered: Sequence[str], aliases: Iterable[str] = ()) -> str | None:
    """The offered media type the ``Accept`` header (a werkzeug ``MIMEAccept``) prefers, by q-value.

    No ``Accept`` header means the first offered type; ``None`` when nothing offered is acceptable.
    """
    if accept is None or not list(accept.values()):
        return offered[0]
    items = [(value.split(";", 1)[0].strip().lower(), quality) for value, quality in accept]
    best, best_q = None, 0.0
    for candidate in (*offered, *aliases):
        kind = candidate.split("/", 1)[0]
        q, specificity = 0.0, -1
        for value, quality in items:   # the most specific matching range gives the quality
            rank = 2 if value == candidate else 1 if value == f"{kind}/*" else 0 if value == "*/*" else -1
            if rank > specificity:
                q, specificity = quality, rank
        if specificity >= 0 and q > best_q:
            best, best_q = candidate, q
    if best is None:
        return None
    return ALIASES.get(best, best)


def result_media(accept: Any) -> str | None:
    return negotiate(accept, RESULT_MEDIA, _RESULT_ALIASES)


def graph_media(accept: Any) -> str | None:
    return negotiate(accept, GRAPH_MEDIA, _GRAPH_ALIASES)


# -- update dataset --------------------------------------------------------------------------------
_TOKEN = re.compile(
    r"""(?P<ws>\s+)
      | (?P<comment>\#[^\n]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<open>\{) | (?P<close>\})
      | (?P<word>[A-Za-z_][A-Za-z0-9_-]*)
      | (?P<other>.)""", re.VERBOSE | re.DOTALL)


def add_using(update: str, using: Sequence[str], using_named: Sequence[str]) -> str:
    """``update`` with ``USING <g>``/``USING NAMED <g>`` before the ``WHERE`` of every modify operation.

    Raises QueryError when the update has ``USING`` or ``WITH`` clauses of its own.
    """
    if not using and not using_named:
        return update
    clause = " ".join([*(f"USING <{_iri(g)}>" for g in using),
                       *(f"USING NAMED <{_iri(g)}>" for g in using_named)])
    out: list[str] = []
    depth = 0
    previous = ""          # the last top-level keyword
    for m in _TOKEN.finditer(update):
        kind, text = m.lastgroup, m.group()
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "word" and depth == 0:
            word = text.upper()
            if word in ("USING", "WITH"):
                raise QueryError(f"the request gives using-graph-uri/using-named-graph-uri and the update "
                                 f"has a {word} clause; give the dataset one way only")
            if word == "WHERE" and previous != "DELETE":    # not the DELETE WHERE short form
                out.append(clause + " ")
            previous = word
        out.append(text)
    return "".join(out)


def _iri(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]*", value):
        raise QueryError(f"not an absolute IRI: {value!r}")
    return value


# -- operations that reach other hosts -------------------------------------------------------------
#: what the scanner skips, leftmost first: comments, strings (long and short), IRIs, variables, language
#: tags, prefixed names and blank node labels — where a keyword is only text or part of a name
_SKIP = re.compile("|".join([
    r"#[^\n\r]*",
    r'"""(?:[^"\\]|\\.|"(?!""))*"""', r"'''(?:[^'\\]|\\.|'(?!''))*'''",
    r'"(?:[^"\\\n\r]|\\.)*"', r"'(?:[^'\\\n\r]|\\.)*'",
    r'<[^<>"{}|^`\\\x00-\x20]*>',
    r"[?$]\w+", r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*",
    r"(?:[^\W\d][\w.\-]*)?:[\w.:\-%\\]*",
]), re.DOTALL)
_REMOTE = re.compile(r"(?<![\w@\-])(SERVICE|LOAD)(?![\w:\-])", re.IGNORECASE)


def remote_operations(text: str) -> set[str]:
    """The SPARQL keywords in ``text`` that make the store fetch from other hosts: ``SERVICE``
    (federated query) and ``LOAD <url>`` (update), upper-cased; keywords inside strings, IRIs,
    comments, variables and prefixed names do not count.

        >>> sorted(remote_operations('SELECT * { SERVICE <http://x/> { ?s ?p "LOAD" } } # service'))
        ['SERVICE']
        >>> remote_operations('SELECT ?service { ?service ex:load "service"@en, _:load . ex:a.service ?x }')
        set()
        >>> sorted(remote_operations('INSERT DATA { <x:a> <x:b> 1 } ;LOAD<http://x/>'))
        ['LOAD']
        >>> sorted(remote_operations('SELECT * { ?a ?b ?c .SERVICE x:s { ?s ?p ?o } }'))
        ['SERVICE']
    """
    return {m.group(1).upper() for m in _REMOTE.finditer(_SKIP.sub(" ", text))}

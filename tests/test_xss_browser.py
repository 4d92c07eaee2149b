"""XSS (issue 7): hostile titles, labels, evidence and query results are inert in a real browser.

Playwright drives Debian's Chromium against a live server whose store holds markup, ``onerror=``,
``javascript:`` URLs and bidi overrides in article titles, sources, evidence sentences, entity labels and
IRIs (tests/test_security_helpers.py). Every page that shows them is opened twice:

* with the page's Content-Security-Policy on: no console error (a CSP violation would be one, so no
  hostile markup was even parsed as markup), no dialog;
* with CSP *bypassed* (``bypass_csp``): still no dialog and no ``window.__xss`` — the escaping alone
  keeps the data inert, CSP is the second wall.

On both, the DOM holds no element or handler attribute from the data and no ``javascript:`` link, and
every text carrying a bidi override sits in an element with its own ``dir`` (so it cannot reorder the
text around it).
"""
from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import CHROMIUM
from tests.test_security_helpers import EGY, SYR, Hostile, hostile_server

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

q = urllib.parse.quote

#: what the DOM must not contain: elements and attributes that only the hostile data could have made
PROBE = """() => {
  const bad = [...document.querySelectorAll('img[src="x"], svg[onload], script:not([src]), b[onmouseover]')]
      .map(e => e.outerHTML.slice(0, 80));
  for (const e of document.querySelectorAll('*')) {
    for (const a of e.attributes) {
      if (/^on/i.test(a.name)) bad.push(e.tagName + ' ' + a.name);
      if (/^\\s*javascript:/i.test(a.value)) bad.push(e.tagName + ' ' + a.name + '=' + a.value.slice(0, 40));
    }
  }
  const bidi = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    if (!n.nodeValue.includes('\\u202e')) continue;
    const el = n.parentElement;
    const own = el.closest('[dir], bdi, input, textarea');
    if (!own || own === document.documentElement || own === document.body)
      bidi.push(el.tagName + ': ' + n.nodeValue.slice(0, 40));
  }
  return { bad, bidi, xss: window.__xss === 1, text: document.body.innerText };
}"""


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hostile]:
    with hostile_server(tmp_path_factory.mktemp("xss"), "--timeout", "0") as s:
        yield s


def article_path(srv: Hostile) -> str:
    import json
    status, _, body = srv.get("/queries/articles")
    rows = json.loads(body)["results"]["bindings"]
    iri = next(r["article"]["value"] for r in rows if "<script>" in r.get("title", {}).get("value", ""))
    return "/id/" + iri.split("/id/", 1)[1]


HOSTILE_QUERY = ("SELECT ?label ?note ?lit ?title ?evidence WHERE { "
                 f"<{SYR}> rdfs:label ?label ; mq:note ?note ; mq:comment ?lit . "
                 "OPTIONAL { ?a dcterms:title ?title } OPTIONAL { ?s mq:evidence ?evidence } } LIMIT 30")


def visit(browser: Any, srv: Hostile, path: str, action: Any, *, bypass: bool) -> dict[str, Any]:
    context = browser.new_context(bypass_csp=bypass, locale="en-GB", viewport={"width": 1400, "height": 900})
    outside: list[str] = []

    def route(r: Any) -> None:
        host = urllib.parse.urlsplit(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(srv.url + path)
        if action:
            action(page)
        page.wait_for_timeout(300)
        found = page.evaluate(PROBE)
    finally:
        context.close()
    found.update(dialogs=dialogs, errors=errors, outside=outside)
    return found


def wait_ready(page: Any) -> None:
    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=20000)


def graph_with_evidence(page: Any) -> None:
    wait_ready(page)
    page.wait_for_selector("#evidence .stance .sentence", timeout=20000)


def search_hostile(page: Any) -> None:
    wait_ready(page)
    page.fill("#search", "onerror")
    page.wait_for_selector("#search-results li[role=option]", timeout=10000)


def run_hostile_query(page: Any) -> None:
    wait_ready(page)
    page.fill("#sparql", HOSTILE_QUERY)
    page.click("#run")
    page.wait_for_selector("#results-table tbody tr", timeout=20000)


def pages(srv: Hostile) -> list[tuple[str, Any, list[str]]]:
    """(path, what to do there, texts that must be shown literally)."""
    edge = f"{EGY} Condemnation {SYR}"
    return [
        (f"/?focus={q(SYR, safe='')}&edge={q(edge, safe='')}", graph_with_evidence,
         ["onerror=alert('evidence')"]),
        ("/", search_hostile, ["<img src=x onerror=alert('label')>"]),
        ("/id/state/SYR", None, ["<script>alert('title')</script>", "onerror=alert('evidence')"]),
        ("/id/state/SYR?lang=ar", None, ["<script>alert('ar')</script>"]),
        (article_path(srv), None, ["<script>alert('title')</script>"]),
        ("/query", run_hostile_query, ["onerror=alert('label')", "alert('lit')",
                                       "javascript:alert('iri')"]),
        ("/queries", None, []),
        ("/queries/articles", None, ["<script>alert('title')</script>", "<svg onload=alert('svg')>"]),
        (f"/queries/evidence?holder={q(EGY, safe='')}", None, ["onerror=alert('evidence')",
                                                               "javascript:alert('url')"]),
        (f"/queries/stances-about?target={q(SYR, safe='')}", None, ["<script>alert('ar')</script>"]),
        ("/analytics?a=Egypt&b=Syria", None, []),
    ]


@pytest.mark.parametrize("bypass", [False, True], ids=["csp", "csp-bypassed"])
def test_hostile_data_is_inert_on_every_page(browser: Any, srv: Hostile, bypass: bool) -> None:
    problems: list[str] = []
    for path, action, shown in pages(srv):
        found = visit(browser, srv, path, action, bypass=bypass)
        if found["dialogs"] or found["xss"]:
            problems.append(f"{path}: script ran: {found['dialogs']}")
        if found["bad"]:
            problems.append(f"{path}: markup from the data became DOM: {found['bad'][:5]}")
        if found["bidi"]:
            problems.append(f"{path}: bidi override not isolated: {found['bidi'][:3]}")
        if found["outside"]:
            problems.append(f"{path}: requests left 127.0.0.1: {found['outside']}")
        if not bypass and found["errors"]:
            problems.append(f"{path}: console errors (CSP violations?): {found['errors'][:3]}")
        for text in shown:
            if text not in found["text"]:
                problems.append(f"{path}: {text!r} is not shown as text")
    assert not problems, "\n".join(problems)

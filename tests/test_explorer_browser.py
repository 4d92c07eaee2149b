"""The explorer in a real browser: Playwright driving Debian's Chromium against a live ``mawqif serve``.

Skipped when ``/usr/bin/chromium`` or the ``playwright`` package is absent (``.ci/run`` installs both).
Every request the pages make must stay on 127.0.0.1; screenshots of the main views are saved under
``tests/artefacts/`` (git-ignored).
"""
from __future__ import annotations

import json
import re
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CHROMIUM
from tests.explorer_server import EGY, SYR

ARTEFACTS = Path(__file__).resolve().parent / "artefacts"

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


class Watch:
    """What a page did: every request URL, console errors, page errors and dialogs."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []


@pytest.fixture
def page(browser: Any, explorer_server: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1500, "height": 950}, accept_downloads=True,
                                  locale="en-GB")
    watch = Watch()

    def route(r: Any) -> None:
        url = r.request.url
        watch.requests.append(url)
        host = urllib.parse.urlsplit(url).hostname
        if url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            r.continue_()
        else:
            watch.outside.append(url)
            r.abort()

    context.route("**/*", route)
    def on_request(req: Any) -> None:
        if not req.url.startswith(("data:", "blob:", "http://127.0.0.1:")):
            watch.outside.append(req.url)

    def on_console(m: Any) -> None:
        if m.type == "error":
            watch.errors.append(m.text)

    def on_dialog(d: Any) -> None:
        watch.dialogs.append(d.message)
        d.dismiss()

    context.on("request", on_request)
    pg = context.new_page()
    pg.on("console", on_console)
    pg.on("pageerror", lambda e: watch.errors.append(str(e)))
    pg.on("dialog", on_dialog)
    pg.watch = watch
    pg.base = explorer_server.url
    yield pg
    context.close()
    assert not watch.outside, f"requests left 127.0.0.1: {watch.outside}"
    assert not watch.dialogs, f"a script ran from data: {watch.dialogs}"
    assert not watch.errors, f"console errors: {watch.errors}"


def shot(pg: Any, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTEFACTS / f"{name}.png"))


def wait_graph(pg: Any) -> None:
    pg.wait_for_selector("body[data-ready='1']", state="attached", timeout=20000)
    pg.wait_for_selector("body[data-stable='1']", state="attached", timeout=20000)


def wait_js(pg: Any, fn: str, timeout: float = 20.0) -> None:
    """Poll a JavaScript function until it returns true (``wait_for_function`` evaluates strings,
    which the page's Content-Security-Policy forbids)."""
    deadline = time.monotonic() + timeout
    while not pg.evaluate(fn):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {fn}")
        pg.wait_for_timeout(50)


def graph(pg: Any) -> dict[str, Any]:
    return pg.evaluate("""() => { const x = window.mawqifExplorer;
        return { nodes: x.nodes.getIds(), edges: x.edges.getIds(), state: { focus: x.state.focus,
                 expand: x.state.expand, types: [...x.state.types], from: x.state.from, to: x.state.to } }; }""")


def focus_by_search(pg: Any, text: str) -> None:
    pg.fill("#search", text)
    pg.wait_for_selector("#search-results li[role=option][data-iri]")
    pg.keyboard.press("Enter")
    wait_graph(pg)


def click_node(pg: Any, iri: str) -> None:
    box = pg.locator("#graph canvas").bounding_box()
    xy = pg.evaluate("""(iri) => { const n = window.mawqifExplorer.network;
        const p = n.getPosition(iri); return n.canvasToDOM(p); }""", iri)
    pg.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])


def open_explorer(pg: Any, query: str = "") -> None:
    pg.goto(pg.base + "/" + query)
    pg.wait_for_selector("body[data-ready='1']", state="attached", timeout=20000)


# ----------------------------------------------------------------------------------------------

def test_load_and_search_arabic_and_english(page: Any) -> None:
    open_explorer(page)
    assert page.title().startswith("mawqif")
    page.fill("#search", "syria")
    page.wait_for_selector("#search-results li[data-iri]")
    assert page.locator("#search-results li[data-iri]").first.get_attribute("data-iri") == SYR
    page.fill("#search", "")
    focus_by_search(page, "سوريا")
    g = graph(page)
    assert g["state"]["focus"] == SYR and SYR in g["nodes"] and EGY in g["nodes"] and len(g["edges"]) >= 3
    assert "focus=" in page.url
    shot(page, "explorer-syria")


def test_expand_node_and_reload_from_url(page: Any, browser: Any) -> None:
    open_explorer(page, "?focus=" + urllib.parse.quote(SYR))
    wait_graph(page)
    before = graph(page)
    click_node(page, EGY)
    wait_js(page, "() => window.mawqifExplorer.state.expand.length === 1")
    wait_graph(page)
    after = graph(page)
    assert after["state"]["expand"] == [EGY]
    assert set(after["nodes"]) > set(before["nodes"]), "expanding Egypt adds its neighbours"
    assert "expand=" in page.url
    # the same view from its URL, in a fresh page
    url = page.url
    other = page.context.new_page()
    other.goto(url)
    wait_graph(other)
    again = graph(other)
    assert set(again["nodes"]) == set(after["nodes"]) and set(again["edges"]) == set(after["edges"])
    other.close()
    shot(page, "explorer-expanded")


def test_edge_evidence_shows_arabic_sentence_with_cue(page: Any) -> None:
    open_explorer(page, "?focus=" + urllib.parse.quote(SYR))
    wait_graph(page)
    # click the edge Egypt —condemnation→ Syria on the canvas: its midpoint
    edge_id = f"{EGY} Condemnation {SYR}"
    box = page.locator("#graph canvas").bounding_box()
    xy = page.evaluate("""(id) => { const n = window.mawqifExplorer.network;
        n.setOptions({ physics: { enabled: false } });
        const e = n.body.edges[id]; const p = e.edgeType.getPoint(0.5);
        return n.canvasToDOM(p); }""", edge_id)
    page.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])
    page.wait_for_selector("#evidence .stance .sentence")
    sentence = page.locator("#evidence .stance .sentence").first
    assert sentence.get_attribute("dir") == "rtl" and sentence.get_attribute("lang") == "ar"
    cue = sentence.locator("mark.cue")
    assert cue.count() == 1 and cue.inner_text() == "أدانت"
    assert sentence.locator("mark.entity").count() >= 1
    assert "CAMEO 111" in page.locator("#evidence .stance").first.inner_text()
    assert "edge=" in page.url
    # the hostile article's markup is shown as text, and its javascript: url is not a link
    text = page.locator("#evidence").inner_text()
    assert "<img src=x onerror=alert(3)>" in text
    assert page.locator("#evidence a[href^='javascript']").count() == 0
    assert page.locator("#evidence img, #evidence script").count() == 0
    shot(page, "explorer-evidence")


def test_filter_by_type_and_date(page: Any) -> None:
    open_explorer(page, "?focus=" + urllib.parse.quote(SYR))
    wait_graph(page)
    all_edges = graph(page)["edges"]
    page.check("#type-filter input[value=Condemnation]")
    wait_js(page, "() => window.mawqifExplorer.state.types.size === 1")
    wait_graph(page)
    g = graph(page)
    assert g["edges"] and all(" Condemnation " in e for e in g["edges"])
    assert "types=Condemnation" in page.url
    page.uncheck("#type-filter input[value=Condemnation]")
    wait_js(page, "() => window.mawqifExplorer.state.types.size === 0")
    wait_graph(page)
    # brush the timeline: drag across the last bars (once it has been redrawn for every type)
    wait_js(page, "() => document.querySelectorAll('#timeline .bar').length >= 2")
    bars = page.locator("#timeline .bar")
    n = bars.count()
    assert n >= 2
    first = bars.nth(n - 2).bounding_box()
    last = bars.nth(n - 1).bounding_box()
    page.mouse.move(first["x"] + 2, first["y"] + first["height"] - 2)
    page.mouse.down()
    page.mouse.move(last["x"] + 2, last["y"] + last["height"] - 2, steps=4)
    page.mouse.up()
    wait_js(page, "() => window.mawqifExplorer.state.from !== ''")
    wait_graph(page)
    g = graph(page)
    assert re.match(r"\d{4}-\d{2}-01", g["state"]["from"]) and g["state"]["to"]
    assert "from=" in page.url and "to=" in page.url
    assert len(g["edges"]) < len(all_edges)
    assert "null" not in page.locator("#status").inner_text()
    assert page.input_value("#date-from") == g["state"]["from"]
    shot(page, "explorer-filtered")


def test_export_png_json_and_turtle(page: Any) -> None:
    open_explorer(page, "?focus=" + urllib.parse.quote(SYR))
    wait_graph(page)
    with page.expect_download() as dl:
        page.click("#export-png")
    png = Path(dl.value.path()).read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 2000
    with page.expect_download() as dl:
        page.click("#export-json")
    doc = json.loads(Path(dl.value.path()).read_text(encoding="utf-8"))
    assert {n["id"] for n in doc["nodes"]} >= {SYR, EGY} and doc["edges"]
    with page.expect_download() as dl:
        page.click("#export-csv-edges")
    assert "Condemnation" in Path(dl.value.path()).read_text(encoding="utf-8")
    with page.expect_download() as dl:
        page.click("#export-ttl")
    assert "mq:Stance" in Path(dl.value.path()).read_text(encoding="utf-8")
    assert page.get_attribute("#export-full", "href") == "/export?format=turtle"


def test_keyboard_navigation(page: Any) -> None:
    open_explorer(page)
    page.keyboard.press("Tab")  # brand link, then nav links, then the search box
    for _ in range(10):
        if page.evaluate("() => document.activeElement.id") == "search":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "search"
    page.keyboard.type("مصر")
    page.wait_for_selector("#search-results li[data-iri]")
    page.keyboard.press("Enter")
    wait_graph(page)
    assert graph(page)["state"]["focus"] == EGY
    first = page.locator("#neighbours button").first
    first.focus()
    page.keyboard.press("ArrowDown")
    inside = page.evaluate("() => document.activeElement.closest('#neighbours') !== null")
    assert inside
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused element shows a visible focus ring"
    # walk to a neighbour and press Enter: it is expanded
    page.keyboard.press("Home")
    target = page.evaluate("() => document.activeElement.dataset.iri")
    assert target
    page.keyboard.press("Enter")
    wait_js(page, "() => window.mawqifExplorer.state.expand.length === 1")
    wait_graph(page)
    # an evidence button opens the evidence panel from the keyboard too
    page.locator("#neighbours .edge-btn").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#evidence .stance .sentence")
    shot(page, "explorer-keyboard")


def test_language_switch_sets_dir_everywhere(page: Any) -> None:
    open_explorer(page, "?focus=" + urllib.parse.quote(SYR))
    wait_graph(page)
    page.click("#lang-switch")
    wait_js(page, "() => document.documentElement.dir === 'rtl'")
    assert page.get_attribute("html", "lang") == "ar"
    assert "lang=ar" in page.url
    dirs = page.evaluate("() => [...document.querySelectorAll('[data-i18n]')].map(e => e.getAttribute('dir'))")
    assert dirs and set(dirs) == {"rtl"}
    labels = page.evaluate("() => window.mawqifExplorer.nodes.get().map(n => n.label)")
    assert "سوريا" in labels and "مصر" in labels
    assert page.locator("#focus-card .name bdi").first.get_attribute("dir") == "rtl"
    page.locator("#neighbours .edge-btn").first.click()
    page.wait_for_selector("#evidence .stance .sentence")
    wait_graph(page)
    shot(page, "explorer-arabic")
    page.reload()
    page.wait_for_selector("body[data-ready='1']", state="attached")
    assert page.get_attribute("html", "dir") == "rtl"


def test_entity_page_and_json(page: Any) -> None:
    page.goto(page.base + "/id/state/SYR")
    h1 = page.locator("h1").inner_text()
    assert "Syria" in h1 and "سوريا" in h1
    assert page.locator("a.wikidata").get_attribute("href") == "https://www.wikidata.org/wiki/Q858"
    assert page.locator("table.data .sentence[dir=rtl] mark.cue").count() >= 1
    shot(page, "entity-syria")
    page.goto(page.base + "/id/state/SYR?lang=ar")
    assert page.get_attribute("html", "dir") == "rtl"
    shot(page, "entity-syria-ar")
    with page.expect_response(re.compile(r".*/id/state/SYR\.json$")) as resp:
        page.click("text=JSON")
    assert json.loads(resp.value.body())["iso_code"] == "SYR"


def test_query_page_runs_a_query(page: Any) -> None:
    page.goto(page.base + "/query")
    page.wait_for_selector("body[data-ready='1']", state="attached")
    page.select_option("#examples", "who-condemns")
    assert "mq:Condemnation" in page.input_value("#sparql")
    page.fill("#sparql", "SELECT ?holder ?type ?target WHERE { ?s a mq:Stance ; mq:holder ?holder ; "
                         "mq:stanceType ?type ; mq:target ?target }")
    page.click("#run")
    page.wait_for_selector("#results-table tbody tr")
    rows = page.locator("#results-table tbody tr").count()
    assert rows == 40 or rows >= 20
    page.click("#results-table th button[data-col=type]")
    first = page.locator("#results-table tbody tr td").nth(1).inner_text()
    assert first.endswith("Affirmation")
    with page.expect_download() as dl:
        page.click("#download-csv")
    assert Path(dl.value.path()).read_text(encoding="utf-8").startswith("holder,type,target")
    page.fill("#sparql", "CONSTRUCT { ?s mq:holder ?h } WHERE { ?s mq:holder ?h } LIMIT 20")
    page.click("#run")
    page.wait_for_selector("#result-graph canvas")
    assert page.locator("#results-table th").count() == 3
    shot(page, "query-construct")
    page.fill("#sparql", "SELEC nonsense")
    page.click("#run")
    wait_js(page, "() => document.getElementById('query-status').textContent.length > 10")
    assert page.locator("#results-table").count() == 0
    page.watch.errors[:] = [e for e in page.watch.errors if "400" not in e]


def test_analytics_page(page: Any) -> None:
    page.goto(page.base + "/analytics?a=Egypt&b=%D8%B3%D9%88%D8%B1%D9%8A%D8%A7")
    assert page.locator("#most-active tbody tr").count() >= 3
    assert page.locator("#blocs li").count() >= 1
    assert page.locator("#paths li").count() >= 1
    shot(page, "analytics")


GCC = "https://w3id.org/mawqif/id/organisation/GCC"
QAT = "https://w3id.org/mawqif/id/state/QAT"
YEMEN_WAR = "https://w3id.org/mawqif/id/conflict/yemen"
HOUTHIS = "https://w3id.org/mawqif/id/armed-group/HOUTHIS"


def position(pg: Any, iri: str) -> dict[str, float]:
    return pg.evaluate("(iri) => window.mawqifExplorer.network.getPositions([iri])[iri]", iri)


def focus_ring(pg: Any) -> dict[str, str]:
    return pg.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
        return { style: s.outlineStyle, width: s.outlineWidth, tag: e.tagName, id: e.id, cls: e.className,
                 type: e.getAttribute("type") || "", focus: e.matches(":focus") }; }""")


def test_skip_link_is_first_and_reaches_the_neighbours(page: Any) -> None:
    open_explorer(page, "?focus=" + urllib.parse.quote(SYR))
    wait_graph(page)
    page.keyboard.press("Tab")
    first = page.evaluate("() => ({ id: document.activeElement.id, text: document.activeElement.textContent })")
    assert first == {"id": "skip-neighbours", "text": "Skip to the neighbours list"}
    box = page.locator("#skip-neighbours").bounding_box()
    assert box and box["y"] >= 0 and box["height"] > 10, "the focused skip link is on screen"
    ring = focus_ring(page)
    assert ring["style"] != "none" and ring["width"] != "0px"
    shot(page, "explorer-skip-link")
    page.keyboard.press("Enter")
    wait_js(page, "() => document.activeElement.id === 'neighbours-h'")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('.right') !== null"), "Tab goes on in the panel"
    # the second skip link goes to the graph canvas, which takes keys
    page.locator("#skip-graph").focus()
    page.keyboard.press("Enter")
    wait_js(page, "() => document.activeElement.id === 'graph'")
    # the other pages skip to their content; in Arabic the link says so in Arabic
    page.goto(page.base + "/id/state/SYR?lang=ar")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#main"
    assert page.evaluate("() => document.activeElement.textContent") == "انتقل إلى المحتوى"
    page.keyboard.press("Enter")
    wait_js(page, "() => document.activeElement.id === 'main'")


def test_every_focusable_element_shows_focus(page: Any) -> None:
    open_explorer(page, "?focus=" + urllib.parse.quote(SYR))
    wait_graph(page)
    seen = []
    for _ in range(80):
        page.keyboard.press("Tab")
        ring = focus_ring(page)
        if ring["tag"] == "BODY":
            break
        seen.append(ring)
        if ring["type"] == "date" and not ring["focus"]:
            continue  # the date field's calendar button (in its shadow tree), which Chromium rings itself
        assert ring["style"] != "none" and ring["width"] != "0px", f"no visible focus on {ring}"
    tags = {r["id"] or r["cls"] for r in seen}
    assert {"skip-neighbours", "search", "graph", "lang-switch"} <= tags


def test_pin_and_move_a_node_by_keyboard(page: Any) -> None:
    open_explorer(page, "?focus=" + urllib.parse.quote(SYR))
    wait_graph(page)
    # the keys are documented in the page, in English and (after the switch) in Arabic
    page.click("#keys summary")
    help_text = page.locator("#keys-help").inner_text()
    assert "P: pin or unpin" in help_text and "Arrow keys" in help_text
    # Tab to the canvas (past the skip links, header and filters) instead of clicking it
    page.locator("#skip-graph").focus()
    page.keyboard.press("Enter")
    wait_js(page, "() => document.activeElement.id === 'graph'")
    assert page.evaluate("() => window.mawqifExplorer.state.selected") == SYR
    # N walks the nodes until Egypt is selected
    for _ in range(60):
        if page.evaluate("() => window.mawqifExplorer.state.selected") == EGY:
            break
        page.keyboard.press("n")
    assert page.evaluate("() => window.mawqifExplorer.state.selected") == EGY
    assert "Egypt" in page.locator("#graph-live").inner_text()
    assert page.evaluate("() => window.mawqifExplorer.network.getSelectedNodes()") == [EGY]
    page.keyboard.press("p")
    assert page.evaluate("(id) => window.mawqifExplorer.isPinned(id)", EGY)
    node = page.evaluate("(id) => window.mawqifExplorer.nodes.get(id)", EGY)
    assert node["physics"] is False and node["fixed"] == {"x": True, "y": True}
    assert page.get_attribute("#focus-card .pin-btn", "aria-pressed") == "true"
    before = position(page, EGY)
    scale = page.evaluate("() => window.mawqifExplorer.network.getScale()")
    for key in ("Shift+ArrowRight", "Shift+ArrowRight", "ArrowDown", "ArrowDown", "ArrowDown"):
        page.keyboard.press(key)
    moved = position(page, EGY)
    # (getPositions rounds to whole canvas units)
    assert moved["x"] - before["x"] == pytest.approx(100 / scale, abs=1.5)
    assert moved["y"] - before["y"] == pytest.approx(30 / scale, abs=1.5)
    assert page.evaluate("() => document.activeElement.id") == "graph", "focus stays on the canvas"
    shot(page, "explorer-pinned")
    # run the physics again: the pinned node stays where the keys put it
    page.evaluate("() => window.mawqifExplorer.settle()")
    wait_graph(page)
    still = position(page, EGY)
    assert still == moved
    # P again lets it go: the physics pulls it back towards its neighbours
    page.keyboard.press("p")
    assert not page.evaluate("(id) => window.mawqifExplorer.isPinned(id)", EGY)
    wait_graph(page)
    after = position(page, EGY)
    assert abs(after["x"] - moved["x"]) + abs(after["y"] - moved["y"]) > 1
    # arrows on an unpinned node pin it (as dragging does); the focus-card button unpins it
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("(id) => window.mawqifExplorer.isPinned(id)", EGY)
    page.locator("#focus-card .pin-btn").focus()
    page.keyboard.press("Enter")
    assert not page.evaluate("(id) => window.mawqifExplorer.isPinned(id)", EGY)
    assert page.get_attribute("#focus-card .pin-btn", "aria-pressed") == "false"
    # Escape leaves the canvas for the neighbours list
    page.locator("#graph").focus()
    page.keyboard.press("Escape")
    assert page.evaluate("() => document.activeElement.id") == "neighbours-h"
    page.click("#lang-switch")
    wait_js(page, "() => document.documentElement.dir === 'rtl'")
    assert "تثبيت" in page.locator("#keys-help").inner_text()
    shot(page, "explorer-keys-ar")


def click_edge(pg: Any, edge_id: str) -> None:
    box = pg.locator("#graph canvas").bounding_box()
    xy = pg.evaluate("""(id) => { const n = window.mawqifExplorer.network;
        n.setOptions({ physics: { enabled: false } });
        const e = n.body.edges[id]; const p = e.edgeType.getPoint(0.5);
        return n.canvasToDOM(p); }""", edge_id)
    pg.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])


def test_membership_edge_shows_the_articles_that_state_it(page: Any) -> None:
    open_explorer(page, "?focus=" + urllib.parse.quote(GCC))
    wait_graph(page)
    edge_id = f"{QAT} memberOf {GCC}"
    assert edge_id in graph(page)["edges"]
    with page.expect_response(re.compile(r".*/api/explorer/link\?.*")) as resp:
        click_edge(page, edge_id)
    assert resp.value.status == 200
    page.wait_for_selector("#evidence .link-evidence[data-relation=memberOf]")
    card = page.locator("#evidence .link-evidence")
    statement = card.locator(".link-statement").inner_text()
    assert "Qatar" in statement and "member of" in statement and "Gulf Cooperation Council" in statement
    # no sentence is recorded for a membership: the panel says so and lists the articles
    assert "No sentence is recorded" in card.locator(".no-sentence").inner_text()
    article = card.locator(".link-articles li a.article-page").first
    assert article.get_attribute("href").startswith("/id/article/")
    title = article.locator("bdi")
    assert title.get_attribute("dir") == "rtl" and title.get_attribute("lang") == "ar"
    assert "mawqif" in card.locator(".link-articles li").first.inner_text()  # the extraction run
    assert "edge=" in page.url
    shot(page, "explorer-membership-evidence")
    # the same view from its URL opens the same evidence
    page.goto(page.url)
    wait_graph(page)
    page.wait_for_selector("#evidence .link-evidence[data-relation=memberOf]")
    # the article link leads to the article's page
    page.locator("#evidence .link-articles a.article-page").first.click()
    page.wait_for_selector("main.resource")
    assert "/id/article/" in page.url


def test_party_edge_shows_its_curated_source(page: Any) -> None:
    open_explorer(page, "?focus=" + urllib.parse.quote(YEMEN_WAR))
    wait_graph(page)
    edge_id = f"{YEMEN_WAR} party {HOUTHIS}"
    assert edge_id in graph(page)["edges"]
    # from the keyboard: the neighbours list has an evidence button for the link
    button = page.locator(f"#neighbours .edge-btn[data-edge='{edge_id}']")
    assert button.get_attribute("data-kind") == "link"
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#evidence .link-evidence[data-relation=party] .curated-facts")
    text = page.locator("#evidence .link-evidence").inner_text()
    assert "Curated fact" in text and "graph_builder/gazetteer/data/conflicts.json" in text
    assert "https://w3id.org/mawqif/id/graph/entities" in text and "parties: HOUTHIS" in text
    assert page.locator("#evidence .no-sentence").count() == 0
    shot(page, "explorer-party-evidence")

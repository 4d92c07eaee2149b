"""The edge index stays exactly what counting the stances gives: after ingest, re-ingest, replacement,
SPARQL-free loads, interrupted updates, and any sequence of writes (property-based)."""
from __future__ import annotations

import calendar
import dataclasses
import pathlib
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_builder import terms
from graph_builder.edge_index import Bucket, EdgeIndex, Figures, tally, total_bucket
from graph_builder.ingest import ingest
from graph_builder.loaders import read_path
from graph_builder.named import NONE_IRI, plan
from graph_builder.samples import SAMPLES_PATH, sample_records
from graph_builder.store import ArticleGraph, Store
from queries import NamedQuery, Substitutions, bind, get_query
from server.explorer.data import ExplorerData, Filters

BASE = terms.DEFAULT_BASE
MQ = "https://w3id.org/mawqif/ontology#"


def select(store: Store, name: str, **values: str) -> list[tuple[Any, ...]]:
    q = get_query(name)
    res = store.query(q.text, substitutions=bind(q, values))
    assert isinstance(res, ox.QuerySolutions)
    rows = []
    for r in res:
        rows.append((r["holder"].value, r["type"].value, r["target"].value, int(r["stances"].value),
                     (r["latest"].value or None) if r["latest"] is not None else None))
    return sorted(rows)


def edges_graph(store: Store) -> list[str]:
    return sorted(str(q) for q in store.oxigraph.quads_for_pattern(None, None, None, terms.edges_graph(BASE)))


def entities(store: Store) -> list[str]:
    res = store.query("SELECT DISTINCT ?e WHERE { { ?s mq:holder ?e } UNION { ?s mq:target ?e } }")
    assert isinstance(res, ox.QuerySolutions)
    return sorted(r["e"].value for r in res)


def assert_index_exact(store: Store) -> None:
    """The index answers every entity's ego graph as counting the stances does, in all and by month."""
    assert store.edge_index.is_sound()
    months = [("2000-01-01", "2030-12-31"), ("2018-01-01", "2018-06-30"), ("2023-02-01", "2023-02-28"),
              ("2024-01-01", None), (None, "2019-12-31")]
    for e in entities(store):
        assert select(store, "explorer-ego-index", entity=e) == select(store, "explorer-ego", entity=e), e
        for start, end in months:
            dates = {k: v for k, v in (("from", start), ("to", end)) if v}
            assert (select(store, "explorer-ego-index-period", entity=e, **dates)
                    == select(store, "explorer-ego", entity=e, **dates)), (e, dates)
    assert_entity_pages_match(store)
    assert_named_forms_match(store)
    pairs = [tuple(r) for r in store.query(get_query("explorer-stance-pairs").text)]  # type: ignore[union-attr]
    assert [tuple(r) for r in store.query(get_query("explorer-stance-pairs-index").text)] == pairs  # type: ignore[union-attr]
    # and what the writes left equals a rebuild from scratch
    before = edges_graph(store)
    store.edge_index.rebuild()
    assert edges_graph(store) == before


def named_rows(store: Store, query: NamedQuery, subs: Substitutions) -> list[dict[str, Any]]:
    res = store.query(query.text, substitutions=subs)
    assert isinstance(res, ox.QuerySolutions)
    names = [v.value for v in res.variables]
    return [{n: (None if r[n] is None else r[n].value) for n in names} for r in res]


def assert_named_forms_match(store: Store) -> int:
    """Every named query with an index form answers, through :func:`graph_builder.named.plan`, what
    the query itself answers, for every entity; a listing's cap is lowered to 3 so that its months
    are chosen (and checked) on a small store. Returns how many listings read only some months."""
    def capped(q: NamedQuery) -> NamedQuery:
        return dataclasses.replace(q, text=q.text.replace("LIMIT 1000", "LIMIT 3"))

    def compared(row: dict[str, Any]) -> tuple[Any, ...]:
        out = dict(row)
        out.pop("example", None)   # one sentence of the group, not always the same one
        for k in ("m1", "m2", "m3", "allOf"):   # the months the index form read
            out.pop(k, None)
        if out.get("holders") is not None:
            out["holders"] = sorted(out["holders"].split(", "))
        return tuple(sorted((k, str(v)) for k, v in out.items()))

    ents = entities(store)
    said: dict[str, set[tuple[str, str, str]]] = {}   # a sentence → the (holder, type, target) of its stances
    for r in store.query("SELECT * WHERE { ?s mq:evidence ?e ; mq:holder ?h ; mq:stanceType ?t ; mq:target ?x }"):
        said.setdefault(r["e"].value, set()).add((r["h"].value, r["t"].value, r["x"].value))  # type: ignore[index]
    asked: list[tuple[str, dict[str, str]]] = [("most-active", {}), ("most-active", {"limit": "2"})]
    for e in ents:
        asked += [("who-condemns", {"target": e}), ("who-supports", {"target": e}), ("timeline", {"target": e}),
                  ("stances-about", {"target": e})]
        asked += [("stances-of-actor", {"actor": e, **dates}) for dates in (
            {}, {"from": "2024-01-01"}, {"to": "2023-12-31"}, {"from": "2018-02-10", "to": "2024-06-30"},
            {"type": MQ + "Condemnation"})]
    bounded = 0
    for name, values in asked:
        query = capped(get_query(name))
        form, subs = plan(query, values, store.oxigraph, get=lambda n: capped(get_query(n)))
        assert form.name == query.index_form, name
        mine = named_rows(store, query, bind(query, values))
        theirs = named_rows(store, form, subs)
        bounded += subs.get(ox.Variable("allOf")) == ox.NamedNode(NONE_IRI)   # (only some months read)
        if query.row_limit is not None:   # a listing: the same rows in the same order
            assert [compared(r) for r in theirs] == [compared(r) for r in mine], (name, values)
        else:
            assert sorted(map(compared, theirs)) == sorted(map(compared, mine)), (name, values)
        for r in theirs:   # an example is the sentence of a stance of the row's holder, type and about
            if r.get("example") is not None:
                assert (r["holder"], r["type"], r["about"]) in said[r["example"]], (name, values, r)
        assert all(r.get("example") is not None for r in theirs) == all(r.get("example") is not None
                                                                       for r in mine), (name, values)
    return bounded


def assert_entity_pages_match(store: Store, size: int = 3) -> int:
    """Every page of every entity's held and received stances, read through the index's periods
    (``mq:indexedStance``), lists what sorting all the entity's stances lists."""
    data = ExplorerData(store, BASE)
    assert data.edge_index_ready()
    longest = 0
    some_types = Filters(types=frozenset({"Condemnation", "Support", "Call"}))
    states = Filters(classes=frozenset({"State"}))
    for e in entities(store):
        asked: list[tuple[Filters, dict[str, str]]] = [
            (Filters(), {"holder": e}), (Filters(), {"target": e}),
            (some_types, {"holder": e}), (states, {"target": e})]
        asked += [(Filters(), {"holder": h, "type": t, "target": x}) for h, t, x, *_ in
                  select(store, "explorer-ego-index", entity=e) if h == e]
        for f, values in asked:
            counted = data.stances(f, 1, 100_000, **values)
            indexed = [data.newest_stances(f, page, size, **values) for page in range(1, counted["total"] // size + 3)]
            assert {p["total"] for p in indexed} == {counted["total"]}, (f, values)
            got = [(s["date"], s["stance"]) for p in indexed for s in p["stances"]]
            assert got == [(s["date"], s["stance"]) for s in counted["stances"]], (f, values)
            longest = max(longest, counted["total"])
    return longest


def test_tally_counts_edges_and_periods() -> None:
    t = tally([("h", "T", "x", "2024-05-02", "s1", "a1"), ("h", "T", "x", "2024-06", "s2", "a1"),
               ("h", "T", "x", "2024-06", "s3", "a2"), ("h", "T", "x", "2024", "s4", "a2"),
               *(("h", "T", "y", None, f"u{i}", "a3") for i in range(3)), ("h", "T", "y", None, "s4", "a2"),
               ("g", "T", "y", None, "v", "a3")])
    assert t[Bucket("h", "T", "x", "")] == Figures(4, 2, "2024", "2024-06")
    assert t[Bucket("h", "T", "x", "2024-05")] == Figures(1, 1, "2024-05-02", "2024-05-02")
    assert t[Bucket("h", "T", "x", "p2024-06")] == Figures(2, 2, "2024-06", "2024-06")
    assert t[Bucket("h", "T", "x", "p2024")] == Figures(1, 1, "2024", "2024")
    assert t[Bucket("h", "T", "y", "")] == Figures(4, 2, None, None)
    # a holder's total counts distinct stances (s4 is about x and y) and articles
    assert t[total_bucket("h")] == Figures(7, 3, None, None)
    assert t[total_bucket("g")] == Figures(1, 1, None, None)
    assert len(t) == 8


def test_index_after_ingest_and_reingest(store: Store) -> None:
    ingest(store, read_path(str(SAMPLES_PATH)))
    assert_index_exact(store)
    assert assert_entity_pages_match(store, size=3) > 2 * 3   # pages spanning several periods compared
    assert assert_named_forms_match(store) > 5   # listings that read only their newest months compared
    # the same input again changes nothing
    before = edges_graph(store)
    ingest(store, read_path(str(SAMPLES_PATH)))
    assert edges_graph(store) == before


def test_entity_page_articles_walk_the_days(store: Store, tmp_path: pathlib.Path) -> None:
    """The entity page's articles, read by walking publication days, are every article that mentions
    the entity, newest first, the undated ones last: what sorting them all gives, page by page."""
    import json
    ingest(store, read_path(str(SAMPLES_PATH)))
    undated = [{"url": f"https://example.org/undated/{i}", "lang": "ar",
                "text": "أدانت مصر والأردن القصف على سوريا، ودعت الجامعة العربية إلى وقف إطلاق النار."}
               for i in range(2)]
    (tmp_path / "undated.jsonl").write_text("".join(json.dumps(u, ensure_ascii=False) + "\n" for u in undated),
                                            encoding="utf-8")
    ingest(store, read_path(str(tmp_path / "undated.jsonl")))
    data = ExplorerData(store, BASE)
    res = store.query("SELECT ?a WHERE { ?a a mq:Article FILTER NOT EXISTS { ?a schema:datePublished ?d } }")
    assert isinstance(res, ox.QuerySolutions)
    no_date = {r["a"].value for r in res}
    assert len(no_date) == 2
    size, longest, saw_undated = 2, 0, False
    for e in entities(store):
        every = [r["article"].value for r in data.select("explorer-mentions", entity=e)]
        pages = [data.mentions(e, page, size) for page in range(1, len(every) // size + 3)]
        assert {total for total, _ in pages} == {len(every)}, e
        assert [a for _, shown in pages for a in shown] == every, e
        longest = max(longest, len(every))
        saw_undated |= len(every) > 2 and set(every[-2:]) == no_date   # the undated ones come last
    assert longest > size and saw_undated


def test_rebuild_loads_the_stance_lists_in_chunks(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    ingest(store, read_path(str(SAMPLES_PATH)))
    before = edges_graph(store)
    stale = [ox.Quad(ox.NamedNode(f"{BASE}edge/stale-{i}"), terms.MQ_STANCE_COUNT, ox.Literal(i),
                     terms.edges_graph(BASE)) for i in range(10)]
    store.oxigraph.extend(stale)   # what the old index held is removed (a chunk at a time, too)
    monkeypatch.setattr("graph_builder.edge_index.REBUILD_CHUNK", 7)   # many chunks, a short last one
    store.edge_index.rebuild()
    assert edges_graph(store) == before and store.edge_index.is_sound()


def test_a_rebuild_whose_scan_interleaves_articles_counts_them_one_by_one(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rebuild counts distinct articles an article at a time, from the scan's runs of one
    article's rows; when an article comes back after another one, it counts every article again."""
    ingest(store, read_path(str(SAMPLES_PATH)))
    before = edges_graph(store)
    stream = EdgeIndex._stream

    def interleaved(self: EdgeIndex, name: str, **values: str) -> Any:
        rows = list(stream(self, name, **values))
        return iter(rows[0::2] + rows[1::2])   # every article's rows split in two runs, or more

    monkeypatch.setattr(EdgeIndex, "_stream", interleaved)
    store.edge_index.rebuild()
    assert edges_graph(store) == before and store.edge_index.is_sound()


def test_a_large_update_loads_its_nodes_in_chunks(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The end of an ingest updates a node per edge and month in one go: loaded in chunks, it gives
    the index a rebuild gives."""
    monkeypatch.setattr("graph_builder.edge_index.REBUILD_CHUNK", 7)   # many chunks, a short last one
    ingest(store, read_path(str(SAMPLES_PATH)))
    after_ingest = edges_graph(store)
    store.edge_index.rebuild()
    assert edges_graph(store) == after_ingest and store.edge_index.is_sound()


def test_index_after_an_article_is_replaced(store: Store, tmp_path: pathlib.Path) -> None:
    ingest(store, read_path(str(SAMPLES_PATH)))
    records = sample_records()
    changed = dict(records[0])
    # keep only its first half: stances go, first and last days move
    changed["text"] = changed["text"][: len(changed["text"]) // 2]
    path = tmp_path / "changed.jsonl"
    import json
    path.write_text(json.dumps(changed, ensure_ascii=False) + "\n", encoding="utf-8")
    ingest(store, read_path(str(path)))
    assert_index_exact(store)


def test_interrupted_update_is_rebuilt_on_open(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "store"
    with Store(path) as s:
        ingest(s, read_path(str(SAMPLES_PATH)))
        good = edges_graph(s)
        s.edge_index.begin()  # as if the writer died mid-update …
        first = next(iter(s.oxigraph.quads_for_pattern(None, terms.MQ_STANCE_COUNT, None, terms.edges_graph(BASE))))
        s.oxigraph.remove(first)  # … having changed part of the index
    with Store(path, read_only=True) as ro:
        assert not ro.edge_index.is_sound()
    with Store(path) as s:
        assert s.edge_index.is_sound()
        assert edges_graph(s) == good


def test_an_index_of_an_older_format_is_rebuilt_on_open(tmp_path: pathlib.Path) -> None:
    """A store written by a version whose index had no stance lists (format 1, no owl:versionInfo):
    readers count stances, and the next open for writing rebuilds the index with its lists."""
    path = tmp_path / "store"
    with Store(path) as s:
        ingest(s, read_path(str(SAMPLES_PATH)))
        good = edges_graph(s)
        index = terms.edges_graph(BASE)
        for q in [*s.oxigraph.quads_for_pattern(None, terms.MQ_INDEXED_STANCE, None, index),
                  *s.oxigraph.quads_for_pattern(index, terms.OWL_VERSION_INFO, None, index)]:
            s.oxigraph.remove(q)
    with Store(path, read_only=True) as ro:
        assert not ro.edge_index.is_complete()
        assert not ExplorerData(ro, BASE).edge_index_ready()
    with Store(path) as s:
        assert s.edge_index.is_sound() and ExplorerData(s, BASE).edge_index_ready()
        assert edges_graph(s) == good


def test_load_of_foreign_rdf_invalidates_then_rebuilds(store: Store) -> None:
    ingest(store, read_path(str(SAMPLES_PATH)))
    g = ox.NamedNode("https://example.org/extra")
    turtle = ("@prefix mq: <https://w3id.org/mawqif/ontology#> . @prefix prov: <http://www.w3.org/ns/prov#> .\n"
              "<https://example.org/s1> a mq:Stance ; mq:holder <https://w3id.org/mawqif/id/state/EGY> ; "
              "mq:stanceType mq:Support ; mq:target <https://w3id.org/mawqif/id/state/LBY> ; "
              "prov:wasDerivedFrom <https://example.org/extra> .\n")
    store.load(turtle, fmt=ox.RdfFormat.TURTLE, graph=g)
    assert not store.edge_index.is_complete()
    store.ensure_edge_index()
    assert_index_exact(store)


# -- property: any sequence of article writes keeps the index equal to a rebuild ------------------
HOLDERS = [f"{BASE}state/{c}" for c in ("EGY", "SAU", "QAT")]
TARGETS = [f"{BASE}state/{c}" for c in ("SYR", "EGY", "YEM")]
TYPES = [terms.STANCE_TYPE_IRI[t].value for t in ("Support", "Condemnation")]
DAYS = [None, "2024-05-01", "2024-05-31", "2024-06-15", "2024-06", "2024"]


def article_graph(n: int, stances: list[tuple[int, int, int, int]], published: str | None) -> ArticleGraph:
    g = ox.NamedNode(f"{BASE}article/a{n}")
    quads = [ox.Quad(g, terms.RDF_TYPE, terms.MQ_ARTICLE, g)]
    if published:
        quads.append(ox.Quad(g, terms.SCHEMA_DATE_PUBLISHED, ox.Literal(published, datatype=terms.XSD_DATE), g))
    for i, (h, t, tg, d) in enumerate(stances):
        s = ox.NamedNode(f"{BASE}stance/a{n}-{i}")
        quads += [ox.Quad(s, terms.RDF_TYPE, terms.MQ_STANCE, g),
                  ox.Quad(s, terms.MQ_HOLDER, ox.NamedNode(HOLDERS[h]), g),
                  ox.Quad(s, terms.MQ_STANCE_TYPE, ox.NamedNode(TYPES[t]), g),
                  ox.Quad(s, terms.MQ_TARGET, ox.NamedNode(TARGETS[tg]), g),
                  ox.Quad(s, terms.PROV_WAS_DERIVED_FROM, g, g)]
        day = DAYS[d]
        if day is not None:
            quads.append(ox.Quad(s, terms.MQ_STATED_ON, ox.Literal(day, datatype=terms.date_datatype(day)), g))
    return ArticleGraph(g, tuple(quads))


stance_st = st.tuples(st.integers(0, 2), st.integers(0, 1), st.integers(0, 2), st.integers(0, len(DAYS) - 1))
write_st = st.tuples(st.integers(0, 3), st.lists(stance_st, max_size=4),
                     st.sampled_from([None, "2024-05-20", "2024-07-01"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(st.lists(write_st, min_size=1, max_size=3), min_size=1, max_size=5))
def test_any_sequence_of_writes_keeps_the_index_exact(writes: list[list[tuple[Any, ...]]]) -> None:
    with Store(None) as store:
        for batch in writes:
            latest = {n: (stances, pub) for n, stances, pub in batch}  # one version of an article a batch
            store.replace_articles([article_graph(n, s, p) for n, (s, p) in sorted(latest.items())])
        after_writes = edges_graph(store)
        store.edge_index.rebuild()
        assert edges_graph(store) == after_writes
        assert_index_exact(store)


@pytest.mark.parametrize("start,end,aligned", [
    ("2024-05-01", "2024-05-31", True), ("2024-02-01", "2024-02-29", True), ("2024-05-02", None, False),
    (None, "2024-05-30", False), (None, None, True),
])
def test_month_aligned_ranges(start: str | None, end: str | None, aligned: bool) -> None:
    from server.explorer.data import month_aligned
    assert month_aligned(start, end) is aligned
    if end and aligned:
        y, m = int(end[:4]), int(end[5:7])
        assert int(end[8:]) == calendar.monthrange(y, m)[1]


def test_graph_store_writes_and_updates_keep_the_index_exact(store: Store) -> None:
    """What the server does around Graph Store Protocol writes and SPARQL Updates."""
    ingest(store, read_path(str(SAMPLES_PATH)))
    ox_store = store.oxigraph
    graphs = sorted(g.value for g in ox_store.named_graphs() if "/article/" in g.value)
    first, second = ox.NamedNode(graphs[0]), ox.NamedNode(graphs[1])
    before = select(store, "explorer-stance-pairs-index")
    kept = list(ox_store.quads_for_pattern(None, None, None, first))
    with store.changing_graph(first):  # DELETE ?graph=…
        ox_store.remove_graph(first)
    assert_index_exact(store)
    with store.changing_graph(first):  # PUT ?graph=… (back again)
        ox_store.add_graph(first)
        ox_store.extend(kept)
    assert_index_exact(store)
    # SPARQL Update: anything may change; the index is counted again
    ox_store.update("DELETE WHERE { GRAPH ?g { ?s <https://w3id.org/mawqif/ontology#stanceType> "
                    "<https://w3id.org/mawqif/ontology#Support> } }")
    ox_store.remove_graph(second)
    store.changed_anywhere()
    assert_index_exact(store)
    assert select(store, "explorer-stance-pairs-index") != before

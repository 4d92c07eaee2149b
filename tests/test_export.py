"""Export (graph_builder.export): every format parses to the store's quads, the derived edge-index
graph left out; the same store exports the same bytes; Turtle keeps one readable prefix header."""
from __future__ import annotations

import io
import pathlib

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from graph_builder import terms
from graph_builder.export import EXPORT_FORMATS, export_quads, export_store, graphs_left_out, is_exported
from graph_builder.ingest import ingest
from graph_builder.model import Article
from graph_builder.store import Store

BASE = terms.DEFAULT_BASE
ARTICLES = [
    Article(text="رحبت المملكة العربية السعودية بالاتفاق بين السودان وجنوب السودان.", lang="ar",
            url="https://example.org/news/1", title="ترحيب سعودي", published="2025-03-02"),
    Article(text="The European Union condemned the attack on Ukraine.", lang="en", published="2025-03-03"),
    Article(text="Egypt welcomed the agreement on Libya.\nFrance called for a ceasefire in Gaza.", lang="en"),
]
EX = "https://example.org/"


def _tricky_quads() -> list[ox.Quad]:
    """Literals with what the byte editing must not break: newlines, " .", tabs, quotes, braces, "@"."""
    g, bg, s = ox.NamedNode(EX + "g/1"), ox.BlankNode("g2"), ox.NamedNode(EX + "s")
    p = ox.NamedNode(EX + "p")
    objects = [ox.Literal("one .\ntwo .\n"), ox.Literal('tab\there "quoted" } {'), ox.Literal("@prefix x: <y> ."),
               ox.Literal("سطر\r\nآخر", language="ar"), ox.Literal("42", datatype=terms.XSD_INTEGER),
               ox.BlankNode("b1")]
    quads = [ox.Quad(s, p, o, g) for o in objects]
    quads += [ox.Quad(ox.BlankNode("b1"), p, ox.Literal("in a blank node"), g),
              ox.Quad(s, p, ox.Literal("in a blank graph"), bg),
              ox.Quad(s, p, ox.Literal("in the default graph"), ox.DefaultGraph()),
              ox.Quad(ox.NamedNode(BASE + "state/EGY"), terms.RDF_TYPE, terms.MQ_STATE, terms.entities_graph(BASE))]
    return quads


@pytest.fixture
def store(tmp_path: pathlib.Path):
    with Store(tmp_path / "store") as s:
        ingest(s, ARTICLES)
        s.oxigraph.extend(_tricky_quads())
        s.oxigraph.extend([ox.Quad(terms.edges_graph(BASE), terms.RDF_TYPE, terms.MQ_EDGE_INDEX,
                                   terms.edges_graph(BASE))])   # whether or not the store keeps one
        yield s


def _export(store: Store, fmt: str) -> bytes:
    out = io.BytesIO()
    store.export(out, fmt)
    return out.getvalue()


def _kept(store: Store) -> set[ox.Quad]:
    return {q for q in store.oxigraph if is_exported(q.graph_name, BASE)}


def test_only_the_edge_index_is_left_out(store: Store) -> None:
    assert graphs_left_out(BASE) == {terms.edges_graph(BASE)}
    assert not is_exported(terms.edges_graph(BASE), BASE)
    assert is_exported(ox.DefaultGraph(), BASE) and is_exported(terms.entities_graph(BASE), BASE)
    assert is_exported(ox.BlankNode("g"), BASE)
    assert any(q.graph_name == terms.edges_graph(BASE) for q in store.oxigraph)
    assert len(_kept(store)) < len(store.oxigraph)


@pytest.mark.parametrize("fmt", ["trig", "nquads", "jsonld"])
def test_dataset_formats_give_the_stores_quads(store: Store, fmt: str) -> None:
    parsed = set(ox.parse(_export(store, fmt), format=EXPORT_FORMATS[fmt]))
    assert parsed == _kept(store)


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "rdfxml"])
def test_triple_formats_merge_the_graphs(store: Store, fmt: str) -> None:
    parsed = {ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(_export(store, fmt),
                                                                          format=EXPORT_FORMATS[fmt])}
    merged = {ox.Quad(q.subject, q.predicate, q.object) for q in _kept(store)}
    assert parsed == merged


@pytest.mark.parametrize("fmt,rdflib_format", [("turtle", "turtle"), ("trig", "trig"), ("nquads", "nquads")])
def test_rdflib_reads_the_same_graph(store: Store, fmt: str, rdflib_format: str) -> None:
    ds = rdflib.Dataset()
    ds.parse(data=_export(store, fmt), format=rdflib_format)
    got = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        got.add((s, p, o))
    nt = io.BytesIO()
    ox.serialize([q.triple for q in _kept(store)], nt, ox.RdfFormat.N_TRIPLES)
    assert isomorphic(got, rdflib.Graph().parse(data=nt.getvalue(), format="nt"))


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_same_store_same_bytes(store: Store, tmp_path: pathlib.Path, fmt: str) -> None:
    first = _export(store, fmt)
    assert first == _export(store, fmt)
    path = store.path
    assert path is not None
    store.close()
    with Store(path, read_only=True) as again:
        assert _export(again, fmt) == first


def test_turtle_and_trig_read_well(store: Store) -> None:
    ttl = _export(store, "turtle").decode()
    header = [line for line in ttl.splitlines() if line.startswith("@prefix")]
    assert header == [f"@prefix {k}: <{v}> ." for k, v in terms.export_prefixes(BASE).items()]
    assert ttl.startswith("\n".join(header))            # once, at the top
    assert "state:EGY a mq:State" in ttl and "mq:Stance" in ttl
    trig = _export(store, "trig").decode()
    assert sorted(line for line in trig.splitlines() if line.startswith("@prefix")) == sorted(header)
    assert "\narticle:" in trig and " {\n\t" in trig     # graphs named with prefixes, contents indented
    assert str(terms.edges_graph(BASE)) not in trig


def test_remote_path_leaves_out_the_same_graphs(store: Store) -> None:
    out = io.BytesIO()
    export_quads(lambda: iter(store.oxigraph), out, "nquads", BASE)
    assert set(ox.parse(out.getvalue(), format=ox.RdfFormat.N_QUADS)) == set(ox.parse(
        _export(store, "nquads"), format=ox.RdfFormat.N_QUADS))


def test_another_base() -> None:
    base = "urn:x-test:"
    s = ox.Store()
    s.add(ox.Quad(ox.NamedNode(base + "state/EGY"), terms.RDF_TYPE, terms.MQ_STATE, ox.NamedNode(base + "g")))
    s.add(ox.Quad(ox.NamedNode(base + "x"), terms.RDF_TYPE, terms.MQ_EDGE_INDEX, terms.edges_graph(base)))
    s.add(ox.Quad(ox.NamedNode(base + "y"), terms.RDF_TYPE, terms.MQ_EDGE_INDEX, terms.edges_graph(BASE)))
    out = io.BytesIO()
    export_store(s, out, "trig", base)
    quads = set(ox.parse(out.getvalue(), format=ox.RdfFormat.TRIG))
    assert {q.graph_name for q in quads} == {ox.NamedNode(base + "g"), terms.edges_graph(BASE)}
    assert b"\nid:g {\n\tstate:EGY a mq:State .\n}\n" in out.getvalue()


def test_empty_store_exports_only_the_header() -> None:
    for fmt in ("turtle", "trig", "nquads", "ntriples"):
        out = io.BytesIO()
        export_store(ox.Store(), out, fmt, BASE)
        assert set(ox.parse(out.getvalue(), format=EXPORT_FORMATS[fmt])) == set()


@pytest.mark.parametrize("size", [1, 5, 64])
def test_prefix_lines_are_dropped_however_oxigraph_cuts_its_writes(size: int) -> None:
    from graph_builder.export import _WithoutDirectives

    triples = [q.triple for q in _tricky_quads()]
    ttl = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=terms.export_prefixes(BASE)) or b""
    out = io.BytesIO()
    sink = _WithoutDirectives(out)
    for i in range(0, len(ttl), size):
        assert sink.write(ttl[i:i + size]) == len(ttl[i:i + size])
    body = out.getvalue()
    assert ttl.endswith(body) and ttl[:-len(body)].count(b"\n") == len(terms.export_prefixes(BASE))
    assert not body.startswith(b"@") and b"\n@prefix" not in body

"""Quads (deterministic IRIs, contract terms) and the store (atomic replace, recovery, export)."""
from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from graph_builder import terms
from graph_builder.export import is_exported
from graph_builder.extract import extract
from graph_builder.gazetteer import default_gazetteer
from graph_builder.ingest import ingest
from graph_builder.model import STANCE_TYPES, Article, Extraction, Mention, Sentence, Stance
from graph_builder.quads import article_iri, build_article_graph, entity_iri
from graph_builder.shacl import validate
from graph_builder.store import Store

ARTICLE = Article(
    text="رحبت المملكة العربية السعودية بالاتفاق بين السودان وجنوب السودان. "
         "ودعت الجامعة العربية إلى وقف إطلاق النار في غزة.",
    lang="ar", url="https://example.org/news/1", title="ترحيب سعودي", published="2025-03-02")


def _triples(ag) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in ag.quads}


def test_same_input_same_quads():
    a = build_article_graph(extract(ARTICLE))
    b = build_article_graph(extract(ARTICLE))
    assert a.quads == b.quads and a.shared == b.shared


def test_article_iri_from_url_else_text():
    assert article_iri(ARTICLE) == article_iri(Article(text="other text", url=ARTICLE.url))
    assert article_iri(Article(text="x")) != article_iri(Article(text="y"))
    assert article_iri(Article(text="x")) == article_iri(Article(text="x", title="t"))


def test_contract_terms_present():
    ag = build_article_graph(extract(ARTICLE))
    preds = {q.predicate for q in ag.quads}
    for p in (terms.SCHEMA_URL, terms.DCTERMS_TITLE, terms.DCTERMS_LANGUAGE, terms.SCHEMA_DATE_PUBLISHED,
              terms.MQ_MENTIONS, terms.MQ_HOLDER, terms.MQ_STANCE_TYPE, terms.MQ_TARGET, terms.MQ_EVIDENCE,
              terms.PROV_WAS_DERIVED_FROM):
        assert p in preds, p
    assert all(q.graph_name == ag.graph for q in ag.quads)
    shared = {(q.subject, q.predicate, q.object) for q in ag.shared}
    sau = entity_iri(default_gazetteer().entity("SAU"))
    assert (sau, terms.MQ_ISO_CODE, ox.Literal("SAU")) in shared
    assert (sau, terms.OWL_SAME_AS, ox.NamedNode("http://www.wikidata.org/entity/Q851")) in shared
    labels = {q.object.language for q in ag.shared if q.subject == sau and q.predicate == terms.RDFS_LABEL}
    assert labels == {"en", "ar"}


def test_graph_conforms_to_shapes():
    ag = build_article_graph(extract(ARTICLE), generated_at="2025-03-02T10:00:00Z")
    buf = io.BytesIO()
    ox.serialize([*ag.quads, *ag.shared], buf, ox.RdfFormat.N_QUADS)
    report = validate(buf.getvalue().decode())
    assert report.conforms, report.plain_text()


def test_replace_is_idempotent(store: Store):
    ingest(store, [ARTICLE])
    n = len(store.oxigraph)
    ingest(store, [ARTICLE])
    assert len(store.oxigraph) == n
    changed = Article(text="أدانت فرنسا الهجوم على سوريا.", lang="ar", url=ARTICLE.url)
    ingest(store, [changed])
    res = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a mq:Stance }")
    assert int(next(iter(res))[0].value) == 1  # the earlier version's stances are gone


def test_interrupted_load_is_rolled_back(tmp_path):
    """Quads bulk-loaded without their commit record (a crash mid-load) are removed on reopening."""
    path = tmp_path / "s"
    with Store(path) as s:
        ingest(s, [Article(text="أدانت فرنسا الهجوم على سوريا.", lang="ar", url="https://example.org/a")])
        partial = build_article_graph(extract(ARTICLE))
        s.oxigraph.bulk_extend([q for q in partial.quads if q.predicate != terms.RDF_TYPE
                                or q.object != terms.MQ_ARTICLE])
    with Store(path) as s:
        assert not s.oxigraph.contains_named_graph(partial.graph)
        assert s.stats().articles == 1
        ingest(s, [ARTICLE])
        assert s.stats().articles == 2


def test_export_merges_graphs_and_round_trips(store: Store):
    ingest(store, [ARTICLE, Article(text="The European Union condemned the attack on Ukraine.", lang="en")])
    buf = io.BytesIO()
    store.export(buf, "turtle")
    g = rdflib.Graph().parse(data=buf.getvalue(), format="turtle")
    union = rdflib.Graph()
    for q in store.quads():
        if not is_exported(q.graph_name, store.base):   # the edge index, a cache
            continue
        union.add(tuple(rdflib.util.from_n3(t.__str__()) for t in (q.subject, q.predicate, q.object)))
    assert isomorphic(g, union)


# -- property: statements → quads → Turtle → parse → isomorphic -----------------------------------
_GAZ = default_gazetteer()
_ACTORS = sorted(e.key for e in _GAZ if e.kind in ("State", "Organisation", "ArmedGroup"))[:60]
_TEXTS = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)


@st.composite
def extractions(draw) -> Extraction:
    text = draw(_TEXTS)
    n = len(text)
    stances = []
    for _ in range(draw(st.integers(0, 4))):
        a = draw(st.integers(0, n - 1))
        b = draw(st.integers(a + 1, n))
        sent = Sentence(a, b, text[a:b])
        stances.append(Stance(
            holder=draw(st.sampled_from(_ACTORS)), type=draw(st.sampled_from(STANCE_TYPES)),
            targets=tuple(draw(st.lists(st.sampled_from(_ACTORS), min_size=1, max_size=3, unique=True))),
            sentence=sent, cue=text[a:b], cue_start=a, cue_end=b,
            confidence=draw(st.floats(0, 1)), rule="test"))
    mentions = tuple(Mention(k, 0, 1, text[:1]) for k in draw(st.lists(st.sampled_from(_ACTORS), max_size=3)))
    art = Article(text=text, lang=draw(st.sampled_from(["ar", "en"])),
                  title=draw(st.one_of(st.none(), _TEXTS)), url=draw(st.one_of(st.none(), st.just("https://e.org/x"))))
    return Extraction(article=art, lang=art.lang or "ar", stances=tuple(stances), mentions=mentions)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(extractions())
def test_quads_turtle_round_trip(x: Extraction):
    ag = build_article_graph(x)
    buf = io.BytesIO()
    ox.serialize((q.triple for q in (*ag.quads, *ag.shared)), buf, ox.RdfFormat.TURTLE, prefixes=terms.PREFIXES)
    parsed = rdflib.Graph().parse(data=buf.getvalue(), format="turtle")
    nt = io.BytesIO()
    ox.serialize((q.triple for q in (*ag.quads, *ag.shared)), nt, ox.RdfFormat.N_TRIPLES)
    direct = rdflib.Graph().parse(data=nt.getvalue(), format="nt")
    assert isomorphic(parsed, direct)


@pytest.mark.parametrize("bad", ["not-a-format", "csv"])
def test_export_unknown_format(store: Store, bad: str):
    from graph_builder.errors import QueryError

    with pytest.raises(QueryError):
        store.export(io.BytesIO(), bad)

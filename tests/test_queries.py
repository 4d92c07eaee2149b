"""The bundled named queries (queries/*.rq), parameter binding, and the bundled sample articles."""
from __future__ import annotations

import json
import re
from typing import Any

import pyoxigraph as ox
import pytest

import queries
from graph_builder.model import PRINCIPLES, STANCE_TYPES
from graph_builder.samples import EXPECTED_PATH, SAMPLES_PATH, expected_records, sample_records
from queries import NamedQuery, Param, bind, get_query, list_queries

MQ = "https://w3id.org/mawqif/ontology#"
ID = "https://w3id.org/mawqif/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"

EXPECTED_NAMES = {
    "stances-of-actor", "stances-about", "who-supports", "who-condemns", "members-of", "opposite-stances",
    "timeline", "evidence", "most-active", "stance-count", "articles",
}

# A tiny hand-made graph: four articles in their own named graphs, entity descriptions in another.
DATASET = """
@prefix mq: <https://w3id.org/mawqif/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/mawqif/id/> .

id:entities {
  id:state-UKR a mq:State ; mq:isoCode "UKR" ; rdfs:label "Ukraine"@en , "أوكرانيا"@ar ;
      owl:sameAs <http://www.wikidata.org/entity/Q212> .
  id:state-RUS a mq:State ; mq:isoCode "RUS" ; rdfs:label "Russia"@en , "روسيا"@ar .
  id:state-ISR a mq:State ; mq:isoCode "ISR" ; rdfs:label "Israel"@en , "إسرائيل"@ar .
  id:state-SAU a mq:State ; mq:isoCode "SAU" ; rdfs:label "Saudi Arabia"@en , "السعودية"@ar .
  id:state-QAT a mq:State ; mq:isoCode "QAT" ; rdfs:label "Qatar"@en , "قطر"@ar .
  id:org-EU a mq:Organisation ; rdfs:label "European Union"@en , "الاتحاد الأوروبي"@ar .
  id:org-GCC a mq:Organisation ; rdfs:label "Gulf Cooperation Council"@en , "مجلس التعاون الخليجي"@ar .
  id:org-ARAB_LEAGUE a mq:Organisation ; rdfs:label "Arab League"@en , "جامعة الدول العربية"@ar .
  id:conflict-ukraine a mq:Conflict ; rdfs:label "war in Ukraine"@en ; mq:location id:state-UKR .
}

id:article-a1 {
  id:article-a1 a mq:Article ; schema:url "https://example.org/a1" ; dcterms:title "EU backs Ukraine" ;
      dcterms:language "en" ; schema:datePublished "2025-03-17"^^xsd:date ;
      mq:mentions id:org-EU , id:state-UKR , id:state-RUS .
  id:stance-a1-1 a mq:Stance ; mq:holder id:org-EU ; mq:stanceType mq:Support ; mq:target id:state-UKR ;
      mq:evidence "The EU reiterated its support for Ukraine."@en ; mq:cue "support" ;
      mq:statedOn "2025-03-17"^^xsd:date ; mq:confidence 0.9 ; prov:wasDerivedFrom id:article-a1 .
  id:stance-a1-2 a mq:Stance ; mq:holder id:org-EU ; mq:stanceType mq:Condemnation ; mq:target id:state-RUS ;
      mq:evidence "The EU condemned Russia's strikes."@en ; mq:cue "condemned" ;
      prov:wasDerivedFrom id:article-a1 .
}

id:article-a2 {
  id:article-a2 a mq:Article ; schema:url "https://example.org/a2" ;
      dcterms:title "موسكو ترفض العقوبات \\"الجديدة\\"" ;
      dcterms:language "ar" ; schema:datePublished "2025-02-25"^^xsd:date ;
      mq:mentions id:state-RUS , id:org-EU , id:state-UKR .
  id:stance-a2-1 a mq:Stance ; mq:holder id:state-RUS ; mq:stanceType mq:Rejection ; mq:target id:org-EU ;
      mq:evidence "رفضت موسكو حزمة العقوبات الجديدة"@ar ; mq:cue "رفضت" ; prov:wasDerivedFrom id:article-a2 .
  id:stance-a2-2 a mq:Stance ; mq:holder id:state-RUS ; mq:stanceType mq:Condemnation ;
      mq:target id:state-UKR ;
      mq:evidence "اتهمت موسكو كييف"@ar ; mq:cue "اتهمت" ; prov:wasDerivedFrom id:article-a2 .
  id:stance-a2-3 a mq:Stance ; mq:holder id:state-RUS ; mq:stanceType mq:Concern ;
      mq:target id:conflict-ukraine ;
      mq:evidence "وحذرت المتحدثة"@ar ; mq:cue "وحذرت" ; prov:wasDerivedFrom id:article-a2 .
}

id:article-a3 {
  id:article-a3 a mq:Article ; schema:url "https://example.org/a3" ; dcterms:title "Arab League condemns" ;
      dcterms:language "ar" ; schema:datePublished "2024-03-27"^^xsd:date .
  id:stance-a3-1 a mq:Stance ; mq:holder id:org-ARAB_LEAGUE ; mq:stanceType mq:Condemnation ;
      mq:target id:state-ISR ; mq:evidence "أدان مجلس الجامعة"@ar ; prov:wasDerivedFrom id:article-a3 .
}

id:article-a4 {
  id:article-a4 a mq:Article ; schema:url "https://example.org/a4" ; dcterms:title "GCC" ;
      dcterms:language "ar" ; schema:datePublished "2025-12-04"^^xsd:date .
  id:state-SAU mq:memberOf id:org-GCC .
  id:state-QAT mq:memberOf id:org-GCC .
}
"""


def node(local: str) -> ox.NamedNode:
    return ox.NamedNode(ID + local)


@pytest.fixture()
def store() -> ox.Store:
    s = ox.Store()
    s.load(DATASET.encode("utf-8"), format=ox.RdfFormat.TRIG)
    return s


def run(store: ox.Store, name: str, **values: str) -> list[dict[str, Any]]:
    query = get_query(name)
    results = store.query(query.text, use_default_graph_as_union=True, substitutions=bind(query, values))
    assert isinstance(results, ox.QuerySolutions)
    names = [v.value for v in results.variables]
    rows = []
    for solution in results:
        row: dict[str, Any] = {}
        for n in names:
            term = solution[n]
            row[n] = None if term is None else term.value
        rows.append(row)
    return rows


def snapshot(store: ox.Store) -> set[str]:
    return {str(q) for q in store}


# ----------------------------------------------------------------------------- the files themselves

def test_expected_queries_are_shipped() -> None:
    assert EXPECTED_NAMES <= {q.name for q in list_queries()}


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_header_is_complete(query: NamedQuery) -> None:
    assert query.title and query.description
    assert query.text.startswith("# title:")
    assert "PREFIX mq: <https://w3id.org/mawqif/ontology#>" in query.text
    for param in query.params:
        assert param.type in queries.PARAM_TYPES
        assert param.description, f"{query.name}: param {param.name} has no description"
        assert re.search(rf"\?{param.name}\b", query.text), f"{query.name}: ?{param.name} not used"
    # No hand-made string splicing placeholders.
    assert "{}" not in query.text.replace("{ }", "") and "%s" not in query.text


def _sample_value(param: Param) -> str:
    return {"iri": ID + "state-UKR", "date": "2025-01-01", "integer": "3"}.get(param.type, "x")


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_query_runs_on_empty_store(query: NamedQuery) -> None:
    store = ox.Store()
    required = {p.name: _sample_value(p) for p in query.required}
    every = {p.name: _sample_value(p) for p in query.params}
    for values in (required, every):
        results = store.query(query.text, use_default_graph_as_union=True, substitutions=bind(query, values))
        if isinstance(results, ox.QueryBoolean):
            assert not results
            continue
        rows = list(results)  # type: ignore[arg-type]
        if query.name == "stance-count":
            assert rows[0]["n"].value == "0"
        else:
            assert rows == []


def test_get_query_unknown_raises_keyerror() -> None:
    with pytest.raises(KeyError):
        get_query("no-such-query")
    with pytest.raises(KeyError):
        get_query("../pyproject")
    assert get_query("stance-count.rq").name == "stance-count"


def test_header_parser_rejects_incomplete_headers() -> None:
    with pytest.raises(ValueError, match="title"):
        queries.parse_header("x", "# description: d\nSELECT * WHERE {}")
    with pytest.raises(ValueError, match="description"):
        queries.parse_header("x", "# title: t\nSELECT * WHERE {}")
    with pytest.raises(ValueError, match="unknown type"):
        queries.parse_header("x", "# title: t\n# description: d\n# param: a float — x\nSELECT * WHERE {}")
    header = "# title: t\n# description: d\n# param: a iri optional — an a\n"
    q = queries.parse_header("x", header + "SELECT ?a {}")
    assert q.params == (Param("a", "iri", True, "an a"),)


# ----------------------------------------------------------------------------- bind()

def test_bind_type_conversions() -> None:
    q = get_query("stances-of-actor")
    subs = bind(q, {"actor": ID + "state-SYR", "type": MQ + "Condemnation", "from": "2024-01-31",
                     "to": "2024-12-31"})
    assert subs[ox.Variable("actor")] == ox.NamedNode(ID + "state-SYR")
    assert subs[ox.Variable("type")] == ox.NamedNode(MQ + "Condemnation")
    assert subs[ox.Variable("from")] == ox.Literal("2024-01-31", datatype=ox.NamedNode(XSD + "date"))
    assert bind(get_query("most-active"), {"limit": "05"})[ox.Variable("limit")] == ox.Literal(
        "5", datatype=ox.NamedNode(XSD + "integer"))
    assert bind(get_query("most-active"), {}) == {}
    assert bind(get_query("most-active"), {"limit": ""}) == {}   # empty optional = unbound
    s = NamedQuery("t", "t", "d", (Param("s", "string", False, "s"), Param("l", "literal", True, "l")), "")
    out = bind(s, {"s": "hello", "l": '"مرحبا"@ar'})
    assert out[ox.Variable("s")] == ox.Literal("hello")
    assert out[ox.Variable("l")] == ox.Literal("مرحبا", language="ar")
    out = bind(s, {"s": "x", "l": f'"7"^^<{XSD}integer>'})
    assert out[ox.Variable("l")] == ox.Literal("7", datatype=ox.NamedNode(XSD + "integer"))
    assert bind(s, {"s": "x", "l": "plain"})[ox.Variable("l")] == ox.Literal("plain")


@pytest.mark.parametrize(("name", "values", "message"), [
    ("stances-of-actor", {}, "actor"),                                         # missing required
    ("stances-of-actor", {"type": MQ + "Support"}, "actor"),
    ("stances-of-actor", {"actor": ID + "x", "colour": "red"}, "colour"),    # unknown
    ("stances-of-actor", {"actor": "state/SYR"}, "actor"),                    # relative IRI
    ("stances-of-actor", {"actor": "not an iri"}, "actor"),
    ("stances-of-actor", {"actor": ID + "x", "from": "2024-13-01"}, "from"),  # not a calendar date
    ("stances-of-actor", {"actor": ID + "x", "from": "2024-1-5"}, "from"),
    ("stances-of-actor", {"actor": ID + "x", "to": "yesterday"}, "to"),
    ("most-active", {"limit": "ten"}, "limit"),
    ("most-active", {"limit": "1.5"}, "limit"),
    ("members-of", {"org": ""}, "org"),
])
def test_bind_errors_name_the_parameter(name: str, values: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bind(get_query(name), values)


INJECTIONS = [
    '"> } ; DROP ALL #',
    'https://x.org/a> } ; DROP ALL #',
    'https://x.org/a"> . } INSERT DATA { <a:b> <a:c> <a:d> } #',
    "https://x.org/a'",
    'https://x.org/a\n} DROP ALL',
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_in_iri_params_is_rejected(store: ox.Store, value: str) -> None:
    before = snapshot(store)
    for name, param in (("stances-of-actor", "actor"), ("members-of", "org"), ("evidence", "holder")):
        values = {param: value}
        try:
            subs = bind(get_query(name), values)
        except ValueError as exc:
            assert param in str(exc)
            continue
        # Accepted only if it is a harmless IRI: then it is matched literally and finds nothing.
        rows = list(store.query(get_query(name).text, use_default_graph_as_union=True,  # type: ignore[arg-type]
                                substitutions=subs))
        assert rows == []
    assert snapshot(store) == before


@pytest.mark.parametrize("value", ['2024-01-01"^^xsd:date) } DROP ALL #', "2024-01-01 } DROP ALL"])
def test_injection_in_date_and_integer_params_is_rejected(value: str) -> None:
    with pytest.raises(ValueError, match="from"):
        bind(get_query("stances-of-actor"), {"actor": ID + "x", "from": value})
    with pytest.raises(ValueError, match="limit"):
        bind(get_query("most-active"), {"limit": "1 } DROP ALL"})


@pytest.mark.parametrize("value", ['"> } ; DROP ALL #', "' OR ''='", 'موسكو ترفض العقوبات "الجديدة"'])
def test_string_params_are_matched_literally(store: ox.Store, value: str) -> None:
    query = NamedQuery(
        "by-title", "Articles by title", "test", (Param("title", "string", False, "exact title"),),
        "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
        "SELECT ?article ?title WHERE { ?article dcterms:title ?title }",
    )
    before = snapshot(store)
    rows = list(store.query(query.text, use_default_graph_as_union=True,  # type: ignore[arg-type]
                            substitutions=bind(query, {"title": value})))
    if value.startswith("موسكو"):
        assert [r["article"].value for r in rows] == [ID + "article-a2"]
    else:
        assert rows == []
    assert snapshot(store) == before


# ----------------------------------------------------------------------------- results on a tiny graph

def test_who_condemns(store: ox.Store) -> None:
    rows = run(store, "who-condemns", target=ID + "state-UKR")
    got = {(r["holder"], r["type"], r["about"], r["articles"]) for r in rows}
    # RUS condemns Ukraine directly and voices concern about the war located in it.
    assert got == {(ID + "state-RUS", MQ + "Condemnation", ID + "state-UKR", "1"),
                   (ID + "state-RUS", MQ + "Concern", ID + "conflict-ukraine", "1")}
    assert {r["holderLabel"] for r in rows} == {"Russia"}
    assert {r["holderLabelAr"] for r in rows} == {"روسيا"}
    rows = run(store, "who-condemns", target=ID + "state-RUS")
    assert [(r["holder"], r["type"], r["stances"]) for r in rows] == [
        (ID + "org-EU", MQ + "Condemnation", "1")]


def test_who_supports(store: ox.Store) -> None:
    rows = run(store, "who-supports", target=ID + "state-UKR")
    assert [(r["holder"], r["type"], r["latest"]) for r in rows] == [
        (ID + "org-EU", MQ + "Support", "2025-03-17")]
    assert run(store, "who-supports", target=ID + "state-ISR") == []


def test_opposite_stances(store: ox.Store) -> None:
    expected = (ID + "state-UKR", ID + "org-EU", MQ + "Support", ID + "state-RUS", MQ + "Condemnation")
    for values in ({}, {"target": ID + "state-UKR"}):
        rows = run(store, "opposite-stances", **values)
        assert [(r["target"], r["supporter"], r["supportType"], r["opponent"], r["opposeType"])
                for r in rows] == [expected]
        assert rows[0]["supporterLabel"] == "European Union" and rows[0]["opponentLabel"] == "Russia"
    assert run(store, "opposite-stances", target=ID + "state-RUS") == []


def test_members_of(store: ox.Store) -> None:
    rows = run(store, "members-of", org=ID + "org-GCC")
    assert {(r["member"], r["iso"], r["articles"]) for r in rows} == {
        (ID + "state-SAU", "SAU", "1"), (ID + "state-QAT", "QAT", "1")}
    assert run(store, "members-of", org=ID + "org-EU") == []


def test_stances_of_actor_optional_params(store: ox.Store) -> None:
    rus = ID + "state-RUS"
    assert len(run(store, "stances-of-actor", actor=rus)) == 3
    rows = run(store, "stances-of-actor", actor=rus, type=MQ + "Rejection")
    assert [(r["stance"], r["target"], r["targetLabel"]) for r in rows] == [
        (ID + "stance-a2-1", ID + "org-EU", "European Union")]
    assert run(store, "stances-of-actor", actor=rus, **{"from": "2025-03-01"}) == []
    assert len(run(store, "stances-of-actor", actor=rus, to="2025-02-25")) == 3
    assert run(store, "stances-of-actor", actor=rus, to="2025-02-24") == []
    eu = run(store, "stances-of-actor", actor=ID + "org-EU", **{"from": "2025-03-01", "to": "2025-03-31"})
    assert {r["stance"] for r in eu} == {ID + "stance-a1-1", ID + "stance-a1-2"}
    assert all(r["url"] == "https://example.org/a1" for r in eu)


def test_stances_about_includes_conflicts_located_in_a_state(store: ox.Store) -> None:
    rows = run(store, "stances-about", target=ID + "state-UKR")
    assert {(r["stance"], r["about"]) for r in rows} == {
        (ID + "stance-a1-1", ID + "state-UKR"), (ID + "stance-a2-2", ID + "state-UKR"),
        (ID + "stance-a2-3", ID + "conflict-ukraine")}
    rows = run(store, "stances-about", target=ID + "conflict-ukraine")
    assert [r["stance"] for r in rows] == [ID + "stance-a2-3"]


def test_timeline(store: ox.Store) -> None:
    rows = run(store, "timeline", target=ID + "state-UKR")
    assert [(r["month"], r["type"], r["about"], r["stances"]) for r in rows] == [
        ("2025-02", MQ + "Concern", ID + "conflict-ukraine", "1"),
        ("2025-02", MQ + "Condemnation", ID + "state-UKR", "1"),
        ("2025-03", MQ + "Support", ID + "state-UKR", "1")]
    assert rows[-1]["holders"] == "European Union"


def test_evidence_with_and_without_holder(store: ox.Store) -> None:
    assert len(run(store, "evidence")) == 6
    rows = run(store, "evidence", holder=ID + "org-ARAB_LEAGUE")
    assert len(rows) == 1
    row = rows[0]
    assert (row["evidence"], row["title"], row["url"], row["date"]) == (
        "أدان مجلس الجامعة", "Arab League condemns", "https://example.org/a3", "2024-03-27")


def test_most_active(store: ox.Store) -> None:
    rows = run(store, "most-active")
    assert [(r["actor"], r["stances"]) for r in rows] == [
        (ID + "state-RUS", "3"), (ID + "org-EU", "2"), (ID + "org-ARAB_LEAGUE", "1")]
    assert [r["actor"] for r in run(store, "most-active", limit="1")] == [ID + "state-RUS"]
    assert len(run(store, "most-active", limit="2")) == 2
    assert run(store, "most-active", limit="0") == []


def test_stance_count_and_articles(store: ox.Store) -> None:
    assert run(store, "stance-count") == [{"n": "6"}]
    rows = run(store, "articles")
    assert [(r["article"], r["date"], r["lang"], r["stances"]) for r in rows] == [
        (ID + "article-a4", "2025-12-04", "ar", "0"), (ID + "article-a1", "2025-03-17", "en", "2"),
        (ID + "article-a2", "2025-02-25", "ar", "3"), (ID + "article-a3", "2024-03-27", "ar", "1")]


# ----------------------------------------------------------------------------- bundled samples

ARABIC = re.compile(r"[\u0600-\u06FF]")
LATIN = re.compile(r"[A-Za-z]")
REQUIRED_FIELDS = ("id", "url", "title", "published", "lang", "source", "text")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"[.؟!\n]", text) if s.strip()]


def test_samples_file_parses_and_is_well_formed() -> None:
    assert SAMPLES_PATH.is_file()
    records = sample_records()
    assert len(records) == 8
    assert sum(r["lang"] == "ar" for r in records) == 5 and sum(r["lang"] == "en" for r in records) == 3
    assert len({r["id"] for r in records}) == len(records)
    for line in SAMPLES_PATH.read_text(encoding="utf-8").splitlines():
        json.loads(line)
    for r in records:
        for field in REQUIRED_FIELDS:
            assert isinstance(r.get(field), str) and r[field], (r.get("id"), field)
        assert r["url"] == f"https://example.org/mawqif-samples/{r['id']}"
        assert re.fullmatch(r"202[4-6]-\d{2}-\d{2}", r["published"])
        n = len(_sentences(r["text"]))
        assert 3 <= n <= 8, (r["id"], n)
        letters = len(ARABIC.findall(r["text"])) + len(LATIN.findall(r["text"]))
        share = len((ARABIC if r["lang"] == "ar" else LATIN).findall(r["text"])) / letters
        assert share > 0.95, (r["id"], share)


def test_expected_extractions_match_samples() -> None:
    registry_keys_pattern = re.compile(r"^([A-Z]{3}|[A-Z][A-Z0-9_]+|(conflict|region):[a-z0-9-]+)$")
    gold = expected_records()
    records = {r["id"]: r for r in sample_records()}
    assert EXPECTED_PATH.is_file() and set(gold) == set(records)
    for key, g in gold.items():
        text = records[key]["text"]
        n = len(_sentences(text))
        assert g["lang"] == records[key]["lang"] and g["published"] == records[key]["published"]
        assert g["stances"]
        for st in g["stances"]:
            assert st["type"] in STANCE_TYPES and set(st["alt_types"]) <= set(STANCE_TYPES)
            assert set(st["principles"]) <= set(PRINCIPLES)
            assert st["targets"] and all(registry_keys_pattern.match(t) for t in st["targets"])
            assert st["holder"] in g["entities"]
            assert all(1 <= i <= n for i in st["sentences"])
            assert any(st["cue"] in _sentences(text)[i - 1] for i in st["sentences"]), st
        for d in g["dates"]:
            assert d["text"] in text and re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", d["value"])
        for state, org in g["memberships"]:
            assert state in g["entities"] and org in g["entities"]

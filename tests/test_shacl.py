"""SHACL validation (graph_builder.shacl): a conforming graph conforms; each kind of breakage is
reported in plain words that name the problem."""
from __future__ import annotations

import dataclasses

import pyoxigraph
import pytest
from rdflib import Dataset, Graph

from graph_builder.shacl import Report, Violation, validate, validate_store

# An Arabic sentence written for this test (not taken from any article).
EVIDENCE = "أدانت فرنسا بشدة القصف الذي استهدف المدنيين في سوريا، ودعت إلى تحقيق دولي مستقل."
CUE = "أدانت"
TITLE = "باريس تدين القصف وتدعو إلى تحقيق"
# The article text: a title line, then the sentence.
TEXT = f"{TITLE}\n{EVIDENCE}"
EV_START = TEXT.index(EVIDENCE)
EV_END = EV_START + len(EVIDENCE)
CUE_START = TEXT.index(CUE)
CUE_END = CUE_START + len(CUE)

PREFIXES = """\
@prefix mq: <https://w3id.org/mawqif/ontology#> .
@prefix id: <https://w3id.org/mawqif/id/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

ARTICLE = f"""
id:article-1 a mq:Article ;
    schema:url "https://example.org/news/1"^^xsd:anyURI ;
    dcterms:title "{TITLE}"@ar ;
    dcterms:language "ar" ;
    schema:datePublished "2018-04-08"^^xsd:date ;
    mq:source "Example News" ;
    mq:mentions id:state-FRA , id:state-SYR , id:conflict-syria , id:org-UN ;
    mq:mentionsDate "2018-04"^^xsd:gYearMonth , "2011"^^xsd:gYear ;
    prov:wasGeneratedBy id:article-1-run .

id:article-1-run a mq:ExtractionRun ;
    mq:softwareVersion "mawqif 0.1.0" ;
    prov:endedAtTime "2018-04-08T12:00:00Z"^^xsd:dateTime .

id:stance-1 a mq:Stance ;
    mq:holder id:state-FRA ;
    mq:stanceType mq:Condemnation ;
    mq:target id:state-SYR , id:conflict-syria ;
    mq:principle mq:Investigation ;
    mq:evidence "{EVIDENCE}"@ar ;
    mq:evidenceStart "{EV_START}"^^xsd:nonNegativeInteger ;
    mq:evidenceEnd "{EV_END}"^^xsd:nonNegativeInteger ;
    mq:cue "{CUE}" ;
    mq:cueStart "{CUE_START}"^^xsd:nonNegativeInteger ;
    mq:cueEnd "{CUE_END}"^^xsd:nonNegativeInteger ;
    mq:confidence "0.80"^^xsd:decimal ;
    mq:rule "ar.condemn.verb" ;
    mq:statedOn "2018-04-08"^^xsd:date ;
    mq:spokesperson "وزير الخارجية" ;
    prov:wasDerivedFrom id:article-1 ;
    prov:wasGeneratedBy id:article-1-run .

id:state-FRA mq:memberOf id:org-UN .
"""

ENTITIES = """
id:state-FRA a mq:State ;
    rdfs:label "France"@en , "فرنسا"@ar ;
    skos:altLabel "باريس"@ar ;
    mq:isoCode "FRA" ;
    owl:sameAs <http://www.wikidata.org/entity/Q142> .

id:state-SYR a mq:State ;
    rdfs:label "Syria"@en , "سوريا"@ar ;
    mq:isoCode "SYR" ;
    owl:sameAs <http://www.wikidata.org/entity/Q858> .

id:org-UN a mq:Organisation ;
    rdfs:label "United Nations"@en , "الأمم المتحدة"@ar ;
    mq:founded "1945"^^xsd:gYear ;
    owl:sameAs <http://www.wikidata.org/entity/Q1065> .

id:conflict-syria a mq:Conflict ;
    rdfs:label "Syrian civil war"@en , "الحرب في سوريا"@ar ;
    mq:location id:state-SYR ;
    mq:party id:state-SYR .
"""

CONFORMING = PREFIXES + ARTICLE + ENTITIES


def _graph(ttl: str) -> Graph:
    return Graph().parse(data=ttl, format="turtle")


def _broken(old: str, new: str) -> str:
    assert CONFORMING.count(old) >= 1, f"test bug: {old!r} not in the conforming graph"
    return CONFORMING.replace(old, new, 1)


# ---------------------------------------------------------------------------------------------
# Conforming data
# ---------------------------------------------------------------------------------------------

def test_conforming_graph_conforms() -> None:
    report = validate(_graph(CONFORMING))
    assert report.conforms, report.plain_text()
    assert report.violations == ()
    assert report.plain_text() == "The graph conforms to the mawqif shapes."


def test_same_answer_without_the_ontology() -> None:
    assert validate(_graph(CONFORMING), with_ontology=False).conforms


def test_named_graphs_are_merged() -> None:
    # The article in its own graph, the entities in a shared graph: only their union conforms.
    trig = (PREFIXES + "id:article-1 {" + ARTICLE + "}\n" + "id:graph-entities {" + ENTITIES + "}\n")
    ds = Dataset()
    ds.parse(data=trig, format="trig")
    assert len(list(ds.graphs())) >= 2
    report = validate(ds)
    assert report.conforms, report.plain_text()
    # N-Quads text is accepted too.
    assert validate(ds.serialize(format="nquads")).conforms


def test_validate_store_reads_every_graph() -> None:
    store = pyoxigraph.Store()
    ds = Dataset()
    ds.parse(data=PREFIXES + "id:article-1 {" + ARTICLE + "}\n" + "id:graph-entities {" + ENTITIES + "}\n",
             format="trig")
    store.load(ds.serialize(format="nquads").encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    report = validate_store(store)
    assert report.conforms, report.plain_text()
    # Without the entity descriptions the targets are untyped.
    store.remove_graph(pyoxigraph.NamedNode("https://w3id.org/mawqif/id/graph-entities"))
    report = validate_store(store)
    assert not report.conforms
    assert "has an mq:target that is not described as a state" in report.plain_text()


def test_offsets_may_be_plain_integers() -> None:
    # Oxigraph hands xsd:nonNegativeInteger back as xsd:integer.
    ttl = CONFORMING.replace("^^xsd:nonNegativeInteger", "^^xsd:integer")
    assert ttl != CONFORMING
    report = validate(_graph(ttl))
    assert report.conforms, report.plain_text()


def test_input_graph_is_left_alone() -> None:
    g = _graph(CONFORMING)
    n = len(g)
    validate(g)
    assert len(g) == n


# ---------------------------------------------------------------------------------------------
# Broken variants
# ---------------------------------------------------------------------------------------------

BROKEN = {
    "no target": (
        "    mq:target id:state-SYR , id:conflict-syria ;\n", "",
        "Stance <https://w3id.org/mawqif/id/stance-1> has no mq:target "
        "(every stance needs at least one target)"),
    "target not an entity": (
        "mq:target id:state-SYR , id:conflict-syria", "mq:target id:state-SYR , id:somewhere",
        "has an mq:target that is not described as a state, organisation, armed group, conflict or region"),
    "bad ISO code": (
        'mq:isoCode "SYR"', 'mq:isoCode "Syr"',
        'State <https://w3id.org/mawqif/id/state-SYR> has an mq:isoCode that is not three capital letters'),
    "no ISO code": (
        'mq:isoCode "SYR" ;', "",
        "State <https://w3id.org/mawqif/id/state-SYR> has no mq:isoCode"),
    "holder is a conflict": (
        "mq:holder id:state-FRA", "mq:holder id:conflict-syria",
        "has an mq:holder that is not a state, organisation or armed group"),
    "two holders": (
        "mq:holder id:state-FRA", "mq:holder id:state-FRA , id:state-SYR",
        "has more than one mq:holder"),
    "no holder": (
        "    mq:holder id:state-FRA ;\n", "",
        "has no mq:holder"),
    "confidence 1.5": (
        '"0.80"^^xsd:decimal', '"1.5"^^xsd:decimal',
        "has an mq:confidence outside 0..1"),
    "confidence as double": (
        '"0.80"^^xsd:decimal', '"0.8"^^xsd:double',
        "has an mq:confidence that is not an xsd:decimal"),
    "missing English label": (
        'rdfs:label "France"@en , "فرنسا"@ar', 'rdfs:label "La France"@fr , "فرنسا"@ar',
        "State <https://w3id.org/mawqif/id/state-FRA> has no English rdfs:label"),
    "untagged label": (
        'rdfs:label "France"@en , "فرنسا"@ar', 'rdfs:label "France"@en , "فرنسا"',
        "has an rdfs:label without a language tag"),
    "unknown stance type": (
        "mq:stanceType mq:Condemnation", "mq:stanceType mq:Praise",
        "has an mq:stanceType that is not one of the nine stance types"),
    "no stance type": (
        "    mq:stanceType mq:Condemnation ;\n", "",
        "has no mq:stanceType"),
    "unknown principle": (
        "mq:principle mq:Investigation", "mq:principle mq:WorldPeace",
        "has an mq:principle that is not one of the thirteen principles"),
    "evidence without language": (
        f'"{EVIDENCE}"@ar', f'"{EVIDENCE}"',
        "has an mq:evidence that is not a string tagged @ar or @en"),
    "no evidence": (
        f'    mq:evidence "{EVIDENCE}"@ar ;\n', "",
        "has no mq:evidence"),
    "evidence start after end": (
        f'mq:evidenceStart "{EV_START}"', f'mq:evidenceStart "{EV_END + 1}"',
        "has an mq:evidenceStart after its mq:evidenceEnd"),
    "negative offset": (
        f'mq:cueStart "{CUE_START}"^^xsd:nonNegativeInteger', 'mq:cueStart "-1"^^xsd:integer',
        "has an mq:cueStart that is not a non-negative integer"),
    "offset as string": (
        f'mq:evidenceEnd "{EV_END}"^^xsd:nonNegativeInteger', f'mq:evidenceEnd "{EV_END}"',
        "has an mq:evidenceEnd that is not a non-negative integer"),
    "cue outside evidence": (
        f'mq:cueStart "{CUE_START}"', f'mq:cueStart "{EV_START - 1}"',
        "has its cue (mq:cueStart) starting before its evidence sentence (mq:evidenceStart)"),
    "cue after evidence": (
        f'mq:cueEnd "{CUE_END}"', f'mq:cueEnd "{EV_END + 1}"',
        "has its cue (mq:cueEnd) ending after its evidence sentence (mq:evidenceEnd)"),
    "no article": (
        "    prov:wasDerivedFrom id:article-1 ;\n", "",
        "has no prov:wasDerivedFrom"),
    "derived from a non-article": (
        "prov:wasDerivedFrom id:article-1", "prov:wasDerivedFrom id:state-SYR",
        "has a prov:wasDerivedFrom that is not an mq:Article"),
    "stance not typed": (
        "id:stance-1 a mq:Stance ;", "id:stance-1",
        "Node <https://w3id.org/mawqif/id/stance-1> uses stance properties"),
    "sameAs not Wikidata": (
        "<http://www.wikidata.org/entity/Q142>", "<http://dbpedia.org/resource/France>",
        "has an owl:sameAs that is not a Wikidata entity IRI"),
    "language fr": (
        'dcterms:language "ar"', 'dcterms:language "fr"',
        'has a dcterms:language other than the plain strings "ar" and "en"'),
    "no language": (
        '    dcterms:language "ar" ;\n', "",
        "Article <https://w3id.org/mawqif/id/article-1> has no dcterms:language"),
    "publication date as string": (
        '"2018-04-08"^^xsd:date ;\n    mq:source', '"8 April 2018" ;\n    mq:source',
        "has a schema:datePublished that is not a valid xsd:date"),
    "impossible mentioned date": (
        '"2018-04"^^xsd:gYearMonth', '"2018-13"^^xsd:gYearMonth',
        "has an mq:mentionsDate that is not a valid xsd:date, xsd:gYearMonth or xsd:gYear"),
    "mentions an untyped node": (
        "id:org-UN ;\n    mq:mentionsDate", "id:org-UN , id:nowhere ;\n    mq:mentionsDate",
        "mentions a node that is not described as a state"),
    "member of a state": (
        "id:state-FRA mq:memberOf id:org-UN .", "id:state-FRA mq:memberOf id:state-SYR .",
        "is mq:memberOf something that is not an mq:Organisation"),
    "organisation as member": (
        "id:state-FRA mq:memberOf id:org-UN .", "id:org-UN mq:memberOf id:org-UN .",
        "is mq:memberOf an organisation but is not an mq:State"),
    "conflict located in a conflict": (
        "mq:location id:state-SYR", "mq:location id:conflict-syria",
        "has an mq:location that is not an mq:State"),
    "url as plain string": (
        '"https://example.org/news/1"^^xsd:anyURI', '"https://example.org/news/1"',
        "has a schema:url that is neither an xsd:anyURI literal nor an IRI"),
}


@pytest.mark.parametrize(("old", "new", "expected"), list(BROKEN.values()), ids=list(BROKEN))
def test_broken_variant_is_reported(old: str, new: str, expected: str) -> None:
    report = validate(_graph(_broken(old, new)))
    text = report.plain_text()
    assert not report.conforms, text
    assert report.errors, text
    assert expected in text, text
    assert text.startswith("The graph does not conform to the mawqif shapes")


def test_violation_fields() -> None:
    report = validate(_graph(_broken('mq:isoCode "SYR"', 'mq:isoCode "sy"')))
    assert isinstance(report, Report) and not report.conforms
    (v,) = report.violations
    assert isinstance(v, Violation)
    assert v.focus == "https://w3id.org/mawqif/id/state-SYR"
    assert v.path == "mq:isoCode"
    assert v.severity == "Violation"
    assert v.value == '"sy"'
    assert v.kind == "State"
    assert v.plain_text() == (
        'State <https://w3id.org/mawqif/id/state-SYR> has an mq:isoCode that is not three capital '
        'letters (ISO 3166-1 alpha-3, e.g. "SYR"); found "sy"'
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.message = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.conforms = True  # type: ignore[misc]


def test_several_problems_are_all_reported_in_order() -> None:
    ttl = CONFORMING.replace('"0.80"^^xsd:decimal', '"1.5"^^xsd:decimal').replace(
        "    mq:target id:state-SYR , id:conflict-syria ;\n", "")
    report = validate(_graph(ttl))
    lines = report.plain_text().splitlines()
    assert lines[0] == "The graph does not conform to the mawqif shapes: 2 violations."
    assert len(lines) == 3
    assert lines == [lines[0], *sorted(lines[1:])]


def test_evidence_length_mismatch_is_only_a_warning() -> None:
    report = validate(_graph(_broken(f'mq:evidenceEnd "{EV_END}"', f'mq:evidenceEnd "{EV_END + 3}"')))
    assert report.conforms, report.plain_text()
    assert report.errors == ()
    (w,) = report.violations
    assert w.severity == "Warning"
    assert w.plain_text().startswith(
        "Warning: Stance <https://w3id.org/mawqif/id/stance-1> has an mq:evidence")
    assert report.plain_text().startswith("The graph conforms to the mawqif shapes (1 warning).")

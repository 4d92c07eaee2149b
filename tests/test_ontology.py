"""The ontology (ontology/mawqif.ttl), the shapes file and graph_builder.terms agree."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from graph_builder import model, terms
from ontology import ONTOLOGY_PATH, SHAPES_PATH

# Plain namespaces (rdflib's closed ones make pytest's collection warn when it probes them).
MQ = Namespace(terms.MQ)
DCTERMS = Namespace(terms.DCTERMS)
OWL = Namespace(terms.OWL)
RDF = Namespace(terms.RDF)
RDFS = Namespace(terms.RDFS)
SKOS = Namespace(terms.SKOS)
XSD = Namespace(terms.XSD)
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CAMEO_TSV = SHARED / "reference" / "cameo_01_12_with_plover.tsv"
CONTRACT = SHARED / "spec" / "CONTRACT.md"

#: The mq: terms that spec/CONTRACT.md names (kept here so the test runs without ../shared).
CONTRACT_TERMS = (
    "Article", "mentions", "State", "Organisation", "ArmedGroup", "Conflict", "Region", "isoCode",
    "location", "party", "memberOf", "Stance", "holder", "stanceType", "target", "evidence",
    "Support", "Welcome", "Commitment", "Call", "Demand", "Concern", "Condemnation", "Rejection",
    "Affirmation", "mentionsDate", "statedOn",
)

#: The rdf:types that make an mq: term something terms.py must have a constant for.
DECLARING_TYPES = {
    OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
    RDFS.Datatype, SKOS.ConceptScheme, MQ.StanceType, MQ.Principle,
}


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_PATH, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_PATH, format="turtle")


def _mq_terms(g: Graph) -> set[URIRef]:
    """Every mq: IRI that occurs anywhere in g."""
    return {
        t for triple in g for t in triple
        if isinstance(t, URIRef) and str(t).startswith(terms.MQ)
    }


def _declared(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(terms.MQ)}


def _langs(g: Graph, s: Node, p: URIRef) -> set[str]:
    return {o.language for o in g.objects(s, p) if isinstance(o, Literal) and o.language}


# ---------------------------------------------------------------------------------------------
# Files and parsing
# ---------------------------------------------------------------------------------------------

def test_bundled_paths() -> None:
    assert isinstance(ONTOLOGY_PATH, Path) and ONTOLOGY_PATH.is_file()
    assert isinstance(SHAPES_PATH, Path) and SHAPES_PATH.is_file()


def test_oxigraph_parses_both_files() -> None:
    for path in (ONTOLOGY_PATH, SHAPES_PATH):
        quads = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
        assert quads


def test_ontology_header(onto: Graph) -> None:
    o = URIRef(terms.ONTOLOGY_IRI.value)
    assert (o, RDF.type, OWL.Ontology) in onto
    assert onto.value(o, OWL.versionIRI) == URIRef(terms.ONTOLOGY_VERSION_IRI.value)
    assert onto.value(o, OWL.versionInfo) is not None
    assert onto.value(o, DCTERMS.license) == URIRef("https://www.apache.org/licenses/LICENSE-2.0")
    assert _langs(onto, o, DCTERMS.title) >= {"en", "ar"}
    assert _langs(onto, o, DCTERMS.description) >= {"en", "ar"}


def test_every_mq_term_used_is_declared(onto: Graph) -> None:
    undeclared = _mq_terms(onto) - _declared(onto)
    assert not undeclared, f"used but never given an rdf:type: {sorted(undeclared)}"


@pytest.mark.parametrize("prop", [RDFS.label, RDFS.comment], ids=["label", "comment"])
def test_every_mq_term_has_english_and_arabic(onto: Graph, prop: URIRef) -> None:
    missing = {str(t): {"en", "ar"} - _langs(onto, t, prop) for t in _declared(onto)}
    missing = {t: m for t, m in missing.items() if m}
    assert not missing, f"missing {prop} languages: {missing}"


def test_arabic_labels_are_arabic(onto: Graph) -> None:
    for t in _declared(onto):
        for o in onto.objects(t, RDFS.label):
            if isinstance(o, Literal) and o.language == "ar":
                assert re.search("[\u0600-\u06ff]", str(o)), f"{t}: {o!r} has no Arabic letters"


# ---------------------------------------------------------------------------------------------
# The contract
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("local", CONTRACT_TERMS)
def test_contract_term_exists(onto: Graph, local: str) -> None:
    assert MQ[local] in _declared(onto)


def test_every_mq_term_of_the_contract_file_exists(onto: Graph) -> None:
    if not CONTRACT.is_file():
        pytest.skip("../shared/spec/CONTRACT.md is not available")
    named = set(re.findall(r"\bmq:([A-Za-z][A-Za-z0-9]*)", CONTRACT.read_text(encoding="utf-8")))
    assert named, "no mq: terms found in the contract"
    assert {MQ[n] for n in named} <= _declared(onto), sorted(n for n in named if MQ[n] not in _declared(onto))
    assert named <= set(CONTRACT_TERMS), "CONTRACT_TERMS is out of date"


def test_entity_classes_and_hierarchy(onto: Graph) -> None:
    def supers(c: URIRef) -> set[Node | None]:
        return set(onto.transitive_objects(c, RDFS.subClassOf))

    for kind in ("State", "Organisation", "ArmedGroup"):
        assert MQ.Actor in supers(MQ[kind])
    for kind in model.ENTITY_KINDS:
        assert MQ.Entity in supers(MQ[kind])
    assert URIRef("https://schema.org/NewsArticle") in supers(MQ.Article)
    assert URIRef("http://www.w3.org/ns/prov#Entity") in supers(MQ.Stance)
    assert URIRef("http://www.w3.org/ns/prov#Activity") in supers(MQ.ExtractionRun)
    assert (MQ.memberOf, OWL.inverseOf, MQ.hasMember) in onto
    assert (MQ.memberOf, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/org#memberOf")) in onto


def test_properties_have_domain_and_range(onto: Graph) -> None:
    props = {*onto.subjects(RDF.type, OWL.ObjectProperty), *onto.subjects(RDF.type, OWL.DatatypeProperty)}
    for p in props:
        if str(p).startswith(terms.MQ):
            assert onto.value(p, RDFS.range) is not None, f"{p} has no rdfs:range"
            if p != MQ.date:
                assert onto.value(p, RDFS.domain) is not None, f"{p} has no rdfs:domain"


def test_offsets_and_confidence_ranges(onto: Graph) -> None:
    for local in ("evidenceStart", "evidenceEnd", "cueStart", "cueEnd"):
        assert onto.value(MQ[local], RDFS.range) == XSD.nonNegativeInteger
    assert onto.value(MQ.confidence, RDFS.range) == XSD.decimal
    assert onto.value(MQ.evidence, RDFS.range) == RDF.langString


# ---------------------------------------------------------------------------------------------
# Stance types and principles
# ---------------------------------------------------------------------------------------------

def _cameo() -> dict[str, dict[str, str]]:
    with CAMEO_TSV.open(encoding="utf-8", newline="") as f:
        return {row["cameo_code"]: row for row in csv.DictReader(f, delimiter="\t")}


def test_stance_types_scheme(onto: Graph) -> None:
    members = set(onto.subjects(RDF.type, MQ.StanceType))
    assert members == {MQ[n] for n in model.STANCE_TYPES}
    assert set(onto.objects(MQ.StanceTypes, SKOS.hasTopConcept)) == members
    for t in members:
        assert (t, RDF.type, SKOS.Concept) in onto
        assert (t, SKOS.inScheme, MQ.StanceTypes) in onto
        assert _langs(onto, t, SKOS.prefLabel) >= {"en", "ar"}
        assert _langs(onto, t, SKOS.definition) >= {"en", "ar"}


@pytest.mark.parametrize("name", model.STANCE_TYPES)
def test_stance_type_cameo_code_is_in_reference(onto: Graph, name: str) -> None:
    t = MQ[name]
    notations = list(onto.objects(t, SKOS.notation))
    assert len(notations) == 1, f"{name}: exactly one main CAMEO code expected"
    code = notations[0]
    assert isinstance(code, Literal) and code.datatype == MQ.cameoCode
    related = [str(c) for c in onto.objects(t, MQ.relatedCameoCode)]
    if not CAMEO_TSV.is_file():
        pytest.skip("../shared/reference/cameo_01_12_with_plover.tsv is not available")
    cameo = _cameo()
    assert str(code) in cameo, f"{name}: CAMEO {code} is not in the reference table"
    for c in related:
        assert c in cameo, f"{name}: related CAMEO {c} is not in the reference table"
    plover = cameo[str(code)]["plover_event"]
    recorded = [str(p) for p in onto.objects(t, MQ.ploverCategory)]
    if plover.startswith("("):  # "(dropped in PLOVER)"
        assert recorded == [], f"{name}: CAMEO {code} has no PLOVER category"
    else:
        assert recorded == [plover], f"{name}: CAMEO {code} maps to PLOVER {plover}"


def test_principles_scheme(onto: Graph) -> None:
    members = set(onto.subjects(RDF.type, MQ.Principle))
    assert members == {MQ[n] for n in model.PRINCIPLES}
    assert set(onto.objects(MQ.Principles, SKOS.hasTopConcept)) == members
    for p in members:
        assert (p, SKOS.inScheme, MQ.Principles) in onto
        assert _langs(onto, p, SKOS.prefLabel) >= {"en", "ar"}


# ---------------------------------------------------------------------------------------------
# graph_builder.terms ↔ the ontology
# ---------------------------------------------------------------------------------------------

def _mq_constants() -> dict[str, pyoxigraph.NamedNode]:
    return {
        name: v for name, v in vars(terms).items()
        if name.startswith("MQ_") and isinstance(v, pyoxigraph.NamedNode)
    }


def test_every_constant_is_declared_with_its_kind(onto: Graph) -> None:
    consts = _mq_constants()
    assert set(consts.values()) == set(terms.TERM_KINDS), "TERM_KINDS must list every MQ_ constant"
    for name, node in consts.items():
        kind = URIRef(terms.TERM_KINDS[node].value)
        assert (URIRef(node.value), RDF.type, kind) in onto, f"{name} = {node} is not declared a {kind}"


def test_every_declared_term_has_a_constant(onto: Graph) -> None:
    consts = {URIRef(v.value) for v in _mq_constants().values()}
    declared = {
        s for t in DECLARING_TYPES for s in onto.subjects(RDF.type, t)
        if isinstance(s, URIRef) and str(s).startswith(terms.MQ)
    }
    assert not declared - consts, f"no constant in terms.py for {sorted(declared - consts)}"


def test_constant_names_follow_local_names() -> None:
    for name, node in _mq_constants().items():
        local = node.value[len(terms.MQ):]
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", local).upper()
        assert name in {f"MQ_{snake}", f"MQ_{snake}_CLASS"}, f"{name} does not name {local}"


def test_lookup_tables_match_model() -> None:
    assert tuple(terms.STANCE_TYPE_IRI) == model.STANCE_TYPES
    assert tuple(terms.PRINCIPLE_IRI) == model.PRINCIPLES
    assert tuple(terms.ENTITY_CLASS_IRI) == model.ENTITY_KINDS
    for table in (terms.STANCE_TYPE_IRI, terms.PRINCIPLE_IRI, terms.ENTITY_CLASS_IRI):
        for name, node in table.items():
            assert node.value == terms.MQ + name


def test_prefixes() -> None:
    assert terms.PREFIXES["mq"] == "https://w3id.org/mawqif/ontology#"
    assert terms.PREFIXES["prov"] == "http://www.w3.org/ns/prov#"
    assert terms.PREFIXES["schema"] == "https://schema.org/"
    assert terms.PREFIXES["dcterms"] == "http://purl.org/dc/terms/"
    assert terms.PREFIXES["owl"] == str(OWL)
    assert terms.PREFIXES["rdfs"] == str(RDFS)
    assert terms.PREFIXES["xsd"] == str(XSD)
    assert terms.PREFIXES["skos"] == str(SKOS)


@pytest.mark.parametrize(
    ("value", "datatype"),
    [("2018-04-08", XSD.date), ("2018-04", XSD.gYearMonth), ("2018", XSD.gYear)],
)
def test_date_datatype(value: str, datatype: URIRef) -> None:
    assert terms.date_datatype(value).value == str(datatype)


def test_date_datatype_rejects_other_forms() -> None:
    with pytest.raises(ValueError):
        terms.date_datatype("8 April 2018")


# ---------------------------------------------------------------------------------------------
# The shapes file
# ---------------------------------------------------------------------------------------------

def test_shapes_use_only_declared_terms(onto: Graph, shapes: Graph) -> None:
    unknown = _mq_terms(shapes) - _declared(onto)
    assert not unknown, f"shapes.ttl uses mq: terms the ontology does not declare: {sorted(unknown)}"


def test_every_shape_constraint_has_a_message(shapes: Graph) -> None:
    sh = Namespace("http://www.w3.org/ns/shacl#")
    for node_shape in shapes.subjects(RDF.type, sh.NodeShape):
        for prop in shapes.objects(node_shape, sh.property):
            assert shapes.value(prop, sh.message) is not None, f"a property of {node_shape} has no sh:message"
        for sparql in shapes.objects(node_shape, sh.sparql):
            assert shapes.value(sparql, sh.message) is not None

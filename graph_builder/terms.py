"""Ontology term constants as :class:`pyoxigraph.NamedNode`\\ s.

Every ``MQ_*`` constant is declared in ``ontology/mawqif.ttl`` with the rdf:type that
:data:`TERM_KINDS` gives it, and every class, property and datatype the ontology declares has a
constant here (``tests/test_ontology.py`` checks both ways).

Naming: ``MQ_`` + the local name in upper snake case (``mq:evidenceStart`` → ``MQ_EVIDENCE_START``).
Where a class and a property differ only in the case of their first letter, the property keeps
the plain name and the class gets ``_CLASS``: ``MQ_STANCE_TYPE`` is the property ``mq:stanceType``,
``MQ_STANCE_TYPE_CLASS`` the class ``mq:StanceType``; likewise ``MQ_PRINCIPLE`` /
``MQ_PRINCIPLE_CLASS``.
"""
from __future__ import annotations

from pyoxigraph import NamedNode

from graph_builder.model import ENTITY_KINDS, PRINCIPLES, STANCE_TYPES

# ---------------------------------------------------------------------------------------------
# Namespaces (base IRIs as strings)
# ---------------------------------------------------------------------------------------------
MQ = "https://w3id.org/mawqif/ontology#"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
DCTERMS = "http://purl.org/dc/terms/"
OWL = "http://www.w3.org/2002/07/owl#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"

#: Prefixes for Turtle/TriG export and for the header of SPARQL queries.
PREFIXES: dict[str, str] = {
    "mq": MQ,
    "prov": PROV,
    "schema": SCHEMA,
    "dcterms": DCTERMS,
    "owl": OWL,
    "rdfs": RDFS,
    "rdf": RDF,
    "xsd": XSD,
    "skos": SKOS,
    "org": ORG,
}

#: Where instance IRIs live unless configured otherwise (``<base>article/…``, ``<base>state/SYR``).
DEFAULT_BASE = "https://w3id.org/mawqif/id/"

#: The IRI of the ontology itself (``owl:Ontology``) and of this version of it.
ONTOLOGY_IRI = NamedNode("https://w3id.org/mawqif/ontology")
ONTOLOGY_VERSION_IRI = NamedNode("https://w3id.org/mawqif/ontology/0.1.0")


def _mq(local: str) -> NamedNode:
    return NamedNode(MQ + local)


# ---------------------------------------------------------------------------------------------
# mq: classes
# ---------------------------------------------------------------------------------------------
MQ_ARTICLE = _mq("Article")
MQ_ENTITY = _mq("Entity")
MQ_ACTOR = _mq("Actor")
MQ_STATE = _mq("State")
MQ_ORGANISATION = _mq("Organisation")
MQ_ARMED_GROUP = _mq("ArmedGroup")
MQ_CONFLICT = _mq("Conflict")
MQ_REGION = _mq("Region")
MQ_STANCE = _mq("Stance")
MQ_PERSON = _mq("Person")
MQ_STANCE_TYPE_CLASS = _mq("StanceType")
MQ_PRINCIPLE_CLASS = _mq("Principle")
MQ_EXTRACTION_RUN = _mq("ExtractionRun")
MQ_EDGE_INDEX = _mq("EdgeIndex")
MQ_STANCE_EDGE = _mq("StanceEdge")
MQ_STANCE_EDGE_PERIOD = _mq("StanceEdgePeriod")
MQ_HOLDER_TOTAL = _mq("HolderTotal")

# ---------------------------------------------------------------------------------------------
# mq: object properties
# ---------------------------------------------------------------------------------------------
MQ_HOLDER = _mq("holder")
MQ_STANCE_TYPE = _mq("stanceType")
MQ_TARGET = _mq("target")
MQ_PRINCIPLE = _mq("principle")
MQ_MENTIONS = _mq("mentions")
MQ_MEMBER_OF = _mq("memberOf")
MQ_HAS_MEMBER = _mq("hasMember")
MQ_PART_OF = _mq("partOf")
MQ_LOCATION = _mq("location")
MQ_PARTY = _mq("party")
MQ_EDGE_HOLDER = _mq("edgeHolder")
MQ_EDGE_TYPE = _mq("edgeType")
MQ_EDGE_TARGET = _mq("edgeTarget")
MQ_PERIOD_OF = _mq("periodOf")
MQ_TOTAL_OF = _mq("totalOf")
MQ_LATEST_PERIOD = _mq("latestPeriod")

# ---------------------------------------------------------------------------------------------
# mq: datatype properties
# ---------------------------------------------------------------------------------------------
MQ_EVIDENCE = _mq("evidence")
MQ_EVIDENCE_START = _mq("evidenceStart")
MQ_EVIDENCE_END = _mq("evidenceEnd")
MQ_CUE = _mq("cue")
MQ_CUE_START = _mq("cueStart")
MQ_CUE_END = _mq("cueEnd")
MQ_RULE = _mq("rule")
MQ_SPOKESPERSON = _mq("spokesperson")
MQ_CONFIDENCE = _mq("confidence")
MQ_DATE = _mq("date")
MQ_STATED_ON = _mq("statedOn")
MQ_FOUNDED = _mq("founded")
MQ_MENTIONS_DATE = _mq("mentionsDate")
MQ_ISO_CODE = _mq("isoCode")
MQ_TEXT = _mq("text")
MQ_SOURCE = _mq("source")
MQ_CONTENT_HASH = _mq("contentHash")
MQ_SOFTWARE_VERSION = _mq("softwareVersion")
MQ_PLOVER_CATEGORY = _mq("ploverCategory")
MQ_RELATED_CAMEO_CODE = _mq("relatedCameoCode")
MQ_STANCE_COUNT = _mq("stanceCount")
MQ_ARTICLE_COUNT = _mq("articleCount")
MQ_INDEXED_STANCE = _mq("indexedStance")
MQ_FIRST_DAY = _mq("firstDay")
MQ_LAST_DAY = _mq("lastDay")
MQ_PERIOD = _mq("period")
MQ_IN_MONTH = _mq("inMonth")
MQ_INDEX_UPDATING = _mq("indexUpdating")

# ---------------------------------------------------------------------------------------------
# mq: datatypes and concept schemes
# ---------------------------------------------------------------------------------------------
MQ_CAMEO_CODE = _mq("cameoCode")
MQ_PARTIAL_DATE = _mq("partialDate")
MQ_STANCE_TYPES = _mq("StanceTypes")
MQ_PRINCIPLES = _mq("Principles")

# ---------------------------------------------------------------------------------------------
# mq: stance types (individuals of mq:StanceType)
# ---------------------------------------------------------------------------------------------
MQ_SUPPORT = _mq("Support")
MQ_WELCOME = _mq("Welcome")
MQ_COMMITMENT = _mq("Commitment")
MQ_CALL = _mq("Call")
MQ_DEMAND = _mq("Demand")
MQ_CONCERN = _mq("Concern")
MQ_CONDEMNATION = _mq("Condemnation")
MQ_REJECTION = _mq("Rejection")
MQ_AFFIRMATION = _mq("Affirmation")

# ---------------------------------------------------------------------------------------------
# mq: principles (individuals of mq:Principle)
# ---------------------------------------------------------------------------------------------
MQ_TWO_STATE_SOLUTION = _mq("TwoStateSolution")
MQ_SOVEREIGNTY = _mq("Sovereignty")
MQ_TERRITORIAL_INTEGRITY = _mq("TerritorialIntegrity")
MQ_NON_INTERFERENCE = _mq("NonInterference")
MQ_POLITICAL_SOLUTION = _mq("PoliticalSolution")
MQ_CEASEFIRE = _mq("Ceasefire")
MQ_NEGOTIATIONS = _mq("Negotiations")
MQ_COUNTER_TERRORISM = _mq("CounterTerrorism")
MQ_HUMANITARIAN_AID = _mq("HumanitarianAid")
MQ_INTERNATIONAL_LAW = _mq("InternationalLaw")
MQ_HUMAN_RIGHTS = _mq("HumanRights")
MQ_INVESTIGATION = _mq("Investigation")
MQ_SANCTIONS = _mq("Sanctions")

# ---------------------------------------------------------------------------------------------
# Terms reused from other vocabularies
# ---------------------------------------------------------------------------------------------
RDF_TYPE = NamedNode(RDF + "type")
RDF_LANG_STRING = NamedNode(RDF + "langString")
RDFS_LABEL = NamedNode(RDFS + "label")
RDFS_COMMENT = NamedNode(RDFS + "comment")
OWL_SAME_AS = NamedNode(OWL + "sameAs")
OWL_VERSION_INFO = NamedNode(OWL + "versionInfo")
SKOS_PREF_LABEL = NamedNode(SKOS + "prefLabel")
SKOS_ALT_LABEL = NamedNode(SKOS + "altLabel")
SKOS_NOTATION = NamedNode(SKOS + "notation")
SCHEMA_URL = NamedNode(SCHEMA + "url")
SCHEMA_DATE_PUBLISHED = NamedNode(SCHEMA + "datePublished")
DCTERMS_TITLE = NamedNode(DCTERMS + "title")
DCTERMS_LANGUAGE = NamedNode(DCTERMS + "language")
DCTERMS_IDENTIFIER = NamedNode(DCTERMS + "identifier")
PROV_WAS_DERIVED_FROM = NamedNode(PROV + "wasDerivedFrom")
PROV_WAS_GENERATED_BY = NamedNode(PROV + "wasGeneratedBy")
PROV_ACTED_ON_BEHALF_OF = NamedNode(PROV + "actedOnBehalfOf")
PROV_STARTED_AT_TIME = NamedNode(PROV + "startedAtTime")
PROV_ENDED_AT_TIME = NamedNode(PROV + "endedAtTime")

XSD_STRING = NamedNode(XSD + "string")
XSD_DATE = NamedNode(XSD + "date")
XSD_GYEARMONTH = NamedNode(XSD + "gYearMonth")
XSD_GYEAR = NamedNode(XSD + "gYear")
XSD_DATETIME = NamedNode(XSD + "dateTime")
XSD_ANY_URI = NamedNode(XSD + "anyURI")
XSD_DECIMAL = NamedNode(XSD + "decimal")
XSD_INTEGER = NamedNode(XSD + "integer")
XSD_NON_NEGATIVE_INTEGER = NamedNode(XSD + "nonNegativeInteger")

WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"

# ---------------------------------------------------------------------------------------------
# Lookup tables
# ---------------------------------------------------------------------------------------------
#: model.STANCE_TYPES name → IRI ("Condemnation" → mq:Condemnation).
STANCE_TYPE_IRI: dict[str, NamedNode] = {
    "Support": MQ_SUPPORT,
    "Welcome": MQ_WELCOME,
    "Commitment": MQ_COMMITMENT,
    "Call": MQ_CALL,
    "Demand": MQ_DEMAND,
    "Concern": MQ_CONCERN,
    "Condemnation": MQ_CONDEMNATION,
    "Rejection": MQ_REJECTION,
    "Affirmation": MQ_AFFIRMATION,
}

#: model.PRINCIPLES name → IRI ("Ceasefire" → mq:Ceasefire).
PRINCIPLE_IRI: dict[str, NamedNode] = {
    "TwoStateSolution": MQ_TWO_STATE_SOLUTION,
    "Sovereignty": MQ_SOVEREIGNTY,
    "TerritorialIntegrity": MQ_TERRITORIAL_INTEGRITY,
    "NonInterference": MQ_NON_INTERFERENCE,
    "PoliticalSolution": MQ_POLITICAL_SOLUTION,
    "Ceasefire": MQ_CEASEFIRE,
    "Negotiations": MQ_NEGOTIATIONS,
    "CounterTerrorism": MQ_COUNTER_TERRORISM,
    "HumanitarianAid": MQ_HUMANITARIAN_AID,
    "InternationalLaw": MQ_INTERNATIONAL_LAW,
    "HumanRights": MQ_HUMAN_RIGHTS,
    "Investigation": MQ_INVESTIGATION,
    "Sanctions": MQ_SANCTIONS,
}

#: model.ENTITY_KINDS name → class IRI ("ArmedGroup" → mq:ArmedGroup).
ENTITY_CLASS_IRI: dict[str, NamedNode] = {
    "State": MQ_STATE,
    "Organisation": MQ_ORGANISATION,
    "ArmedGroup": MQ_ARMED_GROUP,
    "Conflict": MQ_CONFLICT,
    "Region": MQ_REGION,
}

assert tuple(STANCE_TYPE_IRI) == STANCE_TYPES
assert tuple(PRINCIPLE_IRI) == PRINCIPLES
assert tuple(ENTITY_CLASS_IRI) == ENTITY_KINDS

#: Datatype of a ``YYYY[-MM[-DD]]`` value, by its precision.
_DATE_DATATYPE_BY_LENGTH: dict[int, NamedNode] = {10: XSD_DATE, 7: XSD_GYEARMONTH, 4: XSD_GYEAR}


def date_datatype(value: str) -> NamedNode:
    """The datatype for a ``YYYY-MM-DD`` / ``YYYY-MM`` / ``YYYY`` value (xsd:date/gYearMonth/gYear).

    >>> date_datatype("2018-04").value
    'http://www.w3.org/2001/XMLSchema#gYearMonth'
    """
    try:
        return _DATE_DATATYPE_BY_LENGTH[len(value)]
    except KeyError:
        raise ValueError(f"not a YYYY, YYYY-MM or YYYY-MM-DD date: {value!r}") from None


def entities_graph(base: str = DEFAULT_BASE) -> NamedNode:
    """The named graph that holds the shared entity descriptions (``<base>graph/entities``)."""
    return NamedNode(f"{base}graph/entities")


def edges_graph(base: str = DEFAULT_BASE) -> NamedNode:
    """The named graph of the derived edge index (``<base>graph/edges``; see :mod:`graph_builder.edge_index`).

    It is a cache computed from the article graphs: exports leave it out.
    """
    return NamedNode(f"{base}graph/edges")


#: Path segments of instance IRIs under the base, by what they name (``<base>state/SYR``).
INSTANCE_PATHS: dict[str, str] = {
    "article": "article/", "stance": "stance/", "run": "run/", "state": "state/",
    "organisation": "organisation/", "group": "armed-group/", "conflict": "conflict/", "region": "region/",
}


def export_prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """:data:`PREFIXES` plus one prefix per kind of instance (``state:SYR``), for readable exports."""
    return {**PREFIXES, "id": base, **{k: base + v for k, v in INSTANCE_PATHS.items()}}


# ---------------------------------------------------------------------------------------------
# What kind of term each mq: constant is (checked against the ontology by the tests)
# ---------------------------------------------------------------------------------------------
_OWL_CLASS = NamedNode(OWL + "Class")
_OWL_OBJECT_PROPERTY = NamedNode(OWL + "ObjectProperty")
_OWL_DATATYPE_PROPERTY = NamedNode(OWL + "DatatypeProperty")
_RDFS_DATATYPE = NamedNode(RDFS + "Datatype")
_SKOS_CONCEPT_SCHEME = NamedNode(SKOS + "ConceptScheme")

CLASSES: tuple[NamedNode, ...] = (
    MQ_ARTICLE, MQ_ENTITY, MQ_ACTOR, MQ_STATE, MQ_ORGANISATION, MQ_ARMED_GROUP, MQ_CONFLICT,
    MQ_REGION, MQ_STANCE, MQ_PERSON, MQ_STANCE_TYPE_CLASS, MQ_PRINCIPLE_CLASS, MQ_EXTRACTION_RUN,
    MQ_EDGE_INDEX, MQ_STANCE_EDGE, MQ_STANCE_EDGE_PERIOD, MQ_HOLDER_TOTAL,
)
OBJECT_PROPERTIES: tuple[NamedNode, ...] = (
    MQ_HOLDER, MQ_STANCE_TYPE, MQ_TARGET, MQ_PRINCIPLE, MQ_MENTIONS,
    MQ_MEMBER_OF, MQ_HAS_MEMBER, MQ_PART_OF, MQ_LOCATION, MQ_PARTY,
    MQ_EDGE_HOLDER, MQ_EDGE_TYPE, MQ_EDGE_TARGET, MQ_PERIOD_OF, MQ_INDEXED_STANCE,
    MQ_TOTAL_OF, MQ_LATEST_PERIOD,
)
DATATYPE_PROPERTIES: tuple[NamedNode, ...] = (
    MQ_EVIDENCE, MQ_EVIDENCE_START, MQ_EVIDENCE_END, MQ_CUE, MQ_CUE_START, MQ_CUE_END, MQ_RULE,
    MQ_SPOKESPERSON, MQ_CONFIDENCE, MQ_DATE, MQ_STATED_ON, MQ_FOUNDED, MQ_MENTIONS_DATE,
    MQ_ISO_CODE, MQ_TEXT, MQ_SOURCE, MQ_CONTENT_HASH, MQ_SOFTWARE_VERSION, MQ_PLOVER_CATEGORY,
    MQ_RELATED_CAMEO_CODE, MQ_STANCE_COUNT, MQ_ARTICLE_COUNT, MQ_FIRST_DAY, MQ_LAST_DAY, MQ_PERIOD, MQ_IN_MONTH,
    MQ_INDEX_UPDATING,
)
DATATYPES: tuple[NamedNode, ...] = (MQ_CAMEO_CODE, MQ_PARTIAL_DATE)
CONCEPT_SCHEMES: tuple[NamedNode, ...] = (MQ_STANCE_TYPES, MQ_PRINCIPLES)

#: Every mq: constant → the rdf:type the ontology declares it with.
TERM_KINDS: dict[NamedNode, NamedNode] = {
    **{t: _OWL_CLASS for t in CLASSES},
    **{t: _OWL_OBJECT_PROPERTY for t in OBJECT_PROPERTIES},
    **{t: _OWL_DATATYPE_PROPERTY for t in DATATYPE_PROPERTIES},
    **{t: _RDFS_DATATYPE for t in DATATYPES},
    **{t: _SKOS_CONCEPT_SCHEME for t in CONCEPT_SCHEMES},
    **{t: MQ_STANCE_TYPE_CLASS for t in STANCE_TYPE_IRI.values()},
    **{t: MQ_PRINCIPLE_CLASS for t in PRINCIPLE_IRI.values()},
}

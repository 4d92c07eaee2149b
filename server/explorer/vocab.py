"""The ontology's vocabulary for the explorer: stance types (CAMEO, PLOVER, labels), principles, classes.

Read once from ``ontology/mawqif.ttl`` (a small file) into an in-memory store; the data graph is
never loaded.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox

from graph_builder import terms
from ontology import ONTOLOGY_PATH

#: Colour family of each stance type (the legend groups them so).
STANCE_FAMILY: dict[str, str] = {
    "Support": "positive", "Welcome": "positive", "Commitment": "positive",
    "Call": "call", "Demand": "call",
    "Concern": "negative", "Condemnation": "negative", "Rejection": "negative",
    "Affirmation": "neutral",
}
#: One colour per stance type: green family, blue family, red family, grey.
STANCE_COLOUR: dict[str, str] = {
    "Support": "#1b7f3b", "Welcome": "#4caf50", "Commitment": "#0d5c2e",
    "Call": "#1565c0", "Demand": "#42a5f5",
    "Concern": "#f08c2e", "Condemnation": "#c62828", "Rejection": "#8e0000",
    "Affirmation": "#757575",
}
#: Classes the explorer draws, in the order the filters list them.
ENTITY_CLASSES: tuple[str, ...] = ("State", "Organisation", "ArmedGroup", "Conflict", "Region")
HOLDER_CLASSES: tuple[str, ...] = ("State", "Organisation", "ArmedGroup")
#: Links between entities that the graph view draws (dashed) and whose provenance it shows.
LINK_RELATIONS: tuple[str, ...] = ("memberOf", "location", "party", "partOf")


@dataclass(frozen=True)
class Concept:
    iri: str
    name: str
    labels: dict[str, str] = field(default_factory=dict)
    cameo: str | None = None
    related_cameo: tuple[str, ...] = ()
    plover: str | None = None

    def as_json(self) -> dict[str, object]:
        return {"iri": self.iri, "name": self.name, "label_en": self.labels.get("en", self.name),
                "label_ar": self.labels.get("ar", self.name), "cameo": self.cameo,
                "related_cameo": list(self.related_cameo), "plover": self.plover,
                "family": STANCE_FAMILY.get(self.name), "colour": STANCE_COLOUR.get(self.name)}


@dataclass(frozen=True)
class Vocabulary:
    stance_types: dict[str, Concept]   # by local name
    principles: dict[str, Concept]     # by local name
    classes: dict[str, Concept]        # by local name
    relations: dict[str, Concept] = field(default_factory=dict)  # LINK_RELATIONS by local name

    def type_of(self, iri: str) -> Concept:
        name = iri.rsplit("#", 1)[-1]
        return self.stance_types.get(name) or Concept(iri, name)

    def principle(self, iri: str) -> Concept:
        name = iri.rsplit("#", 1)[-1]
        return self.principles.get(name) or Concept(iri, name)

    def as_json(self) -> dict[str, object]:
        return {"stance_types": [c.as_json() for c in self.stance_types.values()],
                "classes": [c.as_json() for c in self.classes.values()],
                "holder_classes": list(HOLDER_CLASSES),
                "relations": [c.as_json() for c in self.relations.values()]}

    def relation(self, name: str) -> Concept:
        return self.relations.get(name) or Concept(terms.MQ + name, name)


def _concepts(store: ox.Store, cls: ox.NamedNode) -> dict[str, Concept]:
    q = """
    SELECT ?c ?label ?cameo ?related ?plover ?cls WHERE {
      ?c a ?cls .
      OPTIONAL { ?c rdfs:label ?label }
      OPTIONAL { ?c skos:notation ?cameo }
      OPTIONAL { ?c mq:relatedCameoCode ?related }
      OPTIONAL { ?c mq:ploverCategory ?plover }
    }"""
    labels: dict[str, dict[str, str]] = {}
    cameo: dict[str, str] = {}
    related: dict[str, set[str]] = {}
    plover: dict[str, str] = {}
    results = store.query(q, substitutions={ox.Variable("cls"): cls}, prefixes=terms.PREFIXES)
    assert isinstance(results, ox.QuerySolutions)
    for row in results:
        c = row["c"]
        if not isinstance(c, ox.NamedNode):
            continue
        iri = c.value
        labels.setdefault(iri, {})
        related.setdefault(iri, set())
        label = row["label"]
        if isinstance(label, ox.Literal) and label.language:
            labels[iri][label.language] = label.value
        for var, into in (("cameo", cameo), ("plover", plover)):
            term = row[var]
            if isinstance(term, ox.Literal):
                into[iri] = term.value
        rel = row["related"]
        if isinstance(rel, ox.Literal):
            related[iri].add(rel.value)
    out = {}
    for iri in labels:
        name = iri.rsplit("#", 1)[-1]
        out[name] = Concept(iri, name, labels[iri], cameo.get(iri), tuple(sorted(related[iri])),
                            plover.get(iri))
    return out


@cache
def vocabulary() -> Vocabulary:
    store = ox.Store()
    store.load(path=str(ONTOLOGY_PATH), format=ox.RdfFormat.TURTLE)
    types = _concepts(store, terms.MQ_STANCE_TYPE_CLASS)
    principles = _concepts(store, terms.MQ_PRINCIPLE_CLASS)
    owl_class = ox.NamedNode(terms.OWL + "Class")
    all_classes = _concepts(store, owl_class)
    ordered_types = {n: types[n] for n in terms.STANCE_TYPE_IRI if n in types}
    classes = {n: all_classes.get(n) or Concept(terms.MQ + n, n) for n in ENTITY_CLASSES}
    properties = _concepts(store, ox.NamedNode(terms.OWL + "ObjectProperty"))
    relations = {n: properties.get(n) or Concept(terms.MQ + n, n) for n in LINK_RELATIONS}
    return Vocabulary(ordered_types, dict(sorted(principles.items())), classes, relations)

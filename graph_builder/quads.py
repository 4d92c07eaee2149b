"""From an :class:`~graph_builder.model.Extraction` to RDF quads under the contract (pure).

IRIs are deterministic: the same input always gives the same IRIs, so ingesting again replaces
an article rather than adding a copy.

    >>> from graph_builder.model import Article
    >>> article_iri(Article(text="x", url="https://example.org/a")).value
    'https://w3id.org/mawqif/id/article/579f2a2ceeee0bc369f88d8b2b891d6263265b30'
"""
from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from graph_builder import __version__, terms
from graph_builder.edge_index import Row as EdgeRow
from graph_builder.gazetteer import Gazetteer, default_gazetteer
from graph_builder.model import Article, EntityInfo, Extraction, Stance
from graph_builder.store import ArticleGraph

_KIND_PATH = {
    "State": terms.INSTANCE_PATHS["state"],
    "Organisation": terms.INSTANCE_PATHS["organisation"],
    "ArmedGroup": terms.INSTANCE_PATHS["group"],
    "Conflict": terms.INSTANCE_PATHS["conflict"],
    "Region": terms.INSTANCE_PATHS["region"],
}


def _digest(*parts: str, size: int = 40) -> str:
    h = hashlib.sha1("\x1f".join(parts).encode("utf-8"))
    return h.hexdigest()[:size]


def article_key(article: Article) -> str:
    """What identifies an article across ingests: its url, or lacking one, its text."""
    return f"url:{article.url}" if article.url else f"text:{article.text}"


def article_iri(article: Article, base: str = terms.DEFAULT_BASE) -> ox.NamedNode:
    key = article_key(article)
    # Kept compatible with the plain url hash so that IRIs stay stable across versions.
    return ox.NamedNode(f"{base}{terms.INSTANCE_PATHS['article']}{_digest(key[4:] if article.url else key)}")


def entity_iri(info: EntityInfo, base: str = terms.DEFAULT_BASE) -> ox.NamedNode:
    """``<base>state/SYR``, ``<base>organisation/UNSC``, ``<base>conflict/syria`` …"""
    local = info.key.split(":", 1)[1] if ":" in info.key else info.key
    return ox.NamedNode(f"{base}{_KIND_PATH[info.kind]}{local}")


def _article_id(article: ox.NamedNode) -> str:
    return article.value.rsplit("/", 1)[-1]


def stance_iri(article: ox.NamedNode, stance: Stance, base: str = terms.DEFAULT_BASE) -> ox.NamedNode:
    """``<base>stance/<article id>-<digest of holder, type, targets and cue position>``."""
    d = _digest(stance.holder, stance.type, "|".join(stance.targets), str(stance.sentence.start),
                str(stance.cue_start), size=16)
    return ox.NamedNode(f"{base}{terms.INSTANCE_PATHS['stance']}{_article_id(article)}-{d}")


def run_iri(article: ox.NamedNode, base: str = terms.DEFAULT_BASE) -> ox.NamedNode:
    """The extraction run that produced an article's graph."""
    return ox.NamedNode(f"{base}{terms.INSTANCE_PATHS['run']}{_article_id(article)}")


def content_hash(article: Article) -> str:
    """Changes when the article or the software that reads it changes."""
    fields = (article.text, article.lang or "", article.url or "", article.title or "",
              article.published or "", article.source or "", __version__)
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()


def date_literal(value: str) -> ox.Literal:
    """``YYYY-MM-DD`` → xsd:date, ``YYYY-MM`` → xsd:gYearMonth, ``YYYY`` → xsd:gYear."""
    datatype = {10: terms.XSD_DATE, 7: terms.XSD_GYEARMONTH}.get(len(value), terms.XSD_GYEAR)
    return ox.Literal(value, datatype=datatype)


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=terms.XSD_NON_NEGATIVE_INTEGER)


@functools.lru_cache(maxsize=8192)
def _description(gaz: Gazetteer, key: str, base: str, g: ox.NamedNode) -> tuple[tuple[ox.Quad, ...], tuple[str, ...]]:
    """One entity's description quads and the keys it names (cached: it depends only on its inputs)."""
    info = gaz.get(key)
    if info is None:
        return (), ()
    s = entity_iri(info, base)
    out = [ox.Quad(s, terms.RDF_TYPE, terms.ENTITY_CLASS_IRI[info.kind], g),
           ox.Quad(s, terms.RDFS_LABEL, ox.Literal(info.label_en, language="en"), g)]
    if info.label_ar:
        out.append(ox.Quad(s, terms.RDFS_LABEL, ox.Literal(info.label_ar, language="ar"), g))
    out += [ox.Quad(s, terms.SKOS_ALT_LABEL, ox.Literal(alias, language="en"), g) for alias in info.aliases_en]
    out += [ox.Quad(s, terms.SKOS_ALT_LABEL, ox.Literal(alias, language="ar"), g) for alias in info.aliases_ar]
    if info.iso3:
        out.append(ox.Quad(s, terms.MQ_ISO_CODE, ox.Literal(info.iso3), g))
    if info.qid:
        out.append(ox.Quad(s, terms.OWL_SAME_AS, ox.NamedNode(f"http://www.wikidata.org/entity/{info.qid}"), g))
    named: list[str] = []
    links = [(terms.MQ_LOCATION, k) for k in info.location] + [(terms.MQ_PARTY, k) for k in info.parties]
    if info.parent:
        links.append((terms.MQ_PART_OF, info.parent))
    for prop, other_key in links:
        other = gaz.get(other_key)
        if other is not None:
            out.append(ox.Quad(s, prop, entity_iri(other, base), g))
            named.append(other_key)
    return tuple(out), tuple(named)


def describe_entities(keys: Iterable[str], gaz: Gazetteer, base: str = terms.DEFAULT_BASE,
                      graph: ox.NamedNode | None = None) -> Iterator[ox.Quad]:
    """Descriptions (class, labels, ISO code, Wikidata, locations) of entities and what they name."""
    g = graph or terms.entities_graph(base)
    todo = list(dict.fromkeys(keys))
    seen: set[str] = set()
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        quads, named = _description(gaz, key, base, g)
        yield from quads
        todo.extend(named)


def build_article_graph(x: Extraction, *, base: str = terms.DEFAULT_BASE,
                        generated_at: str | None = None, gazetteer: Gazetteer | None = None) -> ArticleGraph:
    """All quads for one article: its own graph, and entity descriptions for the shared graph.

    ``generated_at`` (xsd:dateTime text) is when the extraction ran; None leaves it out, which
    keeps the output a pure function of the input.
    """
    gaz = gazetteer or default_gazetteer()
    art = x.article
    a = article_iri(art, base)
    out: list[ox.Quad] = []

    def add(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        out.append(ox.Quad(s, p, o, a))

    def iri(key: str) -> ox.NamedNode:
        return entity_iri(gaz.entity(key), base)

    add(a, terms.RDF_TYPE, terms.MQ_ARTICLE)
    if art.url:
        add(a, terms.SCHEMA_URL, ox.Literal(art.url, datatype=terms.XSD_ANY_URI))
    if art.title:
        add(a, terms.DCTERMS_TITLE, ox.Literal(art.title, language=x.lang))
    add(a, terms.DCTERMS_LANGUAGE, ox.Literal(x.lang))
    if art.published:
        add(a, terms.SCHEMA_DATE_PUBLISHED, ox.Literal(art.published, datatype=terms.XSD_DATE))
    if art.source:
        add(a, terms.MQ_SOURCE, ox.Literal(art.source))
    if art.id:
        add(a, terms.DCTERMS_IDENTIFIER, ox.Literal(art.id))
    add(a, terms.MQ_CONTENT_HASH, ox.Literal(content_hash(art)))

    run = run_iri(a, base)
    add(a, terms.PROV_WAS_GENERATED_BY, run)
    add(run, terms.RDF_TYPE, terms.MQ_EXTRACTION_RUN)
    add(run, terms.MQ_SOFTWARE_VERSION, ox.Literal(f"mawqif {__version__}"))
    if generated_at:
        add(run, terms.PROV_ENDED_AT_TIME, ox.Literal(generated_at, datatype=terms.XSD_DATETIME))

    used = {m.key for m in x.mentions}
    for key in sorted(used):
        add(a, terms.MQ_MENTIONS, iri(key))
    for d in x.dates:
        add(a, terms.MQ_MENTIONS_DATE, date_literal(d.value))
    for state, org in x.memberships:
        add(iri(state), terms.MQ_MEMBER_OF, iri(org))
        used |= {state, org}
    for org, when in x.foundings:
        add(iri(org), terms.MQ_FOUNDED, date_literal(when))
        used.add(org)

    edges: dict[str, list[EdgeRow]] | None = {}
    for st in x.stances:
        s = stance_iri(a, st, base)
        if edges is not None:
            if s.value in edges:  # two stances share an IRI: their quads merge; let the store count them
                edges = None
            else:
                day = (st.stated_on or art.published or "")[:10] or None
                holder, type_iri = iri(st.holder).value, terms.STANCE_TYPE_IRI[st.type].value
                edges[s.value] = [(holder, type_iri, iri(t).value, day, s.value, a.value)
                                  for t in dict.fromkeys(st.targets)]
        used.add(st.holder)
        used.update(st.targets)
        add(s, terms.RDF_TYPE, terms.MQ_STANCE)
        add(s, terms.MQ_HOLDER, iri(st.holder))
        add(s, terms.MQ_STANCE_TYPE, terms.STANCE_TYPE_IRI[st.type])
        for t in st.targets:
            add(s, terms.MQ_TARGET, iri(t))
        for p in st.principles:
            add(s, terms.MQ_PRINCIPLE, terms.PRINCIPLE_IRI[p])
        add(s, terms.MQ_EVIDENCE, ox.Literal(st.sentence.text, language=x.lang))
        add(s, terms.MQ_EVIDENCE_START, _int(st.sentence.start))
        add(s, terms.MQ_EVIDENCE_END, _int(st.sentence.end))
        add(s, terms.MQ_CUE, ox.Literal(st.cue))
        add(s, terms.MQ_CUE_START, _int(st.cue_start))
        add(s, terms.MQ_CUE_END, _int(st.cue_end))
        add(s, terms.MQ_CONFIDENCE, ox.Literal(f"{st.confidence:.2f}", datatype=terms.XSD_DECIMAL))
        if st.rule:
            add(s, terms.MQ_RULE, ox.Literal(st.rule))
        if st.stated_on:
            add(s, terms.MQ_STATED_ON, date_literal(st.stated_on))
        if st.spokesperson:
            add(s, terms.MQ_SPOKESPERSON, ox.Literal(st.spokesperson))
        add(s, terms.PROV_WAS_DERIVED_FROM, a)
        add(s, terms.PROV_WAS_GENERATED_BY, run)

    shared = tuple(describe_entities(sorted(used), gaz, base))
    rows = None if edges is None else tuple(r for rs in edges.values() for r in rs)
    return ArticleGraph(graph=a, quads=tuple(dict.fromkeys(out)), shared=shared, edges=rows)


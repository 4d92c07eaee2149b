"""What the explorer's pages and JSON APIs show, read from the store with the ``explorer-*`` queries.

Every answer comes from SPARQL over the store (the graph is never loaded into memory); user values
reach the queries only through :func:`queries.bind`. The entity index behind search and labels (a
few hundred entities with their labels) and the aggregated stance pairs behind the analytics are
cached for a few seconds.
"""
from __future__ import annotations

import calendar
import contextlib
import datetime
import functools
import io
import json
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import pyoxigraph as ox

from graph_builder import analytics, terms
from graph_builder.edge_index import index_ready, period_node, period_of, stance_count
from graph_builder.errors import QueryError
from graph_builder.gazetteer import default_gazetteer
from graph_builder.gazetteer.matcher import DATA as GAZETTEER_DATA
from graph_builder.gazetteer.matcher import DATA_FILES as GAZETTEER_FILES
from graph_builder.model import EntityInfo
from graph_builder.quads import entity_iri
from graph_builder.store import Stats, Store
from queries import bind, get_query
from server.explorer import entity_stances
from server.explorer.search import IndexedEntity, SearchIndex
from server.explorer.vocab import ENTITY_CLASSES, HOLDER_CLASSES, LINK_RELATIONS, Vocabulary, vocabulary

#: Most neighbours one expansion step adds (the rest behind a "+N more" node).
STEP = 50
#: Most nodes the graph view shows at once.
MAX_NODES = 300
CACHE_SECONDS = 5.0
#: The store's counts (a full scan on a large store) are refreshed in the background this often …
STATS_SECONDS = 30.0
#: … and a page waits this long for the first count before it is shown without one.
STATS_WAIT = 2.0

_SAFE_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
_WIKIDATA = re.compile(r"^http://www\.wikidata\.org/entity/(Q[0-9]+)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

Row = dict[str, ox.NamedNode | ox.Literal | ox.BlankNode | None]
T = TypeVar("T")


def safe_url(value: str | None) -> str | None:
    """``value`` when it is an http(s) URL (never ``javascript:`` and the like), else None."""
    return value if value and _SAFE_URL.match(value) else None


def wikidata_url(same_as: str) -> str | None:
    m = _WIKIDATA.match(same_as)
    return f"https://www.wikidata.org/wiki/{m.group(1)}" if m else None


def clean_label(text: str) -> str:
    """A label for display: bidi embedding/override/isolate controls removed, spaces collapsed."""
    return " ".join(_BIDI_CONTROLS.sub("", text).split())


def text_dir(lang: str | None, text: str = "") -> str:
    if lang:
        return "rtl" if lang.split("-")[0].lower() in ("ar", "fa", "ur", "he") else "ltr"
    return "rtl" if re.search(r"[\u0590-\u08ff]", text) else "ltr"


def local_name(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/"))[-1]


def check_date(value: str | None, name: str) -> str | None:
    if not value:
        return None
    if not _DATE.match(value):
        raise QueryError(f"parameter {name!r}: expected a date YYYY-MM-DD, got {value!r}")
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"parameter {name!r}: no such day: {value!r}") from None
    return value


def check_iri(value: str | None, name: str) -> str:
    if not value:
        raise QueryError(f"missing the {name!r} parameter (an IRI)")
    try:
        ox.NamedNode(value)
    except ValueError:
        raise QueryError(f"parameter {name!r}: not a valid IRI: {value!r}") from None
    if ":" not in value:
        raise QueryError(f"parameter {name!r}: not an absolute IRI: {value!r}")
    return value


_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _value(term: Any) -> str | None:
    return None if term is None else str(term.value)


def _lang(term: Any) -> str | None:
    return term.language if isinstance(term, ox.Literal) else None


class _TTLCache:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.lock = threading.Lock()
        self.items: dict[str, tuple[float, Any]] = {}

    def get(self, key: str, make: Callable[[], T]) -> T:
        now = time.monotonic()
        with self.lock:
            hit = self.items.get(key)
            if hit is not None and now - hit[0] < self.seconds:
                return hit[1]
        value = make()
        with self.lock:
            self.items[key] = (now, value)
        return value


class BackgroundValue(Generic[T]):
    """A value that is slow to compute (the store's counts): computed in a background thread and
    refreshed when older than ``seconds``; a reader waits at most ``wait`` seconds for the first
    value and otherwise gets the last one (None before there is one), so a large store never makes
    a page wait for its counts."""

    def __init__(self, make: Callable[[], T], seconds: float, wait: float) -> None:
        self.make, self.seconds, self.wait = make, seconds, wait
        self.lock = threading.Lock()
        self.value: T | None = None
        self.at = 0.0
        self.running: threading.Event | None = None

    def _run(self, done: threading.Event) -> None:
        try:
            value = self.make()
            with self.lock:
                self.value, self.at = value, time.monotonic()
        except Exception:  # a failed count leaves the last value; the next reader tries again
            pass
        finally:
            with self.lock:
                self.running = None
            done.set()

    def get(self) -> T | None:
        with self.lock:
            done = self.running
            stale = self.value is None or time.monotonic() - self.at > self.seconds
            if stale and done is None:
                done = self.running = threading.Event()
                threading.Thread(target=self._run, args=(done,), name="mawqif-stats", daemon=True).start()
        if done is not None and self.value is None:
            done.wait(self.wait)
        return self.value


@dataclass(frozen=True)
class Filters:
    """The graph view's filters: stance types and holder classes (local names), date range."""

    types: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    start: str | None = None
    end: str | None = None

    @classmethod
    def parse(cls, args: Any) -> Filters:
        def names(key: str, allowed: Iterable[str]) -> frozenset[str]:
            raw = [v for value in args.getlist(key) for v in value.split(",") if v.strip()]
            known = set(allowed)
            bad = [v for v in raw if v.strip() not in known]
            if bad:
                raise QueryError(f"parameter {key!r}: unknown value(s) {', '.join(bad)}; "
                                 f"use {', '.join(allowed)}")
            return frozenset(v.strip() for v in raw)

        return cls(names("types", terms.STANCE_TYPE_IRI), names("classes", HOLDER_CLASSES),
                   check_date(args.get("from"), "from"), check_date(args.get("to"), "to"))

    def dates(self) -> dict[str, str]:
        out = {}
        if self.start:
            out["from"] = self.start
        if self.end:
            out["to"] = self.end
        return out


class ExplorerData:
    def __init__(self, store: Store, base: str = terms.DEFAULT_BASE,
                 reading: Callable[[], AbstractContextManager[object]] | None = None) -> None:
        self.store = store
        self.base = base
        self.vocab: Vocabulary = vocabulary()
        self.cache = _TTLCache(CACHE_SECONDS)
        #: held while a query is *started* (pyoxigraph takes its snapshot then): the server's
        #: ``Runner.reading``, so that no view shows an article without its commit record
        self.reading = reading or contextlib.nullcontext
        self._stats = BackgroundValue(store.stats, STATS_SECONDS, STATS_WAIT)

    def stats(self) -> Stats | None:
        """The store's counts, as last counted (None while the first count runs on a large store)."""
        return self._stats.get()

    # -- queries ---------------------------------------------------------------------------------
    def select(self, name: str, **values: str) -> list[Row]:
        query = get_query(name)
        try:
            subs = bind(query, {k: v for k, v in values.items() if v is not None})
        except ValueError as e:
            raise QueryError(str(e)) from None
        with self.reading():
            results = self.store.query(query.text, substitutions=subs)
        assert isinstance(results, ox.QuerySolutions)
        names = [v.value for v in results.variables]
        return [{n: row[n] for n in names} for row in results]

    def construct(self, name: str, **values: str) -> list[ox.Triple]:
        query = get_query(name)
        try:
            subs = bind(query, values)
        except ValueError as e:
            raise QueryError(str(e)) from None
        with self.reading():
            results = self.store.query(query.text, substitutions=subs)
        assert isinstance(results, ox.QueryTriples)
        return list(results)

    def turtle(self, triples: Iterable[ox.Triple]) -> bytes:
        buf = io.BytesIO()
        ox.serialize(triples, buf, ox.RdfFormat.TURTLE, prefixes=terms.export_prefixes(self.base))
        return buf.getvalue()

    # -- entities --------------------------------------------------------------------------------
    def index(self) -> SearchIndex:
        return self.cache.get("index", self._build_index)

    def _build_index(self) -> SearchIndex:
        classes: dict[str, str] = {}
        labels: dict[str, dict[str, str]] = defaultdict(dict)
        aliases: dict[str, list[str]] = defaultdict(list)
        for row in self.select("explorer-entities"):
            iri, label = _value(row["entity"]), row["label"]
            cls = local_name(_value(row["class"]) or "")
            if iri is None or not isinstance(label, ox.Literal):
                continue
            if iri not in classes or ENTITY_CLASSES.index(cls) < ENTITY_CLASSES.index(classes[iri]):
                classes[iri] = cls
            if _value(row["alt"]) == "true":
                aliases[iri].append(label.value)
            else:
                lang = (label.language or "en").split("-")[0]
                if lang not in labels[iri] or label.value < labels[iri][lang]:
                    labels[iri][lang] = label.value
        return SearchIndex(IndexedEntity(iri, cls, dict(labels[iri]), tuple(sorted(aliases[iri])))
                           for iri, cls in sorted(classes.items()))

    def node(self, iri: str) -> dict[str, Any]:
        """An entity as the views draw it: IRI, class, English and Arabic labels, its page."""
        e = self.index().by_iri.get(iri)
        name = local_name(iri)
        labels = e.labels if e else {}
        en = clean_label(labels.get("en") or labels.get("ar") or name)
        ar = clean_label(labels.get("ar") or labels.get("en") or name)
        return {"id": iri, "class": e.cls if e else None, "label_en": en, "label_ar": ar,
                "page": self.page_path(iri)}

    def page_path(self, iri: str) -> str | None:
        """The server path of the page of an IRI under the instance base (``/id/state/SYR``)."""
        if iri.startswith(self.base):
            return "/id/" + iri[len(self.base):]
        return None

    def search(self, q: str, limit: int = 10) -> list[dict[str, Any]]:
        return [{**self.node(h.iri), "matched": h.matched, "score": h.score}
                for h in self.index().search(q, limit)]

    def holder_class_ok(self, holder: str, f: Filters) -> bool:
        if not f.classes:
            return True
        e = self.index().by_iri.get(holder)
        return e is not None and e.cls in f.classes

    # -- ego graph -------------------------------------------------------------------------------
    def edge_index_ready(self) -> bool:
        """Whether the store has a complete edge index (graph_builder/edge_index.py)."""
        with self.reading():
            return index_ready(self.store.oxigraph)

    def ego(self, entity: str, f: Filters, page: int = 1, step: int = STEP) -> dict[str, Any]:
        """The stances an entity took or received as edges, with one page of its neighbours.

        Read from the store's edge index when it is complete and the date range (if any) is whole
        months; otherwise by counting the stances (same rows, slower on a large store).
        """
        if not self.edge_index_ready():
            rows = self.select("explorer-ego", entity=entity, **f.dates())
        elif not f.start and not f.end:
            rows = self.select("explorer-ego-index", entity=entity)
        elif month_aligned(f.start, f.end):
            rows = self.select("explorer-ego-index-period", entity=entity, **f.dates())
        else:
            rows = self.select("explorer-ego", entity=entity, **f.dates())
        stance_edges: list[dict[str, Any]] = []
        weight: dict[str, int] = defaultdict(int)
        relations: dict[str, set[str]] = defaultdict(set)
        for r in rows:
            holder, target, type_iri = _value(r["holder"]), _value(r["target"]), _value(r["type"])
            if holder is None or target is None or type_iri is None:
                continue
            tname = local_name(type_iri)
            if f.types and tname not in f.types:
                continue
            if not self.holder_class_ok(holder, f):
                continue
            count = int(_value(r["stances"]) or 0)
            other = target if holder == entity else holder
            weight[other] += count
            relations[other].add(("held:" if holder == entity else "received:") + tname)
            stance_edges.append({"id": f"{holder} {tname} {target}", "kind": "stance", "from": holder,
                                 "to": target, "type": tname, "count": count, "latest": _value(r["latest"]) or None})
        link_edges: list[dict[str, Any]] = []
        if not f.types and not f.classes and not f.start and not f.end:
            for r in self.select("explorer-links", entity=entity):
                src, rel, dst = _value(r["source"]), _value(r["relation"]), _value(r["dest"])
                if src is None or rel is None or dst is None:
                    continue
                rname = local_name(rel)
                other = dst if src == entity else src
                weight.setdefault(other, 0)
                relations[other].add(("link-out:" if src == entity else "link-in:") + rname)
                link_edges.append({"id": f"{src} {rname} {dst}", "kind": "link", "from": src, "to": dst,
                                   "relation": rname})
        neighbours = sorted((o for o in weight if o != entity),
                            key=lambda o: (-weight[o], self.node(o)["label_en"].casefold(), o))
        page = max(page, 1)
        shown = neighbours[: page * step]
        keep = set(shown) | {entity}
        edges = [e for e in stance_edges + link_edges if e["from"] in keep and e["to"] in keep]
        edges.sort(key=lambda e: str(e["id"]))
        nodes = [self.node(entity)] + [{**self.node(o), "weight": weight[o],
                                        "relations": sorted(relations[o])} for o in shown]
        return {"ok": True, "entity": self.node(entity), "nodes": nodes, "edges": edges,
                "neighbours": len(neighbours), "shown": len(shown), "page": page, "step": step,
                "more": max(len(neighbours) - len(shown), 0)}

    # -- stances and their evidence --------------------------------------------------------------
    def stances(self, f: Filters, page: int = 1, size: int = 20, **values: str | None) -> dict[str, Any]:
        vals = {k: v for k, v in values.items() if v}
        rows = self.select("explorer-stances", **vals, **f.dates())
        rows = [r for r in rows
                if (not f.types or local_name(_value(r["type"]) or "") in f.types)
                and self.holder_class_ok(_value(r["holder"]) or "", f)]
        page = max(page, 1)
        chunk = rows[(page - 1) * size: page * size]
        return {"ok": True, "total": len(rows), "page": page, "size": size,
                "pages": max((len(rows) + size - 1) // size, 1),
                "stances": [self.stance_json(r) for r in chunk]}

    def newest_stances(self, f: Filters, page: int = 1, size: int = 20, **values: str) -> dict[str, Any]:
        """:meth:`stances`, read through the edge index when it is complete and the request names a
        holder or a target and no dates: a page then reads only the periods from the newest to where
        it ends (:mod:`server.explorer.entity_stances`), not every stance of a busy entity."""
        if (not self.edge_index_ready() or f.start or f.end or "stance" in values
                or not ("holder" in values or "target" in values)):
            return self.stances(f, page, size, **values)
        edges = [entity_stances.Edge(e, t, int(c), _value(r["first"]), _value(r["last"]))
                 for r in self.select("explorer-entity-edges-index", **values)
                 if (e := _value(r["edge"])) and (t := _value(r["target"])) and (c := _value(r["stances"]))
                 and (not f.types or local_name(_value(r["type"]) or "") in f.types)
                 and self.holder_class_ok(_value(r["holder"]) or "", f)]
        total = sum(e.count for e in edges)
        page = max(page, 1)
        items = []
        groups = self._groups(edges, page * size)
        for group, start, end in entity_stances.pick(groups, (page - 1) * size, size):
            for m in entity_stances.order(self._members(group))[start:end]:
                rows = self.select("explorer-stances", stance=m.stance, target=m.target)
                if rows:   # (gone if a write removed it since the counts were read)
                    items.append(self.stance_json(rows[0]))
        return {"ok": True, "total": total, "page": page, "size": size,
                "pages": max((total + size - 1) // size, 1), "stances": items}

    def _groups(self, edges: Sequence[entity_stances.Edge], needed: int) -> list[entity_stances.Group]:
        """The edges' stances in groups, newest first, until ``needed`` rows are grouped (the
        undated group last, once every period was read)."""
        store = self.store.oxigraph
        dated = [e for e in edges if e.first and e.last]
        groups: list[entity_stances.Group] = []
        in_periods: dict[str, int] = defaultdict(int)
        seen = 0
        if dated:
            first = min(e.first for e in dated if e.first)
            last = max(e.last for e in dated if e.last)
            for period in entity_stances.periods_newest_first(first, last):
                if seen >= needed:
                    return groups
                nodes, count = [], 0
                with self.reading():   # a period at a time: a deep page must not hold writes back
                    for e in dated:
                        if not entity_stances.spans(e, period):
                            continue
                        node = period_node(ox.NamedNode(e.node), period)
                        n = stance_count(store, node)
                        if n:
                            nodes.append((node.value, e.target))
                            count += n
                            in_periods[e.node] += n
                if count:
                    groups.append(entity_stances.Group(entity_stances.group_key(period), count, tuple(nodes)))
                    seen += count
        undated = [(e.node, e.target) for e in edges if e.count > in_periods[e.node]]
        if undated:
            groups.append(entity_stances.Group(None, sum(e.count - in_periods[e.node] for e in edges), tuple(undated)))
        return groups

    def _members(self, group: entity_stances.Group) -> list[entity_stances.Member]:
        """The stances a group's index nodes list, each with its day and its edge's target."""
        store, index = self.store.oxigraph, terms.edges_graph(self.base)
        out = []
        for node, target in group.nodes:
            with self.reading():   # a node at a time (see _groups)
                for q in store.quads_for_pattern(ox.NamedNode(node), terms.MQ_INDEXED_STANCE, None, index):
                    if isinstance(q.object, ox.NamedNode):
                        out.append(entity_stances.Member(self._day(store, q.object, group), q.object.value, target))
        return out

    @staticmethod
    def _day(store: ox.Store, stance: ox.NamedNode, group: entity_stances.Group) -> str | None:
        """The stance's day within the group (its ``mq:statedOn``, else its article's publication)."""
        days = [d[:10] for q in store.quads_for_pattern(stance, terms.MQ_STATED_ON, None) if (d := _value(q.object))]
        if not days:
            for a in store.quads_for_pattern(stance, terms.PROV_WAS_DERIVED_FROM, None):
                if isinstance(a.object, ox.NamedNode):
                    published = store.quads_for_pattern(a.object, terms.SCHEMA_DATE_PUBLISHED, None, a.object)
                    days += [d[:10] for q in published if (d := _value(q.object))]
        if group.key is None or not days:
            return None
        inside = [d for d in days if entity_stances.group_key(period_of(d)) == group.key]
        return max(inside or days)

    def stance_json(self, r: Row) -> dict[str, Any]:
        type_concept = self.vocab.type_of(_value(r["type"]) or "")
        evidence = r["evidence"]
        ev_text = evidence.value if evidence is not None else ""
        ev_lang = _lang(evidence)
        targets = sorted((_value(r["targets"]) or "").split())
        principles = sorted((_value(r["principles"]) or "").split())
        title = r["title"]
        article_iri = _value(r["article"])
        return {
            "stance": _value(r["stance"]),
            "page": self.page_path(_value(r["stance"]) or ""),
            "holder": self.node(_value(r["holder"]) or ""),
            "type": type_concept.as_json(),
            "targets": [self.node(t) for t in targets],
            "principles": [self.vocab.principle(p).as_json() for p in principles],
            "date": _value(r["date"]),
            "confidence": float(_value(r["confidence"]) or 0) if r["confidence"] is not None else None,
            "cue": _value(r["cue"]),
            "evidence": {"text": ev_text, "lang": ev_lang, "dir": text_dir(ev_lang, ev_text),
                         "segments": self.segments(ev_text, ev_lang, _value(r["cue"]),
                                                   _int(r["cueStart"]), _int(r["evidenceStart"]))},
            "article": {"iri": article_iri, "page": self.page_path(article_iri or ""),
                        "title": _value(title), "title_lang": _lang(title),
                        "title_dir": text_dir(_lang(title), _value(title) or ""),
                        "url": safe_url(_value(r["url"])), "url_text": _value(r["url"]),
                        "published": _value(r["published"]), "source": _value(r["source"])},
        }

    def segments(self, text: str, lang: str | None, cue: str | None, cue_start: int | None,
                 evidence_start: int | None) -> list[dict[str, Any]]:
        """The evidence split into plain text, the cue and entity mentions (for highlighting)."""
        if not text:
            return []
        spans: list[tuple[int, int, str, str | None]] = []
        if cue:
            at = -1
            if cue_start is not None and evidence_start is not None:
                at = cue_start - evidence_start
                if text[at:at + len(cue)] != cue:
                    at = -1
            if at < 0:
                at = text.find(cue)
            if at >= 0:
                spans.append((at, at + len(cue), "cue", None))
        by_local = {local_name(e.iri): e.iri for e in self.index().entities}
        for m in default_gazetteer().find(text, "ar" if text_dir(lang, text) == "rtl" else "en"):
            if any(m.start < e and s < m.end for s, e, _, _ in spans):
                continue
            spans.append((m.start, m.end, "entity", by_local.get(m.key.split(":")[-1])))
        spans.sort()
        out: list[dict[str, Any]] = []
        pos = 0
        for s, e, kind, iri in spans:
            if s < pos:
                continue
            if s > pos:
                out.append({"text": text[pos:s], "mark": None})
            out.append({"text": text[s:e], "mark": kind, "iri": iri})
            pos = e
        if pos < len(text):
            out.append({"text": text[pos:], "mark": None})
        return out

    # -- timeline --------------------------------------------------------------------------------
    def timeline(self, entity: str | None, f: Filters) -> dict[str, Any]:
        rows = (self.select("explorer-timeline-entity", entity=entity) if entity
                else self.select("explorer-timeline"))
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for r in rows:
            month, tname = _value(r["month"]), local_name(_value(r["type"]) or "")
            cls = local_name(_value(r["holderClass"]) or "")
            if not month or (f.types and tname not in f.types) or (f.classes and cls not in f.classes):
                continue
            counts[month][tname] += int(_value(r["stances"]) or 0)
        months = _month_range(sorted(counts))
        return {"ok": True, "months": [{"month": m, "count": sum(counts[m].values()) if m in counts else 0,
                                        "types": dict(counts[m]) if m in counts else {}} for m in months]}

    # -- where a link (membership, location, party) comes from -----------------------------------
    def link_evidence(self, source: str, relation: str, dest: str, page: int = 1,
                      size: int = 20) -> dict[str, Any] | None:
        """Everything the store holds about where the link ``source relation dest`` comes from.

        A membership the extractor read from an article is a bare triple in that article's graph
        (no sentence is recorded), so its evidence is the articles whose graphs state it; a
        location, party or part-of link is curated (the shared entities graph, written from the
        gazetteer). None when no graph states the link.
        """
        name = relation.removeprefix(terms.MQ)
        if name not in LINK_RELATIONS:
            raise QueryError(f"parameter 'relation': expected one of {', '.join(LINK_RELATIONS)}, got {relation!r}")
        rows = self.select("explorer-link-evidence", source=source, relation=terms.MQ + name, dest=dest)
        if not rows:
            return None
        entities_graph = terms.entities_graph(self.base).value
        articles: list[dict[str, Any]] = []
        curated: list[dict[str, Any]] = []
        other_graphs: list[str] = []
        in_default_graph = False
        for r in rows:
            graph = _value(r["graph"])
            if graph is None:
                in_default_graph = True
            elif r["article"] is not None:
                title = r["title"]
                run = _value(r["run"])
                articles.append({
                    "iri": graph, "page": self.page_path(graph), "title": _value(title), "title_lang": _lang(title),
                    "title_dir": text_dir(_lang(title), _value(title) or ""), "date": _value(r["date"]),
                    "lang": _value(r["lang"]), "source": _value(r["outlet"]), "url": safe_url(_value(r["url"])),
                    "url_text": _value(r["url"]),
                    "run": {"iri": run, "page": self.page_path(run or ""), "software": _value(r["software"]),
                            "ended": _value(r["extractedAt"])} if run else None})
            elif graph == entities_graph:
                curated.append({"graph": graph, "gazetteer": gazetteer_source(self.base, source, name, dest)})
            else:
                other_graphs.append(graph)
        first = rows[0]
        concept = self.vocab.relation(name)
        wikidata = {}
        for end, var in (("source", "sourceWikidata"), ("dest", "destWikidata")):
            iri = _value(first[var])
            wikidata[end] = {"iri": iri, "url": wikidata_url(iri)} if iri else None
        page = max(page, 1)
        chunk = articles[(page - 1) * size: page * size]
        return {
            "ok": True, "source": self.node(source), "dest": self.node(dest),
            "relation": {"name": name, "iri": terms.MQ + name, "label_en": concept.labels.get("en", name),
                         "label_ar": concept.labels.get("ar", name)},
            # The store records no sentence for a link: an article's graph holds the bare triple.
            "sentence": None,
            "articles": {"total": len(articles), "page": page, "size": size,
                         "pages": max((len(articles) + size - 1) // size, 1), "items": chunk},
            "curated": curated, "other_graphs": other_graphs, "default_graph": in_default_graph,
            "wikidata": wikidata,
        }

    # -- entity pages ----------------------------------------------------------------------------
    def properties(self, iri: str) -> list[Row]:
        return self.select("explorer-properties", resource=iri)

    def entity(self, iri: str, held_page: int = 1, received_page: int = 1, articles_page: int = 1,
               size: int = 20) -> dict[str, Any] | None:
        props = self.properties(iri)
        if not props:
            return None
        labels: dict[str, list[str]] = defaultdict(list)
        aliases: dict[str, list[str]] = defaultdict(list)
        classes, same_as, iso = [], [], []
        for r in props:
            p, v = _value(r["property"]), r["value"]
            if v is None:
                continue
            if p == terms.RDF_TYPE.value:
                classes.append(local_name(v.value))
            elif p == terms.RDFS_LABEL.value and isinstance(v, ox.Literal):
                labels[v.language or ""].append(clean_label(v.value))
            elif p == terms.SKOS_ALT_LABEL.value and isinstance(v, ox.Literal):
                aliases[v.language or ""].append(clean_label(v.value))
            elif p == terms.OWL_SAME_AS.value:
                same_as.append(v.value)
            elif p == terms.MQ_ISO_CODE.value:
                iso.append(v.value)
        links: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in self.select("explorer-links", entity=iri):
            src, rel, dst = _value(r["source"]), local_name(_value(r["relation"]) or ""), _value(r["dest"])
            if src is None or dst is None:
                continue
            if src == iri:
                links[rel].append(self.node(dst))
            else:
                links[rel + "_of"].append(self.node(src))
        articles_page = max(articles_page, 1)
        mentioned, shown = self.mentions(iri, articles_page, size)
        m_chunk = [rows[0] for a in shown if (rows := self.select("explorer-mentions", entity=iri, article=a))]
        return {
            "ok": True, "iri": iri, "node": self.node(iri), "classes": sorted(set(classes)),
            "labels": {k: sorted(v) for k, v in labels.items()},
            "aliases": {k: sorted(v) for k, v in aliases.items()},
            "same_as": sorted(same_as),
            "wikidata": next((w for w in map(wikidata_url, sorted(same_as)) if w), None),
            "iso_code": iso[0] if iso else None,
            "links": {k: sorted(v, key=lambda n: n["label_en"]) for k, v in sorted(links.items())},
            "held": self.newest_stances(Filters(), held_page, size, holder=iri),
            "received": self.newest_stances(Filters(), received_page, size, target=iri),
            "articles": {"total": mentioned, "page": articles_page, "size": size,
                         "pages": max((mentioned + size - 1) // size, 1),
                         "items": [self.article_json(r) for r in m_chunk]},
        }

    def mentions(self, entity: str, page: int, size: int) -> tuple[int, list[str]]:
        """How many articles mention an entity, and the IRIs of one page of them, newest first.

        On the embedded store the page walks the publication days back from the latest, reading
        each day's articles by their date (about 20 a day at 100,000 articles over twelve years),
        until the page is full; articles with no date come last. Sorting every article that mentions
        a busy state (84,000 at 100,000 articles) took 12 s a page.
        """
        rows = self.select("explorer-mentions-count", entity=entity)
        total = int(_value(rows[0]["articles"]) or 0) if rows else 0
        if not isinstance(self.store, Store):   # a remote store: sort them all there
            every = [a for r in self.select("explorer-mentions", entity=entity) if (a := _value(r["article"]))]
            return total, every[(page - 1) * size: page * size]
        found: list[str] = []
        bounds = self.select("explorer-article-days")
        first, last = (_value(bounds[0]["first"]), _value(bounds[0]["last"])) if bounds else (None, None)
        if first and last and _DAY.match(first) and _DAY.match(last):
            store, subject = self.store.oxigraph, ox.NamedNode(entity)
            day, stop = datetime.date.fromisoformat(last), datetime.date.fromisoformat(first)
            while day >= stop and len(found) < page * size:
                literal = ox.Literal(day.isoformat(), datatype=terms.XSD_DATE)
                with self.reading():   # a day at a time: a deep page must not hold writes back
                    that_day = [q.subject for q in store.quads_for_pattern(None, terms.SCHEMA_DATE_PUBLISHED, literal)
                                if isinstance(q.subject, ox.NamedNode) and q.graph_name == q.subject]
                    found += sorted(art.value for art in that_day if isinstance(art, ox.NamedNode)
                                    and ox.Quad(art, terms.MQ_MENTIONS, subject, art) in store
                                    and ox.Quad(art, terms.RDF_TYPE, terms.MQ_ARTICLE, art) in store)
                day -= datetime.timedelta(days=1)
        if len(found) < page * size:
            found += [a for r in self.select("explorer-mentions-undated", entity=entity) if (a := _value(r["article"]))]
        return total, found[(page - 1) * size: page * size]

    def article_json(self, r: Row) -> dict[str, Any]:
        title = r["title"]
        iri = _value(r["article"]) or ""
        return {"iri": iri, "page": self.page_path(iri), "title": _value(title), "title_lang": _lang(title),
                "title_dir": text_dir(_lang(title), _value(title) or ""), "date": _value(r["date"]),
                "lang": _value(r["lang"]), "source": _value(r["source"]), "url": safe_url(_value(r["url"])),
                "url_text": _value(r["url"])}

    def resource(self, iri: str) -> list[dict[str, Any]]:
        """A resource's properties for its generic page (stances, articles, runs)."""
        out = []
        for r in self.properties(iri):
            v = r["value"]
            if v is None:
                continue
            p = _value(r["property"]) or ""
            item: dict[str, Any] = {"property": p, "property_name": local_name(p), "value": v.value,
                                    "is_iri": isinstance(v, ox.NamedNode)}
            if isinstance(v, ox.NamedNode):
                item["page"] = self.page_path(v.value)
                item["label"] = self.node(v.value)["label_en"] if v.value in self.index().by_iri else None
            else:
                item["lang"] = _lang(v)
                item["dir"] = text_dir(_lang(v), v.value)
            out.append(item)
        return out

    def describe(self, iri: str) -> list[ox.Triple]:
        return self.construct("explorer-describe", resource=iri)

    def shown_turtle(self, nodes: Sequence[str], edges: Sequence[dict[str, str]]) -> bytes:
        """The Turtle of what the graph view shows: its entities' descriptions and its edges' stances."""
        triples: dict[ox.Triple, None] = {}
        for iri in nodes[:MAX_NODES]:
            for t in self.construct("explorer-describe", resource=check_iri(iri, "nodes")):
                triples[t] = None
        for e in edges[: 4 * MAX_NODES]:
            tname = e.get("type", "")
            if tname not in terms.STANCE_TYPE_IRI:
                continue
            for t in self.construct("explorer-edge-rdf", holder=check_iri(e.get("from"), "from"),
                                    type=terms.STANCE_TYPE_IRI[tname].value,
                                    target=check_iri(e.get("to"), "to")):
                triples[t] = None
        return self.turtle(triples)

    # -- analytics -------------------------------------------------------------------------------
    def pairs(self) -> list[analytics.StanceEdge]:
        def make() -> list[analytics.StanceEdge]:
            out = []
            name = "explorer-stance-pairs-index" if self.edge_index_ready() else "explorer-stance-pairs"
            for r in self.select(name):
                h, t, g = _value(r["holder"]), _value(r["type"]), _value(r["target"])
                if h and t and g:
                    out.append(analytics.StanceEdge(h, local_name(t), g, int(_value(r["stances"]) or 0)))
            return out
        return self.cache.get("pairs", make)

    def structure(self) -> list[tuple[str, str]]:
        def make() -> list[tuple[str, str]]:
            return [(s, d) for r in self.select("explorer-structure")
                    if (s := _value(r["source"])) and (d := _value(r["dest"]))]
        return self.cache.get("structure", make)

    def activity(self, limit: int = 20) -> dict[str, Any]:
        acts = analytics.activity(self.pairs())
        def row(a: analytics.Activity) -> dict[str, Any]:
            return {**self.node(a.node), "stances_taken": a.out_stances, "stances_received": a.in_stances,
                    "targets": a.targets, "holders": a.holders, "pagerank": round(a.pagerank, 6)}
        active = [row(a) for a in acts if a.out_stances > 0][:limit]
        discussed = sorted((a for a in acts if a.in_stances > 0), key=lambda a: (-a.in_stances, -a.holders, a.node))
        ranked = sorted(acts, key=lambda a: (-a.pagerank, a.node))
        return {"ok": True, "most_active": active, "most_discussed": [row(a) for a in discussed][:limit],
                "pagerank": [row(a) for a in ranked][:limit]}

    def blocs(self) -> dict[str, Any]:
        out = []
        for b in analytics.bloc_details(self.pairs()):
            out.append({"members": [self.node(m) for m in b.members],
                        "shared": [{"type": self.vocab.type_of(terms.MQ + t).as_json(), "target": self.node(g),
                                    "members": n} for t, g, n in b.shared]})
        return {"ok": True, "blocs": out}

    def paths(self, a: str, b: str, limit: int = 10) -> dict[str, Any]:
        links = [(p.holder, p.target) for p in self.pairs()] + self.structure()
        labelled: dict[tuple[str, str], set[str]] = defaultdict(set)
        for p in self.pairs():
            labelled[(p.holder, p.target)].add(p.type)
        found = analytics.shortest_paths(links, a, b, limit)
        out: list[dict[str, Any]] = []
        for path in found:
            steps = []
            for x, y in zip(path, path[1:], strict=False):
                kinds = sorted(labelled.get((x, y), set()))
                back = sorted(labelled.get((y, x), set()))
                steps.append({"from": self.node(x), "to": self.node(y), "types": kinds, "types_back": back})
            out.append({"nodes": [self.node(n) for n in path], "steps": steps})
        return {"ok": True, "from": self.node(a), "to": self.node(b), "length": len(found[0]) - 1 if found else None,
                "paths": out}


#: The field of a gazetteer record that states each curated link (memberships are never curated).
GAZETTEER_FIELD = {"location": "location", "party": "parties", "partOf": "parent"}


@functools.lru_cache(maxsize=4)
def _gazetteer_records(base: str) -> dict[str, tuple[str, EntityInfo]]:
    """Each gazetteer record by the IRI it has under ``base``, with the data file it comes from."""
    files: dict[str, str] = {}
    for name in GAZETTEER_FILES:
        for record in json.loads((GAZETTEER_DATA / name).read_text(encoding="utf-8")):
            files.setdefault(str(record.get("key")), name)
    out: dict[str, tuple[str, EntityInfo]] = {}
    for info in default_gazetteer():
        if info.kind in ENTITY_CLASSES:
            out[entity_iri(info, base).value] = (files.get(info.key, ""), info)
    return out


def gazetteer_source(base: str, source: str, relation: str, dest: str) -> dict[str, Any] | None:
    """Where the installed gazetteer states the curated link ``source relation dest``, or None."""
    records = _gazetteer_records(base)
    field = GAZETTEER_FIELD.get(relation)
    if field is None or source not in records or dest not in records:
        return None
    file, info = records[source]
    other = records[dest][1].key
    value = getattr(info, field)
    if not (other in value if isinstance(value, tuple) else other == value):
        return None
    return {"name": "mawqif gazetteer", "file": "graph_builder/gazetteer/data/" + file, "key": info.key,
            "field": field, "value": other, "wikidata": info.qid,
            "wikidata_url": f"https://www.wikidata.org/wiki/{info.qid}" if info.qid else None}


def _int(term: Any) -> int | None:
    try:
        return int(term.value) if term is not None else None
    except ValueError:
        return None


def month_aligned(start: str | None, end: str | None) -> bool:
    """Whether a date range starts on a first and ends on a last day of a month (or is open there).

    >>> month_aligned("2024-02-01", "2024-02-29"), month_aligned("2024-02-02", None)
    (True, False)
    """
    if start and not start.endswith("-01"):
        return False
    if end:
        year, month, day = (int(x) for x in end.split("-"))
        return day == calendar.monthrange(year, month)[1]
    return True


def _month_range(months: Sequence[str]) -> list[str]:
    """Every month from the first to the last of ``months`` (YYYY-MM), so gaps show as empty bars."""
    valid = [m for m in months if re.match(r"^\d{4}-\d{2}$", m)]
    if not valid:
        return []
    y, m = map(int, valid[0].split("-"))
    ey, em = map(int, valid[-1].split("-"))
    out: list[str] = []
    while (y, m) <= (ey, em) and len(out) < 600:
        out.append(f"{y:04d}-{m:02d}")
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return out

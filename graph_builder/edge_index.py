"""The edge index: every (holder, stance type, target) with how many stances it has, in all and by month.

The explorer draws an entity's stances as edges with counts; counting them from the stances
themselves reads every stance of the entity (at 100,000 articles, tens of thousands of stances for a
busy state, seconds per view). The edge index keeps those counts in the named graph
``<base>graph/edges`` instead:

* a :data:`~graph_builder.terms.MQ_STANCE_EDGE` node per (holder, type, target): ``mq:edgeHolder``,
  ``mq:edgeType``, ``mq:edgeTarget``, ``mq:stanceCount`` and the first and last day (``mq:firstDay``,
  ``mq:lastDay``; a stance's day is its ``mq:statedOn``, else its article's publication date);
* a :data:`~graph_builder.terms.MQ_STANCE_EDGE_PERIOD` node per edge and month (``mq:period
  "2024-05"``; stances dated only to a month or year get a period of their own, ``"p2024-05"``,
  ``"p2024"``) with the same three figures, so that a month-aligned date range is answered exactly;
* a :data:`~graph_builder.terms.MQ_HOLDER_TOTAL` node per holder (``mq:totalOf``) with how many distinct
  stances it took and in how many articles, whatever their types and targets (a stance about two
  targets is on two edges but counts once here);
* ``mq:articleCount`` on every node: in how many articles its stances were found;
* ``mq:inMonth`` on a period node: its month (a partial date's first), where a query finds a month's
  nodes, however precisely their stances are dated, in one lookup;
* ``mq:latestPeriod`` from an edge to the period node of its last day (itself, when none of its
  stances is dated), where a query finds an example of its newest stances in two lookups;
* ``mq:indexedStance`` from each period node to the stances it counts (from the edge node to its
  undated ones), so that an entity's stances are listed newest first a period at a time, reading
  only the periods a page needs (:mod:`server.explorer.entity_stances`).

It is derived data, kept exact by the one writer: :class:`EdgeIndex` adds what new article graphs
contain and subtracts what replaced ones contained, in the same call that writes them
(:meth:`graph_builder.store.Store.replace_serialized`). ``<base>graph/edges a mq:EdgeIndex`` in the
graph says the index is complete; ``mq:indexUpdating`` is there while an update runs, so a crash
mid-update is seen, and the index is rebuilt, when the store is next opened for writing. Writes the
index cannot follow (SPARQL Update, ``mawqif load``) remove the marker, and readers count stances
instead until it is rebuilt. Exports leave the graph out.

The pure part, :func:`tally`, turns rows (one per stance and edge) into figures per edge and period:

    >>> t = tally([("h", "T", "x", "2024-05-02", "s1", "a1"), ("h", "T", "x", "2024-05-20", "s2", "a1"),
    ...            ("h", "T", "x", None, "s3", "a2"), ("h", "T", "y", None, "s3", "a2")])
    >>> t[Bucket("h", "T", "x", "")]
    Figures(count=3, articles=2, first='2024-05-02', last='2024-05-20')
    >>> t[Bucket("h", "T", "x", "2024-05")]
    Figures(count=2, articles=1, first='2024-05-02', last='2024-05-20')
    >>> t[total_bucket("h")]   # s3 is about two targets: one stance
    Figures(count=3, articles=2, first=None, last=None)
"""
from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from graph_builder import terms
from queries import bind, get_query

#: The index's format, its ``owl:versionInfo``: "2" added the ``mq:indexedStance`` lists, "3" the
#: article counts, the holder totals, ``mq:latestPeriod`` and ``mq:inMonth``. An index of another format is not
#: complete: a store opened for writing rebuilds it.
INDEX_FORMAT = "3"
#: Above this many quads an index update is bulk-loaded rather than added in a transaction.
BULK_ABOVE = 2_000
#: Above this many quads a write's stance lists are bulk-loaded (a batch's lists go in a transaction:
#: a bulk load of a few thousand quads leaves small files for compaction to merge).
LISTS_BULK_ABOVE = 100_000
#: A rebuild bulk-loads the stance lists, and a large update its nodes, in chunks of this many quads
#: (their memory stays bounded).
REBUILD_CHUNK = 500_000
#: Period of an edge's all-time figures (its own node).
ALL_TIME = ""


@dataclass(frozen=True, order=True)
class Bucket:
    """One node of the index: an edge (holder, type, target IRIs) and a period (:data:`ALL_TIME`,
    ``"YYYY-MM"`` or ``"p"`` + a partial date); or a holder's total (type and target ``""``,
    :func:`total_bucket`)."""

    holder: str
    type: str
    target: str
    period: str

    @property
    def edge(self) -> tuple[str, str, str]:
        return self.holder, self.type, self.target

    @property
    def is_total(self) -> bool:
        return self.type == ""


def total_bucket(holder: str) -> Bucket:
    """The bucket of a holder's total."""
    return Bucket(holder, "", "", ALL_TIME)


@dataclass(frozen=True)
class Figures:
    """How many stances a bucket holds, in how many articles, and their first and last day (None
    when none is dated; a holder's total keeps no days)."""

    count: int
    articles: int
    first: str | None
    last: str | None

    def plus(self, other: Figures) -> Figures:
        """The figures of two buckets' stances together (from different articles)."""
        return Figures(self.count + other.count, self.articles + other.articles,
                       _min(self.first, other.first), _max(self.last, other.last))


Tally = dict[Bucket, Figures]
#: A stance on one edge: holder, type, target, day (None when undated), the stance's IRI and its
#: article's. A stance with several targets gives a row per target (and one per day, if it has several).
Row = tuple[str, str, str, "str | None", str, str]


def _min(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else min(a, b)


def _max(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else max(a, b)


def period_of(day: str) -> str:
    """The period of a day: its month for a full date, else ``p`` and the partial date itself.

    >>> period_of("2024-05-02"), period_of("2024-05"), period_of("2024")
    ('2024-05', 'p2024-05', 'p2024')
    """
    return day[:7] if len(day) == 10 else "p" + day


def month_of(period: str) -> str:
    """The month a period falls in (``mq:inMonth``): its own, or a partial date's first.

    >>> month_of("2024-05"), month_of("p2024-05"), month_of("p2024")
    ('2024-05', '2024-05', '2024-01')
    """
    day = period.removeprefix("p")
    return day[:7] if len(day) >= 7 else f"{day[:4]}-01"


def tally(rows: Iterable[Row]) -> Tally:
    """Figures per bucket: on an edge's all-time node and its periods each row counts one stance; a
    holder's total counts distinct stances. Articles are counted distinct on every bucket."""
    out: Tally = {}
    articles: dict[Bucket, set[str]] = {}
    stances: dict[Bucket, set[str]] = {}
    for holder, type_, target, day, stance, article in rows:
        figures = Figures(1, 0, day, day)
        periods = (ALL_TIME,) if day is None else (ALL_TIME, period_of(day))
        for period in periods:
            b = Bucket(holder, type_, target, period)
            out[b] = out[b].plus(figures) if b in out else figures
            articles.setdefault(b, set()).add(article)
        total = total_bucket(holder)
        stances.setdefault(total, set()).add(stance)
        articles.setdefault(total, set()).add(article)
    for total, held in stances.items():
        out[total] = Figures(len(held), 0, None, None)
    return {b: Figures(f.count, len(articles[b]), f.first, f.last) for b, f in out.items()}


def rows_of_quads(quads: Iterable[ox.Quad]) -> list[Row]:
    """The rows of the stances in article graphs given as quads (what a writer is about to store).

    Counts as ``queries/edge-index-article.rq`` does: a stance is an ``mq:Stance`` derived from the
    graph it is in; its day is its ``mq:statedOn``, else its graph's ``schema:datePublished``.
    """
    wanted = {terms.RDF_TYPE, terms.MQ_HOLDER, terms.MQ_STANCE_TYPE, terms.MQ_TARGET,
              terms.PROV_WAS_DERIVED_FROM, terms.MQ_STATED_ON, terms.SCHEMA_DATE_PUBLISHED}
    props: dict[tuple[str, str], dict[ox.NamedNode, list[str]]] = {}
    for q in quads:
        if q.predicate not in wanted or not isinstance(q.graph_name, ox.NamedNode):
            continue
        node = props.setdefault((q.graph_name.value, str(q.subject)), {})
        node.setdefault(q.predicate, []).append(q.object.value if isinstance(q.object, (ox.NamedNode, ox.Literal))
                                                else str(q.object))
    rows: list[Row] = []
    stance_class = terms.MQ_STANCE.value
    for (graph, subject), p in props.items():
        if stance_class not in p.get(terms.RDF_TYPE, ()) or graph not in p.get(terms.PROV_WAS_DERIVED_FROM, ()):
            continue
        article = props.get((graph, f"<{graph}>"), {})
        days: list[str | None] = [d[:10] for d in p.get(terms.MQ_STATED_ON, [])] or \
            [d[:10] for d in article.get(terms.SCHEMA_DATE_PUBLISHED, [])] or [None]
        stance = subject[1:-1]
        rows += [(h, t, g, d, stance, graph) for h in p.get(terms.MQ_HOLDER, [])
                 for t in p.get(terms.MQ_STANCE_TYPE, []) for g in p.get(terms.MQ_TARGET, []) for d in days]
    return rows


def edge_node(base: str, edge: tuple[str, str, str]) -> ox.NamedNode:
    """The IRI of an edge's node (a digest of its three IRIs)."""
    digest = hashlib.sha1("\t".join(edge).encode("utf-8")).hexdigest()[:20]
    return ox.NamedNode(f"{base}edge/{digest}")


def total_node(base: str, holder: str) -> ox.NamedNode:
    """The IRI of a holder's total node."""
    return ox.NamedNode(f"{base}edge/total-{hashlib.sha1(holder.encode('utf-8')).hexdigest()[:20]}")


def bucket_node(base: str, b: Bucket) -> ox.NamedNode:
    if b.is_total:
        return total_node(base, b.holder)
    node = edge_node(base, b.edge)
    return node if b.period == ALL_TIME else period_node(node, b.period)


def period_node(edge: ox.NamedNode, period: str) -> ox.NamedNode:
    """The IRI of an edge's node for one period (readers find a period by it, see
    :mod:`server.explorer.entity_stances`)."""
    return ox.NamedNode(f"{edge.value}/{period}")


def bucket_quads(base: str, b: Bucket, f: Figures) -> list[ox.Quad]:
    """The quads of a bucket's node: what it is, and its figures."""
    g = terms.edges_graph(base)
    node = bucket_node(base, b)
    out = []
    if b.is_total:
        out += [ox.Quad(node, terms.RDF_TYPE, terms.MQ_HOLDER_TOTAL, g),
                ox.Quad(node, terms.MQ_TOTAL_OF, ox.NamedNode(b.holder), g)]
    elif b.period == ALL_TIME:
        out += [ox.Quad(node, terms.RDF_TYPE, terms.MQ_STANCE_EDGE, g),
                ox.Quad(node, terms.MQ_EDGE_HOLDER, ox.NamedNode(b.holder), g),
                ox.Quad(node, terms.MQ_EDGE_TYPE, ox.NamedNode(b.type), g),
                ox.Quad(node, terms.MQ_EDGE_TARGET, ox.NamedNode(b.target), g)]
    else:
        out += [ox.Quad(node, terms.RDF_TYPE, terms.MQ_STANCE_EDGE_PERIOD, g),
                ox.Quad(node, terms.MQ_PERIOD_OF, edge_node(base, b.edge), g),
                ox.Quad(node, terms.MQ_PERIOD, ox.Literal(b.period), g),
                ox.Quad(node, terms.MQ_IN_MONTH, ox.Literal(month_of(b.period)), g)]
    out.append(ox.Quad(node, terms.MQ_STANCE_COUNT, _literal(f.count), g))
    out.append(ox.Quad(node, terms.MQ_ARTICLE_COUNT, _literal(f.articles), g))
    if f.first is not None:
        out.append(ox.Quad(node, terms.MQ_FIRST_DAY, _literal(f.first), g))
    if f.last is not None:
        out.append(ox.Quad(node, terms.MQ_LAST_DAY, _literal(f.last), g))
    if b.period == ALL_TIME and not b.is_total:
        out.append(ox.Quad(node, terms.MQ_LATEST_PERIOD, latest_node(node, f.last), g))
    return out


def latest_node(edge: ox.NamedNode, last: str | None) -> ox.NamedNode:
    """The node that lists an edge's newest stances: its period of ``last`` (the edge's last day), or
    the edge itself when none of its stances is dated (``mq:latestPeriod``)."""
    return edge if last is None else period_node(edge, period_of(last))


def index_ready(store: ox.Store) -> bool:
    """Whether ``store`` holds a complete edge index of this format (whatever its base)."""
    q = get_query("edge-index-ready")
    return bool(store.query(q.text, substitutions=bind(q, {"format": INDEX_FORMAT}), use_default_graph_as_union=True))


def stance_count(store: ox.Store, node: ox.NamedNode) -> int:
    """The ``mq:stanceCount`` of an index node (0 when there is no such node)."""
    for q in store.quads_for_pattern(node, terms.MQ_STANCE_COUNT, None):
        if isinstance(q.object, ox.Literal):
            return int(q.object.value)
    return 0


def member_quad(base: str, row: Row) -> ox.Quad:
    """The ``mq:indexedStance`` quad of a row: its stance under its period's node (undated: its edge's)."""
    h, t, x, day, stance, _ = row
    return ox.Quad(bucket_node(base, Bucket(h, t, x, ALL_TIME if day is None else period_of(day))),
                   terms.MQ_INDEXED_STANCE, ox.NamedNode(stance), terms.edges_graph(base))


def member_quads(base: str, rows: Iterable[Row]) -> list[ox.Quad]:
    return [member_quad(base, r) for r in dict.fromkeys(rows)]


def _rows(results: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> Iterator[Row]:
    assert isinstance(results, ox.QuerySolutions)
    for r in results:
        holder, type_, target, day, stance, article = (r["holder"], r["type"], r["target"], r["day"], r["stance"],
                                                       r["article"])
        if not (isinstance(holder, ox.NamedNode) and isinstance(type_, ox.NamedNode)
                and isinstance(target, ox.NamedNode) and isinstance(stance, ox.NamedNode)
                and isinstance(article, ox.NamedNode)):
            continue
        yield (holder.value, type_.value, target.value,
               day.value if isinstance(day, ox.Literal) and day.value else None, stance.value, article.value)


class EdgeIndex:
    """The edge index of one store, read and written by the store's one writer."""

    def __init__(self, store: ox.Store, base: str) -> None:
        self.store = store
        self.base = base
        self.graph = terms.edges_graph(base)
        self._complete = ox.Quad(self.graph, terms.RDF_TYPE, terms.MQ_EDGE_INDEX, self.graph)
        self._updating = ox.Quad(self.graph, terms.MQ_INDEX_UPDATING, ox.Literal(True), self.graph)
        self._format = ox.Quad(self.graph, terms.OWL_VERSION_INFO, ox.Literal(INDEX_FORMAT), self.graph)

    # -- state -----------------------------------------------------------------------------------
    def is_complete(self) -> bool:
        return self._complete in self.store and self._format in self.store

    def is_sound(self) -> bool:
        """Complete, and no update was interrupted."""
        return self.is_complete() and self._updating not in self.store

    def invalidate(self) -> None:
        """Mark the index incomplete (after a write it cannot follow); readers count stances instead."""
        self.store.remove(self._complete)

    # -- counting --------------------------------------------------------------------------------
    def _select(self, name: str, **values: str) -> list[Row]:
        return list(self._stream(name, **values))

    def _stream(self, name: str, **values: str) -> Iterator[Row]:
        query = get_query(name)
        return _rows(self.store.query(query.text, substitutions=bind(query, values)))

    def rows_of_articles(self, graphs: Sequence[ox.NamedNode]) -> list[Row]:
        """The rows of the given article graphs' stances (as stored now)."""
        return [r for g in graphs for r in self._select("edge-index-article", article=g.value)]

    def remove_stances(self, rows: Sequence[Row]) -> None:
        """Remove the ``mq:indexedStance`` quads of the given rows (stances about to be replaced;
        their counts are subtracted by :meth:`apply`)."""
        for q in member_quads(self.base, rows):
            self.store.remove(q)

    def add_stances(self, rows: Sequence[Row]) -> None:
        """Add the ``mq:indexedStance`` quads of newly written stances (their counts: :meth:`apply`)."""
        quads = member_quads(self.base, rows)
        if len(quads) > LISTS_BULK_ABOVE:
            self.store.bulk_extend(quads)
        elif quads:
            self.store.extend(quads)

    # -- writing ---------------------------------------------------------------------------------
    def begin(self) -> None:
        """Mark an update as running (before the article graphs change)."""
        self.store.add(self._updating)

    def apply(self, removed: Tally, added: Tally) -> None:
        """Subtract what replaced articles contained and add what new ones contain, then end the update.

        Called after the article graphs and the stance lists were written. Counts are exact by
        arithmetic. When a removed stance was on a bucket's first or last day, the days are found
        again: a period's from the days of the stances its list holds, an edge's all-time ones from
        its periods' (never from all the edge's stances: at 100,000 articles a busy edge has tens of
        thousands).
        """
        buckets = sorted(removed.keys() | added.keys())
        current = {b: self._figures(b) for b in buckets}
        new: dict[Bucket, Figures | None] = {}
        for periods_first in (True, False):   # an edge's all-time days come from its periods' new ones
            for b in buckets:
                if (b.period != ALL_TIME) == periods_first:
                    new[b] = self._updated(b, current[b], removed.get(b), added.get(b), new)
        adds: list[ox.Quad] = []
        loaded = False   # (the end of a long ingest updates a node per edge and month it saw: millions
        for b in buckets:  # of quads, loaded in chunks, so that they are never all in memory at once)
            adds += self._replace_figures(b, current[b], new[b])
            if len(adds) >= REBUILD_CHUNK:
                self.store.bulk_extend(adds)
                adds, loaded = [], True
        if loaded or len(adds) > BULK_ABOVE:
            self.store.bulk_extend(adds)  # not atomic, but the update flag covers a crash
        elif adds:
            self.store.extend(adds)
        self.store.remove(self._updating)

    def _updated(self, b: Bucket, old: Figures | None, gone: Figures | None, more: Figures | None,
                 new: Mapping[Bucket, Figures | None]) -> Figures | None:
        """A bucket's figures after the write (``new``: the periods' figures already worked out)."""
        figures = old
        if old is not None and gone is not None:
            count = old.count - gone.count
            articles = old.articles - gone.articles
            if count <= 0:
                figures = None
            elif _needs_recount(old, gone):
                days = self._period_days(b) if b.period != ALL_TIME else self._edge_days(b, new)
                figures = Figures(count, articles, min(days, default=None), max(days, default=None))
            else:
                figures = Figures(count, articles, old.first, old.last)
        if more is not None:
            figures = figures.plus(more) if figures is not None else more
        return figures

    def _period_days(self, b: Bucket) -> list[str]:
        """The days, in the period, of the stances a period's list holds now (as ``edge-index-all.rq``
        dates a stance: its ``mq:statedOn`` in its article's graph, else the article's publication
        date). Read by pattern, a few lookups per listed stance."""
        find = self.store.quads_for_pattern
        days = []
        for member in find(bucket_node(self.base, b), terms.MQ_INDEXED_STANCE, None, self.graph):
            stance = member.object
            if not isinstance(stance, ox.NamedNode):
                continue
            for derived in find(stance, terms.PROV_WAS_DERIVED_FROM, None, None):
                article = derived.object
                if not isinstance(article, ox.NamedNode) or derived.graph_name != article:
                    continue
                dates = [q.object for q in find(stance, terms.MQ_STATED_ON, None, article)] or \
                    [q.object for q in find(article, terms.SCHEMA_DATE_PUBLISHED, None, article)]
                days += [d.value[:10] for d in dates if isinstance(d, ox.Literal) and d.value]
        return [d for d in days if period_of(d) == b.period]

    def _edge_days(self, b: Bucket, new: Mapping[Bucket, Figures | None]) -> list[str]:
        """The first and last days of an edge's periods, as this update leaves them."""
        edge = edge_node(self.base, b.edge)
        periods = {Bucket(*b.edge, q.subject.value[len(edge.value) + 1:])   # (see period_node)
                   for q in self.store.quads_for_pattern(None, terms.MQ_PERIOD_OF, edge, self.graph)
                   if isinstance(q.subject, ox.NamedNode)}
        periods |= {p for p in new if p.edge == b.edge and p.period != ALL_TIME}
        days: list[str] = []
        for p in periods:
            f = new[p] if p in new else self._figures(p)
            if f is not None:
                days += [d for d in (f.first, f.last) if d is not None]
        return days

    def rebuild(self) -> None:
        """Count every stance again (after a crash, or writes the index could not follow)."""
        self._clear()
        self.store.add(self._updating)
        members: list[ox.Quad] = []
        figures: Tally = {}   # its size: edges × periods, however many stances
        # Distinct articles (and a holder's distinct stances) are counted an article at a time, so
        # that no set of every stance is ever held. The scan gives an article's rows together; if it
        # did not, the articles are counted again one query each.
        done: set[str] = set()
        grouped = True
        for article, rows in itertools.groupby(self._stream("edge-index-all"), key=lambda row: row[5]):
            group = list(rows)
            members += member_quads(self.base, group)   # the stance lists are loaded in chunks
            if len(members) >= REBUILD_CHUNK:
                self.store.bulk_extend(members)
                members.clear()
            grouped = grouped and article not in done
            if grouped:
                merge_into(figures, tally(group))
                done.add(article)
        if not grouped:
            figures = {}
            for g in self.store.named_graphs():
                if isinstance(g, ox.NamedNode) and g != self.graph:
                    merge_into(figures, tally(self.rows_of_articles([g])))
        self.store.bulk_extend([*members, *(q for b, f in sorted(figures.items())
                                            for q in bucket_quads(self.base, b, f))])
        self.store.extend([self._complete, self._format])
        self.store.remove(self._updating)

    def _clear(self) -> None:
        """Empty the index's graph a chunk of quads at a time: one transaction removing the index of
        the 10,000-article store (916,000 quads) took 35 s and 1.4 GB, these removals 23 s and 950 MB
        (at 100,000 articles the transaction took minutes and 4 GB)."""
        while chunk := list(itertools.islice(self.store.quads_for_pattern(None, None, None, self.graph),
                                             REBUILD_CHUNK)):
            for q in chunk:
                self.store.remove(q)
        if self.store.contains_named_graph(self.graph):
            self.store.remove_graph(self.graph)

    def _replace_figures(self, b: Bucket, old: Figures | None, new: Figures | None) -> list[ox.Quad]:
        """Remove what changed of a bucket's node and return the quads to add."""
        if new is None:
            self._remove_node(bucket_node(self.base, b))
            return []
        if old is None:
            return bucket_quads(self.base, b, new)
        node, out = bucket_node(self.base, b), []
        for prop, before, after in ((terms.MQ_STANCE_COUNT, old.count, new.count),
                                    (terms.MQ_ARTICLE_COUNT, old.articles, new.articles),
                                    (terms.MQ_FIRST_DAY, old.first, new.first),
                                    (terms.MQ_LAST_DAY, old.last, new.last)):
            if before == after:
                continue
            if before is not None:
                self.store.remove(ox.Quad(node, prop, _literal(before), self.graph))
            if after is not None:
                out.append(ox.Quad(node, prop, _literal(after), self.graph))
        if b.period == ALL_TIME and not b.is_total and old.last != new.last:
            self.store.remove(ox.Quad(node, terms.MQ_LATEST_PERIOD, latest_node(node, old.last), self.graph))
            out.append(ox.Quad(node, terms.MQ_LATEST_PERIOD, latest_node(node, new.last), self.graph))
        return out

    def _remove_node(self, node: ox.NamedNode) -> None:
        for q in list(self.store.quads_for_pattern(node, None, None, self.graph)):
            self.store.remove(q)

    def _figures(self, b: Bucket) -> Figures | None:
        node = bucket_node(self.base, b)
        count, articles, first, last = None, 0, None, None
        for q in self.store.quads_for_pattern(node, None, None, self.graph):
            if not isinstance(q.object, ox.Literal):
                continue
            if q.predicate == terms.MQ_STANCE_COUNT:
                count = int(q.object.value)
            elif q.predicate == terms.MQ_ARTICLE_COUNT:
                articles = int(q.object.value)
            elif q.predicate == terms.MQ_FIRST_DAY:
                first = q.object.value
            elif q.predicate == terms.MQ_LAST_DAY:
                last = q.object.value
        return None if count is None else Figures(count, articles, first, last)


def merge_into(into: Tally, more: Tally) -> None:
    """Add the figures of other articles' stances to ``into``, in place."""
    for b, f in more.items():
        into[b] = into[b].plus(f) if b in into else f


def _literal(value: int | str) -> ox.Literal:
    return ox.Literal(value) if isinstance(value, int) else ox.Literal(value)


def _needs_recount(old: Figures | None, gone: Figures | None) -> bool:
    """Whether removing ``gone`` from ``old`` may move its first or last day (which arithmetic cannot tell)."""
    if old is None or gone is None or old.count - gone.count <= 0:
        return False
    return (gone.first is not None and gone.first == old.first) or (gone.last is not None and gone.last == old.last)

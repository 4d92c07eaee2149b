"""Which form of a named query to run, and with which bindings.

A named query whose header names an ``index-form`` gives the same rows from the store's edge index
(:mod:`graph_builder.edge_index`): at 100,000 articles, counting the stances about a busy state reads
hundreds of thousands of them, the index reads a few hundred edges. :func:`plan` picks the index form
when the embedded store's index is complete (of this format), else the query itself; both are bound
from the same user values, always through ``substitutions``.

A listing capped by ``LIMIT`` (stances-of-actor, stances-about) reads, in its index form, only the
months that can hold its rows: :func:`periods_to_read` walks the entity's edges' months newest
first, adding their counts (one lookup per edge and month), until the cap is reached. Only whole
months inside the asked dates count towards the cap, and stances with a partial date or none are
always read, so the rows read are a superset of the rows kept, and sorting and capping them gives
the query's own answer.

    >>> counts = {("e1", "2024-03"): 5, ("e1", "2024-04"): 5, ("e2", "2024-05"): 5}
    >>> edges = [Span("e1", "2024-03-02", "2024-04-30"), Span("e2", "2024-05-01", "2024-05-09")]
    >>> def count(edge: str, month: str) -> int:
    ...     return counts.get((edge, month), 0)
    >>> periods_to_read(edges, count, 8, None, None)
    ('2024-04', None)
    >>> periods_to_read(edges, count, 8, "2024-04-15", "2024-05-31")   # April is not whole
    ('2024-04', '2024-05')
    >>> periods_to_read(edges, count, 100, None, None)                 # fewer rows than the cap
    (None, None)
"""
from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from graph_builder import terms
from graph_builder.edge_index import INDEX_FORMAT, period_node
from queries import NamedQuery, Substitutions, bind, get_query


@dataclass(frozen=True)
class Span:
    """An edge of the index and its first and last day (None: no dated stance)."""

    edge: str
    first: str | None
    last: str | None


def plan(query: NamedQuery, values: Mapping[str, str], store: ox.Store | None,
         get: Callable[[str], NamedQuery] = get_query) -> tuple[NamedQuery, Substitutions]:
    """The query to run for ``query`` with the user's ``values``, and its bindings.

    ``store``: the embedded store whose edge index may answer (None: a store without our index, e.g.
    a remote endpoint); ``get``: the bundled query of a name. Raises ValueError (naming the
    parameter) when the values do not fit ``query``.
    """
    subs = bind(query, dict(values))
    if store is None or query.index_form is None or not index_ready(store):
        return query, subs
    form = get(query.index_form)
    given = {k: v for k, v in values.items() if v is not None and str(v).strip()}
    if form.edges is not None and query.row_limit is not None:
        spans = edges_of(store, get(form.edges), given)
        since, until = periods_to_read(spans, lambda edge, month: _count(store, edge, month), query.row_limit,
                                       given.get("from"), given.get("to"))
        given |= {k: v for k, v in (("since", since), ("until", until)) if v is not None}
    return form, bind(form, given)


def index_ready(store: ox.Store) -> bool:
    """Whether the store holds a complete edge index of this format."""
    q = get_query("edge-index-ready")
    return bool(store.query(q.text, substitutions=bind(q, {"format": INDEX_FORMAT}), use_default_graph_as_union=True))


def edges_of(store: ox.Store, query: NamedQuery, values: Mapping[str, str]) -> list[Span]:
    """The edges (``?edge ?first ?last``) the query gives for those of ``values`` it takes."""
    known = {p.name for p in query.params}
    results = store.query(query.text, substitutions=bind(query, {k: v for k, v in values.items() if k in known}),
                          use_default_graph_as_union=True)
    assert isinstance(results, ox.QuerySolutions)
    spans = []
    for r in results:
        edge, first, last = r["edge"], r["first"], r["last"]
        if isinstance(edge, ox.NamedNode):
            spans.append(Span(edge.value, first.value if isinstance(first, ox.Literal) else None,
                              last.value if isinstance(last, ox.Literal) else None))
    return spans


def periods_to_read(edges: Sequence[Span], count: Callable[[str, str], int], limit: int, start: str | None,
                    end: str | None) -> tuple[str | None, str | None]:
    """The first and last month (``YYYY-MM``, None: no bound) whose stances hold the newest ``limit``
    rows dated from ``start`` to ``end`` (days, None: open); ``count(edge, month)``: an edge's rows
    in a month.

    A month counts towards ``limit`` only when it lies wholly inside the dates. No month before
    ``start``'s can hold a row, nor after ``end``'s.
    """
    until = end[:7] if end else None
    lowest = start[:7] if start else None
    dated = [(e, _month(e.first, first=True), _month(e.last, first=False)) for e in edges if e.first and e.last]
    if not dated:
        return lowest, until
    newest = max(last for _, _, last in dated)
    oldest = min(first for _, first, _ in dated)
    held = 0
    for month in _months_down(min(newest, until or newest), max(oldest, lowest or oldest)):
        if not _inside(month, start, end):
            continue
        held += sum(count(e.edge, month) for e, first, last in dated if first <= month <= last)
        if held >= limit:
            return month, until
    return lowest, until


def _count(store: ox.Store, edge: str, month: str) -> int:
    node = period_node(ox.NamedNode(edge), month)
    for q in store.quads_for_pattern(node, terms.MQ_STANCE_COUNT, None):
        if isinstance(q.object, ox.Literal):
            return int(q.object.value)
    return 0


def _month(day: str, *, first: bool) -> str:
    """The month of a day (a partial date: its first or last month)."""
    if len(day) >= 7:
        return day[:7]
    return f"{day[:4]}-01" if first else f"{day[:4]}-12"


def _months_down(newest: str, oldest: str) -> Iterator[str]:
    year, mon = int(newest[:4]), int(newest[5:7])
    while f"{year:04d}-{mon:02d}" >= oldest:
        yield f"{year:04d}-{mon:02d}"
        year, mon = (year, mon - 1) if mon > 1 else (year - 1, 12)


def _inside(month: str, start: str | None, end: str | None) -> bool:
    year, mon = int(month[:4]), int(month[5:7])
    last = f"{month}-{calendar.monthrange(year, mon)[1]:02d}"
    return (start is None or start <= f"{month}-01") and (end is None or end >= last)

"""Which form of a named query to run, and with which bindings.

A named query whose header names an ``index-form`` gives the same rows from the store's edge index
(:mod:`graph_builder.edge_index`): at 100,000 articles, counting the stances about a busy state reads
hundreds of thousands of them, the index reads a few hundred edges. :func:`plan` picks the index form
when the embedded store's index is complete (of this format), else the query itself; both are bound
from the same user values, always through ``substitutions``.

A listing capped by ``LIMIT`` (stances-of-actor, stances-about) reads, in its index form, only the
months that can hold its rows: :func:`months_to_read` walks the entity's edges' months newest first,
adding their counts (one lookup per edge and month), until the months wholly inside the asked dates
hold the cap. It reads those months (every period node of each, ``mq:inMonth``: the stances with a
partial date too) and the stances with no date; when more than :data:`MONTHS` months are needed,
every month. The rows read are a superset of the rows kept, and sorting and capping them gives the
query's own answer.

    >>> counts = {("e1", "2024-02"): 5, ("e1", "2024-03"): 5, ("e1", "2024-04"): 5, ("e2", "2024-05"): 5}
    >>> edges = [Span("e1", "2024-02-02", "2024-04-30"), Span("e2", "2024-05-01", "2024-05-09")]
    >>> def count(edge: str, month: str) -> tuple[int, int]:   # (fully dated rows, partly dated rows)
    ...     return counts.get((edge, month), 0), 0
    >>> months_to_read(edges, count, 8, None, None)
    ['2024-05', '2024-04']
    >>> months_to_read(edges, count, 8, "2024-04-15", "2024-05-31")   # April is read, not counted
    ['2024-05', '2024-04']
    >>> months_to_read(edges, count, 8, None, "2024-05-15")           # nor is May
    ['2024-05', '2024-04', '2024-03']
    >>> months_to_read(edges, count, 100, None, None) is None         # more than MONTHS: every month
    True
"""
from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from graph_builder.edge_index import index_ready, month_of, period_node, period_of, stance_count
from queries import NamedQuery, Substitutions, bind, get_query

#: At most this many months are read one by one (the index forms' ?m1, ?m2, ?m3); beyond, every month.
MONTHS = 3
#: What an unused month or entity parameter is bound to (it matches nothing).
NONE_MONTH = "none"
NONE_IRI = "urn:x-mawqif:none"


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
        months = months_to_read(spans, lambda edge, month: _count(store, edge, month), query.row_limit,
                                given.get("from"), given.get("to"))
        entity = given[form.required[0].name]   # (the index form's first parameter: the actor or target)
        given |= dict(zip(("m1", "m2", "m3"), [*(months or []), *[NONE_MONTH] * MONTHS], strict=False))
        given["allOf"] = entity if months is None else NONE_IRI
    return form, bind(form, given)


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


def months_to_read(edges: Sequence[Span], count: Callable[[str, str], tuple[int, int]], limit: int,
                   start: str | None, end: str | None) -> list[str] | None:
    """The months (``YYYY-MM``, newest first, at most :data:`MONTHS`) that hold the newest ``limit``
    rows dated from ``start`` to ``end`` (days, None: open), or None when more months are needed;
    ``count(edge, month)``: an edge's rows in a month, fully dated and dated only to the month or
    year.

    Every month with rows, from the newest inside the dates down, is read; a month's fully dated rows
    count towards ``limit`` when it lies wholly inside the dates (a partial date may fall outside
    them: "2024" is before "2024-01-01").
    """
    dated = [(e, _month(e.first, first=True), _month(e.last, first=False)) for e in edges if e.first and e.last]
    if not dated:
        return []
    newest = max(last for _, _, last in dated)
    oldest = min(first for _, first, _ in dated)
    if end:
        newest = min(newest, end[:7])
    if start:
        oldest = max(oldest, start[:7])
    months: list[str] = []
    held = 0
    for month in _months_down(newest, oldest):
        counts = [count(e.edge, month) for e, first, last in dated if first <= month <= last]
        if not any(whole or partial for whole, partial in counts):
            continue
        months.append(month)
        if len(months) > MONTHS:
            return None
        if _inside(month, start, end):
            held += sum(whole for whole, _ in counts)
            if held >= limit:
                break
    return months


def _count(store: ox.Store, edge: str, month: str) -> tuple[int, int]:
    """An edge's rows in a month: on its month's node, and on the nodes of dates given only to that
    month (or, for January, to its year)."""
    partial = [f"p{month}", f"p{month[:4]}"] if month.endswith("-01") else [f"p{month}"]
    whole, *parts = (stance_count(store, period_node(ox.NamedNode(edge), p)) for p in (month, *partial))
    return whole, sum(parts)


def _month(day: str, *, first: bool) -> str:
    """The month of a day (a partial date: its first or last month)."""
    return month_of(period_of(day)) if first or len(day) >= 7 else f"{day[:4]}-12"


def _months_down(newest: str, oldest: str) -> Iterator[str]:
    year, mon = int(newest[:4]), int(newest[5:7])
    while f"{year:04d}-{mon:02d}" >= oldest:
        yield f"{year:04d}-{mon:02d}"
        year, mon = (year, mon - 1) if mon > 1 else (year - 1, 12)


def _inside(month: str, start: str | None, end: str | None) -> bool:
    year, mon = int(month[:4]), int(month[5:7])
    last = f"{month}-{calendar.monthrange(year, mon)[1]:02d}"
    return (start is None or start <= f"{month}-01") and (end is None or end >= last)

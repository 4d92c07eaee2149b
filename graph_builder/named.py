"""Which form of a named query to run, and with which bindings.

A named query whose header names an ``index-form`` gives the same rows from the store's edge index
(:mod:`graph_builder.edge_index`): at 100,000 articles, counting the stances about a busy state reads
hundreds of thousands of them, the index reads a few hundred edges. :func:`plan` picks the index form
when the index is complete (of this format), else the query itself; both are bound from the same
user values, always through ``substitutions``.

A listing capped by ``LIMIT`` (stances-of-actor) reads, in its index form, only the periods that can
hold its rows: :func:`periods_to_read` works them out from the rows per period, so that every row
the cap keeps is read. Only whole months inside the asked dates are counted towards the cap, and
stances with a partial date or none are always read, so the rows read are a superset of the rows
kept, and sorting and capping them gives the query's own answer.

    >>> periods_to_read({"2024-03": 5, "2024-04": 5, "2024-05": 5, "p2024": 9}, 8, None, None)
    ('2024-04', None)
    >>> periods_to_read({"2024-03": 5, "2024-04": 5, "2024-05": 5}, 8, "2024-04-15", "2024-05-31")
    ('2024-04', '2024-05')
"""
from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from typing import Any

import pyoxigraph as ox

from graph_builder.edge_index import INDEX_FORMAT
from queries import NamedQuery, Substitutions, bind, get_query

#: Runs a bundled query with its bindings on the store and returns what pyoxigraph returns.
Ask = Callable[[NamedQuery, Substitutions], Any]


def plan(query: NamedQuery, values: Mapping[str, str], ask: Ask,
         get: Callable[[str], NamedQuery] = get_query) -> tuple[NamedQuery, Substitutions]:
    """The query to run for ``query`` with the user's ``values``, and its bindings (``get``: the
    bundled query of a name).

    Raises ValueError (naming the parameter) when the values do not fit ``query``.
    """
    subs = bind(query, dict(values))
    if query.index_form is None or not index_ready(ask):
        return query, subs
    form = get(query.index_form)
    given = {k: v for k, v in values.items() if v is not None and str(v).strip()}
    if form.periods is not None and query.row_limit is not None:
        counter = get(form.periods)
        known = {p.name for p in counter.params}
        rows: dict[str, int] = {}
        for r in ask(counter, bind(counter, {k: v for k, v in given.items() if k in known})):
            period, n = r["period"], r["rows"]
            if isinstance(period, ox.Literal) and isinstance(n, ox.Literal):
                rows[period.value] = rows.get(period.value, 0) + int(n.value)
        since, until = periods_to_read(rows, query.row_limit, given.get("from"), given.get("to"))
        given |= {k: v for k, v in (("since", since), ("until", until)) if v is not None}
    return form, bind(form, given)


def index_ready(ask: Ask) -> bool:
    """Whether the store holds a complete edge index of this format."""
    q = get_query("edge-index-ready")
    return bool(ask(q, bind(q, {"format": INDEX_FORMAT})))


def periods_to_read(rows: Mapping[str, int], limit: int, start: str | None,
                    end: str | None) -> tuple[str | None, str | None]:
    """The first and last month (``YYYY-MM``, None: no bound) whose stances hold the newest ``limit``
    rows dated from ``start`` to ``end`` (days, None: open), given the rows per index period.

    A month counts towards ``limit`` only when it lies wholly inside the dates; periods of partial
    dates (``p…``) never count (the index form reads them always). No month before ``start``'s can
    hold a row, nor after ``end``'s.
    """
    until = end[:7] if end else None
    whole = sorted((m for m in rows if not m.startswith("p") and _inside(m, start, end)), reverse=True)
    held = 0
    for month in whole:
        held += rows[month]
        if held >= limit:
            return month, until
    return (start[:7] if start else None), until


def _inside(month: str, start: str | None, end: str | None) -> bool:
    year, mon = int(month[:4]), int(month[5:7])
    last = f"{month}-{calendar.monthrange(year, mon)[1]:02d}"
    return (start is None or start <= f"{month}-01") and (end is None or end >= last)

"""An entity's stances, newest first, one page at a time, read through the edge index.

Listing the stances an entity took (or received) newest first by sorting them all reads every one
of them: at 100,000 articles a busy state holds 200,000 stances, and the entity page took about a
minute. The edge index (:mod:`graph_builder.edge_index`) counts an entity's stances per edge and
period and links each period to its stances (``mq:indexedStance``), so a page needs only:

1. the entity's edges with their counts and first and last days (one query,
   ``queries/explorer-entity-edges-index.rq``);
2. the periods from the newest back to where the page ends (:func:`periods_newest_first`), each
   edge's period node read by its IRI, only for the edges whose days span that period
   (:func:`spans`);
3. the stances of the periods the page falls in, with their days, sorted (:func:`order`), and the
   page's rows (``explorer-stances`` with the stance and target bound, a few lookups each).

The order is the one ``queries/explorer-stances.rq`` gives (``ORDER BY DESC(?date) ?stance``, a
stance with several targets once per target): a stance's day is ``YYYY-MM-DD`` or a partial date,
and a partial date sorts below every full day of its month or year, as strings do:

    >>> [group_key(p) for p in ("2024-05", "p2024-05", "p2024")]
    ['2024-05-~', '2024-05', '2024']
    >>> sorted(["2024-05-02", "2024-05", "2024-04-30", "2024"], reverse=True)
    ['2024-05-02', '2024-05', '2024-04-30', '2024']
    >>> list(periods_newest_first("2023-12-30", "2024-02-03"))
    ['2024-02', 'p2024-02', '2024-01', 'p2024-01', 'p2024', '2023-12']

Undated stances come last: an edge's count minus what its periods count.

    >>> groups = [Group("2024-05-~", 3, (("e1/2024-05", "x"),)), Group("2024", 1, (("e2/p2024", "y"),))]
    >>> [(g.key, start, end) for g, start, end in pick(groups, offset=2, size=2)]
    [('2024-05-~', 2, 3), ('2024', 0, 1)]
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from graph_builder.edge_index import period_of


@dataclass(frozen=True)
class Edge:
    """An edge of the entity's list, as the index has it."""

    node: str
    target: str
    count: int
    first: str | None   # its first and last day (None when none of its stances is dated)
    last: str | None


@dataclass(frozen=True)
class Group:
    """Stances of one period (all edges of the entity), or the undated ones (``key`` None)."""

    key: str | None       # sorts like the days in it (see group_key); None: undated, sorts last
    count: int
    nodes: tuple[tuple[str, str], ...]  # (index node, its edge's target): the nodes whose
    #                                    ``mq:indexedStance`` list the group's stances


@dataclass(frozen=True)
class Member:
    """One row of a group: a stance on one edge (a stance with two targets is two members)."""

    day: str | None
    stance: str
    target: str


def group_key(period: str) -> str:
    """How a period sorts among days: a month just above its last day, a partial date as itself."""
    return period[1:] if period.startswith("p") else period + "-~"


def periods_newest_first(first: str, last: str) -> Iterator[str]:
    """The periods (months, partial months, partial years) that may hold days from ``first`` to
    ``last``, in the order their days sort, newest first (a period's key is the highest day in it)."""
    top = group_key(period_of(last))
    for year in range(int(last[:4]), int(first[:4]) - 1, -1):
        for period in [p for m in range(12, 0, -1) for p in (f"{year}-{m:02d}", f"p{year}-{m:02d}")] + [f"p{year}"]:
            if first <= group_key(period) <= top:
                yield period


def spans(edge: Edge, period: str) -> bool:
    """Whether some of the edge's stances may fall in the period (its days reach over it)."""
    if edge.first is None or edge.last is None:
        return False
    return edge.first <= group_key(period) <= group_key(period_of(edge.last))


def pick(groups: Sequence[Group], offset: int, size: int) -> list[tuple[Group, int, int]]:
    """The groups rows ``offset`` to ``offset + size`` fall in, each with the slice of its rows."""
    out, start = [], 0
    for g in groups:
        end = start + g.count
        if end > offset and start < offset + size:
            out.append((g, max(offset - start, 0), min(offset + size, end) - start))
        if end >= offset + size:
            break
        start = end
    return out


def order(members: Iterable[Member]) -> list[Member]:
    """A group's members in the page order: newest day first, then by stance and target."""
    by_stance = sorted(set(members), key=lambda m: (m.stance, m.target))
    return sorted(by_stance, key=lambda m: m.day or "", reverse=True)

"""An entity's stances, newest first, one page at a time, read through the edge index.

Listing the stances an entity took (or received) newest first by sorting them all reads every one
of them: at 100,000 articles a busy state holds 200,000 stances, and the entity page took about a
minute. The edge index (:mod:`graph_builder.edge_index`) counts an entity's stances per edge and
month and links each period to its stances (``mq:indexedStance``), so a page needs only:

1. the entity's period counts (one query, ``queries/explorer-entity-periods-index.rq``), from which
   :func:`plan` makes groups, newest first, and :func:`pick` finds the groups a page falls in;
2. the stances of those groups, with their days, sorted (:func:`order`);
3. the page's rows (``explorer-stances`` with the stance and target bound, a few lookups each).

The order is the one ``queries/explorer-stances.rq`` gives (``ORDER BY DESC(?date) ?stance``, a
stance with several targets once per target): a stance's day is ``YYYY-MM-DD`` or a partial date,
and a partial date sorts below every full day of its month or year, as strings do:

    >>> [group_key(p) for p in ("2024-05", "p2024-05", "p2024")]
    ['2024-05-~', '2024-05', '2024']
    >>> sorted(["2024-05-02", "2024-05", "2024-04-30", "2024"], reverse=True)
    ['2024-05-02', '2024-05', '2024-04-30', '2024']

Undated stances come last.

    >>> groups = plan([("e1", "e1", "x", "", 5), ("e1/2024-05", "e1", "x", "2024-05", 3),
    ...               ("e2/p2024", "e2", "y", "p2024", 1), ("e2", "e2", "y", "", 1)])
    >>> [(g.key, g.count, g.nodes) for g in groups]
    [('2024-05-~', 3, (('e1/2024-05', 'x'),)), ('2024', 1, (('e2/p2024', 'y'),)), (None, 2, (('e1', 'x'),))]
    >>> [(g.key, start, end) for g, start, end in pick(groups, offset=2, size=2)]
    [('2024-05-~', 2, 3), ('2024', 0, 1)]
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: A row of ``explorer-entity-periods-index``: the index node, its edge, the edge's target, the node's
#: period ("" for the edge's all-time node) and how many stances it counts.
PeriodRow = tuple[str, str, str, str, int]


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


def plan(rows: Iterable[PeriodRow]) -> list[Group]:
    """Groups newest first, undated last, from the entity's index nodes. An edge's undated stances
    are its all-time count minus its periods' counts; they are listed under the edge's own node."""
    totals: dict[tuple[str, str], int] = {}
    dated: dict[tuple[str, str], int] = defaultdict(int)
    by_period: dict[str, list[tuple[tuple[str, str], int]]] = defaultdict(list)
    for node, edge, target, period, count in rows:
        if period == "":
            totals[edge, target] = count
        else:
            dated[edge, target] += count
            by_period[period].append(((node, target), count))
    groups = [Group(group_key(p), sum(c for _, c in nodes), tuple(sorted(n for n, _ in nodes)))
              for p, nodes in by_period.items()]
    groups.sort(key=lambda g: g.key or "", reverse=True)
    undated = sorted(e for e, total in totals.items() if total > dated[e])
    if undated:
        groups.append(Group(None, sum(totals[e] - dated[e] for e in undated), tuple(undated)))
    return groups


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

"""Graph analytics over stance rows, with networkx: pure functions, no I/O.

The rows come from aggregating SPARQL queries (one row per holder, stance type and target, with
how many stances say so), never from the whole graph:

    >>> rows = [StanceEdge("a", "Condemnation", "x", 3), StanceEdge("b", "Condemnation", "x", 1),
    ...         StanceEdge("c", "Support", "x", 2), StanceEdge("d", "Support", "x", 1)]
    >>> [(r.node, r.out_stances, r.in_stances) for r in activity(rows)][:2]
    [('a', 3, 0), ('c', 2, 0)]
    >>> blocs(rows)
    [['a', 'b'], ['c', 'd']]
    >>> shortest_paths([("a", "x"), ("x", "c")], "a", "c")
    [['a', 'x', 'c']]
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations, islice

import networkx as nx

__all__ = [
    "Activity", "Bloc", "StanceEdge", "activity", "agreement_graph", "bloc_details", "blocs",
    "link_graph", "pagerank", "shortest_paths", "stance_graph",
]


@dataclass(frozen=True)
class StanceEdge:
    """``count`` stances in which ``holder`` took a stance of ``type`` about ``target``."""

    holder: str
    type: str
    target: str
    count: int = 1


@dataclass(frozen=True)
class Activity:
    """How active a node is: stances it took (out) and received (in), partners, and PageRank."""

    node: str
    out_stances: int
    in_stances: int
    targets: int
    holders: int
    pagerank: float


@dataclass(frozen=True)
class Bloc:
    """A group of actors that take the same stance types on the same targets."""

    members: tuple[str, ...]
    #: the (type, target) pairs most shared inside the bloc, most shared first
    shared: tuple[tuple[str, str, int], ...]


def stance_graph(rows: Iterable[StanceEdge]) -> nx.DiGraph:
    """Holder → target, weighted by the number of stances (all types together)."""
    g = nx.DiGraph()
    for r in rows:
        if r.holder == r.target:
            g.add_node(r.holder)
            continue
        if g.has_edge(r.holder, r.target):
            g[r.holder][r.target]["weight"] += r.count
        else:
            g.add_edge(r.holder, r.target, weight=r.count)
    return g


def pagerank(rows: Iterable[StanceEdge], alpha: float = 0.85) -> dict[str, float]:
    """PageRank of every holder and target on the stance graph (who is the subject of stances)."""
    g = stance_graph(rows)
    return _pagerank(g, alpha)


def _pagerank(g: nx.DiGraph, alpha: float = 0.85, tol: float = 1.0e-10, max_iter: int = 200) -> dict[str, float]:
    """Weighted PageRank by power iteration in pure Python (``nx.pagerank`` needs scipy)."""
    nodes = sorted(str(n) for n in g.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    out_weight = {u: sum(float(d.get("weight", 1)) for _, _, d in g.out_edges(u, data=True)) for u in nodes}
    rank = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(max_iter):
        dangling = alpha * sum(rank[u] for u in nodes if out_weight[u] == 0) / n
        new = dict.fromkeys(nodes, (1.0 - alpha) / n + dangling)
        for u, v, d in g.edges(data=True):
            new[str(v)] += alpha * rank[str(u)] * float(d.get("weight", 1)) / out_weight[str(u)]
        err = sum(abs(new[u] - rank[u]) for u in nodes)
        rank = new
        if err < n * tol:
            break
    return rank


def activity(rows: Sequence[StanceEdge]) -> list[Activity]:
    """Every node with stances taken and received and its PageRank, most active holder first."""
    out_n: dict[str, int] = defaultdict(int)
    in_n: dict[str, int] = defaultdict(int)
    targets: dict[str, set[str]] = defaultdict(set)
    holders: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        out_n[r.holder] += r.count
        in_n[r.target] += r.count
        targets[r.holder].add(r.target)
        holders[r.target].add(r.holder)
    pr = pagerank(rows)
    nodes = set(out_n) | set(in_n)
    result = [Activity(n, out_n.get(n, 0), in_n.get(n, 0), len(targets.get(n, ())), len(holders.get(n, ())),
                       pr.get(n, 0.0)) for n in nodes]
    result.sort(key=lambda a: (-a.out_stances, -a.in_stances, a.node))
    return result


def agreement_graph(rows: Iterable[StanceEdge]) -> nx.Graph:
    """Actors linked when they take the same stance type on the same target; weight: shared pairs."""
    by_pair: dict[tuple[str, str], set[str]] = defaultdict(set)
    holders: set[str] = set()
    for r in rows:
        by_pair[(r.type, r.target)].add(r.holder)
        holders.add(r.holder)
    g = nx.Graph()
    g.add_nodes_from(sorted(holders))
    for _pair, members in sorted(by_pair.items()):
        for a, b in combinations(sorted(members), 2):
            if g.has_edge(a, b):
                g[a][b]["weight"] += 1
            else:
                g.add_edge(a, b, weight=1)
    return g


def blocs(rows: Iterable[StanceEdge], min_size: int = 2) -> list[list[str]]:
    """Communities of the agreement graph (greedy modularity, deterministic), largest first."""
    g = agreement_graph(rows)
    if g.number_of_edges() == 0:
        return []
    communities = nx.community.greedy_modularity_communities(g, weight="weight")
    found = [sorted(str(n) for n in c) for c in communities if len(c) >= min_size]
    found.sort(key=lambda c: (-len(c), c))
    return found


def bloc_details(rows: Sequence[StanceEdge], min_size: int = 2, top: int = 5) -> list[Bloc]:
    """:func:`blocs` with, for each, the stance (type, target) pairs most of its members share."""
    result = []
    for members in blocs(rows, min_size):
        inside = set(members)
        shared: dict[tuple[str, str], set[str]] = defaultdict(set)
        for r in rows:
            if r.holder in inside:
                shared[(r.type, r.target)].add(r.holder)
        pairs = sorted(((t, tg, len(h)) for (t, tg), h in shared.items() if len(h) >= 2),
                       key=lambda p: (-p[2], p[0], p[1]))
        result.append(Bloc(tuple(members), tuple(pairs[:top])))
    return result


def link_graph(links: Iterable[tuple[str, str]]) -> nx.Graph:
    """An undirected graph of links (stances, memberships, locations) for "how is A related to B"."""
    g = nx.Graph()
    g.add_edges_from((a, b) for a, b in links if a != b)
    return g


def shortest_paths(links: Iterable[tuple[str, str]], a: str, b: str, limit: int = 10) -> list[list[str]]:
    """Up to ``limit`` shortest paths between ``a`` and ``b`` (node lists); [] when unconnected."""
    g = link_graph(links)
    if a not in g or b not in g:
        return []
    if a == b:
        return [[a]]
    try:
        paths = nx.all_shortest_paths(g, a, b)
        return sorted([list(map(str, p)) for p in islice(paths, limit)])
    except nx.NetworkXNoPath:
        return []

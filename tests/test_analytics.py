"""graph_builder.analytics: pure functions over aggregated stance rows."""
from __future__ import annotations

from graph_builder.analytics import StanceEdge, activity, agreement_graph, bloc_details, blocs, pagerank, shortest_paths

ROWS = [
    StanceEdge("EGY", "Condemnation", "ISR", 3), StanceEdge("JOR", "Condemnation", "ISR", 2),
    StanceEdge("QAT", "Condemnation", "ISR", 1), StanceEdge("EGY", "Call", "UN", 1),
    StanceEdge("USA", "Support", "ISR", 4), StanceEdge("GBR", "Support", "ISR", 1),
    StanceEdge("USA", "Support", "UKR", 2), StanceEdge("GBR", "Support", "UKR", 2),
]


def test_activity_counts_and_order() -> None:
    acts = {a.node: a for a in activity(ROWS)}
    assert acts["USA"].out_stances == 6 and acts["USA"].targets == 2
    assert acts["ISR"].in_stances == 11 and acts["ISR"].holders == 5 and acts["ISR"].out_stances == 0
    assert activity(ROWS)[0].node == "USA"


def test_pagerank_sums_to_one_and_ranks_the_most_targeted_first() -> None:
    pr = pagerank(ROWS)
    assert abs(sum(pr.values()) - 1) < 1e-6
    assert max(pr, key=lambda k: pr[k]) == "ISR"
    assert pagerank([]) == {}


def test_blocs_group_actors_with_the_same_stances() -> None:
    found = blocs(ROWS)
    assert ["EGY", "JOR", "QAT"] in found and ["GBR", "USA"] in found
    g = agreement_graph(ROWS)
    assert g["GBR"]["USA"]["weight"] == 2 and not g.has_edge("EGY", "USA")
    details = {b.members: b for b in bloc_details(ROWS)}
    assert details[("GBR", "USA")].shared[0] == ("Support", "ISR", 2)
    assert blocs([StanceEdge("A", "Call", "X")]) == []


def test_shortest_paths() -> None:
    links = [(r.holder, r.target) for r in ROWS] + [("ISR", "conflict:gaza")]
    assert shortest_paths(links, "EGY", "JOR") == [["EGY", "ISR", "JOR"]]
    assert shortest_paths(links, "QAT", "conflict:gaza") == [["QAT", "ISR", "conflict:gaza"]]
    assert shortest_paths(links, "EGY", "nowhere") == []
    assert shortest_paths(links + [("P", "Q")], "EGY", "P") == []
    assert shortest_paths(links, "EGY", "EGY") == [["EGY"]]

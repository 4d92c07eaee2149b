"""Extraction quality on the team's own sample articles (not the dev corpus), against the analyst's
reading in ``graph_builder/samples/expected.json``: a regression floor that needs no ../shared."""
from __future__ import annotations

from graph_builder.extract import extract
from graph_builder.gazetteer import default_gazetteer
from graph_builder.model import Article
from graph_builder.samples import expected_records, sample_records


def _expand(keys: list[str]) -> set[str]:
    gaz = default_gazetteer()
    out = set(keys)
    for k in keys:
        info = gaz.get(k)
        if info is not None:
            out |= set(info.location)
    return out


def _f1(tp_p: int, n_p: int, tp_g: int, n_g: int) -> float:
    p = tp_p / n_p if n_p else 0.0
    r = tp_g / n_g if n_g else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def test_samples_edge_typed_and_members():
    gold = expected_records()
    e = [0, 0, 0, 0]
    t = [0, 0, 0, 0]
    m_right = m_gold = m_pred = 0
    for rec in sample_records():
        x = extract(Article(text=rec["text"], lang=rec["lang"], published=rec.get("published")))
        g = gold[rec["id"]]
        entries = [(s["holder"], _expand(s["targets"]), {s["type"], *s.get("alt_types", [])}) for s in g["stances"]]
        typed = {(s.holder, s.type, tgt) for s in x.stances for tgt in s.targets}
        edges = {(h, tgt) for h, _, tgt in typed}
        e[0] += sum(any(h == gh and tg in gt for gh, gt, _ in entries) for h, tg in edges)
        e[1] += len(edges)
        e[2] += sum(any(h == gh and tg in gt for h, tg in edges) for gh, gt, _ in entries)
        e[3] += len(entries)
        t[0] += sum(any(h == gh and tg in gt and ty in gty for gh, gt, gty in entries) for h, ty, tg in typed)
        t[1] += len(typed)
        t[2] += sum(any(h == gh and tg in gt and ty in gty for h, ty, tg in typed) for gh, gt, gty in entries)
        t[3] += len(entries)
        members = set(x.memberships)
        gm = {tuple(p) for p in g.get("memberships", [])}
        m_right += len(members & gm)
        m_gold += len(gm)
        m_pred += len(members)
    assert _f1(*e) >= 0.80, e
    assert _f1(*t) >= 0.70, t
    assert m_right == m_gold == m_pred

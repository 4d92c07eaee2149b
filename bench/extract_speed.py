"""Extraction speed on a synthetic corpus of ~3 KB articles: articles/s, ms/article, time per stage,
and how cost grows with article length (must stay linear).

    python bench/extract_speed.py --count 500
"""
from __future__ import annotations

import argparse
import pathlib
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from bench.synthetic import corpus  # noqa: E402
from graph_builder.dates import find_dates  # noqa: E402
from graph_builder.extract import extract  # noqa: E402
from graph_builder.gazetteer import default_gazetteer  # noqa: E402
from graph_builder.model import Article  # noqa: E402
from graph_builder.quads import build_article_graph  # noqa: E402
from graph_builder.sentences import split_sentences  # noqa: E402


def _time(fn: Callable[[], Any], repeat: int = 1) -> float:
    t0 = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - t0) / repeat


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=500)
    args = ap.parse_args()
    gaz = default_gazetteer()
    arts = [Article(text=r["text"], lang=r["lang"], url=r["url"], published=r["published"])
            for r in corpus(args.count, seed=11, target_bytes=3000)]
    for a in arts[:20]:  # warm caches
        extract(a)
    stages = {"sentences": 0.0, "gazetteer": 0.0, "dates": 0.0, "extract (all)": 0.0, "quads": 0.0}
    for a in arts:
        stages["sentences"] += _time(lambda a=a: split_sentences(a.text))
        stages["gazetteer"] += _time(lambda a=a: gaz.find(a.text, a.lang or "ar"))
        stages["dates"] += _time(lambda a=a: find_dates(a.text, a.lang or "ar", a.published))
        t0 = time.perf_counter()
        x = extract(a)
        stages["extract (all)"] += time.perf_counter() - t0
        stages["quads"] += _time(lambda x=x: build_article_graph(x))
    n = len(arts)
    total = stages["extract (all)"] + stages["quads"]
    mean_kb = statistics.mean(len(a.text.encode()) for a in arts) / 1024
    print(f"{n} synthetic articles, mean {mean_kb:.1f} KB, one core")
    print(f"{'stage':<16} {'ms/article':>10}")
    for k, v in stages.items():
        print(f"{k:<16} {1000 * v / n:>10.3f}")
    print(f"{'extract+quads':<16} {1000 * total / n:>10.3f}   = {n / total:.0f} articles/s "
          f"(target ≥ 100 articles/s: ratio {n / total / 100:.1f}×)")
    # Linearity: one article at 1×, 4× and 16× the length.
    base = arts[0]
    sizes = []
    for k in (1, 4, 16):
        a = Article(text=" ".join([base.text] * k), lang=base.lang, published=base.published)
        sizes.append((k, _time(lambda a=a: extract(a), repeat=3)))
    print("length ×   ms     ms per ×")
    for k, t in sizes:
        print(f"{k:>8}  {1000 * t:6.2f}  {1000 * t / k:8.3f}")
    print(f"growth 16×/1× per unit length: {sizes[2][1] / 16 / sizes[0][1]:.2f} (≈1 is linear)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

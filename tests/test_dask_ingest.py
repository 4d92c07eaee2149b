"""Distributed ingest on a Dask ``LocalCluster`` of 2 workers ends with the same store (same export)
as a single-process ``mawqif ingest`` of the same input."""
from __future__ import annotations

import io
import json
import pathlib

import pytest

from graph_builder.ingest import ingest
from graph_builder.loaders import iter_articles
from graph_builder.store import Store

distributed = pytest.importorskip("dask.distributed")

WHEN = "2026-01-01T00:00:00Z"


def _corpus(path: pathlib.Path, n: int) -> None:
    from bench.synthetic import corpus

    with open(path, "w", encoding="utf-8") as f:
        for i, rec in enumerate(corpus(n, seed=3, target_bytes=600)):
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            if i == 5:
                f.write('{"text": 42}\n')  # a bad line: reported with its line number


def _export(store: Store) -> bytes:
    out = io.BytesIO()
    store.export(out, "nquads")
    return out.getvalue()


def test_dask_ingest_equals_single_process(tmp_path: pathlib.Path) -> None:
    from graph_builder.distributed import ingest_dask, plan_shards

    src = tmp_path / "corpus.jsonl"
    _corpus(src, 60)
    paths = [str(src), str(pathlib.Path(__file__).parents[1] / "graph_builder" / "samples" / "articles.jsonl")]
    with Store(tmp_path / "single") as single:
        want = ingest(single, iter_articles(paths), generated_at=WHEN)
        expected = _export(single)
    assert len(plan_shards(paths, shard_bytes=8_000)) > 3
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client, Store(tmp_path / "dask") as store:
        report = ingest_dask(store, paths, client=client, generated_at=WHEN, shard_bytes=8_000,
                             shards_dir=tmp_path / "shards", keep_shards=True)
        assert (report.stored, report.stances, report.quads) == (want.stored, want.stances, want.quads)
        assert [str(e) for e in report.errors] == [str(e) for e in want.errors]
        assert "corpus.jsonl:7" in str(report.errors[0])
        assert _export(store) == expected
        assert sorted(p.name for p in (tmp_path / "shards").glob("part-00000*"))
        again = ingest_dask(store, paths, client=client, generated_at=WHEN, shard_bytes=8_000)
        assert again.unchanged == want.stored and again.stored == 0
        assert _export(store) == expected

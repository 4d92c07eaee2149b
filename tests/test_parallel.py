"""``mawqif ingest --workers N``: the same store as one worker, bounded read-ahead, progress."""
from __future__ import annotations

import io
import json
import pathlib
import subprocess
from collections.abc import Callable, Iterator, Sequence

from graph_builder.errors import InputError
from graph_builder.ingest import ingest
from graph_builder.loaders import iter_articles
from graph_builder.model import Article
from graph_builder.store import Store

WHEN = "2026-01-01T00:00:00Z"


def _write_corpus(path: pathlib.Path, n: int, seed: int = 5) -> None:
    from bench.synthetic import corpus

    with open(path, "w", encoding="utf-8") as f:
        for rec in corpus(n, seed=seed, target_bytes=500):
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        f.write("not json\n")


def _export(store: Store) -> bytes:
    out = io.BytesIO()
    store.export(out, "nquads")
    return out.getvalue()


def test_two_workers_store_what_one_does(tmp_path: pathlib.Path) -> None:
    src = tmp_path / "c.jsonl"
    _write_corpus(src, 120)
    # the same article twice, changed: the later version wins with any number of workers
    dup = [Article(text="France condemned the attack on Syria.", lang="en", url="https://example.org/d"),
           Article(text="Egypt welcomed the agreement on Libya.", lang="en", url="https://example.org/d")]
    results = []
    for workers in (1, 2):
        with Store(tmp_path / f"s{workers}") as s:
            items = [*iter_articles([str(src)]), *dup]
            r = ingest(s, items, generated_at=WHEN, workers=workers, chunk_size=7, batch_size=30)
            results.append((r.stored, r.stances, r.quads, [str(e) for e in r.errors], _export(s)))
    assert results[0] == results[1]
    assert results[0][3] == [f"{src}:121: not valid JSON: Expecting value (column 1)"]


class _Sink:
    """Records what was read from the input when each batch was written."""

    def __init__(self, consumed: list[int]) -> None:
        self.consumed = consumed
        self.seen: list[int] = []
        self.articles = 0

    def article_hashes(self, graphs: Sequence[str]) -> dict[str, str]:
        return {}

    def replace_serialized(self, articles: Sequence[tuple[str, bytes]], shared: bytes = b"",
                           edges: object = None) -> None:
        self.articles += len(articles)
        self.seen.append(self.consumed[0] - self.articles)


def test_read_ahead_is_bounded() -> None:
    consumed = [0]

    def items() -> Iterator[Article | InputError]:
        for i in range(400):
            consumed[0] += 1
            yield Article(text=f"France condemned the attack on Syria ({i}).", lang="en",
                          url=f"https://example.org/{i}")

    sink = _Sink(consumed)
    report = ingest(sink, items(), workers=2, chunk_size=10, batch_size=50)
    assert report.stored == sink.articles == 400
    # never more than the window of chunks (2 × workers + 1) plus one chunk ahead of what is written
    assert max(sink.seen) <= (2 * 2 + 2) * 10 + 50


def test_cli_workers_and_reingest(tmp_path: pathlib.Path,
                                  mawqif: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    src = tmp_path / "c.jsonl"
    _write_corpus(src, 40)
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    p = mawqif("ingest", "--workers", "2", "--store", str(tmp_path / "s"), str(src), env=env)
    assert p.returncode == 1 and "c.jsonl:41" in p.stderr and "40 stored" in p.stderr
    p = mawqif("ingest", "-w", "2", "--store", str(tmp_path / "s"), str(src), env=env)
    assert "40 unchanged" in p.stderr
    p = mawqif("ingest", "--workers", "0", str(src))
    assert p.returncode == 2 and "at least 1" in p.stderr


def test_progress_line() -> None:
    from graph_builder.cli import _progress_line
    from graph_builder.ingest import IngestReport

    line = _progress_line(IngestReport(stored=1200, stances=30, seconds=10.0))
    assert "1,200 articles" in line and "120 articles/s" in line and "[" in line

"""Ingest: articles → extraction → quads → store, in batches (the library behind ``mawqif ingest``)."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from graph_builder import terms
from graph_builder.errors import InputError, MawqifError
from graph_builder.extract import extract
from graph_builder.model import Article
from graph_builder.quads import article_iri, build_article_graph, content_hash
from graph_builder.store import ArticleGraph, Store

#: Articles written to the store in one bulk load.
BATCH_SIZE = 200


@dataclass
class IngestReport:
    """What one ingest did; ``errors`` are reported, not raised, so good articles still land."""

    stored: int = 0
    unchanged: int = 0
    stances: int = 0
    quads: int = 0
    errors: list[MawqifError] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def read(self) -> int:
        return self.stored + self.unchanged + len(self.errors)

    def summary(self) -> str:
        rate = self.read / self.seconds if self.seconds > 0 else 0.0
        parts = [f"{self.stored} stored"]
        if self.unchanged:
            parts.append(f"{self.unchanged} unchanged")
        if self.errors:
            parts.append(f"{len(self.errors)} failed")
        return (f"ingested {self.read} article{'s' if self.read != 1 else ''} ({', '.join(parts)}): "
                f"{self.stances} stances, {self.quads} quads in {self.seconds:.2f} s "
                f"({rate:.0f} articles/s)")


def ingest(store: Store, items: Iterable[Article | InputError], *, base: str = terms.DEFAULT_BASE,
           generated_at: str | None = None, batch_size: int = BATCH_SIZE,
           on_progress: Callable[[IngestReport], None] | None = None,
           on_error: Callable[[MawqifError], None] | None = None) -> IngestReport:
    """Extract and store every good article; collect an error for each bad one.

    An article whose content (and the software version) is unchanged since it was stored is
    left as it is, so ingesting the same input twice leaves the store byte-for-byte the same.
    """
    report = IngestReport()
    t0 = time.perf_counter()
    batch: list[ArticleGraph] = []
    seen_in_batch: dict[str, int] = {}

    def flush() -> None:
        if batch:
            store.replace_articles(batch)
            batch.clear()
            seen_in_batch.clear()

    for item in items:
        if isinstance(item, MawqifError):
            report.errors.append(item)
            if on_error:
                on_error(item)
            continue
        try:
            graph = article_iri(item, base)
            if store.article_hash(graph) == content_hash(item) and graph.value not in seen_in_batch:
                report.unchanged += 1
                continue
            built = build_article_graph(extract(item), base=base, generated_at=generated_at)
        except MawqifError as e:
            err = e if isinstance(e, InputError) and e.source else InputError(str(e), source=item.origin)
            report.errors.append(err)
            if on_error:
                on_error(err)
            continue
        if graph.value in seen_in_batch:  # the same article twice in one batch: the later wins
            batch.pop(seen_in_batch[graph.value])
            seen_in_batch.clear()
            seen_in_batch.update({g.graph.value: i for i, g in enumerate(batch)})
        seen_in_batch[graph.value] = len(batch)
        batch.append(built)
        report.stored += 1
        report.stances += sum(1 for q in built.quads if q.object == terms.MQ_STANCE)
        report.quads += len(built.quads)
        if len(batch) >= batch_size:
            flush()
        report.seconds = time.perf_counter() - t0
        if on_progress:
            on_progress(report)
    flush()
    report.seconds = time.perf_counter() - t0
    return report

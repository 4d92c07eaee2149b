"""Distributed ingest on an existing Dask cluster: a Dask bag over input shards → N-Quads shards →
one load into the target store (``mawqif ingest --dask SCHEDULER PATH…``; ``pip install 'mawqif[dask]'``).

1. :func:`plan_shards` cuts the input into shards: a ``.jsonl`` file larger than ``shard_bytes``
   into byte ranges on line boundaries (line numbers kept for messages), any other PATH (file,
   folder) into one shard read exactly as ``mawqif ingest`` reads it.
2. Each shard is one partition of a Dask bag; its task reads the articles, extracts them
   (:func:`graph_builder.parallel.extract_chunk`) and writes ``part-NNNNN.nq`` in ``shards_dir``
   (a folder the workers and this process share), a valid N-Quads file of each article's graph
   ending with its commit quad; ``part-NNNNN.shared.nq``, the entity descriptions they use; and
   ``part-NNNNN.index.jsonl``: per article its graph, content hash and byte range. The task
   returns counts and errors only, so nothing large travels through the scheduler.
3. :func:`load_shards` reads the shards in input order and writes them with the store's commit
   protocol, skipping articles stored unchanged, so the store ends exactly as after
   ``mawqif ingest`` of the same input in one process.

Python API::

    from dask.distributed import Client
    from graph_builder.distributed import ingest_dask
    from graph_builder.store import Store

    with Client("tcp://scheduler:8786") as client, Store("./graph") as store:
        report = ingest_dask(store, ["news/2025.jsonl"], client=client, shards_dir="/shared/mawqif")
"""
from __future__ import annotations

import itertools
import json
import os
import pathlib
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from graph_builder import terms
from graph_builder.errors import InputError, MawqifError
from graph_builder.ingest import BATCH_SIZE, CHUNK_SIZE, ArticleSink, IngestReport
from graph_builder.model import Article
from graph_builder.parallel import Failed, commit_quad, extract_chunk

#: A ``.jsonl`` file larger than this is cut into shards of about this size.
SHARD_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Shard:
    index: int
    path: str
    #: byte range and first line number of a piece of a ``.jsonl`` file; None: the whole PATH
    start: int | None = None
    end: int | None = None
    first_line: int = 1


@dataclass(frozen=True)
class ShardResult:
    index: int
    nquads: str      #: the articles' graphs, each ending with its commit quad
    shared: str      #: the entity descriptions the articles use
    index_file: str  #: per article: graph, content hash, byte range of the body
    stored: int
    stances: int
    quads: int
    errors: list[Failed]


def plan_shards(paths: Sequence[str], shard_bytes: int = SHARD_BYTES) -> list[Shard]:
    """Cut the input into shards, in input order."""
    shards: list[Shard] = []
    for path in paths:
        if (path.lower().endswith((".jsonl", ".ndjson")) and os.path.isfile(path)
                and os.path.getsize(path) > shard_bytes):
            shards.extend(_split_jsonl(path, shard_bytes, len(shards)))
        else:
            shards.append(Shard(len(shards), path))
    return shards


def _split_jsonl(path: str, shard_bytes: int, first_index: int) -> Iterator[Shard]:
    size = os.path.getsize(path)
    start, line = 0, 1
    with open(path, "rb") as f:
        while start < size:
            f.seek(min(start + shard_bytes, size))
            if f.tell() < size:
                f.readline()  # to the end of the line
            end = f.tell()
            f.seek(start)
            lines = f.read(end - start).count(b"\n")
            yield Shard(first_index, path, start, end, line)
            first_index += 1
            start, line = end, line + lines


def read_shard(shard: Shard) -> Iterator[Article | InputError]:
    """The articles of one shard, as ``mawqif ingest`` reads them."""
    if shard.start is None or shard.end is None:
        from graph_builder.loaders import read_path

        yield from read_path(shard.path)
        return
    from graph_builder.loaders import article_from_record

    with open(shard.path, "rb") as f:
        f.seek(shard.start)
        data = f.read(shard.end - shard.start)
    for number, raw in enumerate(data.splitlines(keepends=True), start=shard.first_line):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            yield InputError(f"not valid UTF-8 (byte 0x{raw[e.start]:02x} at offset "
                             f"{shard.start + e.start}); save the file as UTF-8", source=shard.path, line=number)
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            yield InputError(f"not valid JSON: {e.msg} (column {e.colno})", source=shard.path, line=number)
            continue
        except (ValueError, RecursionError):
            yield InputError("not valid JSON", source=shard.path, line=number)
            continue
        try:
            yield article_from_record(record, source=shard.path, line=number)
        except InputError as e:
            yield e


def run_shard(shard: Shard, *, shards_dir: str, base: str = terms.DEFAULT_BASE,
              generated_at: str | None = None, chunk_size: int = CHUNK_SIZE) -> ShardResult:
    """One Dask task: read, extract and write one shard's N-Quads and index."""
    out = pathlib.Path(shards_dir)
    nq_path = out / f"part-{shard.index:05d}.nq"
    shared_path = out / f"part-{shard.index:05d}.shared.nq"
    index_path = out / f"part-{shard.index:05d}.index.jsonl"
    run = f"shard-{shard.index}-{os.getpid()}-{time.time_ns()}"
    stored = stances = quads = 0
    errors: list[Failed] = []
    chunk: list[Article | InputError] = []
    with open(nq_path, "wb") as nq, open(shared_path, "wb") as sh, open(index_path, "w", encoding="utf-8") as idx:
        def flush() -> None:
            nonlocal stored, stances, quads
            result = extract_chunk(chunk, run=run, base=base, generated_at=generated_at)
            sh.write(result.shared)
            for r in result.results:
                if isinstance(r, Failed):
                    errors.append(r)
                    continue
                start = nq.tell()
                nq.write(r.body)
                nq.write(_commit_nquad(r.graph))
                idx.write(json.dumps({"graph": r.graph, "hash": r.content_hash, "start": start,
                                      "length": len(r.body), "quads": r.quads, "stances": r.stances}) + "\n")
                stored += 1
                stances += r.stances
                quads += r.quads
            chunk.clear()

        for item in read_shard(shard):
            chunk.append(item)
            if len(chunk) >= chunk_size:
                flush()
        if chunk:
            flush()
    return ShardResult(shard.index, str(nq_path), str(shared_path), str(index_path), stored, stances, quads,
                       errors)


def _commit_nquad(graph: str) -> bytes:
    import pyoxigraph as ox

    q = commit_quad(ox.NamedNode(graph))
    return f"{q.subject} {q.predicate} {q.object} {q.graph_name} .\n".encode()


def load_shards(store: ArticleSink, results: Sequence[ShardResult], *, batch_size: int = BATCH_SIZE,
                on_error: Callable[[MawqifError], None] | None = None,
                report: IngestReport | None = None) -> IngestReport:
    """Write the shards into the store in input order (articles stored unchanged are skipped)."""
    report = report or IngestReport()
    for res in sorted(results, key=lambda r: r.index):
        for f in res.errors:
            err = f.error()
            report.errors.append(err)
            if on_error:
                on_error(err)
        shared = pathlib.Path(res.shared).read_bytes()
        with open(res.nquads, "rb") as nq, open(res.index_file, encoding="utf-8") as idx:
            while True:
                part = [json.loads(line) for line in itertools.islice(idx, batch_size)]
                if not part and not shared:
                    break
                known = store.article_hashes([e["graph"] for e in part])
                batch: dict[str, bytes] = {}
                for e in part:
                    if known.get(e["graph"]) == e["hash"] and e["graph"] not in batch:
                        report.unchanged += 1
                        continue
                    nq.seek(e["start"])
                    batch.pop(e["graph"], None)  # the same article twice: the later wins
                    batch[e["graph"]] = nq.read(e["length"])
                    report.stored += 1
                    report.stances += e["stances"]
                    report.quads += e["quads"]
                store.replace_serialized(list(batch.items()), shared)
                shared = b""
                if not part:
                    break
    return report


def ingest_dask(store: ArticleSink, paths: Sequence[str], *, client: Any = None, address: str | None = None,
                shards_dir: str | os.PathLike[str] | None = None, base: str = terms.DEFAULT_BASE,
                generated_at: str | None = None, shard_bytes: int = SHARD_BYTES,
                batch_size: int = BATCH_SIZE, keep_shards: bool = False,
                on_error: Callable[[MawqifError], None] | None = None) -> IngestReport:
    """Extract ``paths`` on a Dask cluster (``client``, or the scheduler at ``address``), then load.

    ``shards_dir`` must be a folder that the workers and this process share (default: a new
    temporary folder, fine for a cluster on this machine); the shards are removed afterwards
    unless ``keep_shards``.
    """
    try:
        import dask.bag as db
        from dask.distributed import Client
    except ImportError:
        raise MawqifError("distributed ingest needs Dask: pip install 'mawqif[dask]'") from None
    t0 = time.perf_counter()
    made_dir = shards_dir is None
    out = pathlib.Path(shards_dir if shards_dir is not None else tempfile.mkdtemp(prefix="mawqif-shards-"))
    out.mkdir(parents=True, exist_ok=True)
    own_client = client is None
    if own_client:
        if not address:
            raise MawqifError("give a Dask client or a scheduler address")
        try:
            client = Client(address, timeout=30)
        except (OSError, TimeoutError) as e:
            raise MawqifError(f"cannot reach the Dask scheduler at {address}: {e}") from None
    try:
        shards = plan_shards(paths, shard_bytes)
        bag = db.from_sequence(shards, npartitions=max(1, len(shards)))
        results = client.compute(bag.map(run_shard, shards_dir=str(out), base=base,
                                         generated_at=generated_at)).result()
        report = load_shards(store, results, batch_size=batch_size, on_error=on_error)
    finally:
        if own_client:
            client.close()
        if not keep_shards:
            if made_dir:
                shutil.rmtree(out, ignore_errors=True)
            else:
                for p in out.glob("part-*"):
                    p.unlink(missing_ok=True)
    report.seconds = time.perf_counter() - t0
    return report

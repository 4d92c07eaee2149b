"""Faults (issue 7): a crash during ingest, a full disk, an unwritable or held store, and determinism.

Every test drives the real ``mawqif`` command on a real on-disk store. What they prove:

* SIGKILL at random points of an ingest (``--workers 1`` and ``2``, several kills in a row on the same
  store) leaves each article either whole (its graph is exactly what a clean ingest stores) or
  absent, and ingesting again completes the store to the same export as a clean ingest; the same for
  a ``mawqif serve`` killed while two clients post the corpus to ``POST /api/articles``, and posting
  it again completes the store;
* a full disk, an unwritable store folder and a store held by another process each give a clear
  error naming the store, a non-zero exit status, and no partial article;
* ingesting a corpus twice, in another order, or with ``--workers 2`` gives a byte-identical sorted
  N-Quads export.
"""
from __future__ import annotations

import contextlib
import http.client
import io
import json
import os
import pathlib
import random
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterator

import pyoxigraph as ox
import pytest

from graph_builder import terms
from graph_builder.store import Store
from tests.conftest import mawqif_command

Run = Callable[..., subprocess.CompletedProcess[str]]

#: The synthetic corpus of the crash tests: 2,500 articles, five bulk-loaded batches of 500.
CORPUS_SIZE = 2500
ARTICLE_PREFIX = terms.DEFAULT_BASE + terms.INSTANCE_PATHS["article"]


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("MAWQIF_STORE", "SOURCE_DATE_EPOCH")}


def _write_corpus(path: pathlib.Path, n: int, seed: int) -> list[str]:
    from bench.synthetic import corpus

    lines = [json.dumps(rec, ensure_ascii=False) for rec in corpus(n, seed=seed, target_bytes=300)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lines


def _by_graph(nquads: bytes) -> dict[str, list[str]]:
    """Sorted N-Quads lines of each graph (``""``: the default graph)."""
    graphs: dict[str, list[str]] = defaultdict(list)
    lines = [line for line in nquads.decode("utf-8").splitlines() if line.strip()]
    quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(lines)
    for q, line in zip(quads, lines, strict=True):
        graphs[q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""].append(line)
    return {g: sorted(lines) for g, lines in graphs.items()}


def _sorted_export(store: pathlib.Path) -> bytes:
    with Store(store) as s:
        out = io.BytesIO()
        s.export(out, "nquads")
    return b"".join(sorted(out.getvalue().splitlines(keepends=True)))


def _ingest(store: pathlib.Path, *paths: pathlib.Path, workers: int = 1,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*mawqif_command(), "ingest", "--workers", str(workers), "--store", str(store),
                           *map(str, paths)], capture_output=True, text=True, timeout=120,
                          env={**_env(), **(env or {})})


@pytest.fixture(scope="module")
def crash_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[pathlib.Path, bytes]:
    """(the corpus, the sorted N-Quads export of a clean ingest)."""
    folder = tmp_path_factory.mktemp("crash")
    src = folder / "corpus.jsonl"
    _write_corpus(src, CORPUS_SIZE, seed=11)
    p = _ingest(folder / "clean", src)
    assert p.returncode == 0, p.stderr
    return src, _sorted_export(folder / "clean")


# ------------------------------------------------------------------------------------------ crash

def _uncommitted_graphs(store: pathlib.Path) -> int:
    """Article graphs without their commit record, as the crash left them (before recovery)."""
    raw = ox.Store(str(store))
    try:
        n = 0
        for g in raw.named_graphs():
            if isinstance(g, ox.NamedNode) and g.value.startswith(ARTICLE_PREFIX):
                if ox.Quad(g, terms.RDF_TYPE, terms.MQ_ARTICLE, g) not in raw:
                    n += 1
        return n
    finally:
        del raw


def _whole_or_absent(store: pathlib.Path, reference: dict[str, list[str]], articles: set[str]) -> set[str]:
    """Open the store for writing (which recovers it) and check that every article in it is exactly what
    a clean ingest stores, and that no other graph holds anything a clean ingest lacks; the articles
    present."""
    with Store(store) as s:   # opening for writing recovers, the edge index too
        out = io.BytesIO()
        s.export(out, "nquads")
        assert s.edge_index.is_sound()
        index = sorted(map(str, s.oxigraph.quads_for_pattern(None, None, None, s.edge_index.graph)))
        s.edge_index.rebuild()
        assert sorted(map(str, s.oxigraph.quads_for_pattern(None, None, None, s.edge_index.graph))) == index, \
            "the edge index differs from counting the stances"
    assert not list(store.glob("bulk-*")), "the files of the interrupted bulk load are left behind"
    graphs = _by_graph(out.getvalue())
    present = {g for g in graphs if g.startswith(ARTICLE_PREFIX)}
    assert present <= articles
    for g in present:
        assert graphs[g] == reference[g], f"article {g} is stored partially or differently"
    for g, lines in graphs.items():   # entity descriptions: never anything a clean ingest lacks
        if g not in present:
            assert set(lines) <= set(reference.get(g, [])), g
    return present


def _kill_ingest(store: pathlib.Path, src: pathlib.Path, workers: int, rng: random.Random,
                 mid_load: bool) -> bool:
    """Start an ingest and SIGKILL it (and its workers) at a random point, found by watching the store
    folder (so that it does not depend on the machine's speed): while the k-th bulk load of the run
    writes its files, or a random moment after it is done (extracting the next batch, or committing).
    True if the ingest was still running when killed."""
    p = subprocess.Popen([*mawqif_command(), "ingest", "-q", "--workers", str(workers), "--store", str(store),
                          str(src)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(),
                         start_new_session=True)
    try:
        nth = rng.randint(1, 2)
        delay = rng.uniform(0, 0.02) if mid_load else rng.choice([0.0, rng.uniform(0, 0.4)])
        started = ended = 0
        loading = False
        deadline = time.monotonic() + 60
        while p.poll() is None and time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                now = any(n.startswith("bulk-") for n in os.listdir(store))
                started += now and not loading
                ended += loading and not now
                loading = now
            if (started if mid_load else ended) >= nth:
                time.sleep(delay)
                break
            time.sleep(0.0005)
        running = p.poll() is None
        p.send_signal(signal.SIGKILL)
        return running
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGKILL)   # the extraction workers of --workers 2
        p.wait(timeout=30)


@pytest.mark.parametrize("workers,seed", [(1, 1), (2, 2)])
def test_sigkill_during_ingest_leaves_whole_articles_and_reingest_completes(
        tmp_path: pathlib.Path, crash_corpus: tuple[pathlib.Path, bytes], workers: int, seed: int) -> None:
    src, clean = crash_corpus
    reference = _by_graph(clean)
    articles = {g for g in reference if g.startswith(ARTICLE_PREFIX)}
    assert len(articles) == CORPUS_SIZE
    store = tmp_path / "store"
    rng = random.Random(seed)
    partial_seen = 0
    for attempt in range(6):   # crashes in a row, each ingest resuming the last
        if attempt >= 3 and partial_seen:
            break
        killed = _kill_ingest(store, src, workers, rng, mid_load=attempt % 2 == 1)
        uncommitted = _uncommitted_graphs(store) if store.exists() else 0
        present = _whole_or_absent(store, reference, articles)
        partial_seen += killed and 0 < len(present) < len(articles)
        print(f"workers={workers}: killed={killed} present={len(present)} uncommitted={uncommitted}")
    assert partial_seen >= 1, "no kill landed in the middle of an ingest"
    p = _ingest(store, src, workers=workers)
    assert p.returncode == 0, p.stderr
    assert _sorted_export(store) == clean


# ------------------------------------------------------------------------------ crash of a server

#: The corpus posted to the server: 400 articles, in JSON Lines requests of 25 from two clients at once.
SERVER_CORPUS_SIZE = 400
POST_BATCH = 25
TOKEN = "fault-token"


@pytest.fixture(scope="module")
def server_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], bytes]:
    """(the corpus as JSON Lines, the sorted N-Quads export of a clean ``mawqif ingest`` of it)."""
    folder = tmp_path_factory.mktemp("server-crash")
    src = folder / "corpus.jsonl"
    lines = _write_corpus(src, SERVER_CORPUS_SIZE, seed=12)
    p = _ingest(folder / "clean", src)
    assert p.returncode == 0, p.stderr
    return lines, _sorted_export(folder / "clean")


@contextlib.contextmanager
def _server(store: pathlib.Path, env: dict[str, str] | None = None) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``mawqif serve`` with a token on a random loopback port, in a process group of its own (with its
    query workers); the caller stops or kills it, and whatever is left of the group is killed."""
    from tests.test_server_helpers import free_port

    port = free_port()
    p = subprocess.Popen([*mawqif_command(), "serve", "--store", str(store), "--port", str(port), "--workers", "2"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                         env={**_env(), "MAWQIF_TOKEN": TOKEN, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert p.poll() is None, "the server did not start"
            try:
                with urllib.request.urlopen(url + "/sparql", timeout=2):
                    break
            except urllib.error.HTTPError:
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start in 60 s"
                time.sleep(0.1)
        yield p, url
    finally:
        if p.poll() is None:
            p.kill()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGKILL)   # its query workers
        p.wait(timeout=30)


def _post_lines(url: str, lines: list[str], answered: list[int], stop: threading.Event) -> None:
    """POST the lines as JSON Lines requests of POST_BATCH, one after the other, until one fails;
    ``answered`` gets the number of articles each answer stored (the others were stored unchanged)."""
    for i in range(0, len(lines), POST_BATCH):
        if stop.is_set():
            return
        req = urllib.request.Request(url + "/api/articles", data="\n".join(lines[i:i + POST_BATCH]).encode(),
                                     method="POST", headers={"Authorization": f"Bearer {TOKEN}",
                                                             "Content-Type": "application/x-ndjson"})
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                doc = json.loads(r.read())
        except (OSError, http.client.HTTPException):
            return   # the server is gone
        if doc.get("ok") and doc["stored"] + doc["unchanged"] == len(lines[i:i + POST_BATCH]):
            answered.append(doc["stored"])


def _kill_server_posting(store: pathlib.Path, lines: list[str], rng: random.Random, mode: str) -> bool:
    """Start a server, have two clients post the corpus to it, and SIGKILL the server at a random point
    found by watching it (so that it does not depend on the machine's speed): ``"loading"``, while
    the k-th bulk load writes its files; ``"loaded"``, the moment the k-th bulk load has moved its
    files into the store (its articles are in, their commit records not yet); ``"answered"``, a random
    moment after the k-th answer that stored articles (extracting, writing or committing the next
    requests). True if requests were still being answered when it was killed.

    In the first two modes every write is a bulk load (``$MAWQIF_TRANSACTION_BYTES=0``); otherwise a
    request's articles are written in one transaction (they are small) and the kill lands around it."""
    env = {"MAWQIF_TRANSACTION_BYTES": "0"} if mode in ("loading", "loaded") else {}
    with _server(store, env) as (p, url):
        answered: list[int] = []
        stop = threading.Event()
        posters = [threading.Thread(target=_post_lines, args=(url, lines[k::2], answered, stop), daemon=True)
                   for k in range(2)]
        for t in posters:
            t.start()
        nth = rng.randint(1, 4)
        delay = {"loading": rng.uniform(0, 0.005), "loaded": 0.0, "answered": rng.uniform(0, 0.5)}[mode]
        started = ended = 0
        loading = False
        deadline = time.monotonic() + 120
        while any(t.is_alive() for t in posters) and time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                now = any(n.startswith("bulk-") for n in os.listdir(store))
                started += now and not loading
                ended += loading and not now
                loading = now
            seen = {"loading": started, "loaded": ended, "answered": sum(1 for n in answered if n)}[mode]
            if seen >= nth:
                time.sleep(delay)
                break
            time.sleep(0.0002)
        running = any(t.is_alive() for t in posters)
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=30)
        stop.set()
        for t in posters:
            t.join(60)
        print(f"server killed ({mode}, k={nth}) after {len(answered)} answers, running={running}")
        return running


def test_sigkill_of_the_server_during_post_articles_leaves_whole_articles_and_posting_again_completes(
        tmp_path: pathlib.Path, server_corpus: tuple[list[str], bytes]) -> None:
    lines, clean = server_corpus
    reference = _by_graph(clean)
    articles = {g for g in reference if g.startswith(ARTICLE_PREFIX)}
    assert len(articles) == SERVER_CORPUS_SIZE
    store = tmp_path / "store"
    with Store(store):
        pass
    rng = random.Random(7)
    partial_seen = 0
    for attempt in range(6):   # kills in a row, each server resuming the store the last one left
        killed = _kill_server_posting(store, lines, rng, ("loading", "loaded", "answered")[attempt % 3])
        uncommitted = _uncommitted_graphs(store)
        present = _whole_or_absent(store, reference, articles)
        partial_seen += killed and 0 < len(present) < len(articles)
        print(f"present={len(present)} uncommitted before recovery={uncommitted}")
    assert partial_seen >= 1, "no kill landed in the middle of the posts"
    with _server(store) as (p, url):   # posting everything again completes the set
        answered: list[int] = []
        _post_lines(url, lines, answered, threading.Event())
        assert len(answered) == len(range(0, len(lines), POST_BATCH))
        p.send_signal(signal.SIGTERM)
        assert p.wait(timeout=60) == 0
    assert _sorted_export(store) == clean


# ------------------------------------------------------------------------------------ determinism

def test_twice_other_order_and_two_workers_give_the_same_export(tmp_path: pathlib.Path) -> None:
    lines = _write_corpus(tmp_path / "a.jsonl", 300, seed=3)
    rng = random.Random(4)
    shuffled = lines[:]
    rng.shuffle(shuffled)
    (tmp_path / "b.jsonl").write_text("\n".join(shuffled) + "\n", encoding="utf-8")
    runs = {"once": ["a.jsonl"], "twice": ["a.jsonl", "a.jsonl"], "other order": ["b.jsonl"]}
    exports = {}
    for name, files in runs.items():
        for f in files:
            assert _ingest(tmp_path / name, tmp_path / f).returncode == 0
        exports[name] = _sorted_export(tmp_path / name)
    assert _ingest(tmp_path / "w2", tmp_path / "b.jsonl", workers=2).returncode == 0
    exports["workers 2"] = _sorted_export(tmp_path / "w2")
    assert len({*exports.values()}) == 1, {k: len(v) for k, v in exports.items()}
    assert b"endedAtTime" not in exports["once"]   # no wall-clock time unless asked for


def test_extraction_time_only_when_asked(tmp_path: pathlib.Path) -> None:
    _write_corpus(tmp_path / "a.jsonl", 5, seed=3)
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    assert _ingest(tmp_path / "e1", tmp_path / "a.jsonl", env=env).returncode == 0
    assert _ingest(tmp_path / "e2", tmp_path / "a.jsonl", workers=2, env=env).returncode == 0
    fixed = _sorted_export(tmp_path / "e1")
    assert fixed == _sorted_export(tmp_path / "e2")
    assert fixed.count(b'endedAtTime> "2026-01-01T00:00:00Z"') == 5
    p = subprocess.run([*mawqif_command(), "ingest", "--record-time", "--store", str(tmp_path / "r"),
                        str(tmp_path / "a.jsonl")], capture_output=True, text=True, env=_env(), timeout=60)
    assert p.returncode == 0, p.stderr
    assert _sorted_export(tmp_path / "r").count(b"endedAtTime") == 5
    p = _ingest(tmp_path / "bad", tmp_path / "a.jsonl", env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert p.returncode == 1 and "SOURCE_DATE_EPOCH" in p.stderr and "Traceback" not in p.stderr


# ----------------------------------------------------------------------------- store unavailable

def _whole_articles_only(store: pathlib.Path) -> int:
    """Open the store (recovering) and check every article graph has its commit record; their count."""
    with Store(store) as s:
        n = 0
        for g in s.oxigraph.named_graphs():
            if isinstance(g, ox.NamedNode) and g.value.startswith(ARTICLE_PREFIX):
                assert ox.Quad(g, terms.RDF_TYPE, terms.MQ_ARTICLE, g) in s.oxigraph
                n += 1
        assert s.stats().articles == n
        return n


def test_store_held_by_another_process(tmp_path: pathlib.Path) -> None:
    _write_corpus(tmp_path / "a.jsonl", 3, seed=3)
    store = tmp_path / "held"
    with Store(store, command="a test"):
        p = _ingest(store, tmp_path / "a.jsonl")
        assert p.returncode == 1
        assert f"the store {store} is in use by process {os.getpid()} (a test)" in p.stderr
        assert "Traceback" not in p.stderr
    assert _whole_articles_only(store) == 0


@contextlib.contextmanager
def _tmpfs(size: str) -> Iterator[pathlib.Path]:
    folder = pathlib.Path(tempfile.mkdtemp(prefix="mawqif-full-"))
    try:
        if os.geteuid() != 0 or not shutil.which("mount"):
            pytest.skip("mounting a small tmpfs needs root")
        p = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                           capture_output=True, text=True)
        if p.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {p.stderr.strip()}")
        try:
            yield folder
        finally:
            subprocess.run(["umount", "-l", str(folder)], check=False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_disk_full(tmp_path: pathlib.Path) -> None:
    lines = _write_corpus(tmp_path / "all.jsonl", 1200, seed=8)
    parts = []
    for i in range(0, len(lines), 100):
        part = tmp_path / f"part{i // 100:02}.jsonl"
        part.write_text("\n".join(lines[i:i + 100]) + "\n", encoding="utf-8")
        parts.append(part)
    with _tmpfs("4M") as disk:
        store = disk / "store"
        failed = None
        stored = 0
        for part in parts:   # until the disk is full
            p = _ingest(store, part)
            if p.returncode != 0:
                failed = p
                break
            stored += 100
        assert failed is not None, "the disk never filled"
        assert stored > 0
        assert failed.returncode == 1 and "Traceback" not in failed.stderr, failed.stderr
        assert f"writing to the store {store} failed (the disk is full" in failed.stderr \
            or f"cannot open the store {store} (the disk is full" in failed.stderr, failed.stderr
        subprocess.run(["mount", "-o", "remount,size=64M", str(disk)], check=True)
        assert _whole_articles_only(store) >= stored
        p = _ingest(store, *parts)   # with room again, ingesting again completes the set
        assert p.returncode == 0, p.stderr
        assert _whole_articles_only(store) == len(lines)


def _without_dac_override() -> list[str]:
    """A command prefix that runs a process as root without the capabilities that let root ignore
    permission bits (so a read-only folder is read-only to it, as to any user)."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0:
        return []
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a folder unwritable")
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner,-linux_immutable", "--"]
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot drop capabilities here")
    return prefix


def test_unwritable_store(tmp_path: pathlib.Path) -> None:
    prefix = _without_dac_override()
    _write_corpus(tmp_path / "a.jsonl", 20, seed=3)
    existing = tmp_path / "existing"
    assert _ingest(existing, tmp_path / "a.jsonl").returncode == 0
    before = _sorted_export(existing)
    locked_dir = tmp_path / "ro"
    locked_dir.mkdir()
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"url": "https://example.org/new", "lang": "en",
                    "text": "France condemned the attack on Syria."}) + "\n", encoding="utf-8")
    for path in (existing, locked_dir, locked_dir / "new-store"):
        for p in (existing, locked_dir):
            for f in [p, *p.rglob("*")]:
                f.chmod(0o555 if f.is_dir() else 0o444)
        try:
            p = subprocess.run([*prefix, *mawqif_command(), "ingest", "--store", str(path), str(tmp_path / "b.jsonl")],
                               capture_output=True, text=True, env=_env(), timeout=60)
        finally:
            for q in (existing, locked_dir):
                for f in [q, *q.rglob("*")]:
                    f.chmod(0o755 if f.is_dir() else 0o644)
        assert p.returncode == 1, p.stderr
        assert f"cannot open the store {path}" in p.stderr and "Traceback" not in p.stderr, p.stderr
        assert "not writable" in p.stderr or "ermission denied" in p.stderr, p.stderr
    assert _sorted_export(existing) == before
    # a store path whose parent is a file
    (tmp_path / "file").write_text("x", encoding="utf-8")
    p = _ingest(tmp_path / "file" / "store", tmp_path / "b.jsonl")
    assert p.returncode == 1 and f"cannot open the store {tmp_path / 'file' / 'store'}" in p.stderr

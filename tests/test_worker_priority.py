"""A query that uses much CPU drops its worker to the lowest priority, so that the other queries go
first; the worker gets its priority back afterwards (or, without the privilege to raise it, is
replaced by a fresh one)."""
from __future__ import annotations

import os
import pathlib
import threading
import time
from collections.abc import Iterator

import pytest

from graph_builder import terms
from graph_builder.ingest import ingest
from graph_builder.loaders import article_from_record
from graph_builder.samples import sample_records
from graph_builder.store import Store
from server import executor
from server.executor import ROWS, QueryJob, QueryTimeoutError, WorkerPool

pytestmark = pytest.mark.skipif(not pathlib.Path("/proc/self/stat").exists(), reason="needs Linux /proc")

#: Millions of rows counted: a few seconds of CPU at most.
LONG = "SELECT (COUNT(*) AS ?n) WHERE { { SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 3000000 } }"
#: A cross product no time limit lets finish.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture
def pool(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WorkerPool]:
    monkeypatch.setattr(executor, "DEMOTE_AFTER_CPU_SECONDS", 0.3)
    store = Store(tmp_path / "store")
    ingest(store, [article_from_record(r, source="samples") for r in sample_records()])
    store.close()
    p = WorkerPool(tmp_path / "store", terms.PREFIXES, size=1, timeout=6)
    try:
        yield p
    finally:
        p.close()


def _niceness(pid: int) -> int:
    return os.getpriority(os.PRIO_PROCESS, pid)


def test_a_long_query_is_demoted_and_its_worker_restored_after(pool: WorkerPool) -> None:
    pool.run(QueryJob(query="ASK {}", result_media=ROWS))   # the worker is up, with a view
    (worker,) = pool.worker_pids()
    normal = _niceness(worker)
    assert normal == min(19, _niceness(0) + executor.WORKER_NICENESS)
    answer = pool.run(QueryJob(query=LONG, result_media=ROWS))
    assert answer.rows is not None and int(answer.rows[1][0][0][1]) > 0
    assert pool.demoted == 1
    # it has its priority again, or was replaced by a fresh worker at the usual one
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(pool.worker_pids()) != 1:
        time.sleep(0.1)
    quick = pool.run(QueryJob(query="ASK { ?s ?p ?o }", result_media=ROWS))
    assert quick.rows is not None and pool.demoted == 1   # a quick query is left alone
    (after,) = pool.worker_pids()
    assert _niceness(after) == normal


def test_a_runaway_query_runs_at_the_lowest_priority_until_it_is_stopped(pool: WorkerPool) -> None:
    pool.run(QueryJob(query="ASK {}", result_media=ROWS))
    (worker,) = pool.worker_pids()
    seen: list[int] = []

    def watch() -> None:   # the worker's priority while the runaway query runs
        time.sleep(2)
        seen.append(_niceness(worker))

    t = threading.Thread(target=watch)
    t.start()
    with pytest.raises(QueryTimeoutError):
        pool.run(QueryJob(query=ENDLESS, result_media=ROWS))
    t.join()
    assert seen == [executor.LOWEST_PRIORITY]


def test_without_the_privilege_to_raise_it_a_demoted_worker_is_replaced(pool: WorkerPool,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.setpriority

    def unprivileged(which: int, who: int, priority: int) -> None:   # as for a server not run as root
        if priority < os.getpriority(which, who):
            raise PermissionError(1, "Operation not permitted")
        real(which, who, priority)

    monkeypatch.setattr(os, "setpriority", unprivileged)
    pool.run(QueryJob(query="ASK {}", result_media=ROWS))
    (worker,) = pool.worker_pids()
    normal = _niceness(worker)
    answer = pool.run(QueryJob(query=LONG, result_media=ROWS))
    assert answer.rows is not None and pool.demoted == 1
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and pool.worker_pids() in ([], [worker]):
        time.sleep(0.1)
    assert pool.run(QueryJob(query="ASK { ?s ?p ?o }", result_media=ROWS)).rows is not None   # (it is up)
    (fresh,) = pool.worker_pids()
    assert fresh != worker and _niceness(fresh) == normal

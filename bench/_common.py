"""Shared by the benchmarks: the machine, timed commands with peak memory, corpora, the report file."""
from __future__ import annotations

import os
import pathlib
import platform
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass

REPO = pathlib.Path(__file__).resolve().parents[1]
BENCHMARKS_MD = REPO / "docs" / "BENCHMARKS.md"
DATA = pathlib.Path(os.environ.get("MAWQIF_BENCH_DATA", "/tmp/mawqif-bench"))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.findall(r"MemTotal:\s+(\d+)", pathlib.Path("/proc/meminfo").read_text())[0])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, IndexError):
        pass
    import pyoxigraph

    load = ""
    if hasattr(os, "getloadavg"):
        load = (f"; load average {os.getloadavg()[0]:.1f} when written (other work on the machine "
                "slows every figure; the ratios are taken within one run)")
    return (f"{os.cpu_count()} × {cpu}{mem}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; pyoxigraph {pyoxigraph.__version__}{load}")


def tool(name: str) -> str:
    for folder in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable)):
        exe = os.path.join(folder, name)
        if os.path.exists(exe):
            return exe
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: pip install -e '.[bench]'")
    return found


def mawqif() -> list[str]:
    return [tool("mawqif")]


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float       #: the largest sum of RSS over the process and its children
    stdout: str
    stderr: str


def run(cmd: list[str], *, env: dict[str, str] | None = None, timeout: float = 3600) -> Run:
    """Run a command; wall time and peak RSS of its whole process tree (sampled every 50 ms)."""
    import psutil

    full_env = {**os.environ, **(env or {})}
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env)
    peak = 0
    proc = psutil.Process(p.pid)
    out_parts: list[bytes] = []
    import threading

    def drain(stream: object, sink: list[bytes]) -> None:
        for chunk in iter(lambda: stream.read(65536), b""):  # type: ignore[attr-defined]
            sink.append(chunk)

    err_parts: list[bytes] = []
    threads = [threading.Thread(target=drain, args=(p.stdout, out_parts)),
               threading.Thread(target=drain, args=(p.stderr, err_parts))]
    for t in threads:
        t.start()
    while p.poll() is None:
        try:
            total = proc.memory_info().rss
            for c in proc.children(recursive=True):
                try:
                    total += c.memory_info().rss
                except psutil.Error:
                    pass
            peak = max(peak, total)
        except psutil.Error:
            pass
        if time.perf_counter() - t0 > timeout:
            p.kill()
            raise SystemExit(f"timed out: {' '.join(cmd)}")
        time.sleep(0.05)
    seconds = time.perf_counter() - t0
    for t in threads:
        t.join()
    out, err = b"".join(out_parts).decode(errors="replace"), b"".join(err_parts).decode(errors="replace")
    if p.returncode != 0:
        raise SystemExit(f"failed ({p.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    return Run(seconds, peak / 1024 / 1024, out, err)


def corpus_file(count: int, *, seed: int = 7, target_bytes: int = 3000) -> pathlib.Path:
    """A synthetic corpus (cached in $MAWQIF_BENCH_DATA, default /tmp/mawqif-bench)."""
    sys.path.insert(0, str(REPO))
    from bench.synthetic import write_corpus

    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"corpus-{count}-{seed}-{target_bytes}.jsonl"
    if not path.exists():
        write_corpus(str(path), count, seed, target_bytes)
    return path


def fresh(name: str) -> pathlib.Path:
    path = DATA / name
    shutil.rmtree(path, ignore_errors=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def size_mb(path: pathlib.Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1024 / 1024
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1024 / 1024


def table(headers: list[str], rows: list[list[object]]) -> str:
    cells = [[str(c) for c in r] for r in rows]
    rule = "|" + "|".join("---:" if i else "---" for i in range(len(headers))) + "|"
    lines = ["| " + " | ".join(headers) + " |", rule]
    lines += ["| " + " | ".join(r) + " |" for r in cells]
    return "\n".join(lines)


SECTION = "Scale and speed (issue 6)"


def write_section(key: str, title: str, body: str) -> None:
    """Replace (or add) this benchmark's block inside the scale-and-speed section of docs/BENCHMARKS.md."""
    begin, end = f"<!-- bench:{key} -->", f"<!-- /bench:{key} -->"
    block = f"{begin}\n### {title}\n\n{body.strip()}\n{end}"
    text = BENCHMARKS_MD.read_text(encoding="utf-8") if BENCHMARKS_MD.exists() else "# Benchmarks\n"
    sec_begin, sec_end = "<!-- section:scale -->", "<!-- /section:scale -->"
    if sec_begin not in text:
        text = text.rstrip("\n") + f"\n\n{sec_begin}\n## {SECTION}\n\n{sec_end}\n"
    head, rest = text.split(sec_begin, 1)
    inner, tail = rest.split(sec_end, 1)
    if begin in inner:
        pre, post = inner.split(begin, 1)
        inner = pre + block + post.split(end, 1)[1]
    else:
        inner = inner.rstrip("\n") + "\n\n" + block + "\n"
    BENCHMARKS_MD.parent.mkdir(parents=True, exist_ok=True)
    BENCHMARKS_MD.write_text(head + sec_begin + inner + sec_end + tail, encoding="utf-8")


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(port: int, path: str, proc: subprocess.Popen[bytes], limit: float = 120) -> None:
    """Wait until a server started as ``proc`` answers ``GET path`` on the port."""
    import http.client

    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.returncode}")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", path)
            c.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not start")

"""Shared fixtures: a real on-disk store, the real ``mawqif`` command, and ``../shared`` (skipped when absent)."""
from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest

from graph_builder.store import Store
from tests.explorer_server import explorer_server  # noqa: F401  (a session fixture: one live server)

REPO = pathlib.Path(__file__).resolve().parents[1]
#: Debian's Chromium, installed by .ci/run; the browser tests skip without it (never a downloaded browser).
CHROMIUM = pathlib.Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"]
SHARED = REPO.parent / "shared"


@pytest.fixture
def shared() -> pathlib.Path:
    """The project's shared measuring kit beside the checkout; tests that need it skip without it."""
    if not (SHARED / "corpus" / "dev" / "articles.jsonl").exists():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


@pytest.fixture
def store(tmp_path: pathlib.Path) -> Iterator[Store]:
    s = Store(tmp_path / "store")
    yield s
    s.close()


def mawqif_command() -> list[str]:
    exe = shutil.which("mawqif")
    return [exe] if exe else [sys.executable, "-m", "graph_builder"]


@pytest.fixture
def mawqif(tmp_path: pathlib.Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the real ``mawqif`` entry point in a subprocess (cwd: a temporary folder)."""

    def run(*args: str, input: str | None = None, check: bool = False,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        full_env = {k: v for k, v in os.environ.items() if k != "MAWQIF_STORE"}
        full_env.update(env or {})
        p = subprocess.run([*mawqif_command(), *args], capture_output=True, text=True, input=input,
                           cwd=tmp_path, env=full_env, timeout=120)
        if check and p.returncode != 0:
            raise AssertionError(f"mawqif {' '.join(args)} failed ({p.returncode}):\n{p.stderr}")
        return p

    return run


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Chromium driven by Playwright, one per test module."""
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()

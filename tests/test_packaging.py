"""Packaging: the wheel carries every data file, and the repository keeps the design card's layout."""
from __future__ import annotations

import pathlib
import subprocess
import sys
import zipfile

import pytest
import tomllib

REPO = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(REPO)],
                   check=True, capture_output=True)
    (whl,) = out.glob("mawqif-*.whl")
    return zipfile.ZipFile(whl)


def test_wheel_has_data_files(wheel):
    names = set(wheel.namelist())
    expected = {
        "ontology/mawqif.ttl", "ontology/shapes.ttl",
        "graph_builder/samples/articles.jsonl",
        "server/templates/query.html", "server/explorer/templates/explorer/index.html",
        "server/explorer/static/explorer.js",
    }
    expected |= {f"queries/{p.name}" for p in (REPO / "queries").glob("*.rq")}
    data = REPO / "graph_builder/gazetteer/data"
    expected |= {f"graph_builder/gazetteer/data/{p.name}" for p in data.glob("*.json")}
    assert expected <= names, expected - names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "mawqif = graph_builder.cli:main" in wheel.read(entry_points).decode()


def test_top_level_layout():
    allowed = {"graph_builder", "ontology", "queries", "server", "tests", "pyproject.toml", "README.md",
               ".ci", "docs", "bench"}
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True)
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    tops = {line.split("/", 1)[0] for line in tracked.stdout.splitlines()} - {".gitignore"}
    assert tops <= allowed, tops - allowed


def test_licence_and_pins():
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta["license"] == "Apache-2.0"
    deps = " ".join(meta["dependencies"])
    for pin in ("pyoxigraph>=0.5,<0.6", "rdflib>=7,<8", "flask>=3,<4"):
        assert pin in deps
    assert "test" in meta["optional-dependencies"]

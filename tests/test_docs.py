"""Docs are checked: every docstring example runs, and the README documents every command it shows."""
from __future__ import annotations

import doctest
import importlib
import pathlib
import re

import pytest

from graph_builder.cli import build_parser

REPO = pathlib.Path(__file__).resolve().parents[1]
MODULES = sorted(
    ".".join(p.relative_to(REPO).with_suffix("").parts)
    for pkg in ("graph_builder", "server", "queries", "ontology")
    for p in (REPO / pkg).rglob("*.py")
    if p.name != "__main__.py" and "build_states" not in p.name
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str):
    module = importlib.import_module(name.removesuffix(".__init__"))
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_readme_commands_exist():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    used = set(re.findall(r"^\$ mawqif (\w+)", readme, flags=re.M))
    assert used, "the README shows no session"
    assert used <= commands
    for contract_command in ("ingest", "query", "export", "serve"):
        assert f"mawqif {contract_command}" in readme


def test_readme_session_is_real(mawqif, tmp_path):
    """The README's session, re-run: the same statement gives the same query answer."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    statement = re.search(r"```text\n(.*?)```", readme, flags=re.S).group(1)  # type: ignore[union-attr]
    session = re.search(r"```console\n(.*?)```", readme, flags=re.S).group(1)  # type: ignore[union-attr]
    query_line = next(line for line in session.splitlines() if line.startswith("$ mawqif query"))
    query = re.search(r"'(.*)'$", query_line).group(1)  # type: ignore[union-attr]
    shown = session.split(query_line + "\n", 1)[1].split("\n$ ", 1)[0].strip().splitlines()
    (tmp_path / "statement.txt").write_text(statement, encoding="utf-8")
    store = str(tmp_path / "s")
    ingest = mawqif("ingest", "--store", store, str(tmp_path / "statement.txt"), check=True)
    shown_summary = next(line for line in session.splitlines() if line.startswith("ingested"))
    assert ingest.stderr.split(" in ")[0] == shown_summary.split(" in ")[0]
    out = mawqif("query", "--store", store, "--format", "csv", query, check=True).stdout
    assert sorted(out.strip().splitlines()[1:]) == sorted(shown[1:])


def test_reliability_doc_names_real_tests():
    """docs/RELIABILITY.md: every test it cites as proof exists in tests/ (and every test file)."""
    root = pathlib.Path(__file__).resolve().parents[1]
    doc = (root / "docs" / "RELIABILITY.md").read_text(encoding="utf-8")
    defined = {m for f in (root / "tests").glob("test_*.py")
               for m in re.findall(r"^def (test_\w+)", f.read_text(encoding="utf-8"), re.M)}
    cited = set(re.findall(r"\b(test_\w+)\b", doc))
    files = {c for c in cited if (root / "tests" / f"{c}.py").exists()}
    missing = sorted(cited - defined - files)
    assert not missing, f"docs/RELIABILITY.md cites tests that do not exist: {missing}"
    assert len(cited - files) >= 20

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

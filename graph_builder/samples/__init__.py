"""Sample articles bundled with mawqif (for ``mawqif demo`` and the tests).

The articles are fictional but plausible diplomatic statements written for this project
(five Arabic, three English). ``expected.json`` holds, for each article, what a careful analyst
would extract from it, in the gold format of the evaluation guideline.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["SAMPLES_PATH", "EXPECTED_PATH", "sample_records", "expected_records"]

#: The bundled articles, one JSON object a line (id, url, title, published, lang, source, text).
SAMPLES_PATH: Path = Path(__file__).with_name("articles.jsonl")
#: The analyst's extraction for every sample article (a JSON list of gold records).
EXPECTED_PATH: Path = Path(__file__).with_name("expected.json")


def sample_records() -> list[dict[str, Any]]:
    """The sample articles as dictionaries, in file order."""
    records: list[dict[str, Any]] = []
    with SAMPLES_PATH.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                records.append(json.loads(line))
    return records


def expected_records() -> dict[str, dict[str, Any]]:
    """The gold record of each sample article, keyed by article id."""
    with EXPECTED_PATH.open(encoding="utf-8") as fh:
        data: list[dict[str, Any]] = json.load(fh)
    return {record["id"]: record for record in data}

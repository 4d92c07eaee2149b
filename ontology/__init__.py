"""The mawqif ontology and SHACL shapes, bundled as Turtle files next to this module.

``ONTOLOGY_PATH`` is the OWL ontology (``mq:`` = ``https://w3id.org/mawqif/ontology#``);
``SHAPES_PATH`` holds the SHACL shapes that mawqif data must satisfy.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["ONTOLOGY_PATH", "SHAPES_PATH"]

_HERE = Path(__file__).resolve().parent

#: The OWL ontology in Turtle.
ONTOLOGY_PATH: Path = _HERE / "mawqif.ttl"
#: The SHACL shapes in Turtle.
SHAPES_PATH: Path = _HERE / "shapes.ttl"

"""The project's one exception root, and its children by meaning.

Every error mawqif raises on purpose is a :class:`MawqifError`. The boundaries (the CLI and the
HTTP app) convert it once: the CLI prints ``mawqif: <message>`` to stderr and exits non-zero; the
HTTP app answers ``{"ok": false, "status": N, "error": "<message>"}``.
"""
from __future__ import annotations


class MawqifError(Exception):
    """Root of every error mawqif raises on purpose."""

    #: HTTP status the server answers with for this kind of error.
    status = 500


class InputError(MawqifError, ValueError):
    """Bad input: names the file (or stream), the line when known, and the field when known.

    >>> str(InputError("not valid JSON", source="a.jsonl", line=3))
    'a.jsonl:3: not valid JSON'
    >>> str(InputError("must be YYYY-MM-DD", source="a.jsonl", line=2, field="published"))
    "a.jsonl:2: field 'published': must be YYYY-MM-DD"
    """

    status = 400

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.source is not None:
            where = self.source if self.line is None else f"{self.source}:{self.line}"
            where += ": "
        what = f"field {self.field!r}: " if self.field else ""
        return f"{where}{what}{self.message}"


class UnsupportedLanguageError(InputError):
    """The article is in a language mawqif does not read (only Arabic and English)."""


class QueryError(MawqifError, ValueError):
    """A SPARQL query or update that does not parse or cannot run."""

    status = 400


class StoreError(MawqifError, OSError):
    """The store cannot be opened, read or written."""

    status = 503


class StoreLockedError(StoreError):
    """The on-disk store is held for writing by another process."""

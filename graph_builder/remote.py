"""Ingest through a running ``mawqif serve`` (``mawqif ingest --server URL``).

The articles are read and checked here (so bad input is reported with its file and line as in a
local ingest), then sent in batches as JSON Lines to ``POST /api/articles`` with the server's
token; the server extracts and stores them and answers with what it stored.
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable

from graph_builder.errors import InputError, MawqifError, StoreError
from graph_builder.ingest import IngestReport
from graph_builder.model import Article

#: Articles sent in one request.
BATCH_SIZE = 50


def article_record(a: Article) -> dict[str, str]:
    """The JSON record of an article, in the fields ``mawqif ingest`` reads."""
    record = {"id": a.id, "url": a.url, "title": a.title, "published": a.published, "lang": a.lang,
              "source": a.source, "text": a.text}
    return {k: v for k, v in record.items() if v is not None}


def post_articles(url: str, articles: list[Article], token: str | None, *, timeout: float = 300) -> dict:
    """POST one batch; returns the server's JSON answer (raises MawqifError on failure)."""
    body = "\n".join(json.dumps(article_record(a), ensure_ascii=False) for a in articles).encode("utf-8")
    headers = {"Content-Type": "application/x-ndjson", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url.rstrip("/") + "/api/articles", data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            answer: dict = json.loads(r.read())
            return answer
    except urllib.error.HTTPError as e:
        try:
            doc = json.loads(e.read())
        except ValueError:
            doc = {}
        message = doc.get("error") or f"HTTP {e.code}"
        if e.code in (401, 403):
            hint = " (give the server's token with --token or $MAWQIF_TOKEN)" if e.code == 401 else ""
            raise MawqifError(f"{url} refused the articles: {message}{hint}") from None
        if e.code == 400 and doc.get("errors"):
            return {"ok": False, "stored": 0, "unchanged": 0, "errors": doc["errors"], "articles": []}
        raise MawqifError(f"{url} answered {e.code}: {message}") from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise StoreError(f"cannot reach the server {url}: {reason}") from None


def ingest_remote(url: str, items: Iterable[Article | InputError], *, token: str | None,
                  batch_size: int = BATCH_SIZE,
                  on_error: Callable[[MawqifError], None] | None = None) -> IngestReport:
    report = IngestReport()
    t0 = time.perf_counter()
    batch: list[Article] = []

    def flush() -> None:
        if not batch:
            return
        answer = post_articles(url, batch, token)
        report.stored += int(answer.get("stored", 0))
        report.unchanged += int(answer.get("unchanged", 0))
        report.stances += sum(len(a.get("stances", [])) for a in answer.get("articles", []))
        for message in answer.get("errors", []):
            err = MawqifError(str(message))
            report.errors.append(err)
            if on_error:
                on_error(err)
        batch.clear()

    for item in items:
        if isinstance(item, MawqifError):
            report.errors.append(item)
            if on_error:
                on_error(item)
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            flush()
    flush()
    report.seconds = time.perf_counter() - t0
    return report

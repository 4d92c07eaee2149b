"""Readable views of an extraction for ``mawqif extract`` (table or JSON); pure."""
from __future__ import annotations

from typing import Any

from graph_builder.model import Extraction, Stance


def _marked(st: Stance, color: bool) -> str:
    """The evidence sentence with the cue marked (⟦…⟧, or bold on a terminal)."""
    s = st.sentence
    a, b = st.cue_start - s.start, st.cue_end - s.start
    left, right = ("\x1b[1;4m", "\x1b[0m") if color else ("⟦", "⟧")
    return s.text[:a] + left + s.text[a:b] + right + s.text[b:]


def extraction_json(x: Extraction) -> dict[str, Any]:
    return {
        "id": x.article.id,
        "url": x.article.url,
        "lang": x.lang,
        "stances": [
            {"holder": st.holder, "type": st.type, "targets": list(st.targets),
             "principles": list(st.principles), "cue": st.cue, "cue_start": st.cue_start,
             "cue_end": st.cue_end, "sentence": st.sentence.text, "sentence_start": st.sentence.start,
             "sentence_end": st.sentence.end, "stated_on": st.stated_on, "confidence": st.confidence,
             "rule": st.rule}
            for st in x.stances
        ],
        "entities": sorted({m.key for m in x.mentions}),
        "memberships": [list(m) for m in x.memberships],
        "founded": [list(f) for f in x.foundings],
        "dates": [{"text": d.text, "value": d.value, "start": d.start, "end": d.end} for d in x.dates],
    }


def extraction_table(x: Extraction, *, color: bool = False) -> str:
    title = x.article.title or x.article.id or x.article.origin
    lines = [f"{title} [{x.lang}] — {len(x.stances)} stances"]
    for i, st in enumerate(x.stances, 1):
        lines.append(f"{i:>3}. {st.holder}  {st.type}  → {', '.join(st.targets)}"
                     + (f"  [{', '.join(st.principles)}]" if st.principles else ""))
        lines.append(f"     {_marked(st, color)}")
    lines.append("entities: " + (", ".join(sorted({m.key for m in x.mentions})) or "—"))
    if x.memberships:
        lines.append("members:  " + ", ".join(f"{s} ∈ {o}" for s, o in x.memberships))
    if x.foundings:
        lines.append("founded:  " + ", ".join(f"{o} {y}" for o, y in x.foundings))
    if x.dates:
        lines.append("dates:    " + ", ".join(f"{d.text} = {d.value}" for d in x.dates))
    return "\n".join(lines)

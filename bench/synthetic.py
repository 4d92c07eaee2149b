"""A seeded, deterministic synthetic corpus of diplomatic news (Arabic and English), as JSON Lines.

The templates are the team's own sentences; holders, targets, stance verbs and dates vary.

    python bench/synthetic.py --count 1000 --seed 7 > corpus.jsonl
    python bench/synthetic.py --count 1M --output corpus-1m.jsonl     # 1k, 10k, 100k, 1M …
    python bench/synthetic.py --sizes 1k,10k,100k,1M --dir bench-data  # corpus-1k.jsonl …

Articles are written one at a time (streamed), so any count fits in memory; the same seed,
count and size always give the same bytes. ``--vary`` makes lengths vary (½× to 2× ``--bytes``).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator

AR_HOLDERS = ["وزارة الخارجية الفرنسية", "الجامعة العربية", "مجلس الأمن الدولي", "موسكو", "الاتحاد الأوروبي",
              "وزير الخارجية المصري", "منظمة التعاون الإسلامي", "الكويت", "تركيا", "الأمم المتحدة"]
AR_TARGETS = ["سوريا", "اليمن", "ليبيا", "العراق", "السودان", "الحوثيين", "غزة", "أوكرانيا", "إيران", "لبنان"]
AR_VERBS = ["أدانت", "رحبت", "دعت", "طالبت", "رفضت", "أكدت دعمها", "أعربت عن قلقها إزاء", "جددت التزامها بوحدة"]
AR_FILLER = ["وجاء ذلك في بيان صدر عقب اجتماع عقد في العاصمة.",
             "وأشار البيان إلى أهمية تنسيق الجهود الإقليمية والدولية.",
             "ونقلت وسائل إعلام محلية تفاصيل الاجتماع الذي استمر عدة ساعات.",
             "وتأتي هذه التصريحات في ظل تطورات متسارعة تشهدها المنطقة."]
AR_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
             "نوفمبر", "ديسمبر"]

EN_HOLDERS = ["The European Union", "France", "The Arab League", "The UN Security Council", "Russia", "Egypt",
              "The African Union", "Germany", "Qatar", "Japan"]
EN_TARGETS = ["Syria", "Yemen", "Libya", "Iraq", "Sudan", "the Houthis", "Ukraine", "Iran", "Lebanon", "Somalia"]
EN_VERBS = ["condemned the attack in", "welcomed the agreement on", "called for a ceasefire in",
            "demanded an inquiry into events in", "rejected the proposal on", "expressed concern about",
            "reaffirmed its commitment to the sovereignty of", "voiced support for"]
EN_FILLER = ["The statement came after a meeting of senior officials in the capital.",
             "Officials said further talks were expected in the coming weeks.",
             "Local media carried details of the meeting, which lasted several hours.",
             "The remarks come amid rapid developments across the region."]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]


def article(rng: random.Random, i: int, target_bytes: int) -> dict[str, str]:
    lang = "ar" if rng.random() < 0.6 else "en"
    year = rng.randint(2015, 2026)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    parts: list[str] = []
    while len("\n".join(parts).encode()) < target_bytes:
        if lang == "ar":
            h, v, t = rng.choice(AR_HOLDERS), rng.choice(AR_VERBS), rng.choice(AR_TARGETS)
            parts.append(f"{v} {h} في {day} {AR_MONTHS[month - 1]} {year} التطورات في {t}.")
            parts.append(rng.choice(AR_FILLER))
        else:
            h, v, t = rng.choice(EN_HOLDERS), rng.choice(EN_VERBS), rng.choice(EN_TARGETS)
            parts.append(f"{h} {v} {t} on {EN_MONTHS[month - 1]} {day}, {year}.")
            parts.append(rng.choice(EN_FILLER))
    return {"id": f"syn-{i}", "url": f"https://example.org/synthetic/{i}", "lang": lang,
            "published": f"{year}-{month:02d}-{day:02d}", "source": "synthetic", "text": " ".join(parts)}


def corpus(count: int, seed: int = 7, target_bytes: int = 3000, vary: bool = False) -> Iterator[dict[str, str]]:
    rng = random.Random(seed)
    for i in range(count):
        size = int(target_bytes * 2 ** rng.uniform(-1, 1)) if vary else target_bytes
        yield article(rng, i, size)


def parse_count(text: str) -> int:
    """``1000``, ``1k``, ``10k``, ``1M`` → a number of articles."""
    t = text.strip().lower().replace("_", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    return int(float(t[:-1] if scale > 1 else t) * scale)


def write_corpus(path: str, count: int, seed: int = 7, target_bytes: int = 3000, vary: bool = False) -> str:
    """Write a corpus as JSON Lines (streamed; written to a temporary name, then renamed)."""
    import os

    tmp = f"{path}.part"
    with open(tmp, "w", encoding="utf-8") as f:
        for a in corpus(count, seed, target_bytes, vary):
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    os.replace(tmp, path)
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=parse_count, default=1000, help="1000, 10k, 1M …")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--bytes", type=int, default=3000, help="approximate size of each article")
    ap.add_argument("--vary", action="store_true", help="vary lengths from ½× to 2× --bytes")
    ap.add_argument("--output", metavar="FILE", help="default: standard output")
    ap.add_argument("--sizes", metavar="LIST", help="several corpora, e.g. 1k,10k,100k,1M (with --dir)")
    ap.add_argument("--dir", default=".", help="folder for --sizes (default: here)")
    args = ap.parse_args()
    if args.sizes:
        import os

        os.makedirs(args.dir, exist_ok=True)
        for name in args.sizes.split(","):
            path = write_corpus(os.path.join(args.dir, f"corpus-{name.strip().lower()}.jsonl"),
                                parse_count(name), args.seed, args.bytes, args.vary)
            print(path, file=sys.stderr)
        return 0
    if args.output:
        write_corpus(args.output, args.count, args.seed, args.bytes, args.vary)
        return 0
    for a in corpus(args.count, args.seed, args.bytes, args.vary):
        sys.stdout.write(json.dumps(a, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

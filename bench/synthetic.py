"""A seeded, deterministic synthetic corpus of diplomatic news (Arabic and English), as JSON Lines.

The templates are the team's own sentences; holders, targets, stance verbs and dates vary.

    python bench/synthetic.py --count 1000 --seed 7 > corpus.jsonl
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


def corpus(count: int, seed: int = 7, target_bytes: int = 3000) -> Iterator[dict[str, str]]:
    rng = random.Random(seed)
    for i in range(count):
        yield article(rng, i, target_bytes)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--bytes", type=int, default=3000, help="approximate size of each article")
    args = ap.parse_args()
    for a in corpus(args.count, args.seed, args.bytes):
        sys.stdout.write(json.dumps(a, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

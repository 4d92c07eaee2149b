"""Regenerate ``data/states.json`` from CLDR (via Babel), pycountry and ``data/states_extra.json``.

    python -m graph_builder.gazetteer.build_states        # needs the ``data`` extra

Babel (CLDR territory names in English and Arabic) and pycountry (ISO 3166-1 alpha-3, official and
common names) are only used here, never at run time (pycountry is LGPL); the generated JSON is
committed. ``states_extra.json`` is kept by hand: Wikidata QIDs, press spellings, demonyms,
capitals and seats of government, for every ISO 3166-1 country plus Kosovo (``XKX``) and a few
historical states (``SUN``).

In ``states_extra.json`` a record may carry:

* ``qid``, ``label_en``, ``label_ar`` (overrides), ``historical`` (not in ISO 3166-1);
* ``aliases_ar``/``aliases_en``: other names; ``drop_ar``/``drop_en``: CLDR/ISO names not to use
  (bare "Congo" is the Democratic Republic here, not the Republic of the Congo);
* ``demonym_bases_ar``: Arabic nisba adjectives in the masculine singular without the article
  (``سوري``); every regular form is generated, with and without ``ال``: ``سوري سورية سوريون
  سوريين سوريان سوريتان سوريتين سوريًا``;
* ``demonyms_ar``: irregular forms written out (broken plurals: ``الروس``، ``الأتراك``);
* ``unmatched``: names kept in the record but not matched in text ("Western Sahara" is matched
  as the region ``region:western-sahara``; the state record is named by the SADR's names);
* ``demonyms_en``, ``capitals_ar``, ``capitals_en`` (capitals and seats of government used as
  metonyms for the government: ``دمشق``، ``الكرملين``، ``the White House``).
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"

_REGULAR_SUFFIXES = ("", "ة", "ون", "ين", "ان", "تان", "تين")


def arabic_demonym_forms(base: str) -> list[str]:
    """Every regular form of a nisba adjective, with and without the article."""
    words = base.split(" ")
    forms: list[str] = []
    for suffix in _REGULAR_SUFFIXES:
        # Multi-word bases ("جنوب أفريقي") inflect the last word only.
        bare = " ".join(words[:-1] + [words[-1] + suffix])
        forms.append(bare)
        forms.append("ال" + bare)
    # The indefinite accusative: "مقتل 60 فلسطينيًا" (tanween is removed by normalisation).
    forms.append(" ".join(words[:-1] + [words[-1] + "ًا"]))
    return forms


def _variants(name: str) -> list[str]:
    """CLDR spellings split into usable aliases: "ميانمار (بورما)", "الكونغو - كينشاسا"."""
    out: list[str] = []
    m = re.fullmatch(r"(.+?)\s*\((.+)\)", name)
    if m:
        # "ميانمار (بورما)" gives two names; "هونغ كونغ الصينية (منطقة إدارية خاصة)" only one.
        out.append(m.group(1).strip())
        inner = m.group(2).strip()
        if len(inner.split()) <= 2 and "منطقة" not in inner and "Region" not in inner:
            out.append(inner)
    else:
        out.append(name)
    res: list[str] = []
    for n in out:
        res.append(n)
        if " - " in n:
            res += [n.replace(" - ", " "), n.replace(" - ", "-")]
        if "&" in n:
            res.append(n.replace("&", "and"))
    return res


def _uniq(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for s in items:
        s = re.sub(r"\s+", " ", s).strip()
        if s and s not in seen:
            seen.add(s)
            out.append(s)
    return out


def build() -> list[dict[str, Any]]:
    import pycountry
    from babel import Locale

    extra: dict[str, dict[str, Any]] = json.loads((DATA / "states_extra.json").read_text("utf-8"))
    en_names = Locale("en").territories
    ar_names = Locale("ar").territories
    records: list[dict[str, Any]] = []
    by_a3: dict[str, Any] = {c.alpha_3: c for c in pycountry.countries}
    a2_of = {c.alpha_3: c.alpha_2 for c in pycountry.countries}
    a2_of["XKX"] = "XK"
    for a3 in sorted(set(by_a3) | set(extra)):
        x = extra.get(a3, {})
        c = by_a3.get(a3)
        a2 = a2_of.get(a3)
        en: list[str] = []
        ar: list[str] = []
        if c is not None:
            common = getattr(c, "common_name", None)
            en += [common] if common else []
            en += [c.name]
            official = getattr(c, "official_name", None)
            en += [official] if official else []
        if a2 and a2 in en_names:
            en += _variants(en_names[a2])
        if a2 and a2 in ar_names:
            ar += _variants(ar_names[a2])
        en = [n for n in en if "," not in n]   # "Iran, Islamic Republic of" is not how text says it
        en = [n for n in _uniq(en + list(x.get("aliases_en", []))) if n not in x.get("drop_en", ())]
        ar = [n for n in _uniq(ar + list(x.get("aliases_ar", []))) if n not in x.get("drop_ar", ())]
        label_en = x.get("label_en") or (en[0] if en else a3)
        label_ar = x.get("label_ar") or (ar[0] if ar else "")
        dem_ar: list[str] = []
        for base in x.get("demonym_bases_ar", []):
            dem_ar += arabic_demonym_forms(base)
        dem_ar += x.get("demonyms_ar", [])
        rec: dict[str, Any] = {
            "key": a3,
            "kind": "State",
            "label_en": label_en,
            "label_ar": label_ar,
            "iso3": a3,
            "qid": x.get("qid"),
            "aliases_en": [n for n in en if n != label_en],
            "aliases_ar": [n for n in ar if n != label_ar],
            "demonyms_en": _uniq(list(x.get("demonyms_en", []))),
            "demonyms_ar": _uniq(dem_ar),
            "capitals_en": _uniq(list(x.get("capitals_en", []))),
            "capitals_ar": _uniq(list(x.get("capitals_ar", []))),
        }
        if x.get("unmatched"):
            rec["unmatched"] = list(x["unmatched"])
        if x.get("historical"):
            rec["historical"] = True
        records.append(rec)
    return records


def main() -> None:
    records = build()
    out = DATA / "states.json"
    with out.open("w", encoding="utf-8") as f:
        f.write("[\n")
        for i, r in enumerate(records):
            f.write(json.dumps(r, ensure_ascii=False))
            f.write(",\n" if i < len(records) - 1 else "\n")
        f.write("]\n")
    print(f"wrote {len(records)} states to {out}")


if __name__ == "__main__":
    main()

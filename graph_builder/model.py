"""Frozen dataclasses that flow through the pure core: article → extraction → quads.

Offsets are Python string indices (code points) into ``Article.text``, end exclusive.
"""
from __future__ import annotations

from dataclasses import dataclass, field

#: The nine stance types of the contract, in the order the ontology lists them.
STANCE_TYPES: tuple[str, ...] = (
    "Support", "Welcome", "Commitment", "Call", "Demand",
    "Concern", "Condemnation", "Rejection", "Affirmation",
)

#: The principles a stance may invoke.
PRINCIPLES: tuple[str, ...] = (
    "TwoStateSolution", "Sovereignty", "TerritorialIntegrity", "NonInterference",
    "PoliticalSolution", "Ceasefire", "Negotiations", "CounterTerrorism", "HumanitarianAid",
    "InternationalLaw", "HumanRights", "Investigation", "Sanctions",
)

#: Entity classes (``mq:`` local names).
ENTITY_KINDS: tuple[str, ...] = ("State", "Organisation", "ArmedGroup", "Conflict", "Region")
ACTOR_KINDS: frozenset[str] = frozenset({"State", "Organisation", "ArmedGroup"})


@dataclass(frozen=True)
class Article:
    """One news article as read from input; ``text`` is plain text (HTML already converted)."""

    text: str
    lang: str | None = None          # "ar" / "en"; detected when None
    url: str | None = None
    id: str | None = None
    title: str | None = None
    published: str | None = None     # "YYYY-MM-DD"
    source: str | None = None        # the outlet
    origin: str = "<string>"         # where it was read from, "file:line", for messages


@dataclass(frozen=True)
class EntityInfo:
    """A gazetteer record: one state, organisation, armed group, conflict or region."""

    key: str                          # "SYR", "UNSC", "HOUTHIS", "conflict:syria", "region:gaza"
    kind: str                         # one of ENTITY_KINDS
    label_en: str
    label_ar: str
    iso3: str | None = None
    qid: str | None = None            # Wikidata id, "Q858"
    aliases_en: tuple[str, ...] = ()
    aliases_ar: tuple[str, ...] = ()
    location: tuple[str, ...] = ()    # conflicts/regions: keys of the states where it is
    parties: tuple[str, ...] = ()     # conflicts: keys of the actors that take part
    parent: str | None = None         # organs: the organisation they belong to ("UNSC" → "UN")


@dataclass(frozen=True)
class Mention:
    """A stretch of text that names an entity."""

    key: str
    start: int
    end: int
    surface: str
    via: str = "name"   # name | demonym | capital | ministry | title | hashtag


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class DateMention:
    """A calendar date or year the text gives; ``value`` is YYYY-MM-DD, YYYY-MM or YYYY."""

    text: str
    start: int
    end: int
    value: str

    @property
    def precision(self) -> str:
        return {10: "day", 7: "month"}.get(len(self.value), "year")


@dataclass(frozen=True)
class Stance:
    """One stance: who (holder) took which stance (type) about what (targets), and the evidence."""

    holder: str                       # entity key of an actor
    type: str                         # one of STANCE_TYPES
    targets: tuple[str, ...]          # entity keys, at least one
    sentence: Sentence
    cue: str
    cue_start: int
    cue_end: int
    principles: tuple[str, ...] = ()
    confidence: float = 0.5
    rule: str = ""
    stated_on: str | None = None      # YYYY-MM-DD (or coarser) when known
    spokesperson: str | None = None   # the person who spoke, as written


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article."""

    article: Article
    lang: str
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()          # entity mentions that count as the article naming it
    stances: tuple[Stance, ...] = ()
    dates: tuple[DateMention, ...] = ()
    memberships: tuple[tuple[str, str], ...] = ()   # (state key, organisation key)
    foundings: tuple[tuple[str, str], ...] = ()     # (organisation key, YYYY[-MM[-DD]])
    entities: tuple[EntityInfo, ...] = field(default=())  # descriptions of every key used above

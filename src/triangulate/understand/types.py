"""Typed records of the understanding stage (per document).

Offsets are character offsets into the document's stored text (end exclusive), like
blocks. Every record carries what made it (``source``/``cue``) and a confidence.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from ..records import Record


class EntityType(enum.StrEnum):
    PER = "PER"
    ORG = "ORG"
    LOC = "LOC"  # places, including countries and cities (GPE)
    MEDIA = "MEDIA"  # news outlets and agencies named in the text
    NORP = "NORP"  # nationalities, demonyms, groups ("Azerbaijani", "азербайджанцы")
    MISC = "MISC"


@dataclass(frozen=True, slots=True)
class Token(Record):
    start: int
    end: int
    text: str
    lemma: str
    pos: str = ""  # universal POS when the backend knows it
    head: int | None = None  # index of the syntactic head within the sentence, if parsed
    dep: str = ""


@dataclass(frozen=True, slots=True)
class Sentence(Record):
    start: int
    end: int
    tokens: tuple[Token, ...] = ()
    parsed: bool = False


@dataclass(frozen=True, slots=True)
class EntityMention(Record):
    start: int
    end: int
    text: str
    type: EntityType
    canonical: str  # full name / base form within the document ("Ilham Aliyev", "Игорь Картавых")
    key: str  # script-independent key shared by Səfərov / Сафаров / Safarov
    source: str  # "spacy", "natasha", "az-rules", "gazetteer", "coref" ...
    confidence: float = 1.0


def shift_sentence(s: Sentence, offset: int) -> Sentence:
    """``s`` with its and its tokens' offsets moved by ``offset``. Built with the
    constructors, not dataclasses.replace (which inspects the fields on every call and
    was a visible cost over every token of a corpus); tests/test_understand_speed.py
    checks that every field survives."""
    if offset == 0:
        return s
    tokens = tuple(
        Token(t.start + offset, t.end + offset, t.text, t.lemma, t.pos, t.head, t.dep)
        for t in s.tokens
    )
    return Sentence(s.start + offset, s.end + offset, tokens, s.parsed)


def shift_entity(e: EntityMention, offset: int) -> EntityMention:
    if offset == 0:
        return e
    return EntityMention(
        e.start + offset,
        e.end + offset,
        e.text,
        e.type,
        e.canonical,
        e.key,
        e.source,
        e.confidence,
    )


@dataclass(frozen=True, slots=True)
class Analysis(Record):
    """What a language backend returns for one text: sentences and entity mentions,
    offsets relative to the text it was given."""

    lang: str
    sentences: tuple[Sentence, ...]
    entities: tuple[EntityMention, ...]


class TimexType(enum.StrEnum):
    DATE = "DATE"
    TIME = "TIME"
    DURATION = "DURATION"
    SET = "SET"


class TimePrecision(enum.StrEnum):
    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    SEASON = "season"
    QUARTER = "quarter"
    YEAR = "year"
    DECADE = "decade"
    CENTURY = "century"
    UNKNOWN = "unknown"


class Anchor(enum.StrEnum):
    ABSOLUTE = "absolute"  # the expression says it all ("27 June 2025")
    PUBLICATION = "publication"  # resolved against the publication date
    TEXT = "text"  # resolved against an explicit date earlier in the text
    INFERRED = "inferred"  # resolved by a guess (e.g. a year from the story)
    NONE = "none"  # could not be resolved: the value keeps unknown parts (XXXX-06-27)


@dataclass(frozen=True, slots=True)
class TimeExpr(Record):
    start: int
    end: int
    text: str
    type: TimexType
    value: (
        str  # TimeML-style value: 2025-06-27, XXXX-06-27, 2025-W26, 2025-SU, P3D, PRESENT_REF ...
    )
    precision: TimePrecision
    anchor: Anchor
    mod: str = ""  # TimeML mod: APPROX, START, MID, END, BEFORE, AFTER, LESS_THAN, MORE_THAN
    interval: tuple[str, str] | None = None  # ISO [start, end] dates when the value is a span
    confidence: float = 1.0
    cue: str = ""  # which rule found it
    # The part of the day the words name (TimeML MO, AF, EV, NI: "Friday night", "вечером
    # 27 июня"); the value stays the calendar day, so dates compare as dates.
    part_of_day: str = ""


class Exactness(enum.StrEnum):
    EXACT = "exact"
    APPROXIMATE = "approximate"
    VAGUE = "vague"
    IMPLICIT = "implicit"


@dataclass(frozen=True, slots=True)
class Quantity(Record):
    start: int
    end: int
    text: str
    kind: str  # killed, injured, hospitalised, detained, arrested, missing, evacuated, people ...
    min: int
    max: int | None  # None = open-ended ("more than 50")
    exactness: Exactness
    word: str = ""  # the vague or hedging word ("dozens", "approximately", "десятки")
    confidence: float = 1.0


class Modality(enum.StrEnum):
    ASSERTED = "asserted"
    REPORTED = "reported"
    ALLEGED = "alleged"
    CLAIMED = "claimed"
    DENIED = "denied"
    NEGATED = "negated"
    HYPOTHETICAL = "hypothetical"
    QUESTION = "question"


class Voice(enum.StrEnum):
    AUTHOR = "author"  # the document's own voice
    QUOTE = "quote"  # a quotation of a speaker inside the text
    QUOTED_BLOCK = "quoted_block"  # a block quoted from another source (e.g. "> " lines)


@dataclass(frozen=True, slots=True)
class Attribution(Record):
    speaker: str | None  # who says so ("eyewitnesses", "Russia's Investigative Committee")
    chain: tuple[str, ...] = ()  # outermost first: ("E1.RU", "eyewitnesses")
    verb: str | None = None  # reporting verb or phrase ("told", "claimed", "по данным")
    voice: Voice = Voice.AUTHOR
    start: int | None = None  # span of the attribution cue in the text
    end: int | None = None


@dataclass(frozen=True, slots=True)
class Argument(Record):
    text: str
    start: int
    end: int
    entity_key: str | None = None  # links to an EntityMention key when one covers it
    type: str = ""


@dataclass(frozen=True, slots=True)
class EventMention(Record):
    type: str  # our taxonomy (data/event_types.json)
    cameo: str | None
    plover: str | None
    trigger: str
    trigger_start: int
    trigger_end: int
    evidence_start: int  # the sentence
    evidence_end: int
    block: int
    agents: tuple[Argument, ...] = ()
    patients: tuple[Argument, ...] = ()
    location: Argument | None = None
    time: TimeExpr | None = None
    quantities: tuple[Quantity, ...] = ()
    modality: Modality = Modality.ASSERTED
    modality_cue: str = ""
    attribution: Attribution = field(default_factory=lambda: Attribution(None))
    confidence: float = 1.0
    reason: str = ""


@dataclass
class DocumentAnalysis(Record):
    """Everything the understanding stage found in one document."""

    doc_id: str
    entities: list[EntityMention] = field(default_factory=list)
    timexes: list[TimeExpr] = field(default_factory=list)
    mentions: list[EventMention] = field(default_factory=list)
    languages_without_backend: list[str] = field(default_factory=list)
    stage: str = ""

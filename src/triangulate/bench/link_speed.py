"""Cost of linking one more document into stores of growing size (``bench link_speed``).

The link stage promises that adding a document touches only the events its blocking keys
find, so the cost per document must stay flat whether the store holds a thousand
documents or a hundred thousand. This benchmark checks that on one growing store: it
links the first size's documents, times ``probe`` further documents one at a time, keeps
adding up to the next size, times again, and so on. The reference is the first size,
measured in the same run; ratios near 1.0 mean the claim holds.

Documents come from a generated world rather than the NLP models (100k documents through
spaCy would take days): stories start and fade on an advancing clock, each with a few
real-world events (a type from data/event_types.json, a day, a city from
data/places.json, named participants, true figures), and documents in English, Russian
or Azerbaijani report them with the noise real reporting has: missing places and dates,
other figures, relative dates, names in other scripts (whose keys may not meet),
headlines, justifications, hypothetical mentions, attributions, reposts. Each document
becomes a ``Document`` and a ``DocumentAnalysis`` with consistent offsets, stored through
the store API, so the store is a real SQLite file with real indexes.

What a probe measures: ``Linker.run([doc_id])`` for one document, wall clock, including
its transaction. Besides mean/p50/p95 it reports where the time goes (story assignment,
the blocking query, the ledger rebuild of touched events, the rest), how many candidate
events blocking returned per incident, and how many ``event_keys`` rows those queries had
to read (the sum of the posting lists of the incident's keys), which is what grows if
blocking follows keys every event shares.
"""

from __future__ import annotations

import datetime as _dt
import importlib
import json
import math
import os
import random
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .. import dedup
from ..link.eventcoref import MAX_POSTING
from ..link.stage import Linker, LinkReport, StoryAssigner
from ..records import (
    Block,
    BlockKind,
    CopyLink,
    DateMethod,
    Document,
    InputFormat,
    Precision,
    PublishedDate,
    Record,
    SourceInfo,
    SourceKind,
)
from ..store.links import SQLiteLinks
from ..store.sqlite import SQLiteStore
from ..understand.entities import translit_key
from ..understand.stage import UNDERSTAND
from ..understand.types import (
    Anchor,
    Argument,
    Attribution,
    DocumentAnalysis,
    EntityMention,
    EntityType,
    EventMention,
    Exactness,
    Modality,
    Quantity,
    TimeExpr,
    TimePrecision,
    TimexType,
    Voice,
)

# The issue asks for 1k, 10k and 100k. On the 2-core development machine linking costs
# about 0.2 s of CPU per document at these sizes, so growing a store to 100k takes
# 5+ hours; 50k (~3 hours) is the largest default a working session can wait for.
# Pass --sizes 1000,10000,100000 for the full claim.
DEFAULT_SIZES = (1000, 10000, 50000)
DEFAULT_PROBE = 200
DEFAULT_SEED = 2025

# --- the generated world ------------------------------------------------------------------

# Mean documents per story: a developing situation gets a few dozen reports; sizes are
# drawn from an exponential so a few stories are much bigger, as in real coverage.
DOCS_PER_STORY = 50
# Stories reported at the same time: new documents are spread over these, so a story's
# reports span about ACTIVE_STORIES * DOCS_PER_STORY / DOCS_PER_DAY days (~ two weeks).
ACTIVE_STORIES = 24
# Documents per simulated day: 100k documents cover about three years, so a large store
# holds many events of one type in one city (the blocking keys that grow with the store).
DOCS_PER_DAY = 100
# Where the clock starts; stories are dated from here on.
EPOCH = _dt.date(2023, 1, 1)
# Documents generated and dropped before the stream starts (see World): two lifetimes of
# the active stories, so the stream opens in the steady state.
WARMUP_DOCS = 2 * ACTIVE_STORIES * DOCS_PER_STORY
# A story's events: the seminal one plus up to this many follow-ups (reactions, charges,
# releases) within FOLLOW_UP_DAYS of it.
MAX_FOLLOW_UPS = 4
FOLLOW_UP_DAYS = 10
# Share of documents that are reposts of an earlier report of their story (the same text
# with a trailer): the ledger then looks up the original's source.
REPOST_SHARE = 0.05
LANGUAGES = ("en", "ru", "az")
LANGUAGE_WEIGHTS = (5, 3, 2)
# Outlets in the world; each document comes from one of them.
OUTLETS = 300
# Content words per language: the everyday words below plus generated ones, drawn with
# Zipf frequencies (1/rank) like news vocabularies, so a few words are in every text and
# most are rare. Too small a vocabulary makes every pair of texts look alike and the
# story clusterer glues unrelated stories together.
VOCABULARY = 3000
# Words of its own a story uses (the affair's subject matter), and the share of filler
# words drawn from them rather than from the whole vocabulary.
TOPIC_WORDS = 25
TOPIC_SHARE = 0.35

# Types a story starts with (what happened) and the follow-ups it draws (what was said or
# done about it); every name is a type of data/event_types.json.
SEMINAL_TYPES = {
    "raid": 4,
    "arrest": 5,
    "killing": 2,
    "attack": 2,
    "protest": 3,
    "cyberattack": 1,
    "ban_media": 1,
    "expel": 1,
}
FOLLOW_UP_TYPES = {
    "condemnation": 4,
    "demand": 3,
    "accusation": 2,
    "protest_official": 2,
    "cancel_visit": 1,
    "sever_ties": 1,
    "warning": 1,
    "charge": 2,
    "release": 2,
    "deny_access": 1,
    "meeting_call": 1,
    "support": 1,
}
# A second mention of an operation in the same report, of a type reports use for the same
# incident (a raid's arrests, an attack's deaths): grouped into one incident by the stage.
COMPANION_TYPES = {
    "raid": "arrest",
    "arrest": "raid",
    "attack": "killing",
    "killing": "injury",
    "protest": "arrest",
}

_CONSONANTS = ("b", "d", "g", "k", "l", "m", "n", "r", "s", "t", "v", "z", "sh", "kh", "ch", "f")
_VOWELS = ("a", "e", "i", "o", "u", "a", "e")
_SURNAME_ENDINGS = ("ov", "ev", "ova", "li", "zade", "yan", "in", "enko", "ski")

# Latin -> Cyrillic, longest first, for the Russian spelling of generated names.
_TO_CYRILLIC = (
    ("shch", "щ"),
    ("sh", "ш"),
    ("kh", "х"),
    ("ch", "ч"),
    ("zh", "ж"),
    ("ya", "я"),
    ("yu", "ю"),
    ("ye", "е"),
    ("ts", "ц"),
    *zip("abvgdezijklmnoprstufhy", "абвгдезийклмнопрстуфхы", strict=True),
)
_TO_AZERBAIJANI = (("sh", "ş"), ("kh", "x"), ("ch", "ç"), ("zh", "j"))

_MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "ru": (
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ),
    "az": (
        "yanvar",
        "fevral",
        "mart",
        "aprel",
        "may",
        "iyun",
        "iyul",
        "avqust",
        "sentyabr",
        "oktyabr",
        "noyabr",
        "dekabr",
    ),
}
_IN_MONTH = {"en": "in {}", "ru": "в {}", "az": "{} ayında"}
# Russian says "in June" with the prepositional case, not the genitive of "27 June".
_RU_IN_MONTHS = (
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
)
_YESTERDAY = {"en": "yesterday", "ru": "вчера", "az": "dünən"}
_PEOPLE = {"en": "people", "ru": "человек", "az": "nəfər"}
_DOZENS = {"en": "dozens of", "ru": "десятки", "az": "onlarla"}
_IN = {"en": "in", "ru": "в", "az": ""}
_SAID = {
    "en": ("said", "told reporters", "claimed"),
    "ru": ("сообщил", "заявил"),
    "az": ("bildirib", "deyib"),
}
_POLICE = {"en": "police", "ru": "полиция", "az": "polis"}
_WITNESSES = {"en": "witnesses", "ru": "очевидцы", "az": "şahidlər"}
_MAY = {"en": "could face", "ru": "может последовать", "az": "ola bilər"}


def _vocab(words: str) -> tuple[str, ...]:
    return tuple(words.split())


# Everyday news words per language: the filler around the facts. Shared by every story,
# so they are what context blocking keys pick when a sentence has nothing rarer.
_FILLER = {
    "en": _vocab(
        "officials situation region authorities statement reporters capital government "
        "relations tensions border security agency sources week measures response crisis "
        "residents court office ministry talks diplomats spokesman country decision case"
    ),
    "ru": _vocab(
        "власти ситуация регион заявление журналисты столица правительство отношения "
        "напряжённость граница безопасность агентство источники неделя меры ответ кризис "
        "жители суд офис министерство переговоры дипломаты представитель страна решение дело"
    ),
    "az": _vocab(
        "rəsmilər vəziyyət bölgə hakimiyyət bəyanat jurnalistlər paytaxt hökumət "
        "münasibətlər gərginlik sərhəd təhlükəsizlik agentlik mənbələr həftə tədbirlər "
        "cavab böhran sakinlər məhkəmə ofis nazirlik danışıqlar diplomatlar sözçü ölkə qərar iş"
    ),
}
# Entity sources as the backends name them.
_NER_SOURCE = {"en": "spacy", "ru": "natasha", "az": "az-rules"}


@cache
def _event_types() -> dict[str, Any]:
    text = resources.files("triangulate.data").joinpath("event_types.json").read_text("utf-8")
    types: dict[str, Any] = json.loads(text)["types"]
    return types


@cache
def _places() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(cities, countries) of the places gazetteer."""
    text = resources.files("triangulate.data").joinpath("places.json").read_text("utf-8")
    places = json.loads(text)["places"]
    cities = [p for p in places if p.get("kind") == "city"]
    countries = [p for p in places if p.get("kind") == "country"]
    return cities, countries


@dataclass(frozen=True, slots=True)
class _Name:
    """One named entity of the world, as each language writes it."""

    type: EntityType
    forms: dict[str, str]  # language -> canonical spelling
    short: dict[str, str] | None = None  # language -> surname alone (people)


@dataclass(frozen=True, slots=True)
class _Event:
    """A real-world event of a story."""

    type: str
    date: _dt.date
    city: dict[str, Any]
    agents: tuple[_Name, ...]
    patients: tuple[_Name, ...]
    figures: dict[str, int]  # quantity kind -> true value


@dataclass
class _Story:
    index: int
    start: float  # clock day
    planned: int  # documents it will get
    events: list[_Event]
    people: list[_Name]
    topic: dict[str, list[str]]  # language -> the story's own words
    names: list[str]  # what the affair is called (an operation, a company), any language
    written: int = 0
    last: tuple[Document, DocumentAnalysis] | None = None  # for reposts
    last_truth: tuple[str, ...] = ()  # Truth.events of ``last``


@dataclass(frozen=True, slots=True)
class Truth:
    """What the world knows about the document ``World.next`` returned last: the story
    it reports (the world's story number) and, per event mention, a label of the
    real-world event the mention describes ("" for none, e.g. a hypothetical). Nothing
    here is used by this benchmark; bench/bulk_store.py writes the link tables from it
    instead of running the link stage."""

    story: int
    events: tuple[str, ...]


@dataclass
class _Pending:
    """An event mention whose sentence is still being written."""

    type: str
    trigger: str
    trigger_start: int
    trigger_end: int
    block: int
    agents: tuple[Argument, ...] = ()
    patients: tuple[Argument, ...] = ()
    location: Argument | None = None
    time: TimeExpr | None = None
    quantities: tuple[Quantity, ...] = ()
    modality: Modality = Modality.ASSERTED
    modality_cue: str = ""
    attribution: Attribution = field(default_factory=lambda: Attribution(None))
    truth: str = ""  # label of the real-world event (see Truth)


class _Writer:
    """Writes one document's text while recording blocks, entity mentions, time
    expressions and event mentions at their offsets."""

    def __init__(self, lang: str, keys: Callable[[str], str]) -> None:
        self.lang = lang
        self.keys = keys
        self.parts: list[str] = []
        self.pos = 0
        self.blocks: list[Block] = []
        self.entities: list[EntityMention] = []
        self.timexes: list[TimeExpr] = []
        self.mentions: list[EventMention] = []
        self._block_start = 0
        self._sentence_start = 0
        self._pending: list[_Pending] = []
        self.truth: list[str] = []  # per event mention, its Truth label

    def put(self, text: str) -> tuple[int, int]:
        start = self.pos
        self.parts.append(text)
        self.pos += len(text)
        return start, self.pos

    def words(self, text: str) -> None:
        self.span(text)

    def span(self, text: str) -> tuple[int, int]:
        if self.pos > self._sentence_start:
            self.put(" ")
        return self.put(text)

    # blocks and sentences
    def open_block(self) -> None:
        if self.blocks:
            self.put("\n\n")
        self._block_start = self.pos

    def close_block(self, kind: BlockKind) -> None:
        self.blocks.append(Block(kind, self._block_start, self.pos, lang=self.lang))

    def open_sentence(self) -> None:
        if self.pos > self._block_start:
            self.put(" ")
        self._sentence_start = self.pos

    def close_sentence(self, end: str = ".") -> None:
        self.put(end)
        for p in self._pending:
            self.mentions.append(
                EventMention(
                    type=p.type,
                    cameo=_event_types()[p.type]["cameo"],
                    plover=_event_types()[p.type]["plover"],
                    trigger=p.trigger,
                    trigger_start=p.trigger_start,
                    trigger_end=p.trigger_end,
                    evidence_start=self._sentence_start,
                    evidence_end=self.pos,
                    block=p.block,
                    agents=p.agents,
                    patients=p.patients,
                    location=p.location,
                    time=p.time,
                    quantities=p.quantities,
                    modality=p.modality,
                    modality_cue=p.modality_cue,
                    attribution=p.attribution,
                    confidence=0.8,
                    reason=f"trigger {p.trigger!r} ({self.lang}); generated",
                )
            )
            self.truth.append(p.truth)
        self._pending = []

    # pieces
    def name(self, n: _Name, *, short: bool = False) -> Argument:
        text = n.short[self.lang] if short and n.short else n.forms[self.lang]
        start, end = self.span(text)
        key = self.keys(text)
        self.entities.append(
            EntityMention(
                start,
                end,
                text,
                n.type,
                text,
                key,
                _NER_SOURCE[self.lang] if n.type is EntityType.PER else "gazetteer",
                0.8,
            )
        )
        return Argument(text, start, end, key, n.type.value)

    def place(self, place: dict[str, Any], rng: random.Random) -> Argument:
        names = place.get(self.lang) or [place["name"]]
        forms = {lang: str(rng.choice(names)) for lang in LANGUAGES}
        return self.name(_Name(EntityType.LOC, forms))

    def phrase(self, text: str) -> Argument:
        start, end = self.span(text)
        return Argument(text, start, end)

    def timex(self, text: str, value: str, precision: TimePrecision, anchor: Anchor) -> TimeExpr:
        start, end = self.span(text)
        t = TimeExpr(start, end, text, TimexType.DATE, value, precision, anchor, cue="generated")
        self.timexes.append(t)
        return t

    def trigger(self, type: str, word: str) -> _Pending:
        start, end = self.span(word)
        block = len(self.blocks)
        p = _Pending(type, word, start, end, block)
        self._pending.append(p)
        return p

    def text(self) -> str:
        return "".join(self.parts)


class World:
    """A deterministic stream of generated documents and their analyses."""

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.clock = 0.0
        self.count = 0
        self.active: list[_Story] = []
        self.stories = 0
        self.truth = Truth(0, ())  # of the last document returned by next()
        self._keys: dict[str, str] = {}
        cities, countries = _places()
        self.cities = cities
        self.countries = [
            _Name(EntityType.LOC, {lang: c[lang][0] for lang in LANGUAGES}) for c in countries
        ]
        # People and institutions every story may quote: they recur across the store.
        self.officials = [self._person() for _ in range(40)]
        self.ministries = [
            _Name(EntityType.ORG, {lang: self._institution(lang, c) for lang in LANGUAGES})
            for c in countries
        ]
        self.outlets = [self._outlet(i) for i in range(OUTLETS)]
        self.vocabulary = {lang: self._vocabulary(lang) for lang in LANGUAGES}
        weights = [1.0 / (rank + 1) for rank in range(VOCABULARY)]
        total = 0.0
        self._cumulative: list[float] = []
        for weight in weights:
            total += weight
            self._cumulative.append(total)
        # The store starts collecting mid-flow, as a real one does: the stories running
        # when it starts are already under way. Without this the first thousand documents
        # would all open young stories with small events, and the smallest size would be
        # measured before the world reaches its steady state.
        for _ in range(WARMUP_DOCS):
            self.next()
        for story in self.active:
            story.last = None  # reposts point only at documents the store will have

    def _vocabulary(self, lang: str) -> list[str]:
        words = list(dict.fromkeys(_FILLER[lang]))
        seen = set(words)
        while len(words) < VOCABULARY:
            word = _spell(self._word(self.rng.randint(2, 4)), lang, False).lower()
            if word not in seen:
                seen.add(word)
                words.append(word)
        return words

    # names
    def key(self, text: str) -> str:
        found = self._keys.get(text)
        if found is None:
            found = self._keys[text] = translit_key(text)
        return found

    def _word(self, syllables: int) -> str:
        return "".join(
            self.rng.choice(_CONSONANTS) + self.rng.choice(_VOWELS) for _ in range(syllables)
        )

    def _person(self) -> _Name:
        first = self._word(self.rng.randint(2, 3))
        last = self._word(self.rng.randint(1, 3)) + self.rng.choice(_SURNAME_ENDINGS)
        az_vowel = self.rng.random() < 0.5  # Azerbaijani spelling writes some a as ə
        forms: dict[str, str] = {}
        shorts: dict[str, str] = {}
        for lang in LANGUAGES:
            f, s = _spell(first, lang, az_vowel), _spell(last, lang, az_vowel)
            forms[lang], shorts[lang] = f"{f} {s}", s
        return _Name(EntityType.PER, forms, shorts)

    def _institution(self, lang: str, country: dict[str, Any]) -> str:
        name = country[lang][0]
        return {
            "en": f"{name} Interior Ministry",
            "ru": f"МВД {name}",
            "az": f"{name} Daxili İşlər Nazirliyi",
        }[lang]

    def _outlet(self, i: int) -> SourceInfo:
        word = self._word(2).capitalize()
        kind = self.rng.choices(
            [SourceKind.NEWS, SourceKind.AGGREGATOR, SourceKind.FORUM, SourceKind.WIRE],
            weights=[80, 8, 7, 5],
        )[0]
        return SourceInfo(f"{word} News {i}", f"{word.lower()}{i}.example", kind, "generated")

    # stories
    def _new_story(self) -> _Story:
        rng = self.rng
        self.stories += 1
        start = self.clock
        day = EPOCH + _dt.timedelta(days=int(start))
        people = [self._person() for _ in range(rng.randint(2, 5))]
        orgs = [
            _Name(
                EntityType.ORG, {lang: self._word(2).capitalize() + " Group" for lang in LANGUAGES}
            )
            for _ in range(rng.randint(0, 2))
        ]
        home = rng.choice(self.cities)
        seminal = rng.choices(list(SEMINAL_TYPES), weights=list(SEMINAL_TYPES.values()))[0]
        events = [self._event(seminal, day, home, people + orgs)]
        for _ in range(rng.randint(0, MAX_FOLLOW_UPS)):
            kind = rng.choices(list(FOLLOW_UP_TYPES), weights=list(FOLLOW_UP_TYPES.values()))[0]
            when = day + _dt.timedelta(days=rng.randint(0, FOLLOW_UP_DAYS))
            city = home if rng.random() < 0.6 else rng.choice(self.cities)
            events.append(self._event(kind, when, city, people + orgs))
        planned = max(3, min(int(rng.expovariate(1 / DOCS_PER_STORY)), 20 * DOCS_PER_STORY))
        # Subject words come from the middle of the vocabulary: specific, not rare.
        ranks = rng.sample(range(VOCABULARY // 20, VOCABULARY), TOPIC_WORDS)
        topic = {lang: [self.vocabulary[lang][r] for r in ranks] for lang in LANGUAGES}
        names = [self._word(rng.randint(2, 3)).capitalize() for _ in range(2)]
        return _Story(self.stories, start, planned, events, people, topic, names)

    def _event(self, type: str, day: _dt.date, city: dict[str, Any], named: list[_Name]) -> _Event:
        rng = self.rng
        kinds = [k for k in _event_types()[type]["kinds"] if k != "people"] or (
            ["people"] if "people" in _event_types()[type]["kinds"] else []
        )
        figures = {k: rng.choice([1, 2, 3, 4, 5, 7, 12, 20, 35, 60]) for k in kinds}
        if type in SEMINAL_TYPES:
            agents: tuple[_Name, ...] = (rng.choice(self.ministries),)
            patients = tuple(rng.sample(named, min(len(named), rng.randint(1, 2))))
        else:
            agents = (rng.choice(self.officials + self.ministries),)
            patients = (rng.choice(self.countries + named),)
        return _Event(type, day, city, agents, patients, figures)

    def _pick_story(self) -> _Story:
        while len(self.active) < ACTIVE_STORIES:
            self.active.append(self._new_story())
        # Recent stories get more of the coverage than fading ones.
        weights = [1.0 / (1 + s.written / DOCS_PER_STORY) for s in self.active]
        return self.rng.choices(self.active, weights=weights)[0]

    # documents
    def next(self) -> tuple[Document, DocumentAnalysis]:
        self.count += 1
        self.clock += 1 / DOCS_PER_DAY
        story = self._pick_story()
        if story.last is not None and self.rng.random() < REPOST_SHARE:
            doc, analysis = self._repost(story.last)
        else:
            doc, analysis = self._write(story)
            story.last = (doc, analysis)
        self.truth = Truth(story.index, story.last_truth)
        story.written += 1
        if story.written >= story.planned:
            self.active.remove(story)
        return doc, analysis

    def _repost(
        self, original: tuple[Document, DocumentAnalysis]
    ) -> tuple[Document, DocumentAnalysis]:
        doc, analysis = original
        source = self.rng.choice(self.outlets)
        trailer = f"Source: {doc.source.name}. Reposted by {source.name}."
        text = f"{doc.text}\n\n{trailer}"
        blocks = [*doc.blocks, Block(BlockKind.BOILERPLATE, len(text) - len(trailer), len(text))]
        digest = dedup.content_hash(text)
        copy = Document(
            id="d" + digest[:12],
            text=text,
            content_hash=digest,
            blocks=blocks,
            locator=f"generated:{self.seed}:{self.count}",
            source=source,
            url=f"https://{source.domain}/{self.count}",
            title=doc.title,
            published=self._published(source),
            languages=list(doc.languages),
            input_format=InputFormat.ARTICLE,
            copy=CopyLink(doc.copy.original if doc.copy else doc.id, 0.97, "generated repost"),
        )
        return copy, DocumentAnalysis(
            copy.id,
            list(analysis.entities),
            list(analysis.timexes),
            list(analysis.mentions),
            stage=UNDERSTAND.tag,
        )

    def _published(self, source: SourceInfo) -> PublishedDate:
        # Forum captures and some aggregator pages carry no date: their relative and
        # yearless dates stay unresolved (XXXX-06-27), as the understanding stage leaves them.
        missing = 0.5 if source.kind is SourceKind.FORUM else 0.03
        if self.rng.random() < missing:
            return PublishedDate.unknown()
        day = EPOCH + _dt.timedelta(days=int(self.clock))
        minute = int((self.clock % 1) * 24 * 60)
        value = f"{day.isoformat()}T{minute // 60:02d}:{minute % 60:02d}:00+04:00"
        return PublishedDate(value, Precision.SECOND, DateMethod.METADATA, "generated")

    def _write(self, story: _Story) -> tuple[Document, DocumentAnalysis]:
        rng = self.rng
        lang = rng.choices(LANGUAGES, weights=LANGUAGE_WEIGHTS)[0]
        source = rng.choice(self.outlets)
        published = self._published(source)
        today = EPOCH + _dt.timedelta(days=int(self.clock))
        known = [e for e in story.events if e.date <= today] or story.events[:1]
        # The latest development leads; older ones come back as background.
        lead = known[-1] if rng.random() < 0.6 else rng.choice(known)
        others = [e for e in known if e is not lead]
        reported = [lead, *rng.sample(others, min(len(others), rng.randint(0, 2)))]
        w = _Writer(lang, self.key)

        w.open_block()
        w.open_sentence()
        if rng.random() < 0.6:
            w.place(lead.city, rng)
            w.put(":")
        w.name(lead.agents[0])
        w.trigger(lead.type, self._trigger_word(lead.type, lang)).truth = _label(story, lead)
        w.name(rng.choice(lead.patients))
        w.close_sentence("")
        w.close_block(BlockKind.TITLE)
        title = w.text()

        for n, event in enumerate(reported):
            w.open_block()
            self._report(w, event, story, published, today, background=n > 0)
            for _ in range(rng.randint(1, 3)):
                self._filler(w, story)
            w.close_block(BlockKind.BODY)
        if rng.random() < 0.15:
            w.open_block()
            self._hypothetical(w, lead, story)
            w.close_block(BlockKind.BODY)
        w.open_block()
        for _ in range(rng.randint(1, 3)):
            self._filler(w, story)
        w.close_block(BlockKind.BODY)

        text = w.text()
        digest = dedup.content_hash(text)
        doc = Document(
            id="d" + digest[:12],
            text=text,
            content_hash=digest,
            blocks=w.blocks,
            locator=f"generated:{self.seed}:{self.count}",
            source=source,
            url=f"https://{source.domain}/{self.count}",
            title=title,
            published=published,
            languages=[lang],
            input_format=InputFormat.ARTICLE,
        )
        analysis = DocumentAnalysis(doc.id, w.entities, w.timexes, w.mentions, stage=UNDERSTAND.tag)
        story.last_truth = tuple(w.truth)
        return doc, analysis

    def _trigger_word(self, type: str, lang: str) -> str:
        words = [
            w for w in _event_types()[type][lang] if w not in _event_types()[type].get("weak", [])
        ]
        word = str(self.rng.choice(words or _event_types()[type][lang]))
        if lang == "en" and _verb_like(word) and self.rng.random() < 0.6:
            word += "d" if word.endswith("e") else "ed"
        elif lang == "az" and self.rng.random() < 0.4:
            word += self.rng.choice(("ib", "di", "lər"))
        return word

    def _date(
        self, w: _Writer, event: _Event, published: PublishedDate, today: _dt.date
    ) -> TimeExpr | None:
        rng = self.rng
        lang = w.lang
        year = published.value[:4] if published.value else None
        day = event.date
        if rng.random() < 0.03:
            day += _dt.timedelta(days=rng.choice((-1, 1)))  # a source gets the day wrong
        roll = rng.random()
        month = _MONTHS[lang][day.month - 1]
        if roll < 0.55:
            with_year = rng.random() < 0.2
            text = f"{day.day} {month}" + (f" {day.year}" if with_year else "")
            if with_year:
                return w.timex(text, day.isoformat(), TimePrecision.DAY, Anchor.ABSOLUTE)
            if year is None:
                return w.timex(
                    text, f"XXXX-{day.month:02d}-{day.day:02d}", TimePrecision.DAY, Anchor.NONE
                )
            return w.timex(text, day.isoformat(), TimePrecision.DAY, Anchor.PUBLICATION)
        if roll < 0.7 and year is not None and (today - day).days == 1:
            return w.timex(_YESTERDAY[lang], day.isoformat(), TimePrecision.DAY, Anchor.PUBLICATION)
        if roll < 0.8:
            text = _IN_MONTH[lang].format(_RU_IN_MONTHS[day.month - 1] if lang == "ru" else month)
            value = f"{day.year if year else 'XXXX'}-{day.month:02d}"
            return w.timex(
                text, value, TimePrecision.MONTH, Anchor.PUBLICATION if year else Anchor.NONE
            )
        return None

    def _quantities(self, w: _Writer, event: _Event) -> tuple[Quantity, ...]:
        rng = self.rng
        out: list[Quantity] = []
        for kind, true in event.figures.items():
            if rng.random() < 0.3:
                continue
            roll = rng.random()
            if roll < 0.1 and true >= 20:
                text = f"{_DOZENS[w.lang]} {_PEOPLE[w.lang]}"
                start, end = w.span(text)
                out.append(
                    Quantity(start, end, text, kind, 24, None, Exactness.VAGUE, _DOZENS[w.lang])
                )
                continue
            value = true if roll < 0.75 else max(1, true + rng.randint(-3, 6))
            text = f"{value} {_PEOPLE[w.lang]}"
            start, end = w.span(text)
            out.append(Quantity(start, end, text, kind, value, value, Exactness.EXACT))
        return tuple(out)

    def _attribution(self, w: _Writer, story: _Story) -> Attribution:
        rng = self.rng
        roll = rng.random()
        if roll < 0.4:
            return Attribution(None)
        w.put(",")
        if roll < 0.6:
            start, end = w.span(_WITNESSES[w.lang])
            speaker = _WITNESSES[w.lang]
        else:
            who = rng.choice([*story.people, *self.officials[:10], *self.ministries])
            arg = w.name(who)
            start, end, speaker = arg.start, arg.end, arg.text
        verb = rng.choice(_SAID[w.lang])
        w.words(verb)
        return Attribution(speaker, (speaker,), verb, Voice.AUTHOR, start, end)

    def _report(
        self,
        w: _Writer,
        event: _Event,
        story: _Story,
        published: PublishedDate,
        today: _dt.date,
        *,
        background: bool,
    ) -> None:
        rng = self.rng
        w.open_sentence()
        time = self._date(w, event, published, today) if rng.random() < 0.85 else None
        agents = (w.name(event.agents[0]),) if rng.random() < 0.8 else (w.phrase(_POLICE[w.lang]),)
        p = w.trigger(event.type, self._trigger_word(event.type, w.lang))
        quantities = self._quantities(w, event)
        patients = tuple(w.name(n, short=rng.random() < 0.2) for n in event.patients)
        location = None
        if rng.random() < 0.8:
            if _IN[w.lang]:
                w.words(_IN[w.lang])
            location = w.place(event.city, rng)
        attribution = self._attribution(w, story)
        p.agents, p.patients, p.location, p.time, p.quantities = (
            agents,
            patients,
            location,
            time,
            quantities,
        )
        p.attribution = attribution
        p.truth = _label(story, event)
        if attribution.speaker is not None:
            p.modality = Modality.CLAIMED if attribution.verb == "claimed" else Modality.REPORTED
        w.close_sentence()
        if background:
            return
        companion = COMPANION_TYPES.get(event.type)
        if companion and rng.random() < 0.5:
            w.open_sentence()
            c = w.trigger(companion, self._trigger_word(companion, w.lang))
            c.quantities = self._quantities(w, event)
            c.time = time
            c.location = location
            c.truth = p.truth
            w.close_sentence()
        if event.type in SEMINAL_TYPES and rng.random() < 0.3:
            w.open_sentence()
            j = w.trigger("investigation", self._trigger_word("investigation", w.lang))
            ministry = rng.choice(self.ministries)
            j.agents = (w.name(ministry),)
            j.truth = f"{p.truth}/investigation/{self.ministries.index(ministry)}"
            w.close_sentence()

    def _hypothetical(self, w: _Writer, event: _Event, story: _Story) -> None:
        rng = self.rng
        w.open_sentence()
        who = w.name(rng.choice(story.people))
        w.words(_MAY[w.lang])
        kind = rng.choice(["charge", "expel", "arrest"])
        p = w.trigger(kind, self._trigger_word(kind, w.lang))
        p.patients = (who,)
        p.modality, p.modality_cue = Modality.HYPOTHETICAL, _MAY[w.lang]
        w.close_sentence()

    def _filler(self, w: _Writer, story: _Story) -> None:
        rng = self.rng
        w.open_sentence()
        n = rng.randint(7, 16)
        common = rng.choices(self.vocabulary[w.lang], cum_weights=self._cumulative, k=n)
        for i in range(n):
            if i == 3 and rng.random() < 0.4:
                w.name(rng.choice(story.people), short=rng.random() < 0.4)
            elif i == 6 and rng.random() < 0.3:
                w.words(rng.choice(story.names))
            else:
                word = rng.choice(story.topic[w.lang]) if rng.random() < TOPIC_SHARE else common[i]
                w.words(word.capitalize() if i == 0 else word)
        w.close_sentence()


# English nouns of the trigger lists: reports use them as they are ("a crackdown").
_NOUN_ENDINGS = ("ion", "ment", "down", "ure", "ism", "age", "ing", "ity", "ance", "ence", "th")


def _label(story: _Story, event: _Event) -> str:
    """Truth label of one of a story's events: its story and its place in the story."""
    return f"{story.index}/{next(i for i, e in enumerate(story.events) if e is event)}"


def _verb_like(word: str) -> bool:
    return " " not in word and not word.endswith(_NOUN_ENDINGS)


def _spell(latin: str, lang: str, az_vowel: bool) -> str:
    out = latin
    if lang == "ru":
        for a, b in _TO_CYRILLIC:
            out = out.replace(a, b)
    elif lang == "az":
        for a, b in _TO_AZERBAIJANI:
            out = out.replace(a, b)
        if az_vowel:
            out = out.replace("a", "ə", 1)
    return out.capitalize()


# --- measuring ------------------------------------------------------------------------------


class _CountingLinks(SQLiteLinks):
    """The stage's SQL with the blocking query counted and timed (what grows with the
    store if blocking follows keys that every event shares)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__(conn)
        self.calls = 0
        self.candidates = 0
        self.seconds = 0.0
        self.keys: list[list[str]] = []
        self.member_rows = 0

    def event_members(self, event_id: int) -> list[tuple[str, int, str, str, float | None, str]]:
        # Reports of an event, loaded to score a candidate or to rebuild an event: what
        # grows when per-document work depends on the size of the events it meets.
        rows = super().event_members(event_id)
        self.member_rows += len(rows)
        return rows

    def candidate_events(
        self, keys: Mapping[str, int], limit: int, per_key: int
    ) -> list[tuple[int, str]]:
        wanted = sorted(keys)
        start = time.perf_counter()
        out = super().candidate_events(keys, limit, per_key)
        self.seconds += time.perf_counter() - start
        self.calls += 1
        self.candidates += len(out)
        self.keys.append(wanted)
        return out


class _TimedStories(StoryAssigner):
    def __init__(self, store: SQLiteStore) -> None:
        super().__init__(store)
        self.seconds = 0.0

    def assign(self, doc: Document) -> str:
        start = time.perf_counter()
        try:
            return super().assign(doc)
        finally:
            self.seconds += time.perf_counter() - start


class _MeasuredLinker(Linker):
    """The real Linker; only counters and clocks added around the parts that could grow."""

    def __init__(self, store: SQLiteStore) -> None:
        super().__init__(store)
        self.counting = _CountingLinks(store.conn)
        self.links = self.counting
        self.timed_stories = _TimedStories(store)
        self._stories = self.timed_stories
        self.refresh_seconds = 0.0
        self.refine_seconds = 0.0
        self.refreshed: list[int] = []

    def refine_stories(self) -> None:
        start = time.perf_counter()
        try:
            super().refine_stories()
        finally:
            self.refine_seconds += time.perf_counter() - start

    def refresh_event(self, event_id: int) -> None:
        self.refreshed.append(event_id)
        start = time.perf_counter()
        try:
            super().refresh_event(event_id)
        finally:
            self.refresh_seconds += time.perf_counter() - start

    def reset(self) -> None:
        self.counting.calls = self.counting.candidates = self.counting.member_rows = 0
        self.counting.seconds = self.refresh_seconds = self.timed_stories.seconds = 0.0
        self.refine_seconds = 0.0
        self.counting.keys = []
        self.refreshed = []


def story_state() -> str:
    """Which story state the stage uses, decided as StoryAssigner decides it: "sqlite"
    when link/story_state.py provides SqliteStoryState, else "memory" (the in-memory
    fallback, whose stories live only as long as one Linker)."""
    try:
        importlib.import_module("triangulate.link.story_state").SqliteStoryState  # noqa: B018
    except (ImportError, AttributeError):
        return "memory"
    return "sqlite"


@dataclass(frozen=True, slots=True)
class SizeResult(Record):
    documents: int  # linked documents in the store when the probes started
    build_s: float  # generating, storing and linking the documents added for this size
    build_docs_per_s: float  # documents linked per second while building (the link part only)
    probe: int
    linked: int  # probe documents linked without failure
    mean_ms: float
    p50_ms: float
    p95_ms: float
    max_ms: float
    # Process CPU time per document: less sensitive than wall time to other work on a
    # shared machine (SQLite runs in this process, so its work is counted).
    cpu_mean_ms: float
    cpu_p50_ms: float
    cpu_p95_ms: float
    story_ms: float  # mean per document: story assignment
    blocking_ms: float  # mean per document: candidate_events queries
    refresh_ms: float  # mean per document: rebuilding touched events (ledger, stances, date)
    # mean per document: story refinement and copying its moves (Linker.run refines at
    # the end of every run, and each probe document is a run of its own; a batch refines
    # every REFINE_EVERY documents)
    refine_ms: float
    other_ms: float  # the rest: entities, incidents, loading and scoring candidates, commit
    cpu_ms_per_incident: float  # CPU mean over incidents: documents differ in incidents
    incidents_per_doc: float
    candidates_per_incident: float
    blocking_rows_per_incident: float  # event_keys rows behind those queries
    events_rebuilt_per_doc: float
    members_per_rebuilt_event: float  # reports an event rebuild reloads
    member_rows_per_doc: float  # event reports loaded per document (scoring and rebuilds)
    largest_event: int  # reports of the store's largest event
    story_events_per_doc: float  # events of the document's story (scanned for undated ones)
    joined_share: float  # incidents that joined an existing event
    events: int
    stories: int
    db_mb: float
    build_failures: int
    probe_failures: list[str]


@dataclass(frozen=True, slots=True)
class LinkSpeed(Record):
    story_state: str
    seed: int
    probe: int
    workdir: str
    sqlite: str
    sizes: list[SizeResult]
    # Per-document cost at each size over the cost at the first size, same run.
    ratio_mean: list[float]
    ratio_p50: list[float]
    ratio_p95: list[float]
    ratio_cpu_mean: list[float]


# (phase, total) -> a context giving a callback to call with the number of items done.
ProgressFactory = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]


@contextmanager
def _silent(phase: str, total: int) -> Iterator[Callable[[int], None]]:
    yield lambda n: None


def _insert(store: SQLiteStore, pairs: Sequence[tuple[Document, DocumentAnalysis]]) -> list[str]:
    """Store generated documents with their analyses; ids of those stored. A document
    whose text is already stored word for word (the generator's reposts can repeat one)
    is left out, as ingest records such a copy instead of storing it again."""
    ids: list[str] = []
    with store.transaction():
        for doc, analysis in pairs:
            if store.find_by_hash(doc.content_hash) is not None:
                continue
            shingles = dedup.shingles(dedup.content_text(doc.text, doc.blocks))
            store.insert_document(doc, dedup.fingerprints(shingles), "bench.link_speed")
            store.save_analysis(analysis)
            ids.append(doc.id)
    return ids


def _grow(
    store: SQLiteStore,
    world: World,
    linker: _MeasuredLinker,
    count: int,
    progress: ProgressFactory,
    phase: str,
) -> tuple[float, int]:
    """Add and link ``count`` documents; returns (seconds linking, failures)."""
    link_s = 0.0
    failures = 0
    batch = 500  # documents stored per transaction: bulk loading, not what is measured
    with progress(phase, count) as step:
        done = 0
        while done < count:
            n = min(batch, count - done)
            ids = _insert(store, [world.next() for _ in range(n)])
            start = time.perf_counter()
            report = linker.run(ids, progress=step)
            link_s += time.perf_counter() - start
            failures += len(report.failures)
            done += n
    return link_s, failures


def _posting_rows(conn: sqlite3.Connection, keys: list[str]) -> int:
    """event_keys rows the blocking query read for ``keys`` (at most MAX_POSTING each)."""
    sql = "SELECT COUNT(*) FROM (SELECT 1 FROM event_keys WHERE key = ? LIMIT ?)"
    return sum(int(conn.execute(sql, (k, MAX_POSTING)).fetchone()[0]) for k in keys)


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _db_mb(store: SQLiteStore) -> float:
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return round(os.path.getsize(store.path) / 1e6, 1)


@dataclass
class _ProbeRun:
    wall_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    report: LinkReport = field(default_factory=LinkReport)
    posting_rows: int = 0  # event_keys rows behind the blocking queries
    members: int = 0  # incidents of the events rebuilt, summed over rebuilds
    story_events: int = 0  # events of the document's story, summed over documents


def _probe(
    store: SQLiteStore, world: World, linker: _MeasuredLinker, probe: int, progress: ProgressFactory
) -> _ProbeRun:
    """Link ``probe`` new documents one at a time, each timed on its own."""
    ids: list[str] = []
    while len(ids) < probe:
        ids += _insert(store, [world.next() for _ in range(probe - len(ids))])
    linker.reset()
    out = _ProbeRun()
    conn = store.conn
    with progress("probe", probe) as step:
        for doc_id in ids:
            wall, cpu = time.perf_counter(), time.process_time()
            one = linker.run([doc_id])
            out.cpu_ms.append((time.process_time() - cpu) * 1000)
            out.wall_ms.append((time.perf_counter() - wall) * 1000)
            # What the document's work depended on is read after the clocks stopped: it
            # explains the cost without adding to it.
            for keys in linker.counting.keys:
                out.posting_rows += _posting_rows(conn, keys)
            for event_id in linker.refreshed:
                out.members += int(
                    conn.execute(
                        "SELECT COUNT(*) FROM incidents WHERE event_id = ?", (event_id,)
                    ).fetchone()[0]
                )
            story = linker.links.story_of_doc(doc_id)
            if story is not None:
                out.story_events += len(linker.links.events_in_stories([story]))
            linker.counting.keys, linker.refreshed = [], []
            for name in ("documents", "incidents", "new_events", "joined", "events_rebuilt"):
                setattr(out.report, name, getattr(out.report, name) + getattr(one, name))
            out.report.failures.extend(one.failures)
            step(1)
    return out


def _linked(store: SQLiteStore) -> int:
    return int(store.conn.execute("SELECT COUNT(*) FROM linked").fetchone()[0])


def run(
    sizes: Sequence[int] = DEFAULT_SIZES,
    probe: int = DEFAULT_PROBE,
    workdir: str | Path | None = None,
    seed: int = DEFAULT_SEED,
    progress: ProgressFactory | None = None,
    prefill: bool = False,
    reuse: bool = False,
) -> dict[str, Any]:
    """Grow one store through ``sizes`` and time ``probe`` added documents at each size.

    ``workdir`` keeps the store (link_speed.db, replaced at the start); without it a
    temporary folder is used and removed afterwards. With ``prefill`` each size gets a
    store of its own written in bulk (bench/bulk_store.py: the generator's ground truth
    instead of the stage's decisions, 100,000 documents in about 20 minutes instead of
    hours); the probe documents are then linked by the real stage as without it. With
    ``reuse`` a prefilled store already in ``workdir`` is probed again instead of being
    rebuilt (it grows by ``probe`` documents per run).
    """
    if prefill:
        return _run_prefilled(sizes, probe, workdir, seed, progress, reuse)
    sizes = sorted(set(sizes))
    if not sizes or sizes[0] < 1 or probe < 1:
        raise ValueError("sizes and probe must be positive")
    bar = progress or _silent
    folder, temporary = _work_folder(workdir)
    db = folder / "link_speed.db"
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        path.unlink(missing_ok=True)
    world = World(seed)
    results: list[SizeResult] = []
    try:
        store = SQLiteStore(db)
        try:
            linker = _MeasuredLinker(store)
            for size in sizes:
                todo = size - _linked(store)
                start = time.perf_counter()
                link_s, failures = (
                    _grow(store, world, linker, todo, bar, f"build {size:,}")
                    if todo > 0
                    else (0.0, 0)
                )
                build = _Build(time.perf_counter() - start, todo, link_s, failures)
                results.append(_measure(store, world, linker, probe, bar, build))
                if not temporary:
                    # Sizes done so far, readable while a long run goes on.
                    partial = _summary(results, seed, probe, str(folder)).to_dict()
                    (folder / "link_speed.json").write_text(json.dumps(partial, indent=1), "utf-8")
        finally:
            store.close()
    finally:
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)
    return _summary(
        results, seed, probe, "(temporary, removed)" if temporary else str(folder)
    ).to_dict()


def _work_folder(workdir: str | Path | None) -> tuple[Path, bool]:
    """The folder stores and partial results go to, and whether it is a temporary one."""
    folder = (
        Path(tempfile.mkdtemp(prefix="triangulate-link-speed-"))
        if workdir is None
        else Path(workdir)
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder, workdir is None


def _run_prefilled(
    sizes: Sequence[int],
    probe: int,
    workdir: str | Path | None,
    seed: int,
    progress: ProgressFactory | None,
    reuse: bool = False,
) -> dict[str, Any]:
    from .bulk_store import build_store

    sizes = sorted(set(sizes))
    if not sizes or sizes[0] < 1 or probe < 1:
        raise ValueError("sizes and probe must be positive")
    if reuse and workdir is None:
        raise ValueError("reusing prefilled stores needs a workdir to find them in")
    bar = progress or _silent
    folder, temporary = _work_folder(workdir)
    results: list[SizeResult] = []
    try:
        for size in sizes:
            db = folder / f"link_speed-bulk-{size}-seed{seed}.db"
            world = World(seed)
            start = time.perf_counter()
            if reuse and db.exists():
                # The store keeps what earlier runs added (their probe documents); the
                # generator is wound past everything it holds, so this run's probe
                # documents are new ones continuing the same world.
                _wind(world, db, bar)
                build = _Build(time.perf_counter() - start, 0, 0.0, 0)
            else:
                for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
                    path.unlink(missing_ok=True)
                build_store(db, size, seed, bar, world=world)
                seconds = time.perf_counter() - start
                build = _Build(seconds, size, seconds, 0)
            store = SQLiteStore(db)
            try:
                linker = _MeasuredLinker(store)
                results.append(_measure(store, world, linker, probe, bar, build))
            finally:
                store.close()
            if temporary:
                for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
                    path.unlink(missing_ok=True)
            else:
                partial = _summary(results, seed, probe, str(folder)).to_dict()
                (folder / "link_speed.json").write_text(json.dumps(partial, indent=1), "utf-8")
    finally:
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)
    summary = _summary(results, seed, probe, "(temporary, removed)" if temporary else str(folder))
    return {**summary.to_dict(), "prefill": "bulk (bench/bulk_store.py)", "reused": reuse}


def _wind(world: World, db: Path, progress: ProgressFactory) -> None:
    """Draw from ``world`` until every document ``db`` holds has been drawn (documents
    left out as word-for-word copies are drawn too), so that the next draws are new."""
    with sqlite3.connect(db) as conn:
        stored = {r[0] for r in conn.execute("SELECT id FROM documents")}
    seen = drawn = 0
    with progress(f"wind generator past {len(stored):,}", len(stored)) as step:
        while seen < len(stored):
            doc, _ = world.next()
            drawn += 1
            if doc.id in stored:
                seen += 1
                step(1)
            elif drawn > 2 * len(stored) + 1000:
                raise ValueError(
                    f"{db} was not written by this generator with this seed; the generator"
                    " draws its words from the package's data files (event_types.json ...),"
                    " so editing them makes another world: run without --reuse to rebuild"
                )


def _summary(results: list[SizeResult], seed: int, probe: int, workdir: str) -> LinkSpeed:
    first = results[0]
    return LinkSpeed(
        story_state=story_state(),
        seed=seed,
        probe=probe,
        workdir=workdir,
        sqlite=sqlite3.sqlite_version,
        sizes=results,
        ratio_mean=[_ratio(r.mean_ms, first.mean_ms) for r in results],
        ratio_p50=[_ratio(r.p50_ms, first.p50_ms) for r in results],
        ratio_p95=[_ratio(r.p95_ms, first.p95_ms) for r in results],
        ratio_cpu_mean=[_ratio(r.cpu_mean_ms, first.cpu_mean_ms) for r in results],
    )


@dataclass(frozen=True, slots=True)
class _Build:
    """How one size's documents were added."""

    seconds: float  # generating, storing and linking
    documents: int
    link_seconds: float  # the linking part
    failures: int


def _ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b else 0.0


def _measure(
    store: SQLiteStore,
    world: World,
    linker: _MeasuredLinker,
    probe: int,
    bar: ProgressFactory,
    build: _Build,
) -> SizeResult:
    documents = _linked(store)
    run = _probe(store, world, linker, probe, bar)
    report = run.report
    n = max(len(run.wall_ms), 1)
    mean = sum(run.wall_ms) / n
    parts = {
        "story": linker.timed_stories.seconds * 1000 / n,
        "blocking": linker.counting.seconds * 1000 / n,
        "refresh": linker.refresh_seconds * 1000 / n,
        "refine": linker.refine_seconds * 1000 / n,
    }
    incidents = max(report.incidents, 1)
    calls = max(linker.counting.calls, 1)
    events = int(store.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])
    stories = int(store.conn.execute("SELECT COUNT(DISTINCT story_id) FROM linked").fetchone()[0])
    largest = int(
        store.conn.execute(
            "SELECT COALESCE(MAX(n), 0) FROM"
            " (SELECT COUNT(*) AS n FROM incidents WHERE event_id IS NOT NULL GROUP BY event_id)"
        ).fetchone()[0]
    )
    return SizeResult(
        documents=documents,
        build_s=round(build.seconds, 1),
        build_docs_per_s=round(build.documents / build.link_seconds, 1)
        if build.link_seconds
        else 0.0,
        probe=probe,
        linked=report.documents - len(report.failures),
        mean_ms=round(mean, 2),
        p50_ms=round(_percentile(run.wall_ms, 0.5), 2),
        p95_ms=round(_percentile(run.wall_ms, 0.95), 2),
        max_ms=round(max(run.wall_ms, default=0.0), 2),
        cpu_mean_ms=round(sum(run.cpu_ms) / n, 2),
        cpu_p50_ms=round(_percentile(run.cpu_ms, 0.5), 2),
        cpu_p95_ms=round(_percentile(run.cpu_ms, 0.95), 2),
        story_ms=round(parts["story"], 2),
        blocking_ms=round(parts["blocking"], 2),
        refresh_ms=round(parts["refresh"], 2),
        refine_ms=round(parts["refine"], 2),
        other_ms=round(mean - sum(parts.values()), 2),
        cpu_ms_per_incident=round(sum(run.cpu_ms) / incidents, 2),
        incidents_per_doc=round(report.incidents / n, 2),
        candidates_per_incident=round(linker.counting.candidates / calls, 2),
        blocking_rows_per_incident=round(run.posting_rows / calls, 1),
        events_rebuilt_per_doc=round(report.events_rebuilt / n, 2),
        members_per_rebuilt_event=round(run.members / max(report.events_rebuilt, 1), 1),
        member_rows_per_doc=round(linker.counting.member_rows / n, 1),
        largest_event=largest,
        story_events_per_doc=round(run.story_events / n, 1),
        joined_share=round(report.joined / incidents, 3),
        events=events,
        stories=stories,
        db_mb=_db_mb(store),
        build_failures=build.failures,
        probe_failures=[f"{d}: {why}" for d, why in report.failures],
    )


# Rows of the side-by-side table: (label, field); "ratio_*" fields are the run's lists of
# ratios against the first size, the others are fields of each size's result.
_ROWS = (
    ("documents in store", "documents"),
    ("mean ms / added doc", "mean_ms"),
    ("p50 ms", "p50_ms"),
    ("p95 ms", "p95_ms"),
    ("max ms", "max_ms"),
    ("mean ratio vs first", "ratio_mean"),
    ("p50 ratio vs first", "ratio_p50"),
    ("p95 ratio vs first", "ratio_p95"),
    ("CPU mean ms", "cpu_mean_ms"),
    ("CPU p50 ms", "cpu_p50_ms"),
    ("CPU p95 ms", "cpu_p95_ms"),
    ("CPU mean ratio vs first", "ratio_cpu_mean"),
    ("CPU ms / incident", "cpu_ms_per_incident"),
    ("  story assignment ms", "story_ms"),
    ("  blocking query ms", "blocking_ms"),
    ("  event rebuild ms", "refresh_ms"),
    ("  story refinement ms", "refine_ms"),
    ("  other ms", "other_ms"),
    ("incidents / doc", "incidents_per_doc"),
    ("candidates / incident", "candidates_per_incident"),
    ("event_keys rows / incident", "blocking_rows_per_incident"),
    ("events rebuilt / doc", "events_rebuilt_per_doc"),
    ("reports / rebuilt event", "members_per_rebuilt_event"),
    ("event reports loaded / doc", "member_rows_per_doc"),
    ("largest event (reports)", "largest_event"),
    ("events in doc's story", "story_events_per_doc"),
    ("joined share", "joined_share"),
    ("events", "events"),
    ("stories", "stories"),
    ("DB MB", "db_mb"),
    ("build s", "build_s"),
    ("build docs/s (link)", "build_docs_per_s"),
    ("probe linked", "linked"),
    ("build failures", "build_failures"),
)


def table(result: dict[str, Any]) -> str:
    """The sizes side by side, with the ratios against the first size."""
    sizes = result["sizes"]
    header = ["", *(f"{s['documents']:,}" for s in sizes)]
    rows = [
        [label, *(str(v) for v in result[key])]
        if key.startswith("ratio_")
        else [label, *(str(s[key]) for s in sizes)]
        for label, key in _ROWS
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r))
        for r in [header, *rows]
    ]
    lines.append(
        f"story state: {result['story_state']}; seed {result['seed']}; "
        f"{result['probe']} probe documents per size; sqlite {result['sqlite']}"
    )
    lines += [f"probe failure: {f}" for s in sizes for f in s["probe_failures"]]
    return "\n".join(lines)

"""Group one document's event mentions into incidents before linking across documents.

A news text reports one raid as several mentions ("were arrested", "two people died during
the arrests", "three others were hospitalised"); cross-document linking and the claims
ledger need them as one incident with several properties. Grouping is by role (see
data/incident_roles.json):

- operation mentions (arrest, raid, killing, injury, attack) join the most recent
  operation incident whose date and place they do not contradict; a mention dated years
  before the document's reference year (a "2001 murder") is a past event and only joins an
  incident with a compatible explicit date;
- justification mentions (investigation, accusation, charge) join the nearest operation
  incident within a few sentences, as what an authority says about it;
- what an accusation or investigation is about ("an investigation into a murder", "linked
  to several killings") is its content, kept as the incident's stated reason and never
  counted as a component (its figures are not the incident's casualties);
- every other mention (a demand, a warning, a cancelled visit) is a reaction; mentions of
  the same sentence with the same or no agent form one reaction ("condemned ... and
  demanded");
- headline mentions join a body incident of the same type when one exists.

Mentions that are hypothetical, negated or questions are not facts and join nothing.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from ..records import BlockKind, Document, Record
from ..understand.types import DocumentAnalysis, EventMention, Modality
from .dates import CalendarDate, combine, parse_calendar
from .eventcoref import dates_compatible

NOT_FACTUAL = frozenset({Modality.HYPOTHETICAL, Modality.NEGATED, Modality.QUESTION})
HEADLINE_KINDS = frozenset({BlockKind.TITLE, BlockKind.DEK, BlockKind.HEADING})


class Role(enum.StrEnum):
    COMPONENT = "component"  # part of what happened (an arrest, a death)
    JUSTIFICATION = "justification"  # what an authority says about it
    REASON = "reason"  # the content of a justification ("into a murder")
    REACTION = "reaction"  # a statement or measure that is its own event


@dataclass(frozen=True, slots=True)
class Roles:
    operation: frozenset[str]
    justification: frozenset[str]
    content: frozenset[str]
    window: int
    historical_years: int


@cache
def roles() -> Roles:
    data = json.loads(
        resources.files("triangulate.data").joinpath("incident_roles.json").read_text("utf-8")
    )
    return Roles(
        frozenset(data["operation"]),
        frozenset(data["justification"]),
        frozenset(data["content"]),
        int(data["justification_window"]),
        int(data["historical_years"]),
    )


@dataclass(frozen=True, slots=True)
class IncidentMember(Record):
    mention: int  # index into the document's event mentions
    role: Role


@dataclass(frozen=True, slots=True)
class Incident(Record):
    doc_id: str
    index: int
    anchor: int  # trigger offset of the first member: stable while the text is unchanged
    kind: str  # "operation" or "reaction"
    types: tuple[str, ...]
    members: tuple[IncidentMember, ...]
    date: str | None  # calendar TimeML value (2025-06-27, XXXX-06-27, 2025-06) or None
    date_note: str  # how the date was put together
    places: tuple[str, ...]  # place keys
    participants: tuple[str, ...]  # entity keys of agents and patients
    agents: tuple[str, ...] = ()  # entity keys of who acted or spoke

    def mention_ids(self, role: Role | None = None) -> list[int]:
        return [m.mention for m in self.members if role is None or m.role == role]


@dataclass
class _Draft:
    kind: str
    members: list[IncidentMember] = field(default_factory=list)
    dates: list[CalendarDate] = field(default_factory=list)  # calendar dates, for the result
    values: list[str] = field(default_factory=list)  # every date value (weeks too), to compare
    places: set[str] = field(default_factory=set)
    agents: set[str] = field(default_factory=set)
    last_sentence: int = 0
    sentence: int = 0  # of the first member, for reactions
    historical: bool = False


def _place_keys(m: EventMention) -> set[str]:
    return {m.location.entity_key} if m.location and m.location.entity_key else set()


def _arg_keys(m: EventMention) -> set[str]:
    return {a.entity_key for a in (*m.agents, *m.patients) if a.entity_key}


def _date(m: EventMention) -> CalendarDate | None:
    return parse_calendar(m.time.value) if m.time else None


def reference_year(doc: Document, analysis: DocumentAnalysis) -> int | None:
    """The year the document reports from: its publication year, else the latest year
    among its own explicit dates."""
    if doc.published.value and doc.published.value[:4].isdigit():
        return int(doc.published.value[:4])
    years = [
        d.year for t in analysis.timexes if (d := parse_calendar(t.value)) and d.year is not None
    ]
    return max(years) if years else None


def _places_compatible(a: set[str], b: set[str], containment: dict[str, str]) -> bool:
    """Same place, unknown, or one inside the other (a city inside its country)."""
    if not a or not b or a & b:
        return True
    for x in a:
        for y in b:
            if containment.get(x) == y or containment.get(y) == x:
                return True
    return False


def group_incidents(
    doc: Document,
    analysis: DocumentAnalysis,
    containment: dict[str, str] | None = None,
) -> list[Incident]:
    """The incidents of one analysed document, in order of their first mention."""
    r = roles()
    contain = place_containment() if containment is None else containment
    mentions = analysis.mentions
    sentence_of = {s: i for i, s in enumerate(sorted({m.evidence_start for m in mentions}))}
    ref_year = reference_year(doc, analysis)

    def historical(d: CalendarDate | None) -> bool:
        return (
            d is not None
            and d.year is not None
            and ref_year is not None
            and d.year <= ref_year - r.historical_years
        )

    def headline(m: EventMention) -> bool:
        return 0 <= m.block < len(doc.blocks) and doc.blocks[m.block].kind in HEADLINE_KINDS

    factual = [
        i
        for i, m in enumerate(mentions)
        if m.modality not in NOT_FACTUAL and not headline(mentions[i])
    ]
    factual.sort(key=lambda i: (mentions[i].trigger_start, i))

    # What another mention is about is its content, not an event of its own: a mention
    # whose trigger lies inside another's patient ("demanded a full investigation"), and
    # content-type mentions after a justification's trigger in its sentence
    # ("investigation into a murder", "group linked to several killings").
    reason_of: dict[int, int] = {}
    for j in factual:
        mj = mentions[j]
        for i in factual:
            mi = mentions[i]
            if i == j or i in reason_of or mi.evidence_start != mj.evidence_start:
                continue
            inside = any(p.start <= mi.trigger_start < p.end for p in mj.patients)
            follows = (
                mj.type in r.justification
                and mi.type in r.content
                and mi.trigger_start > mj.trigger_start
            )
            if inside or follows:
                reason_of[i] = j

    drafts: list[_Draft] = []
    draft_of: dict[int, _Draft] = {}

    def fits(d: _Draft, m: EventMention) -> bool:
        md = _date(m)
        # A past event joins only an incident dated in the same past, and vice versa.
        if (historical(md) or d.historical) and not (
            md is not None and d.dates and historical(md) and d.historical
        ):
            return False
        value = m.time.value if m.time else None
        if any(dates_compatible(value, x) is False for x in d.values):
            return False
        return _places_compatible(d.places, _place_keys(m), contain)

    def add(d: _Draft, i: int, role: Role) -> None:
        m = mentions[i]
        d.members.append(IncidentMember(i, role))
        if (md := _date(m)) is not None:
            d.dates.append(md)
        if m.time is not None:
            d.values.append(m.time.value)
        d.places |= _place_keys(m)
        d.last_sentence = sentence_of[m.evidence_start]
        draft_of[i] = d

    def new(kind: str, i: int, role: Role) -> _Draft:
        d = _Draft(kind, sentence=sentence_of[mentions[i].evidence_start])
        d.historical = historical(_date(mentions[i]))
        drafts.append(d)
        add(d, i, role)
        return d

    # Operations first, in text order: they are what justifications attach to.
    for i in factual:
        m = mentions[i]
        if m.type not in r.operation or i in reason_of:
            continue
        ops = [d for d in drafts if d.kind == "operation" and fits(d, m)]
        if ops:
            add(max(ops, key=lambda d: d.last_sentence), i, Role.COMPONENT)
        else:
            new("operation", i, Role.COMPONENT)

    for i in factual:
        m = mentions[i]
        if m.type not in r.justification or i in draft_of or i in reason_of:
            continue
        here = sentence_of[m.evidence_start]
        near = [
            d
            for d in drafts
            if d.kind == "operation"
            and fits(d, m)
            and min(abs(sentence_of[mentions[x.mention].evidence_start] - here) for x in d.members)
            <= r.window
        ]
        if near:
            best = min(
                near,
                key=lambda d: min(
                    abs(sentence_of[mentions[x.mention].evidence_start] - here) for x in d.members
                ),
            )
            add(best, i, Role.JUSTIFICATION)
        else:
            new("reaction", i, Role.REACTION)

    for i in factual:
        if i in draft_of or i in reason_of:
            continue
        m = mentions[i]
        agents = {a.entity_key or a.text.lower() for a in m.agents}
        here = sentence_of[m.evidence_start]
        same = [
            d
            for d in drafts
            if d.kind == "reaction"
            and d.sentence == here
            and (not agents or not d.agents or agents & d.agents)
        ]
        if same:
            add(same[0], i, Role.REACTION)
            same[0].agents |= agents
        else:
            d = new("reaction", i, Role.REACTION)
            d.agents |= agents

    for i, j in sorted(reason_of.items()):
        host = j
        while host in reason_of and host not in draft_of:
            host = reason_of[host]
        if host in draft_of:
            add(draft_of[host], i, Role.REASON)

    # Headlines summarise the body: a headline mention joins a body incident of its type
    # when one exists, otherwise it stands alone.
    for i, m in enumerate(mentions):
        if not headline(m) or m.modality in NOT_FACTUAL:
            continue
        keys = _arg_keys(m) | _place_keys(m)
        same_type = [
            d
            for d in drafts
            if any(mentions[x.mention].type == m.type for x in d.members)
            and keys & (d.places | {k for x in d.members for k in _arg_keys(mentions[x.mention])})
        ]
        if not same_type:
            any_type = [
                d for d in drafts if any(mentions[x.mention].type == m.type for x in d.members)
            ]
            if len(any_type) > 1:
                continue  # several body incidents could be meant: the body has the facts
            same_type = any_type
        if same_type:
            add(
                same_type[0],
                i,
                Role.COMPONENT if same_type[0].kind == "operation" else Role.REACTION,
            )
        else:
            new("operation" if m.type in r.operation else "reaction", i, Role.COMPONENT)

    out: list[Incident] = []
    ordered = sorted(
        drafts, key=lambda d: min(mentions[x.mention].trigger_start for x in d.members)
    )
    for n, d in enumerate(ordered):
        members = tuple(
            sorted(d.members, key=lambda x: (mentions[x.mention].trigger_start, x.mention))
        )
        first = min(
            (x for x in members if x.role in (Role.COMPONENT, Role.REACTION)),
            key=lambda x: mentions[x.mention].trigger_start,
            default=members[0],
        )
        date, lent = combine(d.dates)
        note = ""
        if date is not None:
            note = (
                f"from {date.value}"
                if not lent
                else "combined "
                + ", ".join(x.value for x in [max(d.dates, key=lambda x: x.specificity()), *lent])
            )
        types = tuple(
            dict.fromkeys(mentions[x.mention].type for x in members if x.role != Role.REASON)
        )
        participants: set[str] = set()
        actors: set[str] = set()
        for x in members:
            if x.role != Role.REASON:
                participants |= _arg_keys(mentions[x.mention])
                actors |= {a.entity_key for a in mentions[x.mention].agents if a.entity_key}
        out.append(
            Incident(
                doc_id=doc.id,
                index=n,
                anchor=mentions[first.mention].trigger_start,
                kind=d.kind,
                types=types,
                members=members,
                date=date.value if date else None,
                date_note=note,
                places=tuple(sorted(d.places)),
                participants=tuple(sorted(participants - d.places)),
                agents=tuple(sorted(actors - d.places)),
            )
        )
    return out


@cache
def place_containment() -> dict[str, str]:
    """Place key -> key of the country it lies in, from the places gazetteer
    (data/places.json). Keys are the script-independent keys mentions carry, so every
    variant of a name is entered."""
    from ..understand.entities import translit_key

    data = json.loads(
        resources.files("triangulate.data").joinpath("places.json").read_text("utf-8")
    )
    places = data["places"]
    country_key = {
        p["country"]: translit_key(p["name"]) for p in places if p.get("kind") == "country"
    }
    out: dict[str, str] = {}
    for p in places:
        if p.get("kind") == "country" or p.get("country") not in country_key:
            continue
        for name in {p["name"], *p.get("en", []), *p.get("ru", []), *p.get("az", [])}:
            out[translit_key(name)] = country_key[p["country"]]
    return out


def mentions_of(incident: Incident, mentions: Sequence[EventMention]) -> list[EventMention]:
    return [mentions[i] for i in incident.mention_ids()]

"""Claims of one event: every source's value per property, with its speaker chain,
modality and evidence.

One document can make several claims about one property when different voices speak in
it ("12 were detained" in the author's voice, "dozens" from witnesses via a local outlet):
claims are kept apart per speaker chain. Victims named one by one are the exception: "A
and B were killed" and "C was reportedly killed" add up to one claim of three, with a note
saying which part is hedged, because they count different people rather than competing
figures for the same people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..link.incidents import Incident, Role
from ..records import Document
from ..understand.entities import gazetteer, translit_key
from ..understand.types import (
    EntityMention,
    EntityType,
    EventMention,
    Exactness,
    Modality,
    Voice,
)
from .types import Claim, Evidence, Property

# Figure kinds per property. "people" counts only for detention types ("six employees
# ... have been detained"), where the trigger says what happened to them.
KIND_PROPERTY = {
    "killed": Property.DEATHS,
    "injured": Property.INJURED,
    "hospitalised": Property.HOSPITALISED,
    "detained": Property.DETAINED,
    "arrested": Property.DETAINED,
}
PEOPLE_TYPES = frozenset({"arrest", "raid"})

# From most to least certain: a claim made of several mentions takes the most cautious.
CAUTION = [
    Modality.ASSERTED,
    Modality.REPORTED,
    Modality.CLAIMED,
    Modality.ALLEGED,
    Modality.DENIED,
]

# Entity types that can be an event's agent (who did it).
AGENT_TYPES = frozenset({EntityType.ORG.value, EntityType.PER.value, EntityType.MEDIA.value})


@dataclass(frozen=True, slots=True)
class Member:
    """One document's incident inside an event, with what the ledger needs of it."""

    doc: Document
    incident: Incident
    mentions: Sequence[EventMention]  # all of the document's event mentions
    entities: Sequence[EntityMention]
    origin_doc: str  # the document this one copies (itself when it is an original)
    origin_source: str  # source key of that original ("" when anonymous)
    stage: str


def cautious(modalities: Sequence[Modality]) -> Modality:
    ranked = [m for m in modalities if m in CAUTION]
    return max(ranked, key=CAUTION.index) if ranked else Modality.ASSERTED


def origin(member: Member, mention: EventMention) -> str:
    """Independence key of what ``mention`` says: the outlet a report cites first, the
    quoted original of a quoted block, else the original document's source."""
    chain = mention.attribution.chain
    if chain:
        entry = gazetteer().entry_for(chain[0], "en")
        if entry is not None and entry.type is EntityType.MEDIA:
            return f"outlet:{translit_key(entry.name)}"
    if mention.attribution.voice is Voice.QUOTED_BLOCK:
        # A forum post quoting an unnamed text: the quoted text is the source, and
        # reposts of the post (same original document) quote the same text.
        return f"quote:{member.origin_doc}"
    if member.origin_source and not member.origin_source.startswith("unknown/"):
        return f"source:{member.origin_source}"
    return f"doc:{member.origin_doc}"


def _chain(mention: EventMention) -> tuple[str, ...]:
    a = mention.attribution
    if a.chain:
        return a.chain
    return (a.speaker,) if a.speaker else ()


def _evidence(member: Member, mention: EventMention) -> Evidence:
    text = member.doc.text[mention.evidence_start : mention.evidence_end]
    return Evidence(member.doc.id, mention.evidence_start, mention.evidence_end, text, member.stage)


@dataclass
class _Part:
    mention: EventMention
    low: int
    high: int | None
    exactness: Exactness
    word: str
    victims: frozenset[str] = frozenset()


@dataclass
class _Builder:
    member: Member
    event_id: int
    out: list[Claim] = field(default_factory=list)

    def claim(
        self,
        prop: Property,
        value: str,
        key: str,
        parts: Sequence[EventMention],
        *,
        low: float | None = None,
        high: float | None = None,
        exactness: str = "",
        note: str = "",
    ) -> None:
        first = parts[0]
        m = self.member
        self.out.append(
            Claim(
                event_id=self.event_id,
                property=prop,
                doc_id=m.doc.id,
                source=m.doc.source.name or m.doc.source.domain or m.doc.source.key,
                value=value,
                min=low,
                max=high,
                key=key,
                exactness=exactness,
                modality=cautious([p.modality for p in parts]).value,
                voice=first.attribution.voice.value,
                chain=_chain(first),
                origin=origin(m, first),
                published=m.doc.published.value,
                seq=m.doc.seq or 0,
                evidence=tuple(dict.fromkeys(_evidence(m, p) for p in parts)),
                note=note,
                confidence=round(min(p.confidence for p in parts), 2),
            )
        )


def _display(low: int, high: int | None, exactness: Exactness, word: str) -> str:
    if exactness is Exactness.VAGUE:
        span = f"{low}+" if high is None else f"{low}-{high}"
        return f"{word or 'vague'} ({span})"
    if high is None:
        return f"more than {max(low - 1, 0)}"
    if high != low:
        return f"{low}-{high}"
    return f"≈{low}" if exactness is Exactness.APPROXIMATE else str(low)


def _fold_victims(keys: set[str]) -> set[str]:
    """Drop surname-only keys covered by a full name ("Səfərov" beside "Huseyn Safarov")."""
    full = {k for k in keys if " " in k}
    surnames = {k.rsplit(" ", 1)[1] for k in full}
    return full | {k for k in keys if " " not in k and k not in surnames}


def _numeric(b: _Builder, components: Sequence[EventMention]) -> None:
    parts: dict[Property, list[_Part]] = defaultdict(list)
    for m in components:
        figures = [
            q
            for q in m.quantities
            if q.kind in KIND_PROPERTY or (q.kind == "people" and m.type in PEOPLE_TYPES)
        ]
        victims = frozenset(
            p.entity_key for p in m.patients if p.entity_key and p.type == EntityType.PER.value
        )
        for q in figures:
            prop = KIND_PROPERTY.get(q.kind, Property.DETAINED)
            counted = victims if m.type == "killing" and len(victims) == q.min else frozenset()
            parts[prop].append(_Part(m, q.min, q.max, q.exactness, q.word, counted))
        if m.type == "killing" and victims and not any(q.kind == "killed" for q in figures):
            # "a third man, X, was also killed": each named victim counts one.
            n = len(victims)
            parts[Property.DEATHS].append(_Part(m, n, n, Exactness.IMPLICIT, "", victims))

    for prop, items in parts.items():
        named = [p for p in items if p.victims]
        covered = 0
        if named:
            everyone = _fold_victims(set().union(*(p.victims for p in named)))
            covered = len(everyone)
            hedged = _fold_victims(
                set().union(
                    *(p.victims for p in named if p.mention.modality is not Modality.ASSERTED)
                )
            )
            note = ""
            if hedged and len(hedged) < covered:
                cues = {
                    p.mention.modality_cue
                    for p in named
                    if p.mention.modality is not Modality.ASSERTED
                }
                note = f"{len(hedged)} of {covered} " + "/".join(
                    sorted(c for c in cues if c) or ["hedged"]
                )
            exactness = Exactness.IMPLICIT if len(named) > 1 else named[0].exactness
            b.claim(
                prop,
                str(covered),
                f"{covered}-{covered}",
                [p.mention for p in named],
                low=covered,
                high=covered,
                exactness=exactness.value,
                note=note,
            )
        by_chain: dict[tuple[str, ...], list[_Part]] = defaultdict(list)
        for p in items:
            if not p.victims:
                by_chain[_chain(p.mention)].append(p)
        for group in by_chain.values():
            # Mentions of one voice repeating a figure ("two people died ... the two
            # victims") are one claim: the largest figure stands for the voice.
            best = max(group, key=lambda p: (p.low, p.high or p.low))
            if named and best.high is not None and best.high <= covered:
                continue  # the named victims already account for it
            b.claim(
                prop,
                _display(best.low, best.high, best.exactness, best.word),
                f"{best.low}-{'' if best.high is None else best.high}",
                [p.mention for p in group if (p.low, p.high) == (best.low, best.high)],
                low=best.low,
                high=best.high,
                exactness=best.exactness.value,
            )


def build_claims(member: Member, event_id: int) -> list[Claim]:
    """The claims ``member``'s document makes about the event."""
    b = _Builder(member, event_id)
    inc = member.incident
    ms = member.mentions
    components = [ms[i] for i in inc.mention_ids(Role.COMPONENT)] + [
        ms[i] for i in inc.mention_ids(Role.REACTION)
    ]
    justifications = [ms[i] for i in inc.mention_ids(Role.JUSTIFICATION)]
    reasons = [ms[i] for i in inc.mention_ids(Role.REASON)]
    _numeric(b, components)

    if inc.date:
        dated = [m for m in components + justifications if m.time is not None] or components[:1]
        b.claim(Property.DATE, inc.date, inc.date, dated[:1], note=inc.date_note)

    places: dict[str, list[EventMention]] = defaultdict(list)
    names: dict[str, str] = {}
    # Where a statement or measure was announced is rarely what anyone disputes, and the
    # place named beside it is usually its object ("cancelled events with Russia"): only
    # operations (raids, arrests, killings) have a place property.
    for m in components if inc.kind == "operation" else ():
        if m.location is not None and m.location.entity_key:
            places[m.location.entity_key].append(m)
            names.setdefault(m.location.entity_key, m.location.text)
    for key, group in places.items():
        b.claim(Property.PLACE, names[key], key, group)

    agents: dict[str, list[EventMention]] = defaultdict(list)
    for m in components + justifications:
        for a in m.agents:
            # The speaker of a justification is named as the actor only when it is an
            # authority (an investigating agency), not a commentator.
            allowed = AGENT_TYPES if m in components else {EntityType.ORG.value}
            if a.entity_key and a.type in allowed:
                agents[a.entity_key].append(m)
                names.setdefault(a.entity_key, a.text)
    for key, group in agents.items():
        b.claim(Property.AGENT, names[key], key, group)

    targets: dict[str, list[EventMention]] = defaultdict(list)
    agent_spans = [(a.start, a.end) for m in components for a in m.agents]
    for m in components:
        for e in member.entities:
            if (
                e.type is EntityType.NORP
                and m.evidence_start <= e.start < m.evidence_end
                and not any(s <= e.start < t for s, t in agent_spans)
            ):
                targets[e.key].append(m)
                names.setdefault(e.key, e.canonical)
    for key, group in targets.items():
        b.claim(Property.TARGET, names[key], key, list(dict.fromkeys(group)))

    for j in justifications:
        contents = [r for r in reasons if r.evidence_start == j.evidence_start]
        what = "; ".join([p.text for p in j.patients] + [r.trigger for r in contents])
        value = f"{j.trigger}: {what}" if what else j.trigger
        b.claim(Property.REASON, value, value.lower(), [j, *contents])
    return b.out

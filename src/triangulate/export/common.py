"""Pieces several formats share: the result record, event dates as calendar days, who an
event's main actors are, and the dispute text that ACLED notes and briefs carry."""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..ledger.types import Claim, Conflict, Property
from ..records import Record
from ..store.base import DocumentSummary
from .select import EventBundle


@dataclass(frozen=True, slots=True)
class Rendered(Record):
    """One export as text, with how many records it holds and what was left out, by
    reason (a format that cannot carry an event says so instead of inventing data)."""

    format: str
    text: str
    records: int
    skipped: tuple[tuple[str, int], ...] = ()

    def summary(self) -> str:
        left = "".join(f"; {n} left out: {why}" for why, n in self.skipped if n)
        return f"{self.records} record(s){left}"


def day(value: str | None) -> _dt.date | None:
    """The calendar day of an ISO date or datetime ('2025-06-27', '2025-06-28T11:40:00+04:00')."""
    if not value or len(value) < 10:
        return None
    try:
        return _dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def interval(bundle: EventBundle) -> tuple[_dt.date, _dt.date] | None:
    """The event's date interval (first and last possible day), when its year is known."""
    start, end = day(bundle.event.date_start), day(bundle.event.date_end)
    if start is None:
        return None
    return start, end if end is not None and end >= start else start


def reports(bundle: EventBundle, docs: dict[str, DocumentSummary]) -> list[DocumentSummary]:
    """The event's documents, first published first (ingest order breaks ties and places
    documents without a date last)."""
    members = [docs[d] for d in bundle.doc_ids() if d in docs]
    return sorted(members, key=lambda d: (day(d.published.value) or _dt.date.max, d.seq))


def first_published(bundle: EventBundle, docs: dict[str, DocumentSummary]) -> _dt.date | None:
    days = [day(docs[d].published.value) for d in bundle.doc_ids() if d in docs]
    known = [d for d in days if d is not None]
    return min(known) if known else None


def leading(claims: Iterable[Claim], prop: Property) -> str | None:
    """The value of ``prop`` backed by the most independent origins (earliest report on a
    tie): an event's main actor when sources name several."""
    origins: dict[str, set[str]] = defaultdict(set)
    first: dict[str, tuple[str, int]] = {}
    value: dict[str, str] = {}
    for c in claims:
        if c.property is not prop:
            continue
        origins[c.key].add(c.origin)
        rank = (c.published or "9999", c.seq)
        if c.key not in first or rank < first[c.key]:
            first[c.key], value[c.key] = rank, c.value
    if not origins:
        return None
    best = min(origins, key=lambda k: (-len(origins[k]), first[k]))
    return value[best]


def dispute_text(conflict: Conflict) -> str:
    """'deaths: 2 (unknown/unknown, asserted) vs 3 (unknown/forum, claimed)'."""
    parts = []
    for v in conflict.values:
        who = ", ".join(v.sources)
        chains = [c for c in dict.fromkeys(v.chains) if c not in ("author", "")]
        via = f" via {'; '.join(chains)}" if chains else ""
        parts.append(f"{v.value} ({who}{via}; {v.modality})")
    return f"{conflict.property.value}: " + " vs ".join(parts)


def plain(text: str | None) -> str:
    """One line: formats with line or field separators carry no raw newlines or tabs."""
    return " ".join((text or "").split())


def figure_text(bundle: EventBundle) -> list[str]:
    out = []
    for f in bundle.figures:
        if f.consensus is not None:
            out.append(f"{f.property.value} {f.consensus}")
        elif f.conservative is not None:
            hi = "?" if f.high is None else f"{f.high:g}"
            out.append(
                f"{f.property.value} {f.low:g}-{hi} (lowest credible {f.conservative:g})"
                if f.low is not None
                else f"{f.property.value} (lowest credible {f.conservative:g})"
            )
    return out


def conflict_rank(c: Conflict) -> tuple[bool, float]:
    """Contradictions first, then the most severe."""
    return (c.kind.value != "contradiction", -c.severity)


def sorted_conflicts(conflicts: Sequence[Conflict]) -> list[Conflict]:
    return sorted(conflicts, key=conflict_rank)

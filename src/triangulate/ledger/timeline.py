"""The timeline: events in time order with date and precision, place, participants,
corroboration, contested values and stance, each row traceable to its evidence."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import Record
from ..store.links import SQLiteLinks
from .types import Claim, Conflict, Property


@dataclass(frozen=True, slots=True)
class TimelineRow(Record):
    event_id: int
    date: str | None  # calendar value (XXXX when the year is unknown)
    precision: str
    date_method: str
    date_evidence: str
    start: str | None
    end: str | None
    label: str
    types: tuple[str, ...]
    place: str | None
    agents: tuple[str, ...]
    figures: tuple[str, ...]  # "deaths 2-3 (conservative 2)"
    documents: int
    sources: int  # independent sources
    contested: tuple[str, ...]  # "deaths: 2 vs 3"
    stance: tuple[str, ...]  # "source: agree"
    evidence: str  # the first reporter's sentence
    evidence_doc: str
    evidence_span: tuple[int, int]
    story: str | None


def _figures(claims: Sequence[Claim]) -> tuple[str, ...]:
    from .conflicts import summarise

    out = []
    for prop in (Property.DEATHS, Property.INJURED, Property.HOSPITALISED, Property.DETAINED):
        s = summarise(prop, claims)
        if not s.claims:
            continue
        if s.consensus is not None:
            out.append(f"{prop.value} {s.consensus}")
            continue
        hi = "?" if s.high is None else f"{s.high:g}"
        lo = "?" if s.low is None else f"{s.low:g}"
        cons = "?" if s.conservative is None else f"{s.conservative:g}"
        out.append(f"{prop.value} {lo}-{hi} (conservative {cons})")
    return tuple(out)


def _contested(conflicts: Sequence[Conflict]) -> tuple[str, ...]:
    return tuple(
        f"{c.property.value}: " + " vs ".join(v.value for v in c.values) + f" [{c.kind.value}]"
        for c in conflicts
    )


def _stances(links: SQLiteLinks, event_id: int, claims: Sequence[Claim]) -> tuple[str, ...]:
    names = {c.doc_id: c.source for c in claims}
    out = []
    for doc, _, stances in links.stances(event_id):
        for s in stances:
            what = "event" if s["target"] == "event" else "stated reason"
            out.append(f"{names.get(doc, doc)}: {s['label']} ({what}, p={s['probability']:.2f})")
    return tuple(dict.fromkeys(out))


def timeline(
    links: SQLiteLinks,
    *,
    story: str | None = None,
    type: str | None = None,
    entity: int | None = None,
    min_sources: int = 1,
    min_documents: int = 1,
) -> list[TimelineRow]:
    rows = []
    for ev in links.list_events(story=story, type=type, entity=entity):
        if ev.sources < min_sources or ev.documents < min_documents:
            continue
        claims = links.claims(ev.id)
        conflicts = links.conflicts(ev.id)
        agents = tuple(dict.fromkeys(c.value for c in claims if c.property is Property.AGENT))
        first = min(claims, key=lambda c: (c.published or "9999", c.seq), default=None)
        ev_text, ev_doc, span = "", "", (0, 0)
        if first is not None and first.evidence:
            e = first.evidence[0]
            ev_text, ev_doc, span = e.text, e.doc_id, (e.start, e.end)
        else:
            members = links.members(ev.id)
            ev_doc = members[0].doc_id if members else ""
        rows.append(
            TimelineRow(
                event_id=ev.id,
                date=ev.date,
                precision=ev.precision,
                date_method=ev.date_method,
                date_evidence=ev.date_evidence,
                start=ev.date_start,
                end=ev.date_end,
                label=ev.label,
                types=ev.types,
                place=ev.place,
                agents=agents,
                figures=_figures(claims),
                documents=ev.documents,
                sources=ev.sources,
                contested=_contested(conflicts),
                stance=_stances(links, ev.id, claims),
                evidence=ev_text,
                evidence_doc=ev_doc,
                evidence_span=span,
                story=ev.story,
            )
        )
    return rows


CSV_FIELDS = (
    "event_id", "date", "precision", "date_method", "start", "end", "label", "types", "place",
    "agents", "figures", "documents", "sources", "contested", "stance", "evidence_doc",
    "evidence_start", "evidence_end", "evidence", "story",
)  # fmt: skip


def _flat(row: TimelineRow) -> dict[str, str]:
    d = row.to_dict()
    out = {
        k: "; ".join(map(str, v)) if isinstance(v, list) else ("" if v is None else str(v))
        for k, v in d.items()
    }
    out["evidence_start"], out["evidence_end"] = (
        str(row.evidence_span[0]),
        str(row.evidence_span[1]),
    )
    return {k: out.get(k, "") for k in CSV_FIELDS}


def to_csv(rows: Sequence[TimelineRow]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(CSV_FIELDS), lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow(_flat(r))
    return buf.getvalue()


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def date_cell(row: TimelineRow) -> str:
    if row.date is None:
        return "undated"
    mark = {"inferred": " (year inferred)", "combined": " (combined)"}.get(row.date_method, "")
    return f"{row.date}{mark}"


def to_markdown(rows: Sequence[TimelineRow]) -> str:
    lines = [
        "| date | event | place | who | figures | sources | contested | evidence |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            "| "
            + " | ".join(
                _md(x)
                for x in (
                    date_cell(r),
                    f"#{r.event_id} {r.label}",
                    r.place or "",
                    ", ".join(r.agents),
                    "; ".join(r.figures),
                    f"{r.sources} independent / {r.documents} docs",
                    "; ".join(r.contested),
                    f"{r.evidence_doc}@{r.evidence_span[0]}: {r.evidence[:120]}",
                )
            )
            + " |"
        )
    return "\n".join(lines) + "\n"

"""TimelineJS3 JSON (https://timeline.knightlab.com/docs/json-format.html).

Shape: ``{"title": slide, "events": [slide...], "scale": "human"}``; an event slide has
``start_date`` (``year`` and, only when known, ``month`` and ``day``), ``end_date`` when
the date is an interval of days (a week, "late June"), ``text`` (``headline``, ``text``),
``group`` (the event's main type, so TimelineJS gives each type its own row) and
``unique_id``. A date known to the month or year gives only those fields: TimelineJS then
shows "June 2025" or "2001" rather than a made-up day.

Events without a known year (undated, or ``XXXX-06-27``) cannot be placed on a time axis:
they are left out of ``events`` and listed, with their count, in the title slide's text.

TimelineJS renders ``headline`` and ``text`` as HTML, so everything taken from documents is
HTML-escaped; the only markup is our own paragraphs.
"""

from __future__ import annotations

import html
import json
from typing import Any

from ..ledger.timeline import date_cell
from ..store.sqlite import SQLiteStore
from .common import Rendered, dispute_text, figure_text, interval
from .select import EventBundle, Selection


def _date(value: str, precision: str) -> dict[str, int]:
    year, month, dd = (int(x) for x in value[:10].split("-"))
    if precision == "year":
        return {"year": year}
    if precision == "month":
        return {"year": year, "month": month}
    return {"year": year, "month": month, "day": dd}


def _p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _slide_text(b: EventBundle) -> str:
    r = b.row
    parts = [f"{date_cell(r)} ({r.precision}, {r.date_method})"]
    if r.place:
        parts.append(f"Place: {r.place}")
    if r.agents:
        parts.append("Who: " + ", ".join(r.agents))
    parts += figure_text(b)
    parts.append(f"{r.sources} independent source(s), {r.documents} document(s)")
    parts += ["Disputed " + dispute_text(c) for c in b.conflicts]
    if r.evidence:
        parts.append(f"First report ({r.evidence_doc}): {r.evidence}")
    return "".join(_p(x) for x in parts)


def build(sel: Selection) -> tuple[dict[str, Any], int]:
    """The TimelineJS document and the number of events left out (no known year)."""
    events: list[dict[str, Any]] = []
    unplaced: list[EventBundle] = []
    for b in sel.events:
        span = interval(b)
        ev = b.event
        if span is None or ev.date_start is None:
            unplaced.append(b)
            continue
        slide: dict[str, Any] = {
            "start_date": _date(ev.date_start, ev.precision),
            "text": {
                "headline": html.escape(f"#{ev.id} {ev.label}"),
                "text": _slide_text(b),
            },
            "group": (ev.types[0] if ev.types else "event").replace("_", " "),
            "unique_id": f"event-{ev.id}",
        }
        if ev.precision not in ("year", "month") and span[1] > span[0]:
            slide["end_date"] = _date(span[1].isoformat(), "day")
        events.append(slide)
    scope = f"story {sel.story}" if sel.story else "all stories"
    if sel.types:
        scope += ", types " + ", ".join(sel.types)
    intro = [f"{len(events)} event(s) placed on the timeline ({scope})."]
    if unplaced:
        intro.append(
            f"{len(unplaced)} event(s) without a known year are not placed: "
            + "; ".join(f"#{b.id} {b.event.label} ({b.event.date or 'undated'})" for b in unplaced)
        )
    doc = {
        "title": {
            "text": {
                "headline": html.escape(
                    "Triangulate timeline" + (f": {sel.story}" if sel.story else "")
                ),
                "text": "".join(_p(x) for x in intro),
            }
        },
        "events": events,
        "scale": "human",
    }
    return doc, len(unplaced)


def render(sel: Selection, store: SQLiteStore | None = None) -> Rendered:
    doc, unplaced = build(sel)
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    return Rendered(
        "timelinejs",
        text,
        len(doc["events"]),
        (("no date with a known year (listed on the title slide)", unplaced),),
    )

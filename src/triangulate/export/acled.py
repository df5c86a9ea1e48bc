"""ACLED-style CSV: one row per event ACLED would code, in ACLED's column names and order
(the 2023 layout, keeping the columns we can fill honestly).

- ``event_date`` (YYYY-MM-DD) and ``time_precision``: 1 when the day is known; 2 when the
  date is an interval of up to a week; 3 for a month, a year, or no reported date. For 2
  and 3 the date is the middle of the interval, as ACLED codes imprecise dates. An event
  with no reported date is coded at its first report's publication day with precision 3,
  and the notes say so; one with neither is left out.
- ``disorder_type``, ``event_type``, ``sub_event_type``: from data/acled_types.json, by
  the event's highest-ranked type; events whose types are all statements are left out.
- ``actor1``: the agent named by the most independent origins; ``actor2``: the target
  group likewise. ACLED's actors carry no direction; neither do these.
- ``iso``, ``country``, ``location``: from the event's place and the places gazetteer.
- ``event_id_cnty``: ACLED's form, country letters and a number: the ISO 3166 alpha-3
  code (XXX when the country is unknown) and our event id.
- ``source``: the member documents' sources, first report first; ``source_scale``: from
  the source kinds ("New media" for forums and social media) and outlet countries.
- ``fatalities``: the ledger's conservative deaths figure (ACLED's rule: the lowest
  credible figure when sources differ), 0 when no source reports deaths.
- ``notes``: what happened, the figures, and every dispute with its competing values and
  who claims each, so the conservative choice can be checked.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io

from ..ledger.types import Property
from ..store.base import DocumentSummary
from ..store.sqlite import SQLiteStore
from .common import (
    Rendered,
    dispute_text,
    figure_text,
    first_published,
    interval,
    leading,
    plain,
    reports,
    sorted_conflicts,
)
from .lookups import AcledType, acled_source_scale, acled_types, countries, outlet_countries, place
from .select import EventBundle, Selection, source_name

COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "actor2", "iso", "country", "location", "source",
    "source_scale", "notes", "fatalities",
)  # fmt: skip

# ACLED's time_precision codes.
DAY, WEEK, COARSE = 1, 2, 3
WEEK_DAYS = 7


def acled_type(types: tuple[str, ...]) -> AcledType | None:
    mapped = [m for m in (acled_types().get(t) for t in types) if m is not None]
    return min(mapped, key=lambda m: m.rank) if mapped else None


def coded_date(
    b: EventBundle, docs: dict[str, DocumentSummary]
) -> tuple[_dt.date, int, str] | None:
    """(event_date, time_precision, note on how the date was coded), or None."""
    span = interval(b)
    ev = b.event
    if span is not None:
        start, end = span
        # No source gives the year of an inferred date: it comes from when they published.
        inferred = (
            " The year is inferred from publication dates." if ev.date_method == "inferred" else ""
        )
        if start == end:
            return start, DAY, inferred.strip()
        middle = start + (end - start) / 2
        width = (end - start).days + 1
        precision = WEEK if width <= WEEK_DAYS else COARSE
        known = {"month": "the month", "year": "the year"}.get(ev.precision, "an interval")
        note = f"Date known only to {known} ({ev.date}); coded at its middle.{inferred}"
        return middle, precision, note
    published = first_published(b, docs)
    if published is None:
        return None
    said = f" (reported as {ev.date}, year unknown)" if ev.date else ""
    return (
        published,
        COARSE,
        f"No date reported{said}; coded at the first report's publication day.",
    )


def _scale(b: EventBundle, docs: dict[str, DocumentSummary], country: str | None) -> str:
    by_kind = acled_source_scale()
    outlets = outlet_countries()
    found = []
    for d in (docs[i] for i in b.doc_ids() if i in docs):
        scale = by_kind.get(d.source.kind.value)
        home = outlets.get((d.source.domain or "").lower())
        if scale is None and home and country:
            scale = "National" if home == country else "International"
        if scale:
            found.append(scale)
    order = ["Subnational", "National", "Regional", "International", "New media"]
    return "-".join(sorted(set(found), key=order.index))


def _notes(b: EventBundle, date_note: str) -> str:
    r = b.row
    parts = [f"{r.label}."]  # the label already names the place when one is known
    if r.agents:
        parts.append("Named as acting: " + ", ".join(r.agents) + ".")
    figures = figure_text(b)
    if figures:
        parts.append("Figures: " + "; ".join(figures) + ".")
    parts.append(f"Reported by {r.documents} document(s) from {r.sources} independent source(s).")
    for c in sorted_conflicts(b.conflicts):
        parts.append(f"Disputed {dispute_text(c)}.")
    deaths = b.figure(Property.DEATHS)
    if deaths is not None and deaths.disputed and deaths.conservative is not None:
        parts.append(f"Fatalities coded as the lowest credible figure, {deaths.conservative:g}.")
    if date_note:
        parts.append(date_note)
    return plain(" ".join(parts))


def render(sel: Selection, store: SQLiteStore | None = None) -> Rendered:
    docs = sel.documents_by_id()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    written = not_coded = undated = 0
    table = countries()
    for b in sel.events:
        kind = acled_type(b.event.types)
        if kind is None:
            not_coded += 1
            continue
        coded = coded_date(b, docs)
        if coded is None:
            undated += 1
            continue
        when, precision, date_note = coded
        where = place(b.event.place)
        code = where.country if where else None
        country = table.get(code) if code else None
        deaths = b.figure(Property.DEATHS)
        fatalities = int(deaths.conservative) if deaths and deaths.conservative is not None else 0
        names = dict.fromkeys(source_name(d) for d in reports(b, docs))
        w.writerow(
            [
                f"{country.iso3 if country else 'XXX'}{b.id}",
                when.isoformat(),
                when.year,
                precision,
                kind.disorder_type,
                kind.event_type,
                kind.sub_event_type,
                plain(leading(b.claims, Property.AGENT)),
                plain(leading(b.claims, Property.TARGET)),
                country.iso if country else "",
                country.name if country else "",
                plain(b.event.place),
                plain("; ".join(names)),
                _scale(b, docs, code),
                _notes(b, date_note),
                fatalities,
            ]
        )
        written += 1
    return Rendered(
        "acled",
        buf.getvalue(),
        written,
        (
            ("statements and non-political events, which ACLED does not code", not_coded),
            ("no date", undated),
        ),
    )

"""GDELT-style event TSV: the 61 columns of the GDELT 2.0 event table in GDELT's order,
tab-separated, no header line (as GDELT's own files; ``COLUMNS`` names them).

Filled: GlobalEventID (our event id); Day, MonthYear, Year, FractionDate (the first day
of the event's date interval; an undated event takes its first report's publication day,
which is how GDELT dates events; events with neither are left out); Actor1Name and
Actor2Name (the agent and the target group named by the most independent origins, upper
case as in GDELT); IsRootEvent (1 when the first report states the event in its title or
lead block); EventCode, EventBaseCode, EventRootCode (the CAMEO code of the event's first
type that has one, from data/event_types.json; events none of whose types has a CAMEO code
are left out); QuadClass and GoldsteinScale (data/goldstein.json); NumMentions (linked
incidents, one per document passage), NumSources (independent sources), NumArticles
(documents); ActionGeo_Type and ActionGeo_FullName (from the event's place and the places
gazetteer); DATEADDED (the first report's publication time in UTC, YYYYMMDDHHMMSS: the
moment the event entered the record, the same on every run); SOURCEURL (the first report's
URL). Everything else (actor codes, tone, coordinates, feature ids) stays empty.
"""

from __future__ import annotations

import datetime as _dt

from ..ledger.types import Property
from ..records import BlockKind
from ..store.base import DocumentSummary
from ..store.sqlite import SQLiteStore
from .common import Rendered, first_published, interval, leading, plain, reports
from .lookups import cameo_codes, countries, goldstein, place
from .select import EventBundle, Selection

COLUMNS = (
    "GlobalEventID", "Day", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
assert len(COLUMNS) == 61

# GDELT's geographic resolution codes: 1 country, 4 world city, 5 world state (region).
GEO_TYPE = {"country": 1, "city": 4, "region": 5}

# Blocks that make up a report's lead: GDELT's IsRootEvent marks events told there.
LEAD_KINDS = frozenset({BlockKind.TITLE, BlockKind.DEK})


def event_code(types: tuple[str, ...]) -> str | None:
    codes = cameo_codes()
    return next((c for c in (codes.get(t) for t in types) if c), None)


def fraction_date(d: _dt.date) -> str:
    # GDELT: YYYY.FFFF with FFFF = (MONTH * 30 + DAY) / 365.
    return f"{d.year + (d.month * 30 + d.day) / 365:.4f}"


def _utc_stamp(value: str | None) -> str:
    if not value:
        return ""
    try:
        t = _dt.datetime.fromisoformat(value)
    except ValueError:
        return ""
    if t.tzinfo is not None:
        t = t.astimezone(_dt.UTC)
    return t.strftime("%Y%m%d%H%M%S")


def _is_root(store: SQLiteStore, b: EventBundle) -> bool:
    """Whether the first report's evidence lies in its title, dek or first body block."""
    r = b.row
    if not r.evidence or not r.evidence_doc:
        return False
    doc = store.get_document(r.evidence_doc)
    start = r.evidence_span[0]
    first_body = next((x for x in doc.blocks if x.kind is BlockKind.BODY), None)
    for block in doc.blocks:
        lead = block.kind in LEAD_KINDS or block is first_body
        if lead and block.start <= start < block.end:
            return True
    return False


def _geo_name(name: str | None) -> tuple[str, str]:
    """(ActionGeo_Type, ActionGeo_FullName)."""
    if not name:
        return "", ""
    where = place(name)
    if where is None:
        return "", plain(name)
    country = countries().get(where.country) if where.country else None
    full = (
        where.name
        if where.kind == "country" or country is None
        else f"{where.name}, {country.name}"
    )
    return str(GEO_TYPE.get(where.kind, "")), full


def _row(store: SQLiteStore, b: EventBundle, docs: dict[str, DocumentSummary]) -> list[str] | None:
    code = event_code(b.event.types)
    span = interval(b)
    when = span[0] if span else first_published(b, docs)
    if code is None or when is None:
        return None
    table = goldstein()
    weight = table.weight(code)
    ordered = reports(b, docs)
    first = ordered[0] if ordered else None
    # GDELT's SOURCEURL is a web address; a captured file or a javascript: link is not.
    url = next((d.url for d in ordered if d.url and d.url.startswith(("http://", "https://"))), "")
    geo_type, geo_name = _geo_name(b.event.place)
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        {
            "GlobalEventID": str(b.id),
            "Day": when.strftime("%Y%m%d"),
            "MonthYear": when.strftime("%Y%m"),
            "Year": str(when.year),
            "FractionDate": fraction_date(when),
            "Actor1Name": plain(leading(b.claims, Property.AGENT)).upper(),
            "Actor2Name": plain(leading(b.claims, Property.TARGET)).upper(),
            "IsRootEvent": "1" if _is_root(store, b) else "0",
            "EventCode": code,
            "EventBaseCode": code[:3],
            "EventRootCode": code[:2],
            "QuadClass": str(table.quad_class.get(code[:2], "")),
            "GoldsteinScale": "" if weight is None else f"{weight:.1f}",
            "NumMentions": str(len(b.members)),
            "NumSources": str(b.event.sources),
            "NumArticles": str(b.event.documents),
            "ActionGeo_Type": geo_type,
            "ActionGeo_FullName": geo_name,
            "DATEADDED": _utc_stamp(first.published.value) if first else "",
            "SOURCEURL": plain(url),
        }
    )
    # A tab or newline inside a value would shift every later column.
    return [v.replace("\t", " ") for v in row.values()]


def render(sel: Selection, store: SQLiteStore) -> Rendered:
    docs = sel.documents_by_id()
    lines = []
    skipped = 0
    for b in sel.events:
        row = _row(store, b, docs)
        if row is None:
            skipped += 1
            continue
        lines.append("\t".join(row) + "\n")
    return Rendered("gdelt", "".join(lines), len(lines), (("no CAMEO code or no date", skipped),))

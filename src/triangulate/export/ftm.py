"""FollowTheMoney entities (https://followthemoney.tech), one JSON object per line:
``{"id", "schema", "properties": {"name": [...], "alias": [...], "country": [...]}}``.

Schemata: PER -> Person; ORG -> PublicBody when the agencies list knows it as a state
body, else Organization; MEDIA -> Organization (FollowTheMoney has no outlet schema); LOC
-> Address (its ``full`` is the place name, with ``city`` or ``region`` and ``country``
from the places gazetteer). Nationalities and other groups (NORP) and MISC are not
entities in FollowTheMoney and are left out.

Ids are stable across runs and stores: a hash of the entity's type and its first mention
key (keys are script-independent), not the database row id. Countries are lower-case
ISO 3166-1 alpha-2 codes, as FollowTheMoney writes them.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..link.types import Entity
from ..store.sqlite import SQLiteStore
from .common import Rendered
from .lookups import known_body, place
from .select import Selection

SCHEMA = {"PER": "Person", "ORG": "Organization", "MEDIA": "Organization", "LOC": "Address"}

# FollowTheMoney's namespace habit: ids carry a dataset prefix so they do not clash with
# ids from other sources merged into the same collection.
ID_PREFIX = "triangulate-"


def entity_id(e: Entity) -> str:
    digest = hashlib.sha1(f"{e.type}\x00{min(e.keys)}".encode()).hexdigest()
    return ID_PREFIX + digest[:24]


def entity(e: Entity) -> dict[str, Any] | None:
    schema = SCHEMA.get(e.type)
    if schema is None or not e.keys:
        return None
    aliases = sorted({a.strip() for a in e.aliases if a.strip() and a.strip() != e.name})
    props: dict[str, list[str]] = {"name": [e.name]}
    if aliases:
        props["alias"] = aliases
    country: str | None = None
    if e.type == "LOC":
        where = place(e.name)
        props["full"] = [e.name]
        if where is not None:
            country = where.country
            if where.kind == "city":
                props["city"] = [where.name]
            elif where.kind == "region":
                props["region"] = [where.name]
    else:
        body = known_body(e.keys)
        if body is not None:
            kind, country, domain = body
            if kind == "agency" and e.type == "ORG":
                schema = "PublicBody"
            if domain:
                props["website"] = [domain]
    if country:
        props["country"] = [country.lower()]
    return {"id": entity_id(e), "schema": schema, "properties": props}


def render(sel: Selection, store: SQLiteStore | None = None) -> Rendered:
    lines, skipped = [], 0
    for e in sel.entities:
        found = entity(e)
        if found is None:
            skipped += 1
            continue
        lines.append(json.dumps(found, ensure_ascii=False) + "\n")
    return Rendered(
        "ftm",
        "".join(lines),
        len(lines),
        (("groups and other types FollowTheMoney has no schema for", skipped),),
    )

"""User corrections: merge, split, rename and delete entities; merge and split events.

Each correction is stored as an override (table ``overrides``) and applied at once.
Overrides name what they touch by keys that survive re-analysis: entities by their
script-independent mention keys, incidents by (document id, trigger offset). Entity
overrides are replayed after every link run; event overrides are constraints the linker
obeys whenever it places an incident (link/stage.py), so a re-link or re-analysis gives
the corrected result again.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import CorrectionError
from ..store.links import SQLiteLinks
from ..store.sqlite import SQLiteStore
from .stage import Constraints, Linker


def _keys(links: SQLiteLinks, entity_id: int) -> list[list[str]]:
    return [[k, t] for k, t, _ in links.entity_keys(entity_id)]


def _entity_by_keys(links: SQLiteLinks, keys: list[list[str]]) -> int | None:
    for key, type in keys:
        found = links.entity_for_key(key, type)
        if found is not None:
            return found
    return None


def _apply_entity(links: SQLiteLinks, action: str, args: dict[str, Any]) -> int | None:
    keys = args["keys"]
    entity = _entity_by_keys(links, keys)
    if entity is None:
        return None  # its documents are gone
    if action == "merge":
        into = _entity_by_keys(links, args["into"])
        if into is None or into == entity:
            return into
        links.move_keys([(k, t) for k, t in _keys(links, entity)], into, "user merge")
        links.delete_entity(entity)
        return into
    if action == "split":
        row = links.entity_row(entity)
        moving = [(k, t) for k, t in keys if links.entity_for_key(k, t) == entity]
        if not moving or len(moving) == len(_keys(links, entity)):
            return entity  # already apart
        new = links.create_entity(args.get("name") or moving[0][0], row["type"])
        links.move_keys(moving, new, "user split")
        return new
    if action == "rename":
        links.rename_entity(entity, args["name"])
        return entity
    if action == "delete":
        links.delete_entity(entity)
        return entity
    raise CorrectionError(f"unknown entity correction {action!r}")


def correct_entity(store: SQLiteStore, action: str, entity_id: int, **args: Any) -> int | None:
    """Record and apply one entity correction; returns the entity that results."""
    links = SQLiteLinks(store.conn)
    with store.transaction():
        links.entity_row(entity_id)
        data: dict[str, Any] = {"keys": _keys(links, entity_id)}
        if action == "merge":
            data["into"] = _keys(links, int(args["into"]))
        elif action == "split":
            wanted = set(args["keys"])
            data["keys"] = [[k, t] for k, t in data["keys"] if k in wanted]
            if not data["keys"]:
                raise CorrectionError(f"entity {entity_id} has none of the keys {sorted(wanted)}")
            data["name"] = args.get("name")
        elif action == "rename":
            data["name"] = args["name"]
        elif action != "delete":
            raise CorrectionError(f"unknown entity correction {action!r}")
        links.add_override("entity", action, data)
        return _apply_entity(links, action, data)


def replay_entity_overrides(links: SQLiteLinks) -> None:
    """Apply every stored entity correction again (idempotent), oldest first."""
    for _, action, args in links.overrides("entity"):
        _apply_entity(links, action, args)


def _anchor(links: SQLiteLinks, doc_id: str, idx: int) -> list[Any]:
    for i, data, _, _ in links.incidents_of(doc_id):
        if i == idx:
            return [doc_id, json.loads(data)["anchor"]]
    raise CorrectionError(f"document {doc_id} has no incident {idx}")


def merge_events(store: SQLiteStore, keep: int, other: int) -> int:
    """Put every incident of ``other`` into ``keep``; stored as must-link pairs."""
    linker = Linker(store)
    links = linker.links
    if keep == other:
        raise CorrectionError("cannot merge an event with itself")
    with store.transaction():
        a, b = links.members(keep), links.members(other)
        if not a or not b:
            raise CorrectionError(f"no such event: {keep if not a else other}")
        pairs = [[[a[0].doc_id, a[0].anchor], [m.doc_id, m.anchor]] for m in b]
        links.add_override("event", "merge", {"pairs": pairs})
        for m in b:
            links.move_incident(m.doc_id, m.incident, keep, ["user merge"])
        linker.refresh_event(keep)
        linker.refresh_event(other)
    return keep


def split_event(store: SQLiteStore, event_id: int, doc_id: str, incident: int) -> int:
    """Take one document's incident out of an event into a new event; stored as
    cannot-link pairs with every remaining member."""
    linker = Linker(store)
    links = linker.links
    with store.transaction():
        members = links.members(event_id)
        doc_id = store.get_document(doc_id).id
        moving = [m for m in members if m.doc_id == doc_id and m.incident == incident]
        if not moving:
            raise CorrectionError(f"event {event_id} has no incident {incident} of {doc_id}")
        if len(members) == 1:
            raise CorrectionError(f"event {event_id} has a single incident: nothing to split")
        anchor = _anchor(links, doc_id, incident)
        pairs = [[anchor, [m.doc_id, m.anchor]] for m in members if m is not moving[0]]
        links.add_override("event", "split", {"pairs": pairs})
        ev = links.get_event(event_id)
        new = links.create_event(ev.kind, ev.story)
        links.move_incident(doc_id, incident, new, ["user split"])
        linker.refresh_event(new)
        linker.refresh_event(event_id)
    return new


def constraints(store: SQLiteStore) -> Constraints:
    return Constraints.load(SQLiteLinks(store.conn))

"""SQL of the cross-document layer (entities, incidents, events, claims, conflicts,
overrides) on the SQLite store's connection.

Every read that linking does per document goes through an index (entity_keys,
entity_surnames, event_keys, incidents_event), so the cost of linking one document does
not grow with the number of stored documents.
"""

from __future__ import annotations

import datetime as _dt
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from ..errors import NotFound
from ..ledger.types import Claim, Conflict
from ..link.types import Entity, EventMember, EventRecord, LedgerMember, StorySummary
from ..records import from_dict

_RECORD_TYPES: dict[str, type[Any]] = {"claims": Claim, "conflicts": Conflict}


@lru_cache(maxsize=20_000)
def _parsed(table: str, data: str) -> Any:
    """A stored ledger record (claim, conflict) from its JSON; the records are immutable,
    so one parsed copy serves every reader. An event's rebuild reads all its claims, and
    a growing event's claims are the same rows rebuild after rebuild."""
    return from_dict(_RECORD_TYPES[table], json.loads(data))


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


class SQLiteLinks:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # --- documents ------------------------------------------------------------------
    def seq_of(self, doc_id: str) -> int:
        row = self.conn.execute("SELECT seq FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFound(f"no document {doc_id!r}")
        return int(row[0])

    def id_of(self, seq: int) -> str:
        return str(
            self.conn.execute("SELECT id FROM documents WHERE seq = ?", (seq,)).fetchone()[0]
        )

    def unlinked(self, stage: str) -> list[str]:
        """Analysed documents the link stage has not seen (or saw in another version)."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT d.id FROM documents d JOIN analyses a ON a.doc_seq = d.seq"
                " LEFT JOIN linked l ON l.doc_seq = d.seq"
                " WHERE l.doc_seq IS NULL OR l.stage <> ? ORDER BY d.seq",
                (stage,),
            )
        ]

    def mark_linked(self, doc_id: str, stage: str, story: str | None) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO linked (doc_seq, stage, story_id, linked_at) VALUES (?, ?, ?, ?)",
            (self.seq_of(doc_id), stage, story, _now()),
        )

    def sync_stories(self, stories: Iterable[str]) -> int:
        """Copy story assignments that the story clusterer's refinement changed (table
        ``story_docs``) into ``linked`` and into the events of those documents; returns
        the number of documents that moved. ``stories`` are the stories documents were
        moved into; only their documents are compared (comparing all made each
        refinement read the whole store)."""
        wanted = sorted(set(stories))
        moved: list[tuple[int, str]] = []
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            moved += self.conn.execute(
                "SELECT l.doc_seq, s.story_id FROM story_docs s JOIN documents d ON d.id = s.doc_id"
                " JOIN linked l ON l.doc_seq = d.seq"
                f" WHERE s.story_id IN ({','.join('?' * len(part))})"
                " AND l.story_id IS NOT s.story_id",
                part,
            ).fetchall()
        for seq, story in moved:
            self.conn.execute("UPDATE linked SET story_id = ? WHERE doc_seq = ?", (story, seq))
            # An event follows the story of its first report: only events with no member
            # from an earlier document move. Asked per event through the (event_id,
            # doc_seq) index; a NOT IN over all earlier incidents read the whole store.
            self.conn.execute(
                "UPDATE events SET story_id = ? WHERE id IN (SELECT event_id FROM incidents"
                " WHERE doc_seq = ? AND event_id IS NOT NULL) AND NOT EXISTS (SELECT 1"
                " FROM incidents i WHERE i.event_id = events.id AND i.doc_seq < ?)",
                (story, seq, seq),
            )
        return len(moved)

    def story_of_doc(self, doc_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT l.story_id FROM linked l JOIN documents d ON d.seq = l.doc_seq WHERE d.id = ?",
            (doc_id,),
        ).fetchone()
        return None if row is None else row[0]

    def forget_links(self) -> None:
        """Drop everything the link stage derived (entities and overrides stay)."""
        for table in ("claims", "conflicts", "event_keys", "incidents", "events", "linked"):
            self.conn.execute(f"DELETE FROM {table}")

    # --- entities ---------------------------------------------------------------------
    def entity_for_key(self, key: str, type: str) -> int | None:
        row = self.conn.execute(
            "SELECT entity_id FROM entity_keys WHERE key = ? AND type = ?", (key, type)
        ).fetchone()
        return None if row is None else int(row[0])

    def entities_of_keys(self, keys: Iterable[str]) -> set[int]:
        """Entities that own any of ``keys`` (whatever the mention type)."""
        wanted = sorted(set(keys))
        if not wanted:
            return set()
        marks = ",".join("?" * len(wanted))
        return {
            int(r[0])
            for r in self.conn.execute(
                f"SELECT entity_id FROM entity_keys WHERE key IN ({marks})", wanted
            )
        }

    def entities_by_surname(self, surname: str) -> list[tuple[int, str]]:
        return [
            (int(r[0]), str(r[1]))
            for r in self.conn.execute(
                "SELECT e.id, e.name FROM entity_surnames s JOIN entities e ON e.id = s.entity_id"
                " WHERE s.surname = ? AND e.deleted = 0 ORDER BY e.id",
                (surname,),
            )
        ]

    def create_entity(self, name: str, type: str) -> int:
        cur = self.conn.execute("INSERT INTO entities (name, type) VALUES (?, ?)", (name, type))
        assert cur.lastrowid is not None
        return int(cur.lastrowid)

    def assign_key(self, key: str, type: str, entity_id: int, reason: str) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO entity_keys (key, type, entity_id, reason) VALUES (?, ?, ?, ?)",
            (key, type, entity_id, reason),
        )

    def add_surname(self, surname: str, entity_id: int) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO entity_surnames (surname, entity_id) VALUES (?, ?)",
            (surname, entity_id),
        )

    def entity_row(self, entity_id: int) -> sqlite3.Row:
        row = self.conn.execute("SELECT * FROM entities WHERE id = ?", (entity_id,)).fetchone()
        if row is None:
            raise NotFound(f"no entity {entity_id}")
        return row

    def entity_keys(self, entity_id: int) -> list[tuple[str, str, str]]:
        return [
            (r[0], r[1], r[2])
            for r in self.conn.execute(
                "SELECT key, type, reason FROM entity_keys WHERE entity_id = ? ORDER BY key",
                (entity_id,),
            )
        ]

    def move_keys(self, keys: Iterable[tuple[str, str]], entity_id: int, reason: str) -> None:
        for key, type in keys:
            self.assign_key(key, type, entity_id, reason)
        self.conn.execute(
            "DELETE FROM entity_surnames WHERE entity_id NOT IN (SELECT entity_id FROM entity_keys)"
        )

    def rename_entity(self, entity_id: int, name: str) -> None:
        self.entity_row(entity_id)
        self.conn.execute(
            "UPDATE entities SET name = ?, named_by = 'user' WHERE id = ?", (name, entity_id)
        )

    def set_entity_name(self, entity_id: int, name: str) -> None:
        self.conn.execute(
            "UPDATE entities SET name = ? WHERE id = ? AND named_by = 'auto'", (name, entity_id)
        )

    def delete_entity(self, entity_id: int) -> None:
        self.entity_row(entity_id)
        self.conn.execute("UPDATE entities SET deleted = 1 WHERE id = ?", (entity_id,))

    def list_entities(
        self, *, type: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Entity]:
        where = "AND e.type = ?" if type else ""
        params: list[Any] = [type] if type else []
        rows = self.conn.execute(
            "SELECT e.id, e.name, e.type, e.named_by, COUNT(m.idx) AS n, COUNT(DISTINCT m.doc_seq) AS docs"
            " FROM entities e JOIN entity_keys k ON k.entity_id = e.id"
            " JOIN entity_mentions m ON m.key = k.key AND m.type = k.type"
            f" WHERE e.deleted = 0 {where} GROUP BY e.id ORDER BY docs DESC, n DESC, e.id"
            " LIMIT ? OFFSET ?",
            [*params, -1 if limit is None else limit, offset],
        ).fetchall()
        return [self._entity(r) for r in rows]

    def get_entity(self, entity_id: int) -> Entity:
        r = self.conn.execute(
            "SELECT e.id, e.name, e.type, e.named_by, COUNT(m.idx) AS n, COUNT(DISTINCT m.doc_seq) AS docs"
            " FROM entities e LEFT JOIN entity_keys k ON k.entity_id = e.id"
            " LEFT JOIN entity_mentions m ON m.key = k.key AND m.type = k.type"
            " WHERE e.id = ? GROUP BY e.id",
            (entity_id,),
        ).fetchone()
        if r is None:
            raise NotFound(f"no entity {entity_id}")
        return self._entity(r)

    def _entity(self, r: sqlite3.Row) -> Entity:
        keys = self.entity_keys(r["id"])
        aliases: set[str] = set()
        for key, type, _ in keys:
            for a in self.conn.execute(
                "SELECT DISTINCT canonical, text FROM entity_mentions WHERE key = ? AND type = ?",
                (key, type),
            ):
                aliases |= {a[0], a[1]}
        return Entity(
            id=r["id"],
            name=r["name"],
            type=r["type"],
            keys=tuple(k for k, _, _ in keys),
            aliases=tuple(sorted(aliases)),
            reasons=tuple(f"{k}: {why}" for k, _, why in keys),
            mentions=r["n"],
            documents=r["docs"],
            named_by=r["named_by"],
        )

    # --- overrides ---------------------------------------------------------------------
    def add_override(self, target: str, action: str, args: dict[str, Any]) -> int:
        cur = self.conn.execute(
            "INSERT INTO overrides (target, action, args, created_at) VALUES (?, ?, ?, ?)",
            (target, action, json.dumps(args, ensure_ascii=False, sort_keys=True), _now()),
        )
        assert cur.lastrowid is not None
        return int(cur.lastrowid)

    def overrides(self, target: str) -> list[tuple[int, str, dict[str, Any]]]:
        return [
            (int(r[0]), str(r[1]), json.loads(r[2]))
            for r in self.conn.execute(
                "SELECT id, action, args FROM overrides WHERE target = ? ORDER BY id", (target,)
            )
        ]

    # --- incidents and events -------------------------------------------------------------
    def incidents_of(self, doc_id: str) -> list[tuple[int, str, str, int | None]]:
        """(idx, incident JSON, signature JSON, event id) of one document."""
        return [
            (int(r[0]), r[1], r[2], r[3])
            for r in self.conn.execute(
                "SELECT idx, data, signature, event_id FROM incidents WHERE doc_seq = ? ORDER BY idx",
                (self.seq_of(doc_id),),
            )
        ]

    def delete_incidents(self, doc_id: str) -> set[int]:
        """Remove a document's incidents; returns the events they belonged to."""
        seq = self.seq_of(doc_id)
        touched = {
            int(r[0])
            for r in self.conn.execute(
                "SELECT event_id FROM incidents WHERE doc_seq = ? AND event_id IS NOT NULL", (seq,)
            )
        }
        self.conn.execute("DELETE FROM incidents WHERE doc_seq = ?", (seq,))
        return touched

    def save_incident(
        self,
        doc_id: str,
        idx: int,
        anchor: int,
        data: dict[str, Any],
        signature: dict[str, Any],
        event_id: int,
        score: float | None,
        evidence: Sequence[str],
    ) -> None:
        # A plain INSERT: a document's incidents are deleted before it is linked again,
        # and a REPLACE would skip the delete triggers that keep the event facets
        # (migration 0006) counted right.
        self.conn.execute(
            "INSERT INTO incidents (doc_seq, idx, anchor, data, signature, event_id, score, evidence)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                self.seq_of(doc_id),
                idx,
                anchor,
                json.dumps(data, ensure_ascii=False),
                json.dumps(signature, ensure_ascii=False),
                event_id,
                score,
                json.dumps(list(evidence), ensure_ascii=False),
            ),
        )

    def set_stances(self, doc_id: str, idx: int, stances: Sequence[dict[str, Any]]) -> None:
        self.conn.execute(
            "UPDATE incidents SET stance = ? WHERE doc_seq = ? AND idx = ?",
            (json.dumps(list(stances), ensure_ascii=False), self.seq_of(doc_id), idx),
        )

    def stances(self, event_id: int) -> list[tuple[str, int, list[dict[str, Any]]]]:
        """(doc id, incident, stance records) of an event's members."""
        return [
            (r[0], int(r[1]), json.loads(r[2]))
            for r in self.conn.execute(
                "SELECT d.id, i.idx, i.stance FROM incidents i JOIN documents d ON d.seq = i.doc_seq"
                " WHERE i.event_id = ? ORDER BY d.seq, i.idx",
                (event_id,),
            )
        ]

    def move_incident(self, doc_id: str, idx: int, event_id: int, evidence: Sequence[str]) -> int:
        """Put one incident in another event; returns the event it left."""
        seq = self.seq_of(doc_id)
        row = self.conn.execute(
            "SELECT event_id FROM incidents WHERE doc_seq = ? AND idx = ?", (seq, idx)
        ).fetchone()
        if row is None:
            raise NotFound(f"no incident {idx} in document {doc_id}")
        self.conn.execute(
            "UPDATE incidents SET event_id = ?, score = NULL, evidence = ?, origin = NULL"
            " WHERE doc_seq = ? AND idx = ?",
            (event_id, json.dumps(list(evidence)), seq, idx),
        )
        # The document's claims in the event it left were stored together: have them
        # rebuilt without this incident.
        self.conn.execute(
            "UPDATE incidents SET origin = NULL WHERE doc_seq = ? AND event_id = ?", (seq, row[0])
        )
        return int(row[0])

    def candidate_events(
        self, keys: Mapping[str, int], limit: int, per_key: int
    ) -> list[tuple[int, str]]:
        """Events sharing blocking keys with an incident, the highest summed key weight
        (``keys``: key -> weight) first, then the most recent: (event id, its recent
        members' signature JSON or '', see migration 0009).

        Only the ``per_key`` most recent events of each key are read, as the in-memory
        linker follows only its most recent clusters per key: a key held by thousands of
        events (a common trigger lemma) costs no more than a rare one. ``limit`` bounds
        the events returned."""
        hits: dict[int, int] = {}
        # One backward range read of the (key, event_id) primary key per key, stopped at
        # ``per_key`` rows; event ids grow with creation, so the highest are the newest.
        sql = "SELECT event_id FROM event_keys WHERE key = ? ORDER BY event_id DESC LIMIT ?"
        for key in sorted(keys):
            weight = int(keys[key])
            for (event_id,) in self.conn.execute(sql, (key, per_key)):
                hits[event_id] = hits.get(event_id, 0) + weight
        ranked = sorted(hits, key=lambda e: (-hits[e], -e))[:limit]
        if not ranked:
            return []
        recent = dict(
            self.conn.execute(
                f"SELECT id, recent FROM events WHERE id IN ({','.join('?' * len(ranked))})",
                ranked,
            ).fetchall()
        )
        return [(e, recent[e]) for e in ranked if e in recent]

    def create_event(self, kind: str, story: str | None) -> int:
        cur = self.conn.execute(
            "INSERT INTO events (story_id, kind, types, label, precision, date_method, date_evidence,"
            " signature, updated_at) VALUES (?, ?, '[]', '', 'unknown', 'unknown', '', '{}', ?)",
            (story, kind, _now()),
        )
        assert cur.lastrowid is not None
        return int(cur.lastrowid)

    def set_signature(
        self,
        event_id: int,
        signature: dict[str, Any],
        keys: Iterable[str],
        recent: dict[str, Any] | None = None,
    ) -> None:
        """Store an event's signature and blocking keys and, when given, the aggregate
        signature of its most recent members (``recent``; see migration 0009)."""
        self.conn.execute(
            "UPDATE events SET signature = ?, recent = ?, updated_at = ? WHERE id = ?",
            (
                json.dumps(signature, ensure_ascii=False),
                "" if recent is None else json.dumps(recent, ensure_ascii=False),
                _now(),
                event_id,
            ),
        )
        # Only the keys that changed are written: an event that gains a report mostly
        # keeps its keys.
        wanted = set(keys)
        stored = {
            r[0]
            for r in self.conn.execute("SELECT key FROM event_keys WHERE event_id = ?", (event_id,))
        }
        self.conn.executemany(
            "DELETE FROM event_keys WHERE key = ? AND event_id = ?",
            [(k, event_id) for k in sorted(stored - wanted)],
        )
        self.conn.executemany(
            "INSERT INTO event_keys (key, event_id) VALUES (?, ?)",
            [(k, event_id) for k in sorted(wanted - stored)],
        )

    def save_event(self, ev: EventRecord) -> None:
        self.conn.execute(
            "UPDATE events SET story_id = ?, kind = ?, types = ?, label = ?, date = ?, date_start = ?,"
            " date_end = ?, precision = ?, date_method = ?, date_evidence = ?, place = ?, documents = ?,"
            " sources = ?, updated_at = ? WHERE id = ?",
            (
                ev.story,
                ev.kind,
                json.dumps(list(ev.types)),
                ev.label,
                ev.date,
                ev.date_start,
                ev.date_end,
                ev.precision,
                ev.date_method,
                ev.date_evidence,
                ev.place,
                ev.documents,
                ev.sources,
                _now(),
                ev.id,
            ),
        )

    def delete_event(self, event_id: int) -> None:
        self.conn.execute(
            "UPDATE incidents SET event_id = NULL, origin = NULL WHERE event_id = ?", (event_id,)
        )
        self.conn.execute("DELETE FROM events WHERE id = ?", (event_id,))

    def event_members(self, event_id: int) -> list[tuple[str, int, str, str, float | None, str]]:
        """(doc id, incident idx, incident JSON, signature JSON, score, evidence JSON)."""
        return [
            (r[0], int(r[1]), r[2], r[3], r[4], r[5])
            for r in self.conn.execute(
                "SELECT d.id, i.idx, i.data, i.signature, i.score, i.evidence FROM incidents i"
                " JOIN documents d ON d.seq = i.doc_seq WHERE i.event_id = ? ORDER BY d.seq, i.idx",
                (event_id,),
            )
        ]

    def ledger_members(self, event_id: int) -> list[LedgerMember]:
        """An event's members with what a ledger rebuild reuses (origin, stances)."""
        return [
            LedgerMember(r[0], int(r[1]), int(r[2]), r[3], r[4], r[5], json.loads(r[6]))
            for r in self.conn.execute(
                "SELECT d.id, d.seq, i.idx, i.data, i.signature, i.origin, i.stance"
                " FROM incidents i JOIN documents d ON d.seq = i.doc_seq"
                " WHERE i.event_id = ? ORDER BY d.seq, i.idx",
                (event_id,),
            )
        ]

    def set_origin(self, doc_id: str, idx: int, origin: str) -> None:
        self.conn.execute(
            "UPDATE incidents SET origin = ? WHERE doc_seq = ? AND idx = ?",
            (origin, self.seq_of(doc_id), idx),
        )

    def event_has_document(self, event_id: int, doc_id: str) -> bool:
        return (
            self.conn.execute(
                "SELECT 1 FROM incidents WHERE event_id = ? AND doc_seq = ? LIMIT 1",
                (event_id, self.seq_of(doc_id)),
            ).fetchone()
            is not None
        )

    def event_anchors(self, event_id: int) -> set[tuple[str, int]]:
        return {
            (r[0], int(r[1]))
            for r in self.conn.execute(
                "SELECT d.id, i.anchor FROM incidents i JOIN documents d ON d.seq = i.doc_seq"
                " WHERE i.event_id = ?",
                (event_id,),
            )
        }

    def last_member(self, event_id: int) -> tuple[int, int] | None:
        """(document seq, index) of the event's most recently ingested member; read from
        the event index alone, so it costs the same for any event size."""
        row = self.conn.execute(
            "SELECT doc_seq, idx FROM incidents WHERE event_id = ?"
            " ORDER BY doc_seq DESC, idx DESC LIMIT 1",
            (event_id,),
        ).fetchone()
        return None if row is None else (int(row[0]), int(row[1]))

    def recent_members(self, event_id: int, limit: int) -> list[tuple[str, str]]:
        """(incident JSON, signature JSON) of an event's most recently ingested members,
        oldest first."""
        rows = self.conn.execute(
            "SELECT data, signature FROM incidents WHERE event_id = ?"
            " ORDER BY doc_seq DESC, idx DESC LIMIT ?",
            (event_id, limit),
        ).fetchall()
        return [(r[0], r[1]) for r in reversed(rows)]

    def year_unknown_events(self, story: str) -> list[int]:
        return [
            int(r[0])
            for r in self.conn.execute(
                "SELECT id FROM events WHERE story_id = ? AND (date LIKE 'XXXX%' OR date_method = 'inferred')",
                (story,),
            )
        ]

    def members(self, event_id: int) -> list[EventMember]:
        return [
            EventMember(
                event_id, doc, idx, json.loads(data)["anchor"], score, tuple(json.loads(evidence))
            )
            for doc, idx, data, _, score, evidence in self.event_members(event_id)
        ]

    def _event(self, r: sqlite3.Row) -> EventRecord:
        return EventRecord(
            id=r["id"],
            story=r["story_id"],
            kind=r["kind"],
            types=tuple(json.loads(r["types"])),
            label=r["label"],
            date=r["date"],
            date_start=r["date_start"],
            date_end=r["date_end"],
            precision=r["precision"],
            date_method=r["date_method"],
            date_evidence=r["date_evidence"],
            place=r["place"],
            documents=r["documents"],
            sources=r["sources"],
        )

    def get_event(self, event_id: int) -> EventRecord:
        row = self.conn.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
        if row is None:
            raise NotFound(f"no event {event_id}")
        return self._event(row)

    def event_signature(self, event_id: int) -> str:
        row = self.conn.execute("SELECT signature FROM events WHERE id = ?", (event_id,)).fetchone()
        if row is None:
            raise NotFound(f"no event {event_id}")
        return str(row[0])

    def list_events(
        self,
        *,
        story: str | None = None,
        type: str | None = None,
        entity: int | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[EventRecord]:
        where: list[str] = ["1 = 1"]
        params: list[Any] = []
        if story:
            where.append("story_id = ?")
            params.append(story)
        if type:
            where.append("EXISTS (SELECT 1 FROM json_each(events.types) WHERE value = ?)")
            params.append(type)
        if entity is not None:
            where.append(
                "id IN (SELECT c.event_id FROM claims c JOIN entity_keys k ON k.entity_id = ?"
                " WHERE json_extract(c.data, '$.key') = k.key)"
            )
            params.append(entity)
        rows = self.conn.execute(
            f"SELECT * FROM events WHERE {' AND '.join(where)}"
            " ORDER BY date_start IS NULL, date_start, date, id LIMIT ? OFFSET ?",
            [*params, -1 if limit is None else limit, offset],
        ).fetchall()
        return [self._event(r) for r in rows]

    def events_in_stories(self, stories: Iterable[str]) -> list[int]:
        ids = sorted(set(stories))
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return [
            int(r[0])
            for r in self.conn.execute(
                f"SELECT id FROM events WHERE story_id IN ({marks}) ORDER BY id", ids
            )
        ]

    def story_years(self, story: str) -> list[tuple[int, str]]:
        """(year, evidence) for a story: publication years of its documents and the known
        years of its events' dates."""
        out = [
            (int(r[0][:4]), f"published {r[0][:10]} ({r[1]})")
            for r in self.conn.execute(
                "SELECT d.published, d.id FROM linked l JOIN documents d ON d.seq = l.doc_seq"
                " WHERE l.story_id = ? AND d.published IS NOT NULL",
                (story,),
            )
            if r[0] and r[0][:4].isdigit()
        ]
        out += [
            (int(r[0][:4]), f"event {r[1]} dated {r[0]}")
            for r in self.conn.execute(
                "SELECT date, id FROM events WHERE story_id = ? AND date GLOB '[0-9][0-9][0-9][0-9]-*'"
                " AND date_method <> 'inferred'",
                (story,),
            )
        ]
        return out

    # --- ledger ---------------------------------------------------------------------
    def save_claims(self, event_id: int, claims: Sequence[Claim], keep: Iterable[int] = ()) -> None:
        """Replace an event's claims, except those stored for the documents in ``keep``
        (seqs): a rebuild writes what changed, not the whole ledger."""
        kept = sorted(set(keep))
        self.conn.execute(
            f"DELETE FROM claims WHERE event_id = ? AND doc_seq NOT IN ({','.join('?' * len(kept))})",
            (event_id, *kept),
        )
        top = self.conn.execute(
            "SELECT COALESCE(MAX(idx), -1) FROM claims WHERE event_id = ?", (event_id,)
        ).fetchone()[0]
        self.conn.executemany(
            "INSERT INTO claims (event_id, idx, property, doc_seq, data) VALUES (?, ?, ?, ?, ?)",
            [
                (
                    event_id,
                    top + 1 + i,
                    c.property.value,
                    self.seq_of(c.doc_id),
                    json.dumps(c.to_dict(), ensure_ascii=False),
                )
                for i, c in enumerate(claims)
            ],
        )

    def save_conflicts(self, event_id: int, conflicts: Sequence[Conflict]) -> None:
        self.conn.execute("DELETE FROM conflicts WHERE event_id = ?", (event_id,))
        self.conn.executemany(
            "INSERT INTO conflicts (event_id, idx, property, kind, severity, data) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    event_id,
                    i,
                    c.property.value,
                    c.kind.value,
                    c.severity,
                    json.dumps(c.to_dict(), ensure_ascii=False),
                )
                for i, c in enumerate(conflicts)
            ],
        )

    def _records(self, table: str, event_id: int | None, order: str) -> list[Any]:
        sql, params = f"SELECT data FROM {table}", []
        if event_id is not None:
            sql += " WHERE event_id = ?"
            params.append(event_id)
        rows = self.conn.execute(f"{sql} ORDER BY {order}", params)
        return [_parsed(table, r[0]) for r in rows]

    def claims(self, event_id: int | None = None) -> list[Claim]:
        # Document order, then the order one document's claims were built in: the same
        # order whether the ledger was built at once or member by member.
        return self._records("claims", event_id, "event_id, doc_seq, idx")

    def conflicts(self, event_id: int | None = None) -> list[Conflict]:
        return self._records("conflicts", event_id, "severity DESC, event_id, idx")

    # --- stories ---------------------------------------------------------------------
    def stories(self) -> list[StorySummary]:
        out = []
        for r in self.conn.execute(
            "SELECT l.story_id AS sid, COUNT(*) AS docs FROM linked l WHERE l.story_id IS NOT NULL"
            " GROUP BY l.story_id ORDER BY docs DESC, l.story_id"
        ).fetchall():
            ev = self.conn.execute(
                "SELECT COUNT(*), MIN(date_start), MAX(date_end) FROM events WHERE story_id = ?",
                (r["sid"],),
            ).fetchone()
            titles = [
                t[0]
                for t in self.conn.execute(
                    "SELECT d.title FROM linked l JOIN documents d ON d.seq = l.doc_seq"
                    " WHERE l.story_id = ? AND d.title IS NOT NULL ORDER BY d.seq LIMIT 3",
                    (r["sid"],),
                )
            ]
            out.append(StorySummary(r["sid"], r["docs"], ev[0], ev[1], ev[2], tuple(titles)))
        return out

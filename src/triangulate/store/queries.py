"""Read-only SQL of the workspace (web pages and JSON API) on the SQLite store.

Every query pages at the database: a page of the timeline reads one page of events
through the ``events_timeline`` index (migration 0005) and then the conflicts and stances
of those events only, so a page costs the same on a store of a hundred documents or a
hundred thousand. Nothing here writes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from ..errors import NotFound
from ..workspace.types import DocumentRef, SourceRef, TimelineFilters
from .search import date_bounds

# SQLite allows 32766 host parameters since 3.32; pages are far smaller than this.
_MAX_IDS = 900

EVENT_COLUMNS = (
    "e.id, e.story_id, e.kind, e.types, e.label, e.date, e.date_start, e.date_end,"
    " e.precision, e.date_method, e.date_evidence, e.place, e.documents, e.sources"
)
# Up to this many matching events a page is cheaper to sort than to find by walking the
# whole timeline index (measured on a 100,000-document store: a few ms either way here).
SORT_MATCHES = 2000
# The same expression as the events_timeline index, so SQLite walks the index in order.
TIMELINE_ORDER = "(e.date_start IS NULL), e.date_start, e.date, e.id"


def _marks(ids: Sequence[Any]) -> str:
    return ",".join("?" * len(ids))


class WorkspaceQueries:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # --- sources ----------------------------------------------------------------------
    def source_ref(self, ref: str | int) -> SourceRef:
        """A source by numeric id, or by key (domain or name, case-insensitive)."""
        text = str(ref).strip()
        row = None
        if text.isdigit():
            row = self.conn.execute(
                "SELECT id, key, name, domain, kind FROM sources WHERE id = ?", (int(text),)
            ).fetchone()
        if row is None:
            row = self.conn.execute(
                "SELECT id, key, name, domain, kind FROM sources WHERE key = ?"
                " OR lower(name) = lower(?) ORDER BY id LIMIT 1",
                (text.lower(), text),
            ).fetchone()
        if row is None:
            raise NotFound(f"no source {text!r}")
        return _source_ref(row)

    def source_domain(self, source_id: int) -> str | None:
        row = self.conn.execute("SELECT domain FROM sources WHERE id = ?", (source_id,)).fetchone()
        return None if row is None else row[0]

    def sources(self, limit: int, offset: int) -> tuple[list[tuple[SourceRef, int]], int]:
        total = int(self.conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0])
        rows = self.conn.execute(
            "SELECT s.id, s.key, s.name, s.domain, s.kind,"
            " (SELECT COUNT(*) FROM documents d WHERE d.source_id = s.id) AS n"
            " FROM sources s ORDER BY n DESC, s.id LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        return [(_source_ref(r), int(r["n"])) for r in rows], total

    def source_documents(
        self, source_id: int, limit: int, offset: int
    ) -> tuple[list[DocumentRef], int]:
        total = int(
            self.conn.execute(
                "SELECT COUNT(*) FROM documents WHERE source_id = ?", (source_id,)
            ).fetchone()[0]
        )
        rows = self.conn.execute(
            f"SELECT {_DOC_COLUMNS} FROM documents d JOIN sources s ON s.id = d.source_id"
            " WHERE d.source_id = ? ORDER BY d.seq DESC LIMIT ? OFFSET ?",
            (source_id, limit, offset),
        ).fetchall()
        return [document_ref(r) for r in rows], total

    def source_passages(self, source_id: int, limit: int) -> list[tuple[str, str]]:
        """(text, language) of the reporting blocks of a source's ``limit`` most recent
        documents: what the source wrote, without navigation, credits or comments."""
        from ..records import BlockKind

        rows = self.conn.execute(
            'SELECT d.text, b.start, b."end", b.lang, b.kind FROM'
            " (SELECT seq, text FROM documents WHERE source_id = ? ORDER BY seq DESC LIMIT ?) d"
            " JOIN blocks b ON b.doc_seq = d.seq ORDER BY d.seq DESC, b.idx",
            (source_id, limit),
        ).fetchall()
        return [(r[0][r[1] : r[2]], r[3]) for r in rows if BlockKind(r[4]).is_content]

    def source_languages(self, source_id: int) -> dict[str, int]:
        return {
            str(r[0] or "und"): int(r[1])
            for r in self.conn.execute(
                "SELECT json_extract(languages, '$[0]') AS lang, COUNT(*) AS n FROM documents"
                " WHERE source_id = ? GROUP BY lang ORDER BY n DESC, lang",
                (source_id,),
            )
        }

    def source_voices(self, source_id: int) -> tuple[int, int]:
        """(claims in the source's own voice, claims it attributes to someone else)."""
        row = self.conn.execute(
            "SELECT COALESCE(SUM(json_extract(c.data, '$.voice') = 'author'), 0),"
            " COALESCE(SUM(json_extract(c.data, '$.voice') <> 'author'), 0)"
            " FROM documents d JOIN claims c ON c.doc_seq = d.seq WHERE d.source_id = ?",
            (source_id,),
        ).fetchone()
        return int(row[0]), int(row[1])

    def source_figures(self, source_id: int, limit: int) -> list[tuple[int, str, dict[str, Any]]]:
        """The source's most recent numeric claims: (event id, property, claim JSON)."""
        return [
            (int(r[0]), str(r[1]), json.loads(r[2]))
            for r in self.conn.execute(
                "SELECT c.event_id, c.property, c.data FROM documents d"
                " JOIN claims c ON c.doc_seq = d.seq WHERE d.source_id = ?"
                " AND c.property IN ('deaths', 'injured', 'hospitalised', 'detained')"
                " ORDER BY d.seq DESC, c.event_id, c.idx LIMIT ?",
                (source_id, limit),
            )
        ]

    def property_claims(self, event_id: int, prop: str) -> list[dict[str, Any]]:
        return [
            json.loads(r[0])
            for r in self.conn.execute(
                "SELECT data FROM claims WHERE event_id = ? AND property = ? ORDER BY idx",
                (event_id, prop),
            )
        ]

    # --- the timeline ---------------------------------------------------------------------
    def _timeline_where(self, f: TimelineFilters, *, ordered: bool) -> tuple[str, list[Any]]:
        """SQL conditions for the filters. ``ordered``: the event id is written ``+e.id``
        so that SQLite walks the events_timeline index in order and probes each event
        against the (once materialised) filter lists, stopping when the page is full,
        instead of sorting every matching event; worth it when many events match."""
        eid = "+e.id" if ordered else "e.id"
        where: list[str] = []
        params: list[Any] = []
        if f.story:
            where.append("e.story_id = ?")
            params.append(f.story)
        if f.type:
            where.append(f"{eid} IN (SELECT event_id FROM event_types WHERE type = ?)")
            params.append(f.type)
        if f.entity is not None:
            # Keys are bound as parameters: compared with a column instead, the column's
            # text affinity would keep SQLite off the claims_key expression index.
            keys = [
                str(r[0])
                for r in self.conn.execute(
                    "SELECT key FROM entity_keys WHERE entity_id = ?", (f.entity,)
                )
            ][:_MAX_IDS]
            if keys:
                where.append(
                    f"{eid} IN (SELECT c.event_id FROM claims c WHERE"
                    f" json_extract(c.data, '$.key') IN ({_marks(keys)}))"
                )
                params += keys
            else:
                where.append("0")
        if f.source:
            source = self.source_ref(f.source)
            where.append(f"{eid} IN (SELECT event_id FROM event_sources WHERE source_id = ?)")
            params.append(source.id)
        if f.lang:
            where.append(f"{eid} IN (SELECT event_id FROM event_langs WHERE lang = ?)")
            params.append(f.lang)
        lo, hi = date_bounds(f.date_from, f.date_to)
        if lo is not None:
            where.append("e.date_end IS NOT NULL AND e.date_end >= ?")
            params.append(lo)
        if hi is not None:
            where.append("e.date_start IS NOT NULL AND e.date_start <= ?")
            params.append(hi)
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def timeline(
        self, f: TimelineFilters, limit: int, offset: int
    ) -> tuple[list[sqlite3.Row], int]:
        where, params = self._timeline_where(f, ordered=False)
        total = int(
            self.conn.execute(f"SELECT COUNT(*) FROM events e{where}", params).fetchone()[0]
        )
        if total <= offset:
            return [], total
        # Few matches: read them through the filters' lists and sort them. Many: walk the
        # timeline index in order and stop when the page is full.
        where, params = self._timeline_where(f, ordered=total > SORT_MATCHES)
        rows = self.conn.execute(
            f"SELECT {EVENT_COLUMNS} FROM events e{where} ORDER BY {TIMELINE_ORDER}"
            " LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        return rows, total

    def event_row(self, event_id: int) -> sqlite3.Row:
        row = self.conn.execute(
            f"SELECT {EVENT_COLUMNS} FROM events e WHERE e.id = ?", (event_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no event {event_id}")
        return row

    def conflict_stats(self, ids: Sequence[int]) -> dict[int, tuple[int, float, list[str]]]:
        """event id -> (conflicts, worst severity, contested properties)."""
        out: dict[int, tuple[int, float, list[str]]] = {}
        for i in range(0, len(ids), _MAX_IDS):
            chunk = list(ids[i : i + _MAX_IDS])
            for r in self.conn.execute(
                "SELECT event_id, COUNT(*), MAX(severity), group_concat(DISTINCT property)"
                f" FROM conflicts WHERE event_id IN ({_marks(chunk)}) GROUP BY event_id",
                chunk,
            ):
                out[int(r[0])] = (int(r[1]), float(r[2]), sorted(str(r[3]).split(",")))
        return out

    def stance_counts(self, ids: Sequence[int]) -> dict[int, dict[str, int]]:
        """event id -> stance label -> members whose stance toward the event has it."""
        out: dict[int, dict[str, int]] = {}
        for i in range(0, len(ids), _MAX_IDS):
            chunk = list(ids[i : i + _MAX_IDS])
            for r in self.conn.execute(
                "SELECT i.event_id, json_extract(s.value, '$.label') AS label, COUNT(*)"
                f" FROM incidents i, json_each(i.stance) s WHERE i.event_id IN ({_marks(chunk)})"
                " AND json_extract(s.value, '$.target') = 'event' GROUP BY i.event_id, label",
                chunk,
            ):
                out.setdefault(int(r[0]), {})[str(r[1])] = int(r[2])
        return out

    def event_members(self, event_id: int, limit: int) -> tuple[list[sqlite3.Row], int]:
        total = int(
            self.conn.execute(
                "SELECT COUNT(*) FROM incidents WHERE event_id = ?", (event_id,)
            ).fetchone()[0]
        )
        rows = self.conn.execute(
            "SELECT d.id AS doc_id, i.idx, i.score, i.evidence, d.title, d.published, d.copy_of,"
            " json_extract(d.languages, '$[0]') AS lang, COALESCE(s.name, s.domain, s.key) AS source"
            " FROM incidents i JOIN documents d ON d.seq = i.doc_seq JOIN sources s ON s.id = d.source_id"
            " WHERE i.event_id = ? ORDER BY d.seq, i.idx LIMIT ?",
            (event_id, limit),
        ).fetchall()
        return rows, total

    def event_source_count(self, event_id: int) -> int:
        return int(
            self.conn.execute(
                "SELECT COUNT(DISTINCT d.source_id) FROM incidents i JOIN documents d"
                " ON d.seq = i.doc_seq WHERE i.event_id = ?",
                (event_id,),
            ).fetchone()[0]
        )

    # --- filter menus ---------------------------------------------------------------------
    def stories(self, limit: int, offset: int) -> tuple[list[sqlite3.Row], int]:
        total = int(
            self.conn.execute(
                "SELECT COUNT(DISTINCT story_id) FROM linked WHERE story_id IS NOT NULL"
            ).fetchone()[0]
        )
        rows = self.conn.execute(
            "SELECT story_id, COUNT(*) AS docs FROM linked WHERE story_id IS NOT NULL"
            " GROUP BY story_id ORDER BY docs DESC, story_id LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        return rows, total

    def story_events(self, story: str) -> tuple[int, str | None, str | None]:
        row = self.conn.execute(
            "SELECT COUNT(*), MIN(date_start), MAX(date_end) FROM events WHERE story_id = ?",
            (story,),
        ).fetchone()
        return int(row[0]), row[1], row[2]

    def story_titles(self, story: str, limit: int) -> list[str]:
        return [
            str(r[0])
            for r in self.conn.execute(
                "SELECT d.title FROM linked l JOIN documents d ON d.seq = l.doc_seq"
                " WHERE l.story_id = ? AND d.title IS NOT NULL ORDER BY d.seq LIMIT ?",
                (story, limit),
            )
        ]

    def event_types(self) -> list[tuple[str, int]]:
        return [
            (str(r[0]), int(r[1]))
            for r in self.conn.execute(
                "SELECT t.value, COUNT(*) AS n FROM events e, json_each(e.types) t"
                " GROUP BY t.value ORDER BY n DESC, t.value"
            )
        ]

    def main_languages(self) -> list[tuple[str, int]]:
        return [
            (str(r[0]), int(r[1]))
            for r in self.conn.execute(
                "SELECT json_extract(languages, '$[0]') AS lang, COUNT(*) AS n FROM documents"
                " WHERE lang IS NOT NULL GROUP BY lang ORDER BY n DESC, lang"
            )
        ]

    # --- entities ------------------------------------------------------------------------
    def entity_deleted(self, entity_id: int) -> bool:
        row = self.conn.execute(
            "SELECT deleted FROM entities WHERE id = ?", (entity_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no entity {entity_id}")
        return bool(row[0])

    def entity_documents(self, entity_id: int, limit: int) -> list[int]:
        """The most recently ingested documents that name the entity."""
        return [
            int(r[0])
            for r in self.conn.execute(
                "SELECT DISTINCT m.doc_seq FROM entity_keys k JOIN entity_mentions m"
                " ON m.key = k.key AND m.type = k.type WHERE k.entity_id = ?"
                " ORDER BY m.doc_seq DESC LIMIT ?",
                (entity_id, limit),
            )
        ]

    def co_mentions(self, seqs: Sequence[int]) -> list[tuple[int, str, str, int]]:
        """(entity id, name, type, document seq) for every live entity named in the
        documents."""
        out: list[tuple[int, str, str, int]] = []
        for i in range(0, len(seqs), _MAX_IDS):
            chunk = list(seqs[i : i + _MAX_IDS])
            out += [
                (int(r[0]), str(r[1]), str(r[2]), int(r[3]))
                for r in self.conn.execute(
                    "SELECT DISTINCT k.entity_id, e.name, e.type, m.doc_seq FROM entity_mentions m"
                    " JOIN entity_keys k ON k.key = m.key AND k.type = m.type"
                    " JOIN entities e ON e.id = k.entity_id"
                    f" WHERE m.doc_seq IN ({_marks(chunk)}) AND e.deleted = 0",
                    chunk,
                )
            ]
        return out

    def entities(
        self, type: str | None, query: str | None, limit: int, offset: int
    ) -> tuple[list[sqlite3.Row], int]:
        where = ["e.deleted = 0"]
        params: list[Any] = []
        if type:
            where.append("e.type = ?")
            params.append(type)
        if query:
            where.append("e.name LIKE ? ESCAPE '\\'")
            params.append("%" + query.replace("%", "\\%").replace("_", "\\_") + "%")
        cond = " AND ".join(where)
        total = int(
            self.conn.execute(f"SELECT COUNT(*) FROM entities e WHERE {cond}", params).fetchone()[0]
        )
        rows = self.conn.execute(
            "SELECT e.id, e.name, e.type, (SELECT COUNT(*) FROM entity_keys k WHERE k.entity_id = e.id)"
            f" AS keys FROM entities e WHERE {cond} ORDER BY e.name COLLATE NOCASE, e.id"
            " LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        return rows, total

    # --- documents ------------------------------------------------------------------------
    def source_id_of(self, doc_seq: int) -> int:
        return int(
            self.conn.execute(
                "SELECT source_id FROM documents WHERE seq = ?", (doc_seq,)
            ).fetchone()[0]
        )

    def documents_by_seq(self, seqs: Sequence[int]) -> dict[int, DocumentRef]:
        out: dict[int, DocumentRef] = {}
        for i in range(0, len(seqs), _MAX_IDS):
            chunk = list(seqs[i : i + _MAX_IDS])
            for r in self.conn.execute(
                f"SELECT d.seq, {_DOC_COLUMNS} FROM documents d JOIN sources s ON s.id = d.source_id"
                f" WHERE d.seq IN ({_marks(chunk)})",
                chunk,
            ):
                out[int(r["seq"])] = document_ref(r)
        return out

    def entity_spans(self, doc_seq: int) -> list[sqlite3.Row]:
        return self.conn.execute(
            'SELECT m.start, m."end", m.text, m.type, k.entity_id, e.name, e.deleted'
            " FROM entity_mentions m LEFT JOIN entity_keys k ON k.key = m.key AND k.type = m.type"
            " LEFT JOIN entities e ON e.id = k.entity_id WHERE m.doc_seq = ? ORDER BY m.idx",
            (doc_seq,),
        ).fetchall()

    def event_spans(self, doc_seq: int) -> list[sqlite3.Row]:
        return self.conn.execute(
            "SELECT idx, type, trigger_start, trigger_end, json_extract(data, '$.trigger') AS trigger"
            " FROM event_mentions WHERE doc_seq = ? ORDER BY idx",
            (doc_seq,),
        ).fetchall()

    def mention_events(self, doc_seq: int) -> dict[int, int]:
        """event mention index -> the event its incident belongs to."""
        out: dict[int, int] = {}
        for data, event_id in self.conn.execute(
            "SELECT json_extract(data, '$.members'), event_id FROM incidents"
            " WHERE doc_seq = ? AND event_id IS NOT NULL",
            (doc_seq,),
        ):
            for member in json.loads(data or "[]"):
                out[int(member["mention"])] = int(event_id)
        return out


_DOC_COLUMNS = (
    "d.id, d.title, d.url, d.author, d.published, d.languages, d.copy_of,"
    " COALESCE(s.name, s.domain, s.key) AS source"
)


def document_ref(r: sqlite3.Row) -> DocumentRef:
    return DocumentRef(
        id=r["id"],
        title=r["title"],
        source=r["source"],
        url=r["url"],
        author=r["author"],
        published=r["published"],
        languages=list(json.loads(r["languages"])),
        copy_of=r["copy_of"],
    )


def _source_ref(r: sqlite3.Row) -> SourceRef:
    return SourceRef(
        id=int(r["id"]),
        key=str(r["key"]),
        name=str(r["name"] or r["domain"] or r["key"]),
        kind=str(r["kind"]),
    )

"""SQLite store: one file, WAL, named migrations recorded in the database.

Durability: every document is written in one ``BEGIN IMMEDIATE`` transaction, so a
process killed at any instant leaves either the whole document or none of it; WAL with
``synchronous=NORMAL`` keeps committed transactions across a process crash (not
necessarily across a power cut, which is the usual SQLite trade-off for speed).
"""

from __future__ import annotations

import datetime as _dt
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from ..dedup import Candidate
from ..errors import InputError, MigrationError, NotFound, StoreError
from ..records import (
    Block,
    BlockKind,
    CopyLink,
    DateMethod,
    Document,
    InputFormat,
    Precision,
    PublishedDate,
    SourceInfo,
    SourceKind,
    from_dict,
)
from ..understand.types import DocumentAnalysis, EntityMention, EntityType, EventMention, TimeExpr
from .base import DocumentSummary, EntitySummary, Rejection, Store, StoreCounts

# SQLite allows 32766 host parameters per statement since 3.32; stay well under it.
_PARAM_CHUNK = 900


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def migrations() -> list[tuple[str, str]]:
    """(name, sql) in order, from the package's migrations folder."""
    folder = resources.files("triangulate.store").joinpath("migrations")
    items = sorted(
        (entry.name, entry.read_text("utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    )
    return [(name.removesuffix(".sql"), sql) for name, sql in items]


CACHE_KIB = 65_536


class SQLiteStore(Store):
    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        try:
            if readonly:
                uri = f"file:{Path(self.path).resolve()}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
            else:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        # 64 MB of page cache instead of SQLite's 2 MB: linking and the workspace pages
        # re-read the same index and event pages for every document and request, and on
        # a store of 100,000 documents the default cache no longer holds them.
        self.conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        if not readonly:
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.migrate()
        self._in_tx = False

    # --- schema -------------------------------------------------------------------
    def migrate(self) -> list[str]:
        """Apply pending migrations, each in its own transaction; returns their names."""
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        done = {r[0] for r in self.conn.execute("SELECT name FROM schema_migrations")}
        applied = []
        for name, sql in migrations():
            if name in done:
                continue
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                # executescript would commit on its own; run statements one by one so
                # the migration and its record land together or not at all.
                for statement in _statements(sql):
                    self.conn.execute(statement)
                self.conn.execute(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", (name, _now())
                )
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self.conn.execute("ROLLBACK")
                raise MigrationError(f"migration {name} failed: {exc}") from exc
            applied.append(name)
        return applied

    def applied_migrations(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM schema_migrations ORDER BY name")]

    # --- transactions --------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._in_tx:
            raise StoreError("nested transaction")
        self.conn.execute("BEGIN IMMEDIATE")
        self._in_tx = True
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._in_tx = False

    def close(self) -> None:
        self.conn.close()

    # --- writing -------------------------------------------------------------------
    def _source_id(self, source: SourceInfo) -> int:
        row = self.conn.execute(
            "SELECT id, name, domain, kind FROM sources WHERE key = ?", (source.key,)
        ).fetchone()
        if row is None:
            cur = self.conn.execute(
                "INSERT INTO sources (key, name, domain, kind, evidence) VALUES (?, ?, ?, ?, ?)",
                (source.key, source.name, source.domain, source.kind.value, source.evidence),
            )
            return int(cur.lastrowid or 0)
        # Fill gaps a later document knows about (a name for a bare domain, a kind).
        if (row["name"] is None and source.name) or (
            row["kind"] == SourceKind.UNKNOWN.value and source.kind is not SourceKind.UNKNOWN
        ):
            self.conn.execute(
                "UPDATE sources SET name = COALESCE(name, ?), kind = CASE WHEN kind = 'unknown' THEN ? ELSE kind END,"
                " evidence = CASE WHEN evidence = '' THEN ? ELSE evidence END WHERE id = ?",
                (source.name, source.kind.value, source.evidence, row["id"]),
            )
        return int(row["id"])

    def insert_document(self, doc: Document, fingerprints: Sequence[int], stage: str) -> int:
        source_id = self._source_id(doc.source)
        now = _now()
        cur = self.conn.execute(
            """INSERT INTO documents (id, content_hash, source_id, url, title, author, published,
                   published_precision, published_method, published_evidence, languages, text,
                   encoding, input_format, locator, captured, copy_of, copy_score, copy_reason,
                   fp_count, warnings, stage, ingested_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                doc.id,
                doc.content_hash,
                source_id,
                doc.url,
                doc.title,
                doc.author,
                doc.published.value,
                doc.published.precision.value if doc.published.precision else None,
                doc.published.method.value,
                doc.published.evidence,
                json.dumps(doc.languages),
                doc.text,
                doc.encoding,
                doc.input_format.value,
                doc.locator,
                doc.captured,
                doc.copy.original if doc.copy else None,
                doc.copy.score if doc.copy else None,
                doc.copy.reason if doc.copy else None,
                len(fingerprints),
                json.dumps(doc.warnings, ensure_ascii=False),
                stage,
                now,
            ),
        )
        seq = int(cur.lastrowid or 0)
        self.conn.executemany(
            """INSERT INTO blocks (doc_seq, idx, kind, start, "end", lang, parent, number, author,
                   note, confidence, stage) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                (
                    seq,
                    i,
                    b.kind.value,
                    b.start,
                    b.end,
                    b.lang,
                    b.parent,
                    b.number,
                    b.author,
                    b.note,
                    b.confidence,
                    stage,
                )
                for i, b in enumerate(doc.blocks)
            ],
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO fingerprints (hash, doc_seq) VALUES (?, ?)",
            [(h, seq) for h in fingerprints],
        )
        self.conn.execute(
            "INSERT INTO sightings (doc_seq, locator, url, first_seen) VALUES (?, ?, ?, ?)",
            (seq, doc.locator, doc.url, now),
        )
        doc.seq = seq
        return seq

    def add_sighting(self, doc_id: str, locator: str, url: str | None) -> bool:
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO sightings (doc_seq, locator, url, first_seen)"
            " SELECT seq, ?, ?, ? FROM documents WHERE id = ?",
            (locator, url, _now(), doc_id),
        )
        return cur.rowcount > 0

    def set_copy(self, doc_id: str, link: CopyLink | None) -> None:
        self.conn.execute(
            "UPDATE documents SET copy_of = ?, copy_score = ?, copy_reason = ? WHERE id = ?",
            (
                link.original if link else None,
                link.score if link else None,
                link.reason if link else None,
                doc_id,
            ),
        )

    def record_rejection(self, locator: str, error: InputError) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO rejections (locator, code, message, first_seen) VALUES (?, ?, ?, ?)",
            (locator, error.code, error.message, _now()),
        )

    def clear_rejections(self, locator: str) -> None:
        self.conn.execute("DELETE FROM rejections WHERE locator = ?", (locator,))

    # --- reading -------------------------------------------------------------------
    def find_by_hash(self, content_hash: str) -> str | None:
        row = self.conn.execute(
            "SELECT id FROM documents WHERE content_hash = ?", (content_hash,)
        ).fetchone()
        return str(row[0]) if row else None

    def copy_candidates(self, fingerprints: Sequence[int]) -> list[Candidate]:
        shared: dict[int, int] = {}
        for i in range(0, len(fingerprints), _PARAM_CHUNK):
            chunk = list(fingerprints[i : i + _PARAM_CHUNK])
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                f"SELECT doc_seq, COUNT(*) FROM fingerprints WHERE hash IN ({marks}) GROUP BY doc_seq",
                chunk,
            ):
                shared[row[0]] = shared.get(row[0], 0) + row[1]
        if not shared:
            return []
        out = []
        seqs = list(shared)
        for i in range(0, len(seqs), _PARAM_CHUNK):
            chunk = seqs[i : i + _PARAM_CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                f"SELECT seq, id, fp_count FROM documents WHERE seq IN ({marks})", chunk
            ):
                out.append(Candidate(row["id"], shared[row["seq"]], row["fp_count"]))
        out.sort(key=lambda c: -c.shared)
        return out

    def copies_of(self, doc_id: str) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM documents WHERE copy_of = ? ORDER BY seq", (doc_id,)
            )
        ]

    def _resolve(self, ref: str) -> sqlite3.Row:
        row = self.conn.execute(
            "SELECT d.*, s.name AS s_name, s.domain AS s_domain, s.kind AS s_kind, s.evidence AS s_evidence"
            " FROM documents d JOIN sources s ON s.id = d.source_id WHERE d.id = ?",
            (ref,),
        ).fetchone()
        if row is not None:
            return row
        if len(ref) >= 4:
            rows = self.conn.execute(
                "SELECT d.*, s.name AS s_name, s.domain AS s_domain, s.kind AS s_kind, s.evidence AS s_evidence"
                " FROM documents d JOIN sources s ON s.id = d.source_id WHERE d.id LIKE ? ESCAPE '\\' LIMIT 2",
                (ref.replace("%", "\\%").replace("_", "\\_") + "%",),
            ).fetchall()
            if len(rows) == 1:
                return rows[0]
            if len(rows) > 1:
                raise NotFound(f"document id prefix {ref!r} is ambiguous; give more characters")
        raise NotFound(f"no document {ref!r}")

    def _document(self, row: sqlite3.Row) -> Document:
        blocks = [
            Block(
                kind=BlockKind(b["kind"]),
                start=b["start"],
                end=b["end"],
                lang=b["lang"],
                parent=b["parent"],
                number=b["number"],
                author=b["author"],
                note=b["note"],
                confidence=b["confidence"],
            )
            for b in self.conn.execute(
                "SELECT * FROM blocks WHERE doc_seq = ? ORDER BY idx", (row["seq"],)
            )
        ]
        return Document(
            id=row["id"],
            text=row["text"],
            content_hash=row["content_hash"],
            blocks=blocks,
            locator=row["locator"],
            source=_source(row),
            url=row["url"],
            title=row["title"],
            author=row["author"],
            published=_published(row),
            languages=json.loads(row["languages"]),
            encoding=row["encoding"],
            input_format=InputFormat(row["input_format"]),
            captured=row["captured"],
            copy=CopyLink(row["copy_of"], row["copy_score"], row["copy_reason"] or "")
            if row["copy_of"]
            else None,
            warnings=json.loads(row["warnings"]),
            seq=row["seq"],
        )

    def get_document(self, ref: str) -> Document:
        return self._document(self._resolve(ref))

    def iter_documents(self) -> Iterator[Document]:
        rows = self.conn.execute(
            "SELECT d.*, s.name AS s_name, s.domain AS s_domain, s.kind AS s_kind, s.evidence AS s_evidence"
            " FROM documents d JOIN sources s ON s.id = d.source_id ORDER BY d.seq"
        ).fetchall()
        for row in rows:
            yield self._document(row)

    def list_documents(
        self,
        *,
        limit: int | None = None,
        offset: int = 0,
        language: str | None = None,
        source: str | None = None,
        originals_only: bool = False,
    ) -> list[DocumentSummary]:
        where: list[str] = []
        params: list[str | int] = []
        if language:
            where.append("EXISTS (SELECT 1 FROM json_each(d.languages) WHERE value = ?)")
            params.append(language)
        if source:
            where.append("(s.key = ? OR lower(s.name) = lower(?) OR s.domain = ?)")
            params += [source.lower(), source, source.lower()]
        if originals_only:
            where.append("d.copy_of IS NULL")
        sql = (
            "SELECT d.seq, d.id, d.title, d.url, d.published, d.published_precision, d.published_method,"
            " d.published_evidence, d.languages, d.copy_of, d.copy_score, d.locator, d.input_format,"
            " s.name AS s_name, s.domain AS s_domain, s.kind AS s_kind, s.evidence AS s_evidence,"
            " (SELECT COUNT(*) FROM blocks b WHERE b.doc_seq = d.seq) AS n_blocks"
            " FROM documents d JOIN sources s ON s.id = d.source_id"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY d.seq LIMIT ? OFFSET ?"
        params += [-1 if limit is None else limit, offset]
        return [
            DocumentSummary(
                id=r["id"],
                seq=r["seq"],
                title=r["title"],
                source=_source(r),
                url=r["url"],
                published=_published(r),
                languages=json.loads(r["languages"]),
                copy_of=r["copy_of"],
                copy_score=r["copy_score"],
                blocks=r["n_blocks"],
                locator=r["locator"],
                input_format=r["input_format"],
            )
            for r in self.conn.execute(sql, params)
        ]

    def rejections(self) -> list[Rejection]:
        return [
            Rejection(r["locator"], r["code"], r["message"], r["first_seen"])
            for r in self.conn.execute("SELECT * FROM rejections ORDER BY first_seen, locator")
        ]

    def counts(self) -> StoreCounts:
        one = lambda sql: int(self.conn.execute(sql).fetchone()[0])  # noqa: E731
        return StoreCounts(
            documents=one("SELECT COUNT(*) FROM documents"),
            originals=one("SELECT COUNT(*) FROM documents WHERE copy_of IS NULL"),
            sources=one("SELECT COUNT(*) FROM sources"),
            blocks=one("SELECT COUNT(*) FROM blocks"),
            sightings=one("SELECT COUNT(*) FROM sightings"),
            rejections=one("SELECT COUNT(*) FROM rejections"),
        )

    # --- understanding -------------------------------------------------------------
    def save_analysis(self, analysis: DocumentAnalysis) -> None:
        row = self.conn.execute(
            "SELECT seq FROM documents WHERE id = ?", (analysis.doc_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no document {analysis.doc_id!r}")
        seq = row[0]
        for table in ("entity_mentions", "timexes", "event_mentions", "analyses"):
            self.conn.execute(f"DELETE FROM {table} WHERE doc_seq = ?", (seq,))
        self.conn.executemany(
            'INSERT INTO entity_mentions (doc_seq, idx, start, "end", text, type, canonical, key, source, confidence)'
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    seq,
                    i,
                    e.start,
                    e.end,
                    e.text,
                    e.type.value,
                    e.canonical,
                    e.key,
                    e.source,
                    e.confidence,
                )
                for i, e in enumerate(analysis.entities)
            ],
        )
        self.conn.executemany(
            'INSERT INTO timexes (doc_seq, idx, start, "end", data, value) VALUES (?, ?, ?, ?, ?, ?)',
            [
                (seq, i, t.start, t.end, json.dumps(t.to_dict(), ensure_ascii=False), t.value)
                for i, t in enumerate(analysis.timexes)
            ],
        )
        self.conn.executemany(
            "INSERT INTO event_mentions (doc_seq, idx, type, cameo, plover, modality, trigger_start, trigger_end,"
            " confidence, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    seq,
                    i,
                    m.type,
                    m.cameo,
                    m.plover,
                    m.modality.value,
                    m.trigger_start,
                    m.trigger_end,
                    m.confidence,
                    json.dumps(m.to_dict(), ensure_ascii=False),
                )
                for i, m in enumerate(analysis.mentions)
            ],
        )
        self.conn.execute(
            "INSERT INTO analyses (doc_seq, stage, analysed_at, languages_without_backend) VALUES (?, ?, ?, ?)",
            (seq, analysis.stage, _now(), json.dumps(analysis.languages_without_backend)),
        )

    def get_analysis(self, doc_id: str) -> DocumentAnalysis | None:
        doc = self._resolve(doc_id)
        seq = doc["seq"]
        head = self.conn.execute("SELECT * FROM analyses WHERE doc_seq = ?", (seq,)).fetchone()
        if head is None:
            return None
        entities = [
            EntityMention(
                r["start"],
                r["end"],
                r["text"],
                EntityType(r["type"]),
                r["canonical"],
                r["key"],
                r["source"],
                r["confidence"],
            )
            for r in self.conn.execute(
                "SELECT * FROM entity_mentions WHERE doc_seq = ? ORDER BY idx", (seq,)
            )
        ]
        timexes = [
            from_dict(TimeExpr, json.loads(r["data"]))
            for r in self.conn.execute(
                "SELECT data FROM timexes WHERE doc_seq = ? ORDER BY idx", (seq,)
            )
        ]
        mentions = [
            from_dict(EventMention, json.loads(r["data"]))
            for r in self.conn.execute(
                "SELECT data FROM event_mentions WHERE doc_seq = ? ORDER BY idx", (seq,)
            )
        ]
        return DocumentAnalysis(
            doc["id"],
            entities,
            timexes,
            mentions,
            json.loads(head["languages_without_backend"]),
            head["stage"],
        )

    def unanalysed(self, stage: str) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT d.id FROM documents d LEFT JOIN analyses a ON a.doc_seq = d.seq"
                " WHERE a.doc_seq IS NULL OR a.stage <> ? ORDER BY d.seq",
                (stage,),
            )
        ]

    def entity_summary(
        self, *, type: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[EntitySummary]:
        where = "WHERE type = ?" if type else ""
        params: list[str | int] = [type] if type else []
        rows = self.conn.execute(
            f"SELECT key, type, COUNT(*) AS n, COUNT(DISTINCT doc_seq) AS docs FROM entity_mentions {where}"
            " GROUP BY key, type ORDER BY docs DESC, n DESC, key LIMIT ? OFFSET ?",
            [*params, -1 if limit is None else limit, offset],
        ).fetchall()
        out = []
        for r in rows:
            names = self.conn.execute(
                "SELECT canonical, text, COUNT(*) AS n FROM entity_mentions WHERE key = ? AND type = ?"
                " GROUP BY canonical, text ORDER BY n DESC",
                (r["key"], r["type"]),
            ).fetchall()
            aliases = sorted({n["canonical"] for n in names} | {n["text"] for n in names})
            out.append(
                EntitySummary(
                    r["key"], names[0]["canonical"], r["type"], r["n"], r["docs"], aliases
                )
            )
        return out

    def check_integrity(self) -> list[str]:
        problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [
            f"foreign key: {tuple(r)}" for r in self.conn.execute("PRAGMA foreign_key_check")
        ]
        checks: list[tuple[str, str]] = [
            (
                "document without blocks",
                "SELECT id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM blocks b WHERE b.doc_seq = d.seq)",
            ),
            (
                "document without sighting",
                "SELECT id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM sightings s WHERE s.doc_seq = d.seq)",
            ),
            (
                "block outside its text",
                'SELECT d.id FROM blocks b JOIN documents d ON d.seq = b.doc_seq WHERE b."end" > length(d.text)',
            ),
            (
                "copy of a copy (links must point at the earliest copy)",
                "SELECT d.id FROM documents d JOIN documents o ON o.id = d.copy_of WHERE o.copy_of IS NOT NULL",
            ),
            (
                "fingerprint count mismatch",
                # Counted in one pass: fingerprints are keyed by hash first, so a count
                # per document would scan the whole table once per document.
                "SELECT d.id FROM documents d LEFT JOIN (SELECT doc_seq, COUNT(*) AS n FROM fingerprints"
                " GROUP BY doc_seq) f ON f.doc_seq = d.seq WHERE d.fp_count <> COALESCE(f.n, 0)",
            ),
        ]
        for label, sql in checks:
            problems += [f"{label}: {r[0]}" for r in self.conn.execute(sql)]
        return problems


def _source(row: sqlite3.Row) -> SourceInfo:
    return SourceInfo(
        name=row["s_name"],
        domain=row["s_domain"],
        kind=SourceKind(row["s_kind"]),
        evidence=row["s_evidence"],
    )


def _published(row: sqlite3.Row) -> PublishedDate:
    precision: Any = row["published_precision"]
    return PublishedDate(
        value=row["published"],
        precision=Precision(precision) if precision else None,
        method=DateMethod(row["published_method"]),
        evidence=row["published_evidence"],
    )


def _statements(sql: str) -> list[str]:
    # Split on semicolons, but rejoin pieces until SQLite calls the statement complete:
    # a trigger body (BEGIN ...; ...; END) holds semicolons of its own.
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    out: list[str] = []
    pending = ""
    for piece in "\n".join(lines).split(";"):
        pending = f"{pending};{piece}" if pending else piece
        if pending.strip() and sqlite3.complete_statement(pending + ";"):
            out.append(pending.strip())
            pending = ""
    if pending.strip():
        out.append(pending.strip())
    return out

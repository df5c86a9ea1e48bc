"""The SQLite store: migrations, transactions, look-ups, integrity checks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from triangulate.errors import NotFound, StageOrderError
from triangulate.records import Block, BlockKind, Document, SourceInfo, SourceKind
from triangulate.stages import check_order
from triangulate.store.sqlite import SQLiteStore, migrations


def make_doc(n: int, text: str = "Title\n\nSome body text here.") -> Document:
    return Document(
        id=f"d{n:012x}",
        text=text,
        content_hash=f"{n:064x}",
        blocks=[Block(BlockKind.TITLE, 0, 5), Block(BlockKind.BODY, 7, len(text))],
        locator=f"input-{n}.txt",
        source=SourceInfo(name="Site", domain="site.example", kind=SourceKind.NEWS),
    )


def test_migrations_are_recorded_once(db_path: Path) -> None:
    with SQLiteStore(db_path) as s:
        assert s.applied_migrations() == [name for name, _ in migrations()]
    with SQLiteStore(db_path) as s:
        assert s.migrate() == []
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0] == len(migrations())


def test_failed_transaction_leaves_nothing(store: SQLiteStore) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.insert_document(make_doc(1), [4, 8], "test@1")
        raise RuntimeError("killed half way")
    assert store.counts().documents == 0 and store.counts().blocks == 0
    with store.transaction():
        store.insert_document(make_doc(1), [4, 8], "test@1")
    assert store.counts().documents == 1 and store.counts().blocks == 2
    assert store.check_integrity() == []


def test_lookup_by_prefix(store: SQLiteStore) -> None:
    with store.transaction():
        store.insert_document(make_doc(0x10), [], "test@1")
        store.insert_document(make_doc(0x11), [], "test@1")
    assert store.get_document("d000000000010").id == "d000000000010"
    with pytest.raises(NotFound, match="ambiguous"):
        store.get_document("d0000000000")
    with pytest.raises(NotFound, match="no document"):
        store.get_document("dffff")


def test_integrity_check_sees_broken_invariants(store: SQLiteStore, db_path: Path) -> None:
    with store.transaction():
        store.insert_document(make_doc(1), [4], "test@1")
    raw = sqlite3.connect(db_path)
    raw.execute('UPDATE blocks SET "end" = 10000 WHERE idx = 1')
    raw.commit()
    problems = store.check_integrity()
    assert any("block outside its text" in p for p in problems)


def test_list_filters(store: SQLiteStore) -> None:
    doc = make_doc(2)
    doc.languages = ["ru", "en"]
    with store.transaction():
        store.insert_document(doc, [], "test@1")
        store.insert_document(make_doc(3), [], "test@1")
    assert [d.id for d in store.list_documents(language="ru")] == [doc.id]
    assert len(store.list_documents(source="site.example")) == 2
    assert len(store.list_documents(limit=1, offset=1)) == 1


def test_stage_order_is_checked() -> None:
    check_order(["read", "segment", "language", "dedup", "store"])
    with pytest.raises(StageOrderError, match="needs"):
        check_order(["read", "dedup", "segment"])
    with pytest.raises(StageOrderError, match="unknown"):
        check_order(["read", "magic"])

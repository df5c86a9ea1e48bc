"""What the link stage keeps in memory between documents (parsed signatures, the recent
members of candidate events) must say exactly what the store says."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from triangulate.link.eventcoref import EventSignature
from triangulate.link.stage import SIGNATURE_FIELDS, Linker, link_store, stored_signature
from triangulate.records import from_dict
from triangulate.store.links import SQLiteLinks
from triangulate.store.sqlite import SQLiteStore


@pytest.fixture()
def linked(analysed_demo: Path, tmp_path: Path) -> Iterator[Path]:
    db = tmp_path / "demo.db"
    shutil.copy(analysed_demo, db)
    with SQLiteStore(db) as store:
        assert not link_store(store).failures
    yield db


def test_stored_signature_reads_every_field_as_from_dict_does(linked: Path) -> None:
    assert tuple(f.name for f in dataclasses.fields(EventSignature)) == SIGNATURE_FIELDS
    with SQLiteStore(linked) as store:
        rows = [r[0] for r in store.conn.execute("SELECT signature FROM incidents")]
    assert len(rows) > 20
    with_meaning = 0
    for data in rows:
        fast = stored_signature(data)
        assert fast == from_dict(EventSignature, json.loads(data))
        with_meaning += bool(fast.meaning)
    assert with_meaning > 0  # the demo's incidents carry trigger embeddings


def test_recent_members_follow_a_member_added_by_another_connection(linked: Path) -> None:
    with SQLiteStore(linked) as mine, SQLiteStore(linked) as other:
        linker = Linker(mine)
        conn = mine.conn
        # An event whose newest member is older than some incident of another event.
        event, last_seq = conn.execute(
            "SELECT event_id, MAX(doc_seq) FROM incidents WHERE event_id IS NOT NULL"
            " GROUP BY event_id ORDER BY MAX(doc_seq) LIMIT 1"
        ).fetchone()
        newer_seq, newer_idx, sig = conn.execute(
            "SELECT doc_seq, idx, signature FROM incidents WHERE doc_seq > ? AND event_id != ?"
            " ORDER BY doc_seq DESC LIMIT 1",
            (last_seq, event),
        ).fetchone()
        first = linker.recent_members(event)
        assert first is not None and first.last[0] == last_seq
        assert linker.recent_members(event) is first  # unchanged: served from memory
        newer_doc = SQLiteLinks(other.conn).id_of(newer_seq)
        with other.transaction():
            SQLiteLinks(other.conn).move_incident(newer_doc, newer_idx, event, ["test move"])
        again = linker.recent_members(event)
        assert again is not None and again is not first
        assert again.last == (newer_seq, newer_idx)
        assert again.signatures[-1] == stored_signature(sig)

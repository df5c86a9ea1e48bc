"""The demo corpus (examples/) as a fixture: every document lands, with the answer key's
languages, dates and copy links (see examples/README.md)."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES
from triangulate.pipeline import ingest
from triangulate.records import BlockKind
from triangulate.settings import Settings
from triangulate.store.sqlite import SQLiteStore


@pytest.fixture()
def demo(store: SQLiteStore) -> SQLiteStore:
    report = ingest([str(EXAMPLES)], store, Settings())
    assert not report.failed, [o.message for o in report.outcomes if o.message]
    return store


def _by_file(store: SQLiteStore, fragment: str):  # type: ignore[no-untyped-def]
    hits = [d for d in store.list_documents() if fragment in d.locator]
    assert hits, fragment
    return hits


def test_all_documents_land(demo: SQLiteStore) -> None:
    docs = demo.list_documents()
    # 6 HTML + 4 text + 3 JSONL records + 3 feed items.
    assert len(docs) == 16
    langs = {d.languages[0] for d in docs}
    assert langs == {"en", "ru", "az"}
    assert {d.input_format for d in docs} == {"html", "text", "article"}
    assert demo.check_integrity() == []
    assert demo.rejections() == []


def test_wire_story_and_its_reposts_are_one_original(demo: SQLiteStore) -> None:
    wire = _by_file(demo, "caspianwire_")[0]
    full = _by_file(demo, "steppeobserver_")[0]
    truncated = _by_file(demo, "regionwatch_")[0]
    assert wire.copy_of is None
    assert full.copy_of == wire.id and truncated.copy_of == wire.id
    # The Russian rewrite that cites the wire is its own text, not a copy.
    rewrite = _by_file(demo, "aggregator_capture")[0]
    assert rewrite.copy_of is None
    assert demo.counts().originals == 14


def test_publication_dates_and_how_they_were_found(demo: SQLiteStore) -> None:
    wire = _by_file(demo, "caspianwire_")[0]
    assert (
        wire.published.value == "2025-06-30T13:05:00+04:00"
        and wire.published.method.value == "metadata"
    )
    undated_meta = _by_file(demo, "regionwatch_")[0]
    assert (
        undated_meta.published.value == "2025-07-01"
        and undated_meta.published.method.value == "url"
    )
    capture = _by_file(demo, "aggregator_capture")[0]
    assert (
        capture.published.value == "2025-06-30T14:20" and capture.published.method.value == "text"
    )
    forum = _by_file(demo, "forum_repost")[0]
    assert forum.published.value is None and forum.published.method.value == "unknown"
    feed = sorted(d.published.value or "" for d in _by_file(demo, "feed.xml"))
    assert [v[:10] for v in feed] == ["2025-06-28", "2025-07-01", "2025-07-02"]


def test_aggregator_capture_blocks(demo: SQLiteStore) -> None:
    doc = demo.get_document(_by_file(demo, "aggregator_capture")[0].id)
    kinds = [b.kind for b in doc.blocks]
    assert kinds[0] is BlockKind.BOILERPLATE  # language switch
    assert BlockKind.RELATED in kinds and BlockKind.CAPTION in kinds and BlockKind.CREDIT in kinds
    credit = next(b for b in doc.blocks if b.kind is BlockKind.CREDIT)
    assert credit.lang == "ru"
    assert doc.source.kind.value == "aggregator"
    trailer = doc.blocks[kinds.index(BlockKind.CREDIT) + 1 :]
    assert trailer and all(b.kind is BlockKind.BOILERPLATE for b in trailer)


def test_forum_repost_quotes_are_inside_comment_one(demo: SQLiteStore) -> None:
    doc = demo.get_document(_by_file(demo, "forum_repost")[0].id)
    comments = [i for i, b in enumerate(doc.blocks) if b.kind is BlockKind.COMMENT]
    quotes = [b for b in doc.blocks if b.kind is BlockKind.QUOTE]
    assert len(comments) == 3 and len(quotes) == 4
    assert all(q.parent == comments[0] for q in quotes)
    assert doc.author == "steppewolf77"


def test_azerbaijani_and_russian_documents(demo: SQLiteStore) -> None:
    az = demo.list_documents(language="az")
    ru = demo.list_documents(language="ru")
    assert len([d for d in az if d.languages[0] == "az"]) == 6
    assert len([d for d in ru if d.languages[0] == "ru"]) == 4

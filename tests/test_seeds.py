"""The two real captures in ../shared/seeds, segmented and stored (read from there, never
copied into the project)."""

from __future__ import annotations

import itertools
import re

from conftest import seed
from triangulate.records import BlockKind, Document


def _ingest_seeds(cli, seeds_dir):  # type: ignore[no-untyped-def]
    result = cli("ingest", str(seeds_dir))
    assert result.exit_code == 0, result.output
    return result


def _doc(store, prefix: str) -> Document:  # type: ignore[no-untyped-def]
    path = str(seed(prefix))
    for summary in store.list_documents():
        if summary.locator.endswith(path.rsplit("/", 1)[-1]):
            return store.get_document(summary.id)
    raise AssertionError(f"{prefix} not stored")


def _kinds(doc: Document, kind: BlockKind) -> list[tuple[str, str]]:
    return [(doc.block_text(b), b.lang) for b in doc.blocks if b.kind is kind]


def test_seeds_store_two_documents(cli, seeds_dir, store):  # type: ignore[no-untyped-def]
    _ingest_seeds(cli, seeds_dir)
    assert store.counts().documents == 2
    assert store.check_integrity() == []


def test_aggregator_capture_non_body_blocks(cli, seeds_dir, store):  # type: ignore[no-untyped-def]
    _ingest_seeds(cli, seeds_dir)
    doc = _doc(store, "003")
    captions = _kinds(doc, BlockKind.CAPTION)
    assert len(captions) == 1 and captions[0][1] == "az"
    credits = _kinds(doc, BlockKind.CREDIT)
    assert credits == [("Source: Modern.Az", "en")]
    # The caption sits right above the credit.
    cap = next(b for b in doc.blocks if b.kind is BlockKind.CAPTION)
    cred = next(b for b in doc.blocks if b.kind is BlockKind.CREDIT)
    assert doc.text[cap.end : cred.start].strip() == ""

    # The related-link headline glued to the end of the "cannon fodder." paragraph.
    related = [b for b in doc.blocks if b.kind is BlockKind.RELATED]
    assert len(related) == 1 and related[0].lang == "az"
    before = doc.blocks[doc.blocks.index(related[0]) - 1]
    assert before.kind is BlockKind.BODY and before.end == related[0].start
    assert doc.block_text(before).endswith("cannon fodder.")
    assert "Turkustan.az" in doc.block_text(related[0])

    # The trailing aggregator widget: every line after the last body paragraph.
    last_body = max(b.end for b in doc.blocks if b.kind is BlockKind.BODY)
    trailer = [b for b in doc.blocks if b.start > last_body]
    texts = {doc.block_text(b): b for b in trailer}
    assert {"News.Az", "Избранный", "12", "36", "news.az", "10Источники"} <= set(texts)
    assert all(b.kind is BlockKind.BOILERPLATE for b in trailer)
    assert texts["Избранный"].lang == "ru" and texts["10Источники"].lang == "ru"
    assert texts["12"].lang == "und" and texts["36"].lang == "und"
    assert doc.source.kind.value == "aggregator" and doc.source.domain == "news.az"


def test_aggregator_capture_body_intact(cli, seeds_dir, store):  # type: ignore[no-untyped-def]
    """Every body line of the file is covered exactly by body blocks (plus the glued
    related link), in order, and the stored text is the file's text."""
    _ingest_seeds(cli, seeds_dir)
    doc = _doc(store, "003")
    raw = seed("003").read_text(encoding="utf-8")
    assert doc.text == raw
    body = [b for b in doc.blocks if b.kind is BlockKind.BODY]
    assert len(body) >= 9
    related = next(b for b in doc.blocks if b.kind is BlockKind.RELATED)
    covered = sorted([(b.start, b.end) for b in body] + [(related.start, related.end)])
    long_lines = [m.span() for m in re.finditer(r"(?m)^.{200,}$", raw)]
    for start, end in long_lines:
        pieces = [(s, e) for s, e in covered if s >= start and e <= end]
        assert pieces and pieces[0][0] == start and pieces[-1][1] == end, raw[start : start + 40]
        assert all(a[1] == b[0] for a, b in itertools.pairwise(pieces))
    title = _kinds(doc, BlockKind.TITLE)
    assert len(title) == 1 and title[0][1] == "en"
    assert doc.languages[0] == "en" and "az" in doc.languages and "ru" in doc.languages


def test_forum_repost_blocks(cli, seeds_dir, store):  # type: ignore[no-untyped-def]
    _ingest_seeds(cli, seeds_dir)
    doc = _doc(store, "000")
    raw = seed("000").read_text(encoding="utf-8")
    assert len(_kinds(doc, BlockKind.TITLE)) == 1
    assert len(_kinds(doc, BlockKind.DEK)) == 1
    bylines = [b for b in doc.blocks if b.kind is BlockKind.BYLINE]
    assert [b.author for b in bylines] == ["1DarkStarryNight"]
    assert doc.author == "1DarkStarryNight"
    boiler = {doc.block_text(b) for b in doc.blocks if b.kind is BlockKind.BOILERPLATE}
    assert {"2 comments", "Comments are closed."} <= boiler

    comments = [(i, b) for i, b in enumerate(doc.blocks) if b.kind is BlockKind.COMMENT]
    assert [b.number for _, b in comments] == [1, 2]
    first_index, first = comments[0]
    quotes = [b for b in doc.blocks if b.kind is BlockKind.QUOTE]
    quote_lines = re.findall(r"(?m)^\s*> ", raw)
    assert len(quotes) == len(quote_lines)
    assert all(q.parent == first_index for q in quotes)
    assert all(first.start <= q.start and q.end <= first.end for q in quotes)
    # Quote blocks start after the "> " marker and end at the end of their line.
    for q in quotes:
        assert raw[q.start - 2 : q.start] == "> "
        assert raw[q.end : q.end + 1] in ("\n", "")
    second_index, second = comments[1]
    assert all(
        b.parent == second_index
        for b in doc.blocks
        if second.start <= b.start < second.end and b is not second
    )
    assert doc.source.kind.value == "forum"
    assert doc.published.value is None and doc.published.method.value == "unknown"


def test_reingest_changes_nothing(cli, seeds_dir, db_path):  # type: ignore[no-untyped-def]
    import sqlite3

    _ingest_seeds(cli, seeds_dir)
    dump = lambda: list(sqlite3.connect(db_path).iterdump())  # noqa: E731
    first = dump()
    result = cli("ingest", str(seeds_dir))
    assert result.exit_code == 0
    assert "0 stored" in result.output and "2 already stored" in result.output
    assert dump() == first

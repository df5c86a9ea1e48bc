"""The bulk store builder and `bench load` on small sizes.

A bulk-built store must be a store like any other: it passes the integrity check, its
documents are in the full-text index, the CLI reads its timeline and ledger, the real link
stage can keep adding documents to it, and its tables have the sizes a store grown by the
link stage from the same generated documents has (within the bounds stated below). The
load command runs against the real server on loopback. No timing is asserted.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from triangulate.bench.bulk_store import BuildReport, build_store, fts_table, profile
from triangulate.bench.link_speed import LANGUAGES, World
from triangulate.cli import main
from triangulate.errors import SettingError, StoreError
from triangulate.link.stage import LINK, Linker
from triangulate.store.sqlite import SQLiteStore

SEED = 31
DOCS = 150


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport, World]:
    path = tmp_path_factory.mktemp("bulk") / "bulk.db"
    world = World(SEED)
    report = build_store(path, DOCS, SEED, world=world)
    return path, report, world


@contextmanager
def _open(path: Path) -> Iterator[SQLiteStore]:
    store = SQLiteStore(path)
    try:
        yield store
    finally:
        store.close()


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_bulk_store_is_consistent(built: tuple[Path, BuildReport, World]) -> None:
    path, report, _ = built
    assert report.documents == DOCS and report.events > 0 and report.claims > 0
    with _open(path) as store:
        assert store.check_integrity() == []
        links = Linker(store).links
        assert links.unlinked(LINK.tag) == []  # every document counts as linked
    one = lambda sql: _rows(path, sql)[0][0]  # noqa: E731
    # Every incident belongs to an event, every event has reports, a signature, blocking
    # keys and a ledger built from all of its reports.
    assert one("SELECT COUNT(*) FROM incidents WHERE event_id IS NULL OR origin IS NULL") == 0
    assert one("SELECT COUNT(*) FROM events WHERE signature = '{}' OR documents < 1") == 0
    assert one("SELECT COUNT(*) FROM events e WHERE NOT EXISTS"
               " (SELECT 1 FROM event_keys k WHERE k.event_id = e.id)") == 0  # fmt: skip
    assert one("SELECT COUNT(*) FROM events e WHERE documents <>"
               " (SELECT COUNT(DISTINCT doc_seq) FROM incidents i WHERE i.event_id = e.id)") == 0  # fmt: skip
    assert one("SELECT COUNT(DISTINCT event_id) FROM claims") == report.events
    # Events of several documents carry the stage's stances; a lone report has none.
    assert one("SELECT COUNT(*) FROM incidents i JOIN events e ON e.id = i.event_id"
               " WHERE e.documents > 1 AND i.stance = '[]'") == 0  # fmt: skip
    # The story clusterer's state matches the stories documents are in.
    assert one("SELECT COUNT(*) FROM story_docs") == DOCS
    assert one("SELECT COUNT(*) FROM story_stories") == report.stories
    assert one("SELECT value FROM story_meta WHERE name = 'documents'") == DOCS
    assert one("SELECT COUNT(*) FROM linked l JOIN documents d ON d.seq = l.doc_seq"
               " JOIN story_docs s ON s.doc_id = d.id WHERE s.story_id <> l.story_id") == 0  # fmt: skip


def test_bulk_store_has_full_text_rows(built: tuple[Path, BuildReport, World]) -> None:
    path, report, _ = built
    with _open(path) as store:
        table = fts_table(store.conn)
        if table is None:
            pytest.skip("this checkout has no full-text migration yet")
        assert report.fts_rows == DOCS
        # A word of one Russian document's title finds that document.
        seq, title = store.conn.execute(
            "SELECT seq, title FROM documents WHERE languages LIKE '[\"ru\"%' LIMIT 1"
        ).fetchone()
        word = max(title.split(), key=len).strip(":.,")
        hits = {r[0] for r in store.conn.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ?", (f'"{word}"',))}  # fmt: skip
        assert seq in hits


def test_cli_reads_bulk_store(built: tuple[Path, BuildReport, World]) -> None:
    path, report, _ = built
    runner = CliRunner()
    out = runner.invoke(main, ["--db", str(path), "timeline", "--json"], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)
    assert len(rows) == report.events
    assert all(r["documents"] >= 1 and r["sources"] >= 1 for r in rows)
    assert any(r["contested"] for r in rows) == (report.conflicts > 0)
    out = runner.invoke(main, ["--db", str(path), "claims", "--conflicts", "--json"])
    assert out.exit_code == 0, out.output
    assert len(json.loads(out.output)["conflicts"]) == report.conflicts


def test_real_stage_extends_bulk_store(tmp_path: Path) -> None:
    """Build to N, then link more documents of the same stream through the real stage:
    they find the bulk-built stories and events."""
    world = World(SEED + 1)
    path = tmp_path / "extend.db"
    build_store(path, 120, world=world)
    with _open(path) as store:
        events_before = int(store.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])
        stories_before = {r[0] for r in store.conn.execute("SELECT story_id FROM story_docs")}
        ids = []
        with store.transaction():
            for _ in range(12):
                doc, analysis = world.next()
                store.insert_document(doc, [], "test")
                store.save_analysis(analysis)
                ids.append(doc.id)
        linker = Linker(store)
        report = linker.run(ids)
        assert report.failures == [] and report.documents == 12
        assert report.joined > 0  # bulk-built events were found through their keys
        stories = {linker.links.story_of_doc(i) for i in ids}
        assert stories & stories_before  # and bulk-built stories through the clusterer's
        assert store.check_integrity() == []
        assert int(store.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]) < (
            events_before + report.incidents
        )


# Tables filled document by document by the same functions in both stores: equal sizes.
SAME = ("sources", "blocks", "fingerprints", "sightings", "analyses", "entity_mentions",
        "timexes", "event_mentions", "entities", "entity_keys", "entity_surnames",
        "incidents", "claims", "linked", "story_df", "story_docs", "story_doc_terms")  # fmt: skip
# (bulk / stage) bounds where the ground truth and the stage's decisions differ. The stage
# splits many real-world events (reports in two languages whose keys never meet, a
# report with another date), so the bulk store has fewer, larger events; ground-truth
# stories mix more words than the clusterer's stories.
BOUNDS = {
    "events": (0.5, 1.2),
    "event_keys": (0.6, 1.4),
    "conflicts": (0.5, 2.5),
    "story_postings": (0.8, 1.5),
    "story_terms": (0.8, 1.8),
}
SHAPE_BOUNDS = {
    "reports_per_event": (0.8, 2.0),
    "keys_per_event": (0.7, 1.6),
    "postings_per_key": (0.6, 1.6),
}


@pytest.mark.slow
def test_bulk_store_has_the_shape_of_a_linked_store(
    built: tuple[Path, BuildReport, World], tmp_path: Path
) -> None:
    bulk_path, _, _ = built
    real_path = tmp_path / "real.db"
    with _open(real_path) as store:
        world = World(SEED)
        ids = []
        with store.transaction():
            for _ in range(DOCS):
                doc, analysis = world.next()
                store.insert_document(doc, [], "test")
                store.save_analysis(analysis)
                ids.append(doc.id)
        assert Linker(store).run(ids).failures == []
    bulk, real = profile(bulk_path), profile(real_path)
    for table in SAME:
        if table != "fingerprints":  # the reference store skipped fingerprints
            assert bulk.per_document[table] == real.per_document[table], table
    for table, (low, high) in BOUNDS.items():
        ratio = bulk.per_document[table] / real.per_document[table]
        assert low <= ratio <= high, (table, ratio)
    for name, (low, high) in SHAPE_BOUNDS.items():
        ratio = getattr(bulk, name) / getattr(real, name)
        assert low <= ratio <= high, (name, ratio)
    assert bulk.stance_share >= real.stance_share * 0.9


def test_bad_inputs_are_refused(built: tuple[Path, BuildReport, World], tmp_path: Path) -> None:
    path, _, _ = built
    with pytest.raises(StoreError, match="already holds"):
        build_store(path, 10)
    with pytest.raises(SettingError, match="documents"):
        build_store(tmp_path / "none.db", 0)
    not_a_store = tmp_path / "notes.db"
    not_a_store.write_text("not a database", "utf-8")
    out = CliRunner().invoke(main, ["bench", "load", "--store", str(not_a_store), "--json"])
    assert out.exit_code == 2
    assert str(not_a_store) in out.output and "[store]" in out.output


def test_search_words_come_from_the_generated_vocabulary(
    built: tuple[Path, BuildReport, World],
) -> None:
    """The load searches for the world's words by their frequency: the most frequent word
    of each language is in the full-text index, so searches are not all empty."""
    path, _, world = built
    with _open(path) as store:
        table = fts_table(store.conn)
        if table is None:
            pytest.skip("this checkout has no full-text migration yet")
        for lang in LANGUAGES:
            word = world.vocabulary[lang][0]
            hits = store.conn.execute(
                f"SELECT COUNT(*) FROM {table} WHERE {table} MATCH ?", (f'"{word}"',)
            ).fetchone()[0]
            assert hits > 0, (lang, word)


@pytest.mark.slow
def test_load_command_reports_every_endpoint(tmp_path: Path) -> None:
    """`bench load` builds a small store, starts the real server, loads it for about two
    seconds and reports numbers for every endpoint, without errors."""
    store = tmp_path / "load.db"
    out = CliRunner().invoke(
        main,
        ["bench", "load", "--docs", "120", "--store", str(store), "--duration", "2",
         "--warmup", "0.5", "--concurrency", "3", "--no-progress", "--json"],
        catch_exceptions=False,
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert result["documents"] == 120 and result["build"]["documents"] == 120
    names = {e["name"] for e in result["endpoints"]}
    assert {"timeline", "timeline_filtered", "event", "search", "health", "floor"} == names
    for e in result["endpoints"]:
        assert e["requests"] > 0, e
        assert e["errors"] == 0, e
        assert 0 < e["p50_ms"] <= e["p95_ms"] <= e["p99_ms"] <= e["max_ms"], e
    assert result["total_errors"] == 0 and result["total_rps"] > 0
    for e in result["endpoints"]:
        if e["name"] in ("timeline", "timeline_filtered", "event"):
            assert e["p95_over_target"] == pytest.approx(e["p95_ms"] / 200.0, abs=0.01)
    # A second run reuses the store instead of building it again.
    again = CliRunner().invoke(
        main,
        ["bench", "load", "--store", str(store), "--duration", "0.5", "--warmup", "0",
         "--concurrency", "1", "--json"],
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    assert json.loads(again.output)["build"] is None

"""Full-text search (SQLite FTS5, migration 0005) over the demo corpus: Russian and
Azerbaijani documents are found, entity and date filters narrow the hits, the index
follows inserts, edits and deletes through triggers, and the migration indexes a store
that was made before it."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from triangulate.link.stage import link_store
from triangulate.store.search import (
    SearchQueryError,
    fts_query,
    search_documents,
    split_snippet,
)
from triangulate.store.sqlite import SQLiteStore
from triangulate.workspace import Workspace


@pytest.fixture(scope="module")
def demo(analysed_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteStore]:
    db = tmp_path_factory.mktemp("search") / "demo.db"
    shutil.copy(analysed_demo, db)
    store = SQLiteStore(db)
    assert not link_store(store).failures  # entities for the entity filter
    yield store
    store.close()


def _langs(store: SQLiteStore, query: str, **filters: object) -> dict[str, str]:
    """doc id -> main language of every hit (all pages)."""
    ws = Workspace(store)
    result = ws.search(query, page=1, size=200, **filters)  # type: ignore[arg-type]
    assert result.page.total == len(result.items)
    return {h.document.id: h.document.languages[0] for h in result.items}


def test_finds_russian_and_azerbaijani_documents(demo: SQLiteStore) -> None:
    russian = _langs(demo, "задержаны")
    assert russian and set(russian.values()) == {"ru"}
    # Azerbaijani: ə and ı are searched as written; the suffix form matches as a prefix.
    azerbaijani = _langs(demo, "saxlanıl")
    assert azerbaijani and set(azerbaijani.values()) == {"az"}
    # The same family name in two scripts reaches both languages.
    assert "ru" in set(_langs(demo, "Сафаров").values())
    assert "az" in set(_langs(demo, "Səfərov").values())


def test_prefix_case_and_phrases(demo: SQLiteStore) -> None:
    # Case folds in Cyrillic; "задерж" is a prefix of задержаны/задерживают.
    assert _langs(demo, "ЗАДЕРЖ") == _langs(demo, "задерж")
    whole = _langs(demo, "задерж")
    assert set(_langs(demo, "задержаны")) < set(whole)
    # A phrase must match in order; the same words apart match more documents.
    phrase = _langs(demo, '"Sputnik Azerbaijan"')
    loose = _langs(demo, "Sputnik Azerbaijan")
    assert phrase and set(phrase) <= set(loose)
    assert not _langs(demo, '"Azerbaijan Sputnik Baku Moscow"')


def test_snippets_mark_the_matches(demo: SQLiteStore) -> None:
    hits = Workspace(demo).search("Sputnik", size=5).items
    assert hits
    for hit in hits:
        marked = [text for text, is_hit in hit.snippet if is_hit]
        assert marked and all(t.lower().startswith("sputnik") for t in marked)
    assert split_snippet("a \x02b\x03 c") == [("a ", False), ("b", True), (" c", False)]


def test_entity_filter_keeps_documents_naming_it(demo: SQLiteStore) -> None:
    everything = _langs(demo, "Baku")
    row = demo.conn.execute(
        "SELECT k.entity_id, COUNT(DISTINCT m.doc_seq) AS n FROM entity_keys k"
        " JOIN entity_mentions m ON m.key = k.key AND m.type = k.type"
        " JOIN entities e ON e.id = k.entity_id WHERE e.type = 'PER'"
        " GROUP BY k.entity_id ORDER BY n DESC LIMIT 1"
    ).fetchone()
    entity = int(row[0])
    naming = {
        r[0]
        for r in demo.conn.execute(
            "SELECT DISTINCT d.id FROM entity_keys k JOIN entity_mentions m"
            " ON m.key = k.key AND m.type = k.type JOIN documents d ON d.seq = m.doc_seq"
            " WHERE k.entity_id = ?",
            (entity,),
        )
    }
    filtered = _langs(demo, "Baku", entity=entity)
    assert filtered and set(filtered) == set(everything) & naming
    assert len(filtered) < len(everything)


def test_date_filters_split_the_hits(demo: SQLiteStore) -> None:
    hits = Workspace(demo).search("Baku", size=200).items
    dated = sorted(h.document.published for h in hits if h.document.published)
    assert len(set(d[:10] for d in dated)) >= 2
    cut = dated[len(dated) // 2][:10]
    before = _langs(demo, "Baku", date_to=cut)
    after = _langs(demo, "Baku", date_from=cut)
    published = {h.document.id: h.document.published or "" for h in hits}
    assert before and after
    assert all(published[d][:10] <= cut for d in before)
    assert all(published[d][:10] >= cut for d in after)
    assert set(before) | set(after) == {d for d, p in published.items() if p}
    # A month as the upper bound covers the whole month.
    month = cut[:7]
    assert set(_langs(demo, "Baku", date_to=month)) >= set(before)
    with pytest.raises(SearchQueryError, match="date_from"):
        _langs(demo, "Baku", date_from="June 2025")
    with pytest.raises(SearchQueryError, match="after"):
        _langs(demo, "Baku", date_from="2025-07-01", date_to="2025-06-01")


def test_user_syntax_cannot_break_the_query(demo: SQLiteStore) -> None:
    for text in ['NEAR(" AND', "Baku*)", "col:Baku", "-Baku ^x"]:
        search_documents(demo.conn, text)  # quoted terms: no FTS5 syntax error
    assert fts_query('Баку "two words" x') == '"Баку"* AND "two words" AND "x"'
    for bad in ["", "  ", '""', "*** ---"]:
        with pytest.raises(SearchQueryError, match="no words"):
            fts_query(bad)
    with pytest.raises(SearchQueryError, match="limit"):
        fts_query("word " * 200)


def test_triggers_follow_inserts_edits_and_deletes(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    doc = tmp_path / "note.txt"
    doc.write_text(
        "Zümrüdqala reyd\n\nPolis Zümrüdqala kəndində reyd keçirdi və üç nəfəri saxladı.\n",
        encoding="utf-8",
    )
    assert cli("ingest", "--no-analyze", str(doc)).exit_code == 0
    with SQLiteStore(tmp_path / "test.db") as store:
        (seq,) = [s for (s,) in store.conn.execute("SELECT seq FROM documents")]
        hits, total = search_documents(store.conn, "Zümrüdqala")
        assert total == 1 and hits[0].seq == seq
        # remove_diacritics: typed without the marks it still matches.
        assert search_documents(store.conn, "Zumrudqala")[1] == 1
        with store.transaction():
            store.conn.execute(
                "UPDATE documents SET title = 'Xəzərkənd', text = 'Xəzərkənd' WHERE seq = ?",
                (seq,),
            )
        assert search_documents(store.conn, "Zümrüdqala")[1] == 0
        assert search_documents(store.conn, "Xəzərkənd")[1] == 1
        with store.transaction():
            store.conn.execute("DELETE FROM documents WHERE seq = ?", (seq,))
        assert search_documents(store.conn, "Xəzərkənd")[1] == 0
        problems = store.conn.execute(
            "INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)"
        )
        assert problems is not None  # raises on a corrupt or out-of-date index


def test_migration_indexes_an_existing_store(analysed_demo: Path, tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    shutil.copy(analysed_demo, db)
    # Make the copy look like a store from before migration 0005.
    conn = sqlite3.connect(db)
    for kind, name in conn.execute(
        "SELECT type, name FROM sqlite_master WHERE sql LIKE '%documents_fts%' AND type = 'trigger'"
        " UNION ALL SELECT 'index', name FROM sqlite_master WHERE type = 'index' AND name IN"
        " ('events_timeline', 'claims_key', 'claims_doc', 'documents_main_lang', 'linked_story')"
    ).fetchall():
        conn.execute(f"DROP {kind.upper()} {name}")
    conn.execute("DROP TABLE documents_fts")
    conn.execute("DELETE FROM schema_migrations WHERE name = '0005_search'")
    conn.commit()
    documents = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    conn.close()

    with SQLiteStore(db) as store:
        assert "0005_search" in store.applied_migrations()
        indexed = store.conn.execute("SELECT COUNT(*) FROM documents_fts").fetchone()[0]
        assert indexed == documents == 16
        assert _langs(store, "задержаны") and _langs(store, "saxlanıl")
        plan = " ".join(
            str(tuple(r))
            for r in store.conn.execute(
                "EXPLAIN QUERY PLAN SELECT e.id FROM events e"
                " ORDER BY (e.date_start IS NULL), e.date_start, e.date, e.id LIMIT 5"
            )
        )
        assert "events_timeline" in plan and "TEMP B-TREE" not in plan


def test_search_rows_are_json_ready(demo: SQLiteStore) -> None:
    result = Workspace(demo).search("Sputnik", size=2)
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["page"] == {"number": 1, "size": 2, "total": result.page.total}
    assert len(data["items"]) == 2 and result.page.total > 2


def test_too_many_matches_come_newest_first(
    demo: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import triangulate.store.search as search

    ranked, total = search_documents(demo.conn, "Baku", limit=50)
    assert total > 3 and all(r.score is not None for r in ranked)
    monkeypatch.setattr(search, "RANK_LIMIT", 3)
    newest, same_total = search_documents(demo.conn, "Baku", limit=50)
    assert same_total == total and all(r.score is None for r in newest)
    assert [r.seq for r in newest] == sorted((r.seq for r in ranked), reverse=True)

"""Triangulation on the demo corpus (examples/, answer key in examples/README.md): the wire
story and its reposts are one independent source, events are linked across languages, and
the timeline and conflict listings work through the real CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from triangulate.cli import main
from triangulate.ledger.types import Property
from triangulate.link.stage import link_store
from triangulate.store.links import SQLiteLinks
from triangulate.store.sqlite import SQLiteStore


@pytest.fixture(scope="module")
def demo(analysed_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    db = tmp_path_factory.mktemp("link") / "demo.db"
    shutil.copy(analysed_demo, db)
    store = SQLiteStore(db)
    report = link_store(store)
    assert not report.failures, report.failures
    docs = {s.locator.rsplit("/", 1)[-1]: s for s in store.list_documents()}
    yield store, SQLiteLinks(store.conn), docs, db
    store.close()


def _doc(docs: dict[str, Any], name: str) -> Any:
    (found,) = [d for f, d in docs.items() if f.startswith(name)]
    return found


def _event_with(links: SQLiteLinks, doc_id: str, prop: Property, value: str) -> int:
    events = {
        c.event_id
        for c in links.claims()
        if c.doc_id == doc_id and c.property is prop and c.value == value
    }
    assert len(events) == 1, events
    return events.pop()


def test_wire_story_and_reposts_are_one_source(demo) -> None:  # type: ignore[no-untyped-def]
    _, links, docs, _ = demo
    wire = _doc(docs, "caspianwire_")
    full = _doc(docs, "steppeobserver_")
    cut = _doc(docs, "regionwatch_")
    assert full.copy_of == wire.id and cut.copy_of == wire.id
    # the Sputnik office raid: two executives detained, per the wire
    event = _event_with(links, wire.id, Property.DETAINED, "2")
    members = {m.doc_id for m in links.members(event)}
    assert {wire.id, full.id, cut.id} <= members
    family = [c for c in links.claims(event) if c.doc_id in (wire.id, full.id, cut.id)]
    assert len({c.origin for c in family}) == 1
    ev = links.get_event(event)
    others = members - {wire.id, full.id, cut.id}
    assert ev.sources <= len(others) + 1 < ev.documents


def test_sputnik_raid_links_english_and_russian(demo) -> None:  # type: ignore[no-untyped-def]
    store, links, docs, _ = demo
    wire = _doc(docs, "caspianwire_")
    event = _event_with(links, wire.id, Property.DETAINED, "2")
    languages = {
        lang for m in links.members(event) for lang in store.get_document(m.doc_id).languages
    }
    assert {"en", "ru"} <= languages
    ev = links.get_event(event)
    assert ev.date == "2025-06-30" and ev.place == "Baku"


def test_yekaterinburg_raids_across_three_languages(demo) -> None:  # type: ignore[no-untyped-def]
    store, links, docs, _ = demo
    found = [e for e in links.list_events(type="raid") if e.place == "Yekaterinburg"]
    assert found, [(e.id, e.label) for e in links.list_events(type="raid")]
    ev = max(found, key=lambda e: e.documents)
    languages = {
        lang for m in links.members(ev.id) for lang in store.get_document(m.doc_id).languages
    }
    assert {"en", "ru", "az"} <= languages
    assert ev.date == "2025-06-27"
    # the exile outlet's "three people died" disputes everyone else's two
    deaths = [c for c in links.conflicts(ev.id) if c.property is Property.DEATHS]
    assert deaths and {"2", "3"} <= {v.value for v in deaths[0].values}
    kura = _doc(docs, "kuracourier_")
    assert any(kura.id in v.docs for v in deaths[0].values if v.value == "3")


def test_cli_timeline_and_conflicts(demo) -> None:  # type: ignore[no-untyped-def]
    _, links, _, db = demo
    runner = CliRunner()
    out = runner.invoke(main, ["--db", str(db), "timeline", "--json"], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)
    assert len(rows) == len(links.list_events())
    starts = [r["start"] for r in rows if r["start"]]
    assert starts == sorted(starts)
    assert all(r["evidence_doc"] for r in rows)
    multi = runner.invoke(
        main, ["--db", str(db), "timeline", "--min-sources", "2", "--format", "markdown"]
    )
    assert multi.exit_code == 0 and multi.output.startswith("| date | event |")
    assert multi.output.count("\n") == 2 + sum(1 for r in rows if r["sources"] >= 2)
    conf = runner.invoke(
        main, ["--db", str(db), "claims", "--conflicts", "--json"], catch_exceptions=False
    )
    conflicts = json.loads(conf.output)["conflicts"]
    assert conflicts and all(len(c["values"]) >= 2 for c in conflicts)
    assert any(c["property"] == "deaths" and c["kind"] == "contradiction" for c in conflicts)
    table = runner.invoke(main, ["--db", str(db), "claims", "--conflicts"], catch_exceptions=False)
    assert "contradiction" in table.output and "deaths" in table.output
    stories = runner.invoke(main, ["--db", str(db), "stories", "--json"], catch_exceptions=False)
    listed = json.loads(stories.output)
    assert sum(s["documents"] for s in listed) == 16


def _ledger_snapshot(links: SQLiteLinks) -> Any:
    events = {
        e.id: (e.label, e.date, e.place, e.documents, e.sources)
        for e in links.list_events(limit=10_000)
    }
    claims = [c.to_dict() for c in links.claims()]
    conflicts = sorted(json.dumps(c.to_dict(), sort_keys=True) for c in links.conflicts())
    stances = {e: links.stances(e) for e in events}
    return events, claims, conflicts, stances


def test_ledger_built_member_by_member_equals_a_full_rebuild(  # type: ignore[no-untyped-def]
    demo, tmp_path: Path
) -> None:
    """Events grew one document at a time, each rebuild reusing the stored claims of the
    members it had; rebuilding every event from all its members at once must give the
    same claims (in the same order), conflicts, stances, dates and source counts."""
    _, _, _, db = demo
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    with SQLiteStore(copy) as store:
        from triangulate.link.stage import Linker

        linker = Linker(store)
        before = _ledger_snapshot(linker.links)
        assert before[1] and before[2], "the demo corpus has claims and conflicts"
        with store.transaction():
            store.conn.execute("UPDATE incidents SET origin = NULL, stance = '[]'")
            store.conn.execute("DELETE FROM claims")
            store.conn.execute("DELETE FROM conflicts")
            for event_id in before[0]:
                linker.refresh_event(event_id)
        assert _ledger_snapshot(linker.links) == before


def test_incidents_carry_their_trigger_meaning(demo) -> None:  # type: ignore[no-untyped-def]
    """The link stage embeds each incident's trigger (multilingual-e5-small) so that
    translations and synonyms of a trigger count as evidence; the same words in two
    languages land close, different acts further apart."""
    store, _, _, _ = demo
    sigs = [json.loads(r[0]) for r in store.conn.execute("SELECT signature FROM incidents")]
    assert sigs and all(len(s.get("meaning", ())) == 384 for s in sigs)
    from triangulate.link.eventcoref import meaning_cosine
    from triangulate.link.stage import Meanings

    meanings = Meanings()
    en, ru, other = meanings.of(["detained", "задержаны", "celebrated"])
    assert meanings.unavailable is None
    assert meaning_cosine(en, ru) > meaning_cosine(en, other)
    assert meanings.of(["detained"]) == [en]  # remembered, not embedded again

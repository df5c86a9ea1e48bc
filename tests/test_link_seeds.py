"""Triangulation on the two seed captures (read from ../shared/seeds), ingested without
publication dates as the issue specifies: one Yekaterinburg event reported by both, its
year inferred, its ledger and conflicts, the foreign ministry's reaction corroborated, the
Sputnik raid with one source."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import seed
from triangulate.ledger.conflicts import summarise
from triangulate.ledger.timeline import timeline, to_csv, to_markdown
from triangulate.ledger.types import Claim, Property
from triangulate.link.stage import link_store
from triangulate.link.types import EventRecord
from triangulate.pipeline import ingest
from triangulate.settings import Settings
from triangulate.store.links import SQLiteLinks
from triangulate.store.sqlite import SQLiteStore
from triangulate.understand.run import analyse


@pytest.fixture(scope="module")
def linked(tmp_path_factory, seeds_dir) -> Any:  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("seeds") / "l.db"
    settings = Settings()
    store = SQLiteStore(db)
    ingest([str(seed("000")), str(seed("003"))], store, settings)
    assert not analyse(store, settings).failed
    report = link_store(store)
    assert not report.failures, report.failures
    ids = {s.locator.rsplit("/", 1)[-1][:3]: s.id for s in store.list_documents()}
    yield store, SQLiteLinks(store.conn), ids
    store.close()


def _event(links: SQLiteLinks, type_: str, place: str) -> EventRecord:
    found = [e for e in links.list_events(type=type_) if e.place == place]
    assert len(found) == 1, [(e.id, e.label) for e in links.list_events(type=type_)]
    return found[0]


def _claims(links: SQLiteLinks, ev: EventRecord, prop: Property, doc: str) -> list[Claim]:
    return [c for c in links.claims(ev.id) if c.property is prop and c.doc_id == doc]


def test_yekaterinburg_is_one_event_from_both_seeds(linked) -> None:  # type: ignore[no-untyped-def]
    _, links, ids = linked
    ev = _event(links, "arrest", "Yekaterinburg")
    docs = {m.doc_id for m in links.members(ev.id)}
    assert docs == {ids["000"], ids["003"]}
    assert ev.sources == 2 and ev.documents == 2
    # Neither seed has a publication date: 000 says "June 27" without a year, 003 says
    # "late June 2025"; the event's date takes the year from the other report.
    assert ev.date == "2025-06-27" and ev.precision == "day"
    assert ev.date_method in ("combined", "inferred")
    assert ids["003"] in ev.date_evidence and ids["000"] in ev.date_evidence
    assert (ev.date_start, ev.date_end) == ("2025-06-27", "2025-06-27")
    # the link records its evidence
    joined = [m for m in links.members(ev.id) if m.score is not None]
    assert joined and any("place" in e for e in joined[0].evidence)


def test_deaths_two_against_three(linked) -> None:  # type: ignore[no-untyped-def]
    _, links, ids = linked
    ev = _event(links, "arrest", "Yekaterinburg")
    d000 = _claims(links, ev, Property.DEATHS, ids["000"])
    d003 = _claims(links, ev, Property.DEATHS, ids["003"])
    assert [c.value for c in d000] == ["2"]
    assert [c.value for c in d003] == ["3"]
    assert "reportedly" in d003[0].note and d003[0].note.startswith("1 of 3")
    assert d003[0].exactness == "implicit"
    conflict = [c for c in links.conflicts(ev.id) if c.property is Property.DEATHS]
    assert len(conflict) == 1 and conflict[0].kind.value == "contradiction"
    assert {v.value for v in conflict[0].values} == {"2", "3"}
    s = summarise(Property.DEATHS, links.claims(ev.id))
    assert s.conservative == 2 and s.disputed and (s.low, s.high) == (2, 3)


def test_detentions_fifty_nine_dozens(linked) -> None:  # type: ignore[no-untyped-def]
    _, links, ids = linked
    ev = _event(links, "arrest", "Yekaterinburg")
    d000 = _claims(links, ev, Property.DETAINED, ids["000"])
    assert [(c.value, c.exactness) for c in d000] == [("≈50", "approximate")]
    d003 = {c.value: c for c in _claims(links, ev, Property.DETAINED, ids["003"])}
    assert set(d003) == {"9", "dozens (24-99)"}
    assert d003["9"].exactness == "exact"
    dozens = d003["dozens (24-99)"]
    assert dozens.exactness == "vague"
    assert dozens.chain[0] == "E1.RU" and "eyewitness" in dozens.chain[1].lower()
    # eyewitnesses via an outlet are that outlet's claim, not the aggregator's own
    assert dozens.origin != d003["9"].origin
    conflict = [c for c in links.conflicts(ev.id) if c.property is Property.DETAINED]
    assert len(conflict) == 1 and conflict[0].kind.value == "contradiction"
    assert summarise(Property.DETAINED, links.claims(ev.id)).conservative == 9


def test_agent_investigative_committee_against_fsb(linked) -> None:  # type: ignore[no-untyped-def]
    _, links, ids = linked
    ev = _event(links, "arrest", "Yekaterinburg")
    a000 = {c.value for c in _claims(links, ev, Property.AGENT, ids["000"])}
    a003 = {c.value for c in _claims(links, ev, Property.AGENT, ids["003"])}
    assert "Investigative Committee" in a000 and "FSB" not in a000
    assert "FSB" in a003 and "Investigative Committee" not in a003
    ic = [
        c
        for c in _claims(links, ev, Property.AGENT, ids["000"])
        if c.value == "Investigative Committee"
    ]
    assert ic[0].modality == "claimed"  # the committee's own claim, attributed to it
    assert any(c.property is Property.AGENT for c in links.conflicts(ev.id))


def test_past_murder_is_a_separate_event(linked) -> None:  # type: ignore[no-untyped-def]
    _, links, _ = linked
    old = [e for e in links.list_events(type="killing") if e.date == "2001"]
    assert len(old) == 1 and old[0].documents == 1
    assert not [
        c for c in links.claims(old[0].id) if c.property is Property.DEATHS and c.value == "3"
    ]


def test_foreign_ministry_reaction_corroborated(linked) -> None:  # type: ignore[no-untyped-def]
    _, links, ids = linked
    found = [
        e
        for e in links.list_events(type="demand")
        if any(c.key == "azerbaijani foreign ministri" for c in links.claims(e.id))
    ]
    assert len(found) == 1
    ev = found[0]
    assert {m.doc_id for m in links.members(ev.id)} == {ids["000"], ids["003"]}
    assert ev.sources == 2


def test_sputnik_raid_one_source(linked) -> None:  # type: ignore[no-untyped-def]
    _, links, ids = linked
    ev = _event(links, "raid", "Baku")
    assert ev.documents == 1 and ev.sources == 1
    assert {m.doc_id for m in links.members(ev.id)} == {ids["000"]}
    # "June 30" with no year anywhere in 000: the year comes from the story
    assert ev.date == "2025-06-30" and ev.date_method == "inferred"
    assert "story" in ev.date_evidence


def test_timeline_rows_and_formats(linked) -> None:  # type: ignore[no-untyped-def]
    _, links, ids = linked
    rows = timeline(links)
    dated = [r.start for r in rows if r.start]
    assert dated == sorted(dated)
    row = next(r for r in rows if r.place == "Yekaterinburg" and "arrest" in r.types)
    assert row.sources == 2 and any(c.startswith("deaths:") for c in row.contested)
    assert row.evidence and row.evidence_doc in (ids["000"], ids["003"])
    store = linked[0]
    text = store.get_document(row.evidence_doc).text
    assert text[row.evidence_span[0] : row.evidence_span[1]] == row.evidence
    md = to_markdown(rows)
    assert md.count("\n") == len(rows) + 2 and "2025-06-27" in md
    csv_text = to_csv(rows)
    assert csv_text.splitlines()[0].startswith("event_id,date,precision")
    assert len(csv_text.splitlines()) == len(rows) + 1


def test_relink_gives_the_same_events(linked) -> None:  # type: ignore[no-untyped-def]
    store, links, _ = linked
    before = sorted((e.label, e.date, e.documents, e.sources) for e in links.list_events())
    conflicts = sorted((c.property.value, c.kind.value) for c in links.conflicts())
    with store.transaction():
        links.forget_links()
    link_store(store)
    after = sorted((e.label, e.date, e.documents, e.sources) for e in links.list_events())
    assert after == before
    assert sorted((c.property.value, c.kind.value) for c in links.conflicts()) == conflicts
    assert store.check_integrity() == []

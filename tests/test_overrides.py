"""User corrections of entities and events are stored as overrides and survive
re-analysis and re-linking (real store, seeds ingested and analysed)."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import seed
from triangulate.errors import CorrectionError, NotFound
from triangulate.link.overrides import correct_entity, merge_events, split_event
from triangulate.link.stage import link_store
from triangulate.pipeline import ingest
from triangulate.settings import Settings
from triangulate.store.links import SQLiteLinks
from triangulate.store.sqlite import SQLiteStore
from triangulate.understand.run import analyse


@pytest.fixture()
def linked(tmp_path, seeds_dir) -> Any:  # type: ignore[no-untyped-def]
    store = SQLiteStore(tmp_path / "o.db")
    ingest([str(seed("000")), str(seed("003"))], store, Settings())
    analyse(store, Settings())
    link_store(store)
    yield store, SQLiteLinks(store.conn)
    store.close()


def _reanalyse_and_relink(store: SQLiteStore, links: SQLiteLinks, *, wipe_entities: bool) -> None:
    """What a new version of the understanding stage does: every analysis is redone, then
    everything is linked again (optionally from empty entity tables)."""
    with store.transaction():
        store.conn.execute("DELETE FROM analyses")
        links.forget_links()
        if wipe_entities:
            for table in ("entity_surnames", "entity_keys", "entities"):
                store.conn.execute(f"DELETE FROM {table}")
    assert analyse(store, Settings()).analysed
    from triangulate.link.overrides import replay_entity_overrides

    link_store(store)
    with store.transaction():
        replay_entity_overrides(links)


def _entity(links: SQLiteLinks, key: str) -> int:
    found = [e for e in links.list_entities() if key in e.keys]
    assert len(found) == 1, key
    return found[0].id


@pytest.mark.parametrize("wipe", [False, True])
def test_entity_merge_rename_delete_survive(linked, wipe: bool) -> None:  # type: ignore[no-untyped-def]
    store, links = linked
    fsb, ic = _entity(links, "fsb"), _entity(links, "investigative comite")
    correct_entity(store, "merge", ic, into=fsb)
    merged = links.get_entity(fsb)
    assert {"fsb", "investigative comite"} <= set(merged.keys)
    assert "investigative comite: user merge" in merged.reasons
    correct_entity(store, "rename", fsb, name="Russian security services")
    aliyev = _entity(links, "ilgam aliev")
    correct_entity(store, "delete", aliyev)
    assert all(e.id != aliyev for e in links.list_entities())

    _reanalyse_and_relink(store, links, wipe_entities=wipe)
    now = _entity(links, "fsb")
    assert _entity(links, "investigative comite") == now
    assert links.get_entity(now).name == "Russian security services"
    assert not [e for e in links.list_entities() if "ilgam aliev" in e.keys]


def test_entity_split(linked) -> None:  # type: ignore[no-untyped-def]
    store, links = linked
    fsb, ic = _entity(links, "fsb"), _entity(links, "investigative comite")
    correct_entity(store, "merge", ic, into=fsb)
    new = correct_entity(store, "split", fsb, keys=["investigative comite"], name="IC")
    assert new != fsb and _entity(links, "investigative comite") == new
    assert links.get_entity(new).name == "IC"
    _reanalyse_and_relink(store, links, wipe_entities=True)
    assert _entity(links, "investigative comite") != _entity(links, "fsb")
    with pytest.raises(CorrectionError):
        correct_entity(store, "split", _entity(links, "fsb"), keys=["no such key"])


def _yekaterinburg(links: SQLiteLinks) -> int:
    (ev,) = [e for e in links.list_events(type="arrest") if e.place == "Yekaterinburg"]
    return ev.id


def test_event_split_survives_relink(linked) -> None:  # type: ignore[no-untyped-def]
    store, links = linked
    ev = _yekaterinburg(links)
    members = links.members(ev)
    assert len(members) == 2
    out = members[1]
    new = split_event(store, ev, out.doc_id, out.incident)
    assert {m.doc_id for m in links.members(new)} == {out.doc_id}
    assert len(links.members(ev)) == 1 and links.get_event(ev).documents == 1
    # the ledger follows: no cross-source deaths conflict once the reports are apart
    assert not [c for c in links.conflicts(ev) if c.property.value == "deaths"]
    _reanalyse_and_relink(store, links, wipe_entities=False)
    ye = [e for e in links.list_events(type="arrest") if e.place == "Yekaterinburg"]
    assert len(ye) == 2 and all(e.documents == 1 for e in ye)
    with pytest.raises(CorrectionError):
        split_event(store, ye[0].id, links.members(ye[0].id)[0].doc_id, 0)


def test_event_merge_survives_relink(linked) -> None:  # type: ignore[no-untyped-def]
    store, links = linked
    (raid,) = [e for e in links.list_events(type="raid") if e.place == "Baku"]
    visit = next(e for e in links.list_events(type="cancel_visit") if e.types == ("cancel_visit",))
    merge_events(store, raid.id, visit.id)
    assert "cancel_visit" in links.get_event(raid.id).types
    with pytest.raises(NotFound):
        links.get_event(visit.id)
    _reanalyse_and_relink(store, links, wipe_entities=False)
    (after,) = [e for e in links.list_events(type="raid") if "cancel_visit" in e.types]
    assert after.documents == 1 and "raid" in after.types
    with pytest.raises(CorrectionError):
        merge_events(store, after.id, after.id)

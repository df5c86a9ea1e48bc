"""bench link_speed at tiny sizes: the generated world is consistent and deterministic,
every probed document links, and the result and the CLI have the promised shape. No
timing is asserted: the figures are for people comparing sizes within one run."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from triangulate.bench.link_speed import World, run, table
from triangulate.cli import main
from triangulate.link.incidents import group_incidents


def test_generated_documents_are_consistent_and_deterministic() -> None:
    first = [World(11).next() for _ in range(1)]
    world, again = World(11), World(11)
    docs = [world.next() for _ in range(300)]
    assert [d.id for d, _ in docs] == [again.next()[0].id for _ in range(300)]
    assert first[0][0].id == docs[0][0].id
    assert len({d.id for d, _ in docs}) == len(docs)
    assert World(12).next()[0].id != docs[0][0].id
    languages = set()
    reposts = 0
    for doc, analysis in docs:
        assert analysis.doc_id == doc.id
        languages.update(doc.languages)
        reposts += doc.copy is not None
        for b in doc.blocks:
            assert 0 <= b.start <= b.end <= len(doc.text)
        for e in analysis.entities:
            assert doc.text[e.start : e.end] == e.text and e.key
        for t in analysis.timexes:
            assert doc.text[t.start : t.end] == t.text
        for m in analysis.mentions:
            assert doc.text[m.trigger_start : m.trigger_end] == m.trigger
            assert m.evidence_start <= m.trigger_start < m.trigger_end <= m.evidence_end
            for arg in (*m.agents, *m.patients, *([m.location] if m.location else [])):
                assert doc.text[arg.start : arg.end] == arg.text
            for q in m.quantities:
                assert doc.text[q.start : q.end] == q.text
        assert analysis.mentions and group_incidents(doc, analysis)
    assert languages == {"en", "ru", "az"}
    assert 0 < reposts < len(docs) // 5


@pytest.mark.slow
def test_tiny_run_links_every_probe(tmp_path: Path) -> None:
    result = run(sizes=(150, 50), probe=20, workdir=tmp_path, seed=5)
    assert [s["documents"] for s in result["sizes"]] == [50, 150]
    assert result["story_state"] in {"sqlite", "memory"}
    for size in result["sizes"]:
        assert size["linked"] == size["probe"] == 20
        assert size["probe_failures"] == [] and size["build_failures"] == 0
        assert size["incidents_per_doc"] > 0 and size["events"] > 0 and size["db_mb"] > 0
        assert size["mean_ms"] > 0 and size["p50_ms"] <= size["p95_ms"] <= size["max_ms"]
    for key in ("ratio_mean", "ratio_p50", "ratio_p95", "ratio_cpu_mean"):
        assert len(result[key]) == 2 and result[key][0] == 1.0
    # The store and the results so far stay in the working folder.
    assert (tmp_path / "link_speed.db").exists()
    saved = json.loads((tmp_path / "link_speed.json").read_text("utf-8"))
    assert [s["documents"] for s in saved["sizes"]] == [50, 150]
    text = table(result)
    assert "mean ratio vs first" in text and "event_keys rows / incident" in text
    assert "story state:" in text


@pytest.mark.slow
def test_cli_link_speed_json(tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(
        main,
        ["bench", "link_speed", "--sizes", "20,40", "--probe", "5", "--no-progress", "--json"],
        catch_exceptions=False,
    )
    assert out.exit_code == 0, out.output
    result = json.loads(out.output)
    assert [s["linked"] for s in result["sizes"]] == [5, 5]
    assert result["workdir"] == "(temporary, removed)"
    bad = runner.invoke(main, ["bench", "link_speed", "--sizes", "ten"])
    assert bad.exit_code != 0 and "comma" in bad.output


def test_prefilled_stores_link_every_probe(tmp_path: Path) -> None:
    """--prefill: each size's store is written in bulk, then the real stage links the
    probe documents into it, joining the bulk-built events."""
    result = run(sizes=(60, 120), probe=8, workdir=tmp_path, seed=5, prefill=True)
    assert result["prefill"].startswith("bulk")
    assert [s["documents"] for s in result["sizes"]] == [60, 120]
    for size in result["sizes"]:
        assert size["linked"] == size["probe"] == 8 and size["probe_failures"] == []
        assert size["candidates_per_incident"] > 0 and size["joined_share"] > 0
    store = tmp_path / "link_speed-bulk-120-seed5.db"
    assert store.exists()

    # --reuse probes the same stores again: nothing rebuilt, new documents of the same
    # world added (none collides with a stored one), and the events built in bulk carry
    # the recent-members aggregate the stage checks candidates against.
    ids_before = _ids(store)
    again = run(sizes=(120,), probe=5, workdir=tmp_path, seed=5, prefill=True, reuse=True)
    (size,) = again["sizes"]
    assert again["reused"] is True and size["build_s"] < 1.0
    assert size["linked"] == 5 and size["probe_failures"] == []
    ids_after = _ids(store)
    assert ids_before < ids_after and len(ids_after) == len(ids_before) + 5
    with sqlite3.connect(store) as conn:
        assert conn.execute("SELECT COUNT(*) FROM events WHERE recent = ''").fetchone()[0] == 0


def _ids(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute("SELECT id FROM documents")}

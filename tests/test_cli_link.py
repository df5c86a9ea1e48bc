"""The cross-document commands through the real CLI on the seeds: listings with --json,
event and entity corrections, and one-line errors."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from conftest import seed
from triangulate.cli import main


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("cli") / "seeds.db"
    out = CliRunner().invoke(
        main, ["--db", str(db), "ingest", "--no-progress", str(seed("000")), str(seed("003"))]
    )
    assert out.exit_code == 0, out.output
    assert "linked 2 document(s)" in out.output
    return db


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args])


def as_json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_merged_entities(seeded: Path) -> None:
    rows = as_json(run(seeded, "entities", "--merged", "--json"))
    by_key = {k: r for r in rows for k in r["keys"]}
    assert by_key["fsb"]["type"] == "ORG" and by_key["fsb"]["documents"] == 1
    # the foreign ministry is named in both seeds, in two wordings
    mfa = by_key["azerbaijani foreign ministri"]
    assert mfa["documents"] == 2 and len(mfa["aliases"]) >= 2
    table = run(seeded, "entities", "--merged", "--type", "PER")
    assert table.exit_code == 0 and table.output.startswith("ID ")


def test_event_show_and_claims(seeded: Path) -> None:
    rows = as_json(run(seeded, "timeline", "--json"))
    multi = [r for r in rows if r["documents"] == 2 and "arrest" in r["types"]]
    assert len(multi) == 1
    event = str(multi[0]["event_id"])
    shown = as_json(run(seeded, "event", "show", event, "--json"))
    assert shown["event"]["date"] == "2025-06-27" and len(shown["members"]) == 2
    ledger = as_json(run(seeded, "claims", event, "--json"))
    props = {c["property"] for c in ledger["claims"]}
    assert {"deaths", "detained", "agent", "date", "place"} <= props
    summary = {s["property"]: s for s in ledger["summaries"][event]}
    assert summary["deaths"]["conservative"] == 2
    text = run(seeded, "event", "show", event)
    assert "contradiction" in text.output and "member:" in text.output


def test_timeline_csv_and_stories(seeded: Path) -> None:
    out = run(seeded, "timeline", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert rows and all(r["event_id"].isdigit() for r in rows)
    stories = as_json(run(seeded, "stories", "--json"))
    assert sum(s["documents"] for s in stories) == 2


def test_errors_are_one_line(seeded: Path) -> None:
    missing = run(seeded, "event", "show", "99999")
    assert missing.exit_code == 2 and "no event 99999 [not-found]" in missing.output
    same = run(seeded, "event", "merge", "1", "1")
    assert same.exit_code == 2 and "[correction]" in same.output
    no_entity = run(seeded, "entity", "rename", "99999", "X")
    assert no_entity.exit_code == 2 and "[not-found]" in no_entity.output


def test_corrections_through_the_cli(seeded: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(seeded, db)
    rows = as_json(run(db, "entities", "--merged", "--json"))
    by_key = {k: r["id"] for r in rows for k in r["keys"]}
    out = run(db, "entity", "merge", str(by_key["investigative comite"]), str(by_key["fsb"]))
    assert out.exit_code == 0, out.output
    out = run(db, "entity", "rename", str(by_key["fsb"]), "Security services")
    assert out.exit_code == 0
    rows = as_json(run(db, "entities", "--merged", "--json"))
    (merged,) = [r for r in rows if "fsb" in r["keys"]]
    assert merged["name"] == "Security services" and "investigative comite" in merged["keys"]
    timeline = as_json(run(db, "timeline", "--json"))
    (ev,) = [r for r in timeline if r["documents"] == 2 and "arrest" in r["types"]]
    members = as_json(run(db, "event", "show", str(ev["event_id"]), "--json"))["members"]
    split = run(
        db, "event", "split", str(ev["event_id"]), members[1]["doc_id"], str(members[1]["incident"])
    )
    assert split.exit_code == 0, split.output
    # a full re-link keeps both corrections
    assert run(db, "link", "--rebuild").exit_code == 0
    after = as_json(run(db, "timeline", "--json"))
    assert not [r for r in after if r["documents"] == 2 and "arrest" in r["types"]]
    rows = as_json(run(db, "entities", "--merged", "--json"))
    assert [r["name"] for r in rows if "fsb" in r["keys"]] == ["Security services"]

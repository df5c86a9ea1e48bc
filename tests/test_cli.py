"""The command line: listings with --json, show, errors, settings, help."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from conftest import EXAMPLES, ROOT
from triangulate.cli import main
from triangulate.settings import SETTINGS

TEXT = "Ferry service resumes\n\nBy Jane Roe\n\nThe ferries were running again on Monday after the storm, the port said.\n"


def test_docs_and_show(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    assert cli("ingest", str(tmp_path)).exit_code == 0
    listing = json.loads(cli("docs", "--json").output)
    assert len(listing) == 1 and listing[0]["title"] == "Ferry service resumes"
    doc_id = listing[0]["id"]
    table = cli("docs").output
    assert doc_id in table and "Ferry service resumes" in table
    shown = json.loads(cli("show", doc_id[:6], "--json").output)
    assert shown["id"] == doc_id
    kinds = [(b["kind"], b["text"]) for b in shown["blocks"]]
    assert kinds[0] == ("title", "Ferry service resumes") and kinds[1] == ("byline", "By Jane Roe")
    assert all(shown["text"][b["start"] : b["end"]] == b["text"] for b in shown["blocks"])
    human = cli("show", doc_id).output
    assert "byline (Jane Roe)" in human and re.search(r"\d+-\d+", human)
    assert cli("show", doc_id, "--text").output.strip() == TEXT.strip()


def test_unknown_document_is_a_clear_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    cli("ingest", str(tmp_path))
    result = cli("show", "dzzzzzz")
    assert result.exit_code == 2 and "no document 'dzzzzzz'" in result.output


def test_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "none.db"), "docs"])
    assert result.exit_code == 2 and "no database at" in result.output
    assert not (tmp_path / "none.db").exists()


def test_db_from_environment(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(
        main, ["ingest", str(tmp_path / "a.txt")], env={"TRIANGULATE_DB": str(db)}
    )
    assert result.exit_code == 0 and db.exists()


def test_stdin_and_given_date(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli(
        "ingest", "-", "--published", "2025-06-30", "--source", "Pasted", input=TEXT.encode()
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(cli("docs", "--json").output)[0]
    assert doc["published"]["value"] == "2025-06-30" and doc["published"]["method"] == "given"
    assert doc["source"]["name"] == "Pasted" and doc["locator"] == "<stdin>"
    bad = cli("ingest", "-", "--published", "someday", input=TEXT.encode())
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_rejections_listing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "empty.txt").write_bytes(b"")
    assert cli("ingest", str(tmp_path)).exit_code == 1
    rows = json.loads(cli("rejections", "--json").output)
    assert [r["code"] for r in rows] == ["empty"] and rows[0]["locator"].endswith("empty.txt")


def test_every_setting_has_a_flag_and_a_readme_row(cli) -> None:  # type: ignore[no-untyped-def]
    helps = cli("ingest", "--help").output + CliRunner().invoke(main, ["--help"]).output
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    current = {r["name"]: r for r in json.loads(cli("settings", "--json").output)}
    helps += cli("analyze", "--help").output
    for s in SETTINGS:
        assert s.flag in helps, s.flag
        assert f"`{s.flag}`" in readme, f"README settings table lacks {s.flag}"
        if s.env:
            assert f"`{s.env}`" in readme
        assert s.name in current


def test_every_command_has_help(cli) -> None:  # type: ignore[no-untyped-def]
    for command in (
        "ingest",
        "docs",
        "show",
        "rejections",
        "settings",
        "demo",
        "bench",
        "analyze",
        "entities",
        "mentions",
    ):
        result = cli(command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output


def test_module_entry_point(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "triangulate", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.startswith("triangulate, version")


def test_demo_runs_on_the_corpus(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("demo", str(EXAMPLES))
    assert result.exit_code == 0, result.output
    assert "independent originals" in result.output and "Copies and reposts" in result.output
    again = cli("demo", str(EXAMPLES))
    assert "0 stored now" in again.output


def test_analyze_entities_and_mentions(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Police detain protesters in Baku\n\n"
        "Police detained 12 protesters in Baku on 30 June 2025, the Interior Ministry said.\n"
    )
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    result = cli("ingest", "--no-analyze", str(tmp_path))
    assert result.exit_code == 0 and "analyzed" not in result.output
    analyzed = cli("analyze")
    assert analyzed.exit_code == 0 and "analyzed 1 document" in analyzed.output
    assert "analyzed 0 document" in cli("analyze").output  # nothing left to do
    doc_id = json.loads(cli("docs", "--json").output)[0]["id"]
    mentions = json.loads(cli("mentions", doc_id, "--json").output)["mentions"]
    arrest = next(m for m in mentions if m["type"] == "arrest" and m["quantities"])
    assert arrest["quantities"][0]["min"] == 12 and arrest["location"]["text"] == "Baku"
    assert arrest["time"]["value"] == "2025-06-30" and arrest["cameo"] == "173"
    assert arrest["attribution"]["speaker"] == "Interior Ministry"
    human = cli("mentions", doc_id).output
    assert "arrest [CAMEO 173" in human and "figures:" in human and "evidence:" in human
    ents = json.loads(cli("entities", "--json").output)
    assert any(e["name"] == "Baku" and e["type"] == "LOC" for e in ents)
    assert "Baku" in cli("entities", "--type", "LOC").output

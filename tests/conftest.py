"""Shared fixtures: real files, a real SQLite store, the real CLI."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from triangulate.cli import main
from triangulate.pipeline import ingest
from triangulate.segment.language import identifier_for
from triangulate.settings import Settings
from triangulate.store.sqlite import SQLiteStore
from triangulate.understand.run import analyse
from triangulate.understand.types import EventMention

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(
            f"seed captures not found at {SEEDS} (they live in ../shared/seeds beside the checkout)"
        )
    return SEEDS


def seed(prefix: str) -> Path:
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix}_*.txt not found in {SEEDS}")
    return matches[0]


@pytest.fixture(scope="session")
def identify():  # type: ignore[no-untyped-def]
    return identifier_for(Settings().language_codes).identify_many


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture()
def store(db_path: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(db_path) as s:
        yield s


@pytest.fixture()
def cli(db_path: Path):  # type: ignore[no-untyped-def]
    """Run the real ``triangulate`` command in-process against the test database."""
    runner = CliRunner()

    def invoke(*args: str, input: bytes | str | None = None) -> Result:
        return runner.invoke(
            main, ["--db", str(db_path), *args], input=input, catch_exceptions=False
        )

    return invoke


@pytest.fixture(scope="session")
def analysed_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus ingested and analysed once per test session (a real SQLite file).
    Tests that change the store work on a copy."""
    from triangulate.pipeline import ingest
    from triangulate.understand.run import analyse

    db = tmp_path_factory.mktemp("demo") / "demo.db"
    settings = Settings()
    with SQLiteStore(db) as store:
        ingest([str(EXAMPLES)], store, settings)
        report = analyse(store, settings)
        assert not report.failed and len(report.analysed) == 16, report.failed
    return db


# STACK.md: Debian's chromium under Playwright, headless, without sandbox (root in CI),
# and without the background traffic an offline machine cannot serve.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One Debian chromium per test session. In CI (CI=true) a missing chromium fails the
    browser tests loudly: they must run there, not skip."""
    chromium = shutil.which("chromium")
    if chromium is None:
        message = (
            "Debian's chromium is not installed (apt-get install -y chromium; .ci/run does it)"
        )
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"browser tests cannot run in CI: {message}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


def analysed_paragraphs(
    factory: pytest.TempPathFactory, name: str, paragraphs: list[str]
) -> list[tuple[EventMention, str]]:
    """(mention, its evidence sentence) of one document made of ``paragraphs``, ingested
    into a real store and run through the real understanding stage."""
    folder = factory.mktemp(name)
    path = folder / f"{name}.txt"
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    with SQLiteStore(folder / "a.db") as store:
        ingest([str(path)], store, Settings())
        assert not analyse(store, Settings()).failed
        (doc,) = store.list_documents()
        analysis = store.get_analysis(doc.id)
        assert analysis is not None
        text = store.get_document(doc.id).text
    return [(m, text[m.evidence_start : m.evidence_end]) for m in analysis.mentions]

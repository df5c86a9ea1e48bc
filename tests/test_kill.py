"""An ingest killed with SIGKILL at an arbitrary point leaves a consistent database, and
running the same ingest again completes it with exactly the expected documents."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from triangulate.bench.ingest_speed import generate_corpus, ingest_argv
from triangulate.store.sqlite import SQLiteStore

N_DOCS = 500


def _ingest(db: Path, corpus: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        ingest_argv(db, corpus),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _stored(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _state(db: Path) -> tuple[set[tuple[str, str | None]], int, int]:
    with SQLiteStore(db) as store:
        assert store.check_integrity() == []
        docs = {(d.id, d.copy_of) for d in store.list_documents()}
        counts = store.counts()
        return docs, counts.blocks, counts.sightings


@pytest.mark.slow
def test_sigkill_midway_then_resume(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    generate_corpus(corpus, N_DOCS, seed=7)

    reference = tmp_path / "reference.db"
    assert _ingest(reference, corpus).wait(timeout=300) == 0
    expected = _state(reference)

    db = tmp_path / "killed.db"
    proc = _ingest(db, corpus)
    deadline = time.monotonic() + 120
    while _stored(db) < N_DOCS // 5:
        assert proc.poll() is None, "ingest finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL

    partial = _stored(db)
    assert 0 < partial < len(expected[0])
    with SQLiteStore(db) as store:
        assert store.check_integrity() == []  # no half-written document anywhere

    rerun = _ingest(db, corpus)
    assert rerun.wait(timeout=300) == 0, rerun.stderr.read() if rerun.stderr else ""
    assert _state(db) == expected

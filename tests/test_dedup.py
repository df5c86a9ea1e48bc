"""Exact duplicates stored once; reposts linked to the earliest copy."""

from __future__ import annotations

import json
import random
from pathlib import Path

from triangulate.dedup import containment, shingles
from triangulate.pipeline import IngestOptions, Status, ingest
from triangulate.settings import Settings

WORDS = [
    "ferry",
    "port",
    "storm",
    "pier",
    "authority",
    "passengers",
    "terminal",
    "repairs",
    "harbour",
    "captain",
    "crew",
    "weather",
    "minister",
    "statement",
    "cancelled",
    "delayed",
    "vessels",
    "cargo",
    "inspection",
    "coast",
    "guard",
    "warning",
    "wind",
    "waves",
    "morning",
    "evening",
    "schedule",
    "tickets",
    "refund",
    "agency",
    "operator",
    "island",
    "mainland",
    "bridge",
    "traffic",
]


def article(seed: int, paragraphs: int = 5) -> list[str]:
    rng = random.Random(seed)
    return [
        " ".join(
            (" ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 16)))).capitalize() + "."
            for _ in range(3)
        )
        for _ in range(paragraphs)
    ]


def write_record(path: Path, title: str, paras: list[str], date: str | None, site: str) -> None:
    record = {
        "title": title,
        "maintext": "\n".join(paras),
        "source_domain": site,
        "url": f"https://{site}/{title[:8]}",
    }
    if date:
        record["date_publish"] = date
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")


def test_containment_tolerates_truncation() -> None:
    full = " ".join(article(1, 8))
    half = " ".join(article(1, 8)[:4])
    a, b = shingles(full), shingles(half)
    assert containment(a, b) == 1.0
    assert len(a & b) / len(a | b) < 0.6  # what Jaccard would have said


def test_truncated_and_padded_reposts_link_to_original(tmp_path: Path, store) -> None:  # type: ignore[no-untyped-def]
    paras = article(7)
    write_record(
        tmp_path / "a_wire.json", "Wire story", paras, "2025-06-30 10:00:00", "wire.example"
    )
    write_record(
        tmp_path / "b_truncated.json", "Repost one", paras[:3], "2025-06-30 12:00:00", "one.example"
    )
    write_record(
        tmp_path / "c_padded.json",
        "Repost two",
        ["An editor's introduction to the story.", *paras, "Our own closing remark on the matter."],
        "2025-07-01 08:00:00",
        "two.example",
    )
    write_record(
        tmp_path / "d_other.json",
        "Other story",
        article(99),
        "2025-06-30 11:00:00",
        "other.example",
    )
    report = ingest([str(tmp_path)], store, Settings())
    by_title = {store.get_document(o.doc_id).title: o for o in report.outcomes}
    wire = by_title["Wire story"]
    assert wire.status is Status.NEW
    assert (
        by_title["Repost one"].status is Status.COPY
        and by_title["Repost one"].copy_of == wire.doc_id
    )
    assert by_title["Repost two"].copy_of == wire.doc_id
    assert by_title["Other story"].status is Status.NEW
    assert store.counts().originals == 2
    assert store.check_integrity() == []
    copy = store.get_document(by_title["Repost one"].doc_id).copy
    assert copy is not None and copy.score >= 0.9 and "containment" in copy.reason


def test_earlier_copy_ingested_later_becomes_original(tmp_path: Path, store) -> None:  # type: ignore[no-untyped-def]
    paras = article(11)
    late = tmp_path / "late"
    early = tmp_path / "early"
    late.mkdir()
    early.mkdir()
    write_record(late / "r1.json", "Later repost", paras[:4], "2025-07-02 09:00:00", "late.example")
    write_record(
        late / "r2.json", "Another later repost", paras, "2025-07-03 09:00:00", "later.example"
    )
    first = ingest([str(late)], store, Settings())
    assert [o.status for o in first.outcomes] == [Status.NEW, Status.COPY]
    write_record(early / "orig.json", "Original", paras, "2025-06-30 09:00:00", "orig.example")
    second = ingest([str(early)], store, Settings())
    original = second.outcomes[0]
    assert original.status is Status.NEW
    for o in first.outcomes:
        doc = store.get_document(o.doc_id)
        assert doc.copy is not None and doc.copy.original == original.doc_id
    assert store.check_integrity() == []


def test_exact_duplicate_is_stored_once(tmp_path: Path, store) -> None:  # type: ignore[no-untyped-def]
    text = "Ferry halted\n\n" + "\n\n".join(article(3)) + "\n"
    (tmp_path / "one.txt").write_text(text, encoding="utf-8")
    (tmp_path / "two.txt").write_text(text, encoding="utf-8")
    report = ingest([str(tmp_path)], store, Settings())
    assert [o.status for o in report.outcomes] == [Status.NEW, Status.DUPLICATE]
    assert report.outcomes[0].doc_id == report.outcomes[1].doc_id
    counts = store.counts()
    assert counts.documents == 1 and counts.sightings == 2
    again = ingest([str(tmp_path)], store, Settings())
    assert [o.status for o in again.outcomes] == [Status.UNCHANGED, Status.UNCHANGED]
    assert store.counts() == counts


def test_short_texts_are_never_called_copies(tmp_path: Path, store) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text(
        "Storm\n\nThe ferry was cancelled on Friday.\n", encoding="utf-8"
    )
    (tmp_path / "b.txt").write_text(
        "Storm again\n\nThe ferry was cancelled on Friday.\n", encoding="utf-8"
    )
    report = ingest([str(tmp_path)], store, Settings(), IngestOptions())
    assert [o.status for o in report.outcomes] == [Status.NEW, Status.NEW]


def test_integrity_check_finds_a_lost_fingerprint(tmp_path: Path, store) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "one.txt").write_text(
        "Ferry halted\n\n" + "\n\n".join(article(5)) + "\n", encoding="utf-8"
    )
    ingest([str(tmp_path)], store, Settings())
    assert store.check_integrity() == []
    (doc,) = store.list_documents()
    with store.transaction():
        store.conn.execute(
            "DELETE FROM fingerprints WHERE (hash, doc_seq) IN"
            " (SELECT hash, doc_seq FROM fingerprints LIMIT 1)"
        )
    assert store.check_integrity() == [f"fingerprint count mismatch: {doc.id}"]

"""The understanding stage on the two seed captures (read from ../shared/seeds), with
000's publication date given as 2025-07-03 as the issue specifies."""

from __future__ import annotations

import pytest
from conftest import seed

from triangulate.pipeline import IngestOptions, ingest
from triangulate.records import DateMethod, Precision, PublishedDate
from triangulate.settings import Settings
from triangulate.store.sqlite import SQLiteStore
from triangulate.understand.run import analyse
from triangulate.understand.types import DocumentAnalysis, EventMention


@pytest.fixture(scope="module")
def analysed(tmp_path_factory, seeds_dir):  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("seeds") / "u.db"
    settings = Settings()
    out: dict[str, DocumentAnalysis] = {}
    with SQLiteStore(db) as store:
        given = PublishedDate("2025-07-03", Precision.DAY, DateMethod.GIVEN, "test")
        ingest([str(seed("000"))], store, settings, IngestOptions(published=given))
        ingest([str(seed("003"))], store, settings)
        report = analyse(store, settings)
        assert not report.failed, report.failed
        for summary in store.list_documents():
            prefix = summary.locator.rsplit("/", 1)[-1][:3]
            analysis = store.get_analysis(summary.id)
            assert analysis is not None
            out[prefix] = analysis
            out[prefix + "-text"] = store.get_document(summary.id).text  # type: ignore[assignment]
    return out


def _of(a: DocumentAnalysis, type_: str) -> list[EventMention]:
    return [m for m in a.mentions if m.type == type_]


def _figure(m: EventMention, kind: str) -> tuple[int, int | None, str] | None:
    for q in m.quantities:
        if q.kind == kind:
            return q.min, q.max, q.exactness.value
    return None


def test_000_mass_arrests(analysed) -> None:  # type: ignore[no-untyped-def]
    a = analysed["000"]
    arrests = [m for m in _of(a, "arrest") if _figure(m, "arrested")]
    assert arrests, [m.trigger for m in _of(a, "arrest")]
    m = arrests[0]
    assert _figure(m, "arrested")[:1] == (50,) and _figure(m, "arrested")[2] == "approximate"  # type: ignore[index]
    assert m.time is not None and m.time.value == "2025-06-27"
    assert m.location is not None and m.location.text == "Yekaterinburg"
    killed = [m for m in _of(a, "killing") if _figure(m, "killed")]
    assert any(_figure(k, "killed")[:2] == (2, 2) for k in killed)  # type: ignore[index]
    hospital = [m for m in a.mentions if _figure(m, "hospitalised")]
    assert any(_figure(h, "hospitalised")[:2] == (3, 3) for h in hospital)  # type: ignore[index]

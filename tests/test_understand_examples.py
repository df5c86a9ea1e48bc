"""The understanding stage on the demo corpus, in its three languages (figures, dates,
entities in Russian and Azerbaijani documents; keys shared across scripts)."""

from __future__ import annotations

import pytest

from triangulate.settings import Settings
from triangulate.store.sqlite import SQLiteStore
from triangulate.understand.types import DocumentAnalysis, EventMention


@pytest.fixture(scope="module")
def corpus(analysed_demo):  # type: ignore[no-untyped-def]
    with SQLiteStore(analysed_demo) as store:
        by_file: dict[str, DocumentAnalysis] = {}
        for summary in store.list_documents():
            analysis = store.get_analysis(summary.id)
            assert analysis is not None
            by_file[summary.locator.rsplit("/", 1)[-1]] = analysis
        yield store, by_file


def _figures(a: DocumentAnalysis, type_: str, kind: str) -> list[tuple[int, int | None, str]]:
    return [
        (q.min, q.max, q.exactness.value)
        for m in a.mentions
        if m.type == type_
        for q in m.quantities
        if q.kind == kind
    ]


def _dated(a: DocumentAnalysis, type_: str) -> set[str]:
    return {m.time.value for m in a.mentions if m.type == type_ and m.time is not None}


def test_russian_report_of_the_raids(corpus) -> None:  # type: ignore[no-untyped-def]
    _, docs = corpus
    a = docs["articles.jsonl:1"]
    assert (2, 2, "exact") in _figures(a, "killing", "killed")
    assert (20, 99, "vague") in _figures(a, "arrest", "detained")  # «десятки»
    assert "2025-06-27" in _dated(a, "raid")  # «27 июня», year from the publication date
    places = {m.location.text for m in a.mentions if m.location is not None}
    assert "Екатеринбург" in places  # base form of «в Екатеринбурге»
    relatives = [m for m in a.mentions if m.type == "injury" and m.modality.value == "claimed"]
    assert relatives and relatives[0].attribution.speaker == "Их родственники"


def test_azerbaijani_report_of_the_raids(corpus) -> None:  # type: ignore[no-untyped-def]
    _, docs = corpus
    a = docs["xezerxeber_yekaterinburq-reyd.html"]
    assert (2, 2, "exact") in _figures(a, "killing", "killed")  # «iki qardaş həlak olub»
    assert (20, 99, "vague") in _figures(a, "arrest", "detained")  # «onlarla ... saxlanılıb»
    assert "2025-06-27" in _dated(a, "raid")  # «2025-ci il iyunun 27-də»
    assert "2001" in {t.value for t in a.timexes}  # «2001-ci ildə»
    names = {e.canonical for e in a.entities if e.type.value == "PER"}
    assert any("Səfərov" in n for n in names)


def test_keys_are_shared_across_scripts(corpus) -> None:  # type: ignore[no-untyped-def]
    store, _ = corpus
    rows = {r.key: r for r in store.entity_summary(type="PER")}
    safarov = rows["ziadin safarov"]
    assert {"Ziyəddin Səfərov", "Зияддин Сафаров"} <= set(safarov.aliases)
    kartavykh = next(r for r in rows.values() if "Игорь Картавых" in r.aliases)
    assert "Igor Kartavykh" in kartavykh.aliases
    assert kartavykh.documents >= 5


def test_english_wire_story(corpus) -> None:  # type: ignore[no-untyped-def]
    _, docs = corpus
    a = docs["caspianwire_sputnik-azerbaijan-office-raid.html"]
    raids: list[EventMention] = [m for m in a.mentions if m.type == "raid"]
    assert any(m.location is not None and m.location.text == "Baku" for m in raids)
    assert any(p.text == "Sputnik Azerbaijan" for m in raids for p in m.patients)
    assert (2, 2, "exact") in _figures(a, "arrest", "detained")
    assert "2025-06-30" in _dated(a, "raid")  # "on Monday", against the publication date


def test_a_very_long_block_is_read_in_pieces(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from triangulate.records import Block, BlockKind, Document
    from triangulate.understand import stage

    # A small piece size stands in for spaCy's limit so the test stays quick.
    monkeypatch.setattr(stage, "MAX_PIECE_CHARS", 1000)
    sentence = "Police detained 12 protesters in Baku on Monday. "
    text = sentence * (3 * 1000 // len(sentence) + 3)
    doc = Document("dlong", text, "h", [Block(BlockKind.BODY, 0, len(text), lang="en")], "long.txt")
    assert len(stage._pieces(text, doc.blocks[0])) >= 3
    result = stage.analyse_document(doc, Settings())
    arrests = [m for m in result.mentions if m.type == "arrest"]
    assert len(arrests) == text.count("detained")  # every sentence, across the cuts
    assert all(text[m.trigger_start : m.trigger_end] == "detained" for m in arrests)

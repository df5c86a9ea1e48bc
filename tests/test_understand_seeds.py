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
    out["db"] = db  # type: ignore[assignment]
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


def _in_sentence(a: DocumentAnalysis, text: str, m: EventMention) -> str:
    return text[m.evidence_start : m.evidence_end]


def test_000_investigative_committee_claim(analysed) -> None:  # type: ignore[no-untyped-def]
    a, text = analysed["000"], analysed["000-text"]
    claims = [m for m in a.mentions if "criminal group" in _in_sentence(a, text, m)]
    assert claims
    for m in claims:
        assert (
            m.attribution.speaker is not None and "Investigative Committee" in m.attribution.speaker
        )
        assert m.modality.value in ("claimed", "alleged")


def test_000_sputnik_raid(analysed) -> None:  # type: ignore[no-untyped-def]
    a = analysed["000"]
    raids = [m for m in _of(a, "raid") if any("Sputnik Azerbaijan" in p.text for p in m.patients)]
    assert len(raids) == 1
    raid = raids[0]
    assert raid.time is not None and raid.time.value == "2025-06-30"
    assert raid.location is not None and raid.location.text == "Baku"
    assert raid.agents and "police" in raid.agents[0].text
    detained = [m for m in _of(a, "arrest") if m.evidence_start == raid.evidence_start]
    assert any(
        p.text == "Igor Kartavikhin" and p.type == "PER" for m in detained for p in m.patients
    )


def test_000_reactions(analysed) -> None:  # type: ignore[no-untyped-def]
    a = analysed["000"]
    demands = _of(a, "demand")
    assert any(x.text == "Azerbaijani Foreign Ministry" for m in demands for x in m.agents)
    warnings = _of(a, "warning")
    assert any(x.text == "Maria Zakharova" for m in warnings for x in m.agents)
    beaten = [m for m in _of(a, "injury") if m.trigger == "beaten"]
    assert (
        beaten
        and beaten[0].modality.value == "claimed"
        and beaten[0].attribution.speaker == "Russia"
    )
    # The whole timeline is a quoted block from another (unnamed) source.
    assert all(m.attribution.voice.value == "quoted_block" for m in a.mentions if m.type == "raid")


def test_003_safarov_killings(analysed) -> None:  # type: ignore[no-untyped-def]
    a = analysed["003"]
    killed = [m for m in _of(a, "killing") if _figure(m, "killed")]
    brothers = [m for m in killed if _figure(m, "killed") == (2, 2, "exact")]
    assert brothers and brothers[0].modality.value == "asserted"
    assert brothers[0].attribution.speaker == "local reports"
    cousin = [m for m in _of(a, "killing") if any(p.text == "Kamal Safarov" for p in m.patients)]
    assert cousin and cousin[0].modality.value == "reported"


def test_003_detentions_and_eyewitnesses(analysed) -> None:  # type: ignore[no-untyped-def]
    a = analysed["003"]
    nine = [m for m in _of(a, "arrest") if _figure(m, "detained") == (9, 9, "exact")]
    assert nine and nine[0].modality.value == "asserted"
    dozens = [m for m in _of(a, "arrest") if (_figure(m, "detained") or (0,))[0] == 24]
    assert dozens
    att = dozens[0].attribution
    assert att.chain == ("E1.RU", "Eyewitnesses") and att.verb == "told"
    assert _figure(dozens[0], "detained")[2] == "vague"  # type: ignore[index]


def test_003_the_2001_murder(analysed) -> None:  # type: ignore[no-untyped-def]
    a = analysed["003"]
    old = [m for m in _of(a, "killing") if m.time is not None and m.time.value == "2001"]
    assert old and old[0].modality.value == "alleged"


def test_nothing_from_boilerplate_or_related_links(analysed) -> None:  # type: ignore[no-untyped-def]
    from triangulate.records import BlockKind

    with SQLiteStore(analysed["db"]) as store:
        for summary in store.list_documents():
            doc = store.get_document(summary.id)
            analysis = store.get_analysis(summary.id)
            assert analysis is not None
            for m in analysis.mentions:
                assert doc.blocks[m.block].kind not in (
                    BlockKind.BOILERPLATE, BlockKind.RELATED, BlockKind.CREDIT, BlockKind.BYLINE,
                )  # fmt: skip
            for e in analysis.entities:
                # The innermost block holding the entity.
                holders = [b for b in doc.blocks if b.start <= e.start < b.end]
                assert holders and holders[-1].kind not in (
                    BlockKind.BOILERPLATE,
                    BlockKind.RELATED,
                )


def test_outlets_named_in_the_text_are_media(analysed) -> None:  # type: ignore[no-untyped-def]
    media = {
        e.canonical
        for key in ("000", "003")
        for e in analysed[key].entities
        if e.type.value == "MEDIA"
    }
    assert {"E1.RU", "Sputnik Azerbaijan", "Ruptly", "Modern.Az"} <= media
    groups = [e for e in analysed["003"].entities if e.text in ("Azerbaijani", "Azerbaijanis")]
    assert groups and all(e.type.value == "NORP" for e in groups)  # demonyms are not people


def test_short_forms_and_cross_script_keys(analysed) -> None:  # type: ignore[no-untyped-def]
    aliyev = [e for e in analysed["000"].entities if e.text == "Aliyev"]
    assert aliyev and all(e.canonical == "Ilham Aliyev" for e in aliyev)
    safarov_en = {e.key for e in analysed["003"].entities if e.canonical == "Ziyaddin Safarov"}
    safarov_az = {e.key for e in analysed["003"].entities if "Səfərov" in e.text}
    assert safarov_en and safarov_az
    assert all(k.endswith("safarov") for k in safarov_en | safarov_az)


def test_pronoun_agent_of_a_reported_claim_is_the_speaker(analysed) -> None:  # type: ignore[no-untyped-def]
    a, text = analysed["000"], analysed["000-text"]
    uncovered = [m for m in _of(a, "accusation") if "criminal group" in _in_sentence(a, text, m)]
    # "... claimed it had uncovered ...": "it" is the Investigative Committee.
    assert (
        uncovered
        and uncovered[0].agents
        and uncovered[0].agents[0].text == "Investigative Committee"
    )


def test_without_a_publication_date_the_year_stays_unknown(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings()
    with SQLiteStore(tmp_path / "undated.db") as store:
        ingest([str(seed("000"))], store, settings)
        analyse(store, settings)
        doc_id = store.list_documents()[0].id
        assert store.get_document(doc_id).published.value is None
        analysis = store.get_analysis(doc_id)
        assert analysis is not None
    arrests = [m for m in analysis.mentions if m.type == "arrest" and m.time is not None]
    values = {m.time.value for m in arrests if m.time is not None}
    assert "XXXX-06-27" in values  # "On June 27": no year is invented
    assert all(
        m.time.anchor.value == "none"
        for m in arrests
        if m.time is not None and m.time.value.startswith("XXXX")
    )


def test_title_case_headlines_yield_no_fragment_entities(analysed) -> None:  # type: ignore[no-untyped-def]
    names = {e.canonical for e in analysed["000"].entities}
    assert not any("Worst Breakdown" in n for n in names)
    assert {"Moscow", "Baku"} <= names  # the real names in the headline are kept

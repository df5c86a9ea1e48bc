"""The event linker core: dates, scoring, blocking, aggregation and the online linker."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from triangulate.link.embed import DIM, EmbeddingCache, TextEmbedder, quantise
from triangulate.link.eventcoref import (
    LINK_THRESHOLD,
    EventSignature,
    LinkScore,
    OnlineEventLinker,
    aggregate,
    blocking_keys,
    context_vector,
    cosine,
    date_gap,
    dates_compatible,
    families_of,
    meaning_cosine,
    pair_score,
)
from triangulate.records import from_dict
from triangulate.understand.entities import translit_key

# --- dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2025-06-27", "2025-06-27", True),
        ("2025-06-27", "2025-06-28", False),
        # coarser precision contains the finer value inside it
        ("2025-06", "2025-06-27", True),
        ("2025", "2025-06-27", True),
        ("2025-06", "2025-07-01", False),
        ("2024", "2025-06", False),
        ("2025-Q2", "2025-05-01", True),
        ("2025-Q2", "2025-07-01", False),
        ("2025-SU", "2025-07-14", True),
        ("2025-H1", "2025-W26", True),
        # ISO week 26 of 2025 runs from Monday 23 to Sunday 29 June
        ("2025-W26", "2025-06-27", True),
        ("2025-W26", "2025-06-30", False),
        ("2025-W26", "2025-06", True),  # a week overlapping the month
        # an unknown year compares month and day only
        ("XXXX-06-27", "2025-06-27", True),
        ("XXXX-06-27", "2024-06-28", False),
        ("XXXX-06", "2025-06-15", True),
        ("XXXX-06-27", "XXXX-06-27", True),
        ("XXXX-06-27", "XXXX-07-27", False),
        ("XXXX-06-27", "2025", True),
        ("XXXX-06-27", "2025-W26", True),
        ("XXXX-06-30", "2025-W26", False),
        ("XXXX-02-29", "2024-02-29", True),
        # times keep their day
        ("2025-06-27T14:20", "2025-06-27", True),
        ("2013-05-03TMO", "2013-05-02", False),
    ],
)
def test_dates_compatible(a: str, b: str, expected: bool) -> None:
    assert dates_compatible(a, b) is expected
    assert dates_compatible(b, a) is expected


@pytest.mark.parametrize(
    ("a", "b"),
    [(None, "2025-06-27"), ("2025-06-27", None), (None, None), ("P3D", "2025"), ("PRESENT_REF", "2025-06"),
     ("2025-02-30", "2025-02"), ("XXXX-WXX-4", "2025-06-27")],
)  # fmt: skip
def test_dates_unknown(a: str | None, b: str | None) -> None:
    assert dates_compatible(a, b) is None


def test_date_gap() -> None:
    assert date_gap("2025-06-27", "2025-06-27") == 0
    assert date_gap("2025-06-27", "2025-06-28") == 1
    assert date_gap("2025-06", "2025-07-03") == 3  # 30 June to 3 July
    assert date_gap("XXXX-06-27", "2025-06-29") == 2
    assert date_gap(None, "2025") is None


# --- scoring -------------------------------------------------------------------------


def sig(ref: str, **kw: object) -> EventSignature:
    fields = {"doc": ref.split("/")[0], **kw}
    return EventSignature(ref=ref, **fields)  # type: ignore[arg-type]


ARREST = sig(
    "d1/1",
    types=frozenset({"arrest"}),
    lemmas=frozenset({"arrest"}),
    date="2025-06-27",
    places=frozenset({"ekaterinburg"}),
    city="ekaterinburg",
    participants=frozenset({"igor kartavig"}),
)


def test_same_event_scores_above_threshold() -> None:
    other = dataclasses.replace(ARREST, ref="d2/4", doc="d2")
    s = pair_score(ARREST, other)
    assert s.compatible and s.score >= LINK_THRESHOLD
    assert any(e.startswith("same lemma") for e in s.evidence)
    assert "dates agree at day precision" in s.evidence


def test_different_stories_never_link() -> None:
    a = dataclasses.replace(ARREST, story="s1")
    b = dataclasses.replace(ARREST, ref="d2/1", doc="d2", story="s2")
    s = pair_score(a, b)
    assert not s.compatible
    assert any("different stories" in e for e in s.evidence)
    # an unknown story is not a different one
    assert pair_score(a, dataclasses.replace(b, story=None)).compatible


def test_incompatible_types() -> None:
    killing = dataclasses.replace(ARREST, ref="d2/1", doc="d2", types=frozenset({"killing"}))
    s = pair_score(ARREST, killing)
    assert not s.compatible
    assert any("incompatible types" in e for e in s.evidence)


def test_types_of_one_family_stay_compatible() -> None:
    assert families_of({"raid"}) & families_of({"arrest"})
    raid = dataclasses.replace(
        ARREST, ref="d2/1", doc="d2", types=frozenset({"raid"}), lemmas=frozenset({"raid"})
    )
    s = pair_score(ARREST, raid)
    assert s.compatible
    assert any(e.startswith("same family") for e in s.evidence)


def test_dates_far_apart_are_incompatible_a_day_apart_is_not() -> None:
    later = dataclasses.replace(ARREST, ref="d2/1", doc="d2", date="2025-07-15")
    assert not pair_score(ARREST, later).compatible
    next_day = dataclasses.replace(ARREST, ref="d2/1", doc="d2", date="2025-06-28")
    s = pair_score(ARREST, next_day)
    assert s.compatible
    assert s.score < pair_score(ARREST, dataclasses.replace(next_day, date="2025-06-27")).score
    other_year = dataclasses.replace(ARREST, ref="d2/1", doc="d2", date="2024")
    assert not pair_score(ARREST, other_year).compatible


def test_different_cities_are_incompatible() -> None:
    baku = dataclasses.replace(ARREST, ref="d2/1", doc="d2", city="bak", places=frozenset({"bak"}))
    s = pair_score(ARREST, baku)
    assert not s.compatible
    assert any("different cities" in e for e in s.evidence)


def test_reporting_lemma_is_weak_evidence() -> None:
    a = sig("d1/1", lemmas=frozenset({"say"}))
    b = sig("d2/1", lemmas=frozenset({"say"}))
    c = sig("d1/2", lemmas=frozenset({"resign"}))
    d = sig("d2/2", lemmas=frozenset({"resign"}))
    assert pair_score(a, b).score < pair_score(c, d).score


def test_nothing_shared_stays_below_threshold() -> None:
    a = sig("d1/1", lemmas=frozenset({"resign"}), story="s")
    b = sig("d2/1", lemmas=frozenset({"elect"}), story="s")
    s = pair_score(a, b)
    assert s.compatible and s.score < LINK_THRESHOLD


def test_two_acts_of_one_sentence_score_lower_than_across_documents() -> None:
    # "several checks" in one sentence of one document are different acts; the same
    # lemma in two documents' sentences is the usual sign of one event.
    text = "Police checked the bags and later checked the car in Yekaterinburg."
    one = sig("d1/1", lemmas=frozenset({"check"}), story="s", context=context_vector(text))
    same_sentence = dataclasses.replace(one, ref="d1/2")
    other_doc = dataclasses.replace(one, ref="d2/1", doc="d2")
    inside = pair_score(one, same_sentence)
    across = pair_score(one, other_doc)
    assert "same sentence of one document" in inside.evidence
    assert "same sentence of one document" not in across.evidence
    assert inside.compatible and inside.score < across.score
    # another sentence of the same document is not "the same sentence"
    other_sentence = dataclasses.replace(
        one, ref="d1/3", context=context_vector("The car was checked again on Monday.")
    )
    assert "same sentence of one document" not in pair_score(one, other_sentence).evidence


def test_link_score_round_trips() -> None:
    s = pair_score(ARREST, dataclasses.replace(ARREST, ref="d2/1", doc="d2"))
    assert isinstance(s, LinkScore)
    assert from_dict(LinkScore, json.loads(json.dumps(s.to_dict()))) == s
    assert from_dict(EventSignature, json.loads(json.dumps(ARREST.to_dict()))) == ARREST


# --- cross-language ------------------------------------------------------------------

EN_TEXT = (
    "Police in Yekaterinburg arrested Igor Kartavykh, head of Sputnik Azerbaijan, on June 27, 2025."
)
RU_TEXT = "27 июня 2025 года в Екатеринбурге задержан Игорь Картавых, глава Sputnik Азербайджан."


def english(**kw: object) -> EventSignature:
    base = EventSignature(
        ref="en/1",
        doc="en",
        types=frozenset({"arrest"}),
        lemmas=frozenset({"arrest"}),
        date="2025-06-27",
        places=frozenset({translit_key("Yekaterinburg")}),
        city=translit_key("Yekaterinburg"),
        participants=frozenset(
            {translit_key("Igor Kartavykh"), translit_key("Sputnik Azerbaijan")}
        ),
        context=context_vector(EN_TEXT),
    )
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


def russian(**kw: object) -> EventSignature:
    base = EventSignature(
        ref="ru/1",
        doc="ru",
        types=frozenset({"arrest"}),
        lemmas=frozenset({"задержать"}),
        date="2025-06-27",
        places=frozenset({translit_key("Екатеринбург")}),
        city=translit_key("Екатеринбург"),
        participants=frozenset(
            {translit_key("Игорь Картавых"), translit_key("Sputnik Азербайджан")}
        ),
        context=context_vector(RU_TEXT),
    )
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("story", [None, "story-1"])
def test_english_and_russian_reports_of_one_arrest_link(story: str | None) -> None:
    en, ru = english(story=story), russian(story=story)
    assert en.participants == ru.participants and en.city == ru.city
    s = pair_score(en, ru)
    assert s.compatible and s.score >= LINK_THRESHOLD, s
    assert blocking_keys(en) & blocking_keys(ru)
    linker = OnlineEventLinker()
    first, none = linker.add(en)
    second, score = linker.add(ru)
    assert none is None and score is not None
    assert first == second


@pytest.mark.parametrize("story", [None, "story-1"])
def test_same_type_in_another_city_does_not_link(story: str | None) -> None:
    baku = translit_key("Баку")
    ru = russian(story=story, city=baku, places=frozenset({baku}))
    assert not pair_score(english(story=story), ru).compatible
    linker = OnlineEventLinker()
    first, _ = linker.add(english(story=story))
    second, score = linker.add(ru)
    assert first != second and score is None


@pytest.mark.parametrize("story", [None, "story-1"])
def test_same_type_on_another_date_does_not_link(story: str | None) -> None:
    ru = russian(story=story, date="2025-07-10")
    assert not pair_score(english(story=story), ru).compatible
    linker = OnlineEventLinker()
    first, _ = linker.add(english(story=story))
    second, _ = linker.add(ru)
    assert first != second


def test_a_bare_type_match_outside_a_story_does_not_link() -> None:
    # Two arrests with nothing else in common: without a story they stay apart.
    a = EventSignature(ref="a/1", doc="a", types=frozenset({"arrest"}))
    b = EventSignature(ref="b/1", doc="b", types=frozenset({"arrest"}))
    s = pair_score(a, b)
    assert s.compatible and s.score < LINK_THRESHOLD


# --- context, blocking, aggregation --------------------------------------------------


def test_context_vector_is_a_sorted_unit_vector_of_any_script() -> None:
    v = context_vector("Задержан журналист; the journalist was detained. Jurnalist saxlanılıb!")
    assert v == context_vector(
        "Задержан журналист; the journalist was detained. Jurnalist saxlanılıb!"
    )
    ids = [h for h, _ in v]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert math.isclose(sum(w * w for _, w in v), 1.0)
    assert len(v) == 6  # stopwords "the", "was" left out
    assert context_vector("the of and") == ()
    assert math.isclose(cosine(v, v), 1.0)
    weighted = context_vector("journalist detained", {ids[0]: 5.0, ids[1]: 1.0})
    assert math.isclose(sum(w * w for _, w in weighted), 1.0)


def test_blocking_keys_never_empty_for_a_typed_signature() -> None:
    bare = EventSignature(ref="x/1", doc="x", types=frozenset({"killing"}))
    keys = blocking_keys(bare)
    assert keys
    assert all("|" in k for k in keys)  # each narrowed by something specific
    # every key of a typed signature names its family or its lemma, never "all"
    assert all(k != "all" for k in blocking_keys(ARREST))
    assert "lemma:arrest" in blocking_keys(ARREST)
    assert any(k.endswith("|month:2025-06") for k in blocking_keys(ARREST))
    # nothing specific at all: no keys, so it can only start its own cluster
    assert blocking_keys(EventSignature(ref="y/1", doc="y")) == frozenset()


def test_aggregate_takes_unions_and_the_most_precise_consistent_date() -> None:
    a = dataclasses.replace(ARREST, date="2025-06")
    b = dataclasses.replace(ARREST, ref="d2/1", doc="d2", lemmas=frozenset({"detain"}))
    c = dataclasses.replace(ARREST, ref="d3/1", doc="d3", date=None, figures=(("detained", 2),))
    agg = aggregate([a, b, c], "event-1")
    assert agg.ref == "event-1" and agg.doc == ""
    assert agg.lemmas == {"arrest", "detain"}
    assert agg.date == "2025-06-27"
    assert agg.figures == (("detained", 2),)
    assert math.isclose(sum(w * w for _, w in agg.context), 1.0) or agg.context == ()
    # inconsistent days: the common month
    d = dataclasses.replace(ARREST, ref="d4/1", doc="d4", date="2025-06-20")
    assert aggregate([b, d], "e").date == "2025-06"
    assert aggregate([a], "e").doc == "d1"


def test_online_linker_is_deterministic_and_incremental() -> None:
    sigs = [
        english(ref="en/1"),
        russian(ref="ru/1"),
        english(ref="en/2", lemmas=frozenset({"ban"}), types=frozenset({"ban_media"})),
        english(ref="en/3", city="bak", places=frozenset({"bak"})),
        russian(ref="ru/2", date="2025-08-01"),
        english(ref="en/4", lemmas=frozenset({"ban"}), types=frozenset({"ban_media"}), doc="en2"),
    ]

    def run() -> tuple[list[tuple[str, float | None]], dict[str, list[str]]]:
        linker = OnlineEventLinker()
        results = []
        for s in sigs:
            cid, score = linker.add(s)
            results.append((cid, None if score is None else score.score))
        return results, linker.clusters()

    first, clusters = run()
    assert run() == (first, clusters)
    assert first[0][1] is None  # the first mention starts a cluster
    assert sorted(sorted(c) for c in clusters.values()) == [
        ["en/1", "ru/1"],
        ["en/2", "en/4"],
        ["en/3"],
        ["ru/2"],
    ]


# --- trigger embeddings ----------------------------------------------------------------


@pytest.fixture(scope="module")
def embedder() -> TextEmbedder:
    return TextEmbedder()


def test_embeddings_are_unit_rows_and_cross_lingual(embedder: TextEmbedder) -> None:
    words = ["arrested", "задержаны", "həbs edildi", "earthquake"]
    rows = embedder.embed(words, query=True)
    assert rows.shape == (4, DIM)
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    sims = rows @ rows.T
    # an arrest in Russian and in Azerbaijani is closer to "arrested" than an earthquake
    assert sims[0, 1] > sims[0, 3] and sims[0, 2] > sims[0, 3]
    assert embedder.embed([], query=True).shape == (0, DIM)


def test_quantised_cosine_matches_the_float_cosine(embedder: TextEmbedder) -> None:
    a, b = embedder.embed(["arrested", "detained"], query=True)
    qa, qb = quantise(a), quantise(b)
    assert len(qa) == DIM and max(map(abs, qa)) <= 127
    assert abs(meaning_cosine(qa, qb) - float(a @ b)) < 0.005
    assert abs(meaning_cosine(qa, qb, at_least=0.5) - float(a @ b)) < 0.005  # near: exact
    far = quantise(embedder.embed(["earthquake"], query=True)[0])
    assert abs(meaning_cosine(qa, far, at_least=0.99) - meaning_cosine(qa, far)) < 0.02
    assert meaning_cosine(qa, ()) == 0.0
    assert meaning_cosine(qa, qa[:10]) == 0.0  # vectors of different models never compare
    assert quantise([0.0, 0.0]) == ()


def test_similar_triggers_add_evidence_only_when_both_sides_have_them(
    embedder: TextEmbedder,
) -> None:
    arrested, detained, killed = (
        quantise(v) for v in embedder.embed(["arrested", "detained", "killed"], query=True)
    )
    a = sig("d1/1", lemmas=frozenset({"arrest"}), story="s", meaning=arrested)
    b = sig("d2/1", lemmas=frozenset({"detain"}), story="s", meaning=detained)
    plain = pair_score(a, dataclasses.replace(b, meaning=()))
    assert plain == pair_score(dataclasses.replace(a, meaning=()), b)  # one side: no effect
    similar = pair_score(a, b)
    assert similar.score > plain.score
    assert any(e.startswith("similar triggers") for e in similar.evidence)
    # related but different acts stay under the knot: no evidence either way
    assert pair_score(a, dataclasses.replace(b, meaning=killed)).score == plain.score
    # a shared lemma already says it: the embedding adds nothing on top
    same = dataclasses.replace(b, lemmas=frozenset({"arrest"}))
    assert pair_score(a, same) == pair_score(a, dataclasses.replace(same, meaning=()))


def test_signature_with_meaning_round_trips_and_old_records_load() -> None:
    s = dataclasses.replace(ARREST, meaning=(3, -127, 0, 64))
    assert from_dict(EventSignature, json.loads(json.dumps(s.to_dict()))) == s
    old = ARREST.to_dict()
    del old["meaning"]  # stored before the field existed
    assert from_dict(EventSignature, old) == ARREST


class CountingEmbedder(TextEmbedder):
    """The real model, counting the texts it is asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def embed(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        self.asked.extend(texts)
        return super().embed(texts, query=query)


def test_embedding_cache_embeds_each_text_once(tmp_path: Path) -> None:
    first = CountingEmbedder()
    cache = EmbeddingCache(tmp_path, "trigger", first)
    rows = cache.get_many(["shot", "killed", "shot"], query=True)
    assert first.asked == ["killed", "shot"] and cache.size == 2
    assert np.array_equal(rows[0], rows[2])
    second = CountingEmbedder()
    again = EmbeddingCache(tmp_path, "trigger", second).get_many(["killed", "shot"], query=True)
    assert second.asked == []  # read back from disk
    assert np.allclose(again, rows[1:], atol=1e-6)
    with pytest.raises(ValueError, match="plain name"):
        EmbeddingCache(tmp_path, "../x")
    with pytest.raises(ValueError, match="threads"):
        TextEmbedder(threads=0)

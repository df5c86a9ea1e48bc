"""General news event types (data/event_types.json): hijackings, robberies, escapes,
foiled attacks, accidents, disasters, fires, dismissals, resignations, acquisitions, and
the arrest synonyms. Sentences written for these tests, in English, Russian and
Azerbaijani, run through the real understanding stage; then what the types mean to the
event linker."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import analysed_paragraphs
from triangulate.link.eventcoref import LINK_THRESHOLD, EventSignature, pair_score
from triangulate.understand.types import EventMention

EN = [
    "Border guards captured two smugglers near the river crossing.",
    "Gunmen hijacked a passenger bus on the highway.",
    "Thieves robbed a jewellery shop in the city centre.",
    "Three inmates escaped from the regional prison overnight.",
    "The coast guard foiled an attempt to smuggle weapons.",
    "A bus crash on the mountain road left four passengers injured.",
    "A strong earthquake shook the northern provinces.",
    "A blaze destroyed the old warehouse.",
    "A fire broke out at the fuel depot.",
    "The president dismissed the defence minister.",
    "The governor resigned after the scandal.",
    "The state company acquired a majority stake in the refinery.",
    "The journalist Ivan Petrov passed away in police custody.",
    # Words left out because they mean something else in crisis news.
    "Fighting broke out near the border.",
    "Rebels took over the town hall.",
    "Soldiers fired on the crowd.",
]

RU = [
    "Неизвестные угнали автобус с пассажирами.",
    "Трое заключённых сбежали из колонии.",
    "Сильное землетрясение произошло в горах.",
    "Пожар уничтожил склад.",
    "Президент уволил министра обороны.",
    "Губернатор ушёл в отставку.",
    # A clash with the police is not a traffic accident.
    "Столкновения с полицией продолжались всю ночь.",
]

AZ = [
    "Gecə Gəncədə güclü zəlzələ baş verib.",
    "Anbarda böyük yanğın başlayıb.",
    "Nazir istefa verib.",
    "Polis iki nəfəri yaxalayıb.",
    # A border clash (toqquşma) is not an accident.
    "Sərhəddə toqquşma olub.",
]


@pytest.fixture(scope="module")
def en(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return analysed_paragraphs(tmp_path_factory, "roundup", EN)


@pytest.fixture(scope="module")
def ru(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return analysed_paragraphs(tmp_path_factory, "svodka", RU)


@pytest.fixture(scope="module")
def az(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return analysed_paragraphs(tmp_path_factory, "xulase", AZ)


def _types(mentions: list[tuple[EventMention, str]], words: str) -> set[str]:
    return {m.type for m, sentence in mentions if words in sentence}


@pytest.mark.parametrize(
    ("words", "type_"),
    [
        ("captured two smugglers", "arrest"),
        ("hijacked a passenger bus", "hijack"),
        ("robbed a jewellery shop", "robbery"),
        ("escaped from the regional prison", "escape"),
        ("foiled an attempt", "thwart"),
        ("bus crash", "accident"),
        ("strong earthquake", "disaster"),
        ("A blaze", "fire"),
        ("fuel depot", "fire"),  # 'fire' as a noun is a blaze
        ("dismissed the defence minister", "dismissal"),
        ("governor resigned", "resignation"),
        ("acquired a majority stake", "acquisition"),
    ],
)
def test_english_general_news_types(en, words: str, type_: str) -> None:  # type: ignore[no-untyped-def]
    assert type_ in _types(en, words), [(m.type, s) for m, s in en]


@pytest.mark.parametrize(
    ("words", "type_"),
    [
        ("угнали автобус", "hijack"),
        ("сбежали из колонии", "escape"),
        ("землетрясение", "disaster"),
        ("Пожар", "fire"),
        ("уволил министра", "dismissal"),
        ("ушёл в отставку", "resignation"),
    ],
)
def test_russian_general_news_types(ru, words: str, type_: str) -> None:  # type: ignore[no-untyped-def]
    assert type_ in _types(ru, words), [(m.type, s) for m, s in ru]


@pytest.mark.parametrize(
    ("words", "type_"),
    [
        ("zəlzələ", "disaster"),
        ("yanğın", "fire"),
        ("istefa", "resignation"),
        ("yaxalayıb", "arrest"),
    ],
)
def test_azerbaijani_general_news_types(az, words: str, type_: str) -> None:  # type: ignore[no-untyped-def]
    assert type_ in _types(az, words), [(m.type, s) for m, s in az]


def test_who_passed_away_is_the_victim(en) -> None:  # type: ignore[no-untyped-def]
    # A multi-word undergoer trigger: its subject suffers the event, as with "died".
    (death,) = [m for m, s in en if "passed away" in s and m.type == "killing"]
    assert death.agents == () and [p.text for p in death.patients] == ["Ivan Petrov"], death


def test_ambiguous_words_are_not_typed(en, ru, az) -> None:  # type: ignore[no-untyped-def]
    assert _types(en, "Fighting broke out") == set()  # not an escape
    assert _types(en, "took over") == set()  # not an acquisition
    assert "fire" not in _types(en, "fired on the crowd")  # the verb is a shot, not a blaze
    assert "accident" not in _types(ru, "Столкновения")
    assert "accident" not in _types(az, "toqquşma")


def _sig(ref: str, doc: str, types: set[str], lemma: str) -> EventSignature:
    return EventSignature(
        ref=ref, doc=doc, types=frozenset(types), lemmas=frozenset({lemma}), story="s1"
    )


def test_synonyms_of_one_type_link_and_unrelated_types_do_not(en) -> None:  # type: ignore[no-untyped-def]
    # 'captured' in one report and 'arrested' in another: the shared type is the evidence.
    captured = _types(en, "captured two smugglers")
    both = pair_score(_sig("a", "d1", captured, "capture"), _sig("b", "d2", {"arrest"}, "arrest"))
    assert both.compatible and both.score >= LINK_THRESHOLD, both
    assert any("same type arrest" in e for e in both.evidence)
    # A dismissal and a resignation are one family (a minister forced out is reported
    # both ways); a hijacking and a dismissal are different events.
    office = pair_score(
        _sig("a", "d1", _types(en, "dismissed the defence"), "dismiss"),
        _sig("b", "d2", _types(en, "governor resigned"), "resign"),
    )
    assert office.compatible, office
    unrelated = pair_score(
        _sig("a", "d1", _types(en, "hijacked"), "hijack"),
        _sig("b", "d2", _types(en, "dismissed the defence"), "dismiss"),
    )
    assert not unrelated.compatible, unrelated

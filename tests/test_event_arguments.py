"""Argument and place rules of event extraction, on sentences written for these tests and
run through the real understanding stage (English spaCy model)."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import analysed_paragraphs
from triangulate.understand.types import EventMention

PARAGRAPHS = [
    "Regional news roundup for the week",
    "BAKU (Wire) – Police detained three protesters outside the parliament building.",
    "The Interior Ministry carried out a wave of raids against opposition offices.",
    "The Foreign Ministry condemned the detentions and demanded an explanation.",
    "Moscow ordered raids on the offices of two charities.",
    "Russia's Interior Ministry said officers arrested five men in Yekaterinburg.",
    "Two journalists died after the police operation.",
    "Two cousins, Anar and Rauf Guliyev, died after the clashes, and dozens of students were detained.",
    "Senator Anna Petrova condemned the raid on the newspaper.",
    "On Saturday the ministry cancelled the festival, citing the killings in the capital.",
    "On Sunday the mayor resigned, citing the May 3 killings of two reporters.",
    "Foreign Ministry spokeswoman Olga Ivanova demanded an explanation from the embassy.",
]


@pytest.fixture(scope="module")
def mentions(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return analysed_paragraphs(tmp_path_factory, "roundup", PARAGRAPHS)


def _in(mentions: list[tuple[EventMention, str]], words: str, type_: str) -> EventMention:
    found = [m for m, s in mentions if words in s and m.type == type_]
    assert found, [(m.type, s) for m, s in mentions]
    return found[0]


def test_dateline_is_the_place_not_an_agent(mentions) -> None:  # type: ignore[no-untyped-def]
    m = _in(mentions, "three protesters", "arrest")
    assert m.location is not None and m.location.text == "Baku"
    assert all(a.text.upper() != "BAKU" for a in m.agents)


def test_light_verb_through_a_quantity_noun(mentions) -> None:  # type: ignore[no-untyped-def]
    m = _in(mentions, "wave of raids", "raid")
    assert [a.text for a in m.agents] == ["Interior Ministry"]


def test_coordinated_verb_shares_the_subject(mentions) -> None:  # type: ignore[no-untyped-def]
    m = _in(mentions, "demanded an explanation", "demand")
    assert [a.text for a in m.agents] == ["Foreign Ministry"]


def test_a_capital_acting_as_a_government_is_not_the_place(mentions) -> None:  # type: ignore[no-untyped-def]
    m = _in(mentions, "two charities", "raid")
    assert m.location is None or m.location.text != "Moscow"


def test_a_possessive_country_is_not_the_place(mentions) -> None:  # type: ignore[no-untyped-def]
    m = _in(mentions, "five men", "arrest")
    assert m.location is not None and m.location.text == "Yekaterinburg"


def test_the_subject_of_an_undergoer_verb_is_the_victim(mentions) -> None:  # type: ignore[no-untyped-def]
    m = _in(mentions, "Two journalists died", "killing")
    assert not m.agents
    assert [p.text for p in m.patients] == ["Two journalists"]


def test_coordinated_clause_with_its_own_subject_borrows_none(  # type: ignore[no-untyped-def]
    mentions,
) -> None:
    m = _in(mentions, "dozens of students were detained", "arrest")
    assert not [a.text for a in m.agents if "Guliyev" in a.text]
    assert any("dozens" in a.text for a in m.patients)


def test_a_verb_about_an_event_does_not_lend_its_subject(mentions) -> None:  # type: ignore[no-untyped-def]
    # "condemned the raid": the senator condemned it, she did not raid anyone, while
    # "carried out a wave of raids" (no event of its own) does lend its subject.
    raid = _in(mentions, "Anna Petrova", "raid")
    assert raid.agents == ()
    condemned = _in(mentions, "Anna Petrova", "condemnation")
    assert [a.text for a in condemned.agents] == ["Anna Petrova"]


def test_an_event_spoken_about_keeps_its_own_time_only(mentions) -> None:  # type: ignore[no-untyped-def]
    # "citing the killings": Saturday is when the ministry cancelled, not when the
    # killings were; a date inside the cited phrase is theirs.
    cancelled = _in(mentions, "the festival", "cancel_visit")
    assert cancelled.time is not None and cancelled.time.text == "Saturday"
    assert _in(mentions, "the festival", "killing").time is None
    cited = _in(mentions, "the May 3 killings", "killing")
    assert cited.time is not None and cited.time.text == "May 3"


def test_a_spokesperson_brings_the_organisation_she_speaks_for(mentions) -> None:  # type: ignore[no-untyped-def]
    demand = _in(mentions, "Olga Ivanova", "demand")
    names = [a.text for a in demand.agents]
    assert names[0] == "Olga Ivanova" and any("Foreign Ministry" in n for n in names[1:])
    # a title that is not a spokesperson's brings nothing
    condemned = _in(mentions, "Anna Petrova", "condemnation")
    assert [a.text for a in condemned.agents] == ["Anna Petrova"]


RU_PARAGRAPHS = [
    "Депутат Анна Петрова назвала обыск в редакции незаконным.",
    "Полиция провела обыск в редакции газеты.",
    "Официальный представитель МИД России Ольга Иванова потребовала объяснений от посольства.",
]


@pytest.fixture(scope="module")
def ru_mentions(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return analysed_paragraphs(tmp_path_factory, "novosti", RU_PARAGRAPHS)


def test_ru_a_verb_naming_an_event_does_not_lend_its_subject(ru_mentions) -> None:  # type: ignore[no-untyped-def]
    named = _in(ru_mentions, "назвала", "raid")
    assert named.agents == ()
    # "провела обыск" (carried out a search) does.
    done = _in(ru_mentions, "провела", "raid")
    assert [a.text for a in done.agents] == ["Полиция"]


def test_ru_a_spokesperson_brings_the_organisation(ru_mentions) -> None:  # type: ignore[no-untyped-def]
    demand = _in(ru_mentions, "Ольга Иванова", "demand")
    assert len(demand.agents) == 2 and demand.agents[1].type == "ORG", demand.agents


# Azerbaijani has no parse: roles come from order and from the case endings and
# postpositions on the words themselves.
AZ_PARAGRAPHS = [
    "Bakıda jurnalistlərin saxlanılması barədə xəbərlər yayılıb və hadisə ictimaiyyətdə geniş müzakirə olunur.",
    "Agentliyin direktoru Elçin Məmmədov və redaktoru Rauf Həsənov Gəncədə saxlanılıb.",
    "Qəzetin iki əməkdaşı Daxili İşlər Nazirliyi tərəfindən saxlanılıb.",
    "Sumqayıtda azərbaycanlılara qarşı reydlər keçirilib.",
    "Sputnik Azərbaycan-ın əməkdaşları dünən saxlanıldı.",
    "Xarici İşlər Nazirliyi Vüqar Əliyevi Moskvada həbs etməkdə ittiham edib.",
    "Dünən Şəkidə Kamran və Nicat Quliyev qardaşları yol qəzasında həlak olub.",
    "Səfirliyin sözçüsü Leyla Həsənova fəalların saxlanılmasını pisləyib.",
]


@pytest.fixture(scope="module")
def az_mentions(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return analysed_paragraphs(tmp_path_factory, "xeberler", AZ_PARAGRAPHS)


def test_az_passive_subjects_are_patients(az_mentions) -> None:  # type: ignore[no-untyped-def]
    m = _in(az_mentions, "Elçin Məmmədov", "arrest")
    assert m.agents == ()
    assert [p.text for p in m.patients] == ["Elçin Məmmədov", "Rauf Həsənov"]


def test_az_passive_agent_marked_by_terefinden(az_mentions) -> None:  # type: ignore[no-untyped-def]
    m = _in(az_mentions, "tərəfindən", "arrest")
    assert [a.entity_key for a in m.agents] and "Interior" in m.agents[0].text
    assert all("Interior" not in p.text for p in m.patients)


def test_az_against_marks_the_patient(az_mentions) -> None:  # type: ignore[no-untyped-def]
    m = _in(az_mentions, "qarşı", "raid")
    assert m.agents == ()
    assert [p.text for p in m.patients] == ["Azerbaijani"]


def test_az_a_genitive_is_not_the_agent(az_mentions) -> None:  # type: ignore[no-untyped-def]
    m = _in(az_mentions, "Sputnik", "arrest")
    assert all(a.text != "Sputnik Azerbaijan" for a in m.agents)
    # The nominative subject of an active verb is still the agent.
    m = _in(az_mentions, "ittiham", "accusation")
    assert [a.text for a in m.agents] == ["Azerbaijani Foreign Ministry"]


def test_az_coordinated_victims_are_all_patients(az_mentions) -> None:  # type: ignore[no-untyped-def]
    m = _in(az_mentions, "Nicat Quliyev", "killing")
    assert [p.text for p in m.patients] == ["Kamran Quliyev", "Nicat Quliyev"]
    assert m.patients[0].entity_key != m.patients[1].entity_key


def test_az_a_verbal_noun_takes_no_role_from_the_clause(az_mentions) -> None:  # type: ignore[no-untyped-def]
    arrest = _in(az_mentions, "fəalların", "arrest")
    assert arrest.agents == () and arrest.patients == ()
    condemned = _in(az_mentions, "fəalların", "condemnation")
    assert [a.text for a in condemned.agents] == ["Leyla Həsənova"]

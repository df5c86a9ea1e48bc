"""Each language backend on sentences of its own language."""

from __future__ import annotations

import pytest

from triangulate.settings import Settings
from triangulate.understand.backend import backend_for
from triangulate.understand.backends.azerbaijani import strip_suffixes
from triangulate.understand.types import Analysis, EntityType


def _types(a: Analysis) -> dict[str, EntityType]:
    return {e.text: e.type for e in a.entities}


@pytest.fixture(scope="module")
def en():  # type: ignore[no-untyped-def]
    return backend_for("en", Settings())


@pytest.fixture(scope="module")
def ru():  # type: ignore[no-untyped-def]
    return backend_for("ru", Settings())


@pytest.fixture(scope="module")
def az():  # type: ignore[no-untyped-def]
    return backend_for("az", Settings())


EN = (
    "Russian police raided the Baku office of Sputnik Azerbaijan on Monday. "
    "Azerbaijani President Ilham Aliyev condemned the deaths in Yekaterinburg. "
    "Aliyev said the FSB was responsible, E1.RU reported."
)


def test_backends_are_cached() -> None:
    assert backend_for("en", Settings()) is backend_for("en", Settings())
    assert backend_for("xx", Settings()) is None


def test_english_sentences_tokens_parse(en) -> None:  # type: ignore[no-untyped-def]
    a = en.analyse(EN)
    assert a.lang == "en"
    assert len(a.sentences) == 3
    first = a.sentences[0]
    assert first.parsed
    raided = next(t for t in first.tokens if t.text == "raided")
    assert raided.lemma == "raid" and raided.pos == "VERB" and raided.dep == "ROOT"
    police = next(t for t in first.tokens if t.text == "police")
    assert first.tokens[police.head or 0].text == "raided"
    for s in a.sentences:
        for t in s.tokens:
            assert EN[t.start : t.end] == t.text


def test_english_without_parse_still_splits_sentences(en) -> None:  # type: ignore[no-untyped-def]
    a = en.analyse(EN, parse=False)
    assert len(a.sentences) == 3
    assert not a.sentences[0].parsed
    assert all(t.head is None and t.dep == "" for t in a.sentences[0].tokens)
    assert _types(a)["Sputnik Azerbaijan"] is EntityType.MEDIA
    # Lemmas and the parse come only for the sentences a caller picks.
    picked = en.analyse_selected([EN], lambda s: s.start == 0)[0]
    assert picked.sentences[0].parsed and not picked.sentences[1].parsed
    assert any(t.lemma == "raid" for t in picked.sentences[0].tokens)


def test_english_entity_traps(en) -> None:  # type: ignore[no-untyped-def]
    a = en.analyse(EN)
    types = _types(a)
    assert types["Sputnik Azerbaijan"] is EntityType.MEDIA  # the model says PERSON
    assert types["Azerbaijani"] is EntityType.NORP
    assert types["Russian"] is EntityType.NORP
    assert types["Baku"] is EntityType.LOC
    assert types["Yekaterinburg"] is EntityType.LOC
    assert types["FSB"] is EntityType.ORG
    assert types["E1.RU"] is EntityType.MEDIA
    assert types["Ilham Aliyev"] is EntityType.PER
    short = next(e for e in a.entities if e.text == "Aliyev")
    assert short.canonical == "Ilham Aliyev" and short.source == "coref"


def test_english_outlets_found_when_model_misses(en) -> None:  # type: ignore[no-untyped-def]
    a = en.analyse("The video was published by Ruptly and picked up by Modern.Az and Meduza.")
    types = _types(a)
    assert types["Ruptly"] is EntityType.MEDIA
    assert types["Modern.Az"] is EntityType.MEDIA
    assert types["Meduza"] is EntityType.MEDIA


def test_english_batch_equals_single(en) -> None:  # type: ignore[no-untyped-def]
    texts = [EN, "Yerevan and Baku exchanged notes."]
    many = en.analyse_many(texts)
    assert [m.entities for m in many] == [en.analyse(t).entities for t in texts]


RU = (
    "Официальный представитель МИД России Мария Захарова заявила, что Игоря Картавых "
    "задержали в Екатеринбурге. Захарова добавила, что Sputnik Азербайджан работает законно. "
    "Следственный комитет возбудил дело против азербайджанцев, сообщает ТАСС."
)


def test_russian_sentences_lemmas_parse(ru) -> None:  # type: ignore[no-untyped-def]
    a = ru.analyse(RU)
    assert len(a.sentences) == 3
    toks = {t.text: t for s in a.sentences for t in s.tokens}
    assert toks["задержали"].lemma == "задержать"
    assert toks["Екатеринбурге"].lemma == "екатеринбург"
    assert a.sentences[0].parsed and toks["заявила"].dep == "root"
    b = ru.analyse(RU, parse=False)
    assert not b.sentences[0].parsed and b.sentences[0].tokens[0].head is None


def test_russian_entities_base_forms_and_traps(ru) -> None:  # type: ignore[no-untyped-def]
    a = ru.analyse(RU)
    by_text = {e.text: e for e in a.entities}
    assert by_text["Игоря Картавых"].canonical == "Игорь Картавых"
    assert by_text["Игоря Картавых"].type is EntityType.PER
    assert by_text["Екатеринбурге"].canonical == "Екатеринбург"
    assert by_text["Екатеринбурге"].type is EntityType.LOC
    assert by_text["Sputnik Азербайджан"].type is EntityType.MEDIA
    assert by_text["ТАСС"].type is EntityType.MEDIA
    assert by_text["азербайджанцев"].type is EntityType.NORP
    assert by_text["Следственный комитет"].type is EntityType.ORG
    short = by_text["Захарова"]
    assert short.canonical == "Мария Захарова" and short.source == "coref"
    # the same outlet gets the same key in both languages
    assert by_text["Sputnik Азербайджан"].key == next(
        e.key
        for e in backend_for("en", Settings()).analyse(EN).entities
        if e.text == "Sputnik Azerbaijan"
    )


AZ = (
    "Prezident İlham Əliyev Bakı'da çıxış edib. Rusiyanın Yekaterinburq şəhərində "
    "azərbaycanlılar həbs olunub. XİN sözçüsü Ayxan Hacızadə bildirib ki, Sputnik "
    "Azərbaycanın əməkdaşları saxlanılıb. Əliyevin sözlərinə görə, hadisə araşdırılır."
)


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("Bakı'da", "Bakı"),
        ("Bakıda", "Bakı"),
        ("Əliyevin", "Əliyev"),
        ("Əliyeva", "Əliyeva"),
        ("Əliyevə", "Əliyev"),  # dative after the surname's consonant
        ("Səfərovu", "Səfərov"),  # accusative
        ("Gəncə", "Gəncə"),  # a name ending in a vowel is not a case form
        ("Hacızadənin", "Hacızadə"),
        ("azərbaycanlılar", "azərbaycanlı"),
        ("şəhərində", "şəhər"),
        ("jurnalistlərin", "jurnalist"),
        ("Rusiyadan", "Rusiya"),
        ("ev", "ev"),
    ],
)
def test_azerbaijani_suffix_stripping(word: str, stem: str) -> None:
    assert strip_suffixes(word) == stem


def test_azerbaijani_sentences_and_tokens(az) -> None:  # type: ignore[no-untyped-def]
    a = az.analyse(AZ)
    assert len(a.sentences) == 4
    assert [t.text for t in a.sentences[0].tokens][:4] == [
        "Prezident",
        "İlham",
        "Əliyev",
        "Bakı'da",
    ]
    assert a.sentences[0].tokens[3].lemma == "Bakı"
    # initials do not end a sentence
    assert len(az.analyse("İ. Əliyev danışıb. Sonra getdi.").sentences) == 2


def test_azerbaijani_entities(az) -> None:  # type: ignore[no-untyped-def]
    a = az.analyse(AZ)
    by_text = {e.text: e for e in a.entities}
    assert by_text["İlham Əliyev"].type is EntityType.PER
    assert by_text["Bakı'da"].type is EntityType.LOC
    assert by_text["Rusiyanın"].type is EntityType.LOC
    assert by_text["Yekaterinburq"].type is EntityType.LOC
    assert by_text["azərbaycanlılar"].type is EntityType.NORP
    assert by_text["Sputnik Azərbaycanın"].type is EntityType.MEDIA
    assert by_text["Ayxan Hacızadə"].type is EntityType.PER  # after a title
    assert by_text["Əliyevin"].canonical == "İlham Əliyev"  # resolved in the document
    # sentence-initial common words are not names
    assert "Sonra" not in by_text and "Prezident" not in by_text
    # Baku has one key across the three languages
    assert by_text["Bakı'da"].key == next(
        e.key for e in backend_for("en", Settings()).analyse(EN).entities if e.text == "Baku"
    )


def test_azerbaijani_title_before_an_office_is_not_a_name(az) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Ukrayna Prezident Ofisinin məlumatına görə, danışıq olub. "
        "Prezident Ramiz Mehdiyev və Nazir Vüqar Əliyevi də qeyd edilib."
    )
    people = {e.text: e for e in az.analyse(text).entities if e.type is EntityType.PER}
    assert not any("Ofis" in name for name in people), people
    # Names after a title still are (a given name ending like a possessive included).
    assert "Ramiz Mehdiyev" in people
    assert people["Vüqar Əliyevi"].canonical == "Vüqar Əliyev"


def test_english_title_is_not_part_of_the_name(en) -> None:  # type: ignore[no-untyped-def]
    text = "Spokeswoman Maria Zakharova called the raid an unfriendly act. Foreign Minister Sergei Lavrov agreed."
    people = {e.text: e for e in en.analyse(text).entities if e.type is EntityType.PER}
    assert set(people) == {"Maria Zakharova", "Sergei Lavrov"}, people
    z = people["Maria Zakharova"]
    assert text[z.start : z.end] == "Maria Zakharova" and z.key == "maria zagarova"


def test_english_sentence_opener_and_article_are_not_part_of_an_organisation(en) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The Russian embassy filed a complaint. Later the Foreign Ministry said the raid was"
        " lawful. Meanwhile the Kremlin kept silent."
    )
    orgs = {e.text: e for e in en.analyse(text).entities if e.type is EntityType.ORG}
    assert "Foreign Ministry" in orgs and "Kremlin" in orgs, orgs
    assert not any(name.startswith(("Later", "Meanwhile")) for name in orgs), orgs
    fm = orgs["Foreign Ministry"]
    assert text[fm.start : fm.end] == "Foreign Ministry"

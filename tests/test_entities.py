"""Script-independent keys and within-document short-form resolution."""

from __future__ import annotations

import pytest

from triangulate.understand.entities import gazetteer, resolve_document, translit_key
from triangulate.understand.types import EntityMention, EntityType


@pytest.mark.parametrize(
    "names",
    [
        ("Səfərov", "Сафаров", "Safarov"),
        ("Əliyev", "Алиев", "Aliyev"),
        ("İlham Əliyev", "Ильхам Алиев", "Ilham Aliyev"),
        ("Hüseyn", "Гусейн", "Huseyn"),
        ("Bakı", "Баку", "Baku"),
        ("Həsənov", "Гасанов", "Hasanov"),
        ("Yekaterinburg", "Екатеринбург", "Ekaterinburg"),
        ("Yerevan", "Ереван"),
        ("Мария Захарова", "Maria Zakharova"),
    ],
)
def test_translit_key_shared_across_scripts(names: tuple[str, ...]) -> None:
    keys = {translit_key(n) for n in names}
    assert len(keys) == 1, dict(zip(names, [translit_key(n) for n in names], strict=True))


def test_translit_key_folds_case_endings_and_apostrophes() -> None:
    assert translit_key("Сафарову") == translit_key("Сафаров")
    assert translit_key("Сафаровым") == translit_key("Сафаров")
    assert translit_key("Əliyev'in") == translit_key("Əliyev")
    assert translit_key("Səfərovun") == translit_key("Səfərov")
    # the feminine nominative is a different name, not an oblique case
    assert translit_key("Захарова") != translit_key("Захаров")
    # a demonym and its country stay apart
    assert translit_key("Azerbaijani") != translit_key("Azerbaijan")
    # English names are not put through the Azerbaijani table (c, x, q)
    assert translit_key("Investigative Committee") == "investigative comite"
    # ... unless they were read in Azerbaijani text: there x is the Russian х
    assert translit_key("Mariya Zaxarova", azerbaijani=True) == translit_key("Мария Захарова")
    assert translit_key("Mariya Zaxarova") != translit_key("Мария Захарова")
    # the dative -ə goes before ə becomes a, where it would read as a feminine -a
    assert translit_key("İlham Əliyevə") == translit_key("Ильхам Алиев")
    assert translit_key("Səfərova") == translit_key("Сафарова") != translit_key("Сафаров")


def _m(text: str, etype: EntityType = EntityType.PER, start: int = 0) -> EntityMention:
    return EntityMention(
        start=start,
        end=start + len(text),
        text=text,
        type=etype,
        canonical=text,
        key=translit_key(text),
        source="test",
    )


def test_short_form_resolves_to_full_name_in_document() -> None:
    out = resolve_document([_m("Aliyev", start=0), _m("Ilham Aliyev", start=20)])
    assert out[0].canonical == "Ilham Aliyev"
    assert out[0].key == translit_key("Ilham Aliyev")
    assert out[0].source == "coref"
    assert out[1].source == "test"  # the full name itself is untouched


def test_russian_short_form() -> None:
    out = resolve_document([_m("Мария Захарова"), _m("Захарова", start=40)])
    assert out[1].canonical == "Мария Захарова"
    assert out[1].source == "coref"


def test_ambiguous_surname_stays() -> None:
    out = resolve_document(
        [_m("Elnur Safarov"), _m("Rauf Safarov", start=30), _m("Safarov", start=60)]
    )
    assert out[2].canonical == "Safarov"
    assert out[2].source == "test"


def test_bare_surname_labelled_org_becomes_person() -> None:
    out = resolve_document([_m("Ilham Aliyev"), _m("Aliyev", EntityType.ORG, start=30)])
    assert out[1].type is EntityType.PER
    assert out[1].canonical == "Ilham Aliyev"


def test_places_and_outlets_are_not_resolved_to_people() -> None:
    out = resolve_document([_m("Baku Aliyev"), _m("Baku", EntityType.LOC, start=30)])
    assert out[1].type is EntityType.LOC


def test_gazetteer_finds_inflected_forms() -> None:
    g = gazetteer()
    ru = {h.text: h.entry.type for h in g.find("В Екатеринбурге задержали азербайджанцев", "ru")}
    assert ru == {"Екатеринбурге": EntityType.LOC, "азербайджанцев": EntityType.NORP}
    az = {h.text: h.entry.type for h in g.find("Sputnik Azərbaycanın Bakı'dakı ofisi", "az")}
    assert az == {"Sputnik Azərbaycanın": EntityType.MEDIA, "Bakı'dakı": EntityType.LOC}
    # weak variants (ordinary words) are not found on their own
    assert not g.find("The report said the trend continues.", "en")


def test_coordinated_first_names_share_the_surname() -> None:
    from triangulate.understand.entities import expand_coordinated_names
    from triangulate.understand.types import EntityMention, EntityType

    text = "two brothers, Huseyn and Ziyaddin Safarov, were killed"
    first = EntityMention(
        14, 20, "Huseyn", EntityType.ORG, "Huseyn", translit_key("Huseyn"), "spacy"
    )
    full = EntityMention(
        25,
        41,
        "Ziyaddin Safarov",
        EntityType.PER,
        "Ziyaddin Safarov",
        translit_key("Ziyaddin Safarov"),
        "spacy",
    )
    out = expand_coordinated_names(text, [first, full])
    assert out[0].type is EntityType.PER and out[0].canonical == "Huseyn Safarov"
    assert out[0].key == translit_key("Hüseyn Səfərov") == translit_key("Гусейн Сафаров")
    # Not coordinated: left alone.
    other = "Huseyn said Ziyaddin Safarov was killed"
    lone = EntityMention(0, 6, "Huseyn", EntityType.ORG, "Huseyn", "x", "spacy")
    full2 = EntityMention(
        12, 28, "Ziyaddin Safarov", EntityType.PER, "Ziyaddin Safarov", "y", "spacy"
    )
    assert expand_coordinated_names(other, [lone, full2])[0].type is EntityType.ORG
    # A surname before "and" is another person, not a given name sharing the surname:
    # by its shape, or because the document names that person in full elsewhere.
    pair = "Aliyev and Vladimir Putin have not spoken"
    surname = EntityMention(0, 6, "Aliyev", EntityType.PER, "Aliyev", "aliev", "spacy")
    putin = EntityMention(11, 25, "Vladimir Putin", EntityType.PER, "Vladimir Putin", "p", "x")
    assert expand_coordinated_names(pair, [surname, putin])[0].canonical == "Aliyev"
    later = "Mamedli and Vladimir Putin met; Elnur Mamedli said so"
    known = EntityMention(0, 7, "Mamedli", EntityType.PER, "Mamedli", "mamedli", "spacy")
    full3 = EntityMention(32, 45, "Elnur Mamedli", EntityType.PER, "Elnur Mamedli", "e", "x")
    putin2 = EntityMention(12, 26, "Vladimir Putin", EntityType.PER, "Vladimir Putin", "p", "x")
    out = expand_coordinated_names(later, [known, putin2, full3])
    assert out[0].canonical == "Mamedli"

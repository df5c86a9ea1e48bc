"""find_quantities: counts of people in en/ru/az, and the numbers that are not counts."""

from __future__ import annotations

import pytest

from triangulate.understand.quantities import find_quantities
from triangulate.understand.types import Exactness

E, A, V, IMP = Exactness.EXACT, Exactness.APPROXIMATE, Exactness.VAGUE, Exactness.IMPLICIT

CASES = [
    ("en", "Two people died and five were injured.", [("killed", 2, 2, E), ("injured", 5, 5, E)]),
    ("en", "Approximately 50 individuals were arrested in the capital.", [("arrested", 50, 50, A)]),
    ("en", "Dozens of protesters were detained.", [("detained", 24, 99, V)]),
    ("en", "Several activists were held overnight.", [("detained", 3, 9, V)]),
    ("en", "More than 50 people were arrested.", [("arrested", 51, None, A)]),
    ("en", "Up to 15 people may have been killed.", [("killed", 0, 15, A)]),
    ("en", "Between 10 and 20 protesters were detained.", [("detained", 10, 20, A)]),
    ("en", "Nine others were detained on Monday.", [("detained", 9, 9, E)]),
    ("en", "Three others were hospitalized in critical condition.", [("hospitalised", 3, 3, E)]),
    ("en", "Two brothers—Ali and Vusal—were killed in the raid.", [("killed", 2, 2, E)]),
    (
        "en",
        "The attack killed two people and injured five.",
        [("killed", 2, 2, E), ("injured", 5, 5, E)],
    ),
    ("en", "The death toll rose to 12.", [("killed", 12, 12, E)]),
    ("en", "More than a dozen people were hurt.", [("injured", 13, None, A)]),
    ("en", "Tens of thousands of people rallied.", [("people", 20000, 99999, V)]),
    (
        "en",
        "At least 3 people died and 40 or more were injured.",
        [("killed", 3, None, A), ("injured", 40, None, A)],
    ),
    (
        "en",
        "Police detained 12 protesters and arrested three journalists.",
        [("detained", 12, 12, E), ("arrested", 3, 3, E)],
    ),
    ("en", "Twenty-five villagers were evacuated.", [("evacuated", 25, 25, E)]),
    ("ru", "Двое человек погибли, пятеро ранены.", [("killed", 2, 2, E), ("injured", 5, 5, E)]),
    ("ru", "Около 50 человек были задержаны в Екатеринбурге.", [("detained", 50, 50, A)]),
    ("ru", "Более 50 протестующих задержаны.", [("detained", 51, None, A)]),
    (
        "ru",
        "Десятки человек задержаны, несколько госпитализированы.",
        [("detained", 20, 99, V), ("hospitalised", 3, 9, V)],
    ),
    (
        "ru",
        "Задержаны до 15 человек, из них трёх арестовали.",
        [("detained", 0, 15, A), ("arrested", 3, 3, E)],
    ),
    ("ru", "От 10 до 20 человек пропали без вести.", [("missing", 10, 20, A)]),
    ("ru", "Погибли двадцать пять человек.", [("killed", 25, 25, E)]),
    ("ru", "Порядка сотни человек задержаны.", [("detained", 100, 100, A)]),
    (
        "ru",
        "Погибли не менее 3 человек, ещё 5-ти человек госпитализировали.",
        [("killed", 3, None, A), ("hospitalised", 5, 5, E)],
    ),
    ("az", "Bakıda 5 nəfər saxlanılıb.", [("detained", 5, 5, E)]),
    ("az", "Təxminən 50 nəfər həbs olunub.", [("arrested", 50, 50, A)]),
    ("az", "50-dən çox etirazçı saxlanılıb.", [("detained", 51, None, A)]),
    ("az", "50 nəfərdən çox şəxs saxlanılıb.", [("detained", 51, None, A)]),
    (
        "az",
        "Onlarla insan yaralanıb, iki nəfər həlak olub.",
        [("injured", 20, 99, V), ("killed", 2, 2, E)],
    ),
    ("az", "Bir neçə fəal saxlanılıb.", [("detained", 3, 9, V)]),
    ("az", "Üç nəfər xəstəxanaya yerləşdirilib.", [("hospitalised", 3, 3, E)]),
    ("az", "Yüzlərlə etirazçı toplaşıb.", [("people", 200, 999, V)]),
    (
        "az",
        "İki nəfər həlak olub, İyirmi nəfər yaralanıb.",
        [("killed", 2, 2, E), ("injured", 20, 20, E)],
    ),
    (
        "az",
        "Ən azı 3 nəfər həlak olub, 15-ə qədər şəxs yaralanıb.",
        [("killed", 3, None, A), ("injured", 0, 15, A)],
    ),
]


@pytest.mark.parametrize(("lang", "text", "expected"), CASES)
def test_counts(
    lang: str, text: str, expected: list[tuple[str, int, int | None, Exactness]]
) -> None:
    got = [(q.kind, q.min, q.max, q.exactness) for q in find_quantities(text, lang)]
    assert got == expected


NO_FIGURE = [
    ("en", "In 2001 a 24-year-old man was detained on June 27 at 10:30."),
    ("en", "He was fined $500 and charged under Article 318 of the Criminal Code."),
    ("en", "Eyewitnesses told E1.RU that APT29 hackers were involved."),
    ("en", "One of the detainees was the first to speak; turnout was 5%."),
    ("en", "Police raided 2 houses and killed a suspect."),
    ("en", "The man, aged 24, was arrested 3 days later."),
    ("ru", "В 2001 году 24-летний мужчина был задержан 27 июня."),
    ("ru", "Один из задержанных получил 5 лет колонии по статье 318."),
    ("az", "2001-ci ildə 24 yaşlı kişi saxlanılıb."),
    ("az", "Bakıda 27 iyun tarixində bir qrup fəal toplaşıb."),
]


@pytest.mark.parametrize(("lang", "text"), NO_FIGURE)
def test_no_figure(lang: str, text: str) -> None:
    assert find_quantities(text, lang) == []


def test_implicit_list_of_names() -> None:
    text = "Ali Mammadov, Rashad Aliyev and Orkhan Guliyev were killed in the raid."
    (q,) = find_quantities(text, "en")
    assert (q.kind, q.min, q.max, q.exactness) == ("killed", 3, 3, IMP)
    assert q.text == "Ali Mammadov, Rashad Aliyev and Orkhan Guliyev"


def test_implicit_ru_az() -> None:
    (q,) = find_quantities("Иван Петров и Олег Сидоров задержаны.", "ru")
    assert (q.kind, q.min, q.exactness) == ("detained", 2, IMP)
    (q,) = find_quantities("Əli Məmmədov və Rəşad Əliyev həbs olunub.", "az")
    assert (q.kind, q.min, q.exactness) == ("arrested", 2, IMP)


def test_spans_and_offset() -> None:
    text = "Police said approximately 50 individuals were arrested."
    (q,) = find_quantities(text, "en", offset=100)
    assert q.text == "approximately 50"
    assert (q.start, q.end) == (112, 128)
    assert text[q.start - 100 : q.end - 100] == q.text
    assert q.word == "approximately"


def test_unknown_language() -> None:
    with pytest.raises(ValueError):
        find_quantities("two people died", "de")

"""Loaded-language share of a text (understand/loaded.py): sentences that judge rather
than describe, in English, Russian and Azerbaijani, on sentences written for the test."""

from __future__ import annotations

import pytest

from triangulate.understand.loaded import loaded_sentences


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("The regime detained two men. Police said the raid was lawful.", "en", (2, 1)),
        ("Officials met on Monday. The talks ended at noon.", "en", (2, 0)),
        ("So-called peacekeepers arrived! Warmongers cheered.", "en", (2, 2)),
        ("Бандиты напали на склад. Полиция задержала двоих.", "ru", (2, 1)),
        ("Так называемые власти молчат. Министр выступил в среду.", "ru", (2, 1)),
        ("Sözdə hökumət bəyanat verdi. Polis iki nəfəri saxladı.", "az", (2, 1)),
        ("Quldurlar kəndə hücum etdi.\nNazir görüş keçirdi.", "az", (2, 1)),
    ],
)
def test_sentences_with_loaded_words(text: str, lang: str, expected: tuple[int, int]) -> None:
    assert loaded_sentences(text, lang) == expected


def test_a_neutral_word_sharing_a_prefix_is_not_loaded() -> None:
    # "regimen" is not "regime"; prefix entries are only those listed with "*".
    assert loaded_sentences("The patient followed a strict regimen.", "en") == (1, 0)

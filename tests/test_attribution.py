"""find_attribution: speaker, chain, verb and voice of one sentence, in en/ru/az."""

from __future__ import annotations

import pytest

from triangulate.understand.attribution import find_attribution
from triangulate.understand.types import Voice

CASES = [
    (
        "en",
        "Eyewitnesses told the regional news outlet E1.RU that dozens of migrants were detained.",
        "Eyewitnesses",
        ("E1.RU", "Eyewitnesses"),
        "told",
    ),
    (
        "en",
        "The Interior Ministry said that 12 protesters were detained.",
        "Interior Ministry",
        ("Interior Ministry",),
        "said",
    ),
    (
        "en",
        "According to local residents, five people were killed.",
        "local residents",
        ("local residents",),
        "According to",
    ),
    ("en", "Five protesters were detained, police said.", "police", ("police",), "said"),
    (
        "en",
        "Five protesters were detained, said Ali Hasanov, a local lawyer.",
        "Ali Hasanov",
        ("Ali Hasanov",),
        "said",
    ),
    (
        "en",
        "Interfax, citing a police source, reported that 40 people were arrested.",
        "a police source",
        ("Interfax", "a police source"),
        "reported",
    ),
    (
        "en",
        "E1.RU reported, citing eyewitnesses, that dozens were detained.",
        "eyewitnesses",
        ("E1.RU", "eyewitnesses"),
        "reported",
    ),
    ("en", "The rebels claimed 20 soldiers were killed.", "rebels", ("rebels",), "claimed"),
    (
        "en",
        "A lawyer told Reuters that three activists were held.",
        "A lawyer",
        ("Reuters", "A lawyer"),
        "told",
    ),
    (
        "ru",
        "Как сообщил глава МВД, задержаны 15 человек.",
        "глава МВД",
        ("глава МВД",),
        "Как сообщил",
    ),
    ("ru", "По данным МВД, задержаны 15 человек.", "МВД", ("МВД",), "По данным"),
    (
        "ru",
        "РИА Новости со ссылкой на источник сообщает, что задержаны 15 человек.",
        "источник",
        ("РИА Новости", "источник"),
        "сообщает",
    ),
    (
        "ru",
        "Задержаны 15 человек, заявил глава МВД Иван Петров.",
        "глава МВД Иван Петров",
        ("глава МВД Иван Петров",),
        "заявил",
    ),
    ("ru", "Глава МВД заявил, что никто не погиб.", "Глава МВД", ("Глава МВД",), "заявил"),
    ("ru", "Задержаны 15 человек, сообщает ТАСС.", "ТАСС", ("ТАСС",), "сообщает"),
    (
        "ru",
        "Задержаны 15 человек, передаёт «Интерфакс».",
        "«Интерфакс»",
        ("«Интерфакс»",),
        "передаёт",
    ),
    ("az", "DİN-in məlumatına görə, 5 nəfər saxlanılıb.", "DİN", ("DİN",), "məlumatına görə"),
    ("az", "Nazirlik bildirib ki, 5 nəfər saxlanılıb.", "Nazirlik", ("Nazirlik",), "bildirib"),
    ("az", "Bakıda 5 nəfər saxlanılıb, APA xəbər verir.", "APA", ("APA",), "xəbər verir"),
    (
        "az",
        "Report.az Qafqazinfo-ya istinadən xəbər verir ki, 5 nəfər saxlanılıb.",
        "Qafqazinfo",
        ("Report.az", "Qafqazinfo"),
        "xəbər verir",
    ),
]


@pytest.mark.parametrize(("lang", "text", "speaker", "chain", "verb"), CASES)
def test_attribution(lang: str, text: str, speaker: str, chain: tuple[str, ...], verb: str) -> None:
    a = find_attribution(text, lang)
    assert a is not None
    assert (a.speaker, a.chain, a.verb, a.voice) == (speaker, chain, verb, Voice.AUTHOR)
    assert a.start is not None and a.end is not None
    cue = text[a.start : a.end]
    assert verb in cue
    assert speaker.split("«")[-1].rstrip("»")[:3] in cue


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Police detained five protesters in Baku."),
        ("ru", "Полиция задержала пять человек."),
        ("az", "Polis 5 nəfəri saxlayıb."),
    ],
)
def test_author_voice_is_none(lang: str, text: str) -> None:
    assert find_attribution(text, lang) is None


def test_quote_voice() -> None:
    a = find_attribution("“They beat us and took our phones,” one witness reported.", "en")
    assert a is not None
    assert (a.speaker, a.verb, a.voice) == ("one witness", "reported", Voice.QUOTE)
    a = find_attribution("«Нас избили и отобрали телефоны», — рассказал один из задержанных.", "ru")
    assert a is not None
    assert (a.speaker, a.verb, a.voice) == ("один из задержанных", "рассказал", Voice.QUOTE)


def test_cue_inside_quote_is_not_the_frame() -> None:
    # "said" inside the quotation is the quoted speaker's word, not the frame.
    a = find_attribution("“Police said nothing to us,” a detainee's mother told reporters.", "en")
    assert a is not None
    assert (a.speaker, a.verb, a.voice) == ("a detainee's mother", "told", Voice.QUOTE)
    assert a.chain == ("a detainee's mother",)


def test_bare_quote_without_cue() -> None:
    a = find_attribution("“We will not stop until they are released.”", "en")
    assert a is not None
    assert (a.speaker, a.chain, a.voice) == (None, (), Voice.QUOTE)


def test_scare_quotes_are_not_a_quote() -> None:
    assert find_attribution("Police called the rally “illegal”.", "en") is None


def test_speaker_separated_from_its_verb_by_a_parenthetical() -> None:
    found = find_attribution("Источник, близкий к следствию, утверждает, что двое погибли.", "ru")
    assert found is not None and found.speaker == "Источник" and found.verb == "утверждает"
    found = find_attribution(
        "A source, who asked not to be named, said that two men were detained.", "en"
    )
    assert found is not None and found.speaker == "A source"

"""sentence_modality: the cue that governs an event trigger, in en/ru/az."""

from __future__ import annotations

import pytest

from triangulate.understand.modality import sentence_modality
from triangulate.understand.types import Modality as M

CASES = [
    ("en", "Police detained five protesters.", "detained", M.ASSERTED, ""),
    ("en", "Five protesters were reportedly detained.", "detained", M.REPORTED, "reportedly"),
    (
        "en",
        "According to witnesses, five protesters were detained.",
        "detained",
        M.REPORTED,
        "According to",
    ),
    ("en", "Five protesters were detained, police said.", "detained", M.REPORTED, "said"),
    ("en", "Five protesters were allegedly beaten.", "beaten", M.ALLEGED, "allegedly"),
    ("en", "The group claimed that 20 soldiers were killed.", "killed", M.CLAIMED, "claimed"),
    ("en", "The ministry denied that anyone was detained.", "detained", M.DENIED, "denied"),
    (
        "en",
        "The ministry rejected reports that protesters were detained.",
        "detained",
        M.DENIED,
        "rejected reports",
    ),
    ("en", "No protesters were detained.", "detained", M.NEGATED, "No"),
    ("en", "Police said no one was killed.", "killed", M.NEGATED, "no"),
    ("en", "Police could detain dozens of activists.", "detain", M.HYPOTHETICAL, "could"),
    (
        "en",
        "If the rally goes ahead, police will detain the organisers.",
        "detain",
        M.HYPOTHETICAL,
        "If",
    ),
    (
        "en",
        "The government threatens to deport the journalists.",
        "deport",
        M.HYPOTHETICAL,
        "threatens to",
    ),
    ("en", "Were any protesters detained?", "detained", M.QUESTION, "?"),
    ("en", "The attack claimed the lives of five people.", "attack", M.ASSERTED, ""),
    ("en", "No fewer than 20 people were killed.", "killed", M.ASSERTED, ""),
    ("en", "Police said five were allegedly killed.", "killed", M.ALLEGED, "allegedly"),
    ("ru", "Полиция задержала пять человек.", "задержала", M.ASSERTED, ""),
    ("ru", "Сообщается, что пять человек задержаны.", "задержаны", M.REPORTED, "Сообщается"),
    ("ru", "По данным МВД, задержаны 15 человек.", "задержаны", M.REPORTED, "По данным"),
    ("ru", "Протестующие якобы избили полицейского.", "избили", M.ALLEGED, "якобы"),
    ("ru", "Глава МВД заявил, что задержаны 15 человек.", "задержаны", M.CLAIMED, "заявил"),
    ("ru", "Глава МВД заявил, что никто не погиб.", "погиб", M.NEGATED, "не"),
    ("ru", "МВД опровергло сообщения о задержаниях.", "задержаниях", M.DENIED, "опровергло"),
    ("ru", "Не менее 20 человек погибли.", "погибли", M.ASSERTED, ""),
    ("ru", "Погибших нет.", "Погибших", M.NEGATED, "нет"),
    ("ru", "Полиция может задержать организаторов.", "задержать", M.HYPOTHETICAL, "может"),
    ("ru", "Если митинг состоится, организаторов задержат.", "задержат", M.HYPOTHETICAL, "Если"),
    ("ru", "Неужели задержали всех?", "задержали", M.QUESTION, "?"),
    ("az", "Polis beş nəfəri saxlayıb.", "saxlayıb", M.ASSERTED, ""),
    ("az", "Bildirilir ki, beş nəfər saxlanılıb.", "saxlanılıb", M.REPORTED, "Bildirilir"),
    ("az", "Beş nəfər saxlanılmayıb.", "saxlanılmayıb", M.NEGATED, "saxlanılmayıb"),
    (
        "az",
        "Nazirlik saxlanılma barədə məlumatı təkzib edib.",
        "saxlanılma",
        M.DENIED,
        "təkzib edib",
    ),
    ("az", "Onlar həbs oluna bilər.", "həbs", M.HYPOTHETICAL, "bilər"),
    ("az", "Guya beş nəfər həbs olunub.", "həbs", M.ALLEGED, "Guya"),
    ("az", "İddia edilir ki, beş nəfər həbs olunub.", "həbs", M.ALLEGED, "İddia edilir"),
    ("az", "Əgər aksiya keçirilsə, polis onları saxlayacaq.", "saxlayacaq", M.HYPOTHETICAL, "Əgər"),
]


@pytest.mark.parametrize(("lang", "text", "trigger", "modality", "cue"), CASES)
def test_modality(lang: str, text: str, trigger: str, modality: M, cue: str) -> None:
    start = text.index(trigger)
    assert sentence_modality(text, lang, start, start + len(trigger)) == (modality, cue)


def test_negation_scoped_to_its_clause() -> None:
    # "not" governs "confirm", not the detention in the next clause... which is reported.
    text = "Officials did not comment, but witnesses said 30 people were detained."
    start = text.index("detained")
    assert sentence_modality(text, "en", start, start + 8) == (M.REPORTED, "said")


def test_trigger_outside_text_is_asserted() -> None:
    assert sentence_modality("Police said.", "en", 50, 55) == (M.ASSERTED, "")


def test_negation_does_not_reach_into_an_embedded_question() -> None:
    # "not" negates the explaining; the deaths themselves are not denied.
    text = "Investigators have not explained how the two men died."
    at = text.index("died")
    assert sentence_modality(text, "en", at, at + 4)[0] is M.ASSERTED
    text = "Следователи не объяснили, как погибли двое мужчин."
    at = text.index("погибли")
    assert sentence_modality(text, "ru", at, at + 7)[0] is M.ASSERTED

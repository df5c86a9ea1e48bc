"""Temporal tagger: en/ru/az forms, anchoring, and the cases whose answer is "no date"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from triangulate.understand import timex
from triangulate.understand.timex import TimeNormaliser
from triangulate.understand.types import Anchor, TimeExpr, TimePrecision, TimexType

PUB = "2025-06-28"  # a Saturday


def one(text: str, lang: str = "en", pub: str | None = PUB) -> TimeExpr:
    found = TimeNormaliser(pub).find(text, lang)
    assert len(found) == 1, found
    return found[0]


def values(text: str, lang: str = "en", pub: str | None = PUB) -> list[str]:
    return [t.value for t in TimeNormaliser(pub).find(text, lang)]


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("It happened on 27 June 2025.", "en", "2025-06-27"),
        ("It happened June 27, 2025.", "en", "2025-06-27"),
        ("Police came yesterday.", "en", "2025-06-27"),
        ("They met on Friday.", "en", "2025-06-27"),
        ("Prices rose last week.", "en", "2025-W25"),
        ("The murder was 24 years ago.", "en", "2001"),
        ("It was built in 2001.", "en", "2001"),
        ("Sales grew this month.", "en", "2025-06"),
        ("It opened in summer 2025.", "en", "2025-SU"),
        ("Crime peaked in the 1990s.", "en", "199"),
        ("It was calm until now.", "en", "PRESENT_REF"),
        ("Это случилось вчера.", "ru", "2025-06-27"),
        ("Это случилось 27 июня.", "ru", "2025-06-27"),
        ("Это случилось 27 июня 2025 года.", "ru", "2025-06-27"),
        ("Завод построен в 2001 году.", "ru", "2001"),
        ("Он приехал в прошлую пятницу.", "ru", "2025-06-27"),
        ("Это было 24 года назад.", "ru", "2001"),
        ("Hadisə iyunun 27-də baş verib.", "az", "2025-06-27"),
        ("Hadisə 27 iyun 2025-ci il baş verib.", "az", "2025-06-27"),
        ("Bu, 2025-ci il idi.", "az", "2025"),
        ("Hadisə dünən baş verib.", "az", "2025-06-27"),
        ("2025-ci ilin iyun ayında", "az", "2025-06"),
        ("Bu 24 il əvvəl olub.", "az", "2001"),
    ],
)
def test_values(text: str, lang: str, value: str) -> None:
    assert one(text, lang).value == value


def test_late_june_has_mod_and_interval() -> None:
    t = one("Fighting resumed in late June 2025.")
    assert (t.text, t.value, t.mod) == ("late June 2025", "2025-06", "END")
    assert t.interval == ("2025-06-21", "2025-06-30")
    assert t.precision == TimePrecision.MONTH and t.anchor == Anchor.ABSOLUTE


def test_russian_end_of_month() -> None:
    t = one("Это случилось в конце июня.", "ru")
    assert (t.value, t.mod, t.text) == ("2025-06", "END", "конце июня")


def test_azerbaijani_end_of_month() -> None:
    t = one("Bu, iyunun sonunda olub.", "az")
    assert (t.value, t.mod) == ("2025-06", "END")


def test_extent_leaves_preposition_out() -> None:
    t = one("They met on June 30.")
    assert t.text == "June 30"
    assert t.anchor == Anchor.PUBLICATION


def test_unknown_year_is_kept_unknown() -> None:
    t = one("They met on June 30.", pub=None)
    assert t.value == "XXXX-06-30" and t.anchor == Anchor.NONE
    assert one("Он приехал 27 июня.", "ru", pub=None).value == "XXXX-06-27"
    assert one("iyunun 27-də", "az", pub=None).value == "XXXX-06-27"
    assert one("He left yesterday.", pub=None).value == "XXXX-XX-XX"
    assert one("That was 24 years ago.", pub=None).value == "XXXX"


@pytest.mark.parametrize(
    ("first", "second", "lang"),
    [
        ("The blast hit on 12 March 2024.", "That same day, police arrived.", "en"),
        ("Взрыв произошёл 12 марта 2024 года.", "В тот же день прибыла полиция.", "ru"),
        ("Partlayış 12 mart 2024-cü il baş verib.", "Həmin gün polis gəlib.", "az"),
    ],
)
def test_same_day_anchors_to_earlier_text_date(first: str, second: str, lang: str) -> None:
    normaliser = TimeNormaliser(PUB)
    assert [t.value for t in normaliser.find(first, lang)] == ["2024-03-12"]
    later = normaliser.find(second, lang, offset=100)
    assert len(later) == 1
    assert later[0].value == "2024-03-12" and later[0].anchor == Anchor.TEXT
    assert later[0].start >= 100


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Officials may resign.", "en"),
        ("We need help now.", "en"),
        ("A 24-year-old man was detained.", "en"),
        ("The 24-year-old murder suspect.", "en"),
        ("He is 24 years old.", "en"),
        ("May Smith was there.", "en"),
        ("Jan Egeland spoke.", "en"),
        ("Сейчас идёт дождь.", "ru"),
        ("İndi yağış yağır.", "az"),
        ("Ему 24 года.", "ru"),
    ],
)
def test_no_date(text: str, lang: str) -> None:
    assert TimeNormaliser(PUB).find(text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang", "value", "mod"),
    [
        ("It lasted three days.", "en", "P3D", ""),
        ("He ruled for nearly a quarter-century.", "en", "P25Y", "APPROX"),
        ("It took about five hours.", "en", "PT5H", "APPROX"),
        ("a two-week truce", "en", "P2W", ""),
        ("Бои шли в течение трёх дней.", "ru", "P3D", ""),
        ("Döyüşlər üç gündür davam edir.", "az", "P3D", ""),
    ],
)
def test_durations(text: str, lang: str, value: str, mod: str) -> None:
    t = one(text, lang)
    assert (t.type, t.value, t.mod) == (TimexType.DURATION, value, mod)


def test_sets() -> None:
    for text, lang in (
        ("Shelling goes on every day.", "en"),
        ("Обстрелы идут ежедневно.", "ru"),
        ("Atəş hər gün açılır.", "az"),
    ):
        t = one(text, lang)
        assert (t.type, t.value) == (TimexType.SET, "P1D")


def test_offsets_and_time_merge() -> None:
    found = TimeNormaliser(PUB).find("Shots at 14:20 on June 27 were heard.", "en", offset=10)
    assert len(found) == 1
    t = found[0]
    assert (t.type, t.value) == (TimexType.TIME, "2025-06-27T14:20")
    assert t.start == 10 + len("Shots at ")


def test_weekday_without_publication_keeps_weekday() -> None:
    assert one("They met on Friday.", pub=None).value == "XXXX-WXX-5"


def test_year_without_publication_is_still_absolute() -> None:
    t = one("It was built in 2001.", pub=None)
    assert (t.value, t.anchor, t.interval) == (
        "2001",
        Anchor.ABSOLUTE,
        ("2001-01-01", "2001-12-31"),
    )


# --------------------------------------------------------------------------- TempEval-3 tuning


@pytest.mark.parametrize(
    ("text", "pub", "value"),
    [
        # Weekdays: the nearest tense cue in the sentence decides the direction.
        ("The king met Monday with the envoy.", "1990-08-15", "1990-08-13"),
        ("The talks are set to resume Monday in Belfast.", "1998-03-22", "1998-03-23"),
        ("Officials postponed until Tuesday any action.", "2000-03-30", "2000-04-04"),
        # A bare month: the next two months are ahead, others behind unless future tense.
        ("Sales fell in March.", "1989-10-27", "1989-03"),
        ("The plant opens in November.", "1989-10-27", "1989-11"),
        ("The new model will ship in April.", "1998-12-05", "1999-04"),
        # Halves of a year.
        ("Growth slowed in the first half of 1990.", "1989-10-26", "1990-H1"),
        ("Profits rose in the second half of this year.", "1989-10-26", "1989-H2"),
    ],
)
def test_tempeval_english_rules(text: str, pub: str, value: str) -> None:
    assert one(text, pub=pub).value == value


def test_year_ago_follows_the_quarter_under_discussion() -> None:
    found = TimeNormaliser("1989-10-26").find(
        "Net income rose in the third quarter from a year earlier.", "en"
    )
    assert [t.value for t in found] == ["1989-Q3", "1988-Q3"]
    assert found[1].precision == TimePrecision.QUARTER


def test_year_ago_without_quarter_stays_a_year() -> None:
    assert one("Prices were lower a year ago.", pub="1989-10-26").value == "1988"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Earnings in the quarter rose.", "1989-Q3"),  # the last completed quarter
        ("Earnings in the latest quarter rose.", "1989-Q3"),
        ("Earnings beat the year-ago period.", "1988-Q3"),
        ("Earnings in the 1988 third quarter fell.", "1988-Q3"),
        ("Sales in this year's third quarter rose.", "1989-Q3"),
        ("Sales in next year's first quarter will rise.", "1990-Q1"),
    ],
)
def test_quarter_references(text: str, value: str) -> None:
    assert one(text, pub="1989-10-26").value == value


def test_the_period_alone_is_not_a_quarter() -> None:
    assert values("During the period, sales rose.", pub="1989-10-26") == []


@pytest.mark.parametrize(
    ("text", "pub", "type_", "value"),
    [
        # Whole numbers with a fraction: two units, as TimeBank writes them.
        ("She spent about 5 1/2 hours in Nairobi.", "1998-08-17", "DURATION", "PT5H30M"),
        ("They lived in camps for 2 1/2 years.", "1998-02-27", "DURATION", "P2Y6M"),
        ("Half an hour passed.", "1998-02-27", "DURATION", "PT30M"),
        # A month-day far ahead of the publication date in a past-tense sentence: last year's.
        ("The doctor was shot on Oct. 23 at home.", "1999-05-06", "DATE", "1998-10-23"),
        (
            "Investigators have been searching since the Oct. 23 slaying.",
            "1999-05-06",
            "DATE",
            "1998-10-23",
        ),
        # ...but a future-tense one, or one just ahead, stays ahead.
        ("The offer will expire Nov. 9.", "1989-11-02", "DATE", "1989-11-09"),
        # A weekday followed by the date and a colon is one expression.
        (
            "The Times said in an editorial on Monday, Oct. 26: no.",
            "1998-10-25",
            "DATE",
            "1998-10-26",
        ),
        # "current" is the present; vague recent/coming stretches are durations.
        ("The current weakness hurt shares.", "1989-10-30", "DATE", "PRESENT_REF"),
        ("Prices rose in recent months.", "1989-10-30", "DURATION", "PXM"),
        ("Rates may fall in coming weeks.", "1989-10-30", "DURATION", "PXW"),
        ("It will grow in the coming years.", "1989-10-30", "DURATION", "PXY"),
        ("Sales will slow in coming months.", "1989-10-30", "DATE", "FUTURE_REF"),
        # "for the year": the publication year; "the year ended ...": a twelve-month stretch.
        ("Sales for the full year rose.", "1989-10-30", "DATE", "1989"),
        ("It earned $5 million for the year ended March 31.", "1989-11-01", "DURATION", "P1Y"),
    ],
)
def test_tempeval_aquaint_rules(text: str, pub: str, type_: str, value: str) -> None:
    found = TimeNormaliser(pub).find(text, "en")
    first = found[0]
    assert (first.type.value, first.value) == (type_, value), found


def test_the_year_before_is_not_the_publication_year() -> None:
    assert values("Revenue was $450 million the year before.", pub="1998-09-07") == []
    # A year read out in words is that year, never the publication year.
    assert values("Unemployment will halve by the year two thousand.", pub="1998-02-05") == ["2000"]


def test_capitalised_ed_word_is_not_a_past_cue() -> None:
    # "United" must not make "would be traveling ... Thursday" a past reference.
    text = "He said the father would be traveling to the United States Thursday with his wife."
    assert values(text, pub="2000-04-05") == ["2000-04-06"]


# --------------------------------------------------------------------------- parts of the day


@pytest.mark.parametrize(
    ("text", "lang", "extent", "value", "part"),
    [
        ("They met on Friday night.", "en", "Friday night", "2025-06-27", "NI"),
        ("It rained this morning.", "en", "this morning", "2025-06-28", "MO"),
        (
            "Вечером 27 июня полиция задержала 50 человек.",
            "ru",
            "Вечером 27 июня",
            "2025-06-27",
            "EV",
        ),
        ("27 июня вечером начался рейд.", "ru", "27 июня вечером", "2025-06-27", "EV"),
        # "the night onto the 28th" is the night of the 27th.
        ("В ночь на 28 июня прошёл обыск.", "ru", "В ночь на 28 июня", "2025-06-27", "NI"),
        ("Утром в пятницу начался рейд.", "ru", "Утром в пятницу", "2025-06-27", "MO"),
        ("Этим утром начался рейд.", "ru", "Этим утром", "2025-06-28", "MO"),
        ("Прошлой ночью шёл обыск.", "ru", "Прошлой ночью", "2025-06-27", "NI"),
        # A sentence-initial month with the dotted capital İ.
        (
            "İyunun 27-si axşam polis 50 nəfəri saxlayıb.",
            "az",
            "İyunun 27-si axşam",
            "2025-06-27",
            "EV",
        ),
        ("30 iyun gecəsi polis reyd keçirib.", "az", "30 iyun gecəsi", "2025-06-30", "NI"),
        (
            "Reyd iyunun 27-də səhər saatlarında keçirilib.",
            "az",
            "iyunun 27-də səhər saatlarında",
            "2025-06-27",
            "MO",
        ),
        ("Bu səhər polis reyd keçirib.", "az", "Bu səhər", "2025-06-28", "MO"),
        ("Keçən gecə polis reyd keçirib.", "az", "Keçən gecə", "2025-06-27", "NI"),
    ],
)
def test_part_of_day_keeps_the_day_as_value(
    text: str, lang: str, extent: str, value: str, part: str
) -> None:
    # The value is the day (so it compares with other dates); the part is kept beside it.
    t = one(text, lang)
    assert (t.text, t.type, t.value, t.precision, t.part_of_day) == (
        extent,
        TimexType.DATE,
        value,
        TimePrecision.DAY,
        part,
    )


def test_part_of_day_without_publication_keeps_the_year_unknown() -> None:
    t = one("Вечером 27 июня полиция задержала 50 человек.", "ru", pub=None)
    assert (t.value, t.part_of_day, t.anchor) == ("XXXX-06-27", "EV", Anchor.NONE)
    # The night before a day of unknown year is not counted back: the day alone is kept.
    t = one("В ночь на 28 июня прошёл обыск.", "ru", pub=None)
    assert (t.text, t.value, t.part_of_day) == ("28 июня", "XXXX-06-28", "")


def test_no_part_of_day_across_a_sentence() -> None:
    t = one("Их задержали ночью. 27 июня их отпустили.", "ru")
    assert (t.text, t.part_of_day) == ("27 июня", "")


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("He left at 4 in the morning.", "en", "2025-06-28T04:00"),
        ("Рейд начался в 4 утра.", "ru", "2025-06-28T04:00"),
        ("Толпа разошлась около 10 часов вечера.", "ru", "2025-06-28T22:00"),
        ("Обыск начался в 2 часа ночи.", "ru", "2025-06-28T02:00"),
        ("Axşam saat 10-da polis gəldi.", "az", "2025-06-28T22:00"),
        ("Reyd iyunun 27-də səhər saat 6-da başlayıb.", "az", "2025-06-27T06:00"),
    ],
)
def test_hour_with_its_half_of_the_day(text: str, lang: str, value: str) -> None:
    t = one(text, lang)
    assert (t.type, t.value, t.precision) == (TimexType.TIME, value, TimePrecision.MINUTE)


@pytest.mark.parametrize(
    ("text", "lang", "word"),
    [
        ("We need help now.", "en", "now"),
        ("Сейчас идёт дождь.", "ru", "Сейчас"),
        ("Теперь всё иначе.", "ru", "Теперь"),
        ("İndi yağış yağır.", "az", "İndi"),
    ],
)
def test_now_is_reported_apart_from_the_dates(text: str, lang: str, word: str) -> None:
    normaliser = TimeNormaliser(PUB)
    assert normaliser.find(text, lang) == []
    (t,) = normaliser.non_dates
    assert (t.text, t.value, t.precision) == (word, "PRESENT_REF", TimePrecision.UNKNOWN)


# --------------------------------------------------------------------------- rule cues
# Each rule runs only on texts holding its cue words (timex._CUES); skipping must never
# change what is found. Compared here with running every rule, on real text in all three
# languages (the demo corpus and, when present, TempEval-3 documents).

_ROOT = Path(__file__).resolve().parents[1]
_TEMPEVAL = _ROOT.parent / "shared" / "bench" / "tempeval3" / "timex.aquaint.jsonl"
_CUE_SENTENCES = [
    ("en", "İt happened on Sept. 5, then every Monday night; the nineties, 5 p.m., year-end."),
    ("en", "In the summer of 1989, MAY 3, a week or so ago, $2 million a year, per hour."),
    ("ru", "ВЧЕРА, 27 ИЮНЯ 2025 ГОДА, в течение трёх кварталов; каждую среду в 14:20."),
    ("ru", "Летом 1999 года, в девяностые годы, 5 млн долларов в год, через два дня."),
    ("az", "İYUNUN 27-DƏ, 2025-ci ildə, hər cümə günü, 90-cı illərdə, ildə 5 milyon."),
    ("az", "Dünən saat 14:20-də, keçən həftə, üç rüb ərzində, bu gün səhər."),
    ("en", "At 4 in the morning (4 A.M. EDT Thursday), this evening, mid-afternoon Friday."),
    ("ru", "Вечером 27 июня, в ночь на 28 июня, этим утром, в 2 часа ночи; сейчас."),
    ("az", "İyunun 27-si axşam, 30 iyun gecəsi, bu səhər, axşam saat 10-da; indi."),
]


def _find_all(pairs: list[tuple[str, str]]) -> list[list[TimeExpr]]:
    return [TimeNormaliser("1999-10-20").find(text, lang) for lang, text in pairs]


def _corpus() -> list[tuple[str, str]]:
    pairs = list(_CUE_SENTENCES)
    for path in sorted((_ROOT / "examples").rglob("*")):
        if path.is_file() and path.suffix in (".txt", ".html", ".jsonl", ".md"):
            text = path.read_text("utf-8", errors="replace")
            pairs += [(lang, text) for lang in ("en", "ru", "az")]
    if _TEMPEVAL.is_file():
        lines = _TEMPEVAL.read_text("utf-8").splitlines()[:40]
        pairs += [("en", json.loads(line)["text"]) for line in lines]
    return pairs


def test_rule_cues_change_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    pairs = _corpus()
    assert len(pairs) > 20
    with_cues = _find_all(pairs)
    monkeypatch.setattr(timex._Rule, "may_match", lambda self, text, folded: True)
    assert _find_all(pairs) == with_cues
    assert sum(map(len, with_cues)) > 50  # the texts do hold time expressions


def test_rule_cues_skip_rules_on_texts_without_them() -> None:
    rules = {r.name: r for r in timex._rules("en")}
    text = "The committee met to discuss the budget."
    folded = timex._Folded(text)
    assert not rules["mon"].may_match(text, folded)  # no month name
    assert not rules["duration"].may_match(text, folded)  # no unit
    # A lower-case "may" is the modal verb: English month rules need a capital.
    text = "Prices may rise."
    assert not rules["md"].may_match(text, timex._Folded(text))
    text = "Prices rose in May."
    assert rules["md"].may_match(text, timex._Folded(text))


def test_every_rule_declares_its_cues() -> None:
    # A new rule must say what its matches contain (or be listed here as cue-free).
    named = {
        name for table in (timex._COMMON, timex._EN, timex._RU, timex._AZ) for name, *_ in table
    }
    assert named <= set(timex._CUES), sorted(named - set(timex._CUES))


def test_folding_matches_case_insensitive_regex() -> None:
    # Letters that re.IGNORECASE equates but str.lower() does not must fold together.
    assert timex._fold("İYUN") == "iyun"
    assert timex._fold("ıyun") == "iyun"
    assert timex._fold("ЁЛКА") == "елка"
    assert len(timex._fold("İstanbul, Bakı")) == len("İstanbul, Bakı")  # offsets kept

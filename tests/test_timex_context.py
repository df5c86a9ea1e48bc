"""Temporal tagger, English: tense cues, holidays, spoken years, text context and the
look-alikes that must stay untagged (fractions, amounts, clauses after "the day before")."""

from __future__ import annotations

import pytest

from triangulate.understand.timex import TimeNormaliser
from triangulate.understand.types import TimePrecision, TimexType


def found(text: str, pub: str | None) -> list[tuple[str, str]]:
    return [(t.text, t.value) for t in TimeNormaliser(pub).find(text, "en")]


def values(text: str, pub: str | None) -> list[str]:
    return [t.value for t in TimeNormaliser(pub).find(text, "en")]


def parts(text: str, pub: str | None) -> list[tuple[str, str]]:
    """(value, part of day): "Friday evening" is the Friday with part EV."""
    return [(t.value, t.part_of_day) for t in TimeNormaliser(pub).find(text, "en")]


# --------------------------------------------------------------------------- tense cues


@pytest.mark.parametrize(
    ("text", "pub", "value"),
    [
        # "next to" is a place, not a future cue: the Friday just past (pub is a Saturday).
        ("Bombs exploded next to the embassy on Friday.", "1998-08-08", "1998-08-07"),
        # A participle after "be" is passive, so "would" decides: the coming April.
        ("The ceremony would still be held at the summit on April 24.", "1999-02-10", "1999-04-24"),
        # A possessive weekday names an event already reported, whatever the clause says.
        ("They would look for ways around Wednesday's ruling.", "2000-01-07", "2000-01-05"),
        # "a.m." does not end the sentence, and the reporting verb after the quote is not
        # the quoted clause's tense.
        (
            "''He will leave early (4 a.m. EDT Thursday),'' Castro said.",
            "2000-04-05",
            "2000-04-06T04:00",
        ),
        # "planning to" looks ahead; the clause after "and" has its own tense.
        (
            "Protesters planned a march on Saturday and were planning to rally on Monday.",
            "2000-01-07",
            "2000-01-08",
        ),
    ],
)
def test_tense_cues(text: str, pub: str, value: str) -> None:
    assert values(text, pub)[0] == value


def test_planning_to_reads_forward() -> None:
    text = "Protesters planned a march on Saturday and were planning to rally on Monday."
    assert values(text, "2000-01-07") == ["2000-01-08", "2000-01-10"]


@pytest.mark.parametrize(
    ("text", "pub", "value"),
    [
        # A deadline or start date is ahead even inside a past-tense clause.
        ("The reduced dividend is payable Jan. 2 to holders.", "1989-11-02", "1990-01-02"),
        ("It created a new office, effective Feb. 1.", "1989-10-26", "1990-02-01"),
        ("They sought to pay down the loan by February.", "1989-10-30", "1990-02"),
        # Without such a word the past tense still wins.
        ("The index set a record high on Aug. 6.", "1998-02-06", "1998-08-06"),
        ("The company reported a loss in December.", "1998-03-04", "1997-12"),
    ],
)
def test_deadline_words_look_ahead(text: str, pub: str, value: str) -> None:
    assert values(text, pub) == [value]


# --------------------------------------------------------------------------- quarters


def test_year_earlier_adjective_follows_the_quarter() -> None:
    text = "Third-quarter profit fell, compared with year-earlier profit of $3.8 million."
    assert found(text, "1989-11-02") == [("Third-quarter", "1989-Q3"), ("year-earlier", "1988-Q3")]
    # No quarter under discussion: the year before.
    assert values("The year-ago results were restated.", "1989-11-02") == ["1988"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("In the comparable year-ago quarter, it lost money.", "1988-Q3"),
        (
            "Net income compares with $1.8 million for the corresponding period last year.",
            "1988-Q3",
        ),
    ],
)
def test_comparable_and_corresponding_periods(text: str, value: str) -> None:
    assert values(text, "1989-11-01") == [value]


def test_a_dated_period_does_not_replace_the_quarter_under_discussion() -> None:
    text = "It lost $195 million in the 1988 period. The year-ago results included a charge."
    # Counted from the publication's quarter, not from 1988-Q3 (which would give 1987-Q3).
    assert values(text, "1989-11-02") == ["1988-Q3", "1988"]


# --------------------------------------------------------------------------- holidays


@pytest.mark.parametrize(
    ("text", "pub", "value"),
    [
        ("The boy was found on Thanksgiving Day clinging to a tube.", "2000-01-07", "1999-11-25"),
        ("He was found in the Atlantic last Thanksgiving.", "2000-02-10", "1999-11-25"),
        ("Abortion will be a theme from now to Election Day.", "1998-10-26", "1998-11-03"),
        ("Protesters prayed as Easter week began.", "2000-04-17", "2000-W16"),
        ("The shops close on Christmas Day.", "2000-06-01", "1999-12-25"),
        ("The parade is on Memorial Day.", "2000-05-01", "2000-05-29"),
        ("It happened on Labor Day, 1995.", "2000-05-01", "1995-09-04"),
        ("Sales rose before Christmas.", "1998-01-08", "1997-12-25"),
    ],
)
def test_holidays(text: str, pub: str, value: str) -> None:
    assert values(text, pub) == [value]


def test_holiday_names_used_as_modifiers_are_not_dates() -> None:
    assert values("Christmas shopping and Easter eggs sold well.", "1998-01-08") == []
    assert values("thanksgiving for the harvest", "1998-01-08") == []


def test_holiday_without_publication_keeps_the_year_unknown() -> None:
    assert values("They met on Christmas Day.", None) == ["XXXX-12-25"]
    assert values("They met on Thanksgiving Day.", None) == ["XXXX-XX-XX"]


# --------------------------------------------------------------------------- clock


@pytest.mark.parametrize(
    ("text", "pub", "value"),
    [
        ("Negotiations broke off at noon Thursday.", "1998-02-13", "1998-02-12T12:00"),
        ("He appears in court at midday.", "1999-10-08", "1999-10-08T12:00"),
        ("The offer was extended until 5 p.m. EST Nov. 9.", "1989-11-02", "1989-11-09T17:00"),
    ],
)
def test_clock_words_and_time_zones(text: str, pub: str, value: str) -> None:
    (time,) = TimeNormaliser(pub).find(text, "en")
    assert (time.type, time.value) == (TimexType.TIME, value)


def test_a_part_of_day_takes_the_day_next_to_it() -> None:
    # "mid-afternoon" is no clock time: the day "yesterday" names, with the part kept.
    (t,) = TimeNormaliser("1989-11-02").find(
        "In London at mid-afternoon yesterday, shares rose.", "en"
    )
    assert (t.text, t.type, t.value, t.part_of_day) == (
        "mid-afternoon yesterday",
        TimexType.DATE,
        "1989-11-01",
        "AF",
    )
    assert t.precision is TimePrecision.DAY


@pytest.mark.parametrize(
    ("text", "pub", "value"),
    [
        # The hour said with its half of the day.
        ("He will leave at 4 in the morning.", "2000-04-05", "2000-04-05T04:00"),
        ("The curfew starts at 10 at night.", "2000-04-05", "2000-04-05T22:00"),
        ("They met at 3 in the afternoon.", "2000-04-05", "2000-04-05T15:00"),
        # A conversion in brackets or "local time" stands between the clock and its day.
        (
            "The blast occurred at about 10:35 a.m. (0735 GMT) Friday, toppling a building.",
            "1998-08-08",
            "1998-08-07T10:35",
        ),
        ("Polls will open at 9 a.m. local time Tuesday.", "2000-04-03", "2000-04-04T09:00"),
        # The bracketed restatement names the day.
        (
            "''He will leave at 4 in the morning (4 a.m. EDT Thursday),'' Castro said.",
            "2000-04-05",
            "2000-04-06T04:00",
        ),
    ],
)
def test_clock_dated_by_the_words_around_it(text: str, pub: str, value: str) -> None:
    assert values(text, pub)[0] == value


def test_not_a_clock() -> None:
    assert values("For the people of Poland, high noon comes soon.", "1999-03-12") == []
    assert values("Sales were little changed at 2.46 billion guilders.", "1989-11-02") == []


# --------------------------------------------------------------------------- look-alikes


def test_fractions_are_not_durations() -> None:
    assert values("Iraq imports about three-quarters of its food.", "1990-08-15") == []
    assert values("It holds more than a quarter of the market.", "1989-10-27") == []
    assert values("It turned a profit after several quarters of losses.", "1989-10-30") == ["PXQ"]


def test_the_day_before_a_clause_is_not_tagged() -> None:
    text = "He was last seen Nov. 3, the day before authorities issued a warrant."
    assert found(text, "1999-05-07") == [("Nov. 3", "1998-11-03")]
    text = "Nairobi later in the day before returning home."
    assert values(text, "1998-08-17") == []
    # Before a noun phrase it is still the day before the last date written.
    text = "He was seen Nov. 3 and left the day before the vote."
    assert values(text, "1999-05-07") == ["1998-11-03", "1998-11-02"]


# --------------------------------------------------------------------------- text context


def test_second_day_of_a_pair_shares_the_month() -> None:
    text = "The summit would be held on April 24 and 25."
    assert found(text, "1999-02-10") == [("April 24", "1999-04-24"), ("25", "1999-04-25")]
    assert values("Prices rose on March 3 and 4 percent later.", "2000-02-24") == ["2000-03-03"]


def test_the_week_of_a_date() -> None:
    text = "It may be resolved in a court hearing the week of March 6."
    assert values(text, "2000-02-24") == ["2000-W10"]


def test_that_year_and_the_following_month_count_from_the_text() -> None:
    text = "He fled in June 1998 and returned later that year. The following month he left."
    assert values(text, "2000-01-28") == ["1998-06", "1998", "1998-07"]
    text = "In 1995 he was made a general, and the following year an attache."
    assert values(text, "1998-04-18") == ["1995", "1996"]
    # Nothing written to count from: the year stays unknown rather than the publication's.
    assert values("Imports rose that year.", "1989-10-26") == ["XXXX"]


# --------------------------------------------------------------------------- years


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Atlanta, nineteen ninety-six. A bomb shocks the games.", "1996"),
        ("January nineteen ninety-seven. Atlanta again.", "1997-01"),
        ("The level we saw in the winter of nineteen ninety-four.", "1994-WI"),
        ("The approach of the year two thousand worries them.", "2000"),
        ("The building dates from nineteen hundred.", "1900"),
        ("Cuba won independence from Spain in 1898.", "1898"),
    ],
)
def test_spoken_and_old_years(text: str, value: str) -> None:
    assert values(text, "1998-02-27") == [value]


def test_counts_are_not_spoken_years() -> None:
    assert "2000" not in values("They kept secrets for more than two thousand years.", "1998")
    assert values("The index settled at 1678.5 points.", "1989-10-30") == []


def test_year_end() -> None:
    (end,) = TimeNormaliser("1989-11-02").find("It will close the deal by year-end.", "en")
    assert (end.value, end.mod) == ("1989", "END")
    assert values("The change is since year-end.", "1989-10-30") == ["1988"]
    assert values("It should be in place by year's end.", None) == ["XXXX"]


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("He will remain for at least two more weeks.", "P2W"),
        ("The loan may be extended for an additional year.", "P1Y"),
        ("It was a decades-long battle.", "PXDE"),
        ("They left their third day-long meeting.", "P1D"),
        ("Workers began a two-week-long strike.", "P2W"),
    ],
)
def test_more_durations(text: str, value: str) -> None:
    (duration,) = TimeNormaliser("2000-01-15").find(text, "en")
    assert (duration.type, duration.value) == (TimexType.DURATION, value)


def test_the_near_term() -> None:
    assert values("We don't minimize the challenges of the near term.", "1989-10-30") == [
        "FUTURE_REF"
    ]
    assert values("It predicts near-term earnings trouble.", "1989-10-30") == []


# --------------------------------------------------------------------------- error classes
# Classes found on TimeBank (train) and checked on AQUAINT (dev); each rule is general and
# tested in every language it applies to.


def typed(text: str, lang: str, pub: str | None) -> list[tuple[str, str, str]]:
    return [(t.text, t.type.value, t.value) for t in TimeNormaliser(pub).find(text, lang)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # A unit after an amount is a rate (TimeML SET), not a stretch of time.
        ("It will save $500 million a year in costs.", "en", [("a year", "SET", "P1Y")]),
        ("The flights add 700 seats a week.", "en", [("a week", "SET", "P1W")]),
        ("Guards stood there 24 hours a day.", "en", [("24 hours", "DURATION", "PT24H"), ("a day", "SET", "P1D")]),
        ("Air bags inflate at up to 200 miles per hour.", "en", [("per hour", "SET", "PT1H")]),
        ("Компания тратит 5 млн долларов в год на рекламу.", "ru", [("год", "SET", "P1Y")]),
        ("Поезд ходит два раза в неделю.", "ru", [("неделю", "SET", "P1W")]),
        ("Şirkət ildə 5 milyon manat itirir.", "az", [("ildə", "SET", "P1Y")]),
        # A recurrence on a weekday or in a month is a SET, never one date.
        ("The third flight departs each Thursday.", "en", [("each Thursday", "SET", "XXXX-WXX-4")]),
        ("They meet every Monday night.", "en", [("every Monday night", "SET", "XXXX-WXX-1TNI")]),
        ("Orangemen march each July.", "en", [("each July", "SET", "XXXX-07")]),
        ("Совет собирается каждую среду.", "ru", [("каждую среду", "SET", "XXXX-WXX-3")]),
        ("Yığıncaq hər cümə günü keçirilir.", "az", [("hər cümə günü", "SET", "XXXX-WXX-5")]),
        # Decades said in words, and Azerbaijani decades with their ordinal suffix.
        ("Hate groups grew through the nineties.", "en", [("the nineties", "DATE", "199")]),
        ("Это было в девяностые годы.", "ru", [("девяностые годы", "DATE", "199")]),
        ("Bu, 90-cı illərdə baş verib.", "az", [("90-cı illərdə", "DATE", "199")]),
    ],
)  # fmt: skip
def test_error_classes(text: str, lang: str, expected: list[tuple[str, str, str]]) -> None:
    assert typed(text, lang, "1999-10-20") == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The smallest gain in a year.", "en"),  # no amount before "a year": a duration
        ("Это случилось в год выборов.", "ru"),  # "в год" without an amount: not a rate
        ("Bu ildə çox hadisə olub.", "az"),  # "bu ildə" is this year, not "per year"
        ("Hər bazar açıqdır.", "az"),  # "hər bazar" is also "every market"
    ],
)
def test_no_rate_or_recurrence_without_its_cue(text: str, lang: str) -> None:
    assert all(t.type is not TimexType.SET for t in TimeNormaliser("1999-10-20").find(text, lang))


def test_a_plan_told_as_overtaken_is_past() -> None:
    # Written on Monday 1989-10-30: "had been due" and "as previously planned" point back.
    assert parts("It had been due to expire Friday evening.", "1989-10-30") == [
        ("1989-10-27", "EV")
    ]
    assert parts("The attack began as previously planned Saturday night.", "1991-02-25") == [
        ("1991-02-23", "NI")
    ]
    # The same plan still ahead is the coming Friday.
    assert parts("It is due to expire Friday evening.", "1989-10-30") == [("1989-11-03", "EV")]


def test_a_participle_after_a_determiner_is_no_past_tense() -> None:
    # "a still unspecified date" is an adjective; "would" sets the tense: next January.
    text = "It would be paid on a still unspecified date in January."
    assert values(text, "1989-10-26") == ["1990-01"]


def test_the_season_is_the_latest_one_begun() -> None:
    assert found("Sales slowed over the summer.", "1989-10-26") == [("the summer", "1989-SU")]
    assert found("It was cold in the winter.", "2000-01-15") == [("the winter", "1999-WI")]
    # The future tense looks ahead to the one not begun yet.
    assert found("Prices will rise in the spring.", "1998-02-06") == [("the spring", "1998-SP")]
    # Without a publication date the year stays unknown; a bare "summer" stays untagged.
    assert found("Sales slowed over the summer.", None) == [("the summer", "XXXX-SU")]
    assert found("They run a summer camp.", "1989-10-26") == []
    # "the fall of ..." and "the Summer Olympics" are no seasons.
    assert found("Since the fall of the Berlin Wall.", "1999-10-20") == []
    assert found("Athletes at the Summer Olympics.", "1999-10-20") == []


def test_will_one_day_is_future_and_a_hedged_ago_is_approximate() -> None:
    assert typed("Islam will one day be the second largest religion.", "en", "1998-03-03") == [
        ("one day", "DATE", "FUTURE_REF")
    ]
    assert typed("The strike lasted for one day.", "en", "1998-03-03") == [
        ("one day", "DURATION", "P1D")
    ]
    (ago,) = TimeNormaliser("1991-02-25").find("Then, a week or so ago, he left.", "en")
    assert (ago.text, ago.value, ago.mod) == ("a week or so ago", "1991-W08", "APPROX")


def test_fiscal_year_with_a_shift_is_that_year() -> None:
    text = "It expects sales in the current fiscal year to rise."
    assert found(text, "1989-11-02") == [("the current fiscal year", "1989")]


# --------------------------------------------------------------------------- TempEval-3 round 2


def test_bare_now_is_no_date_but_is_reported_apart() -> None:
    normaliser = TimeNormaliser("1998-09-07")
    found_ = normaliser.find("The embassy is now operating out of other offices.", "en")
    assert found_ == []  # the product's dates: bare "now" is none
    (now,) = normaliser.non_dates
    assert (now.text, now.value, now.start) == ("now", "PRESENT_REF", len("The embassy is "))
    # "until now" is a reference of its own: found, and not reported twice.
    normaliser = TimeNormaliser("1998-09-07")
    assert [t.text for t in normaliser.find("It was calm until now.", "en")] == ["now"]
    assert normaliser.non_dates == []
    # "Now, he says, ..." opens the sentence as a discourse marker: no time word.
    normaliser = TimeNormaliser("1998-09-07")
    normaliser.find("Now, he says, it looks different.", "en")
    assert normaliser.non_dates == []


def test_until_with_a_past_perfect_is_past() -> None:
    # Written on a Friday: "had not called" tells the span up to Thursday as past.
    assert values("Until Thursday, they had not called Kopp a suspect.", "1999-05-07") == [
        "1999-05-06"
    ]
    # "until" alone still looks ahead.
    assert parts("Officials postponed until Tuesday morning any action.", "2000-03-30") == [
        ("2000-04-04", "MO")
    ]


def test_same_day_after_a_month_keeps_the_month() -> None:
    text = "A doctor was killed last October. His name was crossed out that same day."
    assert found(text, "1999-02-06") == [
        ("last October", "1998-10"),
        ("that same day", "1998-10-XX"),
    ]
    # With nothing written before it, the day stays unknown.
    assert found("His name was crossed out that same day.", "1999-02-06") == [
        ("that same day", "XXXX-XX-XX")
    ]


def test_the_day_before_a_named_day_is_one_expression() -> None:
    text = "The day before last Tuesday's federal court hearing, he went home."
    assert found(text, "2000-02-24") == [("The day before last Tuesday", "2000-02-21")]
    assert found("He left the day after March 3, 2000.", "2000-03-10") == [
        ("the day after March 3, 2000", "2000-03-04")
    ]


def test_generic_today_is_no_day() -> None:
    assert found("Elian is for today's youth what the blockade was.", "2000-01-07") == []
    assert found("I would have chosen the people of tomorrow, he said.", "1989-11-02") == []
    # A specific event of the day stays the day.
    assert found("Today's vote was delayed.", "2000-01-07") == [("Today", "2000-01-07")]


def test_march_the_procession_and_programme_titles() -> None:
    assert found("Protesters joined the annual March for Life on Capitol Hill.", "1999-01-22") == []
    assert found("He led the ``March of the Combatant Mothers.''", "2000-01-15") == []
    assert found("The vote was held in March.", "1999-10-22") == [("March", "1999-03")]
    # Programme names written with capitals are no times.
    assert found("Gonzalez said on CBS's ''60 Minutes.''", "2000-04-17") == []
    assert found('Baker said on ABC\'s "This Week" that talks go on.', "1990-08-13") == []
    assert found("Baker said this week that talks go on.", "1990-08-13") == [
        ("this week", "1990-W33")
    ]


def test_year_ago_after_the_months_to_date_is_the_year() -> None:
    # After "the first nine months" the comparison is with last year's nine months.
    text = (
        "Net fell in the third quarter. For the first nine months, net rose to $5 million "
        "from $4 million a year earlier."
    )
    assert values(text, "1989-11-02")[-1] == "1988"
    # Right after the quarter it is last year's quarter.
    assert values("Net fell in the third quarter from a year earlier.", "1989-11-02")[-1] == (
        "1988-Q3"
    )

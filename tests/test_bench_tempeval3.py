"""TempEval-3 scorer on hand-made examples, and a regression floor on the dev split."""

from __future__ import annotations

from pathlib import Path

import pytest

from triangulate.bench.tempeval3 import (
    Document,
    Timex,
    _as_timeml,
    match_document,
    predict,
    read_tml,
    run,
    score,
    table,
)
from triangulate.understand.types import Anchor, TimeExpr, TimePrecision, TimexType

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "tempeval3"


def tx(start: int, end: int, type_: str = "DATE", value: str = "2025") -> Timex:
    return Timex(start, end, type_, value)


def test_exact_match_counts_strict_and_relaxed() -> None:
    counts = match_document([tx(0, 5)], [tx(0, 5)])
    assert (counts.strict, counts.relaxed, counts.value_ok, counts.type_ok) == (1, 1, 1, 1)


def test_overlap_is_relaxed_only() -> None:
    counts = match_document([tx(10, 20)], [tx(5, 12)])
    assert (counts.strict, counts.relaxed) == (0, 1)


def test_touching_spans_do_not_overlap() -> None:
    counts = match_document([tx(10, 20)], [tx(20, 25)])
    assert counts.relaxed == 0


def test_matching_is_one_to_one() -> None:
    # Two predictions inside one gold extent: only one may match it.
    counts = match_document([tx(0, 20)], [tx(0, 5), tx(10, 15)])
    assert counts.relaxed == 1
    # One prediction over two gold extents: it matches one of them.
    counts = match_document([tx(0, 5), tx(10, 15)], [tx(0, 20)])
    assert counts.relaxed == 1


def test_exact_match_is_preferred_over_overlap() -> None:
    # The exact pair must not be stolen by an earlier overlapping prediction.
    counts = match_document([tx(0, 10), tx(12, 20)], [tx(5, 14), tx(12, 20)])
    assert (counts.strict, counts.relaxed) == (1, 2)


def test_attribute_f1_is_relaxed_f1_times_accuracy() -> None:
    gold = [tx(0, 5, "DATE", "2025"), tx(10, 15, "DURATION", "P3D"), tx(30, 35)]
    pred = [tx(0, 5, "DATE", "2025"), tx(9, 15, "DATE", "P3D"), tx(50, 55)]
    result = score([(gold, pred)])
    # 2 relaxed matches of 3 gold / 3 predicted: P = R = F1 = 66.67.
    assert result["relaxed_f1"] == 66.67
    assert result["strict_f1"] == 33.33
    assert result["type_f1"] == 33.33  # one of the two matches has the right type
    assert result["value_f1"] == 66.67  # both have the right value
    assert result["gold"] == 3 and result["pred"] == 3


def test_empty_prediction_scores_zero() -> None:
    result = score([([tx(0, 5)], [])])
    assert result["relaxed_f1"] == 0.0 and result["relaxed_r"] == 0.0


def test_read_tml_strips_tags_and_keeps_offsets(tmp_path: Path) -> None:
    path = tmp_path / "doc.tml"
    path.write_text(
        '<?xml version="1.0" ?><TimeML><DOCID>d1</DOCID>'
        '<DCT><TIMEX3 tid="t0" type="DATE" value="1998-08-07" '
        'functionInDocument="CREATION_TIME">1998-08-07</TIMEX3></DCT>'
        "<TEXT>Bombs <EVENT>exploded</EVENT> on "
        '<TIMEX3 tid="t1" type="DATE" value="1998-08-07">Friday</TIMEX3> &amp; more.</TEXT>'
        "</TimeML>",
        "utf-8",
    )
    doc = read_tml(path)
    assert doc.dct == "1998-08-07"
    assert doc.text == "Bombs exploded on Friday & more."
    (timex,) = doc.timexes
    assert doc.text[timex.start : timex.end] == "Friday"
    assert (timex.type, timex.value) == ("DATE", "1998-08-07")
    result = run(tmp_path, "folder")
    assert result["docs"] == 1 and result["value_f1"] == 100.0
    assert "value F1" in table(result)


@pytest.mark.skipif(
    not (DATA / "TBAQ-cleaned" / "AQUAINT").is_dir(),
    reason=f"TempEval-3 data not found at {DATA} (../shared/bench/tempeval3)",
)
def test_dev_split_floor() -> None:
    result = run(DATA, "aquaint")
    assert result["docs"] == 73 and result["gold"] == 579
    # Measured on AQUAINT (dev): strict F1 86.80, relaxed F1 95.26, type F1 87.48,
    # value F1 79.70 (TimeBank train: 89.24 / 94.28 / 91.96 / 83.39). Floors: the first
    # measurement minus 1 point, raised to the new figure minus 0.5 where it improved;
    # regression floors, do not lower.
    assert result["strict_f1"] >= 86.30
    assert result["relaxed_f1"] >= 94.76
    assert result["type_f1"] >= 86.98
    assert result["value_f1"] >= 79.20


@pytest.mark.skipif(
    not (DATA / "TBAQ-cleaned" / "TimeBank").is_dir(),
    reason=f"TempEval-3 data not found at {DATA} (../shared/bench/tempeval3)",
)
def test_train_split_floor() -> None:
    result = run(DATA, "timebank")
    assert result["docs"] == 183 and result["gold"] == 1243
    # The rules are tuned on TimeBank: this floor (figure minus 0.5) keeps them tuned.
    assert result["value_f1"] >= 82.89
    assert result["strict_f1"] >= 88.74


def _expr(text: str, type_: TimexType, value: str, cue: str) -> TimeExpr:
    return TimeExpr(10, 10 + len(text), text, type_, value, TimePrecision.DAY, Anchor.TEXT, cue=cue)


def test_later_is_mapped_to_a_timeml_duration() -> None:
    # Ours: the date three days after the last one in the text. TimeML: "Three days" is a
    # DURATION, "later" a signal outside it.
    mapped = _as_timeml(_expr("Three days later", TimexType.DATE, "1989-10-15", "ago"))
    assert (mapped.start, mapped.end, mapped.type, mapped.value) == (10, 20, "DURATION", "P3D")
    assert mapped.text == "Three days"
    over = _as_timeml(_expr("over an hour later", TimexType.DATE, "1998-10-26", "ago"))
    assert (over.text, over.value) == ("over an hour", "PT1H")
    # "ago" and everything else is kept as it is.
    ago = _as_timeml(_expr("two years ago", TimexType.DATE, "1996", "ago"))
    assert (ago.text, ago.type, ago.value) == ("two years ago", "DATE", "1996")


def test_part_of_day_is_written_as_a_timeml_time() -> None:
    # Ours: the Friday with part_of_day NI (a date among dates). TimeML: TIME 1998-02-13TNI.
    night = TimeExpr(
        0,
        12,
        "Friday night",
        TimexType.DATE,
        "1998-02-13",
        TimePrecision.DAY,
        Anchor.PUBLICATION,
        cue="weekday",
        part_of_day="NI",
    )
    mapped = _as_timeml(night)
    assert (mapped.type, mapped.value, mapped.text) == ("TIME", "1998-02-13TNI", "Friday night")
    # A plain day stays a DATE.
    day = TimeExpr(
        0,
        6,
        "Friday",
        TimexType.DATE,
        "1998-02-13",
        TimePrecision.DAY,
        Anchor.PUBLICATION,
        cue="weekday",
    )
    assert (_as_timeml(day).type, _as_timeml(day).value) == ("DATE", "1998-02-13")


def test_bare_now_is_added_for_timeml_only() -> None:
    text = "Prices are now higher than on Friday night."
    doc = Document("d1", "1998-02-14", text, ())
    predicted = [(t.text, t.type, t.value) for t in predict(doc)]
    assert predicted == [("now", "DATE", "PRESENT_REF"), ("Friday night", "TIME", "1998-02-13TNI")]
    # Scored against TimeML gold that tags both, every value is right.
    gold = [
        Timex(text.index("now"), text.index("now") + 3, "DATE", "PRESENT_REF"),
        Timex(text.index("Friday"), len(text) - 1, "TIME", "1998-02-13TNI"),
    ]
    assert score([(gold, predict(doc))])["value_f1"] == 100.0

"""CAMEO dictionary loaders, the phrase matcher, the PETRARCH scorer and a dev floor."""

from __future__ import annotations

from pathlib import Path

import pytest

from triangulate.bench.petrarch2 import Coder, run, score, table
from triangulate.understand.cameo import (
    CameoDictionaryError,
    DatedCode,
    PhraseMatcher,
    is_event_code,
    load_actors,
    load_agents,
    load_discards,
    load_verbs,
    parse_date,
)

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "petrarch2"

ACTORS = """\
<!-- a comment
spanning lines -->
GONDOR [GON]
+MINAS_TIRITH
ARNOR_  [ARN] # trailing comment
THE_SHIRE  [FRO/BIL]
GOLLUM  # dated codes on their own lines
+SMEAGOL
\t[HOB < 950601]
\t[HOBGOV 19950601 - 19990815]
\t[HOBREB > 990816]
ZIMBABWE
\t[RHO <790606]
\t[ZBW]#jw
"""

AGENTS = """\
!PERSON! = MAN, MEN
POLICE {} [~COP]
BORDER_POLICE {} [~COP]
GOVERNMENT [~GOV]
MSF {} [NGO~]
CONGRESS!PERSON! [~LEG]
GOLDEN_GOOSE {GOLDEN_GEESE} [~GGS]
SECURITY_OFFICIALS [~GOV]
"""

VERBS = """\
&CURRENCY
+DOLLARS
+SWISS FRANCS

&MONEYISH
+&CURRENCY
+GOLD

--- CONTRIBUTE [070] ---
CONTRIBUTE   # comment
+DONATE
- * &CURRENCY [903]
- * RUPEES [071]

--- ARRIVE [032:033] ---
ARRIVE

--- BREAK [1717] ---
BREAK { BROKE BROKEN }
+BREAK_DOWN {+BROKE_DOWN}
- + * IN $ [075]

--- CLASH [223] ---
CLASH
- * OVER_EFFORTS [121]
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# ------------------------------------------------------------------ loaders


def test_actor_loader_codes_synonyms_and_dates(tmp_path: Path) -> None:
    actors = load_actors(_write(tmp_path, "a.txt", ACTORS))
    by_name = {a.phrases[0]: a for a in actors}
    assert by_name[("GONDOR",)].phrases == (("GONDOR",), ("MINAS", "TIRITH"))
    assert by_name[("ARNOR",)].codes_on(None) == ("ARN",)
    assert by_name[("THE", "SHIRE")].codes_on(None) == ("FRO", "BIL")
    gollum = by_name[("GOLLUM",)]
    assert gollum.codes_on(19900101) == ("HOB",)
    assert gollum.codes_on(19950601) == ("HOBGOV",)  # ranges are inclusive
    assert gollum.codes_on(19990816) == ()  # the gap between the ranges has no code
    assert gollum.codes_on(20000101) == ("HOBREB",)
    zim = by_name[("ZIMBABWE",)]
    assert zim.codes_on(19780101) == ("RHO",)
    assert zim.codes_on(19800101) == ("ZBW",)
    assert zim.codes_on(None) == ("ZBW",)


def test_dated_code_and_dates() -> None:
    assert parse_date("950601") == 19950601
    assert parse_date("080120") == 20080120
    assert DatedCode("X", 19950101, 19951231).applies(19950601)
    with pytest.raises(ValueError):
        parse_date("9506")


def test_agent_loader_plurals_macros_prefix(tmp_path: Path) -> None:
    agents = load_agents(_write(tmp_path, "g.txt", AGENTS))
    by_code = {}
    for a in agents:
        by_code.setdefault(a.code, []).extend(a.phrases)
    assert ("POLICES",) not in by_code["COP"]  # '{}' means no plural
    assert ("GOVERNMENTS",) in by_code["GOV"]
    assert ("CONGRESSMEN",) in by_code["LEG"]
    assert ("GOLDEN", "GEESE") in by_code["GGS"]
    msf = next(a for a in agents if a.code == "NGO")
    assert msf.prefix


def test_verb_loader_blocks_patterns_synsets(tmp_path: Path) -> None:
    verbs = load_verbs(_write(tmp_path, "v.txt", VERBS))
    assert set(verbs.synsets["MONEYISH"]) == {("DOLLARS",), ("SWISS", "FRANCS"), ("GOLD",)}
    by_words = {v.words: v for v in verbs.verbs}
    contribute = by_words[("CONTRIBUTE",)]
    assert contribute.code == "070"
    assert ("CONTRIBUTED",) in contribute.forms
    assert by_words[("DONATE",)].patterns == contribute.patterns
    assert [p.code for p in contribute.patterns][:1] == ["903"]
    assert ("BROKEN",) in by_words[("BREAK",)].forms
    assert ("BROKE", "DOWN") in by_words[("BREAK", "DOWN")].forms
    assert by_words[("ARRIVE",)].code == "032:033"
    clash = by_words[("CLASH",)].patterns[0]
    assert [(e.kind, e.text, e.adjacent) for e in clash.after] == [
        ("word", "OVER", False),
        ("word", "EFFORTS", True),
    ]
    brk = by_words[("BREAK",)].patterns[0]
    assert [e.kind for e in brk.before] == ["target"]
    assert [e.kind for e in brk.after] == ["word", "source"]


@pytest.mark.parametrize(
    ("loader", "text", "bad_line"),
    [
        (load_actors, "GONDOR [GON]\nARNOR [ARN\n", 2),
        (load_actors, "+ORPHAN_SYNONYM\n", 1),
        (load_actors, "GOLLUM\n\t[HOB 9506-990815]\n", 2),
        (load_agents, "POLICE [COP]\n", 1),
        (load_verbs, "--- ACT [100] ---\nACT\n- PLAIN WORDS [102]\n", 3),
        (load_verbs, "&SYN\nNOT_A_MEMBER\n", 2),
    ],
)
def test_malformed_line_names_file_and_line(
    tmp_path: Path, loader: object, text: str, bad_line: int
) -> None:
    path = _write(tmp_path, "bad.txt", text)
    with pytest.raises(CameoDictionaryError) as info:
        loader(path)  # type: ignore[operator]
    assert info.value.line_no == bad_line
    assert str(path) in str(info.value)
    assert f":{bad_line}:" in str(info.value)


def test_discards(tmp_path: Path) -> None:
    d = load_discards(_write(tmp_path, "d.txt", "YEARS LATER\n+World Golf Championships # x\n"))
    assert d.hit(["the", "World", "Golf", "Championships"])
    assert not d.hit(["the", "World", "Championships"])


def test_event_code() -> None:
    assert is_event_code("064") and is_event_code("1721")
    assert not is_event_code("---") and not is_event_code("+++") and not is_event_code("abc")


# ------------------------------------------------------------------ matcher


@pytest.fixture
def matcher(tmp_path: Path) -> PhraseMatcher:
    return PhraseMatcher(
        load_actors(_write(tmp_path, "a.txt", ACTORS)),
        load_agents(_write(tmp_path, "g.txt", AGENTS)),
    )


def test_matcher_longest_match_case_insensitive(matcher: PhraseMatcher) -> None:
    found = matcher.find(["minas", "tirith", "BORDER", "police", "arrived"])
    assert [(m.start, m.end, m.kind) for m in found] == [(0, 2, "actor"), (2, 4, "agent")]
    assert matcher.code(["Minas", "Tirith", "border", "police"]) == ["GONCOP"]


def test_matcher_combines_agents(matcher: PhraseMatcher) -> None:
    assert matcher.code(["Arnor", "police"]) == ["ARNCOP"]
    assert matcher.code(["MSF", "Arnor"]) == ["NGOARN"]
    assert matcher.code(["police"]) == ["---COP"]
    assert matcher.code(["Gondor", "polices"]) == ["GON"]  # no plural for POLICE {}
    assert matcher.code(["The", "Shire", "government"]) == ["FROGOV", "BILGOV"]


def test_matcher_dates(matcher: PhraseMatcher) -> None:
    assert matcher.code(["Smeagol"], 19900101) == ["HOB"]
    assert matcher.code(["Smeagol"], 19960101) == ["HOBGOV"]
    assert matcher.code(["Smeagol"], 20010101) == ["HOBREB"]


# ------------------------------------------------------------------ coder on a parse


def test_coder_on_parse(tmp_path: Path) -> None:
    d = tmp_path / "dictionaries"
    d.mkdir()
    _write(d, "T.actors.txt", ACTORS)
    _write(d, "T.agents.txt", AGENTS)
    _write(d, "T.verbs.txt", VERBS)
    coder = Coder.from_dir(d)
    parse = (
        "(ROOT (S (NP (NNP Gondor) (NN police)) (VP (VBD contributed) (NP (DT a) (NN million) "
        "(NNS dollars)) (PP (TO to) (NP (NNP Arnor)))) (. .)))"
    )
    assert coder.code(parse, 19950101) == {("GONCOP", "ARN", "903")}
    arrive = "(ROOT (S (NP (NNP Gondor)) (VP (VBD arrived) (PP (IN in) (NP (NNP Arnor)))) (. .)))"
    assert coder.code(arrive, None) == {("GON", "ARN", "032"), ("ARN", "GON", "033")}


# ------------------------------------------------------------------ scorer


def test_score_hand_made() -> None:
    pairs = [
        ({("A", "B", "064")}, {("A", "B", "064")}),  # right
        ({("A", "B", "064")}, {("A", "B", "061")}),  # root right, code wrong
        (set(), set()),  # no event expected, none produced: fully correct
        (set(), {("C", "D", "010")}),  # spurious
        ({("E", "F", "190"), ("F", "E", "190")}, {("E", "F", "190")}),  # half
    ]
    r = score(pairs)
    assert (r["tp"], r["fp"], r["fn"]) == (2, 2, 2)
    assert r["precision"] == 50.0 and r["recall"] == 50.0 and r["f1"] == 50.0
    assert r["sentences_fully_correct"] == 2 and r["fully_correct"] == 40.0
    assert r["root_accuracy"] == 75.0  # 3 of 4 gold triples have (src, tgt, root)
    assert "F1 %" in table(r)


# ------------------------------------------------------------------ dev floor


def test_dev_floor() -> None:
    if not (BENCH / "records.dev.jsonl").exists():
        pytest.skip(f"PETRARCH validation records not found at {BENCH}")
    r = run(BENCH, "dev")
    # Measured on dev (200 sentences, 241 gold triples): P 86.4, R 87.1, F1 86.8,
    # fully correct 83.5 %, root-code accuracy 87.1. Floors are measured minus 1 point.
    assert r["sentences"] == 200
    assert r["f1"] >= 85.8
    assert r["root_accuracy"] >= 86.1
    assert r["fully_correct"] >= 82.5

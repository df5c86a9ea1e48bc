"""Reproducible training of the stance model on FNC-1.

``train(Path("../shared/bench/fnc1"), out=Path("src/triangulate/data/stance_model.npz"))``
fits the IDF on the training headlines and bodies, the two MLP stages on the training
pairs, scores the two held-out splits and writes the model (+ JSON metadata).
Same data + same seed => byte-identical arrays.

The training split is "train-disjoint" (see ``triangulate.bench.fnc1``): the official
training part minus every pair whose headline or body belongs to a "dev-unseen" topic, so
that "dev-unseen" measures the model on stories it never saw, as the competition test
does. "dev" (held-out bodies) stays held out too.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from ..bench.fnc1 import evaluate, load_pairs
from .features import FeatureExtractor, Idf, relatedness_columns
from .model import MLP, RELATED, StanceModel, labels_from_proba

SEED = 1489
ENSEMBLE = 5
HELD_OUT = ("dev", "dev-unseen")
# Weight decay per stage, picked by topic-fold cross-validation on "train-disjoint" (each
# fold's topics held out in turn, as "dev-unseen" is): the stance stage gained about half
# a point of score from 1e-4 -> 1e-2 (it learns topic quirks otherwise); 3e-2 and above
# starved "disagree". The related stage gained 0.1 point from 1e-4 -> 1e-3 (within the
# spread between folds; kept as the safer, smoother fit).
RELATED_L2 = 1e-3
STANCE_L2 = 1e-2


def _matrix(extractor: FeatureExtractor, pairs: list[tuple[str, str, str]]) -> np.ndarray:
    return np.stack([extractor(h, b) for h, b, _ in pairs])


def _balanced_weights(y: np.ndarray, n_classes: int, power: float) -> np.ndarray:
    # Inverse frequency softened by ``power``: full inverse weighting over-predicts the
    # rare "disagree" and costs more weighted score than it wins in macro-F1.
    counts = np.bincount(y, minlength=n_classes).astype(np.float64)
    w = (counts.sum() / np.maximum(counts, 1.0) / n_classes) ** power
    return np.asarray(w / w[y].mean(), dtype=np.float64)


def fit(pairs: list[tuple[str, str, str]], *, seed: int = SEED) -> tuple[StanceModel, np.ndarray]:
    """Model trained on ``pairs``; also returns their feature matrix."""
    texts = list(dict.fromkeys(b for _, b, _ in pairs)) + list(
        dict.fromkeys(h for h, _, _ in pairs)
    )
    idf = Idf.fit(texts)
    extractor = FeatureExtractor(idf)
    x = _matrix(extractor, pairs)
    gold = [g for _, _, g in pairs]
    y_rel = np.array([0 if g == "unrelated" else 1 for g in gold])
    x_rel = x[:, relatedness_columns()]
    related = [
        MLP.fit(x_rel, y_rel, 2, hidden=32, epochs=30, l2=RELATED_L2, seed=seed + i)
        for i in range(ENSEMBLE)
    ]
    mask = y_rel == 1
    y_st = np.array([RELATED.index(g) for g in np.asarray(gold)[mask]])
    weights = _balanced_weights(y_st, 3, 0.3)
    # Small, briefly trained and strongly decayed (see STANCE_L2): in topic-fold CV,
    # 64 hidden units or 30 epochs moved stance accuracy by under 0.3 point, so the
    # smaller, faster net stays.
    stance = [
        MLP.fit(
            x[mask],
            y_st,
            3,
            hidden=32,
            epochs=20,
            l2=STANCE_L2,
            class_weight=weights,
            seed=seed + 100 + i,
        )
        for i in range(ENSEMBLE)
    ]
    model = StanceModel(idf, related, stance, {})
    model.extractor = extractor
    return model, x


def train(
    data: Path, *, out: Path, split: str = "train-disjoint", seed: int = SEED
) -> dict[str, Any]:
    """Train on ``split``, score the held-out splits ("dev", "dev-unseen"), save."""
    start = time.perf_counter()
    pairs = load_pairs(Path(data), split)
    model, _ = fit(pairs, seed=seed)
    fit_seconds = time.perf_counter() - start
    meta: dict[str, Any] = {
        "training_split": split,
        "training_pairs": len(pairs),
        "label_counts": dict(Counter(g for _, _, g in pairs)),
        "seed": seed,
    }
    scores: dict[str, Any] = {}
    for name in HELD_OUT:
        held = load_pairs(Path(data), name)
        pred = labels_from_proba(model.proba_from_features(_matrix(model.extractor, held)))
        scores[name] = evaluate([g for _, _, g in held], pred)
        key = name.replace("-", "_")
        meta[f"{key}_weighted_pct"] = round(scores[name]["weighted_pct"], 2)
        meta[f"{key}_macro_f1"] = round(scores[name]["macro_f1"], 4)
    # Only "train-disjoint" keeps both splits unseen; say so when another split was used.
    meta["held_out_note"] = (
        "dev and dev-unseen held out"
        if split == "train-disjoint"
        else f"trained on {split!r}: dev-unseen (and dev unless split is 'train') was seen"
    )
    model.meta = meta
    model.save(Path(out))
    return {
        "fit_seconds": fit_seconds,
        "total_seconds": time.perf_counter() - start,
        "dev": scores["dev"],
        "dev_unseen": scores["dev-unseen"],
        "model_bytes": Path(out).stat().st_size,
    }

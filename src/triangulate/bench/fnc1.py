"""FNC-1 stance benchmark for ``triangulate.stance``.

Splits: "dev" (``train_stances.dev.csv`` with ``train_bodies.csv``: the official baseline's
hold-out, split by body), "train" (``train_stances.train.csv``), or "test" (``data`` holds
``competition_test_stances.csv`` and ``competition_test_bodies.csv``).

Scores with the official weighted metric (+0.25 for a correct "unrelated"; for a related
gold pair +0.25 when predicted related and +0.75 more when the label is exact), reported
as score / max in %, plus per-class P/R/F1, macro-F1 over the four classes and the
confusion matrix; the all-"unrelated" majority reference is scored in the same run.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

LABELS = ("agree", "disagree", "discuss", "unrelated")
_FILES = {
    "train": ("train_stances.train.csv", "train_bodies.csv"),
    "dev": ("train_stances.dev.csv", "train_bodies.csv"),
    "all": ("train_stances.csv", "train_bodies.csv"),
    "test": ("competition_test_stances.csv", "competition_test_bodies.csv"),
}


def load_pairs(data: Path, split: str) -> list[tuple[str, str, str]]:
    """(headline, body text, gold stance) for every pair of ``split``."""
    if split not in _FILES:
        raise ValueError(f"unknown FNC-1 split {split!r}; expected one of {sorted(_FILES)}")
    stances_name, bodies_name = _FILES[split]
    data = Path(data)
    with (data / bodies_name).open(encoding="utf-8", newline="") as fh:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(fh)}
    with (data / stances_name).open(encoding="utf-8", newline="") as fh:
        return [
            (row["Headline"], bodies[row["Body ID"]], row["Stance"]) for row in csv.DictReader(fh)
        ]


def weighted_score(gold: Sequence[str], pred: Sequence[str]) -> tuple[float, float]:
    """(score, max score) of the official FNC-1 metric."""
    score = best = 0.0
    for g, p in zip(gold, pred, strict=True):
        if g == "unrelated":
            best += 0.25
            score += 0.25 if p == "unrelated" else 0.0
        else:
            best += 1.0
            if p != "unrelated":
                score += 0.25
                if p == g:
                    score += 0.75
    return score, best


def confusion(gold: Sequence[str], pred: Sequence[str]) -> list[list[int]]:
    """Rows = gold, columns = predicted, both in ``LABELS`` order."""
    index = {label: i for i, label in enumerate(LABELS)}
    matrix = [[0] * len(LABELS) for _ in LABELS]
    for g, p in zip(gold, pred, strict=True):
        matrix[index[g]][index[p]] += 1
    return matrix


def evaluate(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    score, best = weighted_score(gold, pred)
    matrix = confusion(gold, pred)
    per_class: dict[str, dict[str, float]] = {}
    for i, label in enumerate(LABELS):
        tp = matrix[i][i]
        predicted = sum(row[i] for row in matrix)
        actual = sum(matrix[i])
        p = tp / predicted if predicted else 0.0
        r = tp / actual if actual else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per_class[label] = {"precision": p, "recall": r, "f1": f, "support": actual}
    n = len(gold)
    return {
        "score": score,
        "max_score": best,
        "weighted_pct": 100.0 * score / best if best else 0.0,
        "macro_f1": sum(c["f1"] for c in per_class.values()) / len(LABELS),
        "accuracy": sum(matrix[i][i] for i in range(len(LABELS))) / n if n else 0.0,
        "per_class": per_class,
        "confusion": matrix,
    }


def run(data: Path, split: str, *, limit: int | None = None) -> dict[str, Any]:
    """Score the shipped stance model on ``split``; ``limit`` keeps the first N pairs."""
    from ..stance.model import StanceModel

    pairs = load_pairs(data, split)
    if limit is not None:
        pairs = pairs[:limit]
    model = StanceModel.default()
    start = time.perf_counter()
    pred = model.predict_many([(h, b) for h, b, _ in pairs])
    seconds = time.perf_counter() - start
    gold = [g for _, _, g in pairs]
    return {
        "split": split,
        "pairs": len(pairs),
        "seconds": seconds,
        "model": evaluate(gold, pred),
        "majority": evaluate(gold, ["unrelated"] * len(gold)),
        "model_meta": {k: v for k, v in model.meta.items() if k != "feature_names"},
    }


def table(result: dict[str, Any]) -> str:
    lines = [
        f"FNC-1 {result['split']}: {result['pairs']} pairs, {result['seconds']:.1f} s",
        f"{'system':<10} {'weighted %':>10} {'macro-F1':>9} {'accuracy':>9}  "
        + "  ".join(f"{label[:9]:>9}" for label in LABELS)
        + "  (F1)",
    ]
    for name in ("model", "majority"):
        ev = result[name]
        lines.append(
            f"{name:<10} {ev['weighted_pct']:>10.2f} {ev['macro_f1']:>9.3f} {ev['accuracy']:>9.3f}  "
            + "  ".join(f"{ev['per_class'][label]['f1']:>9.3f}" for label in LABELS)
        )
    ev = result["model"]
    lines.append(
        "model per class: "
        + ", ".join(
            f"{label} P={c['precision']:.3f} R={c['recall']:.3f} n={c['support']}"
            for label, c in ev["per_class"].items()
        )
    )
    lines.append("confusion (rows gold, cols predicted: " + " ".join(LABELS) + ")")
    for label, row in zip(LABELS, ev["confusion"], strict=True):
        lines.append(f"  {label:<10} " + " ".join(f"{n:>6}" for n in row))
    return "\n".join(lines)

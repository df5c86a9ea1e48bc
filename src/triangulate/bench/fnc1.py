"""FNC-1 stance benchmark for ``triangulate.stance``.

Splits:

- "dev": ``train_stances.dev.csv`` with ``train_bodies.csv``, the official baseline's
  hold-out, split by body. Every dev headline also occurs in training, so it overstates
  how the model does on new stories.
- "dev-unseen": the honest split. Headlines and bodies are grouped into topics (connected
  components of the related, i.e. agree/disagree/discuss, pairs of ``train_stances.csv``);
  one topic fold in ``TOPIC_FOLDS`` is held out, so neither its headlines nor its bodies
  reach training, as in the competition test. It holds every related pair of those
  topics, and each of their headlines keeps as many unrelated pairs as it has in FNC-1:
  the ones whose body is also held out, plus replacements drawn deterministically among
  held-out bodies of other topics (FNC-1 made its unrelated pairs the same way, by
  pairing a headline with bodies of other claims), so the label mix matches FNC-1.
  7,545 pairs (264 headlines, 265 bodies; 607 agree, 153 disagree, 1,212 discuss,
  5,573 unrelated). Only a model trained on "train-disjoint" (the default of
  ``triangulate train stance``) has not seen it; ``run`` warns otherwise.
- "train": ``train_stances.train.csv``; "train-disjoint": the "train" pairs whose headline
  and body are both outside the "dev-unseen" topics (what the shipped model trains on);
  "all": ``train_stances.csv``; "test": ``data`` holds ``competition_test_stances.csv``
  and ``competition_test_bodies.csv``.

Scores with the official weighted metric (+0.25 for a correct "unrelated"; for a related
gold pair +0.25 when predicted related and +0.75 more when the label is exact), reported
as score / max in %, plus per-class P/R/F1, macro-F1 over the four classes and the
confusion matrix; the all-"unrelated" majority reference is scored in the same run.
"""

from __future__ import annotations

import csv
import time
import zlib
from collections import Counter
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


# Topic folds for the unseen-story splits. Six folds hold out about a sixth of the 191
# topics (1,972 related pairs, 153 of them disagree) while training keeps ~5/6 of the
# related pairs and ~(5/6)^2 of the unrelated ones (an unrelated pair is lost when either
# side is held out): "train-disjoint" has 30,011 of the 40,350 "train" pairs.
TOPIC_FOLDS = 6
UNSEEN_FOLD = 0
_DERIVED = ("dev-unseen", "train-disjoint")
_HONEST_TRAINING = "train-disjoint"

Row = tuple[str, str, str]  # (headline, body id, stance)


def _read(data: Path, stances_name: str, bodies_name: str) -> tuple[list[Row], dict[str, str]]:
    with (data / bodies_name).open(encoding="utf-8", newline="") as fh:
        bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(fh)}
    with (data / stances_name).open(encoding="utf-8", newline="") as fh:
        rows = [(row["Headline"], row["Body ID"], row["Stance"]) for row in csv.DictReader(fh)]
    return rows, bodies


def _key(headline: str, body_id: str) -> int:
    # A stable pseudo-random rank (crc32, not hash(): str hashes are salted per process).
    return zlib.crc32(f"{headline}\x00{body_id}".encode())


def topics(rows: Sequence[Row]) -> tuple[dict[str, int], dict[str, int]]:
    """Topic number of every headline and every body id of ``rows``.

    A topic is a connected component of headlines and bodies linked by related pairs.
    Topics are numbered in order of their share of "disagree" pairs (then size, then
    smallest body id); ``fold`` deals them out so the rare class is spread over all folds.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for headline, body_id, stance in rows:
        a, b = find("h" + headline), find("b" + body_id)
        if stance != "unrelated" and a != b:
            parent[max(a, b)] = min(a, b)
    members: dict[str, list[str]] = {}
    for node in list(parent):
        members.setdefault(find(node), []).append(node)
    labels: dict[str, Counter[str]] = {root: Counter() for root in members}
    for headline, _, stance in rows:
        if stance != "unrelated":
            labels[find("h" + headline)][stance] += 1

    def rank(root: str) -> tuple[float, int, tuple[int, str]]:
        c = labels[root]
        related = sum(c.values())
        # Smallest body id in numeric order (ids are digit strings), as a tie-breaker.
        ids = [(len(n), n[1:]) for n in members[root] if n[0] == "b"] or [(0, "")]
        return (c["disagree"] / max(1, related), related, min(ids))

    heads: dict[str, int] = {}
    body_topics: dict[str, int] = {}
    for number, root in enumerate(sorted(members, key=rank)):
        for node in members[root]:
            (heads if node[0] == "h" else body_topics)[node[1:]] = number
    return heads, body_topics


def fold(topic: int) -> int:
    """Topic fold of topic number ``topic``.

    Dealt back and forth (0..5, 5..0, ...) rather than round-robin: round-robin would give
    fold 0 the lowest disagree share of every block of six topics.
    """
    turn, place = divmod(topic, TOPIC_FOLDS)
    return place if turn % 2 == 0 else TOPIC_FOLDS - 1 - place


def unseen_rows(rows: Sequence[Row], held_fold: int = UNSEEN_FOLD) -> list[Row]:
    """The pairs of topic fold ``held_fold``, as described for "dev-unseen" above."""
    heads, body_topics = topics(rows)
    held = {t for t in set(heads.values()) if fold(t) == held_fold}
    held_bodies = sorted(b for b, t in body_topics.items() if t in held)
    out = [r for r in rows if heads[r[0]] in held and body_topics[r[1]] in held]
    wanted = Counter(h for h, _, s in rows if s == "unrelated")
    kept = Counter(h for h, _, s in out if s == "unrelated")
    paired: dict[str, set[str]] = {}
    for h, b, _ in rows:
        paired.setdefault(h, set()).add(b)
    for h in sorted(wanted):
        missing = wanted[h] - kept[h]
        if heads[h] not in held or missing <= 0:
            continue
        candidates = [b for b in held_bodies if body_topics[b] != heads[h] and b not in paired[h]]
        candidates.sort(key=lambda b: (_key(h, b), b))
        out += [(h, b, "unrelated") for b in candidates[:missing]]
    # Shuffled by a fixed hash so that ``--limit N`` takes a fair sample of the split.
    out.sort(key=lambda r: (_key(r[0], r[1]), r))
    return out


def disjoint_rows(rows: Sequence[Row], everything: Sequence[Row], held: int) -> list[Row]:
    """``rows`` whose headline and body both lie outside topic fold ``held``."""
    heads, body_topics = topics(everything)
    return [r for r in rows if fold(heads[r[0]]) != held and fold(body_topics[r[1]]) != held]


def load_pairs(data: Path, split: str) -> list[tuple[str, str, str]]:
    """(headline, body text, gold stance) for every pair of ``split``."""
    if split not in _FILES and split not in _DERIVED:
        known = sorted([*_FILES, *_DERIVED])
        raise ValueError(f"unknown FNC-1 split {split!r}; expected one of {known}")
    data = Path(data)
    if split in _FILES:
        rows, bodies = _read(data, *_FILES[split])
    else:
        everything, bodies = _read(data, *_FILES["all"])
        if split == "dev-unseen":
            rows = unseen_rows(everything)
        else:
            train, _ = _read(data, *_FILES["train"])
            rows = disjoint_rows(train, everything, UNSEEN_FOLD)
    return [(h, bodies[b], s) for h, b, s in rows]


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
    result: dict[str, Any] = {
        "split": split,
        "pairs": len(pairs),
        "seconds": seconds,
        "model": evaluate(gold, pred),
        "majority": evaluate(gold, ["unrelated"] * len(gold)),
        "model_meta": {k: v for k, v in model.meta.items() if k != "feature_names"},
    }
    trained_on = model.meta.get("training_split")
    if split == "dev-unseen" and trained_on != _HONEST_TRAINING:
        result["warning"] = (
            f"the model was trained on {trained_on!r}, not {_HONEST_TRAINING!r}: "
            "it has seen dev-unseen headlines or bodies, so this score overstates"
        )
    return result


def table(result: dict[str, Any]) -> str:
    lines = [
        f"FNC-1 {result['split']}: {result['pairs']} pairs, {result['seconds']:.1f} s",
        *([f"warning: {result['warning']}"] if "warning" in result else []),
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

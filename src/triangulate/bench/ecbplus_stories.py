"""ECB+ story clustering benchmark: online `StoryClusterer` against a batch reference.

Gold story = ECB+ sub-topic (one seminal event). Documents are fed to the clusterer in
file order, as they would arrive in a stream, then `refine()` runs once ("ours"). The
product calls `refine()` every so often instead; "ours (refine every N)" runs it every
REFINE_EVERY documents and once at the end, to show that mode scores as well. The
reference is the README's baseline
re-implemented here (TF-IDF, cosine, average-link agglomerative, one threshold tuned on
dev) so both are scored in the same run on the same documents.

Metrics are implemented here (ARI, V-measure, B3) so the benchmark needs only numpy.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from triangulate.link.stories import StoryClusterer

# Reference threshold on average-link cosine similarity: clusters merge while their average
# pairwise similarity is at least this. Tuned on dev only (grid 0.06..0.28): dev ARI peaks
# sharply at 0.22 (0.882; 0.807 at 0.21, 0.866 at 0.23), so the reference is a little lucky.
REFERENCE_THRESHOLD = 0.22

# How often the periodic variant refines: a few times per split of ECB+ (dev has 197
# documents), like a product that refines after each batch of ingested documents.
REFINE_EVERY = 50

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def load_docs(data: Path, split: str) -> list[dict[str, Any]]:
    """Documents of `split` from the folder `data`, or from `data` itself when it is a file."""
    path = data if data.is_file() else data / f"docs.{split}.jsonl"
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# --- metrics ---------------------------------------------------------------------------


def _comb2(n: float) -> float:
    return n * (n - 1) / 2.0


def _contingency(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> Counter[tuple[Any, Any]]:
    if len(gold) != len(pred):
        raise ValueError("gold and pred differ in length")
    return Counter(zip(gold, pred, strict=True))


def adjusted_rand_index(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """Hubert-Arabie ARI; 1.0 for identical partitions, ~0 for chance agreement."""
    n = len(gold)
    table = _contingency(gold, pred)
    sum_cells = sum(_comb2(v) for v in table.values())
    sum_gold = sum(_comb2(v) for v in Counter(gold).values())
    sum_pred = sum(_comb2(v) for v in Counter(pred).values())
    total = _comb2(n)
    if total == 0:
        return 1.0
    expected = sum_gold * sum_pred / total
    maximum = (sum_gold + sum_pred) / 2.0
    if maximum == expected:
        # Both partitions trivial (all-in-one or all-singletons) in the same way: sklearn
        # convention is perfect agreement.
        return 1.0
    return (sum_cells - expected) / (maximum - expected)


def _entropy(counts: Sequence[int], n: int) -> float:
    return -sum((c / n) * math.log(c / n) for c in counts if c)


def v_measure(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[float, float, float]:
    """(homogeneity, completeness, V) as in Rosenberg & Hirschberg 2007 (beta = 1)."""
    n = len(gold)
    if n == 0:
        return 1.0, 1.0, 1.0
    table = _contingency(gold, pred)
    gold_counts = Counter(gold)
    pred_counts = Counter(pred)
    h_gold = _entropy(list(gold_counts.values()), n)
    h_pred = _entropy(list(pred_counts.values()), n)
    # Conditional entropies H(C|K) and H(K|C) from the contingency table.
    h_gold_given_pred = -sum((v / n) * math.log(v / pred_counts[p]) for (_, p), v in table.items())
    h_pred_given_gold = -sum((v / n) * math.log(v / gold_counts[g]) for (g, _), v in table.items())
    homogeneity = 1.0 if h_gold == 0 else 1.0 - h_gold_given_pred / h_gold
    completeness = 1.0 if h_pred == 0 else 1.0 - h_pred_given_gold / h_pred
    if homogeneity + completeness == 0:
        return homogeneity, completeness, 0.0
    v = 2 * homogeneity * completeness / (homogeneity + completeness)
    return homogeneity, completeness, v


def b_cubed(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[float, float, float]:
    """(precision, recall, F1) of B3 over items (Bagga & Baldwin 1998)."""
    n = len(gold)
    if n == 0:
        return 1.0, 1.0, 1.0
    table = _contingency(gold, pred)
    gold_counts = Counter(gold)
    pred_counts = Counter(pred)
    # Each item in cell (g, p) has precision v/|p| and recall v/|g|; a cell holds v items.
    precision = sum(v * v / pred_counts[p] for (_, p), v in table.items()) / n
    recall = sum(v * v / gold_counts[g] for (g, _), v in table.items()) / n
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return precision, recall, f1


def score(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> dict[str, float]:
    h, c, v = v_measure(gold, pred)
    p, r, f = b_cubed(gold, pred)
    return {
        "ari": adjusted_rand_index(gold, pred),
        "homogeneity": h,
        "completeness": c,
        "v": v,
        "b3_p": p,
        "b3_r": r,
        "b3_f": f,
        "clusters": float(len(set(pred))),
    }


# --- reference: batch TF-IDF + average-link --------------------------------------------


def _tfidf_matrix(texts: Sequence[str]) -> np.ndarray:
    docs = [Counter(t.lower() for t in _TOKEN.findall(text)) for text in texts]
    vocab: dict[str, int] = {}
    for d in docs:
        for term in d:
            vocab.setdefault(term, len(vocab))
    mat = np.zeros((len(docs), len(vocab)), dtype=np.float64)
    for i, d in enumerate(docs):
        for term, tf in d.items():
            mat[i, vocab[term]] = 1.0 + math.log(tf)
    df = (mat > 0).sum(axis=0)
    mat *= np.log((1 + len(docs)) / (1 + df)) + 1.0
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return mat / norms


def reference_clusters(texts: Sequence[str], threshold: float = REFERENCE_THRESHOLD) -> list[int]:
    """Average-link agglomerative clustering over cosine similarity, stopping at `threshold`.

    O(n^3) in the worst case and all-pairs: acceptable for a few hundred documents, which is
    why it is only a reference and not the product.
    """
    n = len(texts)
    if n == 0:
        return []
    x = _tfidf_matrix(texts)
    sums = x @ x.T  # sum of pairwise similarities between clusters (singletons to start)
    sizes = np.ones(n)
    active = np.ones(n, dtype=bool)
    labels = list(range(n))
    while True:
        avg = sums / np.outer(sizes, sizes)
        mask = np.outer(active, active)
        np.fill_diagonal(mask, False)
        avg = np.where(mask, avg, -np.inf)
        flat = int(np.argmax(avg))
        i, j = divmod(flat, n)
        if not np.isfinite(avg[i, j]) or avg[i, j] < threshold:
            break
        # Merge j into i: similarity sums add, which keeps average-link exact (Lance-Williams).
        sums[i, :] += sums[j, :]
        sums[:, i] += sums[:, j]
        sizes[i] += sizes[j]
        active[j] = False
        labels = [i if lab == j else lab for lab in labels]
    return labels


# --- run --------------------------------------------------------------------------------


def run(data: Path, split: str, *, limit: int | None = None) -> dict[str, Any]:
    """Cluster the documents of `split` online and with the reference; score both."""
    docs = load_docs(data, split)
    if limit is not None:
        docs = docs[:limit]
    gold = [str(d["subtopic"]) for d in docs]
    texts = [str(d["text"]) for d in docs]

    clusterer = StoryClusterer()
    start = time.perf_counter()
    for d in docs:
        clusterer.add(str(d["doc_id"]), str(d["text"]))
    online_s = time.perf_counter() - start
    online = [clusterer.story_of(str(d["doc_id"])) for d in docs]
    clusterer.refine()
    refine_s = time.perf_counter() - start - online_s
    refined = [clusterer.story_of(str(d["doc_id"])) for d in docs]
    total_s = online_s + refine_s

    periodic = StoryClusterer()
    for i, d in enumerate(docs, 1):
        periodic.add(str(d["doc_id"]), str(d["text"]))
        if i % REFINE_EVERY == 0:
            periodic.refine()
    periodic.refine()
    every = [periodic.story_of(str(d["doc_id"])) for d in docs]

    start = time.perf_counter()
    ref = reference_clusters(texts)
    ref_s = time.perf_counter() - start

    return {
        "split": split,
        "documents": len(docs),
        "gold_stories": len(set(gold)),
        "ours": score(gold, refined),
        "ours_online": score(gold, online),
        "ours_periodic": score(gold, every),
        "refine_every": REFINE_EVERY,
        "reference": score(gold, ref),
        "reference_threshold": REFERENCE_THRESHOLD,
        "docs_per_s": len(docs) / total_s if total_s > 0 else float("inf"),
        "reference_docs_per_s": len(docs) / ref_s if ref_s > 0 else float("inf"),
    }


def table(result: dict[str, Any]) -> str:
    lines = [
        f"ECB+ story clustering, split={result['split']}, documents={result['documents']}, "
        f"gold stories={result['gold_stories']}",
        f"{'system':<25}{'ARI':>7}{'V':>7}{'hom':>7}{'com':>7}{'B3-P':>7}{'B3-R':>7}"
        f"{'B3-F':>7}{'#cl':>6}",
    ]
    for name, key in (
        ("ours (online+refine)", "ours"),
        ("ours (online only)", "ours_online"),
        (f"ours (refine every {result['refine_every']})", "ours_periodic"),
        (f"reference t={result['reference_threshold']:.2f}", "reference"),
    ):
        s = result[key]
        lines.append(
            f"{name:<25}{s['ari']:7.3f}{s['v']:7.3f}{s['homogeneity']:7.3f}"
            f"{s['completeness']:7.3f}{s['b3_p']:7.3f}{s['b3_r']:7.3f}{s['b3_f']:7.3f}"
            f"{int(s['clusters']):6d}"
        )
    lines.append(
        f"speed: ours {result['docs_per_s']:.0f} docs/s, "
        f"reference {result['reference_docs_per_s']:.0f} docs/s"
    )
    return "\n".join(lines)

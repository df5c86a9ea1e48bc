"""TempEval-3 TIMEX3 benchmark for the temporal tagger (understand/timex.py).

Reads TimeML ``.tml`` files, runs ``TimeNormaliser(publication=DCT).find(text, "en")`` over
each document's TEXT and scores the way TempEval-3 does (``evaluate_entities.py``):

- strict span P/R/F1: extents identical;
- relaxed span P/R/F1: extents overlap, each gold and each predicted timex used once;
- type / value "F1": relaxed F1 x attribute accuracy over the relaxed matches, so the
  value figure is the normalisation score.

Splits: "timebank" (train), "aquaint" (dev), "all" (both), or "folder" (``data`` is a folder
of .tml files, e.g. the held-out platinum test set).
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..understand.timex import TimeNormaliser
from ..understand.types import TimeExpr, TimexType


@dataclass(frozen=True, slots=True)
class Timex:
    start: int
    end: int
    type: str
    value: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    doc_id: str
    dct: str | None
    text: str
    timexes: tuple[Timex, ...]


_SPLITS = {"timebank": ("TimeBank",), "aquaint": ("AQUAINT",), "all": ("TimeBank", "AQUAINT")}


def _walk(node: ET.Element, parts: list[str], found: list[Timex], offset: list[int]) -> None:
    """Concatenate the text under ``node`` with tags stripped, recording TIMEX3 extents."""
    if node.text:
        parts.append(node.text)
        offset[0] += len(node.text)
    for child in node:
        start = offset[0]
        _walk(child, parts, found, offset)
        if child.tag == "TIMEX3":
            text = "".join(parts)[start : offset[0]]
            found.append(
                Timex(start, offset[0], child.get("type", ""), child.get("value", ""), text)
            )
        if child.tail:
            parts.append(child.tail)
            offset[0] += len(child.tail)


def read_tml(path: Path) -> Document:
    root = ET.parse(path).getroot()
    dct: str | None = None
    for timex in root.iter("TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME":
            dct = timex.get("value")
            break
    text_node = root.find("TEXT")
    parts: list[str] = []
    found: list[Timex] = []
    if text_node is not None:
        _walk(text_node, parts, found, [0])
    doc_id = root.findtext("DOCID") or path.stem
    return Document(doc_id.strip(), dct, "".join(parts), tuple(found))


def tml_files(data: Path, split: str) -> list[Path]:
    if split == "folder":
        return sorted(data.glob("*.tml"))
    if split not in _SPLITS:
        raise ValueError(f"unknown split {split!r}: timebank, aquaint, all or folder")
    base = data / "TBAQ-cleaned" if (data / "TBAQ-cleaned").is_dir() else data
    files: list[Path] = []
    for name in _SPLITS[split]:
        files.extend(sorted((base / name).glob("*.tml")))
    return files


# --------------------------------------------------------------------------- scoring


@dataclass(slots=True)
class Counts:
    gold: int = 0
    pred: int = 0
    strict: int = 0
    relaxed: int = 0
    type_ok: int = 0
    value_ok: int = 0

    def add(self, other: Counts) -> None:
        self.gold += other.gold
        self.pred += other.pred
        self.strict += other.strict
        self.relaxed += other.relaxed
        self.type_ok += other.type_ok
        self.value_ok += other.value_ok


def match_document(gold: Sequence[Timex], pred: Sequence[Timex]) -> Counts:
    """Counts for one document: one-to-one matching, exact extents first, then overlaps."""
    counts = Counts(gold=len(gold), pred=len(pred))
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if pi not in used_pred and (g.start, g.end) == (p.start, p.end):
                used_gold.add(gi)
                used_pred.add(pi)
                pairs.append((gi, pi))
                counts.strict += 1
                break
    for gi, g in enumerate(gold):
        if gi in used_gold:
            continue
        for pi, p in enumerate(pred):
            if pi not in used_pred and p.start < g.end and g.start < p.end:
                used_gold.add(gi)
                used_pred.add(pi)
                pairs.append((gi, pi))
                break
    counts.relaxed = len(pairs)
    for gi, pi in pairs:
        counts.type_ok += gold[gi].type == pred[pi].type
        counts.value_ok += _same_value(gold[gi].value, pred[pi].value)
    return counts


def _same_value(gold: str, pred: str) -> bool:
    return gold.strip().upper() == pred.strip().upper()


def _prf(hits: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = hits / pred if pred else 0.0
    r = hits / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def metrics(counts: Counts) -> dict[str, float | int]:
    """TempEval-3 figures as percentages (2 decimals) plus the raw counts."""
    sp, sr, sf = _prf(counts.strict, counts.pred, counts.gold)
    rp, rr, rf = _prf(counts.relaxed, counts.pred, counts.gold)
    type_acc = counts.type_ok / counts.relaxed if counts.relaxed else 0.0
    value_acc = counts.value_ok / counts.relaxed if counts.relaxed else 0.0
    out: dict[str, float | int] = {
        "strict_p": sp,
        "strict_r": sr,
        "strict_f1": sf,
        "relaxed_p": rp,
        "relaxed_r": rr,
        "relaxed_f1": rf,
        "type_f1": rf * type_acc,
        "value_f1": rf * value_acc,
        "type_accuracy": type_acc,
        "value_accuracy": value_acc,
    }
    result: dict[str, float | int] = {k: round(100 * v, 2) for k, v in out.items()}
    result.update(
        gold=counts.gold,
        pred=counts.pred,
        strict_matches=counts.strict,
        relaxed_matches=counts.relaxed,
        type_correct=counts.type_ok,
        value_correct=counts.value_ok,
    )
    return result


def score(pairs: Iterable[tuple[Sequence[Timex], Sequence[Timex]]]) -> dict[str, float | int]:
    total = Counts()
    for gold, pred in pairs:
        total.add(match_document(gold, pred))
    return metrics(total)


# --------------------------------------------------------------------------- run


def predict(doc: Document) -> list[Timex]:
    normaliser = TimeNormaliser(publication=doc.dct)
    found = normaliser.find(doc.text, "en")
    # Bare "now" is no date for the product, but TimeML tags it (PRESENT_REF): the
    # normaliser reports such words apart, and only this adapter adds them.
    merged = sorted([*found, *normaliser.non_dates], key=lambda t: t.start)
    return [_as_timeml(t) for t in merged]


_LATER = re.compile(r"\s+later$", re.I)


def _as_timeml(t: TimeExpr) -> Timex:
    """Our expression in TimeML's terms. Two conventions differ and are mapped here, not
    in the product:

    - a part of a day ("Friday night") is for us that day with ``part_of_day`` NI, so that
      it compares with other dates; TimeML writes it as a TIME, 1998-02-13TNI;
    - "three days later" is for us the date three days after the last one in the text
      (or an unknown one), while TimeML tags "three days" alone as a DURATION and leaves
      "later" to a SIGNAL. The duration is what our normaliser gives for the words
      before "later"."""
    if t.part_of_day and t.type is TimexType.DATE:
        return Timex(t.start, t.end, "TIME", f"{t.value}T{t.part_of_day}", t.text)
    cut = _LATER.search(t.text) if t.cue == "ago" else None
    if cut is not None:
        words = t.text[: cut.start()]
        found = TimeNormaliser(publication=None).find(words, "en")
        if len(found) == 1 and found[0].type is TimexType.DURATION and found[0].end == len(words):
            return Timex(t.start, t.start + len(words), "DURATION", found[0].value, words)
    return Timex(t.start, t.end, t.type.value, t.value, t.text)


def run(data: Path, split: str, *, limit: int | None = None) -> dict[str, Any]:
    files = tml_files(Path(data), split)
    if limit is not None:
        files = files[:limit]
    if not files:
        raise FileNotFoundError(f"no .tml files for split {split!r} under {data}")
    started = time.perf_counter()
    pairs = []
    for path in files:
        doc = read_tml(path)
        pairs.append((doc.timexes, predict(doc)))
    seconds = time.perf_counter() - started
    result: dict[str, Any] = {"split": split, "docs": len(files)}
    result.update(score(pairs))
    result["seconds"] = round(seconds, 2)
    return result


def table(result: dict[str, Any]) -> str:
    rows = [
        ("strict", result["strict_p"], result["strict_r"], result["strict_f1"]),
        ("relaxed", result["relaxed_p"], result["relaxed_r"], result["relaxed_f1"]),
    ]
    lines = [
        f"TempEval-3 {result.get('split', '')}: {result['docs']} docs, "
        f"{result['gold']} gold, {result['pred']} predicted, {result['seconds']} s",
        f"{'span':<10}{'P':>8}{'R':>8}{'F1':>8}",
    ]
    lines += [f"{name:<10}{p:>8.2f}{r:>8.2f}{f:>8.2f}" for name, p, r, f in rows]
    lines.append(
        f"{'type F1':<10}{result['type_f1']:>24.2f}  (accuracy {result['type_accuracy']:.2f})"
    )
    lines.append(
        f"{'value F1':<10}{result['value_f1']:>24.2f}  (accuracy {result['value_accuracy']:.2f})"
    )
    return "\n".join(lines)

"""PETRARCH validation records: code each sentence with CAMEO dictionaries and score.

The records (``records.<split>.jsonl``) carry a Penn-Treebank parse, so the coder works
on that parse rather than re-parsing: the gold codings were written against it, and it
keeps the run deterministic and fast. The coder:

1. finds actor and agent phrases (:class:`~triangulate.understand.cameo.PhraseMatcher`,
   date-aware);
2. finds dictionary verbs among the VB* tokens (multi-word verbs included);
3. tries the verb's patterns, most specific first; a pattern may name the source
   (``$``) and target (``+``) itself, else the clause subject is the source and the
   first coded noun phrase after the verb in its VP is the target (swapped for passive
   verbs with a ``by`` agent);
4. expands coordinated noun phrases into one event per actor pair.

Metrics (README): micro P/R/F1 over exact ``(source, target, code)`` triples per
sentence; the share of sentences whose predicted set equals the gold set (a record with
no gold event is right when nothing is produced); root-code accuracy = the share of
gold triples for which a predicted triple has the same source, target and first two
code digits.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..understand.cameo import (
    Discards,
    PatternElement,
    PhraseMatch,
    PhraseMatcher,
    VerbDictionary,
    VerbEntry,
    VerbPattern,
    combine_codes,
    is_event_code,
    load_actors,
    load_agents,
    load_discards,
    load_verbs,
)

Triple = tuple[str, str, str]

_BE = {"IS", "ARE", "WAS", "WERE", "BE", "BEEN", "BEING", "'S", "'RE"}


# --------------------------------------------------------------------------- parse tree


@dataclass
class Node:
    label: str
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None
    start: int = 0
    end: int = 0  # exclusive token span
    word: str | None = None  # preterminals only


def parse_ptb(text: str) -> tuple[Node, list[str], list[str]]:
    """Parse a bracketed Penn-Treebank string; returns (root, tokens, tags)."""
    tokens: list[str] = []
    tags: list[str] = []
    pieces = text.replace("(", " ( ").replace(")", " ) ").split()
    pos = 0

    def read(parent: Node | None) -> Node:
        nonlocal pos
        # pieces[pos] == "("
        pos += 1
        label = pieces[pos] if pieces[pos] not in ("(", ")") else ""
        if label:
            pos += 1
        node = Node(label, parent=parent, start=len(tokens))
        while pos < len(pieces) and pieces[pos] != ")":
            if pieces[pos] == "(":
                node.children.append(read(node))
            else:
                node.word = pieces[pos]
                tokens.append(pieces[pos])
                tags.append(label)
                pos += 1
        pos += 1  # ")"
        node.end = len(tokens)
        return node

    root = read(None) if pieces and pieces[0] == "(" else Node("ROOT")
    return root, tokens, tags


def _preterminals(root: Node) -> list[Node]:
    out: list[Node] = []
    stack = [root]
    while stack:
        n = stack.pop()
        if n.word is not None:
            out.append(n)
        stack.extend(reversed(n.children))
    return out


def _is_np(node: Node) -> bool:
    return node.label.startswith("NP") or node.label == "NX"


def _is_coordination(node: Node) -> bool:
    kids = [c for c in node.children if _is_np(c)]
    return len(kids) >= 2 and any(c.label in ("CC", ",") for c in node.children)


# --------------------------------------------------------------------------- coder


@dataclass
class Coder:
    matcher: PhraseMatcher
    verbs: VerbDictionary
    discards: Discards | None = None

    def __post_init__(self) -> None:
        self._index = self.verbs.index()

    @classmethod
    def from_dir(cls, directory: Path) -> Coder:
        def one(suffix: str) -> Path:
            found = sorted(directory.glob(f"*{suffix}"))
            if not found:
                raise FileNotFoundError(f"no *{suffix} in {directory}")
            return found[0]

        discard_files = sorted(directory.glob("*discards.txt"))
        return cls(
            PhraseMatcher(load_actors(one("actors.txt")), load_agents(one("agents.txt"))),
            load_verbs(one("verbs.txt")),
            load_discards(discard_files[0]) if discard_files else None,
        )

    # -- entry point
    def code(self, parse: str, date: int | None) -> set[Triple]:
        root, tokens, tags = parse_ptb(parse)
        if not tokens or (self.discards is not None and self.discards.hit(tokens)):
            return set()
        s = _Sentence(root, tokens, tags, self.matcher.find(tokens, date), self.verbs)
        events: set[Triple] = set()
        for vs, ve, entries in self._find_verbs(s):
            events |= s.code_verb(vs, ve, entries)
        return {e for e in events if e[0] != e[1]}

    def _find_verbs(self, s: _Sentence) -> list[tuple[int, int, list[VerbEntry]]]:
        """Dictionary verbs among VB* tokens, longest form first. A verb listed in
        several blocks (SHOT appears twice) keeps all its entries."""
        out: list[tuple[int, int, list[VerbEntry]]] = []
        upper = [t.upper() for t in s.tokens]
        taken: set[int] = set()
        for i, tag in enumerate(s.tags):
            if not tag.startswith("VB") or i in taken or s.actor_at[i] is not None:
                continue
            best: tuple[int, int, list[VerbEntry]] | None = None
            for form, head, entry in self._index.get(upper[i], ()):
                a = i - head
                b = a + len(form)
                if a < 0 or b > len(upper) or tuple(upper[a:b]) != form:
                    continue
                if best is None or b - a > best[1] - best[0]:
                    best = (a, b, [entry])
                elif b - a == best[1] - best[0] and entry not in best[2]:
                    best[2].append(entry)
            if best is not None:
                out.append(best)
                taken.update(range(best[0], best[1]))
        return out


class _Sentence:
    def __init__(
        self,
        root: Node,
        tokens: list[str],
        tags: list[str],
        matches: list[PhraseMatch],
        verbs: VerbDictionary,
    ) -> None:
        self.root = root
        self.tokens = tokens
        self.upper = [t.upper() for t in tokens]
        self.tags = tags
        self.matches = matches
        self.synsets = verbs.synsets
        self.leaf = _preterminals(root)
        self.actor_at: list[PhraseMatch | None] = [None] * len(tokens)
        for m in matches:
            for k in range(m.start, m.end):
                self.actor_at[k] = m

    # -- noun phrases
    def _matches_in(self, start: int, end: int) -> list[PhraseMatch]:
        return [m for m in self.matches if m.start >= start and m.end <= end]

    def node_codes(self, node: Node) -> list[str]:
        """Codes of a noun phrase; coordinated phrases give one set per conjunct, so
        'Ithilen and the government of Gondor' is ITH and GONGOV, not ITHGOV."""
        if _is_coordination(node):
            out: list[str] = []
            for c in node.children:
                if _is_np(c):
                    out.extend(self.node_codes(c))
            return list(dict.fromkeys(out))
        return combine_codes(self._matches_in(node.start, node.end))

    def phrase_codes(self, m: PhraseMatch, limit: Node | None = None) -> list[str]:
        """Codes of the noun phrase around a matched phrase: grow from the lowest NP to
        enclosing NPs while they add agents but no other actor (possessives, 'soldiers
        from Gondor'), or while they coordinate it with other actors."""
        node: Node | None = self.leaf[m.start].parent
        while node is not None and not _is_np(node):
            node = node.parent
        if node is None or node.start > m.start or node.end < m.end:
            return combine_codes([m])
        own = {id(x) for x in self._matches_in(node.start, node.end)}
        while True:
            up = node.parent
            if up is not None and up.label == "PP" and up.parent is not None:
                up = up.parent
            if up is None or not _is_np(up) or (limit is not None and not _within(up, limit)):
                break
            inside = self._matches_in(up.start, up.end)
            new_actors = [x for x in inside if id(x) not in own and x.kind == "actor"]
            if new_actors and not _is_coordination(up):
                break
            node = up
            own = {id(x) for x in inside}
        return self.node_codes(node)

    # -- verbs
    def subject(self, vs: int) -> tuple[Node | None, list[str]]:
        """Source from the clause subject: the first S above the verb that has an NP
        before the branch holding the verb. A codeless subject stops the search, so
        'crowds trashed its embassy' does not borrow the main clause's actor."""
        child: Node = self.leaf[vs]
        node = child.parent
        while node is not None:
            if node.label in ("S", "SINV", "SQ") or node.label.startswith("S-"):
                subj = None
                for c in node.children:
                    if c is child:
                        break
                    if _is_np(c):
                        subj = c
                if subj is not None:
                    return subj, self.node_codes(subj)
            child, node = node, node.parent
        return None, []

    def _vp(self, vs: int) -> Node:
        node = self.leaf[vs].parent
        while node is not None and not node.label.startswith("VP"):
            node = node.parent
        return node if node is not None else self.root

    def target(self, vs: int, ve: int) -> list[str]:
        vp = self._vp(vs)
        for m in self.matches:
            if m.start >= ve and m.end <= vp.end:
                codes = self.phrase_codes(m, vp)
                if codes:
                    return codes
        return []

    def _passive(self, vs: int) -> bool:
        if self.tags[vs] != "VBN":
            return False
        k = vs - 1
        while k >= 0 and self.tags[k].startswith("RB"):
            k -= 1
        return k >= 0 and self.upper[k] in _BE

    def _by_agent(self, ve: int, vp: Node) -> list[str]:
        for k in range(ve, vp.end - 1):
            if self.upper[k] == "BY":
                m = self.actor_at[k + 1]
                if m is not None:
                    return self.phrase_codes(m, vp)
        return []

    def code_verb(self, vs: int, ve: int, entries: Sequence[VerbEntry]) -> set[Triple]:
        code = next((e.code for e in entries if is_event_code(e.code)), entries[0].code)
        src_m: PhraseMatch | None = None
        tgt_m: PhraseMatch | None = None
        compound = False
        patterns = sorted((p for e in entries for p in e.patterns), key=lambda p: -p.weight)
        for pattern in patterns:
            if not (is_event_code(pattern.code) or pattern.code == "---"):
                continue  # junk codes in the dictionary are never emitted
            found = self.match_pattern(pattern, vs, ve)
            if found is not None:
                code = pattern.code
                src_m, tgt_m = found
                compound = any(e.kind == "compound" for e in (*pattern.before, *pattern.after))
                break
        if not is_event_code(code.split(":")[0]):
            return set()
        vp = self._vp(vs)
        source = self.phrase_codes(src_m) if src_m is not None else []
        target = self.phrase_codes(tgt_m) if tgt_m is not None else []
        # a passive verb with a 'by' agent swaps roles; without one the surface subject
        # stays the source (the validation set codes 'X was criticized over Y' as X->Y)
        by_agent = self._by_agent(ve, vp) if self._passive(vs) and src_m is None else []
        if not source:
            source = by_agent or self.subject(vs)[1]
        forward, _, backward = code.partition(":")
        out: set[Triple] = set()
        if compound and not target and len(source) > 1:
            # '%': the event is among the members of a coordinated actor
            pairs = [(s, t) for s in source for t in source if s != t]
        else:
            if not target:
                target = self.subject(vs)[1] if by_agent else self.target(vs, ve)
            pairs = [(s, t) for s in source for t in target]
        for s, t in pairs:
            out.add((s, t, forward))
            if backward and is_event_code(backward):
                out.add((t, s, backward))
        return out

    # -- patterns
    def match_pattern(
        self, pattern: VerbPattern, vs: int, ve: int
    ) -> tuple[PhraseMatch | None, PhraseMatch | None] | None:
        found: dict[str, PhraseMatch] = {}
        if not self._walk(pattern.after, 0, ve, +1, found):
            return None
        if not self._walk(pattern.before, 0, vs - 1, -1, found):
            return None
        return found.get("source"), found.get("target")

    def _walk(
        self,
        elems: Sequence[PatternElement],
        k: int,
        pos: int,
        step: int,
        found: dict[str, PhraseMatch],
    ) -> bool:
        """Match ``elems[k:]`` from token ``pos`` moving by ``step``, with backtracking
        over gaps (elements joined by a space may have words between them)."""
        if k == len(elems):
            return True
        e = elems[k]
        n = len(self.tokens)
        if e.kind in ("skip", "compound"):
            return self._walk(elems, k + 1, pos, step, found)
        # a glued element must sit right here; otherwise any later (earlier) word will do
        candidates: Iterable[int] = (
            (pos,) if e.adjacent else range(pos, n) if step > 0 else range(pos, -1, -1)
        )
        for q in candidates:
            if not 0 <= q < n:
                continue
            if e.kind in ("source", "target"):
                m = self.actor_at[q]
                if m is None:
                    continue
                nxt = m.end if step > 0 else m.start - 1
                found[e.kind] = m
                if self._walk(elems, k + 1, nxt, step, found):
                    return True
                del found[e.kind]
                continue
            span = self._match_here(e, q, step)
            if span is None:
                continue
            nxt = q + span if step > 0 else q - span
            if self._walk(elems, k + 1, nxt, step, found):
                return True
        return False

    def _match_here(self, e: PatternElement, q: int, step: int) -> int | None:
        phrases = [(e.text,)] if e.kind == "word" else list(self.synsets.get(e.text, ()))
        for phrase in sorted(phrases, key=len, reverse=True):
            n = len(phrase)
            a = q if step > 0 else q - n + 1
            if a >= 0 and tuple(self.upper[a : a + n]) == phrase:
                return n
        return None


def _within(node: Node, limit: Node) -> bool:
    return node.start >= limit.start and node.end <= limit.end


# --------------------------------------------------------------------------- scoring


def score(pairs: Sequence[tuple[set[Triple], set[Triple]]]) -> dict[str, Any]:
    """Micro P/R/F1, fully-correct share and root accuracy over (gold, predicted)."""
    tp = fp = fn = full = root_hits = gold_n = 0
    for gold, pred in pairs:
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
        full += gold == pred
        roots = {(s, t, c[:2]) for s, t, c in pred}
        root_hits += sum((s, t, c[:2]) in roots for s, t, c in gold)
        gold_n += len(gold)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(100 * p, 1),
        "recall": round(100 * r, 1),
        "f1": round(100 * f, 1),
        "fully_correct": round(100 * full / len(pairs), 1) if pairs else 0.0,
        "root_accuracy": round(100 * root_hits / gold_n, 1) if gold_n else 0.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "sentences": len(pairs),
        "sentences_fully_correct": full,
        "gold_triples": gold_n,
    }


def _date(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) == 8 else None


def run(data: Path, split: str, *, limit: int | None = None) -> dict[str, Any]:
    """Code ``records.<split>.jsonl`` under ``data`` (or ``data`` itself when it is a
    file, with dictionaries beside it) and score against the gold codings."""
    data = Path(data)
    if data.is_file():
        records_path, base = data, data.parent
    else:
        records_path, base = data / f"records.{split}.jsonl", data
    t0 = time.perf_counter()
    coder = Coder.from_dir(base / "dictionaries")
    load_s = time.perf_counter() - t0
    records = [
        json.loads(line) for line in records_path.read_text(encoding="utf-8").splitlines() if line
    ]
    if limit is not None:
        records = records[:limit]
    t1 = time.perf_counter()
    pairs: list[tuple[set[Triple], set[Triple]]] = []
    for rec in records:
        gold = {(e["source"], e["target"], e["code"]) for e in rec.get("events", [])}
        pred = coder.code(rec.get("parse", ""), _date(str(rec.get("date", ""))))
        pairs.append((gold, pred))
    code_s = time.perf_counter() - t1
    result = score(pairs)
    result.update(
        {
            "split": split if not data.is_file() else data.name,
            "load_seconds": round(load_s, 3),
            "code_seconds": round(code_s, 3),
        }
    )
    return result


def table(result: dict[str, Any]) -> str:
    keys = [
        ("split", "split"),
        ("sentences", "sentences"),
        ("gold_triples", "gold triples"),
        ("precision", "precision %"),
        ("recall", "recall %"),
        ("f1", "F1 %"),
        ("fully_correct", "fully correct %"),
        ("root_accuracy", "root-code accuracy %"),
        ("tp", "tp"),
        ("fp", "fp"),
        ("fn", "fn"),
        ("code_seconds", "coding s"),
    ]
    width = max(len(label) for _, label in keys)
    return "\n".join(f"{label:<{width}}  {result.get(key, '')}" for key, label in keys)

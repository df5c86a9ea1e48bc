"""The understanding stage's speed work keeps its output: offsets moved without
dataclasses.replace keep every field, the English backend's parser batches across texts
without changing any analysis, and the cue-list index answers as a fresh one would."""

from __future__ import annotations

import dataclasses
import re

from triangulate.settings import Settings
from triangulate.understand import cuewords
from triangulate.understand.backend import backend_for
from triangulate.understand.events import find_triggers
from triangulate.understand.types import (
    EntityMention,
    EntityType,
    Sentence,
    Token,
    shift_entity,
    shift_sentence,
)


def _moved(record: object, offset: int) -> object:
    """The reference: every field copied, offsets moved, nested records too."""
    changes: dict[str, object] = {}
    for f in dataclasses.fields(record):  # type: ignore[arg-type]
        value = getattr(record, f.name)
        if f.name in ("start", "end"):
            changes[f.name] = value + offset
        elif f.name == "tokens":
            changes[f.name] = tuple(_moved(t, offset) for t in value)
    return dataclasses.replace(record, **changes)  # type: ignore[type-var]


def test_shifted_records_keep_every_field() -> None:
    # Distinct non-default values in every field, so a dropped field would show.
    token = Token(3, 8, "Baku", "baku", "PROPN", 2, "nsubj")
    sentence = Sentence(1, 30, (token, Token(9, 12, "was", "be", "AUX", None, "cop")), True)
    entity = EntityMention(3, 7, "Baku", EntityType.LOC, "Baku", "baku", "spacy", 0.7)
    assert shift_sentence(sentence, 100) == _moved(sentence, 100)
    assert shift_entity(entity, 100) == _moved(entity, 100)
    assert shift_sentence(sentence, 0) is sentence


def test_english_parser_batches_across_texts_without_changing_them() -> None:
    backend = backend_for("en", Settings())
    assert backend is not None
    texts = [
        "Police detained 50 people in Baku on Friday. The ministry said nothing.",
        "A quiet day. Nothing happened here at all.",
        "Protesters were arrested after the raid. Two journalists were injured.",
    ]

    def select(s: Sentence) -> bool:
        return bool(find_triggers(s.tokens, "en"))

    together = backend.analyse_selected(texts, select)
    alone = [backend.analyse_selected([t], select)[0] for t in texts]
    assert together == alone
    assert any(s.parsed for a in together for s in a.sentences)  # the parser did run
    assert not all(s.parsed for a in together for s in a.sentences)  # and only where picked


class _Tok:
    def __init__(self, low: str) -> None:
        self.low = low


def test_cue_index_by_identity_answers_like_a_fresh_index() -> None:
    entries = cuewords.entries(
        ["taken into custody", "in custody", "arrest*"], re.compile(r"\w+|\*")
    )
    words = ["he", "was", "taken", "into", "custody", "after", "the", "arrests"]
    toks = [_Tok(w) for w in words]
    for _ in range(2):  # the second call uses the cached index
        assert cuewords.entry_at(entries, toks, 2) == (
            ("taken", False),
            ("into", False),
            ("custody", False),
        )
        assert cuewords.entry_at(entries, toks, 7) == (("arrest", True),)
        assert cuewords.entry_at(entries, toks, 0) is None
    # An equal tuple built anew (another identity) gives the same answers.
    copy = tuple(list(entries))
    assert copy is not entries
    assert cuewords.entry_at(copy, toks, 2) == cuewords.entry_at(entries, toks, 2)

"""Blocking in the store: the candidate events one incident's keys find, read at a bounded
cost per key and ranked like the in-memory linker (link/eventcoref.py)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from triangulate.link.eventcoref import KEY_WEIGHT_LEMMA, MAX_POSTING, key_weight
from triangulate.store.links import SQLiteLinks
from triangulate.store.sqlite import SQLiteStore


@pytest.fixture
def links(tmp_path: Path) -> Iterator[SQLiteLinks]:
    store = SQLiteStore(tmp_path / "blocking.db")
    yield SQLiteLinks(store.conn)
    store.close()


def _event(links: SQLiteLinks, keys: set[str]) -> int:
    event_id = links.create_event("event", None)
    links.set_signature(event_id, {}, keys, {"ref": f"e{event_id}"})
    return event_id


def test_a_common_key_is_followed_to_its_most_recent_events_only(links: SQLiteLinks) -> None:
    old = _event(links, {"lemma:arrest", "arrest|place:baku"})
    crowd = [_event(links, {"lemma:arrest"}) for _ in range(MAX_POSTING + 10)]
    found = links.candidate_events({"lemma:arrest": KEY_WEIGHT_LEMMA}, 500, MAX_POSTING)
    assert [e for e, _ in found] == sorted(crowd, reverse=True)[:MAX_POSTING]
    # The old event is still found through a key it does not share with the crowd (after
    # the crowd: a typed key weighs less than a lemma), and an event sharing both keys
    # comes first.
    both = _event(links, {"lemma:arrest", "arrest|place:baku"})
    keys = {k: key_weight(k) for k in ("lemma:arrest", "arrest|place:baku")}
    found = [e for e, _ in links.candidate_events(keys, 500, MAX_POSTING)]
    assert found[0] == both
    assert found[-1] == old
    assert found[1:-1] == sorted(crowd, reverse=True)[: MAX_POSTING - 1]
    assert links.candidate_events(keys, 1, MAX_POSTING) == [(both, f'{{"ref": "e{both}"}}')]


def test_candidates_match_a_reference_over_the_whole_table(links: SQLiteLinks) -> None:
    rng = random.Random(7)
    vocabulary = [
        *(f"lemma:w{i}" for i in range(6)),
        *(f"attack|place:p{i}" for i in range(6)),
        *(f"ctx:{i}" for i in range(6)),
    ]
    held: dict[int, set[str]] = {}
    for _ in range(300):
        keys = set(rng.sample(vocabulary, rng.randint(1, 4)))
        held[_event(links, keys)] = keys
    per_key, limit = 20, 12
    for _ in range(40):
        query = {k: key_weight(k) for k in rng.sample(vocabulary, rng.randint(1, 5))}
        # Reference: every event's score from the full key table, each key counting only
        # for its per_key newest events.
        newest = {
            k: sorted((e for e, ks in held.items() if k in ks), reverse=True)[:per_key]
            for k in query
        }
        score: dict[int, int] = {}
        for k, events in newest.items():
            for e in events:
                score[e] = score.get(e, 0) + query[k]
        expected = sorted(score, key=lambda e: (-score[e], -e))[:limit]
        assert [e for e, _ in links.candidate_events(query, limit, per_key)] == expected

"""Where sources disagree about an event, and the figures an analyst would publish.

Numeric claims are intervals; an approximate figure ("approximately 50") is widened by
APPROX_TOLERANCE when compared, so "about 50" and "dozens" do not count as a contradiction
while "about 50" and "nine" do. Only claims from different independent origins can
conflict: one outlet repeating itself is not a dispute.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ..link.eventcoref import dates_compatible
from ..link.incidents import place_containment
from ..understand.types import Modality
from .types import Claim, Conflict, ConflictKind, ConflictValue, Property, PropertySummary

# "approximately 50" is compared as 40-60: journalists round, and a 20 % band keeps
# rounding apart from disagreement.
APPROX_TOLERANCE = 0.2

# Categorical disagreements (who did it, where) have no distance; they are rated at
# this severity, between a small and a large numeric gap.
CATEGORICAL_SEVERITY = 0.5

# Modalities that do not make a figure credible enough for ACLED's conservative value.
NOT_CREDIBLE = frozenset({Modality.DENIED.value, Modality.NEGATED.value})


def figure_interval(low: float | None, high: float | None, exactness: str) -> tuple[float, float]:
    """The range a figure is compared as: approximate values widened by the band, an
    open upper bound ("more than 7") reaching infinity."""
    lo = low if low is not None else 0.0
    hi = high if high is not None else float("inf")
    if exactness == "approximate":
        lo, hi = lo * (1 - APPROX_TOLERANCE), hi * (1 + APPROX_TOLERANCE)
    return float(lo), float(hi)


def _interval(c: Claim) -> tuple[float, float]:
    return figure_interval(c.min, c.max, c.exactness)


def _chain_text(c: Claim) -> str:
    return " <- ".join(c.chain) if c.chain else c.voice


def _values(claims: Sequence[Claim]) -> tuple[ConflictValue, ...]:
    by_key: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        by_key[c.key].append(c)
    out = []
    for key, group in by_key.items():
        group.sort(key=lambda c: (c.published or "9999", c.seq))
        out.append(
            ConflictValue(
                value=group[0].value,
                key=key,
                docs=tuple(dict.fromkeys(c.doc_id for c in group)),
                sources=tuple(dict.fromkeys(c.source for c in group)),
                chains=tuple(_chain_text(c) for c in group),
                modality=group[0].modality,
            )
        )
    out.sort(key=lambda v: v.key)
    return tuple(out)


def _numeric_conflict(event_id: int, prop: Property, claims: Sequence[Claim]) -> Conflict | None:
    keys = {c.key for c in claims}
    if len(keys) == 1:
        modalities = {c.modality for c in claims}
        if len(modalities) > 1 and Modality.ASSERTED.value in modalities:
            return Conflict(
                event_id, prop, ConflictKind.HEDGED, 0.1, _values(claims),
                "the same figure is asserted by some sources and hedged by others",
            )  # fmt: skip
        return None
    # Pairs are compared per distinct interval, not per claim: an event reported five
    # hundred times has five hundred death-toll claims but a handful of distinct figures,
    # and comparing every pair of claims made a rebuild grow with the square of its size.
    # Two intervals conflict when they are disjoint and some pair of claims behind them
    # comes from different origins (one outlet disagreeing with itself is no dispute).
    origins_of: dict[tuple[float, float], set[str]] = defaultdict(set)
    for c in claims:
        origins_of[_interval(c)].add(c.origin)
    ranges = sorted(origins_of)
    worst = 0.0
    disjoint = False
    for i, (alo, ahi) in enumerate(ranges):
        for blo, bhi in ranges[i:]:
            oa, ob = origins_of[(alo, ahi)], origins_of[(blo, bhi)]
            if len(oa | ob) < 2:
                continue
            if ahi < blo or bhi < alo:
                disjoint = True
                low, high = (ahi, blo) if ahi < blo else (bhi, alo)
                worst = max(worst, 1.0 - (low / high if high else 0.0))
    if not disjoint and len({c.origin for c in claims}) < 2:
        return None
    if disjoint:
        return Conflict(
            event_id, prop, ConflictKind.CONTRADICTION, round(worst, 2), _values(claims),
            f"sources give incompatible {prop.value} figures",
        )  # fmt: skip
    return Conflict(
        event_id, prop, ConflictKind.PRECISION, 0.1, _values(claims),
        f"{prop.value} figures overlap but differ in precision",
    )  # fmt: skip


def _categorical_conflict(
    event_id: int, prop: Property, claims: Sequence[Claim]
) -> Conflict | None:
    by_origin: dict[str, set[str]] = defaultdict(set)
    for c in claims:
        by_origin[c.origin].add(c.key)
    if len(by_origin) < 2 or len({c.key for c in claims}) < 2:
        return None
    # Origins naming the same set cannot disagree with each other: only distinct sets are
    # compared (many reports, few versions).
    sets = list({frozenset(s): None for s in by_origin.values()})
    if prop is Property.DATE:
        keys = sorted({c.key for c in claims})
        if all(dates_compatible(a, b) is not False for a in keys for b in keys):
            return Conflict(
                event_id, prop, ConflictKind.PRECISION, 0.1, _values(claims),
                "dates agree but are given at different precision",
            )  # fmt: skip
        return Conflict(
            event_id, prop, ConflictKind.CONTRADICTION, CATEGORICAL_SEVERITY, _values(claims),
            "sources give incompatible dates",
        )  # fmt: skip
    if prop is Property.PLACE:
        # A city and its country are the same place at different precision.
        contain = place_containment()
        sets = [s | {contain[k] for k in s if k in contain} for s in sets]
    if prop is Property.AGENT:
        # Actors one source names together for the event (a ministry and its spokeswoman,
        # police and the officers it sent) are one side: another source naming only one
        # of them does not contradict a source naming only the other.
        sides = _sides(sets)
        sets = [frozenset(sides[k] for k in s) for s in sets]
    # Who did it / where: a conflict when two origins name disjoint sets.
    if any(not (a & b) for i, a in enumerate(sets) for b in sets[i + 1 :]):
        return Conflict(
            event_id, prop, ConflictKind.CONTRADICTION, CATEGORICAL_SEVERITY, _values(claims),
            f"sources name different {prop.value}s",
        )  # fmt: skip
    return None


def _sides(sets: Sequence[frozenset[str]]) -> dict[str, str]:
    """Each key's representative, keys named together by one origin joined (union-find)."""
    parent: dict[str, str] = {k: k for s in sets for k in s}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for s in sets:
        keys = sorted(s)
        for k in keys[1:]:
            a, b = find(keys[0]), find(k)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {k: find(k) for k in parent}


# Properties compared across sources. Target groups and stated reasons are descriptive:
# different wording is not a dispute, so they are listed but never flagged.
COMPARED = (
    Property.DEATHS,
    Property.INJURED,
    Property.HOSPITALISED,
    Property.DETAINED,
    Property.DATE,
    Property.PLACE,
    Property.AGENT,
)


def find_conflicts(event_id: int, claims: Sequence[Claim]) -> list[Conflict]:
    by_prop: dict[Property, list[Claim]] = defaultdict(list)
    for c in claims:
        by_prop[c.property].append(c)
    out = []
    for prop in COMPARED:
        group = by_prop.get(prop, [])
        if len(group) < 2:
            continue
        found = (
            _numeric_conflict(event_id, prop, group)
            if prop.numeric
            else _categorical_conflict(event_id, prop, group)
        )
        if found is not None:
            out.append(found)
    return out


def summarise(prop: Property, claims: Sequence[Claim]) -> PropertySummary:
    """Consensus, range and ACLED's conservative value of a numeric property."""
    group = [c for c in claims if c.property is prop]
    credible = [c for c in group if c.modality not in NOT_CREDIBLE] or group
    keys = {c.key for c in group}
    lows = [c.min for c in credible if c.min is not None]
    highs = [c.max if c.max is not None else c.min for c in credible if c.min is not None]
    first = min(group, key=lambda c: (c.published or "9999", c.seq), default=None)
    return PropertySummary(
        property=prop,
        consensus=group[0].value if len(keys) == 1 and group else None,
        low=min(lows) if lows else None,
        high=max(h for h in highs if h is not None) if highs else None,
        conservative=min(lows) if lows else None,
        disputed=len(keys) > 1,
        claims=len(group),
        origins=len({c.origin for c in group}),
        first_source=first.source if first else None,
        first_doc=first.doc_id if first else None,
    )

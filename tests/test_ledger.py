"""Claims ledger rules on hand-made claims: conflicts, their kinds and severity, the
consensus / range / conservative figure, date combination, victim counting, and the
entity-resolution helpers of the link stage."""

from __future__ import annotations

import pytest

from triangulate.ledger.claims import _fold_victims
from triangulate.ledger.conflicts import find_conflicts, summarise
from triangulate.ledger.types import Claim, ConflictKind, Property
from triangulate.link.dates import combine, parse_calendar
from triangulate.link.stage import _spelling_variants, _without_title


def claim(
    prop: Property,
    value: str,
    origin: str,
    *,
    low: float | None = None,
    high: float | None = None,
    exactness: str = "exact",
    modality: str = "asserted",
    key: str | None = None,
) -> Claim:
    return Claim(
        event_id=1,
        property=prop,
        doc_id=f"d-{origin}",
        source=origin,
        value=value,
        min=low,
        max=high,
        key=key if key is not None else (f"{low}-{high}" if low is not None else value),
        exactness=exactness if low is not None else "",
        modality=modality,
        voice="author",
        chain=(),
        origin=origin,
        published=None,
        seq=0,
        evidence=(),
    )


def deaths(value: int, origin: str, **kw: object) -> Claim:
    return claim(Property.DEATHS, str(value), origin, low=value, high=value, **kw)  # type: ignore[arg-type]


def test_different_figures_from_independent_sources_conflict() -> None:
    (c,) = find_conflicts(1, [deaths(2, "a"), deaths(3, "b")])
    assert c.kind is ConflictKind.CONTRADICTION and c.property is Property.DEATHS
    assert c.severity == pytest.approx(0.33, abs=0.01)
    assert {v.value for v in c.values} == {"2", "3"}


def test_one_origin_repeating_itself_is_no_dispute() -> None:
    assert find_conflicts(1, [deaths(2, "a"), deaths(3, "a")]) == []


def test_approximate_and_vague_figures_that_overlap_differ_in_precision() -> None:
    about = claim(Property.DETAINED, "≈50", "a", low=50, high=50, exactness="approximate")
    dozens = claim(Property.DETAINED, "dozens", "b", low=24, high=99, exactness="vague")
    (c,) = find_conflicts(1, [about, dozens])
    assert c.kind is ConflictKind.PRECISION
    nine = claim(Property.DETAINED, "9", "c", low=9, high=9)
    (c,) = find_conflicts(1, [about, dozens, nine])
    assert c.kind is ConflictKind.CONTRADICTION
    # "about 50" is compared as 40-60: the gap to 9 is measured from 40
    assert c.severity == pytest.approx(1 - 9 / 40, abs=0.01)


def test_same_figure_hedged_by_one_source() -> None:
    (c,) = find_conflicts(1, [deaths(2, "a"), deaths(2, "b", modality="reported")])
    assert c.kind is ConflictKind.HEDGED


def test_conservative_value_is_the_lowest_credible_figure() -> None:
    claims = [deaths(2, "a"), deaths(3, "b"), deaths(1, "c", modality="denied")]
    s = summarise(Property.DEATHS, claims)
    assert s.conservative == 2 and (s.low, s.high) == (2, 3) and s.disputed
    assert s.consensus is None and s.origins == 3
    assert s.first_source == "a"  # no publication dates: ingest order decides
    agreed = summarise(Property.DEATHS, [deaths(2, "a"), deaths(2, "b")])
    assert agreed.consensus == "2" and not agreed.disputed and agreed.conservative == 2
    open_ended = claim(Property.DETAINED, "more than 7", "a", low=8, high=None)
    assert summarise(Property.DETAINED, [open_ended]).high == 8


def test_dates() -> None:
    full = claim(Property.DATE, "2025-06-27", "a")
    no_year = claim(Property.DATE, "XXXX-06-27", "b")
    other_day = claim(Property.DATE, "2025-06-28", "c")
    (c,) = find_conflicts(1, [full, no_year])
    assert c.kind is ConflictKind.PRECISION
    (c,) = find_conflicts(1, [full, other_day])
    assert c.kind is ConflictKind.CONTRADICTION


def test_places_city_inside_country_is_not_a_contradiction() -> None:
    city = claim(Property.PLACE, "Yekaterinburg", "a", key="ekaterinburg")
    country = claim(Property.PLACE, "Russia", "b", key="rusia")
    other = claim(Property.PLACE, "Baku", "c", key="bak")
    assert find_conflicts(1, [city, country]) == []
    (c,) = find_conflicts(1, [city, other])
    assert c.kind is ConflictKind.CONTRADICTION


def test_agents_disjoint_between_origins() -> None:
    a = claim(Property.AGENT, "FSB", "a", key="fsb")
    b = claim(Property.AGENT, "Investigative Committee", "b", key="investigative comite")
    both = claim(Property.AGENT, "FSB", "b", key="fsb")
    assert find_conflicts(1, [a, b])[0].kind is ConflictKind.CONTRADICTION
    assert find_conflicts(1, [a, b, both]) == []  # b names the FSB too: no dispute


def test_actors_named_together_by_one_source_are_one_side() -> None:
    ministry = claim(Property.AGENT, "Foreign Ministry", "a", key="foreign ministri")
    person = claim(Property.AGENT, "Maria Zakharova", "b", key="maria zagarova")
    assert find_conflicts(1, [ministry, person])[0].kind is ConflictKind.CONTRADICTION
    # a third source names the spokeswoman with her ministry: the two are one side
    with_both = [
        claim(Property.AGENT, "Foreign Ministry", "c", key="foreign ministri"),
        claim(Property.AGENT, "Maria Zakharova", "c", key="maria zagarova"),
    ]
    assert find_conflicts(1, [ministry, person, *with_both]) == []
    # ... which says nothing about an actor no source names with them
    other = claim(Property.AGENT, "FSB", "d", key="fsb")
    found = find_conflicts(1, [ministry, person, *with_both, other])
    assert found and found[0].kind is ConflictKind.CONTRADICTION


def test_descriptive_properties_are_never_flagged() -> None:
    r1 = claim(Property.REASON, "an investigation", "a")
    r2 = claim(Property.REASON, "a purge", "b")
    assert find_conflicts(1, [r1, r2]) == []


def test_combine_dates_borrows_missing_parts() -> None:
    a, b = parse_calendar("XXXX-06-27"), parse_calendar("2025-06")
    assert a is not None and b is not None
    value, lent = combine([a, b])
    assert value is not None and value.value == "2025-06-27" and value.precision == "day"
    assert lent == [a]
    c = parse_calendar("2025-07-01")
    assert c is not None
    value, lent = combine([a, c])  # incompatible: the most specific wins, nothing borrowed
    assert value == c and lent == []
    assert parse_calendar("PRESENT_REF") is None and parse_calendar("2025-W26") is None
    # a time of day keeps the day ("27 июня в 14:20", TimeML "Friday night")
    assert parse_calendar("2025-06-27T14:20") == parse_calendar("2025-06-27")
    assert parse_calendar("1998-02-13TNI") == parse_calendar("1998-02-13")
    assert parse_calendar("2025-06T14:20") is None


def test_named_victims_fold_surname_only_keys() -> None:
    assert _fold_victims({"gusein safarov", "ziadin safarov", "safarov"}) == {
        "gusein safarov",
        "ziadin safarov",
    }
    assert _fold_victims({"aliev", "gusein safarov"}) == {"aliev", "gusein safarov"}


def test_entity_key_variants() -> None:
    assert _without_title("spokeswoman maria zagarova") == "maria zagarova"
    assert _without_title("prezident ilgam aliev") == "ilgam aliev"
    assert _without_title("president") == "president"  # a lone word stays
    assert ("maria zagarova", "x/kh spelling") in _spelling_variants("maria zaxarova")
    assert ("alexei", "ks/x spelling") in _spelling_variants("aleksei")
    assert _spelling_variants("ilgam aliev") == []


def _pairwise_reference(claims: list[Claim]) -> tuple[bool, float]:
    """Claim-by-claim reading of a numeric dispute: any two claims of different origins
    whose (widened) intervals do not meet, and the widest such gap."""
    from triangulate.ledger.conflicts import figure_interval

    worst, disjoint = 0.0, False
    for i, a in enumerate(claims):
        for b in claims[i + 1 :]:
            if a.origin == b.origin:
                continue
            alo, ahi = figure_interval(a.min, a.max, a.exactness)
            blo, bhi = figure_interval(b.min, b.max, b.exactness)
            if ahi < blo or bhi < alo:
                disjoint = True
                low, high = (ahi, blo) if ahi < blo else (bhi, alo)
                worst = max(worst, 1.0 - (low / high if high else 0.0))
    return disjoint, round(worst, 2)


def test_numeric_conflicts_compared_per_distinct_figure_match_claim_by_claim() -> None:
    # The finder groups claims by interval so a big event costs its distinct figures
    # squared, not its claims squared; it must decide exactly as every pair would.
    import random

    rng = random.Random(7)
    for _ in range(300):
        group = []
        for _ in range(rng.randint(2, 12)):
            low = rng.choice([0, 1, 2, 3, 9, 24, 50])
            high = rng.choice([low, low + rng.choice([0, 1, 75]), None])
            group.append(
                deaths(low, rng.choice("abc"), exactness=rng.choice(["exact", "approximate"]))
                if high == low
                else claim(Property.DEATHS, f"{low}+", rng.choice("abc"), low=low, high=high)
            )
        disjoint, worst = _pairwise_reference(group)
        found = find_conflicts(1, group)
        contradiction = [c for c in found if c.kind is ConflictKind.CONTRADICTION]
        assert bool(contradiction) == disjoint, group
        if disjoint:
            assert contradiction[0].severity == worst

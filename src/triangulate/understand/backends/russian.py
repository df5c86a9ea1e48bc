"""Russian: natasha (razdel segmentation, slovnet morphology/syntax/NER, pymorphy-based
lemmas and span normalisation) plus gazetteer corrections."""

from __future__ import annotations

from typing import Any

from ...settings import Settings
from ..backend import LanguageBackend, register_backend
from ..entities import GazHit, gazetteer, make_mention, overlaps, resolve_document
from ..types import Analysis, EntityMention, EntityType, Sentence, Token

_TYPES = {"PER": EntityType.PER, "LOC": EntityType.LOC, "ORG": EntityType.ORG}


class RussianBackend(LanguageBackend):
    lang = "ru"
    name = "natasha"

    def __init__(self, settings: Settings | None = None) -> None:
        from natasha import (
            MorphVocab,
            NewsEmbedding,
            NewsMorphTagger,
            NewsNERTagger,
            NewsSyntaxParser,
            Segmenter,
        )

        emb = NewsEmbedding()
        self.segmenter = Segmenter()
        self.morph_vocab = MorphVocab()
        self.morph_tagger = NewsMorphTagger(emb)
        self.syntax_parser = NewsSyntaxParser(emb)
        self.ner_tagger = NewsNERTagger(emb)

    def doc(self, text: str, *, parse: bool = True, morph: bool = True) -> Any:
        """The natasha Doc: segmented, NER-tagged, morph-tagged (needed for lemmas and
        normal forms) and, with ``parse``, syntax-parsed."""
        from natasha import Doc

        doc = Doc(text)
        doc.segment(self.segmenter)
        if morph:
            doc.tag_morph(self.morph_tagger)
        if parse:
            doc.parse_syntax(self.syntax_parser)
        doc.tag_ner(self.ner_tagger)
        return doc

    def analyse(self, text: str, *, parse: bool = True) -> Analysis:
        doc = self.doc(text, parse=parse)
        sentences = []
        for sent in doc.sents:
            index = {t.id: i for i, t in enumerate(sent.tokens)}
            toks = []
            for i, t in enumerate(sent.tokens):
                t.lemmatize(self.morph_vocab)
                head: int | None = None
                if parse and t.head_id is not None:
                    head = index.get(t.head_id, i)  # the root points at itself, as in spaCy
                toks.append(
                    Token(
                        start=t.start,
                        end=t.stop,
                        text=t.text,
                        lemma=t.lemma or t.text.lower(),
                        pos=t.pos or "",
                        head=head,
                        dep=(t.rel or "") if parse else "",
                    )
                )
            sentences.append(
                Sentence(start=sent.start, end=sent.stop, tokens=tuple(toks), parsed=parse)
            )
        spans = []
        for span in doc.spans:
            span.normalize(self.morph_vocab)
            spans.append((span.start, span.stop, span.type, span.normal or span.text))
        return Analysis(
            lang=self.lang,
            sentences=tuple(sentences),
            entities=tuple(correct_entities(text, spans)),
        )


def correct_entities(text: str, spans: list[tuple[int, int, str, str]]) -> list[EntityMention]:
    """natasha spans (start, end, type, normal form) -> our mentions.

    A gazetteer hit wins over the natasha spans it overlaps (natasha splits "Sputnik
    Азербайджан" into ORG + LOC and misses "азербайджанцы"); a natasha span that is itself
    a gazetteer name takes the gazetteer's type; names outside the lists stay as natasha
    read them, with its normal (nominative) form as canonical.
    """
    gaz = gazetteer()
    hits: list[GazHit] = gaz.find(text, "ru", include_weak=True)
    out: list[EntityMention] = []
    for s, e, label, normal in spans:
        surface = text[s:e]
        covering = [h for h in hits if overlaps(h.start, h.end, s, e) and not h.entry.weak]
        # a longer gazetteer name replaces the fragments natasha made of it
        if covering and (covering[0].end - covering[0].start) > (e - s):
            continue
        entry = gaz.entry_for(surface, "ru") or gaz.entry_for(normal, "ru")
        if entry is not None:
            out.append(
                entry.mention(
                    s,
                    e,
                    surface,
                    "natasha+gazetteer",
                    0.95,
                    canonical=normal if entry.type is EntityType.LOC else None,
                )
            )
            continue
        out.append(
            make_mention(s, e, surface, _TYPES.get(label, EntityType.MISC), normal, "natasha", 0.85)
        )
    for h in hits:
        if h.entry.weak or any(overlaps(h.start, h.end, m.start, m.end) for m in out):
            continue
        out.append(h.mention(0.9))
    out.sort(key=lambda m: (m.start, -m.end))
    return resolve_document(out)


def _factory(settings: Settings) -> LanguageBackend:
    return RussianBackend(settings)


register_backend("ru", _factory)

"""Azerbaijani: rules, since no Azerbaijani parser or NER model is installable here.

Sentences by punctuation, tokens by regex, lemmas by stripping case, plural and
possessive suffixes, entities from the gazetteers (matched with suffixes allowed) and
person names from their shape: a capitalised name followed by a surname ending (-ov,
-yev, -zadə, -lı ...), or capitalised words after a title ("Prezident", "nazir",
"sözçüsü"). There is no parse: ``parse=True`` gives the same result, ``parsed`` False.
"""

from __future__ import annotations

import re

from ...settings import Settings
from ..backend import LanguageBackend, register_backend
from ..entities import gazetteer, make_mention, overlaps, resolve_document
from ..types import Analysis, EntityMention, EntityType, Sentence, Token

_UPPER = "A-ZƏÖÜİĞÇŞIQX"
_LOWER = "a-zəöüığçşqx"
_TOKEN = re.compile(r"\w+(?:['’]\w+)?(?:[.\-]\w+)*|\S")
# a sentence ends at . ! ? … (closing quotes allowed) before a capital, digit or quote
_SENT_END = re.compile(rf"[.!?…]+[\"»”)']*\s+(?=[\"«“(]?[{_UPPER}0-9])")
_ABBREV = frozenset({"b", "m", "e", "s", "prof", "dr", "və s", "c", "il", "məs", "bax", "red"})


# Suffixes by slot, each list longest first. A word is stem + plural + possessive + case,
# so they are stripped in the reverse order, at most one of each. Single vowels (dative,
# accusative, possessive) are stripped only from lower-case words: proper names often end
# in a vowel (Bakı, Gəncə, Rusiya).
def _longest_first(words: str) -> tuple[str, ...]:
    return tuple(sorted(words.split(), key=len, reverse=True))


_CASE = _longest_first(
    "nın nin nun nün ın in un ün dakı dəki ndakı ndəki ndan ndən dan dən tan tən nda ndə "
    "da də ta tə ya yə na nə nı ni nu nü yla ylə la lə"
)
_POSSESSIVE = _longest_first("ları ləri sı si su sü mız miz muz müz nız niz ız iz uz üz")
_PLURAL = ("lar", "lər")
# The third person's possessive (its office: ofisi, their leaders: rəhbərləri), the one a
# noun after a title takes; first and second person forms (-ımız, -iz) end many given
# names (Ramiz).
_THIRD_POSSESSIVE = _longest_first("ları ləri sı si su sü")
_VOWELS = ("a", "ə", "ı", "i", "u", "ü")
_SURNAME_END = re.compile(
    r"(?:ov|ova|yev|yeva|ev|eva|zadə|zade|li|lı|lu|lü|ski|skaya|in|ina)$", re.IGNORECASE
)
_STRONG_SURNAME = re.compile(r"(?:ov|ova|yev|yeva|ev|eva|zadə|zade)$", re.IGNORECASE)
# Words after which capitalised words are a person's name
_TITLES = frozenset(
    [
        "prezident",
        "prezidenti",
        "prezidentinin",
        "nazir",
        "naziri",
        "nazirinin",
        "sözçü",
        "sözçüsü",
        "spiker",
        "spikeri",
        "səfir",
        "səfiri",
        "deputat",
        "deputatı",
        "jurnalist",
        "jurnalisti",
        "müxbir",
        "müxbiri",
        "rəhbəri",
        "rəhbər",
        "direktor",
        "direktoru",
        "redaktoru",
        "redaktor",
        "sədr",
        "sədri",
        "müavini",
        "köməkçisi",
        "baş",
        "katib",
        "katibi",
        "general",
        "polkovnik",
        "mayor",
        "leytenant",
        "xanım",
        "bəy",
        "cənab",
        "hakim",
        "prokuror",
    ]
)
# Capitalised words that begin sentences or follow titles without being names
_NOT_NAMES = frozenset(
    [
        "Bu",
        "Bunu",
        "Bunun",
        "Bundan",
        "O",
        "Onun",
        "Ona",
        "Onlar",
        "Həmin",
        "Amma",
        "Lakin",
        "Ancaq",
        "Və",
        "Də",
        "Bildirilir",
        "Qeyd",
        "Xatırladaq",
        "Məlumat",
        "Hazırda",
        "Daha",
        "Sonra",
        "Bundan",
        "Artıq",
        "Eyni",
        "Zamanda",
        "Rusiya",
        "Azərbaycan",
        "Prezident",
        "Nazir",
        "Baş",
        "İyun",
        "İyul",
        "Avqust",
        "May",
        "Aprel",
        "Mart",
        "Sentyabr",
        "Oktyabr",
        "Noyabr",
        "Dekabr",
        "Yanvar",
        "Fevral",
        "Ölkə",
        "Dövlət",
        "Respublikası",
        "Federasiyası",
        "Nazirliyi",
    ]
)


def _slot_suffix(word: str, slot: tuple[str, ...], proper: bool) -> str:
    """The suffix of ``slot`` that ``word`` ends with ('' for none), leaving a stem of
    three letters or more."""
    low = word.lower()
    suf = next((x for x in slot if low.endswith(x) and len(word) - len(x) >= 3), "")
    # a bare vowel (dative/accusative/possessive) after a consonant
    if (
        not suf
        and slot is not _PLURAL
        and not proper
        and len(word) >= 5
        and low.endswith(_VOWELS)
        and low[-2] not in "aəıiouüöe"
    ):
        suf = low[-1]
    return suf


def strip_suffixes(word: str) -> str:
    """The stem of ``word``: suffixes after an apostrophe go (Bakı'da -> Bakı), then one
    case, one possessive and one plural suffix, outermost first, each only while a stem of
    three letters or more remains (şəhərində -> şəhər, azərbaycanlılar -> azərbaycanlı).
    Surname-shaped words stop at the surname (Əliyevin -> Əliyev; Əliyeva stays)."""
    word = re.split(r"['’]", word, maxsplit=1)[0]
    if len(word) <= 3 or not word.isalpha():
        return word
    proper = word[0].isupper()
    # A surname with a bare case vowel: dative Əliyevə, accusative Əliyevi. Not -a: that
    # is the feminine surname itself (Əliyeva).
    if proper and word[-1] in "əiıuü" and _STRONG_SURNAME.search(word[:-1]):
        return word[:-1]
    for slot in (_CASE, _POSSESSIVE, _PLURAL):
        if proper and _STRONG_SURNAME.search(word):
            break
        suf = _slot_suffix(word, slot, proper)
        if suf:
            word = word[: -len(suf)]
    return word


def _possessed(word: str) -> bool:
    """Whether ``word`` carries a possessive suffix under its case (Ofisinin: ofis + i +
    nin): "Prezident Ofisi" is the president's office, and a person's name after a title
    is never possessed."""
    if not word.isalpha() or (word[0].isupper() and _STRONG_SURNAME.search(word)):
        return False
    proper = word[0].isupper()
    case = _slot_suffix(word, _CASE, proper)
    stem = word[: len(word) - len(case)]
    return bool(_slot_suffix(stem, _THIRD_POSSESSIVE, proper)) and not _STRONG_SURNAME.search(stem)


def case_ending(word: str) -> str:
    """The case suffix ``word`` ends with ('' for the nominative, the case of a
    sentence's subject): after an apostrophe or hyphen (Sputnik Azərbaycan-ın), the
    bare vowel of a surname (Əliyevə), or a case suffix as `strip_suffixes` reads it."""
    split = re.search(r"['’-](\w+)$", word)
    if split:
        return split.group(1)
    if len(word) <= 3 or not word.isalpha():
        return ""
    proper = word[0].isupper()
    if proper and word[-1] in "əiıuü" and _STRONG_SURNAME.search(word[:-1]):
        return word[-1]
    if proper and _STRONG_SURNAME.search(word):
        return ""
    return _slot_suffix(word, _CASE, proper)


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in _SENT_END.finditer(text):
        before = text[start : m.start()].split()
        last = before[-1].rstrip(".") if before else ""
        if len(last) == 1 or last.lower() in _ABBREV:
            continue  # an initial (İ. Əliyev) or an abbreviation
        end = m.end()
        chunk = text[start:end].rstrip()
        if chunk:
            spans.append((start, start + len(chunk)))
        start = end
    tail = text[start:].rstrip()
    if tail.strip():
        lead = len(tail) - len(tail.lstrip())
        spans.append((start + lead, start + len(tail)))
    return [(s + (len(text[s:e]) - len(text[s:e].lstrip())), e) for s, e in spans]


class AzerbaijaniBackend(LanguageBackend):
    lang = "az"
    name = "az-rules"

    def __init__(self, settings: Settings | None = None) -> None:
        self.gaz = gazetteer()

    def analyse(self, text: str, *, parse: bool = True) -> Analysis:
        sentences = []
        for s, e in _sentence_spans(text):
            toks = tuple(
                Token(
                    start=s + m.start(),
                    end=s + m.end(),
                    text=m.group(0),
                    lemma=strip_suffixes(m.group(0)),
                    pos="PUNCT" if not m.group(0)[0].isalnum() else "",
                )
                for m in _TOKEN.finditer(text[s:e])
            )
            sentences.append(Sentence(start=s, end=e, tokens=toks, parsed=False))
        return Analysis(
            lang=self.lang,
            sentences=tuple(sentences),
            entities=tuple(self.entities(text, sentences)),
        )

    def entities(self, text: str, sentences: list[Sentence]) -> list[EntityMention]:
        out: list[EntityMention] = []
        for h in self.gaz.find(text, "az"):
            out.append(h.mention(0.9))
        for sent in sentences:
            out.extend(self._persons(text, sent, out))
        out.sort(key=lambda m: (m.start, -m.end))
        return resolve_document(out)

    def _persons(
        self, text: str, sent: Sentence, taken: list[EntityMention]
    ) -> list[EntityMention]:
        toks = sent.tokens
        found: list[EntityMention] = []

        def free(t: Token) -> bool:
            return not any(overlaps(t.start, t.end, m.start, m.end) for m in taken + found)

        def cap(t: Token) -> bool:
            return t.text[:1].isupper() and t.text.isalpha() is not False and free(t)

        i = 0
        while i < len(toks):
            t = toks[i]
            span: tuple[int, int] | None = None
            conf = 0.7
            lower = t.text.lower()
            if lower in _TITLES and i + 1 < len(toks) and cap(toks[i + 1]):
                # up to three capitalised words after a title
                j = i + 1
                while (
                    j < len(toks)
                    and j < i + 4
                    and cap(toks[j])
                    and toks[j].text not in _NOT_NAMES
                    and not _possessed(toks[j].text)
                ):
                    j += 1
                if j > i + 1:
                    span, conf = (i + 1, j), 0.75
            elif cap(t) and t.text not in _NOT_NAMES and i + 1 < len(toks) and cap(toks[i + 1]):
                # Name Surname: the surname's stem carries a surname ending; -lı/-li alone
                # is weak (Bakılı, Gəncəli), so it needs the first name before it
                nxt = strip_suffixes(toks[i + 1].text)
                if _SURNAME_END.search(nxt):
                    j = i + 2
                    if (
                        j < len(toks)
                        and cap(toks[j])
                        and _SURNAME_END.search(strip_suffixes(toks[j].text))
                    ):
                        j += 1  # a patronymic-like third part
                    span = (i, j)
            elif (
                cap(t)
                and t.text not in _NOT_NAMES
                and i + 3 < len(toks)
                and toks[i + 1].text.lower() in ("və", ",")
                and cap(toks[i + 2])
                and cap(toks[i + 3])
                and _SURNAME_END.search(strip_suffixes(toks[i + 3].text))
            ):
                # "Hüseyn və Ziyəddin Səfərov": a given name coordinated with a full
                # name (the document stage gives it the shared surname)
                span, conf = (i, i + 1), 0.6
            elif (
                cap(t)
                and t.text not in _NOT_NAMES
                and len(t.text) > 4
                and _STRONG_SURNAME.search(strip_suffixes(t.text))
            ):
                # a lone surname (Əliyev bildirib); common words do not end in -ov/-yev,
                # so a sentence-initial one is taken too
                span, conf = (i, i + 1), 0.6
            if span is None:
                i += 1
                continue
            a, b = span
            words = [toks[k].text for k in range(a, b)]
            words[-1] = strip_suffixes(words[-1])
            canonical = " ".join(words)
            start, end = toks[a].start, toks[b - 1].end
            found.append(
                make_mention(
                    start,
                    end,
                    text[start:end],
                    EntityType.PER,
                    canonical,
                    "az-rules",
                    conf,
                    azerbaijani=True,
                )
            )
            i = b
        return found


def _factory(settings: Settings) -> LanguageBackend:
    return AzerbaijaniBackend(settings)


register_backend("az", _factory)

"""Entity keys, gazetteers and within-document name resolution, shared by every backend.

``translit_key`` gives a script-independent key so that one person or place spelled in
Azerbaijani Latin, Russian Cyrillic or English transliteration (Səfərov / Сафаров /
Safarov) lands on one key. Keys are deliberately lossy: they join mentions, the
``canonical`` text is what a reader sees.

The gazetteers (``data/outlets.json``, ``agencies.json``, ``places.json``,
``demonyms.json``) correct the typical errors of the statistical models on this news
(an outlet read as a person, a demonym read as a person, a city read as a person) and find
outlets the models miss. They are general lists, not keyed to any one text.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from anyascii import anyascii

from .types import EntityMention, EntityType

# --- transliteration keys -------------------------------------------------------------

# Letters only Azerbaijani (and Turkish) Latin uses; their presence switches on the
# Azerbaijani table, so English "c"/"x"/"q" in ordinary names are left alone.
_AZ_MARKERS = frozenset("əığşçöüƏĞŞÇÖÜİ")  # not "I": English has it too
_AZ_MARKERS_LOWER = frozenset("əığşçöü")
_AZ_TABLE = str.maketrans(
    {
        "ə": "a",
        "x": "kh",
        "q": "g",
        "ğ": "gh",
        "ı": "y",
        "ç": "ch",
        "ş": "sh",
        "c": "dzh",
        "j": "zh",
        "ö": "o",
        "ü": "u",
    }
)
# Russian -> Latin close to the spelling English news uses (Алиев -> aliev, Гусейн -> gusein)
_CYR_TABLE = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ё": "e",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "й": "i",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
        "ә": "a",
        "ғ": "gh",
        "ҹ": "dzh",
        "ҝ": "g",
        "һ": "h",
        "ө": "o",
        "ү": "u",
    }
)
# Oblique case endings of Russian -ов/-ев/-ин surnames, after transliteration. Only the
# forms that cannot be a nominative are folded: "-ova" stays (it is also the feminine
# nominative: Захарова), "-ovu/-ovym/-ove" cannot be.
_RU_SURNAME_CASES = re.compile(r"(ov|ev|in)(u|ym|om|e|ymi)$")
_RU_FEM_CASES = re.compile(r"(ov|ev|in)(oi|u)$")
# Azerbaijani case suffixes on a surname (Əliyevin, Əliyevə, Səfərovdan), kept off
# the key only after a surname ending, where they cannot be part of the name.
# The bare dative -ə (Əliyevə) is taken off before transliteration (`_AZ_DATIVE`): once ə
# is a, it cannot be told from the feminine surname (Əliyeva).
_AZ_SURNAME_CASES = re.compile(r"(ov|ev|ova|eva|zada)(in|yn|un|da|dan|la)$")
_AZ_DATIVE = re.compile(r"(?<=ov|ev)ə\b")


def _fold_word(word: str, *, cyrillic: bool) -> str:
    if cyrillic:
        fem = _RU_FEM_CASES.search(word)
        if fem and fem.group(2) == "oi":
            word = word[: fem.start(2)] + "a"
        else:
            word = _RU_SURNAME_CASES.sub(r"\1", word)
    # Russian writes Turkic h as г and English as h/kh: fold all three onto g
    word = word.replace("dzh", "j").replace("dj", "j").replace("kh", "h").replace("h", "g")
    word = re.sub(r"(?<![a-z])ye", "e", word)  # Yerevan / Ереван, Yekaterinburg
    word = word.replace("ye", "e")  # Aliyev / Алиев
    word = word.replace("y", "i")
    word = re.sub(r"(.)\1+", r"\1", word)  # Hassanov / Hasanov
    # a final -u/-i/-y after a consonant is how short exonyms differ (Bakı / Баку / Baku);
    # longer words keep it so "Azerbaijani" and "Azerbaijan" stay apart
    if 3 < len(word) <= 5:
        word = re.sub(r"(?<=[bcdfghjklmnpqrstvwxz])[iu]$", "", word)
    return word


# Names repeat across a corpus and the key is a pure function of the name; the cache keeps
# the folding (several regexes and tables per word) off the per-mention path.
@lru_cache(maxsize=1 << 16)
def translit_key(name: str, *, azerbaijani: bool = False) -> str:
    """A script-independent key for ``name``: Azerbaijani Latin, Cyrillic and English
    transliterations of one name share it (Səfərov / Сафаров / Safarov -> ``safarov``).

    Steps: the Azerbaijani table when the name uses Azerbaijani letters, then Cyrillic,
    then an ASCII fold of anything left; then spelling folds (kh/h/g, ye/e, y/i, double
    letters, final -u/-i) and the oblique case endings of surnames where they cannot be
    part of a nominative form.

    ``azerbaijani``: the name was read in Azerbaijani text, so its Latin letters are
    Azerbaijani ones even when none of them is specific (Mariya Zaxarova: x = kh).
    """
    text = unicodedata.normalize("NFC", name).strip()
    text = re.sub(r"['’`ʼ]\w*", "", text)  # Bakı'da, Əliyev'in: the suffix after an apostrophe
    az = azerbaijani or any(ch in _AZ_MARKERS for ch in text)
    has_cyr = any("\u0400" <= ch <= "\u04ff" for ch in text)
    # Azerbaijani İ/I must not go through Python's lower() (İ -> i + combining dot)
    text = text.replace("İ", "i").replace("I", "ı" if az and not text.isupper() else "i").lower()
    if az:
        text = _AZ_DATIVE.sub("", text)
    if az or any(ch in _AZ_MARKERS_LOWER for ch in text):
        text = text.translate(_AZ_TABLE)
    text = text.translate(_CYR_TABLE)
    text = anyascii(text).lower()
    words = re.findall(r"[a-z0-9]+", text)
    out = []
    for w in words:
        if az:
            w = _AZ_SURNAME_CASES.sub(r"\1", w)
        out.append(_fold_word(w, cyrillic=has_cyr))
    return " ".join(w for w in out if w)


@cache
def titles_data() -> dict[str, Any]:
    """data/titles.json: titles per language, and the spokesperson title stems."""
    text = resources.files("triangulate.data").joinpath("titles.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def _titles(lang: str) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(t.lower().split()) for t in titles_data().get(lang, []))


def title_words(words: Sequence[str], lang: str) -> int:
    """How many of ``words`` at the front are titles (data/titles.json: "Spokeswoman",
    "Deputy Prime Minister"), leaving at least two words for the name itself."""
    titles = _titles(lang)
    low = [w.lower().strip(".") for w in words]
    n = 0
    while len(low) - n > 2:
        step = next((k for k in (3, 2, 1) if tuple(low[n : n + k]) in titles), 0)
        if not step or len(low) - n - step < 2:
            break
        n += step
    return n


# --- gazetteers -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GazEntry:
    key: str  # the list's own key ("sputnik_az", "baku", "azerbaijani")
    name: str  # canonical display name
    type: EntityType
    weak: bool = False  # only relabels a span a model found, never creates one

    def mention(
        self,
        start: int,
        end: int,
        text: str,
        source: str,
        confidence: float,
        canonical: str | None = None,
    ) -> EntityMention:
        """A mention of this entry at a span; its key always comes from the entry's name,
        so every script's spelling of it shares the key."""
        return make_mention(
            start,
            end,
            text,
            self.type,
            canonical or self.name,
            source,
            confidence,
            key_name=self.name,
        )


def make_mention(
    start: int,
    end: int,
    text: str,
    type: EntityType,
    canonical: str,
    source: str,
    confidence: float,
    *,
    key_name: str | None = None,
    azerbaijani: bool = False,
) -> EntityMention:
    """An entity mention with its script-independent key (from ``key_name`` or the
    canonical name; ``azerbaijani`` as in `translit_key`)."""
    key = translit_key(key_name or canonical, azerbaijani=azerbaijani)
    return EntityMention(start, end, text, type, canonical, key, source, confidence)


@dataclass(frozen=True, slots=True)
class GazHit:
    start: int
    end: int
    text: str
    entry: GazEntry

    def mention(self, confidence: float) -> EntityMention:
        """The entity mention this hit stands for, named as the gazetteer names it."""
        return self.entry.mention(self.start, self.end, self.text, "gazetteer", confidence)


def _load(name: str) -> dict[str, object]:
    data = resources.files("triangulate.data").joinpath(name).read_text(encoding="utf-8")
    loaded: dict[str, object] = json.loads(data)
    return loaded


# Russian nominal endings allowed after a stem so inflected forms match (Екатеринбурге,
# Москвы, России, Следственного). Kept to real endings so a demonym (Грузин) is not read
# as its country (Грузия).
_RU_ENDINGS = (
    "ого|его|ому|ему|ыми|ими|ами|ями|ой|ей|ом|ем|ую|юю|ая|яя|ые|ие|ых|их|ым|им|ою|ью|ев|ов|"
    "ам|ям|ах|ях|а|я|у|ю|е|и|ы|ь|й"
)
_RU_ADJ = ("ый", "ий", "ой", "ая", "ое", "ые", "ие", "яя")
# Azerbaijani suffixes (case, plural, possessive, -dakı), up to three stacked
_AZ_SUFFIX = (
    "ların|lərin|ları|ləri|lar|lər|nın|nin|nun|nün|dakı|dəki|ndakı|ndəki|ndan|ndən|nda|ndə|"
    "dan|dən|tan|tən|da|də|ta|tə|ya|yə|na|nə|nı|ni|nu|nü|yla|ylə|la|lə|sı|si|su|sü|ın|in|un|ün|"
    "lı|li|lu|lü|a|ə|ı|i|u|ü"
)
_WORD_END = r"(?![\w])"
_WORD_START = r"(?<![\w.])"


def _variant_pattern(variant: str, lang: str) -> str:
    words = variant.split(" ")
    if lang == "ru":
        parts = []
        for w in words:
            if len(w) >= 4 and not w.isupper() and w.isalpha():
                # adjectives lose their two-letter ending, nouns a final vowel/soft sign
                stem = w[:-2] if len(w) >= 6 and w.endswith(_RU_ADJ) else w
                stem = stem[:-1] if stem == w and w[-1] in "аяйьоые" else stem
                parts.append(re.escape(stem) + f"(?:{_RU_ENDINGS})?")
            else:
                parts.append(re.escape(w))
        return r"\s+".join(parts)
    if lang == "az":
        parts = [re.escape(w) for w in words]
        parts[-1] += rf"(?:['’]?(?:{_AZ_SUFFIX}){{1,3}})?"
        return r"\s+".join(parts)
    en = r"\s+".join(re.escape(w) for w in words)
    return en


class Gazetteer:
    """All lists, compiled per language into one alternation (longest variants first)."""

    def __init__(self) -> None:
        self.forms: dict[str, dict[str, GazEntry]] = {"en": {}, "ru": {}, "az": {}}
        outlets = _load("outlets.json")["outlets"]
        agencies = _load("agencies.json")["agencies"]
        places = _load("places.json")["places"]
        demonyms = _load("demonyms.json")["groups"]
        assert isinstance(outlets, list) and isinstance(agencies, list)
        assert isinstance(places, list) and isinstance(demonyms, dict)
        for rec in outlets:
            self._add_all(rec, EntityType.MEDIA)
        for rec in agencies:
            self._add_all(rec, EntityType.ORG)
        for rec in places:
            entry = GazEntry(rec["key"], rec["name"], EntityType.LOC)
            for lang in ("en", "ru", "az"):
                for v in rec[lang]:
                    self.forms[lang].setdefault(v, entry)
        for key, by_lang in demonyms.items():
            entry = GazEntry(key, by_lang["en"][0], EntityType.NORP)
            for lang in ("en", "ru", "az"):
                for v in by_lang[lang]:
                    self.forms[lang].setdefault(v, entry)
                    if lang != "en":  # sentence-initial capitalised forms
                        self.forms[lang].setdefault(v[:1].upper() + v[1:], entry)
        self._patterns: dict[str, re.Pattern[str]] = {}
        self._lookup: dict[str, list[tuple[re.Pattern[str], GazEntry]]] = {}

    def _add_all(self, rec: dict[str, object], etype: EntityType) -> None:
        variants = rec["variants"]
        weak = rec.get("weak", [])
        assert isinstance(variants, list) and isinstance(weak, list)
        name = str(rec["name"])
        for v in variants:
            entry = GazEntry(str(rec["key"]), name, etype, weak=v in weak)
            # outlet and agency names are written in Latin or Cyrillic whatever the
            # language of the text, so every language gets every variant
            for lang in ("en", "ru", "az"):
                self.forms[lang].setdefault(v, entry)

    def _compiled(self, lang: str) -> re.Pattern[str]:
        if lang not in self._patterns:
            forms = sorted(self.forms[lang], key=len, reverse=True)
            self._lookup[lang] = [
                (re.compile(_variant_pattern(f, lang) + r"\Z"), self.forms[lang][f]) for f in forms
            ]
            alt = "|".join(_variant_pattern(f, lang) for f in forms)
            self._patterns[lang] = re.compile(f"{_WORD_START}(?:{alt}){_WORD_END}")
        return self._patterns[lang]

    def entry_for(self, text: str, lang: str) -> GazEntry | None:
        """The entry whose variant (inflected as the language allows) is exactly ``text``."""
        text = re.sub(r"\s+", " ", text.strip())
        lang = lang if lang in self.forms else "en"
        hit = self.forms[lang].get(text)
        if hit is not None:
            return hit
        if lang == "en":
            # "the Kremlin", "Sputnik Azerbaijan's"
            stripped = re.sub(r"^(?:the|The)\s+|['’]s$", "", text)
            return self.forms[lang].get(stripped)
        self._compiled(lang)
        for pat, entry in self._lookup[lang]:
            if pat.match(text):
                return entry
        return None

    def find(self, text: str, lang: str, *, include_weak: bool = False) -> list[GazHit]:
        """Non-overlapping gazetteer hits in ``text`` (leftmost, then longest)."""
        lang = lang if lang in self.forms else "en"
        hits: list[GazHit] = []
        for m in self._compiled(lang).finditer(text):
            entry = self.entry_for(m.group(0), lang)
            if entry is None or (entry.weak and not include_weak):
                continue
            hits.append(GazHit(m.start(), m.end(), m.group(0), entry))
        return hits


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer, built once per process."""
    return Gazetteer()


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def merge_gazetteer(
    mentions: Sequence[EntityMention], hits: Iterable[GazHit], *, confidence: float = 0.9
) -> list[EntityMention]:
    """Add gazetteer hits to model mentions, sorted by offset. A hit no mention overlaps
    is added; a hit longer than every mention it overlaps replaces them (the model cut
    "Modern.Az" or "Sputnik Azerbaijan" into pieces); otherwise the model's span stays."""
    out = list(mentions)
    for h in hits:
        clash = [m for m in out if overlaps(h.start, h.end, m.start, m.end)]
        if any(
            m.start < h.start or m.end > h.end or m.end - m.start >= h.end - h.start for m in clash
        ):
            continue
        out = [m for m in out if m not in clash]
        out.append(h.mention(confidence))
    out.sort(key=lambda m: (m.start, -m.end))
    return out


# --- within-document resolution ---------------------------------------------------------

_RESOLVABLE = {EntityType.PER, EntityType.ORG, EntityType.MISC}


def resolve_document(mentions: list[EntityMention]) -> list[EntityMention]:
    """Map short person names to the full name seen in the same document.

    Rule: a person mention of one word (after its canonical form) is matched against the
    multi-word person names of the document by the key of their last word (the surname)
    and, failing that, of their first word (a first name used alone). When exactly one
    distinct full name matches, the short mention takes that name's canonical text and key
    and its source becomes "coref"; when several full names share the surname ("Safarov"
    with both "Elnur Safarov" and "Rauf Safarov") the mention is left as it is, since
    choosing would be a guess. A one-word ORG/MISC mention whose key is the surname of
    exactly one full person name is also taken to be that person (models often label a
    bare surname ORG). The order of mentions does not matter: a short form before the full
    name resolves too.
    """
    full: dict[str, EntityMention] = {}
    for m in mentions:
        if m.type is EntityType.PER and len(m.key.split()) >= 2:
            full.setdefault(m.key, m)
    by_last: dict[str, set[str]] = {}
    by_first: dict[str, set[str]] = {}
    for key in full:
        parts = key.split()
        by_last.setdefault(parts[-1], set()).add(key)
        by_first.setdefault(parts[0], set()).add(key)
    out: list[EntityMention] = []
    for m in mentions:
        parts = m.key.split()
        if m.type not in _RESOLVABLE or len(parts) != 1:
            out.append(m)
            continue
        cands = by_last.get(parts[0], set())
        if not cands and m.type is EntityType.PER:
            cands = by_first.get(parts[0], set())
        if len(cands) == 1:
            target = full[next(iter(cands))]
            out.append(
                replace(
                    m,
                    type=EntityType.PER,
                    canonical=target.canonical,
                    key=target.key,
                    source="coref",
                )
            )
        else:
            out.append(m)
    return out


# "Huseyn and Ziyaddin Safarov", "Гусейн и Зияддин Сафаровы", "Hüseyn və Ziyəddin Səfərov":
# two given names sharing one surname. Models tag the lone first name as anything (ORG,
# NORP, nothing); it is a person with the shared surname.
_COORDINATION = re.compile(r"^\s*(?:and|и|və|,)\s*$")


# A lone word with a surname ending is a person's surname, not a given name waiting for
# one ("Aliyev and Vladimir Putin" is two people).
_SURNAME_SHAPE = re.compile(
    r"(?:ov|ova|ev|eva|yev|yeva|zadə|zade|ski|sky|skiy|enko|ovich|evich)$", re.IGNORECASE
)


def expand_coordinated_names(text: str, mentions: list[EntityMention]) -> list[EntityMention]:
    out = list(mentions)
    by_start = sorted(range(len(out)), key=lambda k: out[k].start)
    # Surnames of the document's full person names: such a word alone is that person.
    surnames = {
        translit_key(m.canonical.split()[-1])
        for m in mentions
        if m.type is EntityType.PER and len(m.canonical.split()) >= 2
    }
    for a, b in itertools.pairwise(by_start):
        first, full = out[a], out[b]
        word = first.text.strip()
        if (
            full.type is not EntityType.PER
            or " " in word
            or len(full.canonical.split()) < 2
            or _SURNAME_SHAPE.search(word)
            or translit_key(word) in surnames
        ):
            continue
        if not _COORDINATION.match(text[first.end : full.start]) or not first.text[:1].isupper():
            continue
        surname = full.canonical.split()[-1]
        name = f"{first.text.strip()} {surname}"
        out[a] = make_mention(
            first.start, first.end, first.text, EntityType.PER, name, "coordination", 0.8
        )
    return out

"""Turn an input's bytes into text, finding the encoding from the bytes themselves.

The order of evidence, strongest first:

1. Known binary signatures (PNG, JPEG, PDF, ZIP, ELF, ...) and NUL bytes: not text.
2. A byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) names the encoding outright.
3. Bytes that decode as strict UTF-8 are UTF-8 (other encodings of real text almost never
   happen to form valid multi-byte UTF-8 sequences).
4. Text that is UTF-8 apart from a few stray bytes (under 1 %) is UTF-8 with those bytes
   replaced by U+FFFD, and a warning says how many.
5. Otherwise a single-byte encoding: cp1252, cp1251, koi8-r and a declared charset (from an
   HTML meta tag or an HTTP header) are each decoded and scored by ``_plausibility``; the
   most plausible wins. A declared charset is only a tie-breaker, never trusted blindly:
   pages lie about their charset often enough.

The returned text keeps every character of the input except that line ends become "\\n"
and a leading BOM is dropped: later stages take character offsets into it.
"""

from __future__ import annotations

import codecs
import itertools
import math
import re
from dataclasses import dataclass

from ..errors import BinaryInput, EmptyInput

__all__ = ["Decoded", "decode_bytes"]


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # Python codec name as found, e.g. "utf-8", "cp1251", "utf-16-le"
    warnings: tuple[str, ...] = ()


# --- binary detection -----------------------------------------------------------------

# (prefix, what it is). Checked before anything else; none of these can start a BOM.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.epub, which are ZIP files)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x7fELF", "an ELF executable"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

# Control characters that do occur in text files.
_TEXT_CONTROLS = frozenset("\t\n\r\x0b\x0c")
_MAX_CONTROL_SHARE = 0.05  # random bytes give ~10 %; real text next to none


def _sniff_magic(data: bytes) -> str | None:
    for prefix, what in _MAGIC:
        if data.startswith(prefix):
            return what
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "a RIFF media file"
    if re.match(rb"BZh[1-9]1AY&SY", data[:10]):
        return "bzip2-compressed data"
    return None


# Category Cc is exactly U+0000-U+001F and U+007F-U+009F; a character class counts them
# far faster than a per-character category look-up.
_CONTROL_RE = re.compile(
    "["
    + "".join(
        re.escape(chr(c))
        for c in [*range(0x20), *range(0x7F, 0xA0)]
        if chr(c) not in _TEXT_CONTROLS
    )
    + "]"
)


def _control_count(text: str) -> int:
    return len(_CONTROL_RE.findall(text))


def _check_controls(text: str, name: str) -> None:
    # Count over a bounded prefix: binary content shows itself at once, and counting
    # characters one by one over a 20 MB text would be slow for no gain.
    sample = text[:65536]
    if not sample:
        return
    controls = _control_count(sample)
    if controls >= 2 and controls / len(sample) > _MAX_CONTROL_SHARE:
        share = 100 * controls / len(sample)
        raise BinaryInput(
            f"binary data: {share:.0f}% of the characters are control characters",
            input_name=name,
        )


# --- BOMs ------------------------------------------------------------------------------

# UTF-32 LE must be tested before UTF-16 LE: its BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _decode_lenient(data: bytes, codec: str) -> tuple[str, int]:
    """Decode, replacing bad sequences; also return how many were replaced. ("replace"
    inserts one U+FFFD per bad sequence and "ignore" none, so the length difference is
    the count, without confusing real U+FFFD characters in the input for errors.)"""
    replaced = data.decode(codec, errors="replace")
    ignored = data.decode(codec, errors="ignore")
    return replaced, len(replaced) - len(ignored)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows as NUL bytes all at odd (LE) or all at even (BE)
    positions: ASCII-range characters have a zero high byte. Binary data has NULs at
    both parities. Returns the codec name or None."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    if odd_nuls and not even_nuls and odd_nuls >= 0.1 * half:
        return "utf-16-le"
    if even_nuls and not odd_nuls and even_nuls >= 0.1 * half:
        return "utf-16-be"
    return None


# --- declared charsets -------------------------------------------------------------------

# WHATWG (what browsers do): a page labelled latin-1 or ascii is decoded as windows-1252.
_DECLARED_ALIASES = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252"}


def _normalise_declared(declared: str | None) -> tuple[str | None, str | None]:
    """Return (python codec name or None, warning or None)."""
    if declared is None:
        return None, None
    label = declared.strip().strip("\"'").strip().lower()
    if not label:
        return None, None
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None, f"declared charset {declared!r} is unknown; ignored"
    return _DECLARED_ALIASES.get(codec, codec), None


def _is_unicode_codec(codec: str) -> bool:
    return codec.startswith(("utf-", "utf_"))


def _is_single_byte(codec: str) -> bool:
    if _is_unicode_codec(codec):
        return False
    try:
        return len(bytes(range(256)).decode(codec, errors="replace")) == 256
    except (LookupError, ValueError, TypeError):
        return False


# --- plausibility score for single-byte candidates -------------------------------------
#
# Only bytes >= 0x80 differ between cp1252, cp1251 and koi8-r, so only the non-ASCII
# characters carry evidence. The score is a weighted mean over:
#
# * each word (run of letters) holding a non-ASCII letter, weighted by its number of
#   non-ASCII letters. A word scores from -1 to 1:
#   - mixing Cyrillic and Latin letters ("Cafй"): -1, the mark of a wrong code page;
#   - otherwise half of it is letter case: all lower or Capitalised = 1, ALL CAPS = 0.6,
#     anything else ("пРИВЕТ", which is what koi8-r read as cp1251 and vice versa looks
#     like: the two code pages put upper and lower case in swapped halves) = -1;
#   - the other half, for Cyrillic words, is how Russian the letters look, measured
#     over the whole sample: the mean log frequency of the letters (scaled 0..1) and the
#     share of adjacent letter pairs that are among the commonest Russian bigrams (about
#     45 % in real text, about 12 % when the other Cyrillic code page scrambles the
#     alphabet). This half also settles ALL CAPS text, where case says nothing;
#   - for Latin words: real Western text has a few accented letters among plain ones
#     ("café", "Müller"); a word made mostly of accented letters ("ìîñêâà") is Cyrillic
#     read as cp1252.
# * each non-ASCII non-letter: common typography (« » — “ ” № …) 0.3, anything else
#   (box drawing, controls, ¤ ¦ ¬) -1, weight 1.
#
# On a few sentences of real text the right code page scores around 0.7-0.9 and the
# wrong ones well below.

# Russian letter frequencies, per mille (national corpus figures, rounded).
_RU_FREQ = {
    "о": 109.7, "е": 84.5, "а": 80.1, "и": 73.5, "н": 67.0, "т": 62.6, "с": 54.7,
    "р": 47.3, "в": 45.4, "л": 44.0, "к": 34.9, "м": 32.1, "д": 29.8, "п": 28.1,
    "у": 26.2, "я": 20.1, "ы": 19.0, "ь": 17.4, "г": 17.0, "з": 16.5, "б": 15.9,
    "ч": 14.4, "й": 12.1, "х": 9.7, "ж": 9.4, "ш": 7.3, "ю": 6.4, "ц": 4.8,
    "щ": 3.6, "э": 3.2, "ф": 2.6, "ъ": 0.4, "ё": 0.4,
}  # fmt: skip
_RU_MIN = min(_RU_FREQ.values())
_RU_SPAN = math.log(max(_RU_FREQ.values()) / _RU_MIN)
_RU_WEIGHT = {ch: math.log(f / _RU_MIN) / _RU_SPAN for ch, f in _RU_FREQ.items()}
_OTHER_CYRILLIC_WEIGHT = 0.5  # і ї є ґ ў ...: real in Ukrainian/Belarusian, not rare junk

# The commonest Russian letter pairs.
_RU_BIGRAMS = frozenset(
    {
        "ст",
        "но",
        "то",
        "на",
        "ен",
        "ов",
        "ни",
        "ра",
        "во",
        "ко",
        "ро",
        "ре",
        "ос",
        "пр",
        "по",
        "ер",
        "ал",
        "ан",
        "ри",
        "ли",
        "ть",
        "ет",
        "не",
        "ол",
        "от",
        "ор",
        "ка",
        "ва",
        "ла",
        "ел",
        "ом",
        "де",
        "ит",
        "ат",
        "ти",
        "ес",
        "та",
        "ак",
        "го",
        "ое",
        "ин",
        "ой",
        "ие",
        "ся",
        "ны",
        "ле",
        "ве",
        "за",
        "ль",
        "ло",
        "ия",
        "ск",
        "ем",
        "ам",
        "ед",
        "он",
        "ев",
        "ди",
        "да",
        "ма",
        "ме",
        "ми",
        "ки",
        "ил",
        "ых",
        "ии",
        "ег",
    }
)
_RU_BIGRAM_FULL = 0.4  # a share this high or higher counts as fully Russian

_TYPOGRAPHY = frozenset("«»„“”‘’‚—–…•№°€©®™§±×·\u00a0\u00ad†‡‰‹›")

_WORD_RE = re.compile(r"[^\W\d_]+")


def _is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff"


def _is_latin(ch: str) -> bool:
    return ch.isascii() or ("\u00c0" <= ch <= "\u024f" and ch not in "×÷")


def _case_score(word: str) -> float:
    if word.islower():
        return 1.0
    if word.isupper():
        return 1.0 if len(word) == 1 else 0.6
    if word[0].isupper() and word[1:].islower():
        return 1.0
    return -1.0


def _russian_likeness(words: list[str]) -> float:
    """-1..1: how much these (Cyrillic) words look like Russian; see above."""
    letters = pairs = hits = 0
    freq = 0.0
    for word in words:
        low = word.lower()
        letters += len(low)
        freq += sum(_RU_WEIGHT.get(ch, _OTHER_CYRILLIC_WEIGHT) for ch in low)
        for a, b in itertools.pairwise(low):
            pairs += 1
            hits += (a + b) in _RU_BIGRAMS
    if not letters:
        return 0.0
    freq_part = 2 * freq / letters - 1
    if not pairs:
        return freq_part
    bigram_part = 2 * min(1.0, hits / pairs / _RU_BIGRAM_FULL) - 1
    return 0.5 * freq_part + 0.5 * bigram_part


def _plausibility(text: str) -> float:
    """Score from -1 (garbage) to 1 (looks like real text); see the comment above."""
    total = 0.0
    weight = 0
    cyrillic_words: list[str] = []
    cyrillic_weight = 0
    for match in _WORD_RE.finditer(text):
        word = match.group()
        non_ascii = sum(1 for ch in word if not ch.isascii())
        if not non_ascii:
            continue
        weight += non_ascii
        cyr = sum(1 for ch in word if _is_cyrillic(ch))
        lat = sum(1 for ch in word if _is_latin(ch))
        if cyr and lat:
            total -= non_ascii
        elif cyr == len(word):
            total += non_ascii * 0.5 * _case_score(word)
            cyrillic_words.append(word)
            cyrillic_weight += non_ascii
        elif lat == len(word):
            accented = sum(1 for ch in word if not ch.isascii())
            shape = 1.0 if (len(word) == 1 or accented / len(word) <= 0.5) else -1.0
            total += non_ascii * (0.5 * _case_score(word) + 0.5 * shape)
        # other scripts (Greek, ...) add weight but no opinion
    if cyrillic_words:
        total += cyrillic_weight * 0.5 * _russian_likeness(cyrillic_words)
    for ch in text:
        if not ch.isascii() and not ch.isalpha():
            total += 0.3 if ch in _TYPOGRAPHY else -1.0
            weight += 1
    return total / weight if weight else 0.0


_SCORE_SAMPLE = 32768  # bytes scored: plenty of evidence, bounded time
_DECLARED_BONUS = 0.1  # enough to settle a near-tie, never to overrule clear evidence
_LOW_CONFIDENCE = 0.2
_DEFAULT_SINGLE_BYTE = ("cp1252", "cp1251", "koi8-r")  # order settles exact ties


def _guess_single_byte(data: bytes, declared: str | None) -> tuple[str, float]:
    candidates = list(_DEFAULT_SINGLE_BYTE)
    if declared and declared not in candidates and _is_single_byte(declared):
        candidates.insert(0, declared)
    sample = data[:_SCORE_SAMPLE]
    best: tuple[float, str] | None = None
    for codec in candidates:
        try:
            data.decode(codec)  # a code page that cannot decode the input is out
        except UnicodeDecodeError:
            continue
        score = _plausibility(sample.decode(codec))
        if codec == declared:
            score += _DECLARED_BONUS
        if best is None or score > best[0]:
            best = (score, codec)
    if best is None:  # cannot happen while koi8-r (total) is a candidate; be safe
        return "cp1252", -1.0
    return best[1], best[0]


# --- the entry point ----------------------------------------------------------------------

_MOSTLY_UTF8 = 0.01  # share of invalid bytes still treated as damaged UTF-8


def _finish(text: str, encoding: str, warnings: list[str], name: str) -> Decoded:
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyInput("input holds only whitespace", input_name=name)
    _check_controls(text, name)
    return Decoded(text, encoding, tuple(warnings))


def decode_bytes(data: bytes, *, name: str, declared: str | None = None) -> Decoded:
    """Decode ``data`` (the content of input ``name``) into text.

    ``declared`` is a charset label from outside the bytes (HTML meta, HTTP header); it is
    weighed, not obeyed. Raises ``EmptyInput`` for empty or whitespace-only input and
    ``BinaryInput`` for content that is not text.
    """
    if not data:
        raise EmptyInput("empty input (0 bytes)", input_name=name)
    what = _sniff_magic(data)
    if what:
        raise BinaryInput(f"binary data: looks like {what}", input_name=name)

    warnings: list[str] = []
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text, bad = _decode_lenient(data[len(bom) :], codec)
            if bad:
                warnings.append(f"invalid {codec.upper()}: {bad} sequence(s) replaced")
            return _finish(text, codec, warnings, name)

    if b"\x00" in data:
        codec16 = _utf16_without_bom(data)
        if codec16:
            try:
                text = data.decode(codec16)
            except UnicodeDecodeError:
                pass
            else:
                warnings.append(f"no byte-order mark; decoded as {codec16.upper()}")
                return _finish(text, codec16, warnings, name)
        raise BinaryInput("binary data: contains NUL bytes", input_name=name)

    declared_codec, declared_warning = _normalise_declared(declared)
    if declared_warning:
        warnings.append(declared_warning)

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if declared_codec and declared_codec != "utf-8" and not data.isascii():
            warnings.append(f"declared charset {declared!r} ignored: content is valid UTF-8")
        return _finish(text, "utf-8", warnings, name)

    # surrogateescape turns each invalid byte into one lone surrogate, which the encoder
    # then drops: what is left is the valid part, and the length difference the count.
    valid = data.decode("utf-8", errors="surrogateescape").encode("utf-8", errors="ignore")
    bad = len(data) - len(valid)
    multibyte = sum(1 for ch in valid.decode("utf-8") if ord(ch) > 0x7F)
    # Stray bytes in otherwise valid UTF-8 (and there must be real multi-byte characters:
    # ASCII text with one cp1252 quote is cp1252, not broken UTF-8). Text in a single-byte
    # code page almost never forms valid multi-byte sequences by chance, so a short text
    # with more valid multi-byte characters than stray bytes is damaged UTF-8 too.
    if multibyte and (bad / len(data) < _MOSTLY_UTF8 or multibyte >= bad):
        warnings.append(f"invalid UTF-8: {bad} byte(s) replaced with U+FFFD")
        return _finish(data.decode("utf-8", errors="replace"), "utf-8", warnings, name)

    if (
        declared_codec
        and not _is_unicode_codec(declared_codec)
        and not _is_single_byte(declared_codec)
    ):
        # A declared multi-byte encoding (Shift_JIS, GBK, ...) that decodes without error
        # is strong evidence; our single-byte scoring knows nothing about those scripts.
        try:
            return _finish(data.decode(declared_codec), declared_codec, warnings, name)
        except UnicodeDecodeError:
            warnings.append(f"declared charset {declared!r} does not decode the content")

    best, score = _guess_single_byte(data, declared_codec)
    if declared_codec and best != declared_codec:
        warnings.append(f"declared charset {declared!r} disagrees with the content; used {best}")
    if score < _LOW_CONFIDENCE:
        warnings.append(f"encoding guessed as {best} with low confidence")
    return _finish(data.decode(best), best, warnings, name)

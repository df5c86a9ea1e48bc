"""Loaders and a phrase matcher for CAMEO-format (TABARI/PETRARCH) dictionaries.

GDELT/Phoenix users keep their actor, agent and verb knowledge in these plain-text
dictionaries, so Triangulate reads them as they are rather than asking for a conversion.
The formats (as found in the PETRARCH validation dictionaries):

Actors::

    GONDOR [GON]            # phrase and code on one line
    +MINAS_TIRITH           # '+' lines are synonyms of the entry above
    GOLLUM
        [HOB < 950601]      # code before a date
        [HOBGOV 19950601 - 19990815]
        [HOBREB > 990816]   # code after a date
    THE_SHIRE [FRO/BIL/SAM] # several actors at once

Agents::

    !PERSON! = MAN, MEN      # substitution macro usable inside phrases
    POLICE {} [~COP]         # '{}' = no plural; '~X' suffix, 'X~' prefix
    GOLDEN_GOOSE {GOLDEN_GEESE} [~GGS]

Verbs::

    &CURRENCY                # synset: '+' member lines follow
    +DOLLARS
    --- CONTRIBUTE [070] --- # block header with the block's default code
    CONTRIBUTE               # the verb (optionally {irregular forms})
    +DONATE                  # synonym verb sharing the block
    - * &CURRENCY [903]      # pattern: '*' verb, '$' source, '+' target,
                             # '%' compound actor, '^' skip, '_' adjacency

Phrases are matched word by word, case-insensitively; words joined by ``_`` or spaces in
actor and agent phrases are one consecutive phrase. Errors on malformed lines name the
file and line so a dictionary maintainer can go straight to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import MalformedInput

__all__ = [
    "ActorEntry",
    "AgentEntry",
    "CameoDictionaryError",
    "DatedCode",
    "Discards",
    "PatternElement",
    "PhraseMatch",
    "PhraseMatcher",
    "VerbDictionary",
    "VerbEntry",
    "VerbPattern",
    "combine_codes",
    "is_event_code",
    "load_actors",
    "load_agents",
    "load_discards",
    "load_verbs",
    "parse_date",
]

NULL_CODE = "---"


class CameoDictionaryError(MalformedInput):
    """A line of a CAMEO dictionary could not be read; the message names file and line."""

    code = "cameo-dictionary"

    def __init__(self, path: Path | str, line_no: int, reason: str) -> None:
        super().__init__(f"line {line_no}: {reason}", input_name=str(path))
        self.path = str(path)
        self.line_no = line_no

    def __str__(self) -> str:
        return f"{self.path}:{self.line_no}: {self.message}"


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class DatedCode:
    """One code of an actor, valid on dates in ``[start, end]`` (YYYYMMDD, inclusive).

    ``None`` bounds are open; a code with both bounds ``None`` is the default code.
    """

    code: str
    start: int | None = None
    end: int | None = None

    @property
    def restricted(self) -> bool:
        return self.start is not None or self.end is not None

    def applies(self, date: int) -> bool:
        if self.start is not None and date < self.start:
            return False
        return not (self.end is not None and date > self.end)


@dataclass(frozen=True)
class ActorEntry:
    phrases: tuple[tuple[str, ...], ...]
    codes: tuple[DatedCode, ...]
    line: int

    def codes_on(self, date: int | None) -> tuple[str, ...]:
        """The actor codes for ``date``: the first date restriction that holds wins (the
        dictionaries list overriding restrictions first), else the default codes. With no
        date only the default codes apply, because a restricted code is a claim about time.
        A code field may name several actors (``FRO/BIL/SAM``)."""
        chosen: DatedCode | None = None
        if date is not None:
            chosen = next((c for c in self.codes if c.restricted and c.applies(date)), None)
        if chosen is None:
            chosen = next((c for c in self.codes if not c.restricted), None)
        if chosen is None:
            return ()
        return tuple(part for part in chosen.code.split("/") if part)


@dataclass(frozen=True)
class AgentEntry:
    phrases: tuple[tuple[str, ...], ...]
    code: str
    prefix: bool  # True for 'NGO~' (goes before the actor code), False for '~COP'
    line: int


@dataclass(frozen=True)
class PatternElement:
    """One element of a verb pattern.

    ``kind`` is ``word`` (``text`` an uppercase word), ``synset`` (``text`` the synset
    name), ``verb``, ``source``, ``target``, ``compound`` or ``skip``. ``adjacent`` says
    the element must touch the element before it (joined by ``_`` in the dictionary)."""

    kind: str
    text: str = ""
    adjacent: bool = False


@dataclass(frozen=True)
class VerbPattern:
    before: tuple[PatternElement, ...]  # nearest-to-verb first
    after: tuple[PatternElement, ...]  # nearest-to-verb first
    code: str
    line: int

    @property
    def weight(self) -> int:
        """How specific the pattern is; more specific patterns are tried first."""
        return sum(1 for e in (*self.before, *self.after) if e.kind in ("word", "synset"))


@dataclass(frozen=True)
class VerbEntry:
    """A verb (possibly several words; ``head`` indexes the inflected word) with its
    surface forms, default code and the patterns of its block."""

    words: tuple[str, ...]
    head: int
    forms: frozenset[tuple[str, ...]]
    code: str
    patterns: tuple[VerbPattern, ...]
    line: int


@dataclass(frozen=True)
class Discards:
    sentence: tuple[tuple[str, ...], ...]
    story: tuple[tuple[str, ...], ...]

    def hit(self, tokens: Sequence[str]) -> bool:
        upper = [t.upper() for t in tokens]
        for phrase in (*self.sentence, *self.story):
            n = len(phrase)
            if any(tuple(upper[i : i + n]) == phrase for i in range(len(upper) - n + 1)):
                return True
        return False


@dataclass(frozen=True)
class VerbDictionary:
    verbs: tuple[VerbEntry, ...]
    synsets: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)

    def index(self) -> dict[str, list[tuple[tuple[str, ...], int, VerbEntry]]]:
        """Surface form of each verb's head word -> (full form, head index, entry)."""
        out: dict[str, list[tuple[tuple[str, ...], int, VerbEntry]]] = {}
        for entry in self.verbs:
            for form in entry.forms:
                out.setdefault(form[entry.head], []).append((form, entry.head, entry))
        return out


def is_event_code(code: str) -> bool:
    """True for a usable CAMEO event code (starts with two digits). The validation
    dictionaries deliberately carry junk codes (``+++``, ``abc``) that must never be
    emitted, and ``---`` means 'no event'."""
    return len(code) >= 2 and code[:2].isdigit()


# --------------------------------------------------------------------------- reading


_WORD_SPLIT = re.compile(r"[\s_]+")


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(w for w in _WORD_SPLIT.split(text.strip().upper()) if w)


def _strip_comment(line: str) -> str:
    """Drop a ``#`` comment, but not a ``#`` inside a ``[code]`` (``[###]`` is a code)."""
    depth = 0
    for i, ch in enumerate(line):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(0, depth - 1)
        elif ch == "#" and depth == 0:
            return line[:i]
    return line


def _lines(path: Path) -> Iterable[tuple[int, str, bool]]:
    """Yield (line number, text without comments, indented) for content lines, skipping
    ``<!-- ... -->`` blocks, which may span lines."""
    in_block = False
    with path.open(encoding="utf-8", errors="replace") as fh:
        for no, raw in enumerate(fh, 1):
            line = raw.rstrip("\n")
            if in_block:
                if "-->" in line:
                    in_block = False
                continue
            if line.lstrip().startswith("<!"):
                in_block = "-->" not in line
                continue
            text = _strip_comment(line)
            if not text.strip():
                continue
            yield no, text.rstrip(), line[:1] in (" ", "\t")


def parse_date(text: str) -> int:
    """``YYYYMMDD`` or TABARI's ``YYMMDD`` (years 00-29 are 20xx) to an int YYYYMMDD."""
    text = text.strip()
    if not text.isdigit() or len(text) not in (6, 8):
        raise ValueError(f"bad date {text!r} (want YYMMDD or YYYYMMDD)")
    if len(text) == 6:
        yy = int(text[:2])
        text = ("20" if yy < 30 else "19") + text
    value = int(text)
    month, day = value // 100 % 100, value % 100
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise ValueError(f"bad date {text!r}")
    return value


_CODE_RE = re.compile(r"^([^\s<>]+)\s*(.*)$")


def _dated_code(body: str) -> DatedCode:
    m = _CODE_RE.match(body.strip())
    if not m:
        raise ValueError("empty code block")
    code, rest = m.group(1), m.group(2).replace(" ", "")
    if not rest:
        return DatedCode(code)
    if rest.startswith("<"):
        # '<d' means strictly before d
        return DatedCode(code, None, parse_date(rest[1:]) - 1)
    if rest.startswith(">"):
        return DatedCode(code, parse_date(rest[1:]) + 1, None)
    if "-" in rest:
        lo, hi = rest.split("-", 1)
        return DatedCode(code, parse_date(lo), parse_date(hi))
    raise ValueError(f"bad date restriction {rest!r}")


def _brackets(text: str) -> tuple[str, list[str]]:
    """Split ``PHRASE [a] [b]`` into the phrase and the bracket bodies."""
    head, bodies, pos = [], [], 0
    while True:
        i = text.find("[", pos)
        if i < 0:
            head.append(text[pos:])
            break
        j = text.find("]", i)
        if j < 0:
            raise ValueError("unclosed '['")
        head.append(text[pos:i])
        bodies.append(text[i + 1 : j])
        pos = j + 1
    rest = "".join(head)
    if "]" in rest:
        raise ValueError("unmatched ']'")
    return rest, bodies


# --------------------------------------------------------------------------- actors


def load_actors(path: Path | str) -> list[ActorEntry]:
    path = Path(path)
    entries: list[ActorEntry] = []
    phrases: list[tuple[str, ...]] = []
    codes: list[DatedCode] = []
    start = 0

    def flush() -> None:
        if phrases:
            if not codes:
                raise CameoDictionaryError(path, start, "actor entry has no code")
            entries.append(ActorEntry(tuple(phrases), tuple(codes), start))

    for no, text, _indented in _lines(path):
        stripped = text.strip()
        try:
            rest, bodies = _brackets(stripped)
            parsed = [_dated_code(b) for b in bodies]
        except ValueError as exc:
            raise CameoDictionaryError(path, no, str(exc)) from None
        rest = rest.strip()
        if stripped.startswith("["):
            if not phrases:
                raise CameoDictionaryError(path, no, "code block before any actor")
            codes.extend(parsed)
        elif rest.startswith("+"):
            if not phrases:
                raise CameoDictionaryError(path, no, "synonym before any actor")
            syn = _phrase(rest[1:])
            if not syn:
                raise CameoDictionaryError(path, no, "empty synonym")
            phrases.append(syn)
            codes.extend(parsed)
        else:
            flush()
            phrase = _phrase(rest)
            if not phrase:
                raise CameoDictionaryError(path, no, "missing actor phrase")
            phrases, codes, start = [phrase], list(parsed), no
    flush()
    return entries


# --------------------------------------------------------------------------- agents


def _plural(word: str) -> str:
    if word.endswith(("S", "X", "Z", "CH", "SH")):
        return word + "ES"
    if word.endswith("Y") and len(word) > 1 and word[-2] not in "AEIOU":
        return word[:-1] + "IES"
    return word + "S"


def _expand_macros(text: str, macros: dict[str, list[str]]) -> list[str]:
    m = re.search(r"!([A-Z0-9]+)!", text)
    if not m:
        return [text]
    name = m.group(1)
    if name not in macros:
        raise ValueError(f"unknown substitution !{name}!")
    out: list[str] = []
    for value in macros[name]:
        out.extend(_expand_macros(text[: m.start()] + value + text[m.end() :], macros))
    return out


def load_agents(path: Path | str) -> list[AgentEntry]:
    path = Path(path)
    entries: list[AgentEntry] = []
    macros: dict[str, list[str]] = {}
    for no, text, _indented in _lines(path):
        stripped = text.strip().upper()
        mm = re.match(r"^!([A-Z0-9]+)!\s*=\s*(.+)$", stripped)
        if mm:
            macros[mm.group(1)] = [v.strip() for v in mm.group(2).split(",") if v.strip()]
            continue
        try:
            rest, bodies = _brackets(stripped)
            if len(bodies) != 1:
                raise ValueError("agent needs exactly one [code]")
            body = bodies[0].replace(" ", "")
            if body.startswith("~") and len(body) > 1:
                code, prefix = body[1:], False
            elif body.endswith("~") and len(body) > 1:
                code, prefix = body[:-1], True
            else:
                raise ValueError(f"agent code {bodies[0]!r} needs '~' before or after it")
            plurals: list[str] | None = None
            brace = re.search(r"\{([^}]*)\}", rest)
            if brace:
                plurals = brace.group(1).split()
                rest = rest[: brace.start()] + rest[brace.end() :]
            elif "{" in rest or "}" in rest:
                raise ValueError("unbalanced '{'")
            bases = _expand_macros(rest.strip(), macros)
            phrases: list[tuple[str, ...]] = []
            for base in bases:
                words = _phrase(base)
                if not words:
                    raise ValueError("missing agent phrase")
                phrases.append(words)
                if plurals is None:
                    phrases.append((*words[:-1], _plural(words[-1])))
            for p in plurals or ():
                phrases.extend(_phrase(x) for x in _expand_macros(p, macros))
        except ValueError as exc:
            raise CameoDictionaryError(path, no, str(exc)) from None
        entries.append(AgentEntry(tuple(dict.fromkeys(phrases)), code, prefix, no))
    return entries


def load_discards(path: Path | str) -> Discards:
    path = Path(path)
    sentence: list[tuple[str, ...]] = []
    story: list[tuple[str, ...]] = []
    for _no, text, _indented in _lines(path):
        s = text.strip()
        target = story if s.startswith("+") else sentence
        phrase = _phrase(s.lstrip("+"))
        if phrase:
            target.append(phrase)
    return Discards(tuple(sentence), tuple(story))


# --------------------------------------------------------------------------- verbs


def _verb_forms(word: str) -> set[str]:
    """Regular English inflections of a base verb: -s, -ed, -ing (with the usual
    e-dropping, y->i and final-consonant doubling). Misspellings such as 'departes'
    must not match, so no looser stemming is done."""
    forms = {word}
    if word.endswith(("S", "X", "Z", "CH", "SH", "O")):
        forms.add(word + "ES")
    elif word.endswith("Y") and len(word) > 1 and word[-2] not in "AEIOU":
        forms.add(word[:-1] + "IES")
    else:
        forms.add(word + "S")
    if word.endswith("E"):
        forms |= {word + "D", word[:-1] + "ING"}
    elif word.endswith("Y") and len(word) > 1 and word[-2] not in "AEIOU":
        forms |= {word[:-1] + "IED", word + "ING"}
    else:
        forms |= {word + "ED", word + "ING"}
        # short CVC verbs double the final consonant (stop -> stopped)
        if (
            len(word) >= 3
            and word[-1] not in "AEIOUWXY"
            and word[-2] in "AEIOU"
            and word[-3] not in "AEIOU"
        ):
            forms |= {word + word[-1] + "ED", word + word[-1] + "ING"}
    return forms


def _verb_phrase(text: str) -> tuple[tuple[str, ...], int]:
    """``WIRE_+TAP`` -> (('WIRE', 'TAP'), 1): '+' marks the inflected word."""
    words: list[str] = []
    head = 0
    for i, w in enumerate(w for w in _WORD_SPLIT.split(text.strip().upper()) if w):
        if w.startswith("+"):
            head = i
            w = w[1:]
        words.append(w)
    if not words or not all(words):
        raise ValueError("missing verb")
    return tuple(words), head


def _parse_pattern(text: str) -> tuple[tuple[PatternElement, ...], tuple[PatternElement, ...]]:
    elements: list[PatternElement] = []
    for chunk in text.split():
        parts = chunk.split("_")
        for j, part in enumerate(parts):
            adjacent = j > 0
            if part == "":
                # a trailing '_' glues the chunk to the next one
                continue
            if part == "*":
                elements.append(PatternElement("verb", adjacent=adjacent))
            elif part == "$":
                elements.append(PatternElement("source", adjacent=adjacent))
            elif part == "+":
                elements.append(PatternElement("target", adjacent=adjacent))
            elif part == "%":
                elements.append(PatternElement("compound", adjacent=adjacent))
            elif part == "^":
                elements.append(PatternElement("skip", adjacent=adjacent))
            elif part.startswith("&"):
                elements.append(PatternElement("synset", part[1:], adjacent))
            else:
                elements.append(PatternElement("word", part, adjacent))
        if chunk.endswith("_"):
            elements.append(PatternElement("glue"))
    # resolve 'glue' markers: the element after one is adjacent to the one before it
    resolved: list[PatternElement] = []
    glue = False
    for e in elements:
        if e.kind == "glue":
            glue = True
            continue
        resolved.append(PatternElement(e.kind, e.text, e.adjacent or glue))
        glue = False
    verbs = [i for i, e in enumerate(resolved) if e.kind == "verb"]
    if len(verbs) != 1:
        raise ValueError("pattern needs exactly one '*'")
    v = verbs[0]
    before_fwd = resolved[:v]
    after = resolved[v + 1 :]
    # walking backwards from the verb, an element's adjacency is to its right neighbour
    before: list[PatternElement] = []
    for k in range(len(before_fwd) - 1, -1, -1):
        right_adjacent = resolved[k + 1].adjacent
        e = before_fwd[k]
        before.append(PatternElement(e.kind, e.text, right_adjacent))
    return tuple(before), tuple(after)


def _code_field(bodies: list[str]) -> str:
    return bodies[0].strip() if bodies else ""


def load_verbs(path: Path | str) -> VerbDictionary:
    path = Path(path)
    synsets: dict[str, list[tuple[str, ...]]] = {}
    raw_synset_refs: dict[str, list[str]] = {}
    blocks: list[dict[str, object]] = []
    current_synset: str | None = None
    block: dict[str, object] | None = None

    for no, text, _indented in _lines(path):
        s = text.strip()
        try:
            if s.startswith("---"):
                inner = s.strip("-").strip()
                _name, bodies = _brackets(inner)
                if not bodies:
                    raise ValueError("block header needs a [code]")
                block = {"code": _code_field(bodies), "verbs": [], "patterns": [], "line": no}
                blocks.append(block)
                current_synset = None
                continue
            if s.startswith("&"):
                current_synset = s[1:].strip().rstrip("_").upper()
                if not current_synset or " " in current_synset:
                    raise ValueError("bad synset name")
                synsets[current_synset] = []
                raw_synset_refs[current_synset] = []
                block = None
                continue
            if current_synset is not None:
                if not s.startswith("+"):
                    raise ValueError("synset member must start with '+'")
                member = s[1:].strip().upper()
                if member.startswith("&"):
                    raw_synset_refs[current_synset].append(member[1:].rstrip("_"))
                else:
                    words = _phrase(member)
                    if not words:
                        raise ValueError("empty synset member")
                    synsets[current_synset].append(words)
                continue
            if block is None:
                raise ValueError("line outside any verb block or synset")
            if s.startswith("-"):
                rest, bodies = _brackets(s[1:])
                if len(bodies) != 1:
                    raise ValueError("pattern needs one [code]")
                before, after = _parse_pattern(rest)
                patterns = block["patterns"]
                assert isinstance(patterns, list)
                patterns.append(VerbPattern(before, after, bodies[0].strip(), no))
                continue
            # a verb line: 'VERB {FORMS} [CODE]' or a '+SYNONYM' line
            rest, bodies = _brackets(s)
            forms_text = ""
            brace = re.search(r"\{([^}]*)\}", rest)
            if brace:
                forms_text = brace.group(1)
                rest = rest[: brace.start()] + rest[brace.end() :]
            elif "{" in rest or "}" in rest:
                raise ValueError("unbalanced '{'")
            rest = rest.strip()
            if rest.startswith("+"):
                rest = rest[1:]
            words, head = _verb_phrase(rest)
            forms: set[tuple[str, ...]] = set()
            for f in _verb_forms(words[head]):
                forms.add((*words[:head], f, *words[head + 1 :]))
            for extra in forms_text.split():
                forms.add(_verb_phrase(extra)[0])
            verbs = block["verbs"]
            assert isinstance(verbs, list)
            verbs.append((words, head, frozenset(forms), _code_field(bodies), no))
        except ValueError as exc:
            raise CameoDictionaryError(path, no, str(exc)) from None

    # embedded synsets ('+&TIETYPES' inside '&ACCORDSYN'), resolved after reading all
    def members(name: str, seen: frozenset[str]) -> list[tuple[str, ...]]:
        if name in seen:
            return []
        out = list(synsets.get(name, []))
        for ref in raw_synset_refs.get(name, []):
            out.extend(members(ref, seen | {name}))
        return out

    resolved = {name: tuple(dict.fromkeys(members(name, frozenset()))) for name in synsets}

    entries: list[VerbEntry] = []
    for b in blocks:
        verbs = b["verbs"]
        patterns = b["patterns"]
        assert isinstance(verbs, list) and isinstance(patterns, list)
        block_code = str(b["code"])
        ordered = tuple(
            p for _, p in sorted(enumerate(patterns), key=lambda ip: (-ip[1].weight, ip[0]))
        )
        for words, head, vforms, own_code, no in verbs:
            entries.append(VerbEntry(words, head, vforms, own_code or block_code, ordered, no))
    return VerbDictionary(tuple(entries), resolved)


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class PhraseMatch:
    start: int
    end: int  # exclusive
    kind: str  # 'actor' or 'agent'
    codes: tuple[str, ...]  # actor codes, or the single agent code
    prefix: bool = False  # agents only


class PhraseMatcher:
    """Finds actor and agent phrases in a token sequence: longest match first,
    case-insensitive, left to right, non-overlapping."""

    def __init__(self, actors: Sequence[ActorEntry], agents: Sequence[AgentEntry]) -> None:
        self._phrases: dict[tuple[str, ...], tuple[str, ActorEntry | AgentEntry]] = {}
        # agents first so that an actor phrase identical to an agent phrase wins
        for agent in agents:
            for p in agent.phrases:
                self._phrases.setdefault(p, ("agent", agent))
        for actor in actors:
            for p in actor.phrases:
                self._phrases[p] = ("actor", actor)
        self._max = max((len(p) for p in self._phrases), default=0)

    def find(self, tokens: Sequence[str], date: int | None = None) -> list[PhraseMatch]:
        upper = [t.upper() for t in tokens]
        out: list[PhraseMatch] = []
        i = 0
        while i < len(upper):
            hit = None
            for n in range(min(self._max, len(upper) - i), 0, -1):
                found = self._phrases.get(tuple(upper[i : i + n]))
                if found is not None:
                    hit = (n, found)
                    break
            if hit is None:
                i += 1
                continue
            n, (kind, entry) = hit
            if isinstance(entry, ActorEntry):
                out.append(PhraseMatch(i, i + n, kind, entry.codes_on(date)))
            else:
                out.append(PhraseMatch(i, i + n, kind, (entry.code,), entry.prefix))
            i += n
        return out

    def code(self, tokens: Sequence[str], date: int | None = None) -> list[str]:
        """Codes for a phrase, actors combined with the agents found alongside them."""
        return combine_codes(self.find(tokens, date))


def combine_codes(matches: Iterable[PhraseMatch]) -> list[str]:
    """CAMEO combination: each actor code takes each agent code as suffix (``~COP``:
    ARN -> ARNCOP) or prefix (``NGO~``: ARN -> NGOARN). Agents with no actor get the
    unknown actor ``---``. An agent code the actor already carries as a role
    ('USAGOV' + GOV) is not added twice."""
    actors: list[str] = []
    agents: list[tuple[str, bool]] = []
    for m in matches:
        if m.kind == "actor":
            actors.extend(c for c in m.codes if c)
        else:
            agents.append((m.codes[0], m.prefix))
    if not agents:
        return list(dict.fromkeys(actors))
    if not actors:
        actors = [NULL_CODE]
    out: list[str] = []
    for actor in actors:
        for code, prefix in agents:
            roles = actor[3:]
            if code and code in roles:
                out.append(actor)
            elif prefix:
                out.append(code + actor)
            else:
                out.append(actor + code)
    return list(dict.fromkeys(out))

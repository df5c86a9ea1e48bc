"""Rule-based segmentation of plain-text captures (forum reposts, copied pages,
aggregator captures) into typed blocks with character offsets into the stored text.

The text is never rewritten: every block is a span of the input. Widgets, counters and
notices become ``boilerplate`` blocks, never deleted, so a reader can always see what we
decided and why (``Block.note``).

The pass runs in four steps:
1. lines -> units (a unit is one line, or a hard-wrapped paragraph);
2. a trailing widget run is found from the end (aggregator trailers, share bars);
3. a left-to-right walk with three zones: header (title, dek, byline, dateline),
   body, and comments (numbered comments with their quotes);
4. repairs that need both neighbours: captions above credits, related-link headlines
   glued to the end of a body paragraph.
Languages are assigned afterwards by ``assign_languages``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from ..ingest.pubdate import dateline_date
from ..records import Block, BlockKind, PublishedDate, Segmented, SourceInfo, SourceKind
from .lexicon import Lexicon, load_lexicon

# A headline is short and does not end like a sentence.
HEADLINE_MAX_CHARS = 300
HEADLINE_MAX_WORDS = 40
# A dek (subtitle) can be a sentence, but not a long paragraph.
DEK_MAX_CHARS = 300
# A section heading or caption inside the body is shorter still.
SHORT_LINE_MAX_CHARS = 200
SHORT_LINE_MAX_WORDS = 30
# Lines of an unclassified trailing run that still count as widget debris.
WIDGET_LINE_MAX_CHARS = 40
WIDGET_LINE_MAX_WORDS = 4
# A related-link headline glued to a paragraph is a headline, so it is short.
GLUED_TAIL_MAX_CHARS = 220
# Comments are numbered at the left margin, their text indented under the number.
COMMENT_MAX_INDENT = 4
# Two headlines with this much word overlap are one headline repeated (page title and
# on-page headline of the same post).
REPEATED_HEADLINE_JACCARD = 0.4

_TERMINAL = ".!?…:;"
_SENTENCE_END = re.compile(r"[.!?…][»\"”’)]*\s+(?=[A-ZА-ЯЁƏÖÜĞİŞÇ«\"“])")
_NUMBERED = re.compile(r"^(?P<num>\d{1,4})[.)]\s+")
_QUOTE = re.compile(r"^>\s?")
_COUNTER = re.compile(r"^[+\-]?\d[\d\s.,]*(?:[kKmMкКмМ]|тыс\.?|млн\.?)?$")
_WORDS = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
# A glue point: sentence-final punctuation directly followed by a capitalised word, as
# when a page's "related" link was copied without a line break after a paragraph.
_GLUE = re.compile(
    r"(?<=[a-zа-яёəöüğışç\d][.!?…])(?:[»\"”’)]*)(?=[A-ZА-ЯЁƏÖÜĞİŞÇ][a-zа-яёəöüğışç])"
)


@dataclass
class Unit:
    """A line or hard-wrapped paragraph: ``start``/``end`` span its content, without
    indentation or trailing spaces (and without a quote marker)."""

    start: int
    end: int
    indent: int
    text: str
    quoted: bool = False
    line_start: int = 0  # where the raw line begins (before indentation)


@dataclass
class _Draft:
    kind: BlockKind
    start: int
    end: int
    note: str
    confidence: float = 1.0
    parent: int | None = None
    number: int | None = None
    author: str | None = None


@dataclass
class _State:
    drafts: list[_Draft] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    published: PublishedDate | None = None
    site_name: str | None = None
    site_domain: str | None = None
    kind_evidence: list[tuple[SourceKind, str]] = field(default_factory=list)

    def add(self, draft: _Draft) -> int:
        self.drafts.append(draft)
        return len(self.drafts) - 1


def _words(text: str) -> list[str]:
    return _WORDS.findall(text)


def _is_hard_wrapped(lengths: list[int]) -> bool:
    """A capture wrapped at a fixed width (e-mail, terminal copy): most longer lines
    end between 55 and 80 characters and none runs much longer."""
    long_lines = [n for n in lengths if n > 40]
    if len(long_lines) < 4 or max(long_lines) > 100:
        return False
    wrapped = sum(1 for n in long_lines if 55 <= n <= 80)
    return wrapped >= 0.6 * len(long_lines)


def make_units(text: str) -> list[Unit]:
    units: list[Unit] = []
    pos = 0
    lines: list[tuple[int, str]] = []
    for raw in text.split("\n"):
        lines.append((pos, raw))
        pos += len(raw) + 1
    for line_start, raw in lines:
        stripped = raw.strip()
        if not stripped:
            units.append(Unit(line_start, line_start, -1, ""))  # blank marker
            continue
        indent = len(raw) - len(raw.lstrip())
        start = line_start + indent
        end = line_start + len(raw.rstrip())
        body = text[start:end]
        quoted = False
        marker = _QUOTE.match(body)
        if marker:
            quoted = True
            start += marker.end()
            body = text[start:end]
        units.append(Unit(start, end, indent, body, quoted, line_start))
    if _is_hard_wrapped([len(u.text) for u in units if u.indent >= 0]):
        units = _merge_wrapped(text, units)
    return units


def _merge_wrapped(text: str, units: list[Unit]) -> list[Unit]:
    merged: list[Unit] = []
    for unit in units:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and unit.indent >= 0
            and prev.indent == unit.indent
            and prev.quoted == unit.quoted
            and not unit.quoted
            and len(prev.text) >= 55
            and not _NUMBERED.match(unit.text)
        ):
            prev.end = unit.end
            prev.text = text[prev.start : prev.end]
            continue
        merged.append(unit)
    return merged


def _ends_like_sentence(text: str) -> bool:
    return text.rstrip('»"”’)] ').endswith(tuple(".!?…"))


def _runs_on(text: str) -> bool:
    """Two sentences, or a sentence with something glued after it: not a headline."""
    return bool(_SENTENCE_END.search(text) or _GLUE.search(text))


def _is_headline(text: str) -> bool:
    words = _words(text)
    if not words or len(text) > HEADLINE_MAX_CHARS or len(words) > HEADLINE_MAX_WORDS:
        return False
    if _COUNTER.match(text) or _runs_on(text):
        return False
    # A headline may end in "?" or "!" but a period means a sentence (unless it is an
    # ellipsis or an abbreviation such as "U.S.").
    return not text.endswith(".") or text.endswith("...") or text.endswith("…")


def _jaccard(a: str, b: str) -> float:
    sa, sb = {w.lower() for w in _words(a)}, {w.lower() for w in _words(b)}
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


class _Rules:
    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex

    def widget(self, text: str) -> str | None:
        """Why ``text`` is widget debris, or None. Only strong signals."""
        low = text.lower().strip()
        lex = self.lex
        if lex.sources_count.match(text):
            return "aggregator source count"
        if lex.comment_counter.match(text):
            return "comment counter"
        if low in lex.closed_notice:
            return "comments-closed notice"
        if _COUNTER.match(text):
            return "counter"
        if lex.domain.match(text):
            return "site name or domain"
        if low.rstrip(":").strip() in lex.widget_words:
            return "widget word"
        if lex.language_switch.match(text):
            return "language switch"
        return None

    def weak_widget(self, text: str) -> bool:
        if self.credit(text) or self.related(text):
            return False
        return (
            len(text) <= WIDGET_LINE_MAX_CHARS
            and len(_words(text)) <= WIDGET_LINE_MAX_WORDS
            and not _ends_like_sentence(text)
        )

    def byline(self, text: str) -> str | None:
        if len(text) > 80:
            return None
        match = self.lex.byline.match(text)
        if not match:
            return None
        name = match.group("name").strip()
        # "By all appearances, ..." is a sentence, not a byline: names are short and do
        # not carry lower-case words apart from particles.
        tokens = [t for t in re.split(r"[\s,]+", name) if t]
        if len(tokens) == 1 and (
            not text.lower().startswith("by ") or re.search(r"[\d_A-ZА-ЯƏ]", tokens[0])
        ):
            return name  # a handle such as "steppewolf77" after "Posted by"
        particles = {"and", "и", "və", "de", "van", "von", "al", "bin", "ibn", "oğlu", "qızı"}
        if any(t[0].islower() and t.lower() not in particles for t in tokens):
            return None
        return name

    def credit(self, text: str) -> bool:
        if len(text) > 120 or (_ends_like_sentence(text) and len(_words(text)) > 8):
            return False
        return bool(self.lex.credit.match(text) or self.lex.credit_agency.match(text))

    def related(self, text: str) -> str | None:
        if len(text) > GLUED_TAIL_MAX_CHARS:
            return None
        if self.lex.related_prefix.match(text):
            return "related-link prefix"
        if (
            self.lex.site_suffix.search(text)
            and not _ends_like_sentence(text)
            and not _runs_on(text)
        ):
            return "headline with a site suffix"
        return None

    def comment_author(self, text: str) -> str | None:
        match = self.lex.comment_author.match(text)
        return match.group("author").strip() if match else None


def _split_title(unit: Unit, state: _State, rules: _Rules) -> None:
    """A title line may carry a dek or the site's name after " | " or " - "."""
    for sep in (" | ", " — ", " – ", " - "):
        cut = unit.text.rfind(sep)
        if cut <= 0:
            continue
        left, right = unit.text[:cut], unit.text[cut + len(sep) :]
        rstart = unit.start + cut + len(sep)
        words = _words(right)
        looks_site = bool(rules.lex.domain.match(right)) or (
            len(words) <= 4 and all(w[:1].isupper() or w[:1].isdigit() for w in words)
        )
        if looks_site:
            state.add(_Draft(BlockKind.TITLE, unit.start, unit.start + cut, "first headline line"))
            state.add(_Draft(BlockKind.BOILERPLATE, rstart, unit.end, "site name after title"))
            state.site_name = state.site_name or right.strip()
            state.title = left.strip()
            return
        if sep == " | " and len(words) >= 5:
            state.add(_Draft(BlockKind.TITLE, unit.start, unit.start + cut, "first headline line"))
            state.add(_Draft(BlockKind.DEK, rstart, unit.end, "subtitle after ' | ' in title line"))
            state.title = left.strip()
            return
    state.add(_Draft(BlockKind.TITLE, unit.start, unit.end, "first headline line"))
    state.title = unit.text


def _trailer_start(units: list[Unit], rules: _Rules) -> int:
    """Index of the first unit of a trailing widget run, or len(units)."""
    i = len(units)
    strong = 0
    first = len(units)
    while i > 0:
        unit = units[i - 1]
        if unit.indent < 0:
            i -= 1
            continue
        if rules.widget(unit.text):
            strong += 1
        elif not rules.weak_widget(unit.text) or unit.quoted:
            break
        i -= 1
        first = i
    return first if strong else len(units)


def segment_plain_text(
    text: str, *, title_hint: str | None = None, start_in_body: bool = False
) -> Segmented:
    """Blocks for a plain-text capture. ``start_in_body`` skips header detection, for
    article records whose title and byline came as metadata."""
    lex = load_lexicon()
    rules = _Rules(lex)
    units = make_units(text)
    trailer = _trailer_start(units, rules)
    state = _State()
    zone = "body" if start_in_body else "header"
    comment: int | None = None  # index of the open comment's draft
    comment_indent = 0
    if title_hint:
        state.title = title_hint

    def add_child(kind: BlockKind, unit: Unit, note: str) -> None:
        assert comment is not None
        state.add(_Draft(kind, unit.start, unit.end, note, parent=comment))
        state.drafts[comment].end = max(state.drafts[comment].end, unit.end)

    for index, unit in enumerate(units):
        if unit.indent < 0:
            continue
        t = unit.text
        if index >= trailer:
            why = rules.widget(t)
            if why and rules.lex.sources_count.match(t):
                state.kind_evidence.append((SourceKind.AGGREGATOR, f"trailer {t!r}"))
            if why and rules.lex.domain.match(t):
                state.site_domain = state.site_domain or t.lower().removeprefix("www.")
                state.site_name = state.site_name or (t if t != t.lower() else None)
            state.add(
                _Draft(
                    BlockKind.BOILERPLATE,
                    unit.start,
                    unit.end,
                    f"trailing widget: {why}" if why else "trailing widget: short line",
                    1.0 if why else 0.6,
                )
            )
            continue

        # Comments: numbered items at the margin with their text indented beneath.
        if zone == "comments":
            numbered = _NUMBERED.match(t) if unit.indent <= COMMENT_MAX_INDENT else None
            says = rules.comment_author(t) if unit.indent <= COMMENT_MAX_INDENT else None
            if numbered or says:
                author = says
                number = int(numbered.group("num")) if numbered else None
                comment = state.add(
                    _Draft(
                        BlockKind.COMMENT,
                        unit.start,
                        unit.end,
                        "numbered item in comment section" if numbered else "'says:' line",
                        number=number,
                        author=author,
                    )
                )
                comment_indent = unit.indent
                if numbered:
                    rest = Unit(
                        unit.start + numbered.end(), unit.end, unit.indent, t[numbered.end() :]
                    )
                    sub_author = rules.comment_author(rest.text)
                    if sub_author:
                        state.drafts[comment].author = sub_author
                    elif rest.text:
                        quote = _QUOTE.match(rest.text)
                        if quote:
                            rest.start += quote.end()
                            add_child(BlockKind.QUOTE, rest, "'> ' line in a comment")
                        else:
                            add_child(BlockKind.COMMENT_TEXT, rest, "comment text")
                continue
            if comment is not None and unit.indent > comment_indent:
                if unit.quoted:
                    add_child(BlockKind.QUOTE, unit, "'> ' line in a comment")
                else:
                    add_child(BlockKind.COMMENT_TEXT, unit, "comment text")
                continue
            # Back at the margin without a number: the comment section is over.
            zone = "body"
            comment = None

        why = rules.widget(t)
        if why:
            state.add(_Draft(BlockKind.BOILERPLATE, unit.start, unit.end, why))
            if why == "comment counter":
                zone = "comments"
                state.kind_evidence.append((SourceKind.FORUM, f"comment counter {t!r}"))
            continue
        if t.lower().rstrip(":") in lex.comments_heading:
            state.add(_Draft(BlockKind.BOILERPLATE, unit.start, unit.end, "comments heading"))
            zone = "comments"
            continue

        author = rules.byline(t)
        if author and not unit.quoted:
            state.add(_Draft(BlockKind.BYLINE, unit.start, unit.end, "byline", author=author))
            state.author = state.author or author
            if t.lower().startswith("posted by"):
                state.kind_evidence.append((SourceKind.FORUM, "'Posted by' byline"))
            continue
        date = dateline_date(t) if len(t) <= 80 else None
        if date and not unit.quoted:
            state.add(_Draft(BlockKind.DATELINE, unit.start, unit.end, "dateline"))
            state.published = state.published or date
            continue

        if unit.quoted:
            state.add(_Draft(BlockKind.QUOTE, unit.start, unit.end, "'> ' quoted line"))
            zone = "body"
            continue

        if zone == "header":
            has_title = any(d.kind is BlockKind.TITLE for d in state.drafts)
            if not has_title and _is_headline(t):
                _split_title(unit, state, rules)
                continue
            if has_title and len(t) <= DEK_MAX_CHARS and _is_header_line(units, index, t, rules):
                title = state.title or ""
                if _jaccard(t, title) >= REPEATED_HEADLINE_JACCARD:
                    state.add(_Draft(BlockKind.HEADING, unit.start, unit.end, "repeated headline"))
                elif any(d.kind is BlockKind.DEK for d in state.drafts):
                    state.add(_Draft(BlockKind.HEADING, unit.start, unit.end, "further headline"))
                else:
                    state.add(_Draft(BlockKind.DEK, unit.start, unit.end, "line under the title"))
                continue
            zone = "body"

        # Body zone.
        if rules.credit(t):
            state.add(_Draft(BlockKind.CREDIT, unit.start, unit.end, "photo credit"))
            _caption_above(state, text)
            continue
        rel = rules.related(t)
        if rel:
            state.add(_Draft(BlockKind.RELATED, unit.start, unit.end, rel))
            continue
        words = _words(t)
        if (
            len(t) <= SHORT_LINE_MAX_CHARS
            and len(words) <= SHORT_LINE_MAX_WORDS
            and not _ends_like_sentence(t)
            and not _runs_on(t)
        ):
            if lex.photo_word.search(t):
                state.add(
                    _Draft(BlockKind.CAPTION, unit.start, unit.end, "short line naming photos", 0.8)
                )
            else:
                state.add(
                    _Draft(BlockKind.HEADING, unit.start, unit.end, "short line in body", 0.7)
                )
            continue
        _add_body(state, unit, rules)

    blocks = tuple(_finish(state.drafts))
    source = _source_from(state)
    return Segmented(
        text=text,
        blocks=blocks,
        title=state.title,
        author=state.author,
        published=state.published,
        source=source,
    )


def _is_header_line(units: list[Unit], index: int, text: str, rules: _Rules) -> bool:
    """A line between the title and the body: a headline-like line, or a sentence that a
    byline or dateline follows (a dek is then above the byline, not a lead paragraph)."""
    if _is_headline(text):
        return True
    for unit in units[index + 1 :]:
        if unit.indent < 0:
            continue
        return bool(rules.byline(unit.text) or dateline_date(unit.text))
    return False


def _caption_above(state: _State, text: str) -> None:
    """A credit line certifies the short line above it as a caption."""
    credit = state.drafts[-1]
    for draft in reversed(state.drafts[:-1]):
        if draft.parent is not None:
            continue
        if draft.kind in (BlockKind.HEADING, BlockKind.CAPTION) or (
            draft.kind is BlockKind.BODY and draft.end - draft.start <= SHORT_LINE_MAX_CHARS
        ):
            between = text[draft.end : credit.start]
            if between.count("\n") <= 3:
                draft.kind = BlockKind.CAPTION
                draft.note = "line above a photo credit"
                draft.confidence = 0.9
        return


def _add_body(state: _State, unit: Unit, rules: _Rules) -> None:
    """A body paragraph; a related-link headline glued to its end becomes its own block."""
    for match in _GLUE.finditer(unit.text):
        cut = match.end()
        tail = unit.text[cut:]
        # "News.Az" or "site.ru": a domain, not a glued sentence.
        first = re.match(r"[^\W\d_]+", tail)
        if first and first.group(0).lower() in rules.lex.tlds:
            continue
        if len(tail) > GLUED_TAIL_MAX_CHARS or _ends_like_sentence(tail):
            continue
        why = rules.related(tail) or ("glued headline" if len(_words(tail)) >= 3 else None)
        if why is None:
            continue
        state.add(_Draft(BlockKind.BODY, unit.start, unit.start + cut, "paragraph"))
        state.add(
            _Draft(
                BlockKind.RELATED,
                unit.start + cut,
                unit.end,
                f"related-link headline glued to paragraph end ({why})",
                0.85,
            )
        )
        return
    state.add(_Draft(BlockKind.BODY, unit.start, unit.end, "paragraph"))


def _finish(drafts: list[_Draft]) -> list[Block]:
    return [
        Block(
            kind=d.kind,
            start=d.start,
            end=d.end,
            parent=d.parent,
            number=d.number,
            author=d.author,
            note=d.note,
            confidence=d.confidence,
        )
        for d in drafts
    ]


def _source_from(state: _State) -> SourceInfo | None:
    if not (state.kind_evidence or state.site_name or state.site_domain):
        return None
    kinds = [k for k, _ in state.kind_evidence]
    # An aggregator trailer outranks forum signals: aggregators often show comment
    # counters too, forums never show "N sources".
    kind = SourceKind.UNKNOWN
    for candidate in (SourceKind.AGGREGATOR, SourceKind.FORUM):
        if candidate in kinds:
            kind = candidate
            break
    evidence = "; ".join(e for _, e in state.kind_evidence)
    return SourceInfo(
        name=state.site_name,
        domain=state.site_domain,
        kind=kind,
        evidence=f"text: {evidence}" if evidence else "text: site name",
    )


LanguagesFn = Callable[[Sequence[str]], list[str]]


def _language_sample(block: Block, text: str) -> str:
    """A credit's language is that of its label ("Фото:", "Source:"), not of the agency
    or site it names, unless the whole line is unmistakably Azerbaijani ("Foto: ... ə")."""
    if block.kind is BlockKind.CREDIT and ":" in text and "ə" not in text.lower():
        return text.split(":", 1)[0]
    return text


def assign_languages(
    text: str, blocks: tuple[Block, ...], identify_many: LanguagesFn
) -> tuple[Block, ...]:
    """Language per leaf block; a container takes the language most of its text has."""
    langs = identify_many([_language_sample(b, text[b.start : b.end]) for b in blocks])
    out = [replace(b, lang=lang) for b, lang in zip(blocks, langs, strict=True)]
    for i, block in enumerate(out):
        children = [c for c in out if c.parent == i]
        if not children:
            continue
        share: dict[str, int] = {}
        for c in children:
            if c.lang != "und":
                share[c.lang] = share.get(c.lang, 0) + (c.end - c.start)
        if share:
            out[i] = replace(block, lang=max(share, key=lambda k: share[k]))
    return tuple(out)

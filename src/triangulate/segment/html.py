"""HTML pages: main text through trafilatura, rebuilt as typed blocks over a stored text.

trafilatura returns an XML tree of what it kept (head, p, quote, list, table, graphic);
we lay those elements end to end, one block each, so offsets point into the text we
store. Figure captions, which trafilatura drops, come back as caption blocks next to
their image. What trafilatura dropped as page furniture is kept as boilerplate blocks
only when the user asks (``keep_dropped``), because it is mostly navigation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml import etree

from ..errors import NoContent
from ..ingest.metadates import parse_metadata_date
from ..ingest.pubdate import url_date
from ..records import Block, BlockKind, PublishedDate, Segmented, SourceInfo, SourceKind

# Meta tags that carry a publication date, best first. htmldate (inside trafilatura)
# knows more places but returns only a day; these keep the time when a page gives it.
_DATE_META = (
    ("property", "article:published_time"),
    ("property", "og:published_time"),
    ("itemprop", "datePublished"),
    ("name", "pubdate"),
    ("name", "publishdate"),
    ("name", "date"),
    ("name", "dc.date"),
    ("name", "DC.date.issued"),
    ("name", "sailthru.date"),
    ("name", "parsely-pub-date"),
)
_SPACE = re.compile(r"\s+")
# A paragraph this short that does not end like a sentence is a label, not prose.
KICKER_MAX_WORDS = 6
_SENTENCE_END = (".", "!", "?", "…", "»", '"', "”", ":")
_BLOCK_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "dd")


@dataclass
class _Builder:
    """Appends block texts to the stored text, separated by blank lines."""

    parts: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    length: int = 0

    def add(self, kind: BlockKind, text: str, note: str, **extra: object) -> int | None:
        text = text.strip()
        if not text:
            return None
        if self.parts:
            self.parts.append("\n\n")
            self.length += 2
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        self.blocks.append(Block(kind, start, self.length, note=note, **extra))  # type: ignore[arg-type]
        return len(self.blocks) - 1

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _element_text(el: etree._Element) -> str:
    # <lb/> is a line break inside a paragraph; everything else is inline.
    pieces: list[str] = []
    for node in el.iter():
        if node.tag == "lb":
            pieces.append("\n")
        if node is el:
            pieces.append(node.text or "")
        else:
            if node.tag != "lb":
                pieces.append(node.text or "")
            pieces.append(node.tail or "")
    return "\n".join(_norm(line) for line in "".join(pieces).split("\n") if line.strip())


def _meta_date(tree: lxml.html.HtmlElement) -> PublishedDate | None:
    for attr, name in _DATE_META:
        for node in tree.xpath(f"//meta[@{attr}]"):
            if node.get(attr, "").lower() == name.lower() and node.get("content"):
                found = parse_metadata_date(node.get("content"), f"meta {name}")
                if found:
                    return found
    for node in tree.xpath("//time[@datetime]"):
        found = parse_metadata_date(node.get("datetime"), "<time datetime>")
        if found:
            return found
    return None


def _figure_captions(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """Image file name -> caption, from <figure><img><figcaption>."""
    captions: dict[str, str] = {}
    for figure in tree.iter("figure"):
        caption = figure.find(".//figcaption")
        img = figure.find(".//img")
        if caption is None or img is None:
            continue
        text = _norm(caption.text_content())
        src = (img.get("src") or "").rsplit("/", 1)[-1]
        if text and src:
            captions[src] = text
    return captions


def _visible_lines(tree: lxml.html.HtmlElement) -> list[str]:
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    lines: list[str] = []
    for el in tree.iter(*_BLOCK_TAGS, "a", "span", "div", "button", "footer", "nav"):
        if el.tag in ("div", "span", "a", "button", "footer", "nav") and len(el):
            own = _norm(el.text or "")
        else:
            own = _norm(el.text_content())
        if own:
            lines.append(own)
    return lines


def segment_html(
    html: str,
    *,
    url: str | None,
    keep_dropped: bool,
    locator: str,
) -> Segmented:
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise NoContent(f"HTML could not be parsed: {exc}", input_name=locator) from exc
    import trafilatura

    extracted: Any = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=True,
        include_images=True,
        include_tables=True,
        include_formatting=False,
    )
    captions = _figure_captions(tree)
    b = _Builder()
    title = None
    author = None
    published = _meta_date(tree)
    source: SourceInfo | None = None
    body = getattr(extracted, "body", None) if extracted is not None else None
    if extracted is not None:
        title = extracted.title or None
        author = extracted.author or None
        if published is None and extracted.date:
            published = parse_metadata_date(extracted.date, "htmldate (page markup)")
            from_url = url_date(url)
            # htmldate also reads dates out of the URL; say so when that is where it came from.
            if published is not None and from_url is not None and from_url.value == published.value:
                published = from_url
        if extracted.sitename or extracted.hostname:
            is_article = bool(tree.xpath("//meta[@property='og:type'][@content='article']"))
            source = SourceInfo(
                name=extracted.sitename or None,
                domain=(extracted.hostname or "").removeprefix("www.") or None,
                # og:type=article is what news sites declare; anything else says nothing.
                kind=SourceKind.NEWS if is_article else SourceKind.UNKNOWN,
                evidence="html metadata" + ("; og:type article" if is_article else ""),
            )
    if not title:
        # trafilatura gives up on some broken pages; their <title> is often still there.
        found = _norm(tree.findtext(".//title") or "")
        title = found if 0 < len(found) <= 300 else None
    if title:
        b.add(BlockKind.TITLE, title, "page title (metadata)")
    used_captions: set[str] = set()
    if body is not None and len(body):
        first = True
        for el in body:
            tag = el.tag
            if tag == "head":
                text = _element_text(el)
                if first and title and _norm(text).lower() == _norm(title).lower():
                    first = False
                    continue  # the on-page headline repeats the title block
                b.add(BlockKind.HEADING, text, f"heading <{el.get('rend', 'head')}>")
            elif tag == "quote":
                b.add(BlockKind.QUOTE, _element_text(el), "blockquote")
            elif tag == "list":
                for item in el.iter("item"):
                    b.add(BlockKind.BODY, _element_text(item), "list item")
            elif tag == "table":
                for row in el.iter("row"):
                    cells = [_element_text(c) for c in row.iter("cell")]
                    b.add(BlockKind.BODY, " | ".join(c for c in cells if c), "table row")
            elif tag == "graphic":
                name = (el.get("src") or "").rsplit("/", 1)[-1]
                text = captions.get(name) or el.get("title") or ""
                if text:
                    used_captions.add(name)
                    b.add(BlockKind.CAPTION, text, "figure caption", confidence=0.95)
            else:
                text = _element_text(el)
                if len(text.split()) <= KICKER_MAX_WORDS and not text.rstrip().endswith(
                    _SENTENCE_END
                ):
                    # "Azerbaijan / Russia" above a headline: a kicker or label, not prose.
                    b.add(
                        BlockKind.HEADING, text, f"short <{tag}> (kicker or label)", confidence=0.7
                    )
                else:
                    b.add(BlockKind.BODY, text, f"<{tag}>")
            first = False
    else:
        _fallback_blocks(tree, b)
    for name, text in captions.items():
        if name not in used_captions:
            b.add(
                BlockKind.CAPTION,
                text,
                "figure caption (image not kept by extractor)",
                confidence=0.8,
            )
    if extracted is not None and getattr(extracted, "commentsbody", None) is not None:
        for number, el in enumerate(extracted.commentsbody, start=1):
            text = _element_text(el)
            container = b.add(BlockKind.COMMENT, text, "comment (extractor)", number=number)
            if container is not None:
                start, end = b.blocks[container].start, b.blocks[container].end
                b.blocks.append(
                    Block(BlockKind.COMMENT_TEXT, start, end, parent=container, note="comment text")
                )
    if not any(blk.kind.is_content for blk in b.blocks):
        raise NoContent("no readable text in the HTML", input_name=locator)
    if keep_dropped:
        kept = _norm(b.text)
        for line in _visible_lines(lxml.html.fromstring(html)):
            if line not in kept:
                b.add(BlockKind.BOILERPLATE, line, "dropped by the extractor", confidence=0.7)
                kept += " " + line
    return Segmented(
        text=b.text,
        blocks=tuple(b.blocks),
        title=title,
        author=author,
        published=published,
        source=source,
    )


def _fallback_blocks(tree: lxml.html.HtmlElement, b: _Builder) -> None:
    """When trafilatura finds no main text (tiny fragments, broken pages), keep the
    text of block-level elements rather than lose the document."""
    for bad in tree.xpath("//script|//style|//noscript|//template|//nav|//footer"):
        bad.drop_tree()
    seen: set[str] = set()
    before = len(b.blocks)
    for el in tree.iter(*_BLOCK_TAGS):
        if any(child.tag in _BLOCK_TAGS for child in el.iterdescendants()):
            continue
        text = _norm(el.text_content())
        if not text or text in seen:
            continue
        seen.add(text)
        kind = (
            BlockKind.HEADING
            if el.tag.startswith("h")
            else (BlockKind.QUOTE if el.tag == "blockquote" else BlockKind.BODY)
        )
        b.add(kind, text, f"<{el.tag}> (fallback: extractor found no main text)", confidence=0.6)
    if len(b.blocks) == before:
        text = _norm(tree.text_content())
        if text:
            b.add(BlockKind.BODY, text, "page text (fallback: no block elements)", confidence=0.5)

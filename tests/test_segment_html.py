"""HTML pages through trafilatura, rebuilt as typed blocks with offsets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from triangulate.errors import NoContent
from triangulate.records import BlockKind, SourceKind
from triangulate.segment.html import segment_html

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<title>Ferries halted after storm | Harbour Daily</title>
<meta property="og:type" content="article">
<meta property="og:site_name" content="Harbour Daily">
<meta property="article:published_time" content="2025-07-12T09:30:00+04:00">
<meta name="author" content="Leyla Mammadova">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World news</a> <a href="/sport">Sport pages</a></nav>
<div class="cookie">We use cookies to improve your experience on this site.</div>
<article>
<p class="kicker">Transport</p>
<h1>Ferries halted after storm</h1>
<p>Ferries between the two ports were cancelled on Friday after a storm damaged the main pier, the port authority said.</p>
<figure><img src="/img/pier.jpg"><figcaption>The damaged pier at the northern terminal.</figcaption></figure>
<h2>Passengers stranded</h2>
<p>Some passengers had been waiting for two days, according to a travel agent who spoke to reporters at the terminal.</p>
<blockquote>We have no idea when we can leave, one passenger said by telephone on Friday evening.</blockquote>
<p>The authority said repairs could take a week, and it did not give an estimate of the cost of the work.</p>
</article>
<section class="comments"><div class="comment"><p>I was on the last ferry out and it was a rough crossing indeed.</p></div></section>
<footer>Copyright 2025 Harbour Daily. All rights reserved.</footer>
</body></html>"""


def test_blocks_metadata_and_offsets() -> None:
    seg = segment_html(
        PAGE,
        url="https://harbourdaily.example/2025/07/12/ferries",
        keep_dropped=False,
        locator="page.html",
    )
    kinds = [b.kind for b in seg.blocks]
    texts = [seg.text[b.start : b.end] for b in seg.blocks]
    assert kinds[0] is BlockKind.TITLE and texts[0] == "Ferries halted after storm"
    assert ("Transport", BlockKind.HEADING) in zip(texts, kinds, strict=True)
    assert "The damaged pier at the northern terminal." in [
        t for t, k in zip(texts, kinds, strict=True) if k is BlockKind.CAPTION
    ]
    assert any(
        k is BlockKind.QUOTE and t.startswith("We have no idea")
        for t, k in zip(texts, kinds, strict=True)
    )
    assert sum(k is BlockKind.BODY for k in kinds) == 3
    comment = kinds.index(BlockKind.COMMENT)
    child = seg.blocks[comment + 1]
    assert child.kind is BlockKind.COMMENT_TEXT and child.parent == comment
    assert not any("cookies" in t or "Home" in t for t in texts)  # page furniture dropped
    assert seg.published is not None and seg.published.value == "2025-07-12T09:30:00+04:00"
    assert seg.published.evidence == "meta article:published_time"
    assert seg.author == "Leyla Mammadova"
    assert (
        seg.source is not None
        and seg.source.kind is SourceKind.NEWS
        and seg.source.name == "Harbour Daily"
    )
    for b in seg.blocks:
        assert seg.text[b.start : b.end].strip() == seg.text[b.start : b.end]


def test_keep_dropped_keeps_furniture_as_boilerplate() -> None:
    seg = segment_html(PAGE, url=None, keep_dropped=True, locator="page.html")
    dropped = [seg.text[b.start : b.end] for b in seg.blocks if b.kind is BlockKind.BOILERPLATE]
    assert any("cookies" in t for t in dropped)
    assert any("Copyright 2025" in t for t in dropped)
    assert all(
        b.note == "dropped by the extractor" for b in seg.blocks if b.kind is BlockKind.BOILERPLATE
    )


def test_tiny_fragment_keeps_its_text() -> None:
    seg = segment_html(
        "<html><body><p>Short item text.</p></body></html>",
        url=None,
        keep_dropped=False,
        locator="x",
    )
    assert [seg.text[b.start : b.end] for b in seg.blocks] == ["Short item text."]


def test_page_without_text_is_rejected() -> None:
    with pytest.raises(NoContent, match="no readable text"):
        segment_html(
            "<html><head></head><body><script>var x = 1;</script></body></html>",
            url=None,
            keep_dropped=False,
            locator="x",
        )


def test_progress_bar_shows_rate(tmp_path: Path) -> None:
    for n in range(3):
        (tmp_path / f"{n}.html").write_text(PAGE.replace("Friday", f"day {n}"), encoding="utf-8")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "triangulate",
            "--db",
            str(tmp_path / "p.db"),
            "ingest",
            "--progress",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "ingest:" in out.stderr and "/s" in out.stderr and "3/3 inputs" in out.stderr

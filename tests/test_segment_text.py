"""Plain-text segmentation rules on small captures written for these tests."""

from __future__ import annotations

from triangulate.records import BlockKind, SourceKind
from triangulate.segment.text import assign_languages, segment_plain_text


def blocks(text: str, identify=None):  # type: ignore[no-untyped-def]
    seg = segment_plain_text(text)
    out = assign_languages(text, seg.blocks, identify) if identify else seg.blocks
    return seg, [(b.kind, text[b.start : b.end], b) for b in out]


ARTICLE = """Caspian ferry service halted after storm | Harbour Daily

By Leyla Mammadova and John Carter
12 July 2025, 09:30

Ferries between the two ports were cancelled on Friday after a storm damaged the main pier, the port authority said in a statement on its website.

Passengers were told to wait for further notice. Some had been stranded for two days, according to a travel agent who spoke to local reporters.

Damaged pier at the northern terminal
Photo: Harbour Daily

The authority said repairs could take a week. It did not give a cost estimate for the work.Read also: New terminal to open next spring - harbourdaily.example

Share
1204
harbourdaily.example
"""


def test_header_body_and_trailer():  # type: ignore[no-untyped-def]
    seg, got = blocks(ARTICLE)
    kinds = [k for k, _, _ in got]
    assert kinds[:4] == [
        BlockKind.TITLE,
        BlockKind.BOILERPLATE,
        BlockKind.BYLINE,
        BlockKind.DATELINE,
    ]
    assert seg.title == "Caspian ferry service halted after storm"
    assert seg.source is not None and seg.source.name == "Harbour Daily"
    assert seg.author == "Leyla Mammadova and John Carter"
    assert seg.published is not None and seg.published.value == "2025-07-12T09:30"
    assert seg.published.method.value == "text"
    caption = [t for k, t, _ in got if k is BlockKind.CAPTION]
    assert caption == ["Damaged pier at the northern terminal"]
    assert [t for k, t, _ in got if k is BlockKind.CREDIT] == ["Photo: Harbour Daily"]
    related = [t for k, t, _ in got if k is BlockKind.RELATED]
    assert related == ["Read also: New terminal to open next spring - harbourdaily.example"]
    body = [t for k, t, _ in got if k is BlockKind.BODY]
    assert body[-1].endswith("for the work.")
    assert len(body) == 3
    assert [t for k, t, _ in got if k is BlockKind.BOILERPLATE][-3:] == [
        "Share",
        "1204",
        "harbourdaily.example",
    ]


def test_sentence_starting_with_by_is_not_a_byline():  # type: ignore[no-untyped-def]
    text = (
        "Storm closes ports\n\nBy all accounts, the storm was the worst in a decade, and the port authority "
        "closed every terminal before noon on Friday to protect the ferries and their crews.\n"
    )
    _, got = blocks(text)
    assert [k for k, _, _ in got] == [BlockKind.TITLE, BlockKind.BODY]


def test_domain_is_not_a_glue_point():  # type: ignore[no-untyped-def]
    text = (
        "Title of the piece\n\nThe report first appeared on Example.Az and was then picked up by several "
        "other outlets in the region, which quoted it at length.\n"
    )
    _, got = blocks(text)
    assert [k for k, _, _ in got] == [BlockKind.TITLE, BlockKind.BODY]


def test_glued_headline_in_another_language(identify):  # type: ignore[no-untyped-def]
    text = (
        "Ports reopen\n\nThe ferries were running again by Monday morning, the operator said, and the queues "
        "at the terminal had cleared by noon.Bakıda bərpa işləri başa çatdı - Xeberler.az\n"
    )
    _, got = blocks(text, identify)
    assert [k for k, _, _ in got] == [BlockKind.TITLE, BlockKind.BODY, BlockKind.RELATED]
    assert got[1][1].endswith("by noon.")
    assert got[2][2].lang == "az"


def test_forum_comments_with_quotes_and_authors():  # type: ignore[no-untyped-def]
    text = """Thread title here | A longer subtitle that explains what the thread is about

Posted by harbour_fan

2 comments
  1. Here is what the port said:

    > Ferries are cancelled until further notice.
    > Passengers should contact their agents.

    Not great news.

  2. sailor42 says:
    I was on the last ferry out. It was rough.

Comments are closed.
"""
    seg, got = blocks(text)
    kinds = [k for k, _, _ in got]
    assert kinds.count(BlockKind.COMMENT) == 2
    assert [t for k, t, _ in got if k is BlockKind.DEK] == [
        "A longer subtitle that explains what the thread is about"
    ]
    assert seg.author == "harbour_fan"
    comments = [(i, b) for i, (k, _, b) in enumerate(got) if k is BlockKind.COMMENT]
    (i1, c1), (i2, c2) = comments
    assert c1.number == 1 and c2.number == 2 and c2.author == "sailor42"
    quotes = [(t, b) for k, t, b in got if k is BlockKind.QUOTE]
    assert [t for t, _ in quotes] == [
        "Ferries are cancelled until further notice.",
        "Passengers should contact their agents.",
    ]
    assert all(b.parent == i1 for _, b in quotes)
    texts2 = [t for k, t, b in got if k is BlockKind.COMMENT_TEXT and b.parent == i2]
    assert texts2 == ["I was on the last ferry out. It was rough."]
    assert got[-1][0] is BlockKind.BOILERPLATE and got[-1][1] == "Comments are closed."
    assert seg.source is not None and seg.source.kind is SourceKind.FORUM


def test_hard_wrapped_paragraphs_are_joined():  # type: ignore[no-untyped-def]
    line = "word " * 13
    para = "\n".join([line.strip() + " alpha", line.strip() + " beta", "short end."])
    text = "Wrapped capture\n\n" + para + "\n\n" + para + "\n"
    _, got = blocks(text)
    body = [t for k, t, _ in got if k is BlockKind.BODY]
    assert len(body) == 2 and all(t.count("\n") == 2 for t in body)


def test_offsets_are_spans_of_the_input():  # type: ignore[no-untyped-def]
    seg, got = blocks(ARTICLE)
    assert seg.text == ARTICLE
    for _, text, b in got:
        assert ARTICLE[b.start : b.end] == text and text == text.strip()


def test_language_switch_and_counters_are_undetermined(identify):  # type: ignore[no-untyped-def]
    text = "EN | RU | AZ\n\nHeadline about the ports\n\nA first paragraph of the article, long enough to be a sentence of body text.\n\nПоделиться\n15\n"
    _, got = blocks(text, identify)
    assert got[0][0] is BlockKind.BOILERPLATE and got[0][2].lang == "und"
    assert got[-2][1] == "Поделиться" and got[-2][2].lang == "ru"
    assert got[-1][1] == "15" and got[-1][2].lang == "und"

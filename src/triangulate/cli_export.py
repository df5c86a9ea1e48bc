"""`triangulate export` and `triangulate report`: the store handed on in the formats
analysts already use. Importing this module registers the commands on the main group."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .cli import _open_store, _settings, main
from .export import FORMATS, REPORTS, Format, check_format, check_writable, write_output

if TYPE_CHECKING:
    from .export.common import Rendered


def _formats_help(table: dict[str, Format]) -> str:
    return "; ".join(f"{name}: {f.help}" for name, f in table.items())


def _deliver(result: Rendered, out: str) -> None:
    """Write to ``out`` (- for stdout); the summary goes to stderr so pipes stay clean."""
    if out == "-":
        click.echo(result.text, nl=False)
        where = "stdout"
    else:
        where = str(write_output(out, result.text))
    click.echo(f"{result.format}: {result.summary()} -> {where}", err=True)


@main.command("export")
@click.option("--format", "fmt", required=True, metavar="FORMAT",
              help="One of: " + _formats_help(FORMATS) + ".")  # fmt: skip
@click.option("--out", default="-", show_default=True, metavar="PATH",
              help="File to write (replaced whole, never left half-written); - for stdout.")  # fmt: skip
@click.option("--story", help="Only this story's events (see `triangulate stories`).")
@click.option("--type", "types", multiple=True, metavar="TYPE",
              help="Only events of this type (arrest, killing, demand...); repeat for several.")  # fmt: skip
@click.pass_context
def export_cmd(
    ctx: click.Context, fmt: str, out: str, story: str | None, types: tuple[str, ...]
) -> None:
    """Export events, claims, conflicts, documents and entities: JSONL, CSV, TimelineJS,
    ACLED-style CSV, GDELT-style TSV or FollowTheMoney entities."""
    from .export import export

    check_format(fmt)
    if out != "-":
        check_writable(out)
    with _open_store(_settings(ctx), must_exist=True) as store:
        result = export(store, fmt, story=story, types=types)
    _deliver(result, out)


@main.command("report")
@click.option("--format", "fmt", default="html", show_default=True, metavar="FORMAT",
              help="One of: " + _formats_help(REPORTS) + ".")  # fmt: skip
@click.option("--out", default="-", show_default=True, metavar="PATH",
              help="File to write; - for stdout.")  # fmt: skip
@click.option("--story", help="Only this story (see `triangulate stories`).")
@click.pass_context
def report_cmd(ctx: click.Context, fmt: str, out: str, story: str | None) -> None:
    """A brief to hand on: the timeline (with a picture in HTML), key conflicts, sources
    with independent vs total counts, and the documents. The HTML loads and runs nothing."""
    from .export import report

    check_format(fmt, report=True)
    if out != "-":
        check_writable(out)
    with _open_store(_settings(ctx), must_exist=True) as store:
        result = report(store, fmt, story=story)
    _deliver(result, out)

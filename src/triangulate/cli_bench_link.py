"""`triangulate bench link_speed`: the cost of linking one more document into stores of
growing size. A thin adapter over ``triangulate.bench.link_speed.run``; importing this
module registers the command on the ``bench`` group."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from .cli import _echo_json, bench

if TYPE_CHECKING:
    from .bench.link_speed import ProgressFactory


def _sizes(ctx: click.Context, param: click.Parameter, value: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(v.replace("_", "")) for v in value.split(",") if v.strip())
    except ValueError:
        raise click.BadParameter(
            "give document counts separated by commas, e.g. 1000,10000"
        ) from None
    if not sizes or min(sizes) < 1:
        raise click.BadParameter("every size must be a positive document count")
    return sizes


@bench.command("link_speed")
@click.option(
    "--sizes",
    default="1000,10000,50000",
    show_default=True,
    callback=_sizes,
    help="Store sizes (documents) to measure at, comma-separated; one store grows through them. "
    "The issue's full claim is 1000,10000,100000 (5+ hours on two cores).",
)
@click.option(
    "--probe",
    type=click.IntRange(min=1),
    default=200,
    show_default=True,
    help="Documents added and timed one by one at each size.",
)
@click.option(
    "--workdir",
    type=click.Path(file_okay=False),
    default=None,
    help="Keep the store (link_speed.db) and the results so far (link_speed.json) here; "
    "default: a temporary folder, removed afterwards.",
)
@click.option("--seed", type=int, default=2025, show_default=True, help="Generator seed.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bars on stderr (default: when stderr is a terminal).",
)
@click.option(
    "--prefill",
    is_flag=True,
    help="Write each size's store in bulk from the generator's ground truth "
    "(bench/bulk_store.py) instead of growing it through the link stage; the probe "
    "documents are linked by the real stage either way. Makes 100,000 reachable (~20 min).",
)
@click.option(
    "--reuse",
    is_flag=True,
    help="With --prefill and --workdir: probe the prefilled stores already there instead of "
    "rebuilding them (each run adds its probe documents to them).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON only.")
def bench_link_speed(
    sizes: tuple[int, ...],
    probe: int,
    workdir: str | None,
    seed: int,
    progress: bool | None,
    prefill: bool,
    reuse: bool,
    as_json: bool,
) -> None:
    """Cost of linking one added document into generated stores of growing size (mean,
    p50, p95 ms; where the time goes), with ratios against the first size measured in
    the same run: flat means adding a document does not grow with the store."""
    from .bench.link_speed import run, table

    if reuse and not (prefill and workdir):
        raise click.UsageError("--reuse needs --prefill and --workdir")
    result = run(
        sizes, probe, workdir, seed, progress=_bars(progress), prefill=prefill, reuse=reuse
    )
    _echo_json(result)
    if not as_json:
        click.echo(table(result))


def _bars(enabled: bool | None) -> ProgressFactory:
    """tqdm bars on stderr, one per phase, with rate and ETA."""

    @contextmanager
    def bar(phase: str, total: int) -> Iterator[Callable[[int], None]]:
        from tqdm import tqdm

        with tqdm(
            total=total,
            desc=phase,
            unit="doc",
            file=sys.stderr,
            disable=None if enabled is None else not enabled,
            dynamic_ncols=True,
        ) as t:
            yield t.update

    return bar


from . import cli_bench_load as _cli_bench_load  # noqa: E402,F401

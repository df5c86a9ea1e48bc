"""`triangulate bench load`: requests/s and p50/p95/p99 latency of the workspace's JSON API
(timeline, event, search) under a closed-loop load on loopback, on a generated store.
A thin adapter over ``triangulate.bench.load.run``; importing this module registers the
command on the ``bench`` group."""

from __future__ import annotations

import click

from .cli import _echo_json, bench
from .cli_bench_link import _bars


@bench.command("load")
@click.option(
    "--docs",
    type=click.IntRange(min=1),
    default=100_000,
    show_default=True,
    help="Documents of the generated store (built once, then reused from bench-out/load/).",
)
@click.option(
    "--store",
    type=click.Path(dir_okay=False),
    default=None,
    help="Use this store: an existing file is loaded as it is; a missing one is built there "
    "with --docs documents.",
)
@click.option(
    "--duration",
    type=click.FloatRange(min=0.1),
    default=20.0,
    show_default=True,
    help="Seconds of measured load, after the warm-up.",
)
@click.option(
    "--warmup",
    type=click.FloatRange(min=0.0),
    default=5.0,
    show_default=True,
    help="Seconds of load before measuring (not counted).",
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=8,
    show_default=True,
    help="Simulated users, each on its own keep-alive connection.",
)
@click.option("--seed", type=int, default=2025, show_default=True, help="Generator seed.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar of the store build on stderr (default: when stderr is a terminal).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON only.")
def bench_load(
    docs: int,
    store: str | None,
    duration: float,
    warmup: float,
    concurrency: int,
    seed: int,
    progress: bool | None,
    as_json: bool,
) -> None:
    """Load the JSON API of `triangulate serve` on loopback and report, per endpoint,
    requests, errors, requests/s and p50/p95/p99/max latency, beside two references
    measured in the same run (/api/health, and an unknown event: the least a request
    costs). Target: timeline and event p95 under 200 ms."""
    from .bench.load import run, table

    result = run(docs, store, duration, concurrency, seed, warmup, progress=_bars(progress))
    _echo_json(result)
    if not as_json:
        click.echo(table(result))

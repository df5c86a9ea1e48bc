"""CLI commands of the cross-document layer: link, stories, timeline, claims, and the
corrections of entities and events. Thin adapters over library calls."""

from __future__ import annotations

import sys
from typing import Any

import click

from .cli import _clip, _echo_json, _open_store, _settings, _table, main


def run_link(
    settings: Any, progress: bool | None, *, quiet: bool = False, rebuild: bool = False
) -> Any:
    """Link analysed documents; prints a summary line unless ``quiet``."""
    from tqdm import tqdm

    from .link.overrides import replay_entity_overrides
    from .link.stage import LINK, Linker

    with _open_store(settings) as store:
        linker = Linker(store)
        if rebuild:
            with store.transaction():
                linker.links.forget_links()
        todo = linker.links.unlinked(LINK.tag)
        bar = tqdm(total=len(todo), unit="doc", desc="link", file=sys.stderr,
                   disable=None if progress is None else not progress, dynamic_ncols=True)  # fmt: skip
        try:
            report = linker.run(todo, progress=bar.update)
        finally:
            bar.close()
        with store.transaction():
            replay_entity_overrides(linker.links)
    for doc_id, reason in report.failures:
        click.echo(f"error: {doc_id}: linking failed: {reason} [link]", err=True)
    if not quiet:
        click.echo(
            f"linked {report.documents} document(s): {report.incidents} incidents, "
            f"{report.joined} joined existing events, {report.new_events} new events"
            + (f", {len(report.failures)} failed" if report.failures else "")
        )
    return report


@main.command()
@click.option("--rebuild", is_flag=True, help="Forget all events and link every document again "
              "(corrections are kept and re-applied).")  # fmt: skip
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar (default: when stderr is a terminal).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def link(ctx: click.Context, rebuild: bool, progress: bool | None, as_json: bool) -> None:
    """Link analysed documents across sources: entities, stories, events, claims, conflicts.
    `ingest` and `analyze` run it by default."""
    settings = _settings(ctx)
    report = run_link(settings, progress, quiet=as_json, rebuild=rebuild)
    if as_json:
        _echo_json(
            {k: v for k, v in report.__dict__.items() if k != "failures"}
            | {"failures": [list(f) for f in report.failures]}
        )
    if report.failures:
        ctx.exit(1)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def stories(ctx: click.Context, as_json: bool) -> None:
    """Developing stories: documents and events grouped as they arrive."""
    from .store.links import SQLiteLinks

    with _open_store(_settings(ctx), must_exist=True) as store:
        rows = SQLiteLinks(store.conn).stories()
    if as_json:
        _echo_json([r.to_dict() for r in rows])
        return
    click.echo(_table([[r.id, str(r.documents), str(r.events), r.first or "?", r.last or "?",
                        _clip(" | ".join(r.titles), 70)] for r in rows],
                      ["STORY", "DOCS", "EVENTS", "FROM", "TO", "TITLES"]))  # fmt: skip


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json", "csv"]), default="table",
              show_default=True, help="Output format.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--story", help="Only events of this story.")
@click.option("--type", "etype", help="Only events of this type (arrest, killing, demand...).")
@click.option("--entity", type=int, help="Only events where this entity id is named.")
@click.option("--min-sources", type=int, default=1, show_default=True,
              help="Only events with at least this many independent sources.")  # fmt: skip
@click.option("--min-documents", type=int, default=1, show_default=True,
              help="Only events reported by at least this many documents.")  # fmt: skip
@click.pass_context
def timeline(ctx: click.Context, fmt: str, as_json: bool, story: str | None, etype: str | None,
             entity: int | None, min_sources: int, min_documents: int) -> None:  # fmt: skip
    """Events in time order: date and precision, place, who, figures, independent sources,
    contested values and the evidence of the first report."""
    from .ledger import timeline as tl
    from .store.links import SQLiteLinks

    with _open_store(_settings(ctx), must_exist=True) as store:
        rows = tl.timeline(SQLiteLinks(store.conn), story=story, type=etype, entity=entity,
                           min_sources=min_sources, min_documents=min_documents)  # fmt: skip
    if as_json or fmt == "json":
        _echo_json([r.to_dict() for r in rows])
    elif fmt == "csv":
        click.echo(tl.to_csv(rows), nl=False)
    elif fmt == "markdown":
        click.echo(tl.to_markdown(rows), nl=False)
    else:
        click.echo(_table([[tl.date_cell(r), f"#{r.event_id}", _clip(r.label, 36), _clip(", ".join(r.agents), 24),
                            _clip("; ".join(r.figures), 40), f"{r.sources}/{r.documents}",
                            _clip("; ".join(r.contested), 50)] for r in rows],
                          ["DATE", "EVENT", "WHAT", "WHO", "FIGURES", "SRC/DOCS", "CONTESTED"]))  # fmt: skip


def _chain(c: Any) -> str:
    return " <- ".join(c.chain) if c.chain else c.voice


@main.command()
@click.argument("event", type=int, required=False)
@click.option("--conflicts", "only_conflicts", is_flag=True, help="Only the conflicts.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def claims(ctx: click.Context, event: int | None, only_conflicts: bool, as_json: bool) -> None:
    """The claims ledger of one event (or of all events): every source's value per
    property with its speaker chain, modality and evidence; --conflicts lists where
    independent sources disagree."""
    from .ledger.conflicts import summarise
    from .ledger.types import Property
    from .store.links import SQLiteLinks

    with _open_store(_settings(ctx), must_exist=True) as store:
        links = SQLiteLinks(store.conn)
        if event is not None:
            links.get_event(event)
        conflicts = links.conflicts(event)
        rows = [] if only_conflicts else links.claims(event)
        events = {e.id: e for e in links.list_events()}
    if as_json:
        out: dict[str, Any] = {"conflicts": [c.to_dict() for c in conflicts]}
        if not only_conflicts:
            out["claims"] = [c.to_dict() for c in rows]
            ids = sorted({c.event_id for c in rows})
            out["summaries"] = {
                str(i): [summarise(p, [c for c in rows if c.event_id == i]).to_dict()
                         for p in Property if p.numeric and any(c.event_id == i and c.property is p for c in rows)]
                for i in ids
            }  # fmt: skip
        _echo_json(out)
        return
    if not only_conflicts:
        click.echo(_table([[f"#{c.event_id}", c.property.value, _clip(c.value, 28), c.doc_id, _clip(c.source, 16),
                            _clip(_chain(c), 30), c.modality, _clip(c.note, 24)] for c in rows],
                          ["EVENT", "PROPERTY", "VALUE", "DOC", "SOURCE", "WHO SAYS", "MODALITY", "NOTE"]))  # fmt: skip
        click.echo()
    click.echo(_table([[f"#{c.event_id}", _clip(events[c.event_id].label if c.event_id in events else "", 30),
                        c.property.value, c.kind.value, f"{c.severity:.2f}",
                        _clip(" vs ".join(f"{v.value} ({', '.join(v.sources)}; {', '.join(v.chains)})"
                                          for v in c.values), 90)] for c in conflicts],
                      ["EVENT", "WHAT", "PROPERTY", "KIND", "SEVERITY", "VALUES"]))  # fmt: skip


@main.group("entity")
def entity_group() -> None:
    """Correct entities: merge, split, rename, delete (stored as overrides that survive
    re-analysis)."""


def _correct(ctx: click.Context, action: str, entity_id: int, **args: Any) -> None:
    from .link.overrides import correct_entity

    with _open_store(_settings(ctx), must_exist=True) as store:
        result = correct_entity(store, action, entity_id, **args)
    click.echo(f"{action}: entity {entity_id} -> {result}")


@entity_group.command("merge")
@click.argument("entity_id", type=int)
@click.argument("into", type=int)
@click.pass_context
def entity_merge(ctx: click.Context, entity_id: int, into: int) -> None:
    """Merge ENTITY_ID into INTO."""
    _correct(ctx, "merge", entity_id, into=into)


@entity_group.command("split")
@click.argument("entity_id", type=int)
@click.argument("keys", nargs=-1, required=True)
@click.option("--name", help="Name of the new entity.")
@click.pass_context
def entity_split(
    ctx: click.Context, entity_id: int, keys: tuple[str, ...], name: str | None
) -> None:
    """Move the mention KEYS of ENTITY_ID into a new entity."""
    _correct(ctx, "split", entity_id, keys=list(keys), name=name)


@entity_group.command("rename")
@click.argument("entity_id", type=int)
@click.argument("name")
@click.pass_context
def entity_rename(ctx: click.Context, entity_id: int, name: str) -> None:
    """Give ENTITY_ID the display name NAME."""
    _correct(ctx, "rename", entity_id, name=name)


@entity_group.command("delete")
@click.argument("entity_id", type=int)
@click.pass_context
def entity_delete(ctx: click.Context, entity_id: int) -> None:
    """Hide ENTITY_ID (a false entity) from listings."""
    _correct(ctx, "delete", entity_id)


@main.group("event")
def event_group() -> None:
    """Correct events: merge two, or split one document's incident out (stored as
    overrides the linker obeys on every re-link)."""


@event_group.command("merge")
@click.argument("keep", type=int)
@click.argument("other", type=int)
@click.pass_context
def event_merge(ctx: click.Context, keep: int, other: int) -> None:
    """Move every incident of OTHER into KEEP."""
    from .link.overrides import merge_events

    with _open_store(_settings(ctx), must_exist=True) as store:
        merge_events(store, keep, other)
    click.echo(f"merged event {other} into {keep}")


@event_group.command("split")
@click.argument("event_id", type=int)
@click.argument("doc")
@click.argument("incident", type=int)
@click.pass_context
def event_split(ctx: click.Context, event_id: int, doc: str, incident: int) -> None:
    """Take incident INCIDENT of document DOC out of EVENT_ID into a new event."""
    from .link.overrides import split_event

    with _open_store(_settings(ctx), must_exist=True) as store:
        new = split_event(store, event_id, doc, incident)
    click.echo(f"split incident {incident} of {doc} out of event {event_id} into event {new}")


@event_group.command("show")
@click.argument("event_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def event_show(ctx: click.Context, event_id: int, as_json: bool) -> None:
    """One event: date and how it was found, members with their link evidence, ledger."""
    from .store.links import SQLiteLinks

    with _open_store(_settings(ctx), must_exist=True) as store:
        links = SQLiteLinks(store.conn)
        ev = links.get_event(event_id)
        members = links.members(event_id)
    if as_json:
        _echo_json({"event": ev.to_dict(), "members": [m.to_dict() for m in members]})
        return
    click.secho(f"#{ev.id} {ev.label}", bold=True)
    click.echo(
        f"  date:    {ev.date or 'undated'} ({ev.precision}, {ev.date_method}) {ev.date_evidence}"
    )
    click.echo(
        f"  story:   {ev.story}   sources: {ev.sources} independent / {ev.documents} documents"
    )
    for m in members:
        click.echo(
            f"  member:  {m.doc_id} incident {m.incident} score {m.score}: {'; '.join(m.evidence)}"
        )
    ctx.invoke(claims, event=event_id)


from . import cli_bench_link as _cli_bench_link  # noqa: E402,F401

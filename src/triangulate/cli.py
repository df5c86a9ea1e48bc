"""The ``triangulate`` command: a thin adapter over library calls.

Errors are translated here, once: a named error becomes one line on stderr and an exit
status (1 when some inputs failed, 2 for usage or set-up problems).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import click

from . import __version__
from .errors import TriangulateError
from .ingest.metadates import parse_metadata_date
from .records import DateMethod, Document, SourceKind
from .settings import SETTINGS, Setting, Settings

F = TypeVar("F", bound=Callable[..., Any])
_BY_NAME = {s.name: s for s in SETTINGS}


def setting_options(*names: str) -> Callable[[F], F]:
    """Click options generated from the settings table (flag, default, help, env)."""

    def decorate(fn: F) -> F:
        for name in reversed(names):
            s: Setting = _BY_NAME[name]
            help_text = s.help + (f" [env {s.env}]" if s.env else "") + f" [default: {s.default}]"
            if s.type is bool:
                fn = click.option(
                    f"{s.flag}/--no-{s.flag[2:]}", name, default=None, help=help_text
                )(fn)
            else:
                fn = click.option(s.flag, name, type=s.type, default=None, help=help_text)(fn)
        return fn

    return decorate


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    base = dict(ctx.obj or {})
    base.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Settings.load(base)
    except TriangulateError as exc:
        raise click.UsageError(exc.message) from exc


def _open_store(settings: Settings, *, must_exist: bool = False) -> Any:
    import os

    from .errors import NotFound
    from .store.sqlite import SQLiteStore

    if must_exist and not os.path.exists(settings.db):
        raise NotFound(
            f"no database at {settings.db} (run `triangulate ingest` first, or pass --db)"
        )
    return SQLiteStore(settings.db)


def _echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _table(rows: Sequence[Sequence[str]], headers: Sequence[str]) -> str:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def _clip(text: str | None, n: int) -> str:
    text = (text or "").replace("\n", " ⏎ ")
    return text if len(text) <= n else text[: n - 1] + "…"


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TriangulateError as exc:
            click.echo(f"error: {exc.one_line()}", err=True)
            ctx.exit(2)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="triangulate")
@setting_options("db")
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """Triangulate: a sourced, dated picture of a crisis from many sources (en/ru/az)."""
    ctx.obj = {"db": db}


# --- ingest ---------------------------------------------------------------------------


class _Bar:
    """tqdm over input bytes, with documents and rejections alongside."""

    def __init__(self, enabled: bool | None) -> None:
        import time

        self.enabled = enabled
        self.bar: Any = None
        self.clock = time.monotonic
        self.started = time.monotonic()

    def __call__(self, p: Any) -> None:
        from tqdm import tqdm

        if self.bar is None:
            total = p.bytes_total or p.inputs_total
            self.bar = tqdm(
                total=total,
                unit="B" if p.bytes_total else "input",
                unit_scale=True,
                unit_divisor=1024,
                desc="ingest",
                file=sys.stderr,
                disable=None if self.enabled is None else not self.enabled,
                dynamic_ncols=True,
            )
        done = p.bytes_done if p.bytes_total else p.inputs_done
        self.bar.update(done - self.bar.n)
        elapsed = max(self.clock() - self.started, 1e-9)
        self.bar.set_postfix_str(
            f"{p.inputs_done}/{p.inputs_total} inputs, {p.documents} docs ({p.documents / elapsed:.1f}/s),"
            f" {p.rejected} rejected",
            refresh=False,
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--published",
    help="Publication date (ISO, e.g. 2025-06-30) for inputs that carry none of their own.",
)
@click.option(
    "--source", "source_name", help="Name of the source of these inputs (overrides what is found)."
)
@click.option(
    "--source-kind", type=click.Choice([k.value for k in SourceKind]), help="Kind of source."
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar (default: when stderr is a terminal).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--analyze/--no-analyze",
    "run_analyze",
    default=True,
    show_default=True,
    help="Run the understanding stage on the new documents afterwards.",
)
@setting_options("max_input_mb", "fetch_timeout", "fetch_max_mb", "max_redirects", "allow_private",
                 "keep_dropped", "copy_threshold", "languages")  # fmt: skip
@click.pass_context
def ingest(
    ctx: click.Context,
    inputs: tuple[str, ...],
    published: str | None,
    source_name: str | None,
    source_kind: str | None,
    progress: bool | None,
    as_json: bool,
    run_analyze: bool,
    **overrides: Any,
) -> None:
    """Read files, folders, URLs or - (stdin) into the store.

    Formats: .txt, .html/.htm, .json/.jsonl article records (news-please, trafilatura),
    RSS/Atom feeds, WARC and WARC.gz. Bad inputs are reported one line each and the
    rest of the batch is stored; the exit status is 1 when anything failed.
    """
    from .pipeline import IngestOptions
    from .pipeline import ingest as run_ingest

    settings = _settings(ctx, **overrides)
    given = None
    if published:
        given = parse_metadata_date(published, "given on the command line", DateMethod.GIVEN)
        if given is None:
            raise click.BadParameter(
                f"not a date: {published!r} (use ISO, e.g. 2025-06-30)", param_hint="--published"
            )
    options = IngestOptions(
        published=given,
        source_name=source_name,
        source_kind=SourceKind(source_kind) if source_kind else None,
    )
    bar = _Bar(progress)
    with _open_store(settings) as store:
        try:
            report = run_ingest(list(inputs), store, settings, options, on_progress=bar)
        finally:
            bar.close()
    for outcome in report.outcomes:
        if outcome.message:
            click.echo(f"error: {outcome.message}", err=True)
    later_failed = False
    if run_analyze:
        analysed, linked = _run_analyze(settings, progress, quiet=as_json)
        later_failed = bool(analysed.failed or linked.failures)
    c = report.counts
    if as_json:
        data = {k: v for k, v in report.to_dict().items() if k != "tally"}
        _echo_json({**data, "counts": c})
    else:
        stored = c["new"] + c["copy"]
        click.echo(
            f"{report.inputs} input(s) in {report.seconds:.1f}s: {stored} stored ({c['new']} original, "
            f"{c['copy']} linked as copies), {c['duplicate']} exact duplicate(s), {c['unchanged']} already "
            f"stored, {c['rejected']} rejected"
            + (f", {len(report.skipped)} skipped (unknown extension)" if report.skipped else "")
            + f" -> {settings.db}"
        )
    if report.failed or later_failed:
        ctx.exit(1)


def _run_analyze(
    settings: Settings, progress: bool | None, *, quiet: bool = False
) -> tuple[Any, Any]:
    """Analyse, then link, what is new; returns both reports."""
    from tqdm import tqdm

    from .understand.run import analyse

    bar: Any = None

    def on_progress(p: Any) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=p.total, unit="doc", desc="analyze", file=sys.stderr,
                       disable=None if progress is None else not progress, dynamic_ncols=True)  # fmt: skip
        bar.update(p.done - bar.n)
        bar.set_postfix_str(f"{p.words} words", refresh=False)

    with _open_store(settings) as store:
        try:
            report = analyse(store, settings, on_progress=on_progress)
        finally:
            if bar is not None:
                bar.close()
    for doc_id, reason in report.failed.items():
        click.echo(f"error: {doc_id}: analysis failed: {reason} [analysis]", err=True)
    if not quiet:
        rate = report.words / report.seconds if report.seconds else 0.0
        click.echo(
            f"analyzed {len(report.analysed)} document(s) in {report.seconds:.1f}s ({rate:.0f} words/s): "
            f"{report.entities} entity mentions, {report.timexes} time expressions, "
            f"{report.mentions} event mentions"
            + (f", {len(report.failed)} failed" if report.failed else "")
        )
    from .cli_link import run_link

    # The link stage follows analysis: failures of either make the command fail.
    return report, run_link(settings, progress, quiet=quiet)


@main.command()
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar (default: when stderr is a terminal).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@setting_options("english_model", "languages")
@click.pass_context
def analyze(ctx: click.Context, progress: bool | None, as_json: bool, **overrides: Any) -> None:
    """Run the understanding stage (entities, dates, event mentions) on stored documents
    not yet analysed by the current version of the stage."""
    settings = _settings(ctx, **overrides)
    report, linked = _run_analyze(settings, progress, quiet=as_json)
    if as_json:
        _echo_json(report.to_dict())
    if report.failed or linked.failures:
        ctx.exit(1)


@main.command()
@click.option("--type", "etype", type=click.Choice(["PER", "ORG", "LOC", "MEDIA", "NORP", "MISC"]),
              help="Only entities of this type.")  # fmt: skip
@click.option("--limit", type=int, default=None, help="At most this many rows.")
@click.option("--offset", type=int, default=0, help="Skip this many rows first.")
@click.option("--merged", is_flag=True, help="Entities as resolved across documents (short forms, "
              "corrections), with their ids, instead of one row per mention key.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def entities(
    ctx: click.Context,
    etype: str | None,
    limit: int | None,
    offset: int,
    merged: bool,
    as_json: bool,
) -> None:
    """Entities across the store, by their script-independent key, with aliases."""
    settings = _settings(ctx)
    if merged:
        from .store.links import SQLiteLinks

        with _open_store(settings, must_exist=True) as store:
            found = SQLiteLinks(store.conn).list_entities(type=etype, limit=limit, offset=offset)
        if as_json:
            _echo_json([r.to_dict() for r in found])
            return
        click.echo(_table([[str(r.id), r.type, _clip(r.name, 30), str(r.documents), str(r.mentions),
                            _clip(", ".join(r.keys), 30), _clip(", ".join(r.aliases), 50)] for r in found],
                          ["ID", "TYPE", "NAME", "DOCS", "MENTIONS", "KEYS", "ALIASES"]))  # fmt: skip
        return
    with _open_store(settings, must_exist=True) as store:
        rows = store.entity_summary(type=etype, limit=limit, offset=offset)
    if as_json:
        _echo_json([r.to_dict() for r in rows])
        return
    table = [[r.key, r.type, _clip(r.name, 30), str(r.documents), str(r.mentions), _clip(", ".join(r.aliases), 60)]
             for r in rows]  # fmt: skip
    click.echo(_table(table, ["KEY", "TYPE", "NAME", "DOCS", "MENTIONS", "ALIASES"]))


def _figure(q: Any) -> str:
    span = (
        str(q["min"])
        if q["max"] == q["min"]
        else f"{q['min']}-{q['max'] if q['max'] is not None else ''}"
    )
    mark = {"approximate": "~", "vague": "≈", "implicit": "=", "exact": ""}.get(q["exactness"], "")
    return f"{q['kind']} {mark}{span}" + (f" ({q['word']})" if q.get("word") else "")


@main.command()
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def mentions(ctx: click.Context, doc: str, as_json: bool) -> None:
    """Event mentions of one document: type, arguments, figures, modality, attribution,
    evidence."""
    settings = _settings(ctx)
    with _open_store(settings, must_exist=True) as store:
        d = store.get_document(doc)
        analysis = store.get_analysis(d.id)
    if analysis is None:
        raise click.ClickException(f"{d.id} has not been analysed yet: run `triangulate analyze`")
    if as_json:
        _echo_json(
            {
                "doc_id": d.id,
                "stage": analysis.stage,
                "mentions": [m.to_dict() for m in analysis.mentions],
            }
        )
        return
    for m in (x.to_dict() for x in analysis.mentions):
        a = m["attribution"]
        chain = " <- ".join(a["chain"]) if a["chain"] else (a["speaker"] or "")
        lines = [
            f"{m['type']} [CAMEO {m['cameo'] or '-'}, PLOVER {m['plover'] or '-'}] trigger {m['trigger']!r}"
            f"  {m['modality']}{' (' + m['modality_cue'] + ')' if m['modality_cue'] else ''}  conf {m['confidence']}",
        ]
        if m["agents"]:
            lines.append("  agent:    " + "; ".join(x["text"] for x in m["agents"]))
        if m["patients"]:
            lines.append("  patient:  " + "; ".join(x["text"] for x in m["patients"]))
        if m["location"]:
            lines.append("  where:    " + m["location"]["text"])
        if m["time"]:
            lines.append(
                f"  when:     {m['time']['value']} ({m['time']['text']!r}, {m['time']['anchor']})"
            )
        if m["quantities"]:
            lines.append("  figures:  " + "; ".join(_figure(q) for q in m["quantities"]))
        lines.append(
            f"  voice:    {a['voice']}"
            + (f", {chain}" if chain else "")
            + (f" ({a['verb']})" if a["verb"] else "")
        )
        lines.append(f"  evidence: {_clip(d.text[m['evidence_start'] : m['evidence_end']], 110)}")
        click.echo("\n".join(lines))
    click.echo(f"{len(analysis.mentions)} event mention(s), {len(analysis.entities)} entity mention(s), "
               f"{len(analysis.timexes)} time expression(s)")  # fmt: skip


# --- listings ---------------------------------------------------------------------------


def _date_cell(value: str | None, method: str) -> str:
    if not value:
        return "?"
    mark = {
        "metadata": "",
        "text": " (text)",
        "url": " (url)",
        "given": " (given)",
        "inferred": " (inferred)",
    }
    return value[:16].replace("T", " ") + mark.get(method, "")


@main.command()
@click.option("--limit", type=int, default=None, help="At most this many rows.")
@click.option("--offset", type=int, default=0, help="Skip this many rows first.")
@click.option("--lang", help="Only documents with text in this language (en, ru, az...).")
@click.option("--source", help="Only documents from this source (domain or name).")
@click.option("--originals", is_flag=True, help="Leave out documents that are copies of another.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def docs(ctx: click.Context, limit: int | None, offset: int, lang: str | None, source: str | None,
         originals: bool, as_json: bool) -> None:  # fmt: skip
    """List stored documents."""
    settings = _settings(ctx)
    with _open_store(settings, must_exist=True) as store:
        rows = store.list_documents(
            limit=limit, offset=offset, language=lang, source=source, originals_only=originals
        )
    if as_json:
        _echo_json([r.to_dict() for r in rows])
        return
    table = [
        [
            r.id,
            _date_cell(r.published.value, r.published.method.value),
            ",".join(r.languages) or "und",
            _clip(r.source.name or r.source.domain or "?", 24),
            r.source.kind.value,
            r.copy_of or "",
            str(r.blocks),
            _clip(r.title, 60),
        ]
        for r in rows
    ]
    click.echo(
        _table(table, ["ID", "PUBLISHED", "LANG", "SOURCE", "KIND", "COPY OF", "BLOCKS", "TITLE"])
    )


def _document_json(doc: Document) -> dict[str, Any]:
    out = doc.to_dict()
    out["blocks"] = [
        {"index": i, **b.to_dict(), "text": doc.block_text(b)} for i, b in enumerate(doc.blocks)
    ]
    return out


@main.command()
@click.argument("doc")
@click.option("--full", is_flag=True, help="Print each block's whole text.")
@click.option("--text", "raw_text", is_flag=True, help="Print the stored text only.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON (blocks with their text).")
@click.pass_context
def show(ctx: click.Context, doc: str, full: bool, raw_text: bool, as_json: bool) -> None:
    """Show one document (id or unique id prefix): metadata and its typed blocks."""
    settings = _settings(ctx)
    with _open_store(settings, must_exist=True) as store:
        d = store.get_document(doc)
        copies = store.copies_of(d.id)
    if as_json:
        _echo_json({**_document_json(d), "copies": copies})
        return
    if raw_text:
        click.echo(d.text)
        return
    p = d.published
    lines = [
        f"id:        {d.id}",
        f"title:     {d.title or '-'}",
        f"author:    {d.author or '-'}",
        f"source:    {d.source.name or '-'} ({d.source.domain or 'no domain'}, {d.source.kind.value})"
        + (f"  [{d.source.evidence}]" if d.source.evidence else ""),
        f"url:       {d.url or '-'}",
        f"published: {p.value or 'unknown'}"
        + (
            f" ({p.precision.value}, {p.method.value}: {p.evidence})"
            if p.value and p.precision
            else ""
        ),
        f"languages: {', '.join(d.languages) or 'und'}",
        f"read from: {d.locator} ({d.input_format.value}, {d.encoding})",
    ]
    if d.copy:
        lines.append(f"copy of:   {d.copy.original} ({d.copy.reason})")
    if copies:
        lines.append(f"copies:    {', '.join(copies)}")
    for w in d.warnings:
        lines.append(f"warning:   {w}")
    click.echo("\n".join(lines) + "\n")
    rows = []
    for i, b in enumerate(d.blocks):
        kind = (
            b.kind.value
            + (f" #{b.number}" if b.number is not None else "")
            + (f" ({b.author})" if b.author else "")
        )
        indent = "  " if b.parent is not None else ""
        text = d.block_text(b)
        rows.append(
            [
                str(i),
                indent + kind,
                b.lang,
                f"{b.start}-{b.end}",
                text.replace("\n", " ⏎ ") if full else _clip(text, 70),
            ]
        )
    click.echo(_table(rows, ["#", "KIND", "LANG", "OFFSETS", "TEXT"]))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def rejections(ctx: click.Context, as_json: bool) -> None:
    """Inputs that could not be stored, and why."""
    settings = _settings(ctx)
    with _open_store(settings, must_exist=True) as store:
        rows = store.rejections()
    if as_json:
        _echo_json([r.to_dict() for r in rows])
        return
    click.echo(
        _table(
            [[r.locator, r.code, _clip(r.message, 80)] for r in rows], ["INPUT", "CODE", "REASON"]
        )
    )


@main.command("settings")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
def settings_cmd(ctx: click.Context, as_json: bool) -> None:
    """Settings with their current values (after environment variables)."""
    current = _settings(ctx)
    rows = [
        {
            "name": s.name,
            "flag": s.flag,
            "env": s.env,
            "default": s.default,
            "value": getattr(current, s.name),
            "help": s.help,
        }
        for s in SETTINGS
    ]
    if as_json:
        _echo_json(rows)
        return
    click.echo(_table([[r["flag"], str(r["value"]), r["env"] or "", _clip(r["help"], 70)] for r in rows],
                      ["SETTING", "VALUE", "ENV", "HELP"]))  # fmt: skip


@main.command()
@click.argument("folder", default="examples")
@click.pass_context
def demo(ctx: click.Context, folder: str) -> None:
    """Ingest the demo corpus and show what Triangulate makes of it so far."""
    from .pipeline import ingest as run_ingest

    settings = _settings(ctx)
    with _open_store(settings) as store:
        report = run_ingest([folder], store, settings)
        rows = store.list_documents()
        counts = store.counts()
        show_id = next(
            (r.id for r in rows if r.source.kind is SourceKind.AGGREGATOR),
            rows[0].id if rows else None,
        )
    c = report.counts
    click.secho(f"== Ingested {folder} into {settings.db}", bold=True)
    click.echo(
        f"{report.inputs} inputs -> {c['new'] + c['copy']} stored now, {c['unchanged']} already stored, "
        f"{c['rejected']} rejected"
    )
    for outcome in report.outcomes:
        if outcome.message:
            click.echo(f"error: {outcome.message}", err=True)
    click.secho("\n== Documents (triangulate docs)", bold=True)
    ctx.invoke(docs)
    click.secho("\n== Copies and reposts", bold=True)
    groups: dict[str, list[str]] = {}
    for r in rows:
        if r.copy_of:
            groups.setdefault(r.copy_of, []).append(r.id)
    titles = {r.id: r.title for r in rows}
    for root, members in groups.items():
        click.echo(f"{root} {_clip(titles.get(root), 60)}")
        for m in members:
            click.echo(f"  <- {m} {_clip(titles.get(m), 56)}")
    click.echo(
        f"{counts.documents} documents, {counts.originals} independent originals, {counts.sources} sources"
    )
    if show_id:
        click.secho(f"\n== Blocks of one capture (triangulate show {show_id})", bold=True)
        ctx.invoke(show, doc=show_id)
    click.secho("\n== Understanding (triangulate analyze)", bold=True)
    _run_analyze(settings, None)
    click.secho(
        "\n== People across documents and scripts (triangulate entities --type PER --limit 8)",
        bold=True,
    )
    ctx.invoke(entities, etype="PER", limit=8)
    wire = next(
        (r.id for r in rows if r.copy_of is None and r.source.name == "Caspian Wire Service"),
        show_id,
    )
    if wire:
        click.secho(f"\n== Event mentions of one article (triangulate mentions {wire})", bold=True)
        ctx.invoke(mentions, doc=wire)
    from .cli_link import claims, timeline

    click.secho(
        "\n== Timeline of events with two or more documents (triangulate timeline)", bold=True
    )
    ctx.invoke(timeline, fmt="table", as_json=False, story=None, etype=None, entity=None, min_sources=1,
               min_documents=2)  # fmt: skip
    click.secho(
        "\n== Where independent sources disagree (triangulate claims --conflicts)", bold=True
    )
    ctx.invoke(claims, event=None, only_conflicts=True, as_json=False)


@main.group()
def bench() -> None:
    """Benchmarks: speed and accuracy, measured against references in the same run."""


@bench.command("ingest")
@click.option(
    "--docs", "n_docs", type=int, default=10000, show_default=True, help="Documents to generate."
)
@click.option(
    "--workdir",
    type=click.Path(file_okay=False),
    default="bench-out/ingest",
    show_default=True,
    help="Where the generated corpus and database go (the corpus is reused when present).",
)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON only.")
def bench_ingest(n_docs: int, workdir: str, as_json: bool) -> None:
    """Ingest + segment throughput (documents/s, MB/s) and peak memory on a generated
    corpus, with read+hash and bare trafilatura as references."""
    from pathlib import Path

    from .bench.ingest_speed import run_ingest_bench

    result = run_ingest_bench(n_docs, Path(workdir))
    data = result.to_dict()
    _echo_json(data)
    if not as_json:
        click.echo(_table([[k, str(v)] for k, v in data.items()], ["METRIC", "VALUE"]))


# name -> (module under triangulate.bench, data folder under ../shared/bench, default split, what)
ACCURACY_BENCHES: dict[str, tuple[str, str, str, str]] = {
    "tempeval3": ("tempeval3", "tempeval3", "aquaint",
                  "TIMEX3 strict/relaxed span F1, type and value F1 (TempEval-3 scoring). Splits: timebank "
                  "(train), aquaint (dev), all, or folder (DATA is a folder of .tml files)."),
    "petrarch2": ("petrarch2", "petrarch2", "dev",
                  "(source, target, CAMEO code) P/R/F1, fully-correct share and root-code accuracy on the "
                  "PETRARCH validation records with their CAMEO dictionaries."),
    "conll2003": ("conll2003", "conll2003", "dev",
                  "English NER entity-level P/R/F1, bare spaCy beside our backend with corrections."),
    "factrueval2016": ("factrueval", "factrueval2016", "dev",
                       "Russian NER exact-span P/R/F1 per type, bare natasha beside our backend."),
    "fnc1": ("fnc1", "fnc1", "dev",
             "Stance (agree/disagree/discuss/unrelated) of the shipped model: official FNC-1 weighted score "
             "and macro-F1, beside an all-unrelated reference. Splits: dev, dev-unseen (headlines and bodies "
             "of held-out topics; the shipped model never saw them), train, all, or test (DATA holds the "
             "competition_test_* files)."),
    "ecbplus_story_clustering": (
        "ecbplus_stories", "ecbplus_story_clustering", "dev",
        "Online story clustering on ECB+ documents: ARI, V-measure, B3 against gold sub-topics, beside an "
        "all-pairs TF-IDF average-link reference measured in the same run.",
    ),
    "ecbplus": ("ecbplus", "ecbplus", "dev",
                "Cross-document event coreference on ECB+ (gold event mentions, predicted stories, predicted "
                "arguments): MUC, B3, CEAF-e and CoNLL F1 of the event linker, beside all-singletons and "
                "same-lemma-in-story references. Splits: dev, train."),
    "speed": ("understand_speed", "conll2003", "dev",
              "Words/s of the understanding stage against bare spaCy nlp.pipe on the same English text, "
              "and peak RSS with en/ru/az loaded."),
}  # fmt: skip


def _accuracy_bench(name: str, module: str, folder: str, split: str, what: str) -> None:
    @bench.command(name, help=what)
    @click.option(
        "--data",
        type=click.Path(exists=True),
        default=f"../shared/bench/{folder}",
        show_default=True,
        help="The benchmark's data folder (or file, for a held-out split).",
    )
    @click.option("--split", default=split, show_default=True, help="Which split to score.")
    @click.option("--limit", type=int, default=None, help="Only the first N items (quick checks).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON only.")
    def command(data: str, split: str, limit: int | None, as_json: bool) -> None:
        import importlib
        from pathlib import Path

        mod = importlib.import_module(f"triangulate.bench.{module}")
        result = mod.run(Path(data), split, limit=limit)
        _echo_json(result)
        if not as_json:
            click.echo(mod.table(result))


for _name, (_module, _folder, _split, _what) in ACCURACY_BENCHES.items():
    _accuracy_bench(_name, _module, _folder, _split, _what)


@main.group()
def train() -> None:
    """Reproducible training of the models Triangulate ships."""


@train.command("stance")
@click.option(
    "--data",
    type=click.Path(exists=True, file_okay=False),
    default="../shared/bench/fnc1",
    show_default=True,
    help="FNC-1 folder (train_bodies.csv, train_stances.*.csv).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default="src/triangulate/data/stance_model.npz",
    show_default=True,
    help="Where the model goes (a .npz beside its .json metadata).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON only.")
def train_stance(data: str, out: str, as_json: bool) -> None:
    """Train the stance model on the FNC-1 train split (fixed seed: the same data gives
    the same model) and report its score on the dev hold-out."""
    from pathlib import Path

    from .stance.train import train as run_train

    result = run_train(Path(data), out=Path(out))
    _echo_json(result)
    if not as_json:
        click.echo(f"model written to {out}")


def run(argv: Iterable[str] | None = None) -> int:
    """Entry for tests and ``python -m triangulate``: returns the exit status."""
    try:
        main.main(
            args=list(argv) if argv is not None else None,
            prog_name="triangulate",
            standalone_mode=False,
        )
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    return 0


# The cross-document commands live in their own module; importing it registers them.
from . import cli_export as _cli_export  # noqa: E402,F401
from . import cli_link as _cli_link  # noqa: E402,F401
from . import cli_serve as _cli_serve  # noqa: E402,F401

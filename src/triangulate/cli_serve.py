"""`triangulate serve`: the analyst's workspace (web UI and JSON API) on loopback.
Importing this module registers the command on the main group."""

from __future__ import annotations

import click

from .cli import _settings, main

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


@main.command()
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="Address to bind. Anything but loopback makes the workspace reachable from "
                   "the network, and then every change needs the token.")  # fmt: skip
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="TCP port (0: any free port).")  # fmt: skip
@click.option("--token", envvar="TRIANGULATE_TOKEN", default=None,
              help="Token that state-changing requests must carry; generated and printed when "
                   "the server is bound off loopback and none is given. [env TRIANGULATE_TOKEN]")  # fmt: skip
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, token: str | None) -> None:
    """Open the workspace: timeline, events with their claims ledger, entities, sources,
    documents and search, plus the JSON API under /api (schema at /api/openapi.json)."""
    import uvicorn

    from .web import create_app

    settings = _settings(ctx)
    app = create_app(settings.db, host=host, token=token)
    guard = app.state.ctx.guard
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Triangulate workspace for {settings.db} on http://{shown}:{port}/ (Ctrl+C stops)")
    if guard.token is not None:
        if not guard.loopback:
            click.echo(f"bound to {host}: reachable from the network; changes need a token")
        if token is None:
            click.echo(f"token: {guard.token}")
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)

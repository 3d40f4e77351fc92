"""`siaga serve`: run the web app with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from siaga.cli.common import app, clear_errors, out, settings_of
from siaga.server import create_app


@app.command("serve")
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address to listen on (or SIAGA_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (or SIAGA_PORT).")] = None,
) -> None:
    """Serve the dashboard and the API (default http://127.0.0.1:8000)."""
    settings = settings_of(ctx)
    bind_host, bind_port = host or settings.host, port or settings.port
    # The bound host decides the default of Secure cookies (off only on loopback).
    settings = settings.model_copy(update={"host": bind_host, "port": bind_port})
    with clear_errors():
        web = create_app(settings)
    out.print(f"Siaga: http://{bind_host}:{bind_port}/  (Ctrl+C to stop)", highlight=False)
    # uvicorn's own proxy-header handling trusts loopback by default; Siaga reads forwarding
    # headers itself, only from the `trusted_proxies` setting.
    uvicorn.run(web, host=bind_host, port=bind_port, log_level="info", proxy_headers=False)

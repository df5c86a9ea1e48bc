"""The analyst's workspace on the web: server-rendered pages and their JSON twins under
/api (FastAPI), over the workspace read models and the CLI's correction functions."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]

"""`triangulate serve`: the analyst's workspace (web UI and JSON API) on loopback.
Importing this module registers the command on the main group."""

from __future__ import annotations

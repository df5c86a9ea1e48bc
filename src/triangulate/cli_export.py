"""`triangulate export` and `triangulate report`: the store handed on in the formats
analysts already use. Importing this module registers the commands on the main group."""

from __future__ import annotations

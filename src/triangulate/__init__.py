"""Triangulate: a sourced, dated picture of a crisis from many sources and languages."""

__version__ = "0.1.0"

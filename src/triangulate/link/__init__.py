"""Linking documents into developing stories (online clustering)."""

from triangulate.link.stories import StoryClusterer

__all__ = ["StoryClusterer"]

"""Linking documents into developing stories (online clustering)."""

from triangulate.link.stories import StoryClusterer
from triangulate.link.story_state import MemoryStoryState, SqliteStoryState, StoryState

__all__ = ["MemoryStoryState", "SqliteStoryState", "StoryClusterer", "StoryState"]

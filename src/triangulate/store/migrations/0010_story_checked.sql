-- The size a story had when refinement last examined it (splits, merges, its norm):
-- refinement examines a touched story again only once it has grown by a share of that
-- size (link/stories.py RECHECK_GROWTH), which keeps the cost of refining after one
-- document from growing with the story. Live stories of an existing store were examined
-- at the end of the run that last changed them, so they start at their current size.
ALTER TABLE story_stories ADD COLUMN checked INTEGER NOT NULL DEFAULT 0;
UPDATE story_stories SET checked = size WHERE merged_into IS NULL;

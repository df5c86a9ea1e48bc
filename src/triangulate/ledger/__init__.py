"""The claims ledger: per event and property, who says what, where they disagree, and how
many independent sources stand behind it."""

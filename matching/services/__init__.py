"""Writes of the matching app: runs (start, execute, adjust, publish) and pairings."""

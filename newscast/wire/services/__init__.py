"""Writes of the wire desk: `feeds` (poll, import, add, remove), `items` (one version of an
item -> a story) and `queue` (what editors do with an item: publish, hold, kill)."""

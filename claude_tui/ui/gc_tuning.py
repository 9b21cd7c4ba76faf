"""How the UI process uses Python's garbage collector: rarely, and never over start-up objects.

Start-up (imports, CSS rules, styles, widgets) allocates a great deal that lives as long as
the app, and a long streamed reply creates many small render objects. With Python's default
threshold (a young collection every 700 allocations) the imports pay for dozens of
collections, and a full one over everything lands just before the first frame (~14 ms); the
full collections while streaming were the longest pauses of the event loop.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 20_000
"""Allocations between young collections (Python's default: 700)."""


def collect_rarely() -> None:
    """Make collections rarer; called before the UI's imports and again by the app."""
    gc.set_threshold(YOUNG_THRESHOLD, 20, 20)


def freeze_survivors() -> None:
    """Move everything alive now (after the first frame) out of the collector's sight."""
    gc.freeze()

"""The saved sessions' usage buckets over a period, read through the two indexes.

One object per front-end (it keeps the usage index's parsed file between reads); each read
lists the sessions afresh, so a reply saved a moment ago, here or in another process,
counts at once.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from claude_tui.sessions.session_index import INDEX_FILE_NAME
from claude_tui.sessions.session_store import SessionStore
from claude_tui.usage.usage_buckets import UsageBucket
from claude_tui.usage.usage_index import USAGE_FILE_NAME, UsageIndex

FileStamp = tuple[int, int, int]


class UsageHistory:
    """Usage buckets of the sessions in one store."""

    def __init__(self, store: SessionStore | None = None) -> None:
        self.store = store or SessionStore()
        self.index = UsageIndex(self.store.root)

    @property
    def root(self) -> Path:
        """The sessions folder."""
        return self.store.root

    def sessions_since(self, first_day: datetime.date) -> dict[str, list[UsageBucket]]:
        """The buckets of every loadable session updated on ``first_day`` (local) or later,
        by session id: all of each one's buckets, so a caller keeps those of the days it
        wants (``bucket.day >= first_day.isoformat()``). Shared lists: do not change them."""
        return self.index.buckets(self.store.updated_stamps(), since=day_start(first_day))

    def stamp(self) -> tuple[FileStamp | None, FileStamp | None]:
        """What the two index files look like now: any saved change alters it (both are
        appended to), so figures computed under one stamp hold until it changes."""
        return _stamp(self.root / INDEX_FILE_NAME), _stamp(self.root / USAGE_FILE_NAME)


def day_start(day: datetime.date) -> float:
    """The timestamp of local midnight at the start of ``day``."""
    return datetime.datetime.combine(day, datetime.time()).timestamp()


def _stamp(path: Path) -> FileStamp | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_ino, status.st_size, status.st_mtime_ns

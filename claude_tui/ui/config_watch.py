"""Notice that ``config.toml`` changed since it was read, so an edit made in an editor
applies without a restart.

Checked where a user expects a new profile to be known (``/profile``, F2, F6 and each send),
not by a file watcher: a ``stat`` costs microseconds and needs no thread.
"""

from __future__ import annotations

import os
from pathlib import Path


class ConfigWatch:
    """Remembers the file's signature (size, modification time, inode) when last read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen = _signature(path)

    def changed(self) -> bool:
        """Whether the file differs from when it was last :meth:`seen` (or was created or
        removed since)."""
        return _signature(self.path) != self._seen

    def seen(self) -> None:
        """The file as it is now has been read (by the app, or written by it)."""
        self._seen = _signature(self.path)


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ino

"""The rate-limit state every claude-tui process shares: a small JSON file under a lock.

Each change is a read-modify-write of the whole file while holding an exclusive ``flock``
on it, so two processes (the app and a script calling ``claude-tui -p`` in a loop) never
both spend the last request of a minute.

The file is rewritten in place under that lock rather than through ``atomic_write``: the
lock is on the file's inode, and replacing the file by a rename would let a process that
opened the new inode lock it while another still holds the old one. In place is safe here
because every reader takes the same lock, so no live process ever reads a half-written
file; a crash in the middle of a write leaves a torn file, which fails to parse and reads
as "fresh" (full buckets: at most one extra minute's budget). For the same reason nothing
is fsynced: the state is worth a minute at most.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import math
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from claude_tui.rate_limits.token_bucket import TokenBucket

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
MAX_BYTES = 256 * 1024
"""A state file past this size is not ours (or hopelessly damaged): it starts fresh."""
LOCK_PATIENCE = 1.0
"""Seconds to wait for the lock before giving up for this once (a stopped process might
hold it); the caller then counts in memory rather than block the send."""

Buckets = dict[str, TokenBucket]
Result = TypeVar("Result")


class BucketFile:
    """The shared buckets at ``path``; :meth:`update` is the only way in."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def update(self, change: Callable[[Buckets], Result]) -> Result:
        """Run ``change`` on the buckets with the file locked; write them back if it
        changed them. A damaged file reads as no buckets (logged). Raises ``OSError``
        when the file cannot be opened, locked or written."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # O_NONBLOCK: a FIFO planted at the path must not hang the open.
        flags = os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | os.O_CLOEXEC
        fd = os.open(self.path, flags, 0o600)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise OSError(errno.EINVAL, "not a regular file", os.fspath(self.path))
            _lock(fd)
            try:
                before = self._read(fd)
                buckets = dict(before)
                result = change(buckets)
                if buckets != before:
                    _rewrite(fd, _encoded(buckets))
                return result
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _read(self, fd: int) -> Buckets:
        raw = os.pread(fd, MAX_BYTES + 1, 0)
        if not raw:
            return {}
        try:
            if len(raw) > MAX_BYTES:
                raise ValueError(f"larger than {MAX_BYTES} bytes")
            return _decoded(json.loads(raw.decode("utf-8")))
        except (ValueError, TypeError, KeyError) as problem:  # JSONDecodeError is a ValueError
            logger.warning(
                "The rate-limit state %s could not be read (%s); starting with full buckets",
                self.path,
                problem,
            )
            return {}


def _lock(fd: int) -> None:
    deadline = time.monotonic() + LOCK_PATIENCE
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise OSError(errno.EAGAIN, "the rate-limit state stayed locked") from None
            time.sleep(0.002)


def _rewrite(fd: int, payload: bytes) -> None:
    """Replace the file's bytes with ``payload`` (the lock is held)."""
    os.ftruncate(fd, 0)
    view = memoryview(payload)
    offset = 0
    while offset < len(payload):
        written = os.pwrite(fd, view[offset:], offset)
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        offset += written


def _encoded(buckets: Buckets) -> bytes:
    table = {
        key: {"capacity": b.capacity, "level": b.level, "updated": b.updated}
        for key, b in sorted(buckets.items())
    }
    return json.dumps({"version": FORMAT_VERSION, "buckets": table}, indent=1).encode("utf-8")


def _decoded(data: Any) -> Buckets:
    """The buckets in a parsed file; raises ``ValueError`` for anything not in our shape."""
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
        raise ValueError("not a version-1 rate-limit state")
    table = data.get("buckets")
    if not isinstance(table, dict):
        raise ValueError("no bucket table")
    buckets: Buckets = {}
    for key, entry in table.items():
        if not isinstance(entry, dict):
            raise ValueError(f"bucket {key!r} is not a table")
        names = ("capacity", "level", "updated")
        if not all(_is_number(entry.get(name)) for name in names):
            raise ValueError(f"bucket {key!r} holds a value that is not a number")
        capacity, level, updated = (float(entry[name]) for name in names)
        buckets[str(key)] = TokenBucket(capacity, level, updated)
    return buckets


def _is_number(value: object) -> bool:
    """A finite int or float (JSON allows neither NaN nor infinity, Python's parser does)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False

"""Every whole-file write goes through here: temp file in the same folder, fsync, rename.

A reader (or a crash) therefore sees either the old file or the new one, never half of each.
Append-only logs (session files) use :func:`append_line` instead, which never rewrites.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: str | bytes, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` atomically; ``mode`` sets permissions (e.g. 0o600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(path.parent)


def append_line(path: Path, line: str, *, fsync: bool = True) -> None:
    """Append one newline-terminated line under an exclusive lock.

    The lock keeps lines from two processes from interleaving; a single ``write`` of the
    whole line means a crash can only ever leave a torn *last* line, which readers skip.
    """
    if not line.endswith("\n"):
        line += "\n"
    payload = line.encode("utf-8")
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)  # read: torn-tail check
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            _repair_torn_tail(fd)
            os.write(fd, payload)
            if fsync:
                os.fsync(fd)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _repair_torn_tail(fd: int) -> None:
    """If a crash left the file without a final newline, end that torn line first.

    Otherwise the next record would be glued onto the torn one and both would be lost.
    """
    size = os.fstat(fd).st_size
    if size == 0:
        return
    if os.pread(fd, 1, size - 1) != b"\n":
        os.write(fd, b"\n")


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (best effort; not every filesystem allows it)."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)

"""Every read of a file that might not be one goes through here.

A session file, the index or ``config.toml`` can be replaced by a FIFO (reading it would hang
forever), a device (``/dev/zero`` never ends) or a directory. These helpers open with
``O_NONBLOCK``, check ``fstat`` first, and refuse anything but a regular file with
:class:`NotARegularFile`, which names what it is instead; the file itself is never changed.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

__all__ = ["NotARegularFile", "file_kind", "open_regular_file", "read_all", "read_regular_file"]


class NotARegularFile(OSError):
    """A path that should be a file is a FIFO, device, socket or folder; it is not read."""

    def __init__(self, path: Path, kind: str) -> None:
        self.kind = kind
        self.reason = f"it is {kind}, not a regular file"
        code = errno.EISDIR if kind == "a directory" else errno.EINVAL
        super().__init__(code, self.reason, os.fspath(path))

    def __str__(self) -> str:
        return f"{self.filename}: {self.reason}"


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words (for :class:`NotARegularFile`)."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def open_regular_file(path: Path) -> int:
    """A read-only descriptor of ``path``, which must be a regular file.

    Opened with ``O_NONBLOCK`` so that opening a FIFO cannot hang, then checked with
    ``fstat``; raises :class:`NotARegularFile` (after closing it) for anything else, and
    ``OSError`` (``FileNotFoundError`` included) when it cannot be opened.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        mode = os.fstat(fd).st_mode
    except BaseException:
        os.close(fd)
        raise
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise NotARegularFile(path, file_kind(mode))
    return fd


def read_all(fd: int) -> bytes:
    """The rest of an open file's bytes."""
    chunks: list[bytes] = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def read_regular_file(path: Path) -> bytes:
    """The bytes of ``path`` if it is a regular file (see :func:`open_regular_file`)."""
    fd = open_regular_file(path)
    try:
        return read_all(fd)
    finally:
        os.close(fd)

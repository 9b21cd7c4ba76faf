"""Every whole-file write goes through here: temp file in the same folder, fsync, rename.

A reader (or a crash) therefore sees either the old file or the new one, never half of each.
Append-only logs (session files) use :func:`append_line` instead, which never rewrites.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: str | bytes, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` atomically; ``mode`` sets permissions (e.g. 0o600).

    Raises ``OSError`` (no space, read-only folder...) with ``path`` as its ``filename``;
    ``path`` is then exactly as it was and no temp file is left behind.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise _naming(error, path) from None
    try:
        try:
            if mode is not None:
                os.fchmod(fd, mode)
            _write_all(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp_name, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        if isinstance(error, OSError):
            raise _naming(error, path) from None
        raise
    _fsync_dir(path.parent)


def append_line(path: Path, line: str, *, fsync: bool = True) -> None:
    """Append one newline-terminated line (or several) under an exclusive lock.

    The lock keeps lines from two processes from interleaving. A short write is completed;
    a write that fails (no space, quota, read-only, I/O error) is undone by truncating the
    file back to its size before, and raises ``OSError`` naming ``path``: the file then
    holds no torn record, and a later append starts clean. Only regular files are appended
    to: a FIFO or device at ``path`` raises ``OSError`` without being written (it is opened
    with ``O_NONBLOCK`` so that opening it cannot hang).
    """
    if not line.endswith("\n"):
        line += "\n"
    payload = line.encode("utf-8")
    try:
        # Read access for the torn-tail check.
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK, 0o600)
    except OSError as error:
        raise _naming(error, path) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", os.fspath(path))
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            start = os.fstat(fd).st_size
            try:
                _repair_torn_tail(fd, start)
                _write_all(fd, payload)
                if fsync:
                    os.fsync(fd)
            except OSError as error:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, start)  # no torn record left behind
                raise _naming(error, path) from None
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _write_all(fd: int, payload: bytes) -> None:
    """Write every byte: ``os.write`` may write less than asked (a nearly full disk)."""
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        if written <= 0:  # nothing written and no error: the disk has no room left
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]


def _naming(error: OSError, path: Path) -> OSError:
    """``error`` with ``path`` as its file name, so that messages can say which file."""
    if error.filename is None:
        error.filename = os.fspath(path)
    return error


def _repair_torn_tail(fd: int, size: int) -> None:
    """If a crash left the file without a final newline, end that torn line first.

    Otherwise the next record would be glued onto the torn one and both would be lost.
    """
    if size == 0:
        return
    if os.pread(fd, 1, size - 1) != b"\n":
        _write_all(fd, b"\n")


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

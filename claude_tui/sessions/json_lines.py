"""Reading and writing the JSON lines of session files and the index, so that no line can
crash, hang or poison a reader.

Every reader of the sessions folder goes through here: session replay, the listing index
and the text search. A line that does not decode (torn, malformed, nested so deeply that the
standard library raises ``RecursionError``) decodes to ``None`` for the caller to skip. A
lone UTF-16 surrogate (half of an emoji that a relay split across two stream deltas) is
replaced with U+FFFD both when a record is written and when one is read, so a session that
already holds ``\\ud83d`` escapes loads, shows, exports and is sent again without a
``UnicodeEncodeError``. Files are opened without blocking and read only when they are regular
files: a FIFO, device or folder in the sessions folder is reported, never read or modified.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Mapping
from pathlib import Path

MAX_DEPTH = 200
"""Deepest nesting of lists and objects a record may have. Real records nest a handful of
levels (tool inputs a few more); anything deeper is damage, and would overflow the stack of
every later ``json.dumps`` or ``copy.deepcopy`` of it."""

_SURROGATE_ESCAPES = (b"\\ud", b"\\uD")
"""How a surrogate is spelled in JSON; lines without it cannot decode to one."""


class NotARegularFile(OSError):
    """A path that should be a file is a FIFO, device, socket or folder; it is not read."""

    def __init__(self, path: Path, kind: str) -> None:
        self.kind = kind
        self.reason = f"it is {kind}, not a regular file"
        code = errno.EISDIR if kind == "a folder" else errno.EINVAL
        super().__init__(code, self.reason, os.fspath(path))

    def __str__(self) -> str:
        return f"{self.filename}: {self.reason}"


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words (for :class:`NotARegularFile`)."""
    if stat.S_ISDIR(mode):
        return "a folder"
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


# --- text ----------------------------------------------------------------------------------


def without_lone_surrogates(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD; an adjacent high and low
    surrogate (an emoji whose halves arrived apart) becomes the character they spell."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def cleaned(value: object, *, repair: bool = True, max_depth: int | None = MAX_DEPTH) -> object:
    """Decoded JSON with every string (keys too) without lone surrogates (when ``repair``),
    checked to nest no deeper than ``max_depth`` (``ValueError`` otherwise; None: no limit).

    Containers are fixed in place; returns the value (a new one only for a bare string).
    Iterative, so that no depth can overflow the stack.
    """
    return _walk(value, repair=repair, max_depth=max_depth)


def may_hold_surrogates(raw: bytes) -> bool:
    """Whether JSON text could decode to a surrogate (it spells one as an escape)."""
    return any(escape in raw for escape in _SURROGATE_ESCAPES)


def _walk(value: object, *, repair: bool, max_depth: int | None = MAX_DEPTH) -> object:
    if isinstance(value, str):
        return without_lone_surrogates(value) if repair else value
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if max_depth is not None and depth > max_depth:
            raise ValueError(f"nested more than {max_depth} levels deep")
        if isinstance(node, list):
            for position, item in enumerate(node):
                if isinstance(item, str):
                    if repair:
                        node[position] = without_lone_surrogates(item)
                elif isinstance(item, (list, dict)):
                    stack.append((item, depth + 1))
        elif isinstance(node, dict):
            if repair and any(without_lone_surrogates(key) != key for key in node):
                items = list(node.items())
                node.clear()
                node.update((without_lone_surrogates(key), item) for key, item in items)
            for key, item in node.items():
                if isinstance(item, str):
                    if repair:
                        node[key] = without_lone_surrogates(item)
                elif isinstance(item, (list, dict)):
                    stack.append((item, depth + 1))
    return value


# --- lines ---------------------------------------------------------------------------------


def decode_line(raw: bytes, *, repair: bool = True) -> object | None:
    """One JSON line decoded, or None when it cannot be used (torn, malformed, too deep).

    Never raises: the standard library raises ``RecursionError`` on deep nesting, which
    would otherwise take down every listing that meets such a line. ``repair=False``
    leaves lone surrogates for the caller to repair once it has joined texts (the two
    halves of an emoji may sit in two records).
    """
    try:
        value: object = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return checked(value, raw, repair=repair)


def checked(value: object, raw: bytes, *, repair: bool = True) -> object | None:
    """``value`` (decoded from ``raw``) repaired and depth-checked, or None if too deep.

    The walk only runs when the raw bytes could hold a surrogate escape or deep nesting,
    so ordinary lines cost two byte scans.
    """
    repair = repair and may_hold_surrogates(raw)
    deep = raw.count(b"[") + raw.count(b"{") > MAX_DEPTH
    if not (repair or deep):
        return value
    try:
        return _walk(value, repair=repair)
    except ValueError:
        return None


def encode_line(record: Mapping[str, object]) -> str:
    """One record as a newline-terminated JSON line: compact, UTF-8 kept readable, and with
    any lone surrogate replaced (it cannot be written as UTF-8 and, escaped, would load back
    as the same broken text)."""
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return without_lone_surrogates(text) + "\n"

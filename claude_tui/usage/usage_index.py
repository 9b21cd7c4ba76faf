"""The usage index: each session's usage buckets, without opening 10,000 session files.

``.usage.jsonl`` (hidden, so that no version of the session list takes it for a
session) sits beside the listing index (``index.jsonl``) in the sessions folder and
gets one appended line per change: ``{"id", "updated", "v", "buckets": [...]}`` (see
:meth:`UsageBucket.to_json`) or ``{"id", "deleted": true}``. Reading it keeps the last line
per id.

Like the listing index it is only a cache, and it follows that index: an entry is trusted
only while its ``updated`` stamp is the one the listing gives for the session, so any change
to a session (a reply in another process, an edit, a lost line) makes the next reader
recompute that session from its file and append the result. Sessions the listing no longer
has are dropped, and the file is compacted once it holds about twice as many lines as there
are sessions. A session writer notes a finished reply itself (:func:`record_session_usage`,
from memory: no file read), so the usual send-reply-report cycle reads no session file.

Nothing here can stop a report or a send: unreadable lines are skipped, and a failed write
is logged and skipped, since the session files hold everything.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claude_tui.atomic_write import append_line, write_atomic
from claude_tui.regular_files import NotARegularFile, open_regular_file, read_all
from claude_tui.sessions.json_lines import decode_line
from claude_tui.sessions.session_errors import SessionUnreadable
from claude_tui.sessions.session_file import encode_record
from claude_tui.sessions.session_index import SESSION_SUFFIX
from claude_tui.sessions.session_replay import read_session_file
from claude_tui.usage.usage_buckets import UsageBucket, session_buckets

if TYPE_CHECKING:
    from claude_tui.sessions.session import Session

logger = logging.getLogger(__name__)

USAGE_FILE_NAME = ".usage.jsonl"
_LOCK_FILE_NAME = ".usage.lock"
_FORMAT = 1
"""Bumped when the buckets change shape: entries of another version are recomputed."""
_COMPACT_SLACK = 100

UsageEntry = dict[str, Any]


class UsageIndex:
    """Reads, repairs and appends to ``usage.jsonl`` in one sessions folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / USAGE_FILE_NAME
        self._lock_path = root / _LOCK_FILE_NAME
        self._parsed: _Parsed | None = None
        # Session id -> (the entry, its buckets), decoded once while the entry stands.
        self._decoded: dict[str, tuple[UsageEntry, list[UsageBucket]]] = {}
        self._write_failure_logged = False

    # --- writing ---------------------------------------------------------------------------

    def record(self, session_id: str, updated: float, buckets: Sequence[UsageBucket]) -> None:
        """Note a session's usage as of its ``updated`` stamp."""
        self._append([_entry(session_id, updated, buckets)])

    # --- reading ---------------------------------------------------------------------------

    def buckets(
        self, stamps: Mapping[str, float], *, since: float | None = None
    ) -> dict[str, list[UsageBucket]]:
        """The buckets of every session in ``stamps`` (id -> its ``updated`` stamp, as the
        listing index gives it) updated at or after ``since`` (all when None), by id.
        Sessions the usage index does not describe as of their stamp are read from their
        files (and indexed); the lists returned are shared: do not change them.

        ``stamps`` must hold every session: entries of the others are dropped.
        """
        entries, line_count = self._read()
        decoded = self._decoded
        found: dict[str, list[UsageBucket]] = {}
        repairs: list[UsageEntry] = []
        for session_id, updated in stamps.items():
            if since is not None and updated < since:
                continue  # nothing it holds can be that recent: not even read
            entry = entries.get(session_id)
            known: list[UsageBucket] | None = None
            if entry is not None:
                cached = decoded.get(session_id)
                if cached is not None and cached[0] is entry:
                    known = cached[1]
                else:
                    known = _known_buckets(entry, updated)
                    if known is not None:
                        decoded[session_id] = (entry, known)
            if known is None:
                known = _buckets_from_file(self.root / f"{session_id}{SESSION_SUFFIX}")
                if known is None:
                    continue  # gone or broken since it was listed: the listing will say
                repairs.append(_entry(session_id, updated, known))
            found[session_id] = known
        repairs.extend(
            {"id": session_id, "deleted": True}
            for session_id, entry in entries.items()
            if session_id not in stamps and "deleted" not in entry
        )
        if repairs:
            self._append(repairs)
        if line_count + len(repairs) - 2 * len(stamps) > _COMPACT_SLACK:
            self.compact()
        return found

    def compact(self) -> None:
        """Rewrite the file with one line per session still described (skipped, and
        logged, when it cannot be written: the index is only a cache)."""
        try:
            with self._locked(fcntl.LOCK_EX):
                entries, _ = self._read()
                live = [entry for entry in entries.values() if not entry.get("deleted")]
                write_atomic(self.path, "".join(encode_record(entry) for entry in live))
        except OSError as error:
            self._log_write_failure(error)

    # --- internals -------------------------------------------------------------------------

    def _append(self, entries: Sequence[Mapping[str, object]]) -> None:
        if not self.root.is_dir():
            return
        try:
            with self._locked(fcntl.LOCK_SH):
                append_line(self.path, "".join(encode_record(e) for e in entries), fsync=False)
        except OSError as error:
            self._log_write_failure(error)

    def _log_write_failure(self, error: OSError) -> None:
        level = logging.DEBUG if self._write_failure_logged else logging.WARNING
        self._write_failure_logged = True
        logger.log(level, "could not update the usage index %s: %s", self.path, error)

    @contextlib.contextmanager
    def _locked(self, operation: int) -> Iterator[None]:
        fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, operation)
            yield
        finally:
            os.close(fd)

    def _read(self) -> tuple[dict[str, UsageEntry], int]:
        """The last entry per id and the line count. The file only grows between
        compactions (which replace it: a new inode), so what was parsed is kept and only
        the lines appended since are read."""
        try:
            fd = open_regular_file(self.path)
        except (FileNotFoundError, NotARegularFile, OSError):
            self._parsed = None
            return {}, 0  # no usable cache: every session is read from its file
        try:
            status = os.fstat(fd)
            parsed = self._parsed
            if parsed is not None and parsed.inode == status.st_ino:
                if status.st_size == parsed.size:
                    return parsed.entries, parsed.lines
                if status.st_size > parsed.size:
                    os.lseek(fd, parsed.offset, os.SEEK_SET)
                    tail = read_all(fd)
                    parsed.add(tail, status.st_size)
                    return parsed.entries, parsed.lines
            data = read_all(fd)
        except OSError:
            return {}, 0
        finally:
            os.close(fd)
        self._parsed = _Parsed(status.st_ino, 0, 0, {}, 0)
        self._decoded = {}
        self._parsed.add(data, status.st_size)
        return self._parsed.entries, self._parsed.lines


@dataclass
class _Parsed:
    """What has been read of one version (inode) of the file."""

    inode: int
    size: int
    """The file's size when last read."""
    offset: int
    """Where the next read starts: after the last complete line (a torn last line is
    read again, whole, once its writer has finished it)."""
    entries: dict[str, UsageEntry]
    lines: int

    def add(self, data: bytes, size: int) -> None:
        complete = data.rfind(b"\n") + 1
        entries, count = _parse(data[:complete])
        self.entries.update(entries)
        self.lines += count
        self.offset += complete
        self.size = size


def record_session_usage(session: Session) -> None:
    """Note a session's usage from memory, as of its ``updated`` stamp (its writer calls
    this when a reply is saved, so the next report need not read the file)."""
    index = UsageIndex(session.path.parent)
    buckets = session_buckets(session.messages, profile=session.profile, model=session.model)
    index.record(session.id, session.updated, buckets)


def _parse(data: bytes) -> tuple[dict[str, UsageEntry], int]:
    body = data.strip()
    if not body:
        return {}, 0
    records: list[Any]
    try:
        # One parse as a JSON array: several times faster than one per line.
        records = json.loads(b"[" + body.replace(b"\n", b",") + b"]")
        line_count = body.count(b"\n") + 1
    except (ValueError, RecursionError):
        lines = [line for line in body.split(b"\n") if line.strip()]
        line_count = len(lines)
        records = [record for line in lines if (record := decode_line(line)) is not None]
    entries: dict[str, UsageEntry] = {}
    for record in records:
        if isinstance(record, dict) and isinstance(record.get("id"), str):
            entries[record["id"]] = record
    return entries, line_count


def _known_buckets(entry: UsageEntry, updated: float) -> list[UsageBucket] | None:
    """The entry's buckets if it describes the session as of ``updated``, else None."""
    if entry.get("v") != _FORMAT or entry.get("updated") != updated:
        return None
    raw = entry.get("buckets")
    if not isinstance(raw, list):
        return None
    buckets = [UsageBucket.from_json(item) for item in raw]
    if any(bucket is None for bucket in buckets):
        return None
    return [bucket for bucket in buckets if bucket is not None]


def _buckets_from_file(path: Path) -> list[UsageBucket] | None:
    try:
        loaded = read_session_file(path)
    except (FileNotFoundError, SessionUnreadable):
        return None
    except OSError:
        return None
    settings = loaded.settings
    return session_buckets(loaded.messages, profile=settings.profile, model=settings.model)


def _entry(session_id: str, updated: float, buckets: Sequence[UsageBucket]) -> UsageEntry:
    return {
        "id": session_id,
        "updated": updated,
        "v": _FORMAT,
        "buckets": [bucket.to_json() for bucket in buckets],
    }

"""The listing index: what the session list shows, without opening 10,000 session files.

``index.jsonl`` sits next to the session files and gets one appended line per change:
``{"id","title","created","updated","profile","model","message_count","schema"}``, or
``{"id","deleted":true}``, or ``{"id","problem","size","schema"}`` for a file that does not
load. Reading it keeps the last line per id.

The index is only a cache; the session files are the truth. A listing reads the index and the
folder's file names (no per-file ``stat``, which would cost more than the index itself at
10,000 sessions) and repairs the index, with appended lines, wherever they disagree: no index
at all, an entry for a file that is gone, a file without an entry, an entry a writer marked
``stale`` (it saw another process append to the same session, so its own count may be off).
Problem entries remember the file's size, so a file the user repairs is tried again. What
names cannot reveal is caught when the session is next opened: an update lost to a crash
between the session append and the index append is re-indexed, and a file damaged after it
was indexed is reported and marked as a problem. That is also why index lines
are appended without fsync: losing its tail costs a re-read, never data.

Nothing about the index can stop a listing: lines that do not decode (torn, or nested too
deeply for the JSON parser) are skipped; an ``index.jsonl`` that is not a regular file (a
folder, a FIFO) or cannot be read is reported as a skipped file, never read or replaced, and
the list is built from the session files instead; a failed index write (full disk, read-only
folder) is logged and skipped, since the session files hold everything.

The index is compacted (rewritten atomically, one line per live session) when it holds more
than about twice as many lines as there are sessions. Writers take a shared lock on
``.index.lock`` and compaction an exclusive one, so no append lands in a file being replaced.
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
from claude_tui.sessions.json_lines import (
    MAX_DEPTH,
    cleaned,
    decode_line,
    may_hold_surrogates,
)
from claude_tui.sessions.session_errors import SessionUnreadable
from claude_tui.sessions.session_file import SCHEMA_VERSION, encode_record
from claude_tui.sessions.session_replay import (
    LoadedSession,
    newer_schema_reason,
    read_session_file,
)

if TYPE_CHECKING:
    from claude_tui.chat_message import ChatMessage

logger = logging.getLogger(__name__)

INDEX_FILE_NAME = "index.jsonl"
SESSION_SUFFIX = ".jsonl"
_LOCK_FILE_NAME = ".index.lock"
# Compaction waits for this many surplus lines too, so small indexes are not rewritten often.
_COMPACT_SLACK = 100

IndexEntry = dict[str, Any]


@dataclass(slots=True)
class SessionSummary:
    """One row of the session list: a session's identity and header, not its messages.

    A snapshot taken when listed (not frozen only because that makes building 10,000 of them
    noticeably slower).
    """

    id: str
    title: str | None
    created: float
    updated: float
    profile: str
    model: str
    message_count: int
    folder: Path
    """The sessions folder holding the file (a Path per row would cost more to build)."""

    @property
    def path(self) -> Path:
        """The session's file."""
        return self.folder / f"{self.id}{SESSION_SUFFIX}"


@dataclass
class IndexScan:
    """The result of a listing: loadable sessions newest-updated first, and the files that
    could not be loaded (path, reason)."""

    summaries: list[SessionSummary]
    problems: list[tuple[Path, str]]


def is_session_file_name(name: str) -> bool:
    """Whether a file in the sessions folder is a session (not the index, a temp or lock)."""
    return name.endswith(SESSION_SUFFIX) and not name.startswith(".") and name != INDEX_FILE_NAME


def counted_messages(messages: Sequence[ChatMessage]) -> int:
    """How many messages the session list shows: the user messages that only carry tool
    results are rounds of a reply (the view shows them under their calls), not messages."""
    return sum(1 for message in messages if not message.tool_results)


def summary_from_loaded(loaded: LoadedSession, folder: Path) -> SessionSummary:
    """The summary of a session replayed from its file in ``folder``."""
    return SessionSummary(
        id=loaded.id,
        title=loaded.title,
        created=loaded.created,
        updated=loaded.updated,
        profile=loaded.settings.profile,
        model=loaded.settings.model,
        message_count=counted_messages(loaded.messages),
        folder=folder,
    )


class SessionIndex:
    """Reads, repairs and appends to ``index.jsonl`` in one sessions folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / INDEX_FILE_NAME
        self._lock_path = root / _LOCK_FILE_NAME
        # (inode, size, mtime) of the index file -> its parsed entries and line count.
        self._cache: tuple[tuple[int, int, int], dict[str, IndexEntry], int] | None = None
        self.problem: str | None = None
        """Why the index file could not be read at the last read, or None."""
        self._write_failure_logged = False

    # --- writing ---------------------------------------------------------------------------

    def record(self, summary: SessionSummary, *, stale: bool = False) -> None:
        """Note a session's current state; ``stale`` asks the next listing to re-read the
        file instead (the writer knows its view of the session is incomplete)."""
        self._append([_entry(summary, stale=stale)])

    def record_problem(self, session_id: str, reason: str) -> None:
        """Note that a session's file does not load, so listings skip it until it changes."""
        self._append([_problem_entry(session_id, reason, _size_of(self._file(session_id)))])

    def record_deleted(self, session_id: str) -> None:
        """Note that a session's file was removed."""
        self._append([{"id": session_id, "deleted": True}])

    # --- reading ---------------------------------------------------------------------------

    def entries(self) -> dict[str, IndexEntry]:
        """The last entry per id as the file holds them, unchecked (for hints like titles)."""
        return self._read()[0]

    def updated_stamps(self) -> dict[str, float] | None:
        """Each loadable session's ``updated`` stamp by id, from the index and the folder's
        names alone (no summaries built: the usage report asks this on every open), or None
        when some session file is not described as it is (no entry, a stale one, another
        schema): a :meth:`scan` then repairs the index. Files known not to load are left out.
        """
        session_ids = self._session_ids()
        entries, _ = self._read()
        if self.problem is not None:
            return None
        stamps: dict[str, float] = {}
        for session_id in session_ids:
            entry = entries.get(session_id)
            if entry is None or "deleted" in entry or "stale" in entry:
                return None
            if entry.get("schema", SCHEMA_VERSION) != SCHEMA_VERSION:
                return None
            if "problem" in entry:
                continue
            updated = entry.get("updated")
            if not isinstance(updated, (int, float)) or isinstance(updated, bool):
                return None
            stamps[session_id] = float(updated)
        return stamps

    def scan(self) -> IndexScan:
        """List every session in the folder from the index, re-reading (and re-indexing)
        the files the index does not describe."""
        session_ids = self._session_ids()
        entries, line_count = self._read()
        summaries: list[SessionSummary] = []
        problems: list[tuple[Path, str]] = []
        repairs: list[IndexEntry] = []
        for session_id in session_ids:
            entry = entries.get(session_id)
            if entry is not None:
                known = self._known_state(session_id, entry)
                if isinstance(known, SessionSummary):
                    summaries.append(known)
                    continue
                if isinstance(known, str):
                    problems.append((self._file(session_id), known))
                    continue
            path = self._file(session_id)
            try:
                loaded = read_session_file(path)
            except FileNotFoundError:
                continue  # deleted while we looked
            except SessionUnreadable as error:
                problems.append((path, error.reason))
                repairs.append(_problem_entry(session_id, error.reason, _size_of(path)))
                continue
            summary = summary_from_loaded(loaded, self.root)
            summaries.append(summary)
            repairs.append(_entry(summary))
        repairs.extend(
            {"id": session_id, "deleted": True}
            for session_id, entry in entries.items()
            if session_id not in session_ids and not entry.get("deleted")
        )
        if self.problem is not None:
            problems.append((self.path, self.problem))
        elif repairs:
            self._append(repairs)
        surplus = line_count + len(repairs) - 2 * len(session_ids)
        if self.problem is None and surplus > _COMPACT_SLACK:
            self.compact()
        summaries.sort(key=lambda summary: summary.updated, reverse=True)
        return IndexScan(summaries, problems)

    def compact(self) -> None:
        """Rewrite the index with one line per session that is not deleted (skipped, and
        logged, when it cannot be written: the index is only a cache)."""
        try:
            with self._locked(fcntl.LOCK_EX):
                entries, _ = self._read()
                if self.problem is not None:
                    return  # never replace what is there instead of an index file
                live = [entry for entry in entries.values() if not entry.get("deleted")]
                write_atomic(self.path, "".join(encode_record(entry) for entry in live))
        except OSError as error:
            self._log_write_failure(error)

    # --- internals -------------------------------------------------------------------------

    def _append(self, entries: Sequence[Mapping[str, object]]) -> None:
        # One write for all lines; no fsync, since a lost tail only costs a re-read (see above).
        if not self.root.is_dir():
            return  # nothing to index: the folder (and so every session) is gone
        try:
            with self._locked(fcntl.LOCK_SH):
                append_line(self.path, "".join(encode_record(e) for e in entries), fsync=False)
        except OSError as error:
            self._log_write_failure(error)

    def _log_write_failure(self, error: OSError) -> None:
        # The session files hold everything: a listing rebuilds what the index misses.
        level = logging.DEBUG if self._write_failure_logged else logging.WARNING
        self._write_failure_logged = True
        logger.log(level, "could not update the session index %s: %s", self.path, error)

    @contextlib.contextmanager
    def _locked(self, operation: int) -> Iterator[None]:
        fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, operation)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _read(self) -> tuple[dict[str, IndexEntry], int]:
        """The last entry per id, and the number of lines (to decide on compaction).

        Parsed entries are kept while the file is unchanged, so listing again is cheaper.
        """
        self.problem = None
        try:
            fd = open_regular_file(self.path)  # a FIFO here must not hang every command
        except FileNotFoundError:
            return {}, 0
        except NotARegularFile as error:
            self.problem = f"{error.reason}; the list is rebuilt from the session files"
            return {}, 0
        except OSError as error:
            self.problem = (
                f"it could not be read ({error.strerror}); the list is rebuilt from the "
                "session files"
            )
            return {}, 0
        try:
            status = os.fstat(fd)
            key = (status.st_ino, status.st_size, status.st_mtime_ns)
            if self._cache is not None and self._cache[0] == key:
                return self._cache[1], self._cache[2]
            data = read_all(fd)
        except OSError as error:
            self.problem = f"it could not be read ({error.strerror})"
            return {}, 0
        finally:
            os.close(fd)
        entries, line_count = _parse_index(data)
        self._cache = (key, entries, line_count)
        return entries, line_count

    def _file(self, session_id: str) -> Path:
        return self.root / f"{session_id}{SESSION_SUFFIX}"

    def _session_ids(self) -> set[str]:
        """The ids of every session file in the folder (names only: no stat)."""
        try:
            names = os.listdir(self.root)
        except FileNotFoundError:
            return set()
        cut = len(SESSION_SUFFIX)
        return {name[:-cut] for name in names if is_session_file_name(name)}

    def _known_state(self, session_id: str, entry: IndexEntry) -> SessionSummary | str | None:
        """What an entry says: a summary, a known problem, or None if the file must be read.

        A problem noted by a reader of another schema version is re-checked (a newer reader
        may load a file an older one could not), as is one whose file has changed since.
        """
        # This runs once per session per listing: the common case is kept to a few lookups.
        if "deleted" in entry or "stale" in entry:
            return None
        schema = entry.get("schema", SCHEMA_VERSION)
        if "problem" in entry:
            if schema == SCHEMA_VERSION and entry.get("size") == _size_of(self._file(session_id)):
                return str(entry["problem"])
            return None
        if schema != SCHEMA_VERSION:
            return newer_schema_reason(schema) if isinstance(schema, int) else None
        title = entry.get("title")
        try:
            return SessionSummary(
                session_id,
                title if isinstance(title, str) else None,
                float(entry["created"]),
                float(entry["updated"]),
                str(entry["profile"]),
                str(entry["model"]),
                int(entry["message_count"]),
                self.root,
            )
        except (KeyError, TypeError, ValueError):
            return None


def _parse_index(data: bytes) -> tuple[dict[str, IndexEntry], int]:
    body = data.strip()
    if not body:
        return {}, 0
    records: list[Any] | None
    try:
        # One parse of the whole file as a JSON array is several times faster than a parse
        # per line; lines hold no raw newlines (JSON escapes them inside strings).
        records = json.loads(b"[" + body.replace(b"\n", b",") + b"]")
        line_count = body.count(b"\n") + 1
        # Entries hold one object of scalars each: only brackets beyond that can nest deep.
        deep = body.count(b"[") + body.count(b"{") - line_count > MAX_DEPTH
        if deep or may_hold_surrogates(body):
            cleaned(records, repair=True)
    except (ValueError, RecursionError):
        records = None
    if records is None:
        # A torn, blank or too deeply nested line somewhere: go line by line, skip those.
        lines = [line for line in body.split(b"\n") if line.strip()]
        line_count = len(lines)
        records = [record for line in lines if (record := decode_line(line)) is not None]
    entries: dict[str, IndexEntry] = {}
    for record in records:
        if isinstance(record, dict) and isinstance(record.get("id"), str):
            entries[record["id"]] = record
    return entries, line_count


def _entry(summary: SessionSummary, *, stale: bool = False) -> IndexEntry:
    entry: IndexEntry = {
        "id": summary.id,
        "title": summary.title,
        "created": summary.created,
        "updated": summary.updated,
        "profile": summary.profile,
        "model": summary.model,
        "message_count": summary.message_count,
        "schema": SCHEMA_VERSION,
    }
    if stale:
        entry["stale"] = True
    return entry


def _problem_entry(session_id: str, reason: str, size: int) -> IndexEntry:
    # "schema" here is the reader's: a reader of another version will look for itself.
    return {"id": session_id, "problem": reason, "size": size, "schema": SCHEMA_VERSION}


def _size_of(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return -1

"""``--debug-log FILE``: every request of a run as one JSON line, for scripts and bug reports.

Each line is a record's :meth:`~claude_tui.wire.RequestRecord.to_json` (headers masked, no
body) plus ``sent_at`` (ISO 8601, UTC) and the sizes of the attachments it carried, appended
as the request ends and written through at once, so a run that is killed keeps every line up
to then and ``tail -f`` follows it live. The file is created readable by its owner only
(0600): its lines hold URLs, request ids and sizes, and it is safer to start private.

An append-only log is not a whole-file write, so it does not go through ``atomic_write``:
each line goes in one ``write`` to a file opened with ``O_APPEND``, so two processes writing
to the same file do not tear each other's lines.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claude_tui.request_log.attachment_sizes import attachment_sizes

if TYPE_CHECKING:
    from claude_tui.wire import RequestRecord

FILE_MODE = 0o600


class DebugLogError(Exception):
    """The ``--debug-log`` file cannot be opened for appending."""


def debug_log_line(record: RequestRecord) -> dict[str, Any]:
    """What one request writes to the log: its record, when it was sent in words (UTC), and
    its attachments as sizes."""
    line = record.to_json()
    sent = datetime.datetime.fromtimestamp(record.started, datetime.UTC)
    line["sent_at"] = sent.isoformat(timespec="milliseconds")
    line["attachments"] = [size.to_json() for size in attachment_sizes(record.body)]
    return line


class DebugLog:
    """An open ``--debug-log`` file: call it with each record (it is a request sink).

    A write that fails (a full disk) never breaks the reply that made it: the first failure
    is kept in :attr:`failure`, handed to ``on_failure`` if given, and the log stops.
    """

    def __init__(self, path: Path, descriptor: int) -> None:
        self.path = path
        self._descriptor: int | None = descriptor
        self.lines_written = 0
        self.failure: str | None = None
        self.on_failure: Callable[[str], None] | None = None

    def __call__(self, record: RequestRecord) -> None:
        self.write(record)

    def write(self, record: RequestRecord) -> None:
        """Append ``record`` as one line."""
        descriptor = self._descriptor
        if descriptor is None:
            return
        data = json.dumps(debug_log_line(record), ensure_ascii=False) + "\n"
        try:
            os.write(descriptor, data.encode("utf-8"))
        except OSError as error:
            self._fail(
                f"Writing the debug log {self.path} failed ({error.strerror}); it stops here"
            )
            return
        self.lines_written += 1

    def close(self) -> None:
        """Close the file (later records are dropped)."""
        descriptor, self._descriptor = self._descriptor, None
        if descriptor is not None:
            with contextlib.suppress(OSError):  # closing a file that already failed
                os.close(descriptor)

    def _fail(self, message: str) -> None:
        self.close()
        if self.failure is None:
            self.failure = message
            if self.on_failure is not None:
                self.on_failure(message)


def open_debug_log(path: str | os.PathLike[str]) -> DebugLog:
    """Open ``path`` for appending, creating it (0600) if needed; :class:`DebugLogError`
    saying what to do when it cannot be written."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise DebugLogError(
            f"--debug-log {target} is a folder: give a file name, "
            f"such as {target / 'requests.jsonl'}"
        )
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(target, flags, FILE_MODE)
    except OSError as error:
        reason = error.strerror or str(error)
        raise DebugLogError(
            f"Cannot write the debug log {target} ({reason}): choose a file in a folder that "
            "exists and that you can write to"
        ) from None
    return DebugLog(target, descriptor)

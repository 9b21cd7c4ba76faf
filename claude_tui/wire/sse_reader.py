"""Server-sent events from raw response bytes, with a cap on what one line or event may hold.

httpx-sse reads lines through ``response.aiter_lines()``, which keeps a line without a newline
whole, however long it grows: a relay that sends 50 MB without a newline costs 200 MB of
memory, and an endless one grows until the process dies. This reader keeps at most
:data:`MAX_LINE_BYTES` of an unfinished line and :data:`MAX_EVENT_CHARS` of one event's data,
and raises :class:`~claude_tui.wire.errors.StreamTooLargeError` past either.

It also tells the caller what arrived that is *not* an event (comments, partial lines), which
the client needs to enforce the idle timeout on content rather than on bytes.

Parsing follows httpx-sse 0.4.3 (the WHATWG rules): lines end at CR, LF or CRLF, also when split
across chunks; ``:`` lines are comments; ``data`` lines of one event are joined with ``\\n``; a
blank line dispatches the event. Two differences: a leading byte-order mark is dropped (the spec
says so; httpx-sse keeps it and so garbles the first field name), and the bytes are always
decoded as UTF-8 (the spec's only encoding), invalid sequences becoming U+FFFD. Lines are found
in bytes (CR and LF never occur inside a UTF-8 multi-byte sequence), so a character split across
chunks simply waits in the unfinished line; the per-chunk work is C-level ``find``/``split``/
``decode`` calls, with Python code only once per line.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import NamedTuple

from claude_tui.wire.errors import StreamTooLargeError

MAX_LINE_BYTES = 1024 * 1024
"""The longest line accepted, in bytes as received (1 MiB): far above any real event line."""

MAX_EVENT_CHARS = 4 * 1024 * 1024
"""The most data one event may accumulate over its ``data:`` lines, in characters (4 Mi)."""

_BOM = b"\xef\xbb\xbf"


class ServerSentEvent(NamedTuple):
    """One dispatched event: its name (``message`` when none was given) and its data.

    A named tuple: built once per event, it must be cheap (a frozen dataclass costs 3x).
    """

    event: str
    data: str


class SseReader:
    """Incremental SSE parser for one response: feed it chunks, get events.

    ``feed`` is a generator so that events parsed before a limit is crossed reach the caller
    before the error does.
    """

    def __init__(
        self, *, max_line_bytes: int = MAX_LINE_BYTES, max_event_chars: int = MAX_EVENT_CHARS
    ) -> None:
        self.max_line_bytes = max_line_bytes
        self.max_event_chars = max_event_chars
        self._pending: list[bytes] = []  # the unfinished line, in pieces (no quadratic joins)
        self._pending_bytes = 0
        self._skip_lf = False  # the last chunk ended in CR: a leading LF completes that CRLF
        self._at_start = True  # a BOM may still be coming
        self._event = ""
        self._data: list[str] = []
        self._data_chars = 0
        self._last_id = ""
        self._retry: int | None = None
        #: The most bytes the unfinished line ever held: never above ``max_line_bytes``.
        self.peak_buffered = 0
        #: Comment lines seen so far (keep-alives): bytes that are not progress.
        self.comments = 0

    @property
    def buffered_bytes(self) -> int:
        """Bytes of the unfinished line held right now."""
        return self._pending_bytes

    def feed(self, chunk: bytes) -> Iterator[ServerSentEvent]:
        """The events completed by ``chunk``; raises ``StreamTooLargeError`` past a limit."""
        if self._at_start:
            chunk = self._strip_bom(chunk)
            if self._at_start:
                return  # still too short to tell whether it starts with a BOM
        if self._skip_lf:
            self._skip_lf = False
            if chunk.startswith(b"\n"):
                chunk = chunk[1:]
        if not chunk:
            return
        if b"\r" in chunk:
            self._skip_lf = chunk.endswith(b"\r")
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        end = chunk.rfind(b"\n")
        if end < 0:
            self._hold(chunk)
            return
        head = chunk[:end]
        if self._pending:
            self._pending.append(head)
            head = b"".join(self._pending)
            self._pending.clear()
            self._pending_bytes = 0
        limit = self.max_line_bytes
        if len(head) > limit and max(map(len, head.split(b"\n"))) > limit:
            raise self._line_too_long()
        tail = chunk[end + 1 :]
        for line in head.decode("utf-8", "replace").split("\n"):
            # The two lines every event has are handled inline: this loop is the hot path.
            if line.startswith("data:"):
                value = line[6:] if line.startswith(" ", 5) else line[5:]
                self._data_chars += len(value) + 1
                if self._data_chars > self.max_event_chars:
                    raise self._event_too_large()
                self._data.append(value)
            elif not line:
                # httpx-sse's rule, kept so both readers agree: an id seen once makes every
                # later blank line dispatch an (empty) event; the parsers ignore those.
                data = self._data
                if data or self._event or self._last_id or self._retry is not None:
                    yield ServerSentEvent(
                        self._event or "message", data[0] if len(data) == 1 else "\n".join(data)
                    )
                    self._event = ""
                    self._data = []
                    self._data_chars = 0
                    self._retry = None
            elif line.startswith("event:"):
                self._event = line[7:] if line.startswith(" ", 6) else line[6:]
            elif line[0] == ":":
                self.comments += 1
            else:
                self._field(line)
        if tail:
            self._hold(tail)

    def finish(self) -> None:
        """End of stream: an event not closed by a blank line is dropped, as httpx-sse does.

        A last line without a newline is still read as a field (it can only add to the
        dropped event), so nothing is returned.
        """
        self._pending.clear()
        self._pending_bytes = 0

    def _strip_bom(self, chunk: bytes) -> bytes:
        if self._pending:  # earlier bytes of a possible BOM
            chunk = b"".join(self._pending) + chunk
            self._pending.clear()
            self._pending_bytes = 0
        if len(chunk) < len(_BOM) and _BOM.startswith(chunk):
            self._hold(chunk)
            return b""
        self._at_start = False
        return chunk[len(_BOM) :] if chunk.startswith(_BOM) else chunk

    def _hold(self, piece: bytes) -> None:
        size = self._pending_bytes + len(piece)
        if size > self.max_line_bytes:
            self._pending.clear()
            self._pending_bytes = 0
            raise self._line_too_long()
        self._pending.append(piece)
        self._pending_bytes = size
        if size > self.peak_buffered:
            self.peak_buffered = size

    def _field(self, line: str) -> None:
        name, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        # Lines starting "data:" and "event:" are read in ``feed``; these are the rare ones,
        # including a bare "data" or "event" (a field with an empty value).
        if name == "data":
            self._data_chars += 1
            if self._data_chars > self.max_event_chars:
                raise self._event_too_large()
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self._last_id = value
        elif name == "retry":
            with contextlib.suppress(ValueError):
                self._retry = int(value)

    def _event_too_large(self) -> StreamTooLargeError:
        return StreamTooLargeError(
            f"The endpoint sent an event with more than {self.max_event_chars:,} characters of "
            "data, so the reply was cut off; what arrived before it is kept"
        )

    def _line_too_long(self) -> StreamTooLargeError:
        return StreamTooLargeError(
            f"The endpoint sent a line longer than {_bytes(self.max_line_bytes)} without ending "
            "it, so the reply was cut off; what arrived before it is kept"
        )


def _bytes(limit: int) -> str:
    """``1 MiB`` for whole mebibytes, else the plain count."""
    mib = 1024 * 1024
    return f"{limit // mib} MiB" if limit % mib == 0 else f"{limit:,} bytes"

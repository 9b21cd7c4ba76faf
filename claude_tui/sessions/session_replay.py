"""Loading a session file: replaying its records, in order, into the session's state.

Reading is the side that must forgive: a torn last line (a crash mid-append) is skipped, a
line torn by an earlier crash and ended by the next append is skipped, a malformed record is
skipped (so is one nested too deeply to decode), and a record kind this version does not know
is ignored. Lone surrogates (half an emoji, saved by an older version) load as U+FFFD; the file
itself is never changed. A reply that names the prompt it answers (``reply_to``) is placed
right after that prompt, so that two windows appending to one session at once still load as
prompt, reply, prompt, reply. Only a file without a usable
header (not a session, or written in a newer format version) is unreadable; it is reported by
the caller and never modified. See ``session_file`` for the records themselves.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claude_tui.chat_message import ChatMessage, MessageStatus
from claude_tui.history_summary import HistorySummary
from claude_tui.regular_files import NotARegularFile, read_regular_file
from claude_tui.sessions.json_lines import (
    cleaned,
    decode_line,
    may_hold_surrogates,
    without_lone_surrogates,
)
from claude_tui.sessions.session_errors import SessionUnreadable
from claude_tui.sessions.session_file import APPENDED_FIELDS, NOT_META_FIELDS, SCHEMA_VERSION
from claude_tui.sessions.session_settings import SessionSettings, parse_thinking

logger = logging.getLogger(__name__)


@dataclass
class LoadedSession:
    """Everything replaying a session file yields."""

    id: str
    title: str | None
    created: float
    updated: float
    settings: SessionSettings
    messages: list[ChatMessage] = field(default_factory=list)
    size: int = 0
    """Bytes read; lets a writer notice that another process has appended since."""
    skipped_lines: int = 0
    """Lines that could not be used (torn by an earlier crash, or malformed)."""
    summary: HistorySummary | None = None
    """The ``/compact`` summary in effect (the last ``compact`` record), if any."""


def newer_schema_reason(schema: int) -> str:
    """Why a file written in a later format version is skipped, in words a user can act on."""
    return (
        f"it was written by a newer claude-tui (format version {schema}; this version reads "
        f"up to {SCHEMA_VERSION}); upgrade claude-tui to open it"
    )


def read_session_file(path: Path) -> LoadedSession:
    """Load a session file by replaying its records.

    Raises :class:`SessionUnreadable` when the file has no usable header (not a session file,
    a newer schema, unreadable). ``FileNotFoundError`` passes through for the caller to
    report as a missing session. Never writes to the file.
    """
    try:
        data = read_regular_file(path)  # a FIFO or device is never read: it would hang
    except FileNotFoundError:
        raise
    except NotARegularFile as error:
        raise SessionUnreadable(path, error.reason) from error
    except OSError as error:
        raise SessionUnreadable(path, f"it could not be read ({error.strerror})") from error
    return parse_session(data, path)


_NOT_A_HEADER = "its first line is not a session header (the file is damaged or not a session)"


def parse_session(data: bytes, path: Path) -> LoadedSession:
    """Replay the bytes of a session file; ``path`` names it in errors and gives its id."""
    lines = data.split(b"\n")
    replay: _Replay | None = None
    skipped = 0
    for number, raw in enumerate(lines):
        if not raw.strip():
            continue
        # Only the final line can lack its newline: it is the one a crash may have torn.
        unterminated = number == len(lines) - 1
        # Surrogates are repaired once texts are joined: halves of an emoji that a stream
        # split may sit in two checkpoint records.
        record = decode_line(raw, repair=False)
        if record is None:
            if replay is None:
                reason = "its header line is incomplete" if unterminated else _NOT_A_HEADER
                raise SessionUnreadable(path, reason) from None
            if not unterminated:
                skipped += 1  # a line torn by an earlier crash, ended by the next append
            continue
        if replay is None:
            replay = _Replay.from_header(record, path)
        elif not isinstance(record, dict) or not replay.apply(record):
            skipped += 1
    if replay is None:
        raise SessionUnreadable(path, "it is empty")
    loaded = replay.finish(size=len(data), repair=may_hold_surrogates(data))
    loaded.skipped_lines += skipped
    if loaded.skipped_lines:
        logger.info("%s: skipped %d unusable line(s)", path, loaded.skipped_lines)
    return loaded


def _repaired(value: str | None) -> str | None:
    return None if value is None else without_lone_surrogates(value)


def _optional_str(value: object, default: str | None = None) -> str | None:
    return value if isinstance(value, str) else default


def _number(value: object, default: float) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return default


class _Replay:
    """Applies records in order; messages stay JSON dicts until the end (cheap to patch)."""

    def __init__(self, header: dict[str, Any], path: Path) -> None:
        # The file name is the id the store knows the session by, even if the file was copied.
        self.id = path.stem
        self.title = _optional_str(header.get("title"))
        self.created = _number(header.get("created"), 0.0)
        self.updated = max(self.created, _number(header.get("at"), 0.0))
        legacy = SessionSettings.from_legacy(
            profile=_optional_str(header.get("profile")) or "",
            model=_optional_str(header.get("model")) or "",
            system=_optional_str(header.get("system")),
            thinking=_optional_str(header.get("thinking")),
        )
        self.settings = SessionSettings.from_json(header.get("settings"), fallback=legacy)
        self.messages: dict[str, dict[str, Any]] = {}
        self.summary: HistorySummary | None = None
        self.path = path

    @classmethod
    def from_header(cls, record: object, path: Path) -> _Replay:
        if not isinstance(record, dict) or record.get("t") != "session":
            raise SessionUnreadable(path, _NOT_A_HEADER)
        schema = record.get("schema")
        if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
            raise SessionUnreadable(path, f"its header has an invalid format version {schema!r}")
        if schema > SCHEMA_VERSION:
            raise SessionUnreadable(path, newer_schema_reason(schema))
        return cls(record, path)

    def apply(self, record: dict[str, Any]) -> bool:
        """Apply one record; False if it was malformed and had to be skipped."""
        self.updated = max(self.updated, _number(record.get("at"), 0.0))
        kind = record.get("t")
        try:
            if kind == "message":
                return self._message(record)
            if kind == "partial":
                return self._partial(record)
            if kind == "meta":
                self._meta(record)
            elif kind == "delete":
                self.messages.pop(str(record.get("id")), None)
            elif kind == "compact":
                raw = record.get("summary")
                self.summary = None if raw is None else HistorySummary.from_json(raw)
        except (TypeError, ValueError, AttributeError, KeyError):
            return False
        return True  # unknown kinds: written by a later version, safe to ignore

    def _message(self, record: dict[str, Any]) -> bool:
        message = record.get("message")
        if not isinstance(message, dict) or not isinstance(message.get("id"), str):
            return False
        self.messages[message["id"]] = message
        title = record.get("title")
        if isinstance(title, str):
            self.title = title
        return True

    def _partial(self, record: dict[str, Any]) -> bool:
        message_id = record.get("id")
        deltas = record.get("deltas", [])
        if not isinstance(message_id, str) or not isinstance(deltas, list):
            return False
        message = self.messages.get(message_id)
        if message is None:
            message = {"id": message_id, "role": record.get("role", "assistant"), "content": []}
            self.messages[message_id] = message
        message["status"] = MessageStatus.STREAMING.value
        meta = record.get("meta")
        if isinstance(meta, dict):
            for key, value in meta.items():
                if key in NOT_META_FIELDS:
                    continue
                if value is None:
                    message.pop(key, None)
                else:
                    message[key] = value
        content = message.get("content")
        if not isinstance(content, list):
            content = message["content"] = []
        for delta in deltas:
            _apply_delta(content, delta)
        return True

    def _meta(self, record: dict[str, Any]) -> None:
        if "title" in record:
            self.title = _optional_str(record["title"], self.title)
        if "settings" in record:  # the whole record; the older fields beside it repeat it
            self.settings = SessionSettings.from_json(record["settings"], fallback=self.settings)
            return
        changes: dict[str, Any] = {}  # a file written before settings were saved whole
        for name in ("profile", "model"):
            value = record.get(name)
            if isinstance(value, str):
                changes[name] = value
        if "system" in record and (record["system"] is None or isinstance(record["system"], str)):
            changes["system"] = record["system"]
        if "thinking" in record and isinstance(record["thinking"], str):
            changes["thinking"] = parse_thinking(record["thinking"])
        self.settings = self.settings.changed(**changes)

    def finish(self, *, size: int, repair: bool) -> LoadedSession:
        """The loaded session; ``repair`` replaces lone surrogates (the file spells one)."""
        messages: list[ChatMessage] = []
        skipped = 0
        for data in self.messages.values():
            if repair:  # lone surrogates; depth was checked line by line
                cleaned(data, max_depth=None)
            if data.get("status") == MessageStatus.STREAMING.value:
                # Its writer died mid-reply (or, rarely, another window is still streaming
                # into it): either way this copy of the reply is incomplete.
                data["status"] = MessageStatus.INTERRUPTED.value
            try:
                messages.append(ChatMessage.from_json(data))
            except (TypeError, ValueError) as error:
                logger.warning("%s: skipped message %s: %s", self.path, data.get("id"), error)
                skipped += 1
        return LoadedSession(
            id=self.id,
            title=_repaired(self.title),
            created=self.created,
            updated=self.updated,
            settings=self.settings.changed(
                profile=without_lone_surrogates(self.settings.profile),
                model=without_lone_surrogates(self.settings.model),
                system=_repaired(self.settings.system),
            ),
            messages=replies_after_prompts(messages),
            size=size,
            skipped_lines=skipped,
            summary=self._summary(repair),
        )

    def _summary(self, repair: bool) -> HistorySummary | None:
        summary = self.summary
        if summary is None or not repair:
            return summary
        return dataclasses.replace(summary, text=without_lone_surrogates(summary.text))


def _apply_delta(content: list[Any], delta: object) -> None:
    """Apply one block delta of a partial record to a message's content list."""
    if not isinstance(delta, dict):
        return
    index = delta.get("index")
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        return
    fields = {k: v for k, v in delta.items() if k != "index"}
    if index >= len(content):
        content.append(fields)
        return
    block = content[index]
    if not isinstance(block, dict):
        content[index] = fields
        return
    for key, value in fields.items():
        current = block.get(key)
        if key in APPENDED_FIELDS and isinstance(value, str) and isinstance(current, str):
            block[key] = current + value
        else:
            block[key] = value


def replies_after_prompts(messages: list[ChatMessage]) -> list[ChatMessage]:
    """``messages`` with each reply moved right after the prompt it answers (``reply_to``).

    Two processes appending to one session write prompt A, prompt B, reply A, reply B; this
    puts them back as A, reply A, B, reply B. Messages without ``reply_to`` (older files),
    or naming a message that is not there, keep their place, so the order is stable.
    """
    ids = {message.id for message in messages}

    def answered(message: ChatMessage) -> str | None:
        target = message.reply_to
        return target if target is not None and target in ids and target != message.id else None

    attached: dict[str, list[ChatMessage]] = {}
    for message in messages:
        if (target := answered(message)) is not None:
            attached.setdefault(target, []).append(message)
    if not attached:
        return messages
    ordered: list[ChatMessage] = []
    placed: set[str] = set()

    def place(message: ChatMessage) -> None:
        # Iterative over chains (a reply answering a reply): no recursion depth to overflow.
        pending = [message]
        while pending:
            current = pending.pop()
            if current.id in placed:
                continue
            placed.add(current.id)
            ordered.append(current)
            pending.extend(reversed(attached.get(current.id, [])))

    for message in messages:
        if answered(message) is None:
            place(message)
    for message in messages:  # replies caught in a cycle of reply_to: keep their place
        if message.id not in placed:
            place(message)
    return ordered

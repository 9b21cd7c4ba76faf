"""The on-disk format of one session: its records, and how they are written.

A session file is a JSON Lines log, never rewritten once created, so that saving a message
costs one appended line however long the conversation is, and so that a crash can at worst
tear the last line (which the reader skips) instead of leaving a file that will not load.

Records, one per line; every record carries ``"at"``, the time it was written:

``{"t":"session","schema":1,"id","title","created","settings",...}``
    The header, always the first line; written atomically with the file. ``settings`` is the
    whole :class:`~claude_tui.sessions.session_settings.SessionSettings`; ``profile``,
    ``model``, ``system`` and ``thinking`` (as a string) are written beside it for older
    versions and are what a header without ``settings`` is read from.
``{"t":"message","message":{...ChatMessage.to_json()},"title"?}``
    A complete message. A message with the same id is replaced where it stands (the final
    version of a streamed reply, an edit). ``title`` is set by the first user prompt, so that
    saving it stays one write.
``{"t":"partial","id","role","meta"?,"deltas":[{"index":0,"text":"more"},...]}``
    A streaming checkpoint: only what was added since the previous record of that message.
    A new index creates the block from the delta's fields; on an existing block the string
    fields ``text``/``thinking``/``partial_json`` are appended and any other field is set.
``{"t":"meta","title"|"settings"|"profile"|"model"|"system"|"thinking": ...}``
    Header fields changed after creation: a rename, or new settings (written whole, with the
    older fields beside them as in the header).
``{"t":"delete","id"}``
    A message removed.
``{"t":"compact","summary":{"text","first","last","count",...} | null}``
    ``/compact``: from here on requests send this summary in place of the messages from
    ``first`` to ``last`` (ids), which stay saved; ``null`` is ``/compact undo`` (the full
    history is sent again). The last such record wins. Older versions ignore the kind and
    load the full history, as they would send it.

A message still streaming when the file was last written (a partial, or a message record with
status ``streaming``, not followed by a finished message record) loads as ``interrupted``.
Unknown record kinds are ignored so that later versions can add some within schema 1; a
header with a higher schema makes the whole file unreadable, reported and left alone. Reading
is in ``session_replay``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, Literal, NotRequired, TypedDict

from claude_tui.chat_message import ChatMessage, ContentBlock, MessageStatus, Role
from claude_tui.history_summary import HistorySummary
from claude_tui.sessions.json_lines import encode_line
from claude_tui.sessions.session_settings import SessionSettings

SCHEMA_VERSION = 1
"""The newest session file format this version reads and the one it writes."""

HEADER_FIELDS = ("title", "settings", "profile", "model", "system", "thinking")
"""Header fields a ``meta`` record may change."""

APPENDED_FIELDS = frozenset({"text", "thinking", "partial_json"})
"""Block fields a partial delta extends rather than sets: the ones a stream grows."""

NOT_META_FIELDS = frozenset({"id", "role", "content", "status"})
"""Message fields a partial record's ``meta`` never carries: they travel separately."""

BlockDelta = dict[str, Any]


class HeaderRecord(TypedDict):
    """First line of every session file."""

    t: Literal["session"]
    schema: int
    id: str
    title: str | None
    created: float
    profile: str
    model: str
    system: str | None
    thinking: str | None
    settings: dict[str, Any]
    at: float


class MessageRecord(TypedDict):
    """A complete message, replacing any earlier version with the same id."""

    t: Literal["message"]
    at: float
    message: dict[str, Any]
    title: NotRequired[str]


class PartialRecord(TypedDict):
    """A streaming checkpoint carrying only what changed since the last one."""

    t: Literal["partial"]
    at: float
    id: str
    role: Role
    deltas: list[BlockDelta]
    meta: NotRequired[dict[str, Any]]


class MetaRecord(TypedDict, total=False):
    """Header fields changed after creation."""

    t: Literal["meta"]
    at: float
    title: str | None
    settings: dict[str, Any]
    profile: str
    model: str
    system: str | None
    thinking: str | None


class DeleteRecord(TypedDict):
    """A message removed from the session."""

    t: Literal["delete"]
    at: float
    id: str


class CompactRecord(TypedDict):
    """The summary in effect from here on (``/compact``), or None (``/compact undo``)."""

    t: Literal["compact"]
    at: float
    summary: dict[str, Any] | None


# --- writing -------------------------------------------------------------------------------


def encode_record(record: Mapping[str, object]) -> str:
    """One record as a newline-terminated JSON line (UTF-8 kept readable, compact); a lone
    surrogate from a broken stream is saved as U+FFFD (see ``json_lines``)."""
    return encode_line(record)


def header_record(
    *,
    session_id: str,
    title: str | None,
    created: float,
    settings: SessionSettings,
    at: float,
) -> HeaderRecord:
    """The header line of a new session file."""
    return {
        "t": "session",
        "schema": SCHEMA_VERSION,
        "id": session_id,
        "title": title,
        "created": created,
        **legacy_settings_fields(settings),  # type: ignore[typeddict-item]
        "settings": settings.to_json(),
        "at": at,
    }


def legacy_settings_fields(settings: SessionSettings) -> dict[str, str | None]:
    """The settings as versions before saved settings wrote them (and read them)."""
    return {
        "profile": settings.profile,
        "model": settings.model,
        "system": settings.system,
        "thinking": str(settings.thinking),
    }


def message_record(message: ChatMessage, *, at: float, title: str | None = None) -> MessageRecord:
    """A complete message; ``title`` also names the session (first prompt)."""
    record: MessageRecord = {"t": "message", "at": at, "message": message.to_json()}
    if title is not None:
        record["title"] = title
    return record


def streaming_record(message: ChatMessage, *, at: float) -> MessageRecord:
    """A reply still being streamed, written whole (its first checkpoint, or a change deltas
    cannot express). Its status is written as ``streaming`` whatever the live object says, so
    that it loads as interrupted unless a final message record follows."""
    data = message.to_json()
    data["status"] = MessageStatus.STREAMING.value
    return {"t": "message", "at": at, "message": data}


def partial_record(
    message: ChatMessage, deltas: list[BlockDelta], meta: dict[str, Any], *, at: float
) -> PartialRecord:
    """A streaming checkpoint of ``message``; ``meta`` holds only changed fields."""
    record: PartialRecord = {
        "t": "partial",
        "at": at,
        "id": message.id,
        "role": message.role,
        "deltas": deltas,
    }
    if meta:
        record["meta"] = meta
    return record


def meta_record(fields: Mapping[str, object], *, at: float) -> MetaRecord:
    """Header field changes; only names from :data:`HEADER_FIELDS` are kept. New
    ``settings`` (a :class:`SessionSettings`) are written whole, with the older fields."""
    record: dict[str, Any] = {"t": "meta", "at": at}
    for name, value in fields.items():
        if name == "settings" and isinstance(value, SessionSettings):
            record.update(legacy_settings_fields(value))
            record["settings"] = value.to_json()
        elif name in HEADER_FIELDS:
            record[name] = value
    return record  # type: ignore[return-value]  # keys filtered to MetaRecord's above


def delete_record(message_id: str, *, at: float) -> DeleteRecord:
    """A message removed."""
    return {"t": "delete", "at": at, "id": message_id}


def compact_record(summary: HistorySummary | None, *, at: float) -> CompactRecord:
    """The summary now in effect (None: ``/compact undo``)."""
    return {"t": "compact", "at": at, "summary": summary.to_json() if summary else None}


def new_session_text(
    header: HeaderRecord,
    messages: Iterable[ChatMessage],
    *,
    streaming: Collection[str] = (),
    summary: HistorySummary | None = None,
) -> str:
    """The whole content of a new session file (create, fork, import, or rewriting a file
    deleted while in use): header, then messages; ids in ``streaming`` are replies still being
    streamed, written as :func:`streaming_record` does; then ``summary``, if one is in
    effect."""
    lines = [encode_record(header)]
    for message in messages:
        if message.id in streaming:
            lines.append(encode_record(streaming_record(message, at=header["at"])))
        else:
            lines.append(encode_record(message_record(message, at=header["at"])))
    if summary is not None:
        lines.append(encode_record(compact_record(summary, at=header["at"])))
    return "".join(lines)


def message_meta(message: ChatMessage) -> dict[str, Any]:
    """The message fields a partial record's ``meta`` tracks (model, usage, timings...)."""
    return {k: v for k, v in message.to_json().items() if k not in NOT_META_FIELDS}


def changed_meta(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """Fields of ``after`` that differ from ``before``; a field that went away becomes None."""
    changes = {k: v for k, v in after.items() if before.get(k, _MISSING) != v}
    changes.update({k: None for k in before if k not in after})
    return changes


_MISSING = object()


def block_deltas(
    before: Sequence[ContentBlock], after: Sequence[ContentBlock]
) -> list[BlockDelta] | None:
    """The deltas turning content ``before`` into ``after``, or None when deltas cannot say it.

    Streams only ever add blocks and extend their text, which deltas express in a few bytes.
    Anything else (a block removed or changing type, text rewritten rather than extended, a
    key dropped) returns None and the caller writes the whole message instead.
    """
    if len(after) < len(before):
        return None
    deltas: list[BlockDelta] = []
    for index, block in enumerate(after):
        if "index" in block:  # the one key a delta reserves for itself
            return None
        if index >= len(before):
            deltas.append({"index": index, **block})
            continue
        old = before[index]
        if old.get("type") != block.get("type") or any(key not in block for key in old):
            return None
        change: BlockDelta = {}
        for key, value in block.items():
            previous = old.get(key, _MISSING)
            if previous == value:
                continue
            if key in APPENDED_FIELDS and isinstance(value, str) and isinstance(previous, str):
                if not value.startswith(previous):
                    return None
                change[key] = value[len(previous) :]
            else:
                change[key] = value
        if change:
            deltas.append({"index": index, **change})
    return deltas

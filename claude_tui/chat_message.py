"""One message of a conversation, as stored in a session and sent on the wire.

Content is kept in the Anthropic Messages API block shape (``{"type": "text", "text": ...}``,
``thinking`` with ``signature``, ``redacted_thinking``, ``tool_use`` ...) whatever API format
produced it, so history can move between profiles. Assistant messages also carry what the
user sees under a reply: model, usage, stop reason, status, time to first token, duration.
"""

from __future__ import annotations

import copy
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal, NamedTuple

Role = Literal["user", "assistant"]
ContentBlock = dict[str, Any]
StreamedKind = Literal["text", "thinking"]


class MessageStatus(StrEnum):
    """How an assistant reply ended."""

    COMPLETE = "complete"
    STREAMING = "streaming"  # only ever seen live, or on disk after a crash mid-reply
    INTERRUPTED = "interrupted"  # cut stream, idle timeout, user stop: the content is partial
    ERROR = "error"  # the request failed; ``error`` holds the sentence shown to the user


@dataclass
class Usage:
    """Token counts as the API reports them (Anthropic names; OpenAI counts are mapped)."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0
    cache_creation_1h_input_tokens: int = 0
    """Of ``cache_creation_input_tokens``, those written with the 1-hour TTL (billed at 2x
    input rather than 1.25x); the API reports them in ``usage.cache_creation``."""

    def to_json(self) -> dict[str, int]:
        """Plain dict for JSON files (the 1-hour share only when there is one)."""
        data = {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cache_creation_input_tokens": self.cache_creation_input_tokens,
            "cache_read_input_tokens": self.cache_read_input_tokens,
        }
        if self.cache_creation_1h_input_tokens:
            data["cache_creation_1h_input_tokens"] = self.cache_creation_1h_input_tokens
        return data

    def __add__(self, other: Usage) -> Usage:
        """Both counts summed, field by field (a continued reply, a session's total)."""
        return Usage(**{name: value + getattr(other, name) for name, value in vars(self).items()})

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Usage:
        """Read a usage dict, tolerating missing or null fields."""
        data = data or {}

        def count(name: str) -> int:
            value = data.get(name)
            return int(value) if isinstance(value, (int, float)) else 0

        return cls(
            input_tokens=count("input_tokens"),
            output_tokens=count("output_tokens"),
            cache_creation_input_tokens=count("cache_creation_input_tokens"),
            cache_read_input_tokens=count("cache_read_input_tokens"),
            cache_creation_1h_input_tokens=count("cache_creation_1h_input_tokens"),
        )

    @property
    def total_input_tokens(self) -> int:
        """All prompt tokens, cached or not: what the context window holds."""
        return self.input_tokens + self.cache_creation_input_tokens + self.cache_read_input_tokens


class TextMark(NamedTuple):
    """Where a reader of a message's text stopped; pass it back to
    :meth:`ChatMessage.text_since` to get only what came after."""

    generation: int
    pieces: int


class TextSince(NamedTuple):
    """The answer of :meth:`ChatMessage.text_since`."""

    text: str
    """What was appended after the mark, or the whole text when ``restarted``."""
    mark: TextMark
    restarted: bool
    """The text changed other than by an append (edited, trimmed, replaced, a reader's first
    look): ``text`` is all of it and what the reader made of the old text is stale."""


class AppendLog:
    """The appends streaming made to one kind of a message's text (reply or thinking).

    A view drawing a streaming reply needs only what is new since its last frame; joining
    the whole reply and comparing it with what was drawn costs more each token. The log
    keeps the deltas in order and, to notice changes made to ``content`` by anything else,
    the block dicts and the exact string objects it last saw: a string that is not the same
    object as the one it recorded means the text was rewritten, and the log starts a new
    generation holding the whole text. Checking is O(blocks), never O(text).
    """

    __slots__ = ("_field", "_kind", "_seen", "generation", "length", "pieces")

    def __init__(self, kind: StreamedKind) -> None:
        self._kind = kind
        self._field = kind  # the key holding the text: "text" or "thinking"
        self.generation = -1  # no look at the content yet
        self.pieces: list[str] = []
        self.length = 0
        self._seen: list[tuple[ContentBlock, object]] = []

    def append(self, content: list[ContentBlock], block: ContentBlock, delta: str) -> None:
        """Append ``delta`` to ``block`` (one of ``content``'s blocks of this kind)."""
        key, seen = self._field, self._seen
        if seen and seen[-1][0] is block and block.get(key, "") is seen[-1][1]:
            # The usual case, once per delta: the last block seen, untouched since. Changes
            # elsewhere in ``content`` are still caught by the next sync (their strings are
            # not the ones recorded), and blocks added after this one come after it there.
            text = block[key] = seen[-1][1] + delta
            seen[-1] = (block, text)
            if delta:
                self.pieces.append(delta)
                self.length += len(delta)
            return
        self.sync(content)
        block[key] = block.get(key, "") + delta
        seen = self._seen
        if seen and seen[-1][0] is block:
            seen[-1] = (block, block[key])
            if delta:
                self.pieces.append(delta)
                self.length += len(delta)
        else:  # not the last block of its kind: the joined text changed in the middle
            self._restart(content)

    def sync(self, content: list[ContentBlock]) -> None:
        """Bring the log in line with ``content``: new blocks at the end count as appends,
        anything else starts a new generation. Runs on every delta: plain loops, no joins."""
        if self.generation < 0:
            self._restart(content)
            return
        kind, key, seen = self._kind, self._field, self._seen
        count = len(seen)
        position = 0
        for b in content:
            if b.get("type") != kind:
                continue
            if position < count:
                block, text = seen[position]
                if b is not block or b.get(key, "") is not text:
                    self._restart(content)  # rewritten, replaced or removed: start over
                    return
            else:  # a new block after the ones seen: its text is an append
                text = b.get(key, "")
                seen.append((b, text))
                if text:
                    self.pieces.append(str(text))
                    self.length += len(text)
            position += 1
        if position < count:
            self._restart(content)

    def since(self, content: list[ContentBlock], mark: TextMark | None) -> TextSince:
        """The text appended after ``mark`` (see :class:`TextSince`)."""
        self.sync(content)
        now = TextMark(self.generation, len(self.pieces))
        if mark is None or mark.generation != self.generation or mark.pieces > now.pieces:
            return TextSince("".join(self.pieces), now, True)
        return TextSince("".join(self.pieces[mark.pieces :]), now, False)

    def _restart(self, content: list[ContentBlock]) -> None:
        blocks = [b for b in content if b.get("type") == self._kind]
        self._seen = [(b, b.get(self._field, "")) for b in blocks]
        whole = "".join(str(b.get(self._field, "")) for b in blocks)
        self.generation += 1
        self.pieces = [whole] if whole else []
        self.length = len(whole)


VERSION_FIELDS = (
    "content",
    "created",
    "status",
    "model",
    "profile",
    "usage",
    "stop_reason",
    "error",
    "request_id",
    "ttft_ms",
    "duration_ms",
    "thinking_ms",
    "refused",
    "key_position",
    "failover",
)
"""What one version of a regenerated reply holds (its :meth:`ChatMessage.to_json` keys): the
content and everything said about how it was produced. The id, role and ``reply_to`` are the
message's, shared by all its versions."""


def new_message_id() -> str:
    """A short unique id for a message (sortable enough; unique across processes)."""
    return "msg_" + uuid.uuid4().hex[:20]


@dataclass
class ChatMessage:
    """A user or assistant message plus the metadata claude-tui keeps about it."""

    role: Role
    content: list[ContentBlock]
    id: str = field(default_factory=new_message_id)
    created: float = field(default_factory=time.time)
    # Assistant-only metadata; None/defaults on user messages.
    model: str | None = None
    profile: str | None = None
    usage: Usage | None = None
    stop_reason: str | None = None
    status: MessageStatus = MessageStatus.COMPLETE
    error: str | None = None
    request_id: str | None = None
    ttft_ms: float | None = None
    duration_ms: float | None = None
    thinking_ms: float | None = None  # from the first thought to the first reply text
    reply_to: str | None = None
    """On a reply: the id of the user message it answers. Two windows appending to one
    session interleave their turns in the file; this keeps each reply with its prompt."""
    refused: bool = False
    """On a failed reply: the endpoint refused the prompt as invalid (HTTP 400, 404, 413,
    422), so later requests leave that prompt out unless it is retried or edited. A prompt
    whose reply failed for a passing reason (overload, a dropped connection) is sent again
    with the next message instead."""
    key_position: int | None = None
    """On a reply: which key of the profile's pool served it (1-based position, never the
    key), when the profile has a pool (``api_keys`` / ``api_key_commands``)."""
    failover: str | None = None
    """On a reply that another profile served after this session's failed before any reply
    arrived: what happened, ``overloaded on relay-a, sent to relay-b``."""
    versions: list[dict[str, Any]] = field(default_factory=list)
    """On a regenerated reply: its other versions (``VERSION_FIELDS`` of each, in
    :meth:`to_json` form), in the order they were made, without the one shown. Only the
    shown version is in ``content``, so only it is ever sent; the others are kept in the
    same record, and so survive resume, export and import."""
    version: int = 0
    """Where the shown version sits among all of them (0-based): "2/3" is ``version == 1``."""
    _text_log: AppendLog = field(
        default_factory=lambda: AppendLog("text"), init=False, repr=False, compare=False
    )
    _thinking_log: AppendLog = field(
        default_factory=lambda: AppendLog("thinking"), init=False, repr=False, compare=False
    )

    @classmethod
    def user(cls, text: str, attachments: Sequence[Mapping[str, object]] = ()) -> ChatMessage:
        """A user message holding one text block, after its attachment blocks (images
        before text, as the vision guide advises; a prompt of attachments alone has no
        text block)."""
        blocks = [dict(block) for block in attachments]
        if text or not blocks:
            blocks.append({"type": "text", "text": text})
        return cls(role="user", content=blocks)

    @property
    def attachments(self) -> list[ContentBlock]:
        """The message's attachment blocks (see ``claude_tui.attachments``), in order."""
        return [b for b in self.content if b.get("type") == "attachment"]

    @property
    def tool_results(self) -> bool:
        """True for a user message that only carries the results of the previous reply's
        tool calls (a round of the tool loop, not something the user typed)."""
        return (
            self.role == "user"
            and bool(self.content)
            and all(block.get("type") == "tool_result" for block in self.content)
        )

    @property
    def text(self) -> str:
        """The visible reply text: all text blocks joined."""
        return "".join(b.get("text", "") for b in self.content if b.get("type") == "text")

    @property
    def thinking_text(self) -> str:
        """All thinking text joined (redacted blocks excluded)."""
        return "".join(b.get("thinking", "") for b in self.content if b.get("type") == "thinking")

    # -- streamed text: appends a view can follow without joining the whole reply ---------

    def append_text(self, block: ContentBlock, delta: str) -> None:
        """Append ``delta`` to ``block``, one of this message's text blocks, noting it for
        :meth:`text_since`."""
        self._text_log.append(self.content, block, delta)

    def append_thinking(self, block: ContentBlock, delta: str) -> None:
        """Append ``delta`` to ``block``, one of this message's thinking blocks."""
        self._thinking_log.append(self.content, block, delta)

    def text_since(self, mark: TextMark | None, kind: StreamedKind = "text") -> TextSince:
        """The reply (or thinking) text appended since ``mark``, without joining the rest.

        ``mark`` is what the previous call returned (None the first time). Content changed
        other than through :meth:`append_text` (an edit, a trim, a reply loaded from disk)
        is noticed and answered with the whole text and ``restarted`` set.
        """
        log = self._text_log if kind == "text" else self._thinking_log
        return log.since(self.content, mark)

    @property
    def text_length(self) -> int:
        """``len(self.text)``, kept as the reply streams instead of joined again."""
        self._text_log.sync(self.content)
        return self._text_log.length

    @property
    def thinking_length(self) -> int:
        """``len(self.thinking_text)``, kept as the thinking streams."""
        self._thinking_log.sync(self.content)
        return self._thinking_log.length

    # -- versions of a regenerated reply ---------------------------------------------------

    @property
    def version_count(self) -> int:
        """How many versions the message has (1 for one never regenerated)."""
        return len(self.versions) + 1

    def start_new_version(self) -> None:
        """Keep what is shown as a version and show a new, empty one after all the others
        (a regenerate streams into it). A version with no content (a request that failed
        before anything arrived) is not worth keeping and is replaced instead."""
        if self.content:
            self.versions = self._all_versions()
        self.version = len(self.versions)
        self._show({"content": [], "created": time.time()})

    def show_version(self, index: int) -> None:
        """Show version ``index`` (0-based) instead of the current one, which is kept."""
        if not 0 <= index < self.version_count:
            raise IndexError(f"this message has {self.version_count} versions, not {index + 1}")
        if index == self.version:
            return
        versions = self._all_versions()
        chosen = versions.pop(index)
        self.versions = versions
        self.version = index
        self._show(chosen)

    def _all_versions(self) -> list[dict[str, Any]]:
        data = self.to_json()
        shown = copy.deepcopy({k: data[k] for k in VERSION_FIELDS if k in data})
        versions = list(self.versions)
        versions.insert(min(self.version, len(versions)), shown)
        return versions

    def _show(self, version: dict[str, Any]) -> None:
        loaded = ChatMessage.from_json({"role": self.role, "id": self.id, **version})
        for name in VERSION_FIELDS:
            setattr(self, name, getattr(loaded, name))

    def to_api(self) -> dict[str, Any]:
        """The ``{"role", "content"}`` dict the Messages API takes."""
        return {"role": self.role, "content": [dict(b) for b in self.content]}

    def to_json(self) -> dict[str, Any]:
        """Everything, for the session file. Optional fields are omitted when empty."""
        data: dict[str, Any] = {
            "id": self.id,
            "role": self.role,
            "content": self.content,
            "created": self.created,
        }
        if self.role == "assistant":
            data["status"] = self.status.value
        optional = {
            "model": self.model,
            "profile": self.profile,
            "usage": self.usage.to_json() if self.usage else None,
            "stop_reason": self.stop_reason,
            "error": self.error,
            "request_id": self.request_id,
            "ttft_ms": self.ttft_ms,
            "duration_ms": self.duration_ms,
            "thinking_ms": self.thinking_ms,
            "reply_to": self.reply_to,
            "refused": self.refused or None,
            "key_position": self.key_position,
            "failover": self.failover,
            "versions": self.versions or None,
            "version": self.version if self.versions else None,
        }
        data.update({k: v for k, v in optional.items() if v is not None})
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChatMessage:
        """Inverse of :meth:`to_json`; string content is accepted and wrapped in a block."""
        role = data.get("role")
        if role not in ("user", "assistant"):
            raise ValueError(f"message role must be 'user' or 'assistant', not {role!r}")
        content = data.get("content", [])
        if isinstance(content, str):
            content = [{"type": "text", "text": content}]
        if not isinstance(content, list) or not all(isinstance(b, dict) for b in content):
            raise ValueError("message content must be a string or a list of blocks")
        status_value = data.get("status", MessageStatus.COMPLETE.value)
        try:
            status = MessageStatus(status_value)
        except ValueError:
            status = MessageStatus.COMPLETE
        return cls(
            role=role,
            content=content,
            id=str(data.get("id") or new_message_id()),
            created=float(data.get("created") or time.time()),
            model=data.get("model"),
            profile=data.get("profile"),
            usage=Usage.from_json(data["usage"]) if data.get("usage") else None,
            stop_reason=data.get("stop_reason"),
            status=status,
            error=data.get("error"),
            refused=data.get("refused") is True,
            request_id=data.get("request_id"),
            ttft_ms=data.get("ttft_ms"),
            duration_ms=data.get("duration_ms"),
            thinking_ms=data.get("thinking_ms"),
            reply_to=reply_to if isinstance(reply_to := data.get("reply_to"), str) else None,
            key_position=(
                position
                if isinstance(position := data.get("key_position"), int)
                and not isinstance(position, bool)
                else None
            ),
            failover=failover if isinstance(failover := data.get("failover"), str) else None,
            versions=(versions := _versions_from_json(data.get("versions"))),
            version=_version_from_json(data.get("version"), len(versions)),
        )


def _versions_from_json(raw: object) -> list[dict[str, Any]]:
    """The stored versions that can be shown (an object with string or block content);
    anything else (a hand edit, a newer writer) is left out rather than failing the load."""
    if not isinstance(raw, list):
        return []
    return [
        {k: v for k, v in version.items() if k in VERSION_FIELDS}
        for version in raw
        if isinstance(version, dict) and isinstance(version.get("content"), (str, list))
    ]


def _version_from_json(raw: object, stored: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        return stored  # the shown one came last
    return max(0, min(raw, stored))

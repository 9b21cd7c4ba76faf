"""Builds a :class:`ChatMessage` from stream events: the one place that knows how events
become content blocks, shared by print mode, the UI and the session checkpoints."""

from __future__ import annotations

import time
from typing import Any

from claude_tui.chat_message import ChatMessage, MessageStatus, Usage
from claude_tui.wire.errors import CancelledReply
from claude_tui.wire.events import (
    CONTENT_EVENTS,
    BlockStarted,
    CitationDelta,
    KeyRefreshed,
    MessageStarted,
    MessageStopped,
    RateLimitWait,
    RedactedThinking,
    Retrying,
    SignatureDelta,
    StopReason,
    StreamEvent,
    StreamFailed,
    TextDelta,
    ThinkingDelta,
    ToolInputDelta,
    ToolUse,
    UsageUpdate,
)

PAUSED_TURN = (
    "Paused by the server during a long server tool turn (pause_turn); "
    'send a message, such as "go on", to let it continue'
)
"""The note on a reply the API paused (a server tool turn that ran long): the reply is
complete and kept; the next prompt sends it back and the model goes on from there."""


class MessageAccumulator:
    """Applies events to ``message`` in place; the message is valid after every event."""

    def __init__(
        self,
        message: ChatMessage,
        *,
        started_at: float | None = None,
        continue_text: bool = False,
    ) -> None:
        """``continue_text``: the stream continues ``message``'s last text block (a prefill
        resume), so its first text block is appended there instead of starting a new one."""
        self.message = message
        self.message.status = MessageStatus.STREAMING
        self.message.error = None
        self._continue_position: int | None = None
        if continue_text:
            texts = [i for i, b in enumerate(message.content) if b.get("type") == "text"]
            self._continue_position = texts[-1] if texts else None
        self._continue_target = self._continue_position  # restored when an attempt retries
        self.started_at = time.monotonic() if started_at is None else started_at
        self._positions: dict[int, int] = {}  # stream index -> position in message.content
        self._tool_json: dict[int, list[str]] = {}
        self._first_content_at: float | None = None
        self._thought = bool(message.thinking_length)  # any thinking text yet
        self._held_back = False  # the last event was a wait for the profile's own rate limit

    @property
    def content_arrived(self) -> bool:
        """True once any reply content (text, thinking, tool input) was applied."""
        return self._first_content_at is not None

    def apply(self, event: StreamEvent) -> None:
        """Fold one event into the message."""
        self._held_back = isinstance(event, RateLimitWait)
        if isinstance(event, RateLimitWait):
            # Waiting for our own limit is not the endpoint being slow: the reply's clock
            # (first token, duration) starts when the request leaves, which is when the
            # client asks the gate again, after at most a second.
            self.started_at = time.monotonic() + min(1.0, event.seconds)
            return
        if isinstance(event, CONTENT_EVENTS) and self._first_content_at is None:
            self._first_content_at = time.monotonic()
            self.message.ttft_ms = round((self._first_content_at - self.started_at) * 1000, 1)
        if isinstance(event, TextDelta) and self.message.thinking_ms is None:
            thought_at = self._first_content_at
            if thought_at is not None and self._thought:
                self.message.thinking_ms = round((time.monotonic() - thought_at) * 1000, 1)
        match event:
            case MessageStarted():
                if event.model:
                    self.message.model = event.model
                self.message.usage = event.usage
                if event.request_id:
                    self.message.request_id = event.request_id
            case BlockStarted():
                self._block(event.index, event.block)
            case TextDelta():
                # Through the message, so a view can take just this delta (text_since).
                block = self._block(event.index, {"type": "text", "text": ""})
                self.message.append_text(block, event.text)
            case ThinkingDelta():
                block = self._block(event.index, {"type": "thinking", "thinking": ""})
                self.message.append_thinking(block, event.thinking)
                self._thought = self._thought or bool(event.thinking)
            case SignatureDelta():
                self._block(event.index, {"type": "thinking", "thinking": ""})["signature"] = (
                    event.signature
                )
            case RedactedThinking():
                self._block(event.index, {"type": "redacted_thinking"})["data"] = event.data
            case ToolInputDelta():
                self._tool_json.setdefault(event.index, []).append(event.partial_json)
            case ToolUse():
                block = self._block(event.index, {"type": "tool_use"})
                block.update({"id": event.id, "name": event.name, "input": event.input})
                self._tool_json.pop(event.index, None)
            case CitationDelta():
                block = self._block(event.index, {"type": "text", "text": ""})
                block.setdefault("citations", []).append(event.citation)
            case UsageUpdate():
                self.message.usage = event.usage
            case StopReason():
                self.message.stop_reason = event.reason
            case MessageStopped():
                self._finish(MessageStatus.COMPLETE)
                if self.message.stop_reason == "pause_turn":
                    self.message.error = PAUSED_TURN
            case StreamFailed():
                self.fail(event.error)
            case Retrying() | KeyRefreshed():
                # Retries only happen before content arrived: drop this attempt's empty
                # blocks so the next attempt's block indexes line up again.
                started = sorted(self._positions.values(), reverse=True)
                for position in started:
                    if position == self._continue_target:
                        continue  # the reply being continued is not this attempt's block
                    if position < len(self.message.content) and not _block_has_content(
                        self.message.content[position]
                    ):
                        del self.message.content[position]
                self._positions.clear()
                self._tool_json.clear()
                self._continue_position = self._continue_target

    def fail(self, error: Exception) -> None:
        """End the reply with ``error``: partial content is kept and marked interrupted."""
        self.message.error = str(error)
        request_id = getattr(error, "request_id", None)
        if request_id:
            self.message.request_id = request_id
        if isinstance(error, CancelledReply) or self.has_content():
            self._finish(MessageStatus.INTERRUPTED)
        else:
            self._finish(MessageStatus.ERROR)

    def stop(self) -> None:
        """The user stopped the reply: keep what came, mark it stopped."""
        if self._held_back and not self.has_content():
            reason = "Stopped by you while it waited for the profile's rate limit; nothing was sent"
        else:
            reason = "Stopped by you; what arrived is kept"
        self.fail(CancelledReply(reason))
        self.message.stop_reason = self.message.stop_reason or "user_stopped"

    def has_content(self) -> bool:
        """True if any block holds something worth keeping."""
        return any(_block_has_content(b) for b in self.message.content)

    def _finish(self, status: MessageStatus) -> None:
        self.message.status = status
        self.message.duration_ms = round(max(0.0, time.monotonic() - self.started_at) * 1000, 1)
        if self.message.usage is None:
            self.message.usage = Usage()
        # Keep partial tool input so an interrupted call is visible and not silently lost.
        for index, pieces in self._tool_json.items():
            position = self._positions.get(index)
            if position is not None:
                self.message.content[position].setdefault("partial_json", "".join(pieces))
        self._tool_json.clear()

    def _block(self, index: int, initial: dict[str, Any]) -> dict[str, Any]:
        position = self._positions.get(index)
        if (
            position is None
            and self._continue_position is not None
            and initial.get("type") == "text"
        ):
            position = self._positions[index] = self._continue_position
            self._continue_position = None
        if position is None:
            position = len(self.message.content)
            self._positions[index] = position
            self.message.content.append(dict(initial))
        return self.message.content[position]


def _block_has_content(block: dict[str, Any]) -> bool:
    kind = block.get("type")
    if kind == "text":
        return bool(block.get("text"))
    if kind == "thinking":
        return bool(block.get("thinking"))
    return True

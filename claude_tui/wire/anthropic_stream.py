"""Turns Anthropic Messages SSE events into :mod:`claude_tui.wire.events`.

Pure and synchronous: the HTTP client feeds it ``(event name, data)`` pairs, so every
protocol rule (unknown events, pings, cumulative usage, tool JSON, error events) is tested
without a socket.
"""

from __future__ import annotations

import json
from typing import Any

from claude_tui.chat_message import Usage
from claude_tui.wire.errors import MalformedStreamError, StreamInterruptedError, error_for_event
from claude_tui.wire.events import (
    BlockStarted,
    BlockStopped,
    CitationDelta,
    MessageStarted,
    MessageStopped,
    RedactedThinking,
    SignatureDelta,
    StopReason,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolInputDelta,
    ToolUse,
    UsageUpdate,
)
from claude_tui.wire.surrogate_pairs import SurrogateJoiner

_TOOL_BLOCK_TYPES = frozenset({"tool_use", "server_tool_use"})


class AnthropicStreamParser:
    """Stateful parser for one streamed reply."""

    def __init__(self, request_id: str | None = None) -> None:
        self.request_id = request_id
        self.usage = Usage()
        self.finished = False
        self._tool_blocks: dict[int, dict[str, Any]] = {}
        self._tool_json: dict[int, list[str]] = {}
        self._joiner = SurrogateJoiner()  # an emoji split across two deltas is rejoined

    def feed(self, event_name: str, data: str) -> list[StreamEvent]:
        """Events for one SSE event; raises an :class:`ApiError` subclass on a fatal one."""
        if event_name == "ping" or (not data and event_name in ("", "message")):
            return []
        payload = self._decode(data)
        kind = payload.get("type", event_name)
        if kind == "error" or event_name == "error":
            raise error_for_event(payload, request_id=self.request_id)
        handler = getattr(self, f"_on_{kind}", None)
        if handler is None:
            return []  # unknown events are ignored by contract
        events: list[StreamEvent] = handler(payload)
        return events

    def finish(self) -> list[StreamEvent]:
        """Called at end of stream: raise if the reply never reached ``message_stop``.

        Returns the (no) events still due, so both parsers end the same way.
        """
        if not self.finished:
            raise StreamInterruptedError(
                "The connection closed before the reply finished; what arrived is kept, "
                "and you can continue or retry",
                request_id=self.request_id,
            )
        return []

    def flush_held(self) -> list[StreamEvent]:
        """U+FFFD deltas for surrogate halves still held back: the stream ended without
        their other half."""
        events: list[StreamEvent] = []
        for key in self._joiner.held_keys():
            assert isinstance(key, tuple)
            events.extend(self._flushed(*key))
        return events

    def _flushed(self, kind: str, index: int) -> list[StreamEvent]:
        text = self._joiner.flush((kind, index))
        if not text:
            return []
        return [TextDelta(index, text) if kind == "text" else ThinkingDelta(index, text)]

    def _decode(self, data: str) -> dict[str, Any]:
        try:
            payload = json.loads(data)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise self._malformed(
                f"an event whose data is not JSON ({exc.__class__.__name__})"
            ) from None
        if not isinstance(payload, dict):
            raise self._malformed("an event whose data is not a JSON object")
        return payload

    def _malformed(self, what: str) -> MalformedStreamError:
        return MalformedStreamError(
            f"The endpoint sent {what}; it may not speak the Anthropic Messages API "
            "(check the profile's api_format)",
            request_id=self.request_id,
        )

    def _index(self, payload: dict[str, Any]) -> int:
        index = payload.get("index")
        if not isinstance(index, int) or isinstance(index, bool) or index < 0:
            raise self._malformed("a content block event without a valid index")
        return index

    def _update_usage(self, raw: Any) -> None:
        if not isinstance(raw, dict):
            return
        for name in (
            "input_tokens",
            "output_tokens",
            "cache_creation_input_tokens",
            "cache_read_input_tokens",
        ):
            value = raw.get(name)
            if isinstance(value, int) and not isinstance(value, bool):
                setattr(self.usage, name, value)  # cumulative: overwrite, never add
        creation = raw.get("cache_creation")  # the write split by TTL, when the API gives it
        if isinstance(creation, dict):
            one_hour = creation.get("ephemeral_1h_input_tokens")
            if isinstance(one_hour, int) and not isinstance(one_hour, bool):
                self.usage.cache_creation_1h_input_tokens = one_hour

    def _snapshot(self) -> Usage:
        return Usage(**self.usage.to_json())

    def _on_message_start(self, payload: dict[str, Any]) -> list[StreamEvent]:
        message = payload.get("message")
        if not isinstance(message, dict):
            raise self._malformed("message_start without a message")
        self._update_usage(message.get("usage"))
        return [
            MessageStarted(
                message_id=message.get("id") if isinstance(message.get("id"), str) else None,
                model=message.get("model") if isinstance(message.get("model"), str) else None,
                usage=self._snapshot(),
                request_id=self.request_id,
            )
        ]

    def _on_content_block_start(self, payload: dict[str, Any]) -> list[StreamEvent]:
        index = self._index(payload)
        block = payload.get("content_block")
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            raise self._malformed("content_block_start without a typed block")
        kind = block["type"]
        started = dict(block)
        # Text already in the start block is sent as a delta, so the started block is
        # empty: otherwise a consumer that appends deltas to the block shows it twice.
        if kind == "text":
            started["text"] = ""
        elif kind == "thinking":
            started["thinking"] = ""
            if not isinstance(started.get("signature", ""), str):
                del started["signature"]
        events: list[StreamEvent] = [BlockStarted(index, started)]
        if kind == "redacted_thinking":
            events.append(RedactedThinking(index, str(block.get("data", ""))))
        elif kind in _TOOL_BLOCK_TYPES:
            self._tool_blocks[index] = block
            self._tool_json[index] = []
        elif kind == "text" and block.get("text"):
            events.append(TextDelta(index, self._joiner.join(("text", index), str(block["text"]))))
        elif kind == "thinking" and block.get("thinking"):
            thinking = self._joiner.join(("thinking", index), str(block["thinking"]))
            events.append(ThinkingDelta(index, thinking))
        return events

    def _on_content_block_delta(self, payload: dict[str, Any]) -> list[StreamEvent]:
        index = self._index(payload)
        delta = payload.get("delta")
        if not isinstance(delta, dict):
            raise self._malformed("content_block_delta without a delta")
        kind = delta.get("type")
        if kind == "text_delta":
            return [TextDelta(index, self._joiner.join(("text", index), _string(delta, "text")))]
        if kind == "thinking_delta":
            thinking = self._joiner.join(("thinking", index), _string(delta, "thinking"))
            return [ThinkingDelta(index, thinking)]
        if kind == "signature_delta":
            return [SignatureDelta(index, _string(delta, "signature"))]
        if kind == "input_json_delta":
            piece = _string(delta, "partial_json")
            self._tool_json.setdefault(index, []).append(piece)
            return [ToolInputDelta(index, piece)]
        if kind == "citations_delta" and isinstance(delta.get("citation"), dict):
            return [CitationDelta(index, dict(delta["citation"]))]
        return []  # future delta types: nothing to render yet

    def _on_content_block_stop(self, payload: dict[str, Any]) -> list[StreamEvent]:
        index = self._index(payload)
        events: list[StreamEvent] = [
            *self._flushed("text", index),
            *self._flushed("thinking", index),
        ]
        if index in self._tool_blocks:
            block = self._tool_blocks.pop(index)
            raw = "".join(self._tool_json.pop(index, []))
            given = block.get("input")
            tool_input: dict[str, Any] = given if isinstance(given, dict) else {}
            if raw.strip():
                try:
                    parsed = json.loads(raw)
                except (json.JSONDecodeError, RecursionError) as exc:
                    raise self._malformed("a tool call whose input is not valid JSON") from exc
                tool_input = parsed if isinstance(parsed, dict) else {"value": parsed}
            events.append(
                ToolUse(index, str(block.get("id", "")), str(block.get("name", "")), tool_input)
            )
        events.append(BlockStopped(index))
        return events

    def _on_message_delta(self, payload: dict[str, Any]) -> list[StreamEvent]:
        events: list[StreamEvent] = []
        if "usage" in payload:
            self._update_usage(payload.get("usage"))
            events.append(UsageUpdate(self._snapshot()))
        delta = payload.get("delta")
        if isinstance(delta, dict) and isinstance(delta.get("stop_reason"), str):
            sequence = delta.get("stop_sequence")
            events.append(
                StopReason(delta["stop_reason"], sequence if isinstance(sequence, str) else None)
            )
        return events

    def _on_message_stop(self, payload: dict[str, Any]) -> list[StreamEvent]:
        self.finished = True
        return [*self.flush_held(), MessageStopped()]


def _string(delta: dict[str, Any], key: str) -> str:
    value = delta.get(key, "")
    return value if isinstance(value, str) else str(value)

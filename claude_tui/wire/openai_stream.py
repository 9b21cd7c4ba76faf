"""Turns OpenAI Chat Completions stream chunks into the same events as the Anthropic parser.

Reasoning arrives as ``reasoning_content`` (DeepSeek style), ``reasoning`` (OpenRouter,
newer vLLM) or ``<think>`` tags inside ``content``; all three become a thinking block, so the
UI has one viewer. Content blocks are numbered in order of appearance.
"""

from __future__ import annotations

import json
from typing import Any

from claude_tui.chat_message import Usage
from claude_tui.wire.errors import MalformedStreamError, StreamInterruptedError, error_for_event
from claude_tui.wire.events import (
    BlockStarted,
    BlockStopped,
    MessageStarted,
    MessageStopped,
    StopReason,
    StreamEvent,
    TextDelta,
    ThinkingDelta,
    ToolInputDelta,
    ToolUse,
    UsageUpdate,
)
from claude_tui.wire.surrogate_pairs import REPLACEMENT, SurrogateJoiner
from claude_tui.wire.think_tag_splitter import ThinkTagSplitter

FINISH_REASONS = {
    "stop": "end_turn",
    "length": "max_tokens",
    "tool_calls": "tool_use",
    "function_call": "tool_use",
    "content_filter": "refusal",
}


class OpenAIStreamParser:
    """Stateful parser for one streamed chat completion."""

    def __init__(self, request_id: str | None = None) -> None:
        self.request_id = request_id
        self.usage = Usage()
        self.finished = False
        self._started = False
        self._finish_reason_seen = False
        self._next_index = 0
        self._open: tuple[str, int] | None = None  # (kind, index) of the open text/thinking block
        self._tools: dict[int, dict[str, Any]] = {}  # tool-call index -> {index, id, name, args}
        self._splitter = ThinkTagSplitter()
        self._joiner = SurrogateJoiner()  # keys "reasoning" and "content": the two fields

    def feed(self, event_name: str, data: str) -> list[StreamEvent]:
        """Events for one SSE event; raises an ApiError subclass on fatal ones.

        Chat Completions chunks are unnamed, so ``event_name`` is not read; an event with no
        data (a bare ``event:`` line some relays send) is nothing.
        """
        if not data:
            return []
        if data.strip() == "[DONE]":
            return self._finish_events()
        try:
            payload = json.loads(data)
        except (json.JSONDecodeError, RecursionError):
            raise self._malformed("a chunk whose data is not JSON") from None
        if not isinstance(payload, dict):
            raise self._malformed("a chunk whose data is not a JSON object")
        if "error" in payload:
            raise error_for_event(payload, request_id=self.request_id)
        events: list[StreamEvent] = []
        if not self._started:
            self._started = True
            model = payload.get("model")
            chunk_id = payload.get("id")
            events.append(
                MessageStarted(
                    message_id=chunk_id if isinstance(chunk_id, str) else None,
                    model=model if isinstance(model, str) else None,
                    usage=Usage(),
                    request_id=self.request_id,
                )
            )
        choices = payload.get("choices")
        if isinstance(choices, list):
            for choice in choices:
                if isinstance(choice, dict) and choice.get("index", 0) == 0:
                    events.extend(self._on_choice(choice))
        usage = payload.get("usage")
        if isinstance(usage, dict):
            self._read_usage(usage)
            events.append(UsageUpdate(Usage(**self.usage.to_json())))
        return events

    def finish(self) -> list[StreamEvent]:
        """End of stream: complete if a finish reason or [DONE] came, else interrupted."""
        if self.finished:
            return []
        if self._finish_reason_seen:
            return self._finish_events()
        raise StreamInterruptedError(
            "The connection closed before the reply finished; what arrived is kept, "
            "and you can continue or retry",
            request_id=self.request_id,
        )

    def _malformed(self, what: str) -> MalformedStreamError:
        return MalformedStreamError(
            f"The endpoint sent {what}; it may not speak the OpenAI Chat Completions API "
            "(check the profile's api_format)",
            request_id=self.request_id,
        )

    def _on_choice(self, choice: dict[str, Any]) -> list[StreamEvent]:
        events: list[StreamEvent] = []
        delta = choice.get("delta")
        if isinstance(delta, dict):
            # Servers moving between the two names (vLLM) send both with the same text:
            # read one, or the thinking shows twice.
            for key in ("reasoning_content", "reasoning"):
                reasoning = delta.get(key)
                if isinstance(reasoning, str) and reasoning:
                    events.extend(self._flush_field("content"))
                    reasoning = self._joiner.join("reasoning", reasoning)
                    if reasoning:
                        events.extend(self._append("thinking", reasoning))
                    break
            content = delta.get("content")
            if isinstance(content, str) and content:
                events.extend(self._flush_field("reasoning"))
                events.extend(self._content(self._joiner.join("content", content)))
            tool_calls = delta.get("tool_calls")
            if isinstance(tool_calls, list):
                for call in tool_calls:
                    if isinstance(call, dict):
                        events.extend(self._on_tool_call(call))
        reason = choice.get("finish_reason")
        if isinstance(reason, str) and reason:
            self._finish_reason_seen = True
            events.extend(self.flush_held())
            events.extend(self._flush_splitter())
            events.append(StopReason(FINISH_REASONS.get(reason, reason)))
        return events

    def flush_held(self) -> list[StreamEvent]:
        """U+FFFD for surrogate halves still held back (their pair never came)."""
        return [*self._flush_field("reasoning"), *self._flush_field("content")]

    def _flush_field(self, field: str) -> list[StreamEvent]:
        if not self._joiner.flush(field):
            return []
        if field == "reasoning":
            return self._append("thinking", REPLACEMENT)
        return self._content(REPLACEMENT)

    def _content(self, content: str) -> list[StreamEvent]:
        events: list[StreamEvent] = []
        if content:
            for kind, piece in self._splitter.feed(content):
                events.extend(self._append(kind, piece))
        return events

    def _append(self, kind: str, text: str) -> list[StreamEvent]:
        events: list[StreamEvent] = []
        if self._open is None or self._open[0] != kind:
            events.extend(self._close_open())
            index = self._next_index
            self._next_index += 1
            self._open = (kind, index)
            block: dict[str, Any] = (
                {"type": "thinking", "thinking": ""}
                if kind == "thinking"
                else {"type": "text", "text": ""}
            )
            events.append(BlockStarted(index, block))
        index = self._open[1]
        events.append(ThinkingDelta(index, text) if kind == "thinking" else TextDelta(index, text))
        return events

    def _close_open(self) -> list[StreamEvent]:
        if self._open is None:
            return []
        index = self._open[1]
        self._open = None
        return [BlockStopped(index)]

    def _on_tool_call(self, call: dict[str, Any]) -> list[StreamEvent]:
        position = call.get("index", 0)
        position = position if isinstance(position, int) else 0
        events: list[StreamEvent] = []
        tool = self._tools.get(position)
        function = call.get("function") if isinstance(call.get("function"), dict) else {}
        assert isinstance(function, dict)
        if tool is None:
            events.extend(self._close_open())
            tool = {"index": self._next_index, "id": "", "name": "", "args": []}
            self._next_index += 1
            self._tools[position] = tool
            tool["id"] = str(call.get("id") or "")
            tool["name"] = str(function.get("name") or "")
            events.append(
                BlockStarted(
                    tool["index"],
                    {"type": "tool_use", "id": tool["id"], "name": tool["name"], "input": {}},
                )
            )
        arguments = function.get("arguments")
        if isinstance(arguments, str) and arguments:
            tool["args"].append(arguments)
            events.append(ToolInputDelta(tool["index"], arguments))
        return events

    def _flush_splitter(self) -> list[StreamEvent]:
        events: list[StreamEvent] = []
        for kind, piece in self._splitter.flush():
            events.extend(self._append(kind, piece))
        return events

    def _finish_events(self) -> list[StreamEvent]:
        if self.finished:
            return []
        self.finished = True
        events = self.flush_held()
        events.extend(self._flush_splitter())
        events.extend(self._close_open())
        for tool in self._tools.values():
            raw = "".join(tool["args"])
            try:
                parsed = json.loads(raw) if raw.strip() else {}
            except (json.JSONDecodeError, RecursionError):
                parsed = {"_unparsed_arguments": raw}
            tool_input = parsed if isinstance(parsed, dict) else {"value": parsed}
            events.append(ToolUse(tool["index"], tool["id"], tool["name"], tool_input))
            events.append(BlockStopped(tool["index"]))
        self._tools.clear()
        events.append(MessageStopped())
        return events

    def _read_usage(self, usage: dict[str, Any]) -> None:
        prompt = usage.get("prompt_tokens")
        completion = usage.get("completion_tokens")
        details = usage.get("prompt_tokens_details")
        details = details if isinstance(details, dict) else {}
        # prompt_tokens counts every prompt token; the details say how many of them were
        # read from the cache (OpenAI, OpenRouter) or written to it (OpenRouter, for Claude).
        cached = _count(details.get("cached_tokens"))
        written = _count(details.get("cache_write_tokens"))
        if isinstance(prompt, int):
            self.usage.input_tokens = max(prompt - cached - written, 0)
            self.usage.cache_read_input_tokens = cached
            self.usage.cache_creation_input_tokens = written
        if isinstance(completion, int):
            self.usage.output_tokens = completion


def _count(value: Any) -> int:
    """A token count from a usage detail; anything but a whole number counts as 0."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0

"""The vocabulary shared by the reply renderers and the connection that plays them.

A renderer turns a composed reply into a sequence of steps (bytes to send, pauses, an abort)
without touching a socket; the server plays the steps. That keeps the wire formats testable as
plain generators and puts all pacing decisions (``slow``, ``stall``, ``cut``) in one place.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from claude_tui.demo.fault_modes import ReplyPlan

STALL_AFTER_DELTAS = 3
"""How many deltas a ``stall`` reply sends before going silent."""


@dataclass(frozen=True, slots=True)
class Pause:
    """Flush what was sent so far, then wait."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Abort:
    """Flush, then drop the TCP connection without finishing the body."""


Step = bytes | Pause | Abort


def sse_event(name: str | None, data: Mapping[str, Any] | str) -> bytes:
    """One server-sent event; ``name=None`` leaves out the ``event:`` line (OpenAI style).

    Text holding half of a surrogate pair (``[demo:split_surrogate]``) cannot be UTF-8, so
    such an event is sent with ``\\uXXXX`` escapes, as relays that split UTF-16 do.
    """
    head = f"event: {name}\n" if name else ""
    if isinstance(data, str):
        return f"{head}data: {data}\n\n".encode()
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        return f"{head}data: {payload}\n\n".encode()
    except UnicodeEncodeError:
        payload = json.dumps(data, separators=(",", ":"))
        return f"{head}data: {payload}\n\n".encode()


class DeltaPacer:
    """Decides the pauses between deltas and where an interrupted reply breaks off."""

    def __init__(self, plan: ReplyPlan, default_delay: float, text_deltas: int) -> None:
        if plan.delta_delay is not None:
            self.delay = plan.delta_delay
        else:
            # ``long`` and ``markdown`` exist to stress the client: sent as fast as possible.
            stress = plan.long_tokens or plan.markdown_tokens
            self.delay = 0.0 if stress else default_delay
        self._stall = plan.stall_seconds
        self._sent = 0
        self.interrupt_at: int | None = None
        """Number of text deltas sent before a ``cut``, ``error_event`` or hang interrupts."""
        if plan.cut or plan.error_event or plan.hang:
            self.interrupt_at = min(text_deltas, max(1, text_deltas * 2 // 5))

    def after_delta(self) -> Iterator[Pause]:
        """The pause, if any, that follows the delta just emitted."""
        self._sent += 1
        if self._stall and self._sent == STALL_AFTER_DELTAS:
            yield Pause(self._stall)
        elif self.delay > 0:
            yield Pause(self.delay)


def typed_event(data: Mapping[str, Any]) -> bytes:
    """A Messages API event, named by its own ``type``."""
    return sse_event(str(data["type"]), data)


def message_shell(
    model: str, input_tokens: int, usage_fields: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """The ``message`` of a Messages API ``message_start``: empty content, the input usage
    (with ``usage_fields`` such as the cache's figures) and one output token so far."""
    usage: dict[str, Any] = {"input_tokens": input_tokens, **(usage_fields or {})}
    usage["output_tokens"] = 1
    return {
        "id": f"msg_demo_{secrets.token_hex(12)}",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": usage,
    }

"""What one request asks for, independent of the API format that will carry it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from claude_tui.chat_message import ChatMessage
from claude_tui.history_summary import HistorySummary
from claude_tui.wire.tool_specs import ToolSpec

Thinking = str | int  # "off" | "adaptive" | a budget in tokens


class AttachmentSource(Protocol):
    """Where the bytes of attachment blocks are read when a body is built (the blob store).

    Only the body builders call it, never an estimate: trimming and the context meter read
    a block's ``tokens`` instead (see ``attachment_blocks``).
    """

    def read(self, sha256: str) -> bytes:
        """The bytes named ``sha256``; ``FileNotFoundError`` when they are gone."""
        ...


@dataclass
class ChatRequest:
    """A conversation to continue, with the settings for this one request.

    ``history`` is the whole saved conversation; the request builders decide what is sent
    (thinking signatures stripped for another model, failed turns skipped, trimming).
    ``prefill`` is the partial assistant text to continue, when resuming a cut reply.
    ``summary`` (``/compact``) stands in for the history messages it replaced: they are
    not sent, the summary opens the first user turn instead (see ``sent_history``).
    """

    history: list[ChatMessage]
    model: str
    max_tokens: int = 8192
    system: str | None = None
    thinking: Thinking = "off"
    effort: str | None = None
    temperature: float | None = None
    max_messages: int = 0
    context_window: int = 0
    prefill: str | None = None
    extra_body: dict[str, object] = field(default_factory=dict)
    attachments: AttachmentSource | None = None
    """Where attachment bytes are read; None reads the store under the data folder."""
    cache: str = "off"
    """Prompt caching: ``"auto"`` (5-minute breakpoints), ``"1h"`` or ``"off"`` (see
    :mod:`claude_tui.wire.prompt_cache`)."""
    summary: HistorySummary | None = None
    tools: tuple[ToolSpec, ...] = ()
    """Tools offered to the model (none: the request has no ``tools``)."""
    server_tools: tuple[str, ...] = ()
    """Claude's server tools offered (the profile's ``server_tools``; Anthropic format only,
    see :mod:`claude_tui.wire.server_tools`)."""

    @property
    def thinking_enabled(self) -> bool:
        """True when the model is asked to think (a budget or adaptive)."""
        return self.thinking not in ("off", 0, None)

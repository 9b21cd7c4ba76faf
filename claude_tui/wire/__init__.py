"""The wire layer: talking to a model endpoint, whatever API format it speaks.

Other layers (conversation, UI, command line) import only from here: a
:class:`ChatClient` per profile streams the reply to a :class:`ChatRequest` as typed
events (:data:`StreamEvent`), a :class:`MessageAccumulator` folds them into the saved
message, failures are :class:`ApiError` subclasses with a message a user can act on, and the
``estimate_*`` helpers count tokens where the endpoint cannot. What differs between the
formats stays behind :class:`ApiFormat`.

Names load on first use (PEP 562): the client pulls in httpx, which the UI keeps off its
launch and loads with the first reply, so importing this package costs almost nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claude_tui.wire.accumulator import MessageAccumulator
    from claude_tui.wire.api_format import ApiFormat, StreamParser, api_format_for, api_format_of
    from claude_tui.wire.attachment_blocks import AttachmentNotSentError
    from claude_tui.wire.chat_client import ChatClient
    from claude_tui.wire.chat_request import AttachmentSource, ChatRequest, Thinking
    from claude_tui.wire.context_trim import SentHistory, sent_history
    from claude_tui.wire.errors import (
        ApiError,
        AuthenticationError,
        BadRequestError,
        BillingError,
        CancelledReply,
        ConflictError,
        ConnectionFailedError,
        CrossOriginRedirectError,
        HttpStatusError,
        KeyUnavailableError,
        MalformedStreamError,
        NotFoundError,
        OverloadedError,
        PermissionDeniedError,
        RateLimitError,
        RedirectRefusedError,
        ReplyTimeoutError,
        RequestTimeoutError,
        RequestTooLargeError,
        ServerError,
        StreamErrorEvent,
        StreamInterruptedError,
        StreamTooLargeError,
        UnexpectedResponseError,
    )
    from claude_tui.wire.events import (
        CONTENT_EVENTS,
        BlockStarted,
        BlockStopped,
        CitationDelta,
        FailedOver,
        KeyRefreshed,
        KeyRested,
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
    from claude_tui.wire.profile_get import ProfileGet
    from claude_tui.wire.profile_http import shared_ssl_context
    from claude_tui.wire.request_gate import RequestGate
    from claude_tui.wire.request_record import RequestObserver, RequestRecord, keep_recent_bodies
    from claude_tui.wire.server_tools import SERVER_RESULT_BLOCKS
    from claude_tui.wire.token_estimate import (
        CHARS_PER_TOKEN,
        estimate_first_request_tokens,
        estimate_message_tokens,
        estimate_request_tokens,
        estimate_text_tokens,
    )
    from claude_tui.wire.tool_specs import ToolSpec

_HOMES: dict[str, tuple[str, ...]] = {
    "accumulator": ("MessageAccumulator",),
    "api_format": ("ApiFormat", "StreamParser", "api_format_for", "api_format_of"),
    "chat_client": ("ChatClient",),
    "profile_http": ("shared_ssl_context",),
    "attachment_blocks": ("AttachmentNotSentError",),
    "chat_request": ("AttachmentSource", "ChatRequest", "Thinking"),
    "context_trim": ("SentHistory", "sent_history"),
    "request_gate": ("RequestGate",),
    "tool_specs": ("ToolSpec",),
    "server_tools": ("SERVER_RESULT_BLOCKS",),
    "profile_get": ("ProfileGet",),
    "request_record": ("RequestObserver", "RequestRecord", "keep_recent_bodies"),
    "errors": (
        "ApiError",
        "AuthenticationError",
        "BadRequestError",
        "BillingError",
        "CancelledReply",
        "ConflictError",
        "ConnectionFailedError",
        "CrossOriginRedirectError",
        "HttpStatusError",
        "KeyUnavailableError",
        "MalformedStreamError",
        "NotFoundError",
        "OverloadedError",
        "PermissionDeniedError",
        "RateLimitError",
        "RedirectRefusedError",
        "ReplyTimeoutError",
        "RequestTimeoutError",
        "RequestTooLargeError",
        "ServerError",
        "StreamErrorEvent",
        "StreamInterruptedError",
        "StreamTooLargeError",
        "UnexpectedResponseError",
    ),
    "events": (
        "CONTENT_EVENTS",
        "BlockStarted",
        "BlockStopped",
        "CitationDelta",
        "FailedOver",
        "KeyRefreshed",
        "KeyRested",
        "MessageStarted",
        "MessageStopped",
        "RateLimitWait",
        "RedactedThinking",
        "Retrying",
        "SignatureDelta",
        "StopReason",
        "StreamEvent",
        "StreamFailed",
        "TextDelta",
        "ThinkingDelta",
        "ToolInputDelta",
        "ToolUse",
        "UsageUpdate",
    ),
    "token_estimate": (
        "CHARS_PER_TOKEN",
        "estimate_message_tokens",
        "estimate_request_tokens",
        "estimate_first_request_tokens",
        "estimate_text_tokens",
    ),
}
"""Which submodule holds each public name (loaded when the name is first asked for)."""

_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "CHARS_PER_TOKEN",
    "CONTENT_EVENTS",
    "SERVER_RESULT_BLOCKS",
    "ApiError",
    "ApiFormat",
    "AttachmentNotSentError",
    "AttachmentSource",
    "AuthenticationError",
    "BadRequestError",
    "BillingError",
    "BlockStarted",
    "BlockStopped",
    "CancelledReply",
    "ChatClient",
    "ChatRequest",
    "CitationDelta",
    "ConflictError",
    "ConnectionFailedError",
    "CrossOriginRedirectError",
    "FailedOver",
    "HttpStatusError",
    "KeyRefreshed",
    "KeyRested",
    "KeyUnavailableError",
    "MalformedStreamError",
    "MessageAccumulator",
    "MessageStarted",
    "MessageStopped",
    "NotFoundError",
    "OverloadedError",
    "PermissionDeniedError",
    "ProfileGet",
    "RateLimitError",
    "RateLimitWait",
    "RedactedThinking",
    "RedirectRefusedError",
    "ReplyTimeoutError",
    "RequestGate",
    "RequestObserver",
    "RequestRecord",
    "RequestTimeoutError",
    "RequestTooLargeError",
    "Retrying",
    "SentHistory",
    "ServerError",
    "SignatureDelta",
    "StopReason",
    "StreamErrorEvent",
    "StreamEvent",
    "StreamFailed",
    "StreamInterruptedError",
    "StreamParser",
    "StreamTooLargeError",
    "TextDelta",
    "Thinking",
    "ThinkingDelta",
    "ToolInputDelta",
    "ToolSpec",
    "ToolUse",
    "UnexpectedResponseError",
    "UsageUpdate",
    "api_format_for",
    "api_format_of",
    "estimate_first_request_tokens",
    "estimate_message_tokens",
    "estimate_request_tokens",
    "estimate_text_tokens",
    "keep_recent_bodies",
    "sent_history",
    "shared_ssl_context",
]


def __getattr__(name: str) -> Any:
    """Load the submodule holding ``name`` the first time it is asked for."""
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

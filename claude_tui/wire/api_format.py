"""What the client needs of an API format, so ``chat_client`` never asks which one it speaks.

An :class:`ApiFormat` knows its URLs, its request bodies, its own headers and how to read its
stream (a fresh :class:`StreamParser` per reply); :func:`api_format_for` picks the one a
profile names, once, from a small table. Adding a format is one class and one table row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from claude_tui.wire.anthropic_format import AnthropicFormat
from claude_tui.wire.openai_format import OpenAIFormat

if TYPE_CHECKING:
    from claude_tui.profiles.profile import Profile
    from claude_tui.wire.chat_request import ChatRequest
    from claude_tui.wire.events import StreamEvent


class StreamParser(Protocol):
    """Turns one reply's server-sent events into :mod:`~claude_tui.wire.events`.

    Pure and synchronous; raises an ``ApiError`` subclass on a fatal event.
    """

    request_id: str | None
    finished: bool
    """True once the reply's end arrived: the reader stops there."""

    def feed(self, event_name: str, data: str) -> list[StreamEvent]:
        """The events for one SSE event (its name is ``message`` when none was given)."""
        ...

    def finish(self) -> list[StreamEvent]:
        """The events still due at the end of the stream; raises if the reply was cut."""
        ...

    def flush_held(self) -> list[StreamEvent]:
        """U+FFFD deltas for surrogate halves held back when the stream ends badly."""
        ...


class ApiFormat(Protocol):
    """One wire format (Anthropic Messages, OpenAI Chat Completions)."""

    def stream_url(self, base_url: str) -> str:
        """Where a streamed reply is requested."""
        ...

    def body(self, request: ChatRequest) -> dict[str, Any]:
        """The JSON body of a streamed request."""
        ...

    def headers(self, profile: Profile) -> dict[str, str]:
        """Headers this format adds to every request (none for OpenAI)."""
        ...

    def new_parser(self, request_id: str | None) -> StreamParser:
        """A parser for one reply."""
        ...

    def models_url(self, base_url: str) -> str:
        """Where the model list is."""
        ...

    def models_query(self, previous_page: dict[str, Any] | None) -> dict[str, str] | None:
        """Query parameters for the next page of models (``None`` before the first page),
        or None when ``previous_page`` was the last."""
        ...

    def count_tokens_call(
        self, base_url: str, request: ChatRequest
    ) -> tuple[str, dict[str, Any]] | None:
        """URL and body that count ``request``'s input tokens; None where the API cannot."""
        ...


API_FORMATS: dict[str, ApiFormat] = {"anthropic": AnthropicFormat(), "openai": OpenAIFormat()}
"""Each ``api_format`` a profile may name, and the format object that speaks it."""


def api_format_of(profile: Profile) -> ApiFormat:
    """The format ``profile`` speaks, set up for its endpoint (the thinking dialect an
    ``openai`` profile names)."""
    if profile.api_format == "openai":
        return OpenAIFormat(profile.openai_thinking_dialect)
    return api_format_for(profile.api_format)


def api_format_for(name: str) -> ApiFormat:
    """The format a profile's ``api_format`` names (validated when the profile loads)."""
    try:
        return API_FORMATS[name]
    except KeyError:
        raise ValueError(
            f'Unknown api_format {name!r}: use "anthropic" or "openai" in the profile'
        ) from None

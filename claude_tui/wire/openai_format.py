"""OpenAI Chat Completions as an :class:`~claude_tui.wire.api_format.ApiFormat`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from claude_tui.profiles.profile import Profile
from claude_tui.profiles.profile_values import OpenAIThinkingDialect
from claude_tui.wire.chat_request import ChatRequest
from claude_tui.wire.endpoint_urls import openai_url
from claude_tui.wire.openai_request import openai_body
from claude_tui.wire.openai_stream import OpenAIStreamParser


@dataclass(frozen=True)
class OpenAIFormat:
    """``/v1/chat/completions`` with unnamed ``data:`` chunks; one page of models; no count.

    ``thinking_dialect`` is how this endpoint is asked for thinking (the profile's
    ``thinking_dialect``, ``auto`` resolved): Chat Completions has no one standard field.
    """

    thinking_dialect: OpenAIThinkingDialect = "reasoning_effort"

    def stream_url(self, base_url: str) -> str:
        return openai_url(base_url, "chat/completions")

    def body(self, request: ChatRequest) -> dict[str, Any]:
        return openai_body(request, self.thinking_dialect)

    def headers(self, profile: Profile) -> dict[str, str]:
        return {}

    def new_parser(self, request_id: str | None) -> OpenAIStreamParser:
        return OpenAIStreamParser(request_id)

    def models_url(self, base_url: str) -> str:
        return openai_url(base_url, "models")

    def models_query(self, previous_page: dict[str, Any] | None) -> dict[str, str] | None:
        return {} if previous_page is None else None

    def count_tokens_call(
        self, base_url: str, request: ChatRequest
    ) -> tuple[str, dict[str, Any]] | None:
        return None  # Chat Completions has no counting endpoint: the caller estimates

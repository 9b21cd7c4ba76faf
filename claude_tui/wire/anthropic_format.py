"""The Anthropic Messages API as an :class:`~claude_tui.wire.api_format.ApiFormat`."""

from __future__ import annotations

from typing import Any

from claude_tui.profiles.profile import Profile
from claude_tui.wire.anthropic_request import ANTHROPIC_VERSION, anthropic_body, count_tokens_body
from claude_tui.wire.anthropic_stream import AnthropicStreamParser
from claude_tui.wire.chat_request import ChatRequest
from claude_tui.wire.endpoint_urls import anthropic_url
from claude_tui.wire.server_tools import merged_betas

MODELS_PAGE_SIZE = "1000"


class AnthropicFormat:
    """``/v1/messages`` with named SSE events, paged ``/v1/models`` and token counting."""

    def stream_url(self, base_url: str) -> str:
        return anthropic_url(base_url, "messages")

    def body(self, request: ChatRequest) -> dict[str, Any]:
        return anthropic_body(request)

    def headers(self, profile: Profile) -> dict[str, str]:
        headers = {"anthropic-version": ANTHROPIC_VERSION}
        betas = merged_betas(profile.anthropic_beta, profile.server_tools)
        if betas:
            headers["anthropic-beta"] = ",".join(betas)
        return headers

    def new_parser(self, request_id: str | None) -> AnthropicStreamParser:
        return AnthropicStreamParser(request_id)

    def models_url(self, base_url: str) -> str:
        return anthropic_url(base_url, "models")

    def models_query(self, previous_page: dict[str, Any] | None) -> dict[str, str] | None:
        if previous_page is None:
            return {"limit": MODELS_PAGE_SIZE}
        if previous_page.get("has_more") and previous_page.get("last_id"):
            return {"limit": MODELS_PAGE_SIZE, "after_id": str(previous_page["last_id"])}
        return None

    def count_tokens_call(
        self, base_url: str, request: ChatRequest
    ) -> tuple[str, dict[str, Any]] | None:
        return anthropic_url(base_url, "messages/count_tokens"), count_tokens_body(request)

"""One small real request to a profile's endpoint, and its model list: whether it works.

Shared by ``claude-tui profiles test`` and the profile manager's test button, so both try an
endpoint the same way; the report's :meth:`ProfileTestReport.lines` are what they print.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from claude_tui.chat_message import ChatMessage
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.profiles import Profile, key_failure_detail
from claude_tui.wire import (
    ApiError,
    ChatRequest,
    MessageStarted,
    MessageStopped,
    StreamFailed,
    TextDelta,
    ThinkingDelta,
)

TEST_PROMPT = "Reply with one short sentence to confirm you can hear me."


@dataclass
class ProfileTestReport:
    """What one test request found."""

    profile: str
    ok: bool = False
    status: str = ""
    latency_ms: float | None = None
    ttft_ms: float | None = None
    reply: str = ""
    models: list[str] = field(default_factory=list)
    models_error: str | None = None

    def lines(self) -> list[str]:
        """Human-readable report."""
        out = [f"profile {self.profile}: {self.status}"]
        if self.latency_ms is not None:
            out.append(f"  latency to first event: {self.latency_ms:.0f} ms")
        if self.ttft_ms is not None:
            out.append(f"  time to first token:    {self.ttft_ms:.0f} ms")
        if self.reply:
            out.append(f"  reply: {' '.join(self.reply.split())[:200]}")  # one line
        if self.models:
            out.append(f"  models ({len(self.models)}): {', '.join(self.models[:20])}")
        elif self.models_error:
            out.append(f"  models: {self.models_error}")
        return out


async def run_profile_test(profile: Profile) -> ProfileTestReport:
    """Send one small real request and fetch the model list."""
    report = ProfileTestReport(profile=profile.name)
    pool = EndpointPool()
    client = pool.client(profile)
    request = ChatRequest(
        history=[ChatMessage.user(TEST_PROMPT)], model=profile.model, max_tokens=64
    )
    started = time.monotonic()
    try:
        async for event in client.stream(request):
            if isinstance(event, MessageStarted) and report.latency_ms is None:
                report.latency_ms = (time.monotonic() - started) * 1000
            elif isinstance(event, TextDelta | ThinkingDelta):
                # A reasoning model's first token is thinking (as in the message's ttft_ms).
                if report.ttft_ms is None:
                    report.ttft_ms = (time.monotonic() - started) * 1000
                if isinstance(event, TextDelta):
                    report.reply += event.text
            elif isinstance(event, MessageStopped):
                report.ok = True
                report.status = "OK"
            elif isinstance(event, StreamFailed):
                report.status = f"FAILED: {event.error}"
                detail = key_failure_detail(event.error)  # masked, shown, never saved
                report.status += f" (it said: {detail})" if detail else ""
        try:
            report.models = [m["id"] for m in await client.list_models()]
        except ApiError as exc:
            report.models_error = f"not available ({exc})"
            report.models = list(profile.models)
    finally:
        await pool.aclose()
    return report

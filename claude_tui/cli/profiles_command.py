"""``claude-tui profiles list|test``: see what is configured and check an endpoint works.

Every line is printed through :func:`safe_for_terminal`: profile names, model ids, replies
and server error messages come from outside and may carry terminal control sequences.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from claude_tui.chat_message import ChatMessage
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.profiles import Config, Profile, key_failure_detail, load_config, mask_key
from claude_tui.terminal_text import safe_for_terminal
from claude_tui.wire.chat_request import ChatRequest
from claude_tui.wire.errors import ApiError
from claude_tui.wire.events import (
    MessageStarted,
    MessageStopped,
    StreamFailed,
    TextDelta,
    ThinkingDelta,
)

TEST_PROMPT = "Reply with one short sentence to confirm you can hear me."


def build_parser() -> argparse.ArgumentParser:
    """The ``profiles`` subcommand's parser."""
    parser = argparse.ArgumentParser(prog="claude-tui profiles", description="Endpoint profiles.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list profiles (keys masked)")
    test = commands.add_parser("test", help="send one real request and report on it")
    test.add_argument("name", nargs="?", help="profile name (default: the default profile)")
    return parser


def run_profiles_command(argv: Sequence[str]) -> int:
    """Run one ``profiles`` command; returns the exit code."""
    args = build_parser().parse_args(list(argv))
    config = load_config()
    for warning in config.warnings:
        print(f"claude-tui: warning: {safe_for_terminal(warning)}", file=sys.stderr)
    if args.command == "list":
        for line in describe_profiles(config):
            print(safe_for_terminal(line))
        return 0
    profile = config.profile(args.name or config.default_profile_name)
    report = asyncio.run(test_profile(profile))
    for line in report.lines():
        print(safe_for_terminal(line))
    return 0 if report.ok else 1


def key_description(profile: Profile) -> str:
    """Where the key comes from, masked: never the key itself."""
    if profile.is_demo or not profile.needs_key:
        return "no key"
    if profile.api_key_command:
        return f"command `{profile.api_key_command}`"
    if profile.api_key_env:
        value = os.environ.get(profile.api_key_env)
        state = mask_key(value) if value else "NOT SET"
        return f"${profile.api_key_env} ({state})"
    if profile.api_key:
        return f"inline ({mask_key(profile.api_key)})"
    return "no key source"


def describe_profiles(config: Config) -> list[str]:
    """One block per profile for ``profiles list``."""
    lines: list[str] = []
    for name, profile in config.profiles.items():
        marker = "*" if name == config.default_profile_name else " "
        base = "built-in loopback relay" if profile.is_demo else profile.base_url
        lines.append(f"{marker} {name}")
        lines.append(f"    {profile.api_format} at {base}")
        auth = profile.auth_header or profile.auth
        lines.append(
            f"    model {profile.model}, thinking {profile.thinking_label}, "
            f"auth {auth}, key {key_description(profile)}"
        )
    lines.append("(* = default profile)")
    return lines


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


async def test_profile(profile: Profile) -> ProfileTestReport:
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

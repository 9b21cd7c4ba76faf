"""A tool host of a few lines for the tool loop's tests (the protocol, not MCP)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from claude_tui.conversation.tool_host import Approval, ToolCall, ToolOutcome
from claude_tui.profiles import Profile
from claude_tui.wire import ToolSpec

ECHO = ToolSpec(
    "files__read",
    "Read a file",
    {
        "type": "object",
        "properties": {"path": {"type": "string"}, "lines": {"type": "integer"}},
        "required": ["path", "lines"],
    },
)
DELETE = ToolSpec("files__delete", "Delete a file", {"type": "object", "properties": {}})


class StubHost:
    """A tool host of a few lines: ``files__read`` echoes its input, ``files__delete`` fails;
    calls named in ``deny`` are declined, others allowed once; ``ask`` (print mode's
    answer) decides instead when given. Gates hold approval or a run until set."""

    def __init__(
        self,
        *,
        deny: tuple[str, ...] = (),
        tools: tuple[ToolSpec, ...] = (),
        ask: Any = None,
    ) -> None:
        self.tools = tools or (ECHO, DELETE)
        self.ask = ask
        self.deny = deny
        self.prepared = 0
        self.approved: list[str] = []
        self.ran: list[ToolCall] = []
        self.approval_gate: asyncio.Event | None = None
        self.run_gate: asyncio.Event | None = None
        self.waiting = asyncio.Event()

    def offered(self, profile: Profile) -> tuple[ToolSpec, ...]:
        return self.tools

    async def prepare(self, profile: Profile) -> None:
        self.prepared += 1

    def describe(self, name: str, tool_input: Mapping[str, Any]) -> ToolCall:
        server, _, tool = name.partition("__")
        return ToolCall("", name, dict(tool_input), server=server, tool=tool)

    async def approve(self, call: ToolCall, profile: Profile) -> Approval:
        self.approved.append(call.id)
        if self.approval_gate is not None:
            self.waiting.set()
            await self.approval_gate.wait()
        if self.ask is not None:
            answer: Approval = await self.ask(call, profile)
            return answer
        return "deny" if call.name in self.deny else "once"

    async def run(self, call: ToolCall, profile: Profile) -> ToolOutcome:
        self.ran.append(call)
        if self.run_gate is not None:
            self.waiting.set()
            await self.run_gate.wait()
        if call.name == "files__delete":
            return ToolOutcome("permission denied", is_error=True)
        return ToolOutcome(f"read {call.input.get('path')}")

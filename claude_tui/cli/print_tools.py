"""Tools in print mode: the run's tool host, ``--allowed-tools`` as its answer to every call
(print mode cannot ask), and the calls noted on stderr."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from claude_tui.terminal_text import safe_for_terminal

if TYPE_CHECKING:
    from claude_tui.conversation.tool_events import ToolCallChanged
    from claude_tui.conversation.tool_host import Approval, ToolCall, ToolHost
    from claude_tui.profiles import Config, Profile


def print_tool_host(config: Config, allowed: list[str] | None, stderr: TextIO) -> ToolHost | None:
    """The tool host for this run (None without MCP servers), its calls answered by
    ``--allowed-tools``: print mode cannot ask."""
    from claude_tui.conversation import tool_host_choice

    host = tool_host_choice.tool_host_for(
        config,
        ask=AllowedTools(allowed, stderr),
        notice=lambda text: print(f"claude-tui: {safe_for_terminal(text)}", file=stderr),
    )
    if host is None and allowed:
        print(
            "claude-tui: --allowed-tools has no effect: no MCP servers are configured", file=stderr
        )
    return host


class AllowedTools:
    """Print mode's answer to a call (``--allowed-tools``, as Claude Code's flag): a listed
    tool runs, once; any other is declined, and said so on stderr."""

    def __init__(self, allowed: list[str] | None, stderr: TextIO) -> None:
        names = {n.strip() for flag in allowed or [] for n in flag.replace(" ", ",").split(",")}
        self.names = names - {""}
        self.everything = "all" in self.names
        self.stderr = stderr

    async def __call__(self, call: ToolCall, profile: Profile) -> Approval:
        if self.everything or call.name in self.names:
            return "once"
        name = safe_for_terminal(call.name)
        print(f"claude-tui: declined tool call {name} (not in --allowed-tools)", file=self.stderr)
        return "deny"


def tool_note(event: ToolCallChanged, stderr: TextIO, *, verbose: bool) -> None:
    """A failed call is always said on stderr; each call's other states on a terminal."""
    if event.state == "failed" or (verbose and event.state in ("running", "done")):
        print(f"claude-tui: tool {safe_for_terminal(event.description)}", file=stderr)

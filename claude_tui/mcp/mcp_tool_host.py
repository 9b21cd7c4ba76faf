"""The :class:`ToolHost` of MCP servers: what the conversation's tool loop talks to.

Which tools a profile offers: the profile's ``tools`` (server names or ``SERVER__TOOL``
names; empty is every server), minus what ``/tools`` turned off for this session, of the
servers that are running. Whether a call may run: the session's allow-list ("allow this tool
for the session"), then the profile's ``allowed_tools`` (saved by "always allow"), else the
front-end's ``ask`` (the UI's approval card; print mode's ``--allowed-tools``). Running a
call: ``tools/call`` with the profile's ``tool_timeout``, the result cut past
``max_tool_result_chars``; every failure is an error result the model can read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from claude_tui.conversation.tool_host import Approval, ToolCall, ToolOutcome
from claude_tui.profiles import McpServerConfig, Profile

from .mcp_errors import McpError, McpRequestError, McpServerFailed, McpTimeout
from .server_pool import McpServers, Notice
from .tool_names import ToolNames
from .tool_results import error_outcome, outcome_from_result
from .transport import Transport

if TYPE_CHECKING:
    from claude_tui.wire import ToolSpec

AskUser = Callable[[ToolCall, Profile], Awaitable[Approval]]
"""Asks the user whether ``call`` may run (the approval card)."""
SaveProfile = Callable[[Profile], None]
"""Writes a changed profile to config.toml (``profiles.save_profile``)."""
DEFAULT_TOOL_TIMEOUT = 60.0
DEFAULT_MAX_RESULT_CHARS = 100_000


async def deny_without_card(call: ToolCall, profile: Profile) -> Approval:
    """The answer until a front-end gives a way to ask: no (the model is told why)."""
    return "deny"


class McpToolHost:
    """Offers, approves and runs the tools of the configured MCP servers."""

    def __init__(
        self,
        servers: Mapping[str, McpServerConfig],
        *,
        ask: AskUser | None = None,
        notice: Notice | None = None,
        save_profile: SaveProfile | None = None,
        transport_for: Callable[[McpServerConfig], Transport] | None = None,
    ) -> None:
        extra: dict[str, Any] = {"transport_for": transport_for} if transport_for else {}
        self.notice: Notice = notice if notice is not None else (lambda text: None)
        self.servers = McpServers(servers, notice=self._notify, **extra)
        self.ask: AskUser = ask if ask is not None else deny_without_card
        self.save_profile = save_profile
        self.session_allowed: set[str] = set()
        """Tools allowed for this session ("a" on the card), by offered name."""
        self._always: dict[str, set[str]] = {}
        """Tools "always" allowed since the profile was loaded, per profile name."""
        self.disabled_tools: set[str] = set()
        """Offered names turned off in ``/tools`` for this session."""
        self._known: dict[str, tuple[str, str]] = {}

    def _notify(self, text: str) -> None:
        self.notice(text)

    # -- what is offered -------------------------------------------------------------------

    def wanted_servers(self, profile: Profile) -> list[str]:
        """The servers ``profile`` takes tools from (its ``tools``, or all)."""
        picks = profile.tools
        if not picks:
            return list(self.servers.entries)
        names = self._names()
        wanted = []
        for server in self.servers.entries:
            if (
                server in picks
                or any(
                    (found := names.lookup(pick)) is not None and found[0] == server
                    for pick in picks
                )
                or any(pick.startswith(f"{server}__") for pick in picks)
            ):
                wanted.append(server)
        return wanted

    def _names(self) -> ToolNames:
        """Offered names of every listed tool (first come keeps a clashing name)."""
        names = ToolNames()
        for server, entry in self.servers.entries.items():
            for tool in entry.tools:
                names.add(server, tool.name)
        return names

    def offered(self, profile: Profile) -> tuple[ToolSpec, ...]:
        from claude_tui.wire import ToolSpec

        picks = set(profile.tools)
        names = ToolNames()
        specs: list[ToolSpec] = []
        for server in self.wanted_servers(profile):
            entry = self.servers.entries[server]
            if not entry.enabled or entry.state != "running":
                continue
            for tool in entry.tools:
                name = names.add(server, tool.name)
                if name is None or name in self.disabled_tools:
                    continue
                if picks and server not in picks and name not in picks:
                    continue
                specs.append(ToolSpec(name, tool.description, tool.input_schema))
        return tuple(specs)

    async def prepare(self, profile: Profile) -> None:
        await self.servers.ensure(self.wanted_servers(profile))

    def describe(self, name: str, tool_input: Mapping[str, Any]) -> ToolCall:
        """The call, with the server and the tool's own name found from the offered name
        (also for a tool withdrawn since it was offered: its run then says why)."""
        self._known.update(self._names().items())
        server, tool = self._known.get(name, ("", ""))
        return ToolCall(id="", name=name, input=tool_input, server=server, tool=tool)

    # -- approving ---------------------------------------------------------------------------

    def allowed_without_asking(self, name: str, profile: Profile) -> Approval | None:
        """ "session" or "always" when the user already allowed ``name``, else None."""
        if name in self.session_allowed:
            return "session"
        if name in profile.allowed_tools or name in self._always.get(profile.name, set()):
            return "always"
        return None

    async def approve(self, call: ToolCall, profile: Profile) -> Approval:
        known = self.allowed_without_asking(call.name, profile)
        if known is not None:
            return known
        answer = await self.ask(call, profile)
        if answer == "session":
            self.session_allowed.add(call.name)
        elif answer == "always":
            self._always.setdefault(profile.name, set()).add(call.name)
            self._save_always(call.name, profile)
        return answer

    def _save_always(self, name: str, profile: Profile) -> None:
        """Add ``name`` to the profile's ``allowed_tools`` in config.toml."""
        if self.save_profile is None or profile.is_demo or profile.name == "env":
            self.session_allowed.add(name)
            self.notice(
                f"{name} is allowed for this session; profile {profile.name!r} is not "
                "saved in config.toml, so always-allow cannot be remembered"
            )
            return
        if name in profile.allowed_tools:
            return
        try:
            self.save_profile(profile.with_changes(allowed_tools=(*profile.allowed_tools, name)))
        except Exception as error:  # a ConfigError, an OSError: the call still runs
            self.session_allowed.add(name)
            self.notice(f"could not save always-allow for {name}: {error}")

    # -- running -----------------------------------------------------------------------------

    async def run(self, call: ToolCall, profile: Profile) -> ToolOutcome:
        timeout = float(getattr(profile, "tool_timeout", DEFAULT_TOOL_TIMEOUT))
        max_chars = int(getattr(profile, "max_tool_result_chars", DEFAULT_MAX_RESULT_CHARS))
        if not call.server:
            return error_outcome(f"there is no tool named {call.name}")
        if call.name in self.disabled_tools:
            return error_outcome(f"{call.name} is turned off in /tools")
        try:
            session = self.servers.session(call.server)
            result = await session.call_tool(call.tool, dict(call.input), timeout)
        except McpTimeout:
            return error_outcome(
                f"{call.name} did not finish within {timeout:g} s (tool_timeout); it was cancelled"
            )
        except McpRequestError as error:
            return error_outcome(f"{call.name} failed: {error}")
        except McpServerFailed as error:
            if self.servers.entries[call.server].state == "running":
                await self.servers.fail(call.server, str(error))
            return error_outcome(f"{call.name} could not run: MCP server {call.server!r} {error}")
        except McpError as error:
            return error_outcome(f"{call.name} failed: {error}")
        except asyncio.CancelledError:
            raise
        return outcome_from_result(result, max_chars)

    async def close(self) -> None:
        """Stop every server (the app's exit, the end of print mode)."""
        await self.servers.close()

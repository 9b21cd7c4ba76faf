"""``/tools``: the MCP servers with their state, tools and last error; switch a server or a
single tool off (and on again) for this session.

Nothing here is saved: the profile's ``tools`` setting is the lasting choice. A server that
failed comes back when switched off and on (it starts again on the next turn, or at once
with ``s``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from claude_tui.terminal_text import safe_for_terminal

if TYPE_CHECKING:
    from claude_tui.mcp import McpToolHost, ServerEntry
    from claude_tui.profiles import Profile

STATE_STYLES = {
    "not started": "dim",
    "starting": "yellow",
    "running": "green",
    "failed": "red",
}


class ToolsScreen(ModalScreen[None]):
    """The servers and tools of this session, each switchable."""

    CSS_PATH = "tools_screen.tcss"
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="tools.close"),
        Binding("space", "switch", "On/off", id="tools.switch"),
        Binding("s", "start", "Start server", id="tools.start"),
    ]

    def __init__(self, host: McpToolHost | None, profile: Profile) -> None:
        super().__init__()
        self.host = host
        self.profile = profile

    def compose(self) -> ComposeResult:
        with Vertical(id="tools-body"):
            yield Static(
                Text(safe_for_terminal(f"MCP servers and tools · profile {self.profile.name}")),
                id="tools-title",
            )
            if self.host is None:
                yield Static(
                    "No MCP servers are configured. Add an [mcp_servers.NAME] table (or "
                    "mcp_config) to config.toml; the README's MCP servers section shows how.",
                    id="tools-empty",
                )
            else:
                yield OptionList(*self._options(), id="tools-list")
            yield Static(
                "Enter/Space switches the server or tool on or off for this session · "
                "s starts a server now · Esc closes.",
                id="tools-keys",
            )

    def on_mount(self) -> None:
        if self.host is not None:
            self.host.servers.changed.append(self._refresh_list)
            self.query_one(OptionList).focus()

    def on_unmount(self) -> None:
        if self.host is not None and self._refresh_list in self.host.servers.changed:
            self.host.servers.changed.remove(self._refresh_list)

    # -- the rows ------------------------------------------------------------------------

    def _options(self) -> list[Option]:
        assert self.host is not None
        host = self.host
        wanted = set(host.wanted_servers(self.profile))
        options: list[Option] = []
        for name, entry in host.servers.entries.items():
            options.append(Option(self._server_row(name, entry, name in wanted), id=f"s:{name}"))
            for spec_name, description in self._tools_of(name, entry):
                on = entry.enabled and spec_name not in host.disabled_tools
                row = Text.assemble(
                    "    ",
                    ("● " if on else "○ ", "green" if on else "dim"),
                    (safe_for_terminal(spec_name), "" if on else "dim"),
                    (
                        "  " + safe_for_terminal(description.splitlines()[0])
                        if description
                        else "",
                        "dim",
                    ),
                )
                options.append(Option(row, id=f"t:{spec_name}"))
        return options

    def _server_row(self, name: str, entry: ServerEntry, wanted: bool) -> Text:
        state = entry.state if entry.enabled else "off"
        row = Text.assemble(
            ("● " if entry.enabled else "○ ", "green" if entry.enabled else "dim"),
            (safe_for_terminal(name), "bold"),
            "  ",
            (f"[{state}]", STATE_STYLES.get(state, "dim")),
            "  ",
            (safe_for_terminal(entry.config.target), "dim"),
        )
        if not wanted:
            row.append("  (not in this profile's tools)", "dim italic")
        if entry.state == "not started" and entry.enabled:
            row.append("\n    tools are listed once it starts (s, or the next turn)", "dim")
        if entry.error:
            row.append("\n    last error: " + safe_for_terminal(entry.error), "red")
        return row

    def _tools_of(self, server: str, entry: ServerEntry) -> list[tuple[str, str]]:
        from claude_tui.mcp import offered_name

        return [(offered_name(server, tool.name), tool.description) for tool in entry.tools]

    def _refresh_list(self) -> None:
        if not self.is_mounted:
            return
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(self._options())
        if highlighted is not None and options.option_count:
            options.highlighted = min(highlighted, options.option_count - 1)

    # -- actions -------------------------------------------------------------------------

    def _selected(self) -> str | None:
        if self.host is None:
            return None
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_switch()

    def action_switch(self) -> None:
        selected = self._selected()
        if selected is None or self.host is None:
            return
        kind, name = selected.split(":", 1)
        if kind == "s":
            entry = self.host.servers.entries[name]
            self.host.servers.set_enabled(name, not entry.enabled)
        elif name in self.host.disabled_tools:
            self.host.disabled_tools.discard(name)
        else:
            self.host.disabled_tools.add(name)
        self._refresh_list()

    def action_start(self) -> None:
        selected = self._selected()
        if selected is None or self.host is None:
            return
        server = selected.split(":", 1)[1]
        if selected.startswith("t:"):
            found = self.host.describe(server, {})
            server = found.server
        if server in self.host.servers.entries:
            self.run_worker(self.host.servers.ensure([server]), exit_on_error=False)

    def action_close(self) -> None:
        self.dismiss(None)

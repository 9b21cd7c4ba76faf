"""Command palette entries (Ctrl+P): every app action and slash command, searchable."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from claude_tui.ui.app import ClaudeTuiApp


class ClaudeCommands(Provider):
    """Actions of claude-tui, discoverable before the user types anything."""

    def _entries(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app: ClaudeTuiApp = self.app  # type: ignore[assignment]
        pane = app.active_pane

        def slash(name: str, argument: str = "") -> Callable[[], Awaitable[None]]:
            async def run() -> None:
                if app.active_pane is not None:
                    await app.run_slash(app.active_pane, name, argument)

            return run

        entries: list[tuple[str, str, Callable[[], Any]]] = [
            ("New conversation tab", "Ctrl+N · /new", app.action_new_tab),
            ("Stop the reply", "Esc · /stop", app.action_stop_reply),
            ("Retry the last reply", "Ctrl+R · /retry", slash("retry")),
            ("Continue the interrupted reply", "/continue", slash("continue")),
            ("Edit and resend the last prompt", "/edit", slash("edit")),
            ("Copy the last reply", "/copy", slash("copy")),
            ("Export the session as Markdown", "/export md", slash("export", "md")),
            ("Export the session as JSON", "/export json", slash("export", "json")),
            ("Show the session cost", "/cost", slash("cost")),
            ("Toggle all thinking blocks", "Ctrl+T", app.action_toggle_thinking),
            ("Open the thinking viewer", "Ctrl+O", app.action_view_thinking),
            ("Start a fresh session in this tab", "/clear", slash("clear")),
            ("Rename this conversation…", "/rename", slash("rename")),
            ("Set the system prompt…", "/system", app.edit_system_prompt),
            ("Close this tab", "/close · Ctrl+W on the messages", app.action_close_tab),
            ("Focus the messages", "Tab", app.action_focus_messages),
            ("Help: keys and commands", "F1 · /help", app.action_help),
            ("Pick a theme (live preview)", "F4 · /theme", app.action_pick_theme),
            ("Switch profile…", "F2 · /profile", app.action_pick_profile),
            ("Pick a model…", "F3 · /model", app.action_pick_model),
            ("Manage profiles (add, edit, test, default)", "F6", app.action_manage_profiles),
            ("Quit", "Ctrl+Q · /quit", app.action_quit),
        ]
        for thinking in ("off", "adaptive", "4096", "16384"):
            entries.append(
                (f"Thinking: {thinking}", f"/thinking {thinking}", slash("thinking", thinking))
            )
        for name, profile in app.config.profiles.items():
            entries.append(
                (
                    f"Switch profile: {name}",
                    f"{profile.api_format} · {profile.model}",
                    partial(app.switch_profile, pane, name) if pane else app.action_help,
                )
            )
        for theme in sorted(app.available_themes):
            entries.append((f"Theme: {theme}", "/theme", partial(app.set_theme, theme)))
        return entries

    async def discover(self) -> Hits:
        for title, help_text, callback in self._entries():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._entries():
            score = matcher.match(f"{title} {help_text}")
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)

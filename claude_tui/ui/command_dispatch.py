"""What each command of the command table does: one mapping from id to handler.

A key binding, a palette entry and a typed ``/name`` all end in :meth:`CommandActions.
run_command`, which looks the id up in :data:`HANDLERS`; the id always comes from the
table (a typed name is resolved by the slash parser first), never from ``getattr``.

A mixin of :class:`ClaudeTuiApp`, split from ``app.py`` along the seam between "the
window and its tabs" and "the commands run in it".
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from claude_tui.conversation.conversation import Conversation
from claude_tui.profiles import ConfigError
from claude_tui.sessions.session_errors import SessionError
from claude_tui.ui.command_table import COMMANDS, command_by_id, help_line

if TYPE_CHECKING:
    from textual.screen import Screen

    from claude_tui.ui.app import ClaudeTuiApp
    from claude_tui.ui.widgets.conversation.conversation_pane import ConversationPane

Handler = Callable[["ClaudeTuiApp", "ConversationPane", str], Awaitable[object] | object]
"""Runs a command: the app, the conversation in front, and the argument ("" from a key)."""

HANDLERS: Mapping[str, Handler] = {
    "new": lambda app, pane, argument: app.action_new_tab(),
    "close": lambda app, pane, argument: app.close_pane(pane),
    "next-tab": lambda app, pane, argument: app.tabs.step(1),
    "previous-tab": lambda app, pane, argument: app.tabs.step(-1),
    "sessions": lambda app, pane, argument: app.action_toggle_sidebar(),
    "profile": lambda app, pane, argument: app.switch_profile(pane, argument),
    "profiles": lambda app, pane, argument: app.action_manage_profiles(),
    "model": lambda app, pane, argument: pane.command_model(argument),
    "thinking": lambda app, pane, argument: pane.command_thinking(argument),
    "toggle-thinking": lambda app, pane, argument: pane.view.toggle_all_thinking(),
    "thinking-viewer": lambda app, pane, argument: pane.view_last_thinking(),
    "system": lambda app, pane, argument: pane.command_system(argument),
    "retry": lambda app, pane, argument: pane.command_retry(argument),
    "continue": lambda app, pane, argument: pane.command_continue(argument),
    "edit": lambda app, pane, argument: pane.command_edit(argument),
    "copy": lambda app, pane, argument: pane.command_copy(argument),
    "export": lambda app, pane, argument: pane.command_export(argument),
    "rename": lambda app, pane, argument: pane.command_rename(argument),
    "clear": lambda app, pane, argument: app.clear_pane(pane),
    "cost": lambda app, pane, argument: pane.command_cost(argument),
    "theme": lambda app, pane, argument: app.set_theme(argument),
    "stop": lambda app, pane, argument: app.stop_or_dismiss(pane),
    "interrupt": lambda app, pane, argument: app.interrupt(),
    "messages": lambda app, pane, argument: pane.view.focus(),
    "help": lambda app, pane, argument: app.action_help(),
    "quit": lambda app, pane, argument: app.action_quit(),
}

QUIT_WINDOW = 1.0
"""Seconds within which a second Ctrl+C on an empty composer quits."""

_REPLACED_SYSTEM_COMMANDS = frozenset({"Theme", "Quit"})
"""Textual's palette commands we have our own of: its theme picker does not save the
choice, and its Quit would skip saving a streaming reply."""


class CommandActions:
    """Runs commands by id, and the app-wide commands that are more than one call."""

    _interrupt_armed_at: float | None = None
    clock: Callable[[], float] = staticmethod(time.monotonic)
    """Where the double Ctrl+C reads the time (a test may wind it on)."""

    async def run_command(
        self: ClaudeTuiApp,
        command_id: str,
        argument: str = "",
        pane: ConversationPane | None = None,
    ) -> None:
        """Carry out a command for ``pane`` (default: the conversation in front); what goes
        wrong is shown on that conversation (or, with none, as a toast) and the app goes on."""
        if pane is None:
            pane = self.active_pane
        if pane is None and command_by_id(command_id).scope == "pane":
            return  # starting up or shutting down: there is no conversation to act on
        try:
            result = HANDLERS[command_id](self, pane, argument.strip())  # type: ignore[arg-type]
            if inspect.isawaitable(result):
                await result
        except SessionError as error:
            self._report("Not saved", str(error), pane)
        except Exception as error:  # a bug of ours: report it, keep the app running
            self._report("claude-tui hit a bug", self.describe_bug(error), pane)
        self.refresh_status()

    def _report(self: ClaudeTuiApp, title: str, text: str, pane: ConversationPane | None) -> None:
        if pane is not None and pane.is_mounted:
            pane.show_alert(title, text)
        else:
            self.notify(text, title=title, severity="error")

    async def action_run_command(self: ClaudeTuiApp, command_id: str) -> None:
        """What every command's key binding runs (see ``Command.action``)."""
        await self.run_command(command_id)

    async def on_conversation_pane_slash_command(
        self: ClaudeTuiApp, event: ConversationPane.SlashCommand
    ) -> None:
        await self.run_slash(event.pane, event.name, event.argument)

    async def run_slash(
        self: ClaudeTuiApp, pane: ConversationPane, name: str, argument: str
    ) -> None:
        """Carry out ``/name argument`` typed into ``pane`` (``name`` as the parser resolved it)."""
        if name not in HANDLERS:
            self.notify(f"Unknown command /{name}; /help lists them.", severity="warning")
            return
        await self.run_command(name, argument, pane)

    # -- the palette -----------------------------------------------------------------------

    def get_system_commands(self: ClaudeTuiApp, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's palette commands, less those the command table replaces."""
        for system_command in super().get_system_commands(screen):  # type: ignore[misc]
            if system_command.title not in _REPLACED_SYSTEM_COMMANDS:
                yield system_command

    # -- commands that are more than one call ----------------------------------------------

    def switch_profile(self: ClaudeTuiApp, pane: ConversationPane, name: str) -> None:
        """Send the pane's next message to profile ``name`` (no name: the picker)."""
        if not name:
            self.action_pick_profile()
            return
        try:
            profile = self.config.profile(name)
        except ConfigError as exc:
            self.notify(str(exc), severity="error")
            return
        pane.conversation.switch_profile(profile)
        self.notify(f"Now talking to {profile.name} ({profile.model}); the history goes along.")

    async def clear_pane(self: ClaudeTuiApp, pane: ConversationPane) -> None:
        """Start a new (not yet saved) session in ``pane``; the old one stays saved."""
        if pane.streaming:
            self.notify("Stop the streaming reply first (Esc).", severity="warning")
            return
        profile = pane.conversation.profile
        settings = pane.conversation.settings
        session = self.store.create(
            profile=profile.name,
            model=settings.model,
            system=settings.system,
            thinking=str(settings.thinking),
            deferred=True,
        )
        pane.conversation = Conversation(session, profile, self.pool)
        pane.view.reset(session.messages)
        self.tabs.set_title(pane, session.title or "")
        self.notify("Started a fresh session; the previous one stays saved.")

    def stop_or_dismiss(self: ClaudeTuiApp, pane: ConversationPane) -> None:
        """Esc: stop the streaming reply; else close the error card and go to the composer."""
        if not pane.stop():
            pane.dismiss_alert()
            pane.focus_composer()

    async def interrupt(self: ClaudeTuiApp) -> None:
        """Ctrl+C, as in Claude Code: stop the streaming reply; else clear the composer (its
        text kept in the prompt history); else, pressed twice within a second, quit."""
        pane = self.active_pane
        armed_at, self._interrupt_armed_at = self._interrupt_armed_at, None
        if pane is None:
            return
        if pane.stop():
            return
        if pane.composer.composer.clear_to_history():
            pane.focus_composer()
            return
        now = self.clock()
        if armed_at is not None and now - armed_at <= QUIT_WINDOW:
            await self.action_quit()
            return
        self._interrupt_armed_at = now
        key = self.describe_command_keys("interrupt") or "Ctrl+C"
        self.notify(f"Press {key} again to quit.", timeout=QUIT_WINDOW + 1)

    def action_help(self: ClaudeTuiApp) -> None:
        """The help screen: every command with its current keys, then the other keys."""
        from claude_tui.ui.screens.help_screen import HelpRow, HelpScreen

        rows = [
            HelpRow(
                c.usage if c.slash else "",
                self.describe_command_keys(c.id),
                help_line(c, self.command_keys.get(c.id, ())),
            )
            for c in COMMANDS
        ]
        self.push_screen(HelpScreen(rows, self.other_keys()))

"""What each command of the command table does: one mapping from id to handler.

A key binding, a palette entry and a typed ``/name`` all end in :func:`run_command`, which
looks the id up in :data:`HANDLERS`; the id always comes from the table (a typed name is
resolved by the slash parser first), never from ``getattr``.

The handlers need a few things of the app, stated by :class:`CommandHost`; the app is
the one implementation, and the commands that are more than one call (switch profile,
clear, stop, Ctrl+C) are functions of that protocol here.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from claude_tui.conversation.conversation import Conversation
from claude_tui.profiles import Config, ConfigError
from claude_tui.sessions.session_errors import SessionError
from claude_tui.ui.command_table import command_by_id

if TYPE_CHECKING:
    from claude_tui.conversation.context_meter import ContextMeter
    from claude_tui.conversation.endpoint_pool import EndpointPool
    from claude_tui.conversation.turn_services import TurnServices
    from claude_tui.sessions.session_store import SessionStore
    from claude_tui.ui.balance_watch import BalanceWatch
    from claude_tui.ui.usage_watch import UsageWatch
    from claude_tui.ui.widgets.conversation.conversation_pane import ConversationPane
    from claude_tui.ui.widgets.conversation_tabs import ConversationTabs


class DoublePress:
    """A key that acts on its second press within ``window`` seconds (Ctrl+C's quit)."""

    def __init__(self, window: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self._clock = clock
        self._armed_at: float | None = None

    def press(self) -> bool:
        """True when this press follows an armed one within the window; else arm."""
        now = self._clock()
        armed_at, self._armed_at = self._armed_at, now
        if armed_at is not None and now - armed_at <= self.window:
            self._armed_at = None
            return True
        return False

    def reset(self) -> None:
        """Forget an armed press (something else happened in between)."""
        self._armed_at = None


class CommandHost(Protocol):
    """What the commands need from the app."""

    config: Config
    store: SessionStore
    pool: EndpointPool
    turn_services: TurnServices
    quit_press: DoublePress
    usage: UsageWatch

    @property
    def current_theme(self) -> Any: ...

    @property
    def active_pane(self) -> ConversationPane | None: ...

    @property
    def tabs(self) -> ConversationTabs: ...

    def notify(self, message: str, *, title: str = "", **options: Any) -> None: ...

    def refresh_status(self) -> None: ...

    def describe_bug(self, error: BaseException) -> str: ...

    def describe_command_keys(self, command_id: str) -> str: ...

    async def action_new_tab(self) -> None: ...

    async def close_pane(self, pane: ConversationPane) -> None: ...

    async def action_toggle_sidebar(self) -> None: ...

    def action_pick_profile(self) -> None: ...

    def refresh_config(self) -> None: ...

    def action_pick_model(self) -> None: ...

    def action_manage_profiles(self) -> None: ...

    def set_theme(self, name: str) -> None: ...

    def action_help(self) -> None: ...

    async def action_quit(self) -> None: ...

    # -- the context meter (issue 11) --
    context_meter: ContextMeter

    def push_screen(self, screen: Any) -> Any: ...

    # -- relay balance (issue 12) --
    balance_watch: BalanceWatch

    def run_worker(self, work: Any, *, group: str = ..., exit_on_error: bool = ...) -> Any: ...


Handler = Callable[[CommandHost, "ConversationPane", str], Awaitable[object] | object]
"""Runs a command: the app, the conversation in front, and the argument ("" from a key)."""

HANDLERS: Mapping[str, Handler] = {
    "new": lambda app, pane, argument: app.action_new_tab(),
    "close": lambda app, pane, argument: app.close_pane(pane),
    "next-tab": lambda app, pane, argument: app.tabs.step(1),
    "previous-tab": lambda app, pane, argument: app.tabs.step(-1),
    "sessions": lambda app, pane, argument: app.action_toggle_sidebar(),
    "profile": lambda app, pane, argument: switch_profile(app, pane, argument),
    "profiles": lambda app, pane, argument: app.action_manage_profiles(),
    # Without a name (F3, or /model alone) the model picker opens.
    "model": lambda app, pane, argument: (
        pane.command_model(argument) if argument.strip() else app.action_pick_model()
    ),
    "thinking": lambda app, pane, argument: pane.command_thinking(argument),
    "toggle-thinking": lambda app, pane, argument: pane.view.toggle_all_thinking(),
    "thinking-viewer": lambda app, pane, argument: pane.view_last_thinking(),
    "find": lambda app, pane, argument: pane.open_find(argument),
    "system": lambda app, pane, argument: pane.command_system(argument),
    "retry": lambda app, pane, argument: pane.command_retry(argument),
    "continue": lambda app, pane, argument: pane.command_continue(argument),
    "edit": lambda app, pane, argument: pane.command_edit(argument),
    "copy": lambda app, pane, argument: pane.command_copy(argument),
    "export": lambda app, pane, argument: pane.command_export(argument),
    "rename": lambda app, pane, argument: pane.command_rename(argument),
    "clear": lambda app, pane, argument: clear_pane(app, pane),
    "cost": lambda app, pane, argument: pane.command_cost(argument),
    "theme": lambda app, pane, argument: app.set_theme(argument),
    "stop": lambda app, pane, argument: stop_or_dismiss(pane),
    "interrupt": lambda app, pane, argument: interrupt(app),
    "messages": lambda app, pane, argument: pane.view.focus(),
    "help": lambda app, pane, argument: app.action_help(),
    "quit": lambda app, pane, argument: app.action_quit(),
    # -- attachments
    "attach": lambda app, pane, argument: pane.command_attach(argument),
    "paste-image": lambda app, pane, argument: pane.command_paste_image(argument),
    "attachments": lambda app, pane, argument: pane.focus_attachments(),
    "context": lambda app, pane, argument: show_context(app, pane),
    "compact": lambda app, pane, argument: pane.command_compact(argument),
    "log": lambda app, pane, argument: show_request_log(app, pane),
    "balance": lambda app, pane, argument: app.balance_watch.show_now(
        app, pane.conversation.profile
    ),
    "usage": lambda app, pane, argument: show_usage(app),
    "tools": lambda app, pane, argument: show_tools(app, pane),
}

REPLACED_SYSTEM_COMMANDS = frozenset({"Theme", "Quit"})
"""Textual's palette commands we have our own of: its theme picker does not save the
choice, and its Quit would skip saving a streaming reply."""


async def run_command(
    app: CommandHost, command_id: str, argument: str = "", pane: ConversationPane | None = None
) -> None:
    """Carry out a command for ``pane`` (default: the conversation in front); what goes
    wrong is shown on that conversation (or, with none, as a toast) and the app goes on."""
    if pane is None:
        pane = app.active_pane
    if pane is None and command_by_id(command_id).scope == "pane":
        return  # starting up or shutting down: there is no conversation to act on
    if command_id != "interrupt":
        app.quit_press.reset()  # "twice in a row" means nothing else in between
    try:
        result = HANDLERS[command_id](app, pane, argument.strip())  # type: ignore[arg-type]
        if inspect.isawaitable(result):
            await result
    except SessionError as error:
        _report(app, "Not saved", str(error), pane)
    except Exception as error:  # a bug of ours: report it, keep the app running
        _report(app, "claude-tui hit a bug", app.describe_bug(error), pane)
    app.refresh_status()


def _report(app: CommandHost, title: str, text: str, pane: ConversationPane | None) -> None:
    if pane is not None and pane.is_mounted:
        pane.show_alert(title, text)
    else:
        app.notify(text, title=title, severity="error")


# -- commands that are more than one call --------------------------------------------------


def switch_profile(app: CommandHost, pane: ConversationPane, name: str) -> None:
    """Send the pane's next message to profile ``name`` (no name: the picker)."""
    if not name:
        app.action_pick_profile()
        return
    app.refresh_config()  # a profile just added in an editor is known
    try:
        profile = app.config.profile(name)
    except ConfigError as exc:
        app.notify(str(exc), severity="error")
        return
    pane.conversation.switch_profile(profile)
    app.notify(f"Now talking to {profile.name} ({profile.model}); the history goes along.")


async def clear_pane(app: CommandHost, pane: ConversationPane) -> None:
    """Start a new (not yet saved) session in ``pane``; the old one stays saved."""
    if pane.streaming:
        app.notify("Stop the streaming reply first (Esc).", severity="warning")
        return
    profile = pane.conversation.profile
    session = app.store.create(pane.conversation.settings, deferred=True)  # the same settings
    pane.conversation = Conversation(session, profile, app.pool, app.turn_services)
    pane.view.reset(session.messages)
    app.tabs.set_title(pane, session.title or "")
    app.notify("Started a fresh session; the previous one stays saved.")


def show_context(app: CommandHost, pane: ConversationPane) -> None:
    """/context: what the pane's next request will carry, with the composer's text as its
    next message (empty after a typed ``/context``, which the composer has just sent)."""
    from claude_tui.ui.screens.context_screen import open_context_view

    app.push_screen(open_context_view(app.context_meter, pane))


def show_request_log(app: CommandHost, pane: ConversationPane) -> None:
    """/log: the HTTP requests of the pane's conversation in this run, followed live."""
    from claude_tui.ui.screens.request_log_screen import RequestLogScreen

    conversation = pane.conversation
    name = conversation.session.title or "this conversation"
    title = f"Requests · {name} · {conversation.profile.name}"
    app.push_screen(RequestLogScreen(conversation.request_log, title))


def show_usage(app: CommandHost) -> None:
    """/usage (F9): the last 30 days' tokens and cost per day, profile and model."""
    from claude_tui.ui.screens.usage_screen import open_usage_view

    app.push_screen(open_usage_view(app.usage, app.current_theme))


def show_tools(app: CommandHost, pane: ConversationPane) -> None:
    """/tools: the MCP servers and their tools, each switchable for this session."""
    from claude_tui.ui.screens.tools_screen import ToolsScreen

    host = app.turn_services.tools
    if host is not None:
        from claude_tui.mcp import McpToolHost

        host = host if isinstance(host, McpToolHost) else None
    app.push_screen(ToolsScreen(host, pane.conversation.profile))


def stop_or_dismiss(pane: ConversationPane) -> None:
    """Esc: stop the streaming reply; else close the error card and go to the composer."""
    if not pane.stop():
        pane.dismiss_alert()
        pane.focus_composer()


async def interrupt(app: CommandHost) -> None:
    """Ctrl+C, as in Claude Code: stop the streaming reply; else clear the composer (its
    text kept in the prompt history); else, pressed twice within a second, quit."""
    pane = app.active_pane
    if pane is None:
        return
    if pane.stop():
        app.quit_press.reset()
        return
    if pane.clear_composer():
        app.quit_press.reset()
        pane.focus_composer()
        return
    if app.quit_press.press():
        await app.action_quit()
        return
    key = app.describe_command_keys("interrupt") or "Ctrl+C"
    app.notify(f"Press {key} again to quit.", timeout=app.quit_press.window + 1)

"""The Textual application: tabs of conversations, a status bar, keys and commands.

Kept small: conversations live in :class:`ConversationPane`, the commands are declared in
``command_table`` and carried out by ``command_dispatch`` (keys, palette and slash alike),
and the keys they are on come from ``keymap`` (the defaults with config.toml's ``[keys]``).
The backend is reached only through ``Conversation``, ``SessionStore`` and the profile
config.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from functools import partial
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from claude_tui.chat_message import ChatMessage
from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.conversation.session_choice import choose_profile, open_session
from claude_tui.conversation.turn_services import TurnServices
from claude_tui.pricing.price_table import cache_saving, message_cost, price_settings
from claude_tui.profiles import Config, ConfigError, Profile, load_config
from claude_tui.sessions.session import Session
from claude_tui.sessions.session_errors import SessionError
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore
from claude_tui.ui.balance_watch import BalanceWatch
from claude_tui.ui.command_dispatch import (
    HANDLERS,
    REPLACED_SYSTEM_COMMANDS,
    DoublePress,
    run_command,
)
from claude_tui.ui.command_table import describe_keys
from claude_tui.ui.commands import ClaudeCommands
from claude_tui.ui.config_watch import ConfigWatch
from claude_tui.ui.gc_tuning import collect_rarely, freeze_survivors
from claude_tui.ui.keymap import apply_keymap, command_bindings, resolve_keymap
from claude_tui.ui.main_screen import MainScreen
from claude_tui.ui.picker_actions import PickerActions
from claude_tui.ui.prompt_history import PromptHistory
from claude_tui.ui.rendering.block_render import BlockRenderer
from claude_tui.ui.rendering.render_theme import RenderTheme
from claude_tui.ui.session_actions import SessionActions
from claude_tui.ui.theme_files import format_theme_problems
from claude_tui.ui.theme_registry import DEFAULT_THEME, register_bundled_themes
from claude_tui.ui.usage_watch import UsageWatch
from claude_tui.ui.widgets.conversation.conversation_pane import ConversationPane
from claude_tui.ui.widgets.conversation.layout_styles import LayoutStyles
from claude_tui.ui.widgets.conversation_tabs import ConversationTabs
from claude_tui.ui.widgets.status_bar import StatusBar, StatusInfo

if TYPE_CHECKING:
    from claude_tui.conversation.context_meter import ContextMeter
    from claude_tui.conversation.tool_host import Approval, ToolCall

KeptWidget = TypeVar("KeptWidget", bound=Widget)


class ClaudeTuiApp(SessionActions, PickerActions, App[int]):
    """claude-tui's main window."""

    CSS_PATH = "app.tcss"
    TITLE = "claude-tui"
    COMMANDS = App.COMMANDS | {ClaudeCommands}
    BINDINGS = command_bindings()

    def __init__(
        self,
        config: Config,
        *,
        profile_name: str | None = None,
        model: str | None = None,
        continue_latest: bool = False,
        resume: str | None = None,
        system: str | None = None,
        store: SessionStore | None = None,
        pool: EndpointPool | None = None,
        prompt_history: PromptHistory | None = None,
        initial_prompt: str | None = None,
    ) -> None:
        collect_rarely()  # before start-up's allocations; see gc_tuning
        super().__init__()
        self.config = config
        self._config_watch = ConfigWatch(config.path)
        self.command_keys = resolve_keymap(config)  # a [keys] mistake stops the start here
        apply_keymap(self, self.command_keys)
        self.store = store or SessionStore()
        self.pool = pool or EndpointPool()
        # What every conversation of this app asks of it (fallback profiles, budgets, logs).
        self.turn_services = TurnServices(profiles=lambda name: self.config.profiles.get(name))
        self.usage = UsageWatch(self.store, lambda: self.config)
        self.turn_services.check_budget = self.usage.check_budget
        self.prompt_history = prompt_history or PromptHistory()
        self.quit_press = DoublePress()  # Ctrl+C twice on an empty composer
        self._context_meter: ContextMeter | None = None  # made on first use (after launch)
        self._kept_widgets: dict[type[Widget], Widget] = {}  # see _kept_widget
        # Conversations the status bar showed empty before the meter existed (see above).
        self._seen_empty: weakref.WeakSet[Conversation] = weakref.WeakSet()
        self._start = (profile_name, model, continue_latest, resume, system)
        self._initial_prompt = initial_prompt  # claude-tui "a prompt": sent once on screen
        self._pane_ids = count(1)
        self.balance_watch = BalanceWatch(self.refresh_status)  # the relay balance in the bar
        self.reported_skipped: set[Path] = set()  # session files a toast already named
        self._theme_problems = register_bundled_themes(self)
        theme = config.theme if config.theme in self.available_themes else DEFAULT_THEME
        if theme == self.theme:  # no change, so watch_theme will not build the render kit
            self._renderer, self._styles = self._render_kit()
        self.theme = theme

    # -- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A command whose keys ``[keys]`` switched off ("") does not answer its old key."""
        if action == "run_command" and parameters and parameters[0] in self.command_keys:
            return bool(self.command_keys[str(parameters[0])])
        return True

    def describe_command_keys(self, command_id: str) -> str:
        """The keys a command is on now, as help writes them (``Ctrl+N``); empty for none."""
        return describe_keys(self.command_keys.get(command_id, ()))

    # -- commands (declared in command_table, carried out in command_dispatch) ---------------

    async def run_command(
        self, command_id: str, argument: str = "", pane: ConversationPane | None = None
    ) -> None:
        """Carry out a command of the table for ``pane`` (default: the one in front)."""
        await run_command(self, command_id, argument, pane)

    async def action_run_command(self, command_id: str) -> None:
        """What every command's key binding runs (see ``Command.action``)."""
        await run_command(self, command_id)

    async def on_conversation_pane_slash_command(
        self, event: ConversationPane.SlashCommand
    ) -> None:
        await self.run_slash(event.pane, event.name, event.argument)

    async def run_slash(self, pane: ConversationPane, name: str, argument: str) -> None:
        """Carry out ``/name argument`` typed into ``pane`` (``name`` as the parser resolved
        it, so a command of the table)."""
        if name not in HANDLERS:
            self.notify(f"Unknown command /{name}; /help lists them.", severity="warning")
            return
        await run_command(self, name, argument, pane)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's palette commands, less those the command table replaces."""
        for system_command in super().get_system_commands(screen):
            if system_command.title not in REPLACED_SYSTEM_COMMANDS:
                yield system_command

    def action_help(self) -> None:
        """The help screen: every command with the keys in force, then the other keys."""
        from claude_tui.ui.screens.help_screen import HelpScreen

        self.push_screen(HelpScreen(self.command_keys))

    # -- the config, re-read when it changed ------------------------------------------------

    def refresh_config(self) -> None:
        """Re-read config.toml if it changed since it was read (an edit in an editor); a
        broken edit is reported and the working config kept until it is fixed."""
        if not self._config_watch.changed():
            return
        self._config_watch.seen()
        try:
            config = load_config(self.config.path)
        except ConfigError as error:
            self.notify(
                f"config.toml changed but does not load, so the previous settings stay: {error}",
                severity="error",
                timeout=15,
            )
            return
        self.apply_config(config)

    def apply_config(self, config: Config) -> None:
        """Use ``config`` from now on: open tabs follow their edited profile (as switching to
        it again would; see ``Conversation.apply_profile_edit``)."""
        self.config = config
        self._config_watch.seen()
        self._make_tool_host()  # MCP servers added to the file while running
        for pane in self.panes:
            updated = config.profiles.get(pane.conversation.profile.name)
            if updated is not None and updated != pane.conversation.profile:
                pane.conversation.apply_profile_edit(updated)
        self.refresh_status()

    # -- the boundary for what goes wrong -------------------------------------------------

    def known_secrets(self) -> list[str]:
        """Every key this process knows, so that nothing it shows or writes holds one."""
        from claude_tui.profiles.key_source import KeySource

        secrets = self.pool.known_secrets()
        for profile in self.config.profiles.values():
            secrets.extend(KeySource(profile).known_secrets())
        return secrets

    async def ask_tool_approval(self, call: ToolCall, profile: Profile) -> Approval:
        """The tool host's ``ask`` (``McpToolHost(ask=app.ask_tool_approval)``): the approval
        card of the pane whose turn made the call."""
        from claude_tui.ui.widgets.conversation.tool_approval import ask_tool_approval

        return await ask_tool_approval(self, call, profile)

    def describe_bug(self, error: BaseException) -> str:
        """A bug caught at a boundary, in one scrubbed line; the details go to a report."""
        from claude_tui.crash_report import describe_crash

        return describe_crash(error, self.known_secrets())

    def _handle_exception(self, error: Exception) -> None:
        """An error nothing caught: exit with a scrubbed summary, never Textual's traceback.

        Textual's crash screen prints every frame's local variables, request headers (and
        so the API key) included, into the terminal's scrollback.
        """
        from rich.text import Text

        self._return_code = 1
        if self._exception is None:  # as Textual does: a test harness re-raises it
            self._exception = error
            self._exception_event.set()
        self.bell()
        self._exit_renderables.append(Text(self.describe_bug(error)))
        self._close_messages_no_wait()

    def notify(  # type: ignore[override]  # same signature; only the text is filtered
        self, message: str, *, title: str = "", **options: object
    ) -> None:
        """A toast, with any terminal control sequence removed from its text: messages
        quote servers, file names and profile names, none of which may drive the terminal."""
        from claude_tui.terminal_text import safe_for_terminal

        super().notify(
            safe_for_terminal(message),
            title=safe_for_terminal(title),
            **options,  # type: ignore[arg-type]
        )

    # -- layout ----------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        # The main screen repaints a streaming reply many times a second (see main_screen).
        return MainScreen(id="_default")

    def compose(self) -> ComposeResult:
        first = self._first_pane()
        with Horizontal(id="main"):
            yield ConversationTabs(first, id="tabs")
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        pane = self.active_pane
        if pane is not None:
            pane.focus_composer()
        self.refresh_status()
        self.set_interval(1.0, self.refresh_status)
        self.call_after_refresh(self._warm_up)
        self.call_after_refresh(self._make_tool_host)
        if pane is not None and self._initial_prompt:
            self.call_after_refresh(pane.submit_prompt, self._initial_prompt)  # redaction
            self._initial_prompt = None
        if self._start[3] == "":  # -r without an id: pick a session
            self.call_after_refresh(self.run_action, "toggle_sidebar")
        self.report_skipped_sessions()  # -c / -r listed the sessions
        for warning in self.config.warnings:  # e.g. an inline key in a file others can read
            self.notify(warning, severity="warning", timeout=15)
        if self._theme_problems:
            self.notify(format_theme_problems(self._theme_problems), severity="warning", timeout=15)
        if self.config.theme and self.config.theme not in self.available_themes:
            self.notify(
                f"Theme {self.config.theme!r} from config.toml is not available; "
                f"using {DEFAULT_THEME}.",
                severity="warning",
            )

    # -- MCP tools (issue 13) ------------------------------------------------------------

    def _make_tool_host(self) -> None:
        """After the first frame, and only when config.toml names MCP servers: the host of
        every conversation's tools (servers start when a turn first needs them)."""
        if self.turn_services.tools is not None or not self.config.mcp_servers:
            return
        from claude_tui.conversation.tool_host_choice import tool_host_for

        self.turn_services.tools = tool_host_for(
            self.config, ask=self.ask_tool_approval, notice=self._tool_notice
        )

    def _tool_notice(self, text: str) -> None:
        self.notify(text, severity="warning", timeout=10)

    async def on_event(self, event: events.Event) -> None:
        """A key pressed while the window closes (its screens already gone) is dropped:
        Textual would look for the screen's bindings and fail.

        A key for a conversation (its focus is in one) also holds that conversation's
        repaints from the moment it arrives: it still has to reach the composer and then a
        frame, and a stream's repaint queued in between made it wait 10-15 ms more at each
        step. Found from the focus up, not by a query of the whole DOM, on every key.
        """
        if isinstance(event, events.Key):
            if not self.screen_stack:
                return
            node = self.focused
            while node is not None and not isinstance(node, ConversationPane):
                node = node.parent
            if node is not None:
                node.key_arriving()
        await super().on_event(event)

    async def on_unmount(self) -> None:
        """Stop the MCP servers this run started."""
        host = self.turn_services.tools
        close = getattr(host, "close", None)
        if close is not None:
            await close()

    def _warm_up(self) -> None:
        """After the first frame: load the network stack, build the TLS context and start
        the demo relay in a thread, so the first send does none of it on the event loop.

        Also move everything alive now out of the garbage collector's sight (see
        ``gc_tuning``).
        """
        freeze_survivors()
        profile = self._active_profile()
        self.run_worker(lambda: _warm_up_in_thread(profile), thread=True, group="warm-up")

    def _first_pane(self) -> ConversationPane:
        """The conversation the app opens on: resumed (-c / -r) or new."""
        profile_name, model, continue_latest, resume, system = self._start
        session: Session | None = None
        try:
            session = open_session(self.store, continue_latest=continue_latest, resume=resume)
        except SessionError as exc:
            self.notify(f"{exc}. Starting a new session.", severity="error", timeout=10)
        try:
            profile = choose_profile(self.config, profile_name, session)
        except ConfigError as exc:
            self.notify(f"{exc}. Using the demo profile.", severity="error", timeout=10)
            profile = self.config.profile("demo")
        return self._new_pane(session=session, profile=profile, model=model, system=system)

    async def open_pane(
        self,
        *,
        session: Session | None = None,
        profile: Profile | None = None,
        model: str | None = None,
        system: str | None = None,
    ) -> ConversationPane:
        """Open a conversation in a new tab and focus its composer."""
        pane = self._new_pane(session=session, profile=profile, model=model, system=system)
        await self.tabs.add(pane)
        pane.focus_composer()
        self.refresh_status()
        return pane

    def _new_pane(
        self,
        *,
        session: Session | None,
        profile: Profile | None,
        model: str | None,
        system: str | None,
    ) -> ConversationPane:
        profile = profile or self._active_profile()
        if session is None:
            session = self.store.create(
                SessionSettings.from_profile(profile, model=model, system=system),
                deferred=True,  # saved with its first message: no empty sessions
            )
        conversation = Conversation(session, profile, self.pool, self.turn_services)
        if model and model != conversation.settings.model:
            conversation.set_model(model)
        return ConversationPane(
            conversation,
            store=self.store,
            styles=self._styles,
            renderer=self._renderer,
            cost_of=self.cost_of,
            saving_of=self.saving_of,
            argument_choices=self.argument_choices,
            history=self.prompt_history,
            id=f"pane-{next(self._pane_ids)}",
            alert_of=self.usage.reply_alert,
        )

    @property
    def active_pane(self) -> ConversationPane | None:
        """The conversation in the visible tab."""
        tabs = self._kept_widget(ConversationTabs)
        return tabs.active_pane if tabs is not None else None

    def _kept_widget(self, kind: type[KeptWidget]) -> KeptWidget | None:
        """The ``kind`` widget ``self.query(kind).first()`` finds, kept after the first look
        while it stays attached: the status bar's refresh, every second, walked the whole
        DOM twice, a millisecond each time."""
        kept = self._kept_widgets.get(kind)
        if kept is None or not kept.is_attached:
            found = self.query(kind)
            if not found:
                return None
            kept = self._kept_widgets[kind] = found.first()
        return kept  # type: ignore[return-value]  # stored under its own type

    @property
    def tabs(self) -> ConversationTabs:
        """The open conversations."""
        return self.query_one(ConversationTabs)

    def action_activate_tab(self, pane_id: str) -> None:
        """Bring a conversation to the front (a click on its tab)."""
        self.tabs.action_activate(pane_id)

    @property
    def panes(self) -> list[ConversationPane]:
        """Every open conversation."""
        return list(self.query(ConversationPane))

    def _active_profile(self) -> Profile:
        if not self.is_running:
            return self.config.profile(self.config.default_profile_name)
        pane = self.active_pane
        if pane is not None:
            return pane.conversation.profile
        return self.config.profile(self.config.default_profile_name)

    # -- helpers for panes -----------------------------------------------------------------

    def cost_of(self, message: ChatMessage) -> float | None:
        """A message's cost with its profile's price settings."""
        return message_cost(message, **self._price_settings(message))

    def saving_of(self, message: ChatMessage) -> float | None:
        """What prompt caching saved on a message against sending it uncached (negative
        for a reply that only wrote to the cache; None when the cache was not involved)."""
        return cache_saving(message, **self._price_settings(message))

    def _price_settings(self, message: ChatMessage) -> dict[str, Any]:
        return price_settings(self.config.profiles.get(message.profile or ""))

    def argument_choices(self, command: str) -> Sequence[str]:
        """Completions for slash command arguments."""
        if command == "profile":
            return list(self.config.profiles)
        if command == "model":
            pane = self.active_pane
            profile = pane.conversation.profile if pane else self._active_profile()
            from claude_tui.profiles.model_cache import ModelCache

            cached = ModelCache().get(profile)
            fetched = list(cached.models) if cached is not None else []
            return list(dict.fromkeys([profile.model, *profile.models, *fetched]))
        if command == "theme":
            return sorted(self.available_themes)
        return []

    def _render_kit(self) -> tuple[BlockRenderer, LayoutStyles]:
        theme = self.current_theme
        return BlockRenderer(RenderTheme.from_textual_theme(theme)), LayoutStyles.from_theme(theme)

    def watch_theme(self, theme: str) -> None:
        self._renderer, self._styles = self._render_kit()
        if not self.is_running:
            return
        for pane in self.query(ConversationPane):
            pane.view.set_theme(self._styles, self._renderer)

    # -- status ----------------------------------------------------------------------------

    @property
    def context_meter(self) -> ContextMeter:
        """The status bar's and /context's token counts (made on first use)."""
        if self._context_meter is None:
            from claude_tui.conversation.context_meter import ContextMeter

            self._context_meter = ContextMeter()
            for conversation in self._seen_empty:
                self._context_meter.saw_empty(conversation)
        return self._context_meter

    def refresh_status(self) -> None:
        """Redraw the status bar from the active pane."""
        bar = self._kept_widget(StatusBar)
        pane = self.active_pane if bar is not None else None
        if bar is None or pane is None:  # starting up or shutting down
            return
        conversation = pane.conversation
        session = conversation.session
        usage = session.total_usage()
        if not session.messages and self._context_meter is None:
            # A new conversation at launch: its context is the system prompt, and the
            # meter (and the request builders it asks) need not load before the first frame.
            from claude_tui.wire import estimate_first_request_tokens

            self._seen_empty.add(conversation)
            context_tokens = estimate_first_request_tokens(conversation.settings.system)
            context_window, estimated = conversation.profile.context_window, True
        else:
            context = self.context_meter.figure(conversation, streaming=pane.streaming)
            context_tokens, context_window = context.tokens, context.window
            estimated = context.estimated
            if self.context_meter.count_due(conversation):
                self.run_worker(
                    partial(self._count_context, conversation),
                    group="context-count",
                    exit_on_error=False,
                )
        bar.show(
            StatusInfo(
                profile=conversation.profile.name,
                model=conversation.settings.model,
                thinking=conversation.settings.thinking_label,
                context_tokens=context_tokens,
                context_window=context_window,
                session_tokens=usage.total_input_tokens + usage.output_tokens,
                session_cost=sum(c for m in session.messages if (c := self.cost_of(m))) or 0.0,
                session_saving=sum(s for m in session.messages if (s := self.saving_of(m))),
                note=pane.status_note,
                streaming=pane.streaming,
                thinking_sent=(
                    conversation.profile.can_send_thinking
                    or not conversation.settings.thinking_enabled
                ),
                context_estimated=estimated,
                balance=self.balance_watch.figure(conversation.profile),
                budget_left=self.usage.budget_left(conversation.profile),
            )
        )

    async def _count_context(self, conversation: Conversation) -> None:
        """Ask the endpoint to count the status bar's context figure; redraw when it did."""
        if await self.context_meter.count_figure(conversation):
            self.refresh_status()

    def on_conversation_pane_state_changed(self, event: ConversationPane.StateChanged) -> None:
        self.refresh_status()
        if not event.pane.streaming:
            self.refresh_sidebar()
            self.balance_watch.after_reply(self, event.pane.conversation)
            # After the frame: with many sessions the day's spend takes a moment to sum.
            self.call_after_refresh(self._alert_on_daily_cost, event.pane.conversation.profile)
        pane = event.pane
        tabs = self.query(ConversationTabs)
        if tabs:  # not while the window is being torn down (a reply saved on the way out)
            title = pane.conversation.session.title or ""
            tabs.first().set_title(pane, title, streaming=pane.streaming)

    def _alert_on_daily_cost(self, profile: Profile) -> None:
        """A toast the first time today's cost on ``profile`` passes its alert_daily_usd."""
        alert = self.usage.daily_alert(profile)
        if alert is not None:
            self.notify(alert, title="Usage alert", severity="warning", timeout=15)

    def on_conversation_tabs_activated(self, event: ConversationTabs.Activated) -> None:
        self.refresh_status()
        pane = self.active_pane
        if pane is not None:
            pane.focus_composer()

    # -- actions ---------------------------------------------------------------------------

    async def action_new_tab(self) -> None:
        await self.open_pane()

    async def close_pane(self, pane: ConversationPane) -> None:
        """Close ``pane``'s tab, stopping its reply (saved) and keeping unsent text in the
        prompt history; the session stays saved for the sidebar and ``-r``."""
        if len(self.panes) == 1:
            self.notify(
                f"This is the last tab: {self.describe_command_keys('quit') or '/quit'} quits."
            )
            return
        pane.stop()
        await pane.wait_idle()
        pane.keep_unsent()
        await self.tabs.remove(pane)
        if self.active_pane is not None:
            self.active_pane.focus_composer()
        self.refresh_status()

    async def action_quit(self) -> None:
        """Quit; a streaming reply is stopped and its partial text saved first, and text
        typed but not sent goes into the prompt history (Up brings it back next time)."""
        for pane in self.panes:
            if pane.stop():
                await pane.wait_idle()
            pane.keep_unsent()
        await self.pool.aclose()
        self.exit(0)


def _warm_up_in_thread(profile: Profile) -> None:
    """Load what the first reply needs (httpx, TLS, the demo relay, markdown-it, Pygments
    and a lexer, the usage index its saving notes) off the event loop, so the first streamed
    tokens (and the end of the first reply) do not stall it."""
    from claude_tui.conversation.endpoint_pool import live_profile
    from claude_tui.ui import slash_commands  # noqa: F401  (loaded for the first "/")
    from claude_tui.ui.rendering.chat_markdown import lexer_for, plain_lexer
    from claude_tui.usage import budgets, usage_index  # noqa: F401  (a saved reply notes its usage)
    from claude_tui.wire import (
        ChatClient,  # noqa: F401  (loaded for the first send)
        ChatRequest,  # noqa: F401  (loaded for the first send)
        MessageAccumulator,  # noqa: F401  (loaded for the first send)
        shared_ssl_context,
    )

    shared_ssl_context()
    live_profile(profile)  # starts the demo relay when the profile is the demo
    plain_lexer()
    lexer_for("python")

"""The Textual application: tabs of conversations, a status bar, keys and commands.

Kept small: conversations live in :class:`ConversationPane`, slash commands that act on one
conversation in its :class:`PaneCommands`, app-wide commands (new tab, profile, theme, help,
quit) here. The backend is reached only through ``Conversation``, ``SessionStore`` and the
profile config.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer

from claude_tui.chat_message import ChatMessage
from claude_tui.cli.session_choice import choose_profile, open_session
from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.endpoint_pool import EndpointPool
from claude_tui.pricing.price_table import message_cost
from claude_tui.profiles import Config, ConfigError, Profile
from claude_tui.sessions.session import Session
from claude_tui.sessions.session_errors import SessionError
from claude_tui.sessions.session_store import SessionStore
from claude_tui.ui.commands import ClaudeCommands
from claude_tui.ui.gc_tuning import collect_rarely, freeze_survivors
from claude_tui.ui.picker_actions import PickerActions
from claude_tui.ui.prompt_history import PromptHistory
from claude_tui.ui.rendering.block_render import BlockRenderer
from claude_tui.ui.rendering.render_theme import RenderTheme
from claude_tui.ui.session_actions import SessionActions
from claude_tui.ui.theme_files import format_theme_problems
from claude_tui.ui.theme_registry import DEFAULT_THEME, register_bundled_themes
from claude_tui.ui.widgets.conversation.conversation_pane import ConversationPane
from claude_tui.ui.widgets.conversation.layout_styles import LayoutStyles
from claude_tui.ui.widgets.conversation.pane_commands import PANE_COMMANDS
from claude_tui.ui.widgets.conversation_tabs import ConversationTabs
from claude_tui.ui.widgets.status_bar import StatusBar, StatusInfo
from claude_tui.wire.token_estimate import estimate_request_tokens

APP_COMMANDS = frozenset({"new", "close", "profile", "clear", "help", "quit", "theme"})


class ClaudeTuiApp(SessionActions, PickerActions, App[int]):
    """claude-tui's main window."""

    CSS_PATH = "app.tcss"
    TITLE = "claude-tui"
    COMMANDS = App.COMMANDS | {ClaudeCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
        Binding("escape", "stop_reply", "Stop", show=False, id="app.stop"),
        Binding("ctrl+n", "new_tab", "New tab", id="app.new_tab"),
        Binding(
            "ctrl+w",
            "close_tab",
            "Close tab (messages focused; /close)",
            show=False,
            id="app.close_tab",
        ),
        Binding("ctrl+pagedown", "next_tab", "Next tab", show=False, id="app.next_tab"),
        Binding("ctrl+pageup", "previous_tab", "Previous tab", show=False, id="app.prev_tab"),
        Binding("ctrl+t", "toggle_thinking", "Thinking", id="app.toggle_thinking"),
        Binding("ctrl+o", "view_thinking", "Thinking viewer", show=False, id="app.view_thinking"),
        Binding("ctrl+r", "retry", "Retry", show=False, id="app.retry"),
        Binding("ctrl+b", "toggle_sidebar", "Sessions", id="app.sidebar"),
        Binding("f1", "help", "Help", id="app.help"),
        Binding("f2", "pick_profile", "Profile", id="app.pick_profile"),
        Binding("f3", "pick_model", "Model", show=False, id="app.pick_model"),
        Binding("f4", "pick_theme", "Theme", show=False, id="app.theme"),
        Binding("f6", "manage_profiles", "Profiles…", show=False, id="app.manage_profiles"),
    ]

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
    ) -> None:
        collect_rarely()  # before start-up's allocations; see gc_tuning
        super().__init__()
        self.config = config
        self.store = store or SessionStore()
        self.pool = pool or EndpointPool()
        self.prompt_history = prompt_history or PromptHistory()
        self._start = (profile_name, model, continue_latest, resume, system)
        self._pane_ids = count(1)
        self.reported_skipped: set[Path] = set()  # session files a toast already named
        self._theme_problems = register_bundled_themes(self)
        theme = config.theme if config.theme in self.available_themes else DEFAULT_THEME
        if theme == self.theme:  # no change, so watch_theme will not build the render kit
            self._renderer, self._styles = self._render_kit()
        self.theme = theme

    # -- the boundary for what goes wrong -------------------------------------------------

    def known_secrets(self) -> list[str]:
        """Every key this process knows, so that nothing it shows or writes holds one."""
        from claude_tui.profiles.key_source import KeySource

        secrets = self.pool.known_secrets()
        for profile in self.config.profiles.values():
            secrets.extend(KeySource(profile).known_secrets())
        return secrets

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
                profile=profile.name,
                model=model or profile.model,
                system=system or profile.system,
                thinking=str(profile.thinking),
                deferred=True,  # saved with its first message: no empty sessions
            )
        conversation = Conversation(session, profile, self.pool)
        if model and model != conversation.settings.model:
            conversation.set_model(model)
        return ConversationPane(
            conversation,
            store=self.store,
            styles=self._styles,
            renderer=self._renderer,
            cost_of=self.cost_of,
            argument_choices=self.argument_choices,
            history=self.prompt_history,
            id=f"pane-{next(self._pane_ids)}",
        )

    @property
    def active_pane(self) -> ConversationPane | None:
        """The conversation in the visible tab."""
        found = self.query(ConversationTabs)
        return found.first().active_pane if found else None

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
        profile = self.config.profiles.get(message.profile or "")
        if profile is None:
            return message_cost(message)
        explicit = profile.prices.to_toml_dict() if profile.prices else None
        return message_cost(message, multiplier=profile.price_multiplier, explicit=explicit)

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
        if command == "export":
            return ["md", "json"]
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

    def refresh_status(self) -> None:
        """Redraw the status bar from the active pane."""
        bars = self.query(StatusBar)
        pane = self.active_pane if bars else None
        if pane is None:  # starting up or shutting down
            return
        conversation = pane.conversation
        session = conversation.session
        usage = session.total_usage()
        bars.first().show(
            StatusInfo(
                profile=conversation.profile.name,
                model=conversation.settings.model,
                thinking=_thinking_label(conversation.settings.thinking),
                context_tokens=_context_tokens(session.messages, conversation.settings.system),
                context_window=conversation.profile.context_window,
                session_tokens=usage.total_input_tokens + usage.output_tokens,
                session_cost=sum(c for m in session.messages if (c := self.cost_of(m))) or 0.0,
                note=pane.status_note,
                streaming=pane.streaming,
            )
        )

    def on_conversation_pane_state_changed(self, event: ConversationPane.StateChanged) -> None:
        self.refresh_status()
        if not event.pane.streaming:
            self.refresh_sidebar()
        pane = event.pane
        tabs = self.query(ConversationTabs)
        if tabs:  # not while the window is being torn down (a reply saved on the way out)
            title = pane.conversation.session.title or ""
            tabs.first().set_title(pane, title, streaming=pane.streaming)

    def on_conversation_tabs_activated(self, event: ConversationTabs.Activated) -> None:
        self.refresh_status()
        pane = self.active_pane
        if pane is not None:
            pane.focus_composer()

    # -- slash commands --------------------------------------------------------------------

    async def on_conversation_pane_slash_command(
        self, event: ConversationPane.SlashCommand
    ) -> None:
        await self.run_slash(event.pane, event.name, event.argument)

    async def run_slash(self, pane: ConversationPane, name: str, argument: str) -> None:
        """Carry out ``/name argument`` for ``pane``; what goes wrong is shown on the pane."""
        try:
            await self._run_slash(pane, name, argument)
        except SessionError as error:
            pane.show_alert("Not saved", str(error))
        except Exception as error:  # a bug of ours: report it, keep the app running
            pane.show_alert("claude-tui hit a bug", self.describe_bug(error))

    async def _run_slash(self, pane: ConversationPane, name: str, argument: str) -> None:
        if name in PANE_COMMANDS:
            pane.run_command(name, argument)
        elif name == "new":
            await self.action_new_tab()
        elif name == "close":
            await self.close_pane(pane)
        elif name == "clear":
            await self._clear(pane)
        elif name == "profile":
            self.switch_profile(pane, argument.strip())
        elif name == "theme":
            self.set_theme(argument.strip())
        elif name == "help":
            self.action_help()
        elif name == "quit":
            await self.action_quit()
        else:
            self.notify(f"Unknown command /{name}; /help lists them.", severity="warning")
        self.refresh_status()

    def edit_system_prompt(self) -> None:
        """Put ``/system`` and the current system prompt in the composer, to edit and send."""
        pane = self.active_pane
        if pane is not None:
            pane.composer.set_text(f"/system {pane.conversation.settings.system or ''}")

    def switch_profile(self, pane: ConversationPane, name: str) -> None:
        """Send the pane's next message to profile ``name``."""
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

    async def _clear(self, pane: ConversationPane) -> None:
        if pane.streaming:
            self.notify("Stop the streaming reply first (Esc).", severity="warning")
            return
        profile = pane.conversation.profile
        session = self.store.create(
            profile=profile.name,
            model=pane.conversation.settings.model,
            system=pane.conversation.settings.system,
            thinking=str(pane.conversation.settings.thinking),
            deferred=True,
        )
        pane.conversation = Conversation(session, profile, self.pool)
        pane.view.reset(session.messages)
        self.tabs.set_title(pane, session.title or "")
        self.notify("Started a fresh session; the previous one stays saved.")

    # -- actions ---------------------------------------------------------------------------

    def action_stop_reply(self) -> None:
        pane = self.active_pane
        if pane is not None and not pane.stop():
            pane.dismiss_alert()
            pane.focus_composer()

    async def action_new_tab(self) -> None:
        await self.open_pane()

    async def action_close_tab(self) -> None:
        """Ctrl+W: close the tab in front. In the composer, Ctrl+W deletes a word instead
        (readline's habit, which typists lean on); ``/close`` and the palette work there."""
        pane = self.active_pane
        if pane is not None:
            await self.close_pane(pane)

    async def close_pane(self, pane: ConversationPane) -> None:
        """Close ``pane``'s tab, stopping its reply (saved) and keeping unsent text in the
        prompt history; the session stays saved for the sidebar and ``-r``."""
        if len(self.panes) == 1:
            self.notify("This is the last tab: Ctrl+Q quits.")
            return
        pane.stop()
        await pane.wait_idle()
        pane.composer.composer.keep_unsent()
        await self.tabs.remove(pane)
        if self.active_pane is not None:
            self.active_pane.focus_composer()
        self.refresh_status()

    def action_next_tab(self) -> None:
        self._step_tab(1)

    def action_previous_tab(self) -> None:
        self._step_tab(-1)

    def _step_tab(self, step: int) -> None:
        self.tabs.step(step)

    def action_toggle_thinking(self) -> None:
        pane = self.active_pane
        if pane is not None:
            pane.view.toggle_all_thinking()

    def action_view_thinking(self) -> None:
        pane = self.active_pane
        if pane is not None:
            pane.view_last_thinking()

    def action_retry(self) -> None:
        pane = self.active_pane
        if pane is not None:
            pane.command_retry("")

    def action_focus_messages(self) -> None:
        pane = self.active_pane
        if pane is not None:
            pane.view.focus()

    def action_help(self) -> None:
        from claude_tui.ui.screens.help_screen import HelpScreen
        from claude_tui.ui.slash_commands import SLASH_COMMANDS

        keys = [
            (binding.key_display or self.get_key_display(binding), binding.description)
            for binding in self._help_bindings()
        ]
        commands = [(f"/{c.name} {c.argument_hint}".strip(), c.description) for c in SLASH_COMMANDS]
        self.push_screen(HelpScreen(keys, commands))

    def _help_bindings(self) -> list[Binding]:
        from claude_tui.ui.widgets.conversation.conversation_view import ConversationView

        extra = [
            Binding("enter", "", "Send the prompt"),
            Binding("shift+enter,ctrl+j", "", "New line in the prompt"),
            Binding("up,down", "", "Earlier / later prompts (cursor on the first / last row)"),
            Binding("ctrl+g", "", "Edit the prompt in $EDITOR"),
            Binding("ctrl+p", "", "Command palette"),
            Binding("tab", "", "Move focus between composer and messages"),
        ]
        own = [b for b in self.BINDINGS if isinstance(b, Binding)]
        view = [b for b in ConversationView.BINDINGS if isinstance(b, Binding)]
        return (
            extra
            + own
            + [Binding(b.key, b.action, f"{b.description} (messages focused)") for b in view]
        )

    async def action_quit(self) -> None:
        """Quit; a streaming reply is stopped and its partial text saved first, and text
        typed but not sent goes into the prompt history (Up brings it back next time)."""
        for pane in self.panes:
            if pane.stop():
                await pane.wait_idle()
            pane.composer.composer.keep_unsent()
        await self.pool.aclose()
        self.exit(0)


def _warm_up_in_thread(profile: Profile) -> None:
    """Load what the first reply needs (httpx, TLS, the demo relay, markdown-it, Pygments
    and a lexer) off the event loop, so the first streamed tokens do not stall it."""
    from claude_tui.conversation.endpoint_pool import live_profile
    from claude_tui.ui import slash_commands  # noqa: F401  (loaded for the first "/")
    from claude_tui.ui.rendering.chat_markdown import lexer_for, plain_lexer
    from claude_tui.wire import accumulator, chat_request  # noqa: F401  (loaded for the first send)
    from claude_tui.wire.chat_client import shared_ssl_context

    shared_ssl_context()
    live_profile(profile)  # starts the demo relay when the profile is the demo
    plain_lexer()
    lexer_for("python")


def _thinking_label(thinking: str | int) -> str:
    return f"{thinking} tok" if isinstance(thinking, int) else str(thinking)


def _context_tokens(messages: list[ChatMessage], system: str | None) -> int:
    """What the next request will hold: the last reply's usage plus its output, else an
    estimate of the history."""
    for message in reversed(messages):
        if message.role == "assistant" and message.usage and message.usage.total_input_tokens:
            return message.usage.total_input_tokens + message.usage.output_tokens
    return estimate_request_tokens([m.to_api() for m in messages], system)

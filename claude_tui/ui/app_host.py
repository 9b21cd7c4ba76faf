"""What the app's action mixins need from the app, stated once (as Toad's ``protocol.py``).

:class:`~claude_tui.ui.session_actions.SessionActions` and
:class:`~claude_tui.ui.picker_actions.PickerActions` are typed against :class:`AppHost`
rather than against ``ClaudeTuiApp``: they can be read (and faked in a test) without the app,
and importing them no longer pulls the app module in.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from claude_tui.ui.command_dispatch import CommandHost

if TYPE_CHECKING:
    from textual.css.query import DOMQuery
    from textual.screen import Screen
    from textual.theme import Theme
    from textual.widget import Widget

    from claude_tui.profiles import Config, Profile
    from claude_tui.sessions.session import Session
    from claude_tui.ui.widgets.conversation.conversation_pane import ConversationPane
    from claude_tui.ui.widgets.sessions.session_sidebar import SessionSidebar


class AppHost(CommandHost, Protocol):
    """The window: its tabs, the sessions sidebar, screens and the config it runs on."""

    reported_skipped: set[Path]
    theme: str

    @property
    def panes(self) -> list[ConversationPane]: ...

    @property
    def available_themes(self) -> dict[str, Theme]: ...

    @property
    def sidebar(self) -> SessionSidebar | None: ...

    @property
    def sidebar_shown(self) -> bool: ...

    def query(self, selector: str) -> DOMQuery[Widget]: ...

    def query_one(self, selector: str) -> Widget: ...

    def push_screen(
        self, screen: Screen[Any], callback: Callable[..., Any] | None = None
    ) -> Any: ...

    async def open_pane(
        self, *, session: Session | None = None, profile: Profile | None = None
    ) -> ConversationPane: ...

    def apply_config(self, config: Config) -> None: ...

    def refresh_sidebar(self) -> None: ...

    def report_skipped_sessions(self) -> None: ...

    def open_saved(self, session_id: str) -> Session | None: ...

    def pane_showing(self, session_id: str) -> ConversationPane | None: ...

    def action_pick_theme(self) -> None: ...

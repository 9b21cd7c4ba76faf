"""What the app does with the sessions sidebar: open, fork, export, rename, delete.

A mixin of the app, typed against :class:`~claude_tui.ui.app_host.AppHost`; split from
``app.py`` along the seam between "the window and its tabs" and "the saved sessions behind
them".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from claude_tui.conversation.conversation import Conversation
from claude_tui.conversation.session_choice import choose_profile
from claude_tui.sessions.session_errors import SessionError

if TYPE_CHECKING:
    from claude_tui.sessions.session import Session
    from claude_tui.ui.app_host import AppHost
    from claude_tui.ui.widgets.conversation.conversation_pane import ConversationPane
    from claude_tui.ui.widgets.sessions.session_sidebar import SessionSidebar

SIDEBAR_ID = "sidebar"
"""The sidebar's widget id. It is looked up by id, not class: its module (with the session
list, search and dialogs behind it) is imported on first use, not at launch."""


class SessionActions:
    """Sidebar message handlers and the toggle action."""

    @property
    def sidebar(self: AppHost) -> SessionSidebar | None:
        """The sessions sidebar, or None before its first use."""
        found = self.query(f"#{SIDEBAR_ID}")
        return cast("SessionSidebar", found.first()) if found else None

    @property
    def sidebar_shown(self: AppHost) -> bool:
        """True while the sessions sidebar is on screen."""
        sidebar = self.sidebar
        return sidebar is not None and bool(sidebar.display)

    def refresh_sidebar(self: AppHost) -> None:
        """List the saved sessions again, if the sidebar is on screen."""
        if self.sidebar_shown:
            cast("SessionSidebar", self.sidebar).refresh_sessions()
            self.report_skipped_sessions()

    def report_skipped_sessions(self: AppHost) -> None:
        """Say once, in one toast, which session files the last listing had to skip (a
        damaged line, a FIFO, an unreadable index); a file already reported is not again."""
        from claude_tui.sessions.skipped_file import skipped_notice

        new = [item for item in self.store.skipped if item.path not in self.reported_skipped]
        if new:
            self.reported_skipped.update(item.path for item in new)
            self.notify(skipped_notice(new), severity="warning", timeout=15)

    async def action_toggle_sidebar(self: AppHost) -> None:
        """Show the sessions sidebar (filter focused) or hide it.

        It is mounted on first use: listing the saved sessions is work a launch should
        not pay for.
        """
        sidebar = self.sidebar
        if sidebar is None:
            from claude_tui.ui.widgets.sessions.session_sidebar import SessionSidebar

            sidebar = SessionSidebar(self.store, id=SIDEBAR_ID)
            sidebar.display = False
            await self.query_one("#main").mount(sidebar, before=0)
        if sidebar.display:
            sidebar.display = False
            if self.active_pane is not None:
                self.active_pane.focus_composer()
            return
        sidebar.display = True
        sidebar.refresh_sessions()
        self.report_skipped_sessions()
        sidebar.focus_filter()

    def open_saved(self: AppHost, session_id: str) -> Session | None:
        """The saved session, or None after telling the user why it cannot be opened."""
        try:
            return self.store.open(session_id)
        except SessionError as exc:
            self.notify(str(exc), severity="error")
            return None

    def pane_showing(self: AppHost, session_id: str) -> ConversationPane | None:
        return next((p for p in self.panes if p.conversation.session.id == session_id), None)

    async def on_session_sidebar_open_requested(
        self: AppHost, event: SessionSidebar.OpenRequested
    ) -> None:
        open_pane = self.pane_showing(event.session_id)
        if open_pane is not None:
            self.tabs.activate(open_pane)
            open_pane.focus_composer()
            return
        session = self.open_saved(event.session_id)
        if session is None:
            return
        profile = choose_profile(self.config, None, session)
        pane = self.active_pane
        reuse = pane is not None and not event.new_tab and not pane.streaming
        if reuse and pane is not None:
            pane.conversation = Conversation(session, profile, self.pool, self.turn_services)
            pane.view.reset(session.messages)
            self.tabs.set_title(pane, session.title or "")
            pane.focus_composer()
            self.refresh_status()
        else:
            await self.open_pane(session=session, profile=profile)

    def on_session_sidebar_fork_requested(
        self: AppHost, event: SessionSidebar.ForkRequested
    ) -> None:
        from claude_tui.ui.screens.fork_screen import ForkScreen

        session = self.open_saved(event.session_id)
        if session is None:
            return
        if not session.messages:
            self.notify("This session has no messages to fork from.", severity="warning")
            return

        async def chosen(message_id: str | None) -> None:
            if not message_id:
                return
            fork = self.store.fork(session, message_id)
            self.refresh_sidebar()
            await self.open_pane(session=fork, profile=choose_profile(self.config, None, fork))
            self.notify(f"Forked into a new session: {fork.title}")

        self.push_screen(ForkScreen(session.messages, title=session.title), chosen)

    def on_session_sidebar_export_requested(
        self: AppHost, event: SessionSidebar.ExportRequested
    ) -> None:
        from claude_tui.ui.widgets.conversation.pane_commands import export_to_cwd

        session = self.open_saved(event.session_id)
        if session is None:
            return
        export_to_cwd(cast("SessionSidebar", self.sidebar), session, event.format)

    def on_session_sidebar_renamed(self: AppHost, event: SessionSidebar.Renamed) -> None:
        pane = self.pane_showing(event.session_id)
        if pane is not None:
            pane.conversation.session.title = event.title  # saved already; keep memory in step
            self.tabs.set_title(pane, event.title)

    async def on_session_sidebar_deleted(self: AppHost, event: SessionSidebar.Deleted) -> None:
        pane = self.pane_showing(event.session_id)
        if pane is None:
            return
        pane.stop()
        await pane.wait_idle()
        if len(self.panes) > 1:
            await self.tabs.remove(pane)
        else:
            from claude_tui.ui.command_dispatch import clear_pane

            await clear_pane(self, pane)

    def on_session_sidebar_closed(self: AppHost, event: SessionSidebar.Closed) -> None:
        cast("SessionSidebar", self.sidebar).display = False
        if self.active_pane is not None:
            self.active_pane.focus_composer()

"""The sessions sidebar: a filter, the saved sessions newest first, a status line and a line
naming the keys.

The keys follow one model, shown in the key line:

- The filter has the keyboard when the sidebar opens. Typing filters (the first match is
  highlighted); Enter opens the highlighted session (Ctrl+Enter in a new tab); Down or Tab
  moves into the list; Esc clears the filter, and Esc in an empty filter closes the sidebar.
- In the list, letters are commands: Enter open, o open in a new tab, r rename, d delete,
  f fork, x / X export Markdown / JSON; Up/Down (j/k), PageUp/PageDown, Home/End move.
  ``/``, Esc, Up on the first row, or any printable key that is no command go back to the
  filter (that key is typed into it), so a letter never both filters and acts.

Typing filters by title at once, and a background thread searches the text of the messages,
adding matches as it finds them; a new keystroke cancels the search in progress. The sidebar
renames and deletes sessions itself (both are one store call); opening, forking and exporting
are asked of the app with messages, since they concern tabs and files the app owns.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from claude_tui.sessions.session_errors import SessionError, SessionNotFound
from claude_tui.sessions.session_index import SessionSummary
from claude_tui.sessions.session_search import search_sessions
from claude_tui.sessions.session_store import SessionStore
from claude_tui.ui.screens.confirm_screen import ConfirmScreen
from claude_tui.ui.screens.rename_screen import RenameScreen
from claude_tui.ui.widgets.sessions.session_list import UNTITLED, SessionList

logger = logging.getLogger(__name__)

SEARCH_REPORT_INTERVAL = 0.05
"""Seconds between progress reports of a message search (each one repaints the list)."""

AGE_REFRESH_INTERVAL = 60.0


# Three short lines each (the sidebar is 36 cells wide), so the list does not change height
# when the keyboard moves between the filter and the list.
FILTER_KEYS_EMPTY = "Type to filter\n↓ or Tab: the list\nEnter open · Esc close"
FILTER_KEYS = "Type to filter\n↓ or Tab: the list\nEnter open · Esc clear"
LIST_KEYS = "Enter open · o new tab\nr rename · d delete · f fork\nx/X export · / or Esc: filter"


class SessionSidebar(Vertical):
    """Saved sessions with a filter; the app docks it and reacts to its messages."""

    DEFAULT_CSS = """
    SessionSidebar {
        width: 36;
        height: 1fr;
        background: $surface;
        border-right: vkey $foreground 10%;
        & > #session-filter {
            margin: 0 0 1 0;
        }
        & > #session-status {
            height: 1;
            padding: 0 1;
            color: $text-muted;
            background: $surface;
        }
        & > #session-keys {
            height: 3;
            padding: 0 1;
            color: $text-muted;
            background: $surface;
        }
    }
    """

    BINDINGS = [
        # The list binds its own keys; these act while the filter has the keyboard.
        Binding("down", "focus_list", "List", show=False, id="sessions.down"),
        Binding("ctrl+enter", "open(True)", "Open in tab", show=False, id="sessions.open_tab"),
        Binding("escape", "escape", "Clear / close", show=False, id="sessions.escape"),
    ]

    class OpenRequested(Message):
        """Open this session, in a new tab when ``new_tab``."""

        def __init__(self, session_id: str, new_tab: bool = False) -> None:
            super().__init__()
            self.session_id = session_id
            self.new_tab = new_tab

    class ForkRequested(Message):
        """Fork this session; the app asks up to which message (see ``ForkScreen``)."""

        def __init__(self, session_id: str) -> None:
            super().__init__()
            self.session_id = session_id

    class ExportRequested(Message):
        """Export this session; ``format`` is "md" or "json"."""

        def __init__(self, session_id: str, format: str) -> None:
            super().__init__()
            self.session_id = session_id
            self.format = format

    class Renamed(Message):
        """The user renamed this session (a tab showing it may want the new title)."""

        def __init__(self, session_id: str, title: str) -> None:
            super().__init__()
            self.session_id = session_id
            self.title = title

    class Deleted(Message):
        """This session was deleted (its file is gone): close any tab showing it."""

        def __init__(self, session_id: str) -> None:
            super().__init__()
            self.session_id = session_id

    class Closed(Message):
        """The user pressed Escape with an empty filter: hide the sidebar."""

    class SearchProgress(Message):
        """Internal: sent from the search thread with matches found since the last one."""

        def __init__(
            self, generation: int, found: list[str], searched: int, total: int, done: bool
        ) -> None:
            super().__init__()
            self.generation = generation
            self.found = found
            self.searched = searched
            self.total = total
            self.done = done

    def __init__(self, store: SessionStore, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self._summaries: list[SessionSummary] = []
        self._titles: list[str] = []  # casefolded titles, parallel to _summaries
        self._query = ""
        self._title_matches: set[str] = set()
        self._text_matches: set[str] = set()  # shown now
        self._new_text_matches: set[str] = set()  # found by the running search
        self._generation = 0
        self._search_state: tuple[int, int] | None = None  # (searched, total) while running
        self._highlight_first = True  # typed a filter, not yet in the list: Enter opens the top

    def compose(self) -> ComposeResult:
        # Not selected on focus: a key typed in the list is added to the filter, not a
        # replacement for it.
        yield Input(
            placeholder="Filter sessions…", compact=True, select_on_focus=False, id="session-filter"
        )
        yield SessionList(id="session-list")
        yield Static("", id="session-status", markup=False)
        yield Static(FILTER_KEYS_EMPTY, id="session-keys", markup=False)

    def on_mount(self) -> None:
        self.refresh_sessions()
        self.set_interval(AGE_REFRESH_INTERVAL, self.session_list.refresh_rows)

    # -- public API ------------------------------------------------------------------------

    @property
    def session_list(self) -> SessionList:
        """The list widget."""
        return self.query_one(SessionList)

    @property
    def filter_input(self) -> Input:
        """The filter field."""
        return self.query_one("#session-filter", Input)

    @property
    def sessions(self) -> Sequence[SessionSummary]:
        """The sessions shown, in order."""
        return self.session_list.sessions

    @property
    def searching(self) -> bool:
        """Whether a message-text search is running."""
        return self._search_state is not None

    def refresh_sessions(self) -> None:
        """Read the session list from the store again (after a save, a rename elsewhere...),
        keeping the filter and the highlighted session."""
        self._summaries = self.store.list()
        self._titles = [(summary.title or "").casefold() for summary in self._summaries]
        self._apply_filter(keep_text_matches=True)

    def set_filter(self, text: str) -> None:
        """Filter as if the user had typed ``text`` (the list changes before this returns)."""
        with self.filter_input.prevent(Input.Changed):
            self.filter_input.value = text
        self._set_query(text)

    def focus_filter(self) -> None:
        """Put the keyboard in the filter field."""
        self.filter_input.focus()

    def focus_list(self) -> None:
        """Put the keyboard in the list."""
        self.session_list.focus()

    # -- filtering -------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._set_query(event.value)

    def _set_query(self, text: str) -> None:
        self._show_keys()
        query = text.strip()
        if query == self._query:
            return
        self._query = query
        self._highlight_first = True
        self._apply_filter(keep_text_matches=False)

    def _apply_filter(self, *, keep_text_matches: bool) -> None:
        folded = self._query.casefold()
        if folded:
            self._title_matches = {
                summary.id
                for summary, title in zip(self._summaries, self._titles, strict=True)
                if folded in title
            }
        else:
            self._title_matches = set()
        if not keep_text_matches:
            self._text_matches = set()
        self._start_search()
        self._show()

    def _show(self) -> None:
        if not self._query:
            shown = self._summaries
            empty = "No saved sessions yet."
        else:
            wanted = self._title_matches | self._text_matches
            shown = [summary for summary in self._summaries if summary.id in wanted]
            empty = "Searching messages…" if self.searching else f"Nothing matches “{self._query}”."
        self.session_list.show(shown, empty_text=empty, keep_highlight=not self._highlight_first)
        self._show_status()

    def _show_status(self) -> None:
        total = len(self._summaries)
        shown = len(self.session_list.sessions)
        if not self._query:
            text = f"{total} session{'' if total == 1 else 's'}"
        else:
            text = f"{shown} of {total} match"
        if self._search_state is not None:
            searched, of = self._search_state
            text += f" · searching… {searched}/{of}"
        self.query_one("#session-status", Static).update(text)

    def _start_search(self) -> None:
        self._generation += 1
        self._new_text_matches = set()
        self.workers.cancel_group(self, "session-search")
        if not self._query:
            self._search_state = None
            return
        # Sessions whose title matches are shown already; their files need no reading.
        ids = [s.id for s in self._summaries if s.id not in self._title_matches]
        self._search_state = (0, len(ids))
        self._search_messages(self._generation, self._query, ids)

    @work(thread=True, exclusive=True, group="session-search", exit_on_error=False)
    def _search_messages(self, generation: int, query: str, ids: list[str]) -> None:
        """Runs in a thread: searches the files and reports back every few hundredths of a
        second, so typing never waits for the disk."""
        worker = get_current_worker()
        found: list[str] = []
        last_report = time.monotonic()

        def report(searched: int, total: int) -> None:
            nonlocal found, last_report
            now = time.monotonic()
            if now - last_report >= SEARCH_REPORT_INTERVAL:
                self.post_message(self.SearchProgress(generation, found, searched, total, False))
                found = []
                last_report = now

        matches = search_sessions(
            self.store,
            query,
            should_stop=lambda: worker.is_cancelled,
            session_ids=ids,
            progress=report,
        )
        try:
            for session_id in matches:
                found.append(session_id)
        except Exception:  # a bug must not leave "searching…" on screen forever
            logger.exception("searching session messages for %r failed", query)
        if not worker.is_cancelled:
            self.post_message(self.SearchProgress(generation, found, len(ids), len(ids), True))

    def on_session_sidebar_search_progress(self, event: SessionSidebar.SearchProgress) -> None:
        event.stop()
        if event.generation != self._generation:
            return  # a search for an earlier query
        self._new_text_matches.update(event.found)
        self._text_matches.update(event.found)
        if event.done:
            # A refresh keeps earlier matches on screen until the new search has finished.
            self._text_matches = self._new_text_matches
            self._search_state = None
        else:
            self._search_state = (event.searched, event.total)
        self._show()

    # -- focus: the filter or the list -----------------------------------------------------

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget is self.session_list:
            self._highlight_first = False  # the user moves the highlight from here on
        self._show_keys()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._show_keys()

    def on_session_list_filter_wanted(self, event: SessionList.FilterWanted) -> None:
        event.stop()
        field = self.filter_input
        field.focus()
        field.cursor_position = len(field.value)
        if event.text:
            field.insert_text_at_cursor(event.text)  # Input.Changed filters as typing does

    def action_focus_list(self) -> None:
        self.focus_list()

    def _show_keys(self) -> None:
        """Name the keys of the part that has the keyboard (the list's when it has it)."""
        if not self.is_mounted:
            return
        if self.session_list.has_focus:
            text = LIST_KEYS
        else:
            text = FILTER_KEYS if self.filter_input.value else FILTER_KEYS_EMPTY
        self.query_one("#session-keys", Static).update(text)

    # -- actions ---------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open(False)

    def on_session_list_action(self, event: SessionList.Action) -> None:
        event.stop()
        session_id = event.session_id
        if event.kind in ("open", "open_tab"):
            self.post_message(self.OpenRequested(session_id, new_tab=event.kind == "open_tab"))
        elif event.kind == "rename":
            self.rename(session_id)
        elif event.kind == "delete":
            self.delete(session_id)
        elif event.kind == "fork":
            self.post_message(self.ForkRequested(session_id))
        elif event.kind in ("export_md", "export_json"):
            self.post_message(self.ExportRequested(session_id, event.kind.removeprefix("export_")))

    def rename(self, session_id: str) -> None:
        """Ask for a new title, then rename the session."""
        summary = self._summary(session_id)

        def renamed(title: str | None) -> None:
            if not title:
                return
            try:
                session = self.store.open(session_id)
                session.rename(title)
            except (SessionError, ValueError) as error:
                self.notify(str(error), severity="error")
                return
            self.refresh_sessions()
            self.post_message(self.Renamed(session_id, session.title or title))

        current = summary.title if summary is not None else None
        self.app.push_screen(RenameScreen(current or ""), renamed)

    def delete(self, session_id: str) -> None:
        """Ask for confirmation, then delete the session's file."""
        summary = self._summary(session_id)
        title = (summary.title if summary is not None else None) or UNTITLED

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.store.delete(session_id)
            except SessionNotFound:
                pass  # already gone (another window): the list and tabs still need updating
            except OSError as error:
                self.notify(f"Could not delete the session: {error}", severity="error")
                return
            self.refresh_sessions()
            self.post_message(self.Deleted(session_id))

        question = f"Delete the session “{title}”? Its file is removed; this cannot be undone."
        self.app.push_screen(ConfirmScreen(question, yes="Delete"), answered)

    def _summary(self, session_id: str) -> SessionSummary | None:
        return next((s for s in self._summaries if s.id == session_id), None)

    def action_move(self, step: int) -> None:
        self.session_list.move(step)

    def action_open(self, new_tab: bool) -> None:
        session_id = self.session_list.highlighted_id
        if session_id is not None:
            self.post_message(self.OpenRequested(session_id, new_tab=new_tab))

    def action_escape(self) -> None:
        if self.filter_input.value:
            self.set_filter("")
            self.focus_filter()
        else:
            self.post_message(self.Closed())

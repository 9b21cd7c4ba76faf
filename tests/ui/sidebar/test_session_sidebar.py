"""The sessions sidebar: listing, filtering, and the actions on a session."""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, OptionList
from textual.worker import WorkerCancelled

from claude_tui.chat_message import ChatMessage
from claude_tui.sessions import Session, SessionStore, SessionSummary
from claude_tui.sessions.session_file import encode_record, header_record, message_record
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.ui.screens.confirm_screen import ConfirmScreen
from claude_tui.ui.screens.fork_screen import ForkScreen
from claude_tui.ui.screens.rename_screen import RenameScreen
from claude_tui.ui.widgets.sessions.session_list import SessionList, format_age, row_details
from claude_tui.ui.widgets.sessions.session_sidebar import SessionSidebar

SIZE = (80, 30)


class SidebarApp(App[None]):
    """Just the sidebar (wide enough for whole rows), recording what it asks of the app."""

    CSS = "SessionSidebar { width: 60; }"

    def __init__(self, store: SessionStore) -> None:
        super().__init__()
        self.store = store
        self.received: list[Any] = []  # the sidebar's messages, as they came

    def compose(self) -> ComposeResult:
        yield SessionSidebar(self.store, id="sidebar")

    def on_session_sidebar_open_requested(self, event: SessionSidebar.OpenRequested) -> None:
        self.received.append(event)

    def on_session_sidebar_fork_requested(self, event: SessionSidebar.ForkRequested) -> None:
        self.received.append(event)

    def on_session_sidebar_export_requested(self, event: SessionSidebar.ExportRequested) -> None:
        self.received.append(event)

    def on_session_sidebar_renamed(self, event: SessionSidebar.Renamed) -> None:
        self.received.append(event)

    def on_session_sidebar_deleted(self, event: SessionSidebar.Deleted) -> None:
        self.received.append(event)

    def on_session_sidebar_closed(self, event: SessionSidebar.Closed) -> None:
        self.received.append(event)

    @property
    def sidebar(self) -> SessionSidebar:
        return self.query_one(SessionSidebar)


def _session(store: SessionStore, prompt: str, reply: str, *, profile: str = "work") -> Session:
    session = store.create(SessionSettings(profile=profile, model="claude-test"))
    session.append_message(ChatMessage.user(prompt))
    session.finish_reply(ChatMessage(role="assistant", content=[{"type": "text", "text": reply}]))
    return session


@pytest.fixture
def store(tmp_path: Path) -> SessionStore:
    store = SessionStore(tmp_path / "sessions")
    _session(store, "Boiling eggs", "Ten minutes in water.")
    _session(store, "Rust lifetimes", "Borrowing rules explained.", profile="home")
    _session(store, "Packing for a trip", "Bring socks and a towel.")
    return store


def _titles(sidebar: SessionSidebar) -> list[str | None]:
    return [summary.title for summary in sidebar.sessions]


async def _settle(app: SidebarApp) -> None:
    """Let the message search thread finish and its reports be handled."""
    for _ in range(500):
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await asyncio.sleep(0.01)
        if not app.sidebar.searching:
            return
    raise AssertionError("the message search did not finish")


async def test_lists_newest_first_with_row_details(store: SessionStore) -> None:
    app = SidebarApp(store)
    async with app.run_test(size=SIZE):
        sidebar = app.sidebar
        assert _titles(sidebar) == ["Packing for a trip", "Rust lifetimes", "Boiling eggs"]
        lines = sidebar.session_list.visible_text().splitlines()
        assert lines[0].strip() == "Packing for a trip"
        assert lines[1].strip() == "work · claude-test · just now · 2 msgs"
        assert lines[2].strip() == "Rust lifetimes"
        assert lines[3].strip() == "home · claude-test · just now · 2 msgs"
        assert "3 sessions" in str(sidebar.query_one("#session-status").render())


def test_row_details_and_ages() -> None:
    assert format_age(5) == "just now"
    assert format_age(3 * 60 + 5) == "3m ago"
    assert format_age(2 * 3600) == "2h ago"
    assert format_age(3 * 86400) == "3d ago"
    assert format_age(400 * 86400) == "1y ago"
    assert format_age(3 * 60, short=True) == "3m"
    summary = SessionSummary(
        id="a",
        title="t",
        created=0,
        updated=1000 - 720,
        profile="default",
        model="claude-sonnet-4-5",
        message_count=1,
        folder=Path("/x"),
    )
    assert row_details(summary, 60, now=1000) == "default · claude-sonnet-4-5 · 12m ago · 1 msg"
    # Too narrow: the age loses "ago", then the profile and model are ellipsised.
    assert row_details(summary, 32, now=1000) == "def… · claude-son… · 12m · 1 msg"


async def test_long_titles_are_ellipsised(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "sessions")
    store.create(SessionSettings(profile="p", model="m"), title="A very long title " * 5)
    app = SidebarApp(store)
    async with app.run_test(size=SIZE):
        first = app.sidebar.session_list.visible_text().splitlines()[0]
        assert first.rstrip().endswith("…")
        assert len(first) <= 60


async def test_filter_by_title_is_immediate(store: SessionStore) -> None:
    app = SidebarApp(store)
    async with app.run_test(size=SIZE) as pilot:
        app.sidebar.focus_filter()
        await pilot.press(*"RUST")
        assert _titles(app.sidebar) == ["Rust lifetimes"]
        await _settle(app)
        assert _titles(app.sidebar) == ["Rust lifetimes"]
        assert "1 of 3 match" in str(app.sidebar.query_one("#session-status").render())


async def test_filter_by_message_text_in_the_background(store: SessionStore) -> None:
    app = SidebarApp(store)
    async with app.run_test(size=SIZE) as pilot:
        app.sidebar.focus_filter()
        await pilot.press(*"towel")
        await _settle(app)
        assert _titles(app.sidebar) == ["Packing for a trip"]
        # A title match and a message match are shown together, newest first.
        # "in": the titles "Boiling eggs" and "Packing...", the text "Borrowing rules".
        app.sidebar.set_filter("in")
        await _settle(app)
        assert _titles(app.sidebar) == ["Packing for a trip", "Rust lifetimes", "Boiling eggs"]
        app.sidebar.set_filter("nothing like it")
        await _settle(app)
        assert _titles(app.sidebar) == []
        assert "Nothing matches" in app.sidebar.session_list.visible_text()


async def test_a_new_query_cancels_the_running_search(store: SessionStore) -> None:
    app = SidebarApp(store)
    async with app.run_test(size=SIZE):
        sidebar = app.sidebar
        sidebar.set_filter("socks")
        sidebar.set_filter("borrowing")
        await _settle(app)
        assert _titles(sidebar) == ["Rust lifetimes"]


async def test_enter_and_o_post_open_requests(store: SessionStore) -> None:
    app = SidebarApp(store)
    async with app.run_test(size=SIZE) as pilot:
        sidebar = app.sidebar
        sidebar.focus_list()
        await pilot.press("down", "enter")
        await pilot.press("down", "o")
        await pilot.pause()
        opened = [(e.session_id, e.new_tab) for e in app.received]
        ids = [summary.id for summary in sidebar.sessions]
        assert opened == [(ids[1], False), (ids[2], True)]

        # From the filter, Enter opens the highlighted session.
        app.received.clear()
        sidebar.focus_filter()
        await pilot.press("enter")
        await pilot.pause()
        assert [(e.session_id, e.new_tab) for e in app.received] == [(ids[2], False)]


async def test_down_and_tab_move_from_the_filter_into_the_list_where_letters_are_commands(
    store: SessionStore,
) -> None:
    app = SidebarApp(store)
    async with app.run_test(size=SIZE) as pilot:
        sidebar = app.sidebar
        sidebar.focus_filter()
        await pilot.press("down")
        assert app.focused is sidebar.session_list
        await pilot.press("down", "r")  # rename the second session, not filter by "r"
        await pilot.pause()
        assert isinstance(app.screen, RenameScreen)
        assert app.screen.query_one(Input).value == "Rust lifetimes"
        await pilot.press("escape")
        await pilot.pause()
        assert sidebar.filter_input.value == ""
        assert app.focused is sidebar.session_list

        sidebar.focus_filter()
        await pilot.press("tab")
        assert app.focused is sidebar.session_list


async def test_in_the_list_other_keys_slash_and_escape_go_back_to_the_filter(
    store: SessionStore,
) -> None:
    app = SidebarApp(store)
    async with app.run_test(size=SIZE) as pilot:
        sidebar = app.sidebar
        sidebar.focus_list()
        await pilot.press(*"boil")  # b is no command: it starts the filter, the rest follow
        assert app.focused is sidebar.filter_input
        assert sidebar.filter_input.value == "boil"
        assert _titles(sidebar) == ["Boiling eggs"]

        await pilot.press("down", "slash")
        assert app.focused is sidebar.filter_input
        await pilot.press("s")  # typed at the end of the filter, not over it
        assert sidebar.filter_input.value == "boils"

        sidebar.set_filter("")
        await pilot.press("down", "escape")  # Esc in the list: back to the filter...
        assert app.focused is sidebar.filter_input
        assert app.received == []
        await pilot.press("down", "end", "up", "up", "up")  # ...and Up on the first row
        assert app.focused is sidebar.filter_input
        await pilot.press("escape")  # Esc in an empty filter closes the sidebar
        await pilot.pause()
        assert [type(e).__name__ for e in app.received] == ["Closed"]


async def test_the_key_line_names_the_keys_of_the_part_with_the_keyboard(
    store: SessionStore,
) -> None:
    app = SidebarApp(store)
    async with app.run_test(size=SIZE) as pilot:
        sidebar = app.sidebar

        def keys() -> str:
            return str(sidebar.query_one("#session-keys").render())

        sidebar.focus_filter()
        await pilot.pause()
        assert "Type to filter" in keys() and "Esc close" in keys()
        await pilot.press("e")
        assert "Esc clear" in keys()
        await pilot.press("down")
        await pilot.pause()
        for named in ("r rename", "d delete", "f fork", "o new tab", "/ or Esc: filter"):
            assert named in keys()


async def test_typing_a_filter_highlights_the_first_match(store: SessionStore) -> None:
    app = SidebarApp(store)
    async with app.run_test(size=SIZE) as pilot:
        sidebar = app.sidebar
        sidebar.focus_list()
        await pilot.press("end")  # "Boiling eggs", the last row
        sidebar.focus_filter()
        await pilot.press("i")  # "Packing for a trip", "Rust lifetimes" and "Boiling eggs"
        assert len(sidebar.sessions) == 3
        assert sidebar.session_list.highlighted_id == sidebar.sessions[0].id
        await _settle(app)
        await pilot.press("enter")
        await pilot.pause()
        assert [e.session_id for e in app.received] == [sidebar.sessions[0].id]


async def test_clicks_highlight_then_open(store: SessionStore) -> None:
    app = SidebarApp(store)
    async with app.run_test(size=SIZE) as pilot:
        sidebar = app.sidebar
        ids = [summary.id for summary in sidebar.sessions]
        await pilot.click(SessionList, offset=(4, 2))  # the second row's title
        assert sidebar.session_list.highlighted_id == ids[1]
        assert app.received == []
        await pilot.click(SessionList, offset=(4, 3))
        await pilot.pause()
        assert [e.session_id for e in app.received] == [ids[1]]


async def test_fork_and_export_post_requests(store: SessionStore) -> None:
    app = SidebarApp(store)
    async with app.run_test(size=SIZE) as pilot:
        app.sidebar.focus_list()
        await pilot.press("f", "x", "X")
        await pilot.pause()
        first = app.sidebar.sessions[0].id
        kinds = [(type(e).__name__, e.session_id) for e in app.received]
        assert kinds == [
            ("ForkRequested", first),
            ("ExportRequested", first),
            ("ExportRequested", first),
        ]
        formats = [e.format for e in app.received if isinstance(e, SessionSidebar.ExportRequested)]
        assert formats == ["md", "json"]


async def test_rename(store: SessionStore) -> None:
    app = SidebarApp(store)
    async with app.run_test(size=SIZE) as pilot:
        app.sidebar.focus_list()
        first = app.sidebar.sessions[0].id
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RenameScreen)
        assert app.screen.query_one(Input).value == "Packing for a trip"
        await pilot.press("ctrl+a", "ctrl+k", *"Holiday", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, RenameScreen)
        assert store.open(first).title == "Holiday"
        assert app.sidebar.sessions[0].title == "Holiday"
        assert "Holiday" in app.sidebar.session_list.visible_text()
        renamed = [e for e in app.received if isinstance(e, SessionSidebar.Renamed)]
        assert [(e.session_id, e.title) for e in renamed] == [(first, "Holiday")]

        # Escape cancels without writing.
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert store.open(first).title == "Holiday"


async def test_delete_asks_first(store: SessionStore) -> None:
    app = SidebarApp(store)
    async with app.run_test(size=SIZE) as pilot:
        sidebar = app.sidebar
        sidebar.focus_list()
        first = sidebar.sessions[0].id
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert store.path_for(first).exists()
        assert len(sidebar.sessions) == 3
        assert app.received == []

        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not store.path_for(first).exists()
        assert _titles(sidebar) == ["Rust lifetimes", "Boiling eggs"]
        assert [(type(e).__name__, e.session_id) for e in app.received] == [("Deleted", first)]


async def test_escape_clears_the_filter_then_closes(store: SessionStore) -> None:
    app = SidebarApp(store)
    async with app.run_test(size=SIZE) as pilot:
        sidebar = app.sidebar
        sidebar.focus_filter()
        await pilot.press(*"rust")
        await pilot.press("escape")
        await pilot.pause()
        assert sidebar.filter_input.value == ""
        assert len(sidebar.sessions) == 3
        assert app.received == []
        await pilot.press("escape")
        await pilot.pause()
        assert [type(e).__name__ for e in app.received] == ["Closed"]


async def test_refresh_sessions_picks_up_new_saves(store: SessionStore) -> None:
    app = SidebarApp(store)
    async with app.run_test(size=SIZE):
        sidebar = app.sidebar
        oldest = store.open(sidebar.sessions[-1].id)
        oldest.append_message(ChatMessage.user("one more question"))
        sidebar.refresh_sessions()
        assert _titles(sidebar)[0] == "Boiling eggs"
        assert sidebar.sessions[0].message_count == 3


async def test_fork_screen_returns_the_chosen_message(store: SessionStore) -> None:
    session = store.open(store.list()[0].id)
    chosen: list[str | None] = []

    class ForkApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ForkScreen(session.messages, title=session.title), chosen.append)

    app = ForkApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first_line = app.screen.query_one("#messages", OptionList).render_line(0).text
        assert first_line.startswith("You    Packing for a trip")
        await pilot.press("up", "enter")  # from the newest message to the one before
        await pilot.pause()
    assert chosen == [session.messages[0].id]
    forked = store.fork(session, session.messages[0].id)
    assert [m.text for m in forked.messages] == ["Packing for a trip"]


def _write_sessions(root: Path, count: int) -> None:
    """Write ``count`` small session files directly, as the store would (much faster)."""
    root.mkdir(parents=True, exist_ok=True)
    now = time.time()
    prompt = ChatMessage.user("placeholder")
    for number in range(count):
        at = now - number * 60
        header = header_record(
            session_id=f"s{number:05d}",
            title=f"Session number {number}",
            created=at,
            at=at,
            settings=SessionSettings(profile="work", model="claude-test", system=None),
        )
        prompt.id = f"m{number}"
        prompt.content = [{"type": "text", "text": f"question {number} about sessions"}]
        lines = encode_record(header) + encode_record(message_record(prompt, at=at))
        (root / f"s{number:05d}.jsonl").write_text(lines, encoding="utf-8")


async def test_ten_thousand_sessions(tmp_path: Path) -> None:
    root = tmp_path / "sessions"
    _write_sessions(root, 10_000)
    store = SessionStore(root)
    app = SidebarApp(store)
    async with app.run_test(size=SIZE) as pilot:
        sidebar = app.sidebar
        assert len(sidebar.sessions) == 10_000
        assert "10000 sessions" in str(sidebar.query_one("#session-status").render())
        lines = sidebar.session_list.visible_text().splitlines()
        assert lines[0].strip() == "Session number 0"
        assert lines[1].strip() == "work · claude-test · just now · 1 msg"
        sidebar.focus_list()
        await pilot.press("end")
        await pilot.pause()
        assert "Session number 9999" in sidebar.session_list.visible_text()
        assert sidebar.session_list.highlighted_id == "s09999"

        sidebar.set_filter("number 1234")
        assert _titles(sidebar) == ["Session number 1234"]
        sidebar.set_filter("question 4321 about")
        await _settle(app)
        assert _titles(sidebar) == ["Session number 4321"]

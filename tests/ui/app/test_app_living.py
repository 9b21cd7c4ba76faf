"""The sessions sidebar, profiles and themes, driven through the real app with Pilot.

Sessions are saved beforehand with fixed titles; replies come from demo relays on real
sockets, and what each relay received is checked in ``relay.requests``.
"""

from __future__ import annotations

import time
import tomllib
from typing import Any

import pytest
from app_driving import (
    MOSSY_THEME,
    SHORT,
    app_of,
    pane_of,
    relay_table,
    reply_requests,
    run,
    send,
    tab_labels,
    wait_until,
    wait_until_shown,
    write_config,
)
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from claude_tui import paths
from claude_tui.chat_message import ChatMessage
from claude_tui.demo import DemoRelay
from claude_tui.sessions.session import Session
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.screens.confirm_screen import ConfirmScreen
from claude_tui.ui.screens.profile_form import ProfileForm
from claude_tui.ui.screens.profile_manager import ProfileManager
from claude_tui.ui.screens.profile_picker import ProfilePicker
from claude_tui.ui.screens.rename_screen import RenameScreen
from claude_tui.ui.widgets.sessions.session_sidebar import SessionSidebar

UNUSED_URL = "http://127.0.0.1:9"  # never contacted: these tests send nothing to it


# -- set-up ------------------------------------------------------------------------------------


def saved_config() -> dict[str, Any]:
    return tomllib.loads(paths.config_file().read_text(encoding="utf-8"))


@pytest.fixture
def sessions() -> dict[str, Session]:
    """Three saved sessions, oldest first: eggs, rust, trip."""
    store = SessionStore()
    made: dict[str, Session] = {}
    for key, title, prompt, reply in (
        ("eggs", "Boiling eggs", "How long for a soft egg?", "Ten minutes in water."),
        ("rust", "Rust lifetimes", "Explain lifetimes.", "Borrowing rules explained."),
        ("trip", "Packing for a trip", "What do I pack?", "Bring socks and a towel."),
    ):
        made[key] = store.import_session(
            messages=[
                ChatMessage.user(prompt),
                ChatMessage(role="assistant", content=[{"type": "text", "text": reply}]),
            ],
            title=title,
            settings=SessionSettings(profile="relay", model="claude-demo"),
        )
        time.sleep(0.002)  # distinct save times: the list is newest first
    return made


def plain_app(**options: Any) -> ClaudeTuiApp:
    """The app on a relay profile that nothing is sent to."""
    config = write_config({"relay": relay_table(UNUSED_URL)})
    return ClaudeTuiApp(config, profile_name="relay", **options)


# -- reading the screen ------------------------------------------------------------------------


def sidebar_of(pilot: Pilot[Any]) -> SessionSidebar:
    return pilot.app.query_one(SessionSidebar)


def listed(pilot: Pilot[Any]) -> list[str | None]:
    return [summary.title for summary in sidebar_of(pilot).sessions]


# -- acting ------------------------------------------------------------------------------------


async def open_sidebar(pilot: Pilot[Any]) -> SessionSidebar:
    await pilot.press("ctrl+b")
    await wait_until(pilot, lambda: app_of(pilot).sidebar_shown)
    return sidebar_of(pilot)


async def highlight(pilot: Pilot[Any], session: Session) -> None:
    """Put the keyboard in the sidebar's list, on ``session``'s row."""
    sidebar = sidebar_of(pilot)
    sidebar.focus_list()
    ids = [summary.id for summary in sidebar.sessions]
    await pilot.press("home", *["down"] * ids.index(session.id))
    assert sidebar.session_list.highlighted_id == session.id


async def wait_for_search(pilot: Pilot[Any]) -> None:
    await wait_until(pilot, lambda: not sidebar_of(pilot).searching)
    await pilot.pause()


# -- the sessions sidebar ----------------------------------------------------------------------


async def test_sidebar_lists_newest_first_filters_and_opens_in_the_current_pane(
    sessions: dict[str, Session],
) -> None:
    app = plain_app()
    async with run(app) as pilot:
        pane = pane_of(pilot)
        fresh = pane.conversation.session
        assert not app.query(SessionSidebar)  # mounted on first use

        sidebar = await open_sidebar(pilot)
        assert app.focused is sidebar.filter_input
        # The app's own new session has no message yet: it is neither saved nor listed.
        assert not fresh.on_disk
        assert [s.id for s in sidebar.sessions] == [
            sessions["trip"].id,
            sessions["rust"].id,
            sessions["eggs"].id,
        ]
        assert listed(pilot) == ["Packing for a trip", "Rust lifetimes", "Boiling eggs"]

        await pilot.press(*"rust")
        assert listed(pilot) == ["Rust lifetimes"]  # titles filter at once
        await wait_for_search(pilot)
        assert listed(pilot) == ["Rust lifetimes"]

        await pilot.press("escape")  # clears the filter, keeps the sidebar
        assert app.sidebar_shown and sidebar.filter_input.value == ""
        await pilot.press(*"socks")  # only in a reply's text
        await wait_for_search(pilot)
        assert listed(pilot) == ["Packing for a trip"]

        await pilot.press("enter")
        await wait_until(pilot, lambda: pane.conversation.session.id == sessions["trip"].id)
        await pilot.pause()
        assert app.active_pane is pane and len(app.panes) == 1  # the same pane, reused
        assert "Bring socks and a towel." in pane.view.visible_text()
        assert "What do I pack?" in pane.view.visible_text()
        assert tab_labels(pilot) == ["Packing for a trip"]
        assert app.focused is pane.composer.composer


async def test_o_opens_the_highlighted_session_in_a_new_tab(
    sessions: dict[str, Session],
) -> None:
    app = plain_app()
    async with run(app) as pilot:
        first = pane_of(pilot)
        await open_sidebar(pilot)
        await highlight(pilot, sessions["rust"])
        await pilot.press("o")
        await wait_until(pilot, lambda: len(app.panes) == 2)
        await pilot.pause()
        second = pane_of(pilot)
        assert second is not first
        assert second.conversation.session.id == sessions["rust"].id
        assert "Borrowing rules explained." in second.view.visible_text()
        assert tab_labels(pilot) == ["New chat", "Rust lifetimes"]
        assert first.conversation.session.messages == []

        # Opening a session already in a tab switches to that tab instead of opening another.
        await pilot.press("ctrl+pageup")
        assert pane_of(pilot) is first
        assert app.sidebar_shown
        await highlight(pilot, sessions["rust"])
        await pilot.press("o")
        await wait_until(pilot, lambda: pane_of(pilot) is second)
        assert len(app.panes) == 2


async def test_rename_updates_the_open_tab_and_the_store(sessions: dict[str, Session]) -> None:
    eggs = sessions["eggs"]
    app = plain_app(resume=eggs.id)
    async with run(app) as pilot:
        pane = pane_of(pilot)
        assert tab_labels(pilot) == ["Boiling eggs"]
        await open_sidebar(pilot)
        await highlight(pilot, eggs)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, RenameScreen))
        assert app.screen.query_one(Input).value == "Boiling eggs"
        await pilot.press("ctrl+a", "ctrl+k", *"Soft eggs", "enter")
        await wait_until(pilot, lambda: tab_labels(pilot) == ["Soft eggs"])
        assert SessionStore().open(eggs.id).title == "Soft eggs"
        assert pane.conversation.session.title == "Soft eggs"
        assert "Soft eggs" in listed(pilot)

        # The pane's next save must not bring the old title back.
        await pilot.press("escape")  # back to the composer through the sidebar's Esc
        assert SessionStore().open(eggs.id).title == "Soft eggs"


async def test_delete_closes_the_tab_showing_the_session(sessions: dict[str, Session]) -> None:
    rust = sessions["rust"]
    app = plain_app()
    async with run(app) as pilot:
        first = pane_of(pilot)
        await open_sidebar(pilot)
        await highlight(pilot, rust)
        await pilot.press("o")
        await wait_until(pilot, lambda: len(app.panes) == 2)

        await highlight(pilot, rust)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: len(app.panes) == 1)
        assert app.panes == [first]
        assert not SessionStore().path_for(rust.id).exists()
        assert rust.id not in [s.id for s in sidebar_of(pilot).sessions]
        assert tab_labels(pilot) == ["New chat"]


async def test_delete_clears_the_last_tab_showing_the_session(
    sessions: dict[str, Session],
) -> None:
    trip = sessions["trip"]
    app = plain_app(resume=trip.id)
    async with run(app) as pilot:
        pane = pane_of(pilot)
        assert "Bring socks" in pane.view.visible_text()
        await open_sidebar(pilot)
        await highlight(pilot, trip)
        await pilot.press("d", "y")
        await wait_until(pilot, lambda: pane.conversation.session.id != trip.id)
        await pilot.pause()
        assert app.panes == [pane]
        assert pane.conversation.session.messages == []
        assert "Bring socks" not in pane.view.visible_text()
        assert tab_labels(pilot) == ["New chat"]
        assert not SessionStore().path_for(trip.id).exists()


async def test_escape_twice_hides_the_sidebar_and_focuses_the_composer(
    sessions: dict[str, Session],
) -> None:
    app = plain_app()
    async with run(app) as pilot:
        sidebar = await open_sidebar(pilot)
        await pilot.press(*"eggs")
        assert listed(pilot) == ["Boiling eggs"]
        await pilot.press("escape")
        assert app.sidebar_shown and sidebar.filter_input.value == ""
        await pilot.press("escape")
        assert not app.sidebar_shown
        assert app.focused is pane_of(pilot).composer.composer

        # Ctrl+B brings it back, and Ctrl+B hides it again.
        await open_sidebar(pilot)
        assert app.focused is sidebar.filter_input
        await pilot.press("ctrl+b")
        assert not app.sidebar_shown
        assert app.focused is pane_of(pilot).composer.composer


async def test_resume_without_an_id_opens_with_the_sidebar(sessions: dict[str, Session]) -> None:
    app = plain_app(resume="")
    async with run(app) as pilot:
        await wait_until(pilot, lambda: app.sidebar_shown)
        sidebar = sidebar_of(pilot)
        assert app.focused is sidebar.filter_input
        assert "Rust lifetimes" in listed(pilot)
        assert "Rust lifetimes" in sidebar.session_list.visible_text()


# -- profiles ----------------------------------------------------------------------------------


async def test_profile_picker_switches_mid_session_and_the_history_goes_along(
    demo_relay: DemoRelay, second_relay: DemoRelay
) -> None:
    config = write_config(
        {
            "relay": relay_table(demo_relay.base_url),
            "second": relay_table(second_relay.base_url, model="claude-demo-2"),
        }
    )
    app = ClaudeTuiApp(config, profile_name="relay")
    async with run(app) as pilot:
        pane = pane_of(pilot)
        await send(pilot, f"{SHORT} question one")
        assert len(reply_requests(demo_relay)) == 1

        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, ProfilePicker))
        options = app.screen.query_one("#profiles", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == ["relay", "second", "demo"]
        assert options.highlighted == 0  # the current profile
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, ProfilePicker))
        assert pane.conversation.profile.name == "second"

        await send(pilot, f"{SHORT} question two")
        assert len(reply_requests(demo_relay)) == 1
        (request,) = reply_requests(second_relay)
        sent = request.json["messages"]
        assert [m["role"] for m in sent] == ["user", "assistant", "user"]
        assert "question one" in str(sent[0]["content"])
        first_reply = pane.conversation.session.messages[1]
        assert "".join(b.get("text", "") for b in sent[1]["content"]) == first_reply.text
        assert "question two" in str(sent[2]["content"])
        assert request.json["model"] == "claude-demo-2"
        reply = SessionStore().open(pane.conversation.session.id).messages[-1]
        assert (reply.profile, reply.model) == ("second", "claude-demo-2")


async def test_profile_added_in_the_manager_is_available_after_it_closes() -> None:
    app = plain_app()
    async with run(app) as pilot:
        assert "work" not in app.argument_choices("profile")
        await pilot.press("f6")  # with the composer focused, as it nearly always is
        await wait_until(pilot, lambda: isinstance(app.screen, ProfileManager))
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ProfileForm))
        form = app.screen
        for selector, text in (
            ("#name", "work"),
            ("#base_url", "https://work.example/v1"),
            ("#key_value", "WORK_KEY"),
            ("#model", "claude-opus-4-1"),
        ):
            field = form.query_one(selector, Input)
            field.focus()
            field.value = text
            await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ProfileManager))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, ProfileManager))

        assert "work" in app.config.profiles
        assert app.config.profiles["work"].model == "claude-opus-4-1"
        assert "work" in app.argument_choices("profile")
        assert saved_config()["profiles"]["work"]["base_url"] == "https://work.example"
        assert app.focused is pane_of(pilot).composer.composer

        await send(pilot, "/profile work")  # the switch needs no key until a send
        assert pane_of(pilot).conversation.profile.name == "work"


# -- themes ------------------------------------------------------------------------------------


async def test_theme_command_switches_and_saves_the_theme() -> None:
    app = plain_app()
    async with run(app) as pilot:
        assert app.theme == "claude"
        await send(pilot, "/theme paper")
        assert app.theme == "paper"
        assert saved_config()["theme"] == "paper"
        assert saved_config()["profiles"]["relay"]["base_url"] == UNUSED_URL  # kept

        await send(pilot, "/theme no-such-theme")
        await wait_until_shown(pilot, "No theme 'no-such-theme'")
        assert app.theme == "paper" and saved_config()["theme"] == "paper"


async def test_a_user_theme_file_is_available_and_used_when_configured() -> None:
    folder = paths.user_themes_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mossy.toml").write_text(MOSSY_THEME, encoding="utf-8")
    config = write_config({"relay": relay_table(UNUSED_URL)}, theme="mossy")
    app = ClaudeTuiApp(config, profile_name="relay")
    async with run(app) as pilot:
        assert "mossy" in app.available_themes
        assert app.theme == "mossy"
        assert app.current_theme.background == "#17201A"
        assert "mossy" in app.argument_choices("theme")
        await send(pilot, "/theme claude")
        assert app.theme == "claude"


async def test_a_broken_user_theme_warns_and_the_app_still_starts() -> None:
    folder = paths.user_themes_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "broken.toml").write_text('name = "broken"\nprimary = 12\n', encoding="utf-8")
    (folder / "mossy.toml").write_text(MOSSY_THEME, encoding="utf-8")
    config = write_config({"relay": relay_table(UNUSED_URL)}, theme="broken")
    app = ClaudeTuiApp(config, profile_name="relay")
    async with run(app) as pilot:
        await wait_until_shown(pilot, "Skipped 1 theme file")
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert any(w.startswith("Skipped 1 theme file:\nthemes/broken.toml: ") for w in warnings)
        assert any("Theme 'broken' from config.toml is not available" in w for w in warnings)
        assert "broken" not in app.available_themes
        assert "mossy" in app.available_themes  # the good file beside it still loads
        assert app.theme == "claude"
        assert app.focused is pane_of(pilot).composer.composer

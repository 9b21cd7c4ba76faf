"""The app driven like a user drives it (Textual's Pilot), against demo relays on real sockets.

Each test checks what is on screen (the message view, the status bar, tab labels, screens)
and what was saved (the session files, reopened through a fresh ``SessionStore``).
``[demo:long=1]`` in a prompt asks the relay for a two-line answer, so the whole reply fits
on screen and streams in a few milliseconds.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from app_driving import (
    SHORT,
    pane_of,
    relay_table,
    reply_requests,
    run,
    screen_text,
    send,
    submit,
    tab_labels,
    tap,
    wait_until,
    wait_until_shown,
    write_config,
)
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widgets import TextArea

from claude_tui.chat_message import ChatMessage, MessageStatus, Usage
from claude_tui.demo import DemoRelay
from claude_tui.pricing.price_table import format_cost
from claude_tui.profiles import Config, load_config
from claude_tui.sessions.session import Session
from claude_tui.sessions.session_settings import SessionSettings
from claude_tui.sessions.session_store import SessionStore
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.command_dispatch import HANDLERS
from claude_tui.ui.command_table import COMMAND_IDS
from claude_tui.ui.commands import ClaudeCommands
from claude_tui.ui.screens.confirm_screen import ConfirmScreen
from claude_tui.ui.screens.help_screen import HelpScreen
from claude_tui.ui.screens.rename_screen import RenameScreen
from claude_tui.ui.screens.thinking_screen import ThinkingScreen
from claude_tui.ui.slash_commands import SLASH_COMMANDS
from claude_tui.ui.widgets.composer import Composer
from claude_tui.ui.widgets.composer_box import ComposerBox
from claude_tui.ui.widgets.conversation.conversation_pane import ConversationPane
from claude_tui.ui.widgets.status_bar import StatusBar

# -- set-up ------------------------------------------------------------------------------------


@pytest.fixture
def config(demo_relay: DemoRelay) -> Config:
    """One profile, ``relay``, aimed at the test's demo relay."""
    return write_config({"relay": relay_table(demo_relay.base_url)})


def relay_app(config: Config, **options: Any) -> ClaudeTuiApp:
    return ClaudeTuiApp(config, profile_name="relay", **options)


# -- reading the screen ------------------------------------------------------------------------


def status_text(pilot: Pilot[Any]) -> str:
    return str(pilot.app.query_one(StatusBar).render())


def saved(pane: ConversationPane) -> Session:
    """The pane's session as a fresh process would read it from disk."""
    return SessionStore().open(pane.conversation.session.id)


# -- acting ------------------------------------------------------------------------------------


async def wait_idle(pilot: Pilot[Any], *panes: ConversationPane) -> None:
    """Wait until the reply streaming into ``panes`` (default: the active one) has ended."""
    panes = panes or (pane_of(pilot),)
    await pilot.pause(0.02)
    await wait_until(pilot, lambda: not any(p.streaming for p in panes))
    await pilot.pause()


async def open_new_tab(pilot: Pilot[Any]) -> ConversationPane:
    """Ctrl+N, then the new tab's pane once it is in front."""
    before = pane_of(pilot)
    await tap(pilot, "ctrl+n")
    await wait_until(pilot, lambda: pane_of(pilot) is not before)
    return pane_of(pilot)


async def wait_for_text(pilot: Pilot[Any], pane: ConversationPane) -> ChatMessage:
    """Wait until the streaming reply has some visible text; returns that reply."""
    messages = pane.conversation.session.messages
    await wait_until(pilot, lambda: messages[-1].role == "assistant" and bool(messages[-1].text))
    return messages[-1]


# -- a first reply -----------------------------------------------------------------------------


async def test_launch_type_send_and_stream_a_reply(config: Config) -> None:
    app = relay_app(config)
    async with run(app) as pilot:
        pane = pane_of(pilot)
        assert app.focused is pane.composer.composer
        assert "Profile relay · claude-demo" in pane.view.visible_text()

        await pilot.press(*"hello there", "enter")
        assert pane.composer.composer.text == ""
        await wait_idle(pilot)

        session = saved(pane)
        user, reply = session.messages
        assert (user.role, user.text) == ("user", "hello there")
        assert reply.role == "assistant"
        assert reply.status is MessageStatus.COMPLETE
        assert reply.usage is not None and reply.usage.output_tokens > 0
        assert reply.text.startswith("## A demo answer")
        assert reply.profile == "relay" and reply.model == "claude-demo"

        visible = pane.view.visible_text()
        assert "very long replies." in visible  # the reply's last line, followed to the bottom
        assert f"{reply.usage.output_tokens} out" in visible
        assert tab_labels(pilot) == ["hello there"]

        # The context figure: the endpoint's count of the next request, once it arrived.
        await wait_until(pilot, lambda: "ctx ~" not in status_text(pilot))
        status = status_text(pilot)
        context = app.context_meter.figure(pane.conversation).tokens
        cost = app.cost_of(reply)
        assert " relay " in status
        assert "claude-demo" in status
        assert "thinking 2048 tok" in status
        assert f"ctx {context}/200.0k" in status
        assert cost is not None and cost > 0
        assert format_cost(cost) in status
        assert "streaming" not in status


async def test_escape_stops_the_reply_and_keeps_the_partial_text(config: Config) -> None:
    app = relay_app(config)
    async with run(app) as pilot:
        pane = pane_of(pilot)
        await submit(pilot, "[demo:slow=0.03] please stop me")
        reply = await wait_for_text(pilot, pane)
        assert pane.streaming
        assert "streaming (Esc stops)" in status_text(pilot)

        await tap(pilot, "escape")
        await wait_idle(pilot)

        assert "⚠ partial reply" in pane.view.visible_text()
        assert reply.status is MessageStatus.INTERRUPTED
        on_disk = saved(pane).messages[-1]
        assert on_disk.id == reply.id
        assert on_disk.status is MessageStatus.INTERRUPTED
        assert on_disk.text and on_disk.text == reply.text
        assert not on_disk.text.endswith("very long replies.")


async def test_continue_grows_the_cut_reply_until_complete(config: Config) -> None:
    app = relay_app(config)
    async with run(app) as pilot:
        pane = pane_of(pilot)
        await send(pilot, "/thinking off")  # without thinking, the reply is resumed in place
        await send(pilot, "[demo:cut] tell me everything")
        cut = pane.conversation.session.messages[-1]
        assert cut.status is MessageStatus.INTERRUPTED
        assert "partial reply" in pane.view.visible_text()
        partial = cut.text

        await send(pilot, "/continue")

        session = saved(pane)
        assert len(session.messages) == 2
        reply = session.messages[-1]
        assert reply.id == cut.id
        assert reply.status is MessageStatus.COMPLETE
        assert len(reply.text) > len(partial)
        assert reply.text.startswith(partial.rstrip())
        assert reply.text.endswith("very long replies.")
        assert "partial reply" not in pane.view.visible_text()


@pytest.mark.parametrize("how", ["/retry", "ctrl+r"])
async def test_retry_regenerates_the_last_reply(config: Config, how: str) -> None:
    app = relay_app(config)
    async with run(app) as pilot:
        pane = pane_of(pilot)
        await send(pilot, f"{SHORT} answer twice")
        first = pane.conversation.session.messages[-1]

        if how.startswith("/"):
            await send(pilot, how)
        else:
            await tap(pilot, how)
            await wait_idle(pilot)

        messages = saved(pane).messages
        assert [m.role for m in messages] == ["user", "assistant"]
        assert messages[-1].id == first.id  # the same reply, now in two versions
        assert (messages[-1].version, messages[-1].version_count) == (1, 2)
        assert messages[-1].status is MessageStatus.COMPLETE
        assert "answer twice" in messages[-1].text
        assert "answer twice" in pane.view.visible_text()


# -- editing -----------------------------------------------------------------------------------


async def test_edit_and_confirm_replaces_the_turn_and_forks_the_old_branch(
    config: Config,
) -> None:
    app = relay_app(config)
    async with run(app) as pilot:
        pane = pane_of(pilot)
        await send(pilot, f"{SHORT} first question")
        old_prompt, old_reply = pane.conversation.session.messages

        await send(pilot, "/edit")
        assert pane.composer.composer.text == f"{SHORT} first question"
        await pilot.press(*" again", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        question = await screen_text(pilot)
        assert "Resend the edited prompt? The 1 later message" in question

        await tap(pilot, "y")
        await wait_idle(pilot)

        prompt, reply = saved(pane).messages
        assert prompt.text == f"{SHORT} first question again"
        assert reply.id != old_reply.id and "first question again" in reply.text
        assert "first question again" in pane.view.visible_text()
        sessions = SessionStore().list()
        assert len(sessions) == 2
        fork_id = next(s.id for s in sessions if s.id != pane.conversation.session.id)
        fork = SessionStore().open(fork_id)
        assert [m.text for m in fork.messages] == [old_prompt.text, old_reply.text]


async def test_edit_declined_keeps_everything(config: Config) -> None:
    app = relay_app(config)
    async with run(app) as pilot:
        pane = pane_of(pilot)
        await send(pilot, f"{SHORT} keep me")
        before = [m.id for m in pane.conversation.session.messages]

        await send(pilot, "/edit")
        await pilot.press(*" changed", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()

        assert not isinstance(app.screen, ConfirmScreen)
        assert [m.id for m in saved(pane).messages] == before
        assert len(SessionStore().list()) == 1
        assert pane.composer.composer.text == f"{SHORT} keep me changed"  # nothing typed is lost


# -- thinking ----------------------------------------------------------------------------------

THINKING_START = "There is no model behind this answer"


async def test_thinking_collapses_expands_and_toggles_per_message(config: Config) -> None:
    app = relay_app(config)
    async with run(app) as pilot:
        pane = pane_of(pilot)
        view = pane.view
        await send(pilot, f"{SHORT} think first")
        visible = view.visible_text()
        assert "▸ Thought" in visible
        assert THINKING_START not in visible

        await pilot.press("ctrl+t")
        assert "▾ Thought" in view.visible_text()
        assert THINKING_START in view.visible_text()
        await pilot.press("ctrl+t")
        assert "▸ Thought" in view.visible_text()
        assert THINKING_START not in view.visible_text()

        # A click on the summary opens just that message's thinking.
        rows = view.visible_text().splitlines()
        row = next(i for i, line in enumerate(rows) if "▸ Thought" in line)
        column = rows[row].index("▸")
        await pilot.click(view, offset=(column + 1, row))  # + 1: the view's left padding
        assert THINKING_START in view.visible_text()

        # Enter on the selected message (keyboard focus in the view) closes it again.
        assert app.focused is view  # the click put the keyboard in the messages
        assert view.selected == 1  # the click selected the reply
        await pilot.press("up")
        assert view.selected == 0
        await pilot.press("down", "enter")
        assert view.selected == 1
        assert "▸ Thought" in view.visible_text()
        assert THINKING_START not in view.visible_text()


async def test_thinking_viewer_opens_and_searches(config: Config) -> None:
    app = relay_app(config)
    async with run(app) as pilot:
        await send(pilot, f"{SHORT} think hard")

        await pilot.press("ctrl+o")
        assert isinstance(app.screen, ThinkingScreen)
        assert "Thinking of the reply from claude-demo" in await screen_text(pilot)
        assert THINKING_START in await screen_text(pilot)

        await pilot.press("slash", *"renderer", "enter")
        area = app.screen.query_one(TextArea)
        assert area.selected_text == "renderer"

        await pilot.press("escape", "escape")  # leave the search box, then the viewer
        assert not isinstance(app.screen, ThinkingScreen)


# -- failures ----------------------------------------------------------------------------------


@pytest.mark.parametrize("retries", [0, 1])
async def test_overloaded_relay_shows_an_error_card(demo_relay: DemoRelay, retries: int) -> None:
    config = write_config({"relay": relay_table(demo_relay.base_url, max_retries=retries)})
    app = relay_app(config)
    async with run(app) as pilot:
        pane = pane_of(pilot)
        await send(pilot, "[demo:status=529] are you there")

        assert len(reply_requests(demo_relay)) == 1 + retries
        reply = saved(pane).messages[-1]
        assert reply.status is MessageStatus.ERROR
        assert reply.error and "Overloaded" in reply.error
        assert reply.request_id
        visible = pane.view.visible_text()
        assert "╭─ Error" in visible
        assert "The API is overloaded right now" in visible
        assert f"request-id {reply.request_id}" in visible
        assert "[retry]" in visible


async def test_error_event_mid_stream_marks_the_reply_partial(config: Config) -> None:
    app = relay_app(config)
    async with run(app) as pilot:
        pane = pane_of(pilot)
        await send(pilot, "[demo:error_event] go on")

        reply = saved(pane).messages[-1]
        assert reply.status is MessageStatus.INTERRUPTED
        assert reply.text and reply.error
        visible = pane.view.visible_text()
        assert "⚠ partial reply" in visible
        assert "[continue]" in visible and "[retry]" in visible


async def test_unknown_slash_command_is_not_sent(config: Config, demo_relay: DemoRelay) -> None:
    app = relay_app(config)
    async with run(app) as pilot:
        pane = pane_of(pilot)
        await send(pilot, "/frobnicate now")

        await wait_until_shown(pilot, "Unknown command /frobnicate")
        assert pane.conversation.session.messages == []
        assert demo_relay.requests == []


async def test_profile_switch_sends_the_whole_history_to_the_new_relay(
    demo_relay: DemoRelay, second_relay: DemoRelay
) -> None:
    config = write_config(
        {
            "relay": relay_table(demo_relay.base_url),
            "second": relay_table(second_relay.base_url, model="claude-demo-2"),
        }
    )
    app = relay_app(config)
    async with run(app) as pilot:
        pane = pane_of(pilot)
        await send(pilot, f"{SHORT} question one")
        await send(pilot, "/profile second")
        assert " second " in status_text(pilot) and "claude-demo-2" in status_text(pilot)

        await send(pilot, f"{SHORT} question two")

        assert len(reply_requests(demo_relay)) == 1
        (request,) = reply_requests(second_relay)
        sent = request.json["messages"]
        assert [m["role"] for m in sent] == ["user", "assistant", "user"]
        first_reply = pane.conversation.session.messages[1]
        sent_text = "".join(b.get("text", "") for b in sent[1]["content"])
        assert sent_text == first_reply.text
        assert request.json["model"] == "claude-demo-2"
        reply = saved(pane).messages[-1]
        assert (reply.profile, reply.model) == ("second", "claude-demo-2")
        assert "claude-demo-2 · second" in pane.view.visible_text()
        assert "Claude ·" not in pane.view.visible_text()


# -- tabs and quitting -------------------------------------------------------------------------


async def test_two_tabs_stream_independently(config: Config) -> None:
    app = relay_app(config)
    async with run(app) as pilot:
        first = pane_of(pilot)
        await submit(pilot, "slow tab [demo:long=100][demo:slow=0.01]")
        # The label is the prompt, brackets and all (not read as markup), marked while busy.
        await wait_until(pilot, lambda: tab_labels(pilot)[0] == "● slow tab [demo:long=100…")

        second = await open_new_tab(pilot)
        assert app.focused is second.composer.composer
        assert first.streaming
        assert tab_labels(pilot)[1] == "New chat"

        await submit(pilot, f"fast tab {SHORT}")
        await wait_idle(pilot, first, second)

        assert [label[:8] for label in tab_labels(pilot)] == ["slow tab", "fast tab"]
        assert first.conversation.session.id != second.conversation.session.id
        for pane, words in ((first, "slow tab"), (second, "fast tab")):
            prompt, reply = saved(pane).messages
            assert words in prompt.text
            assert reply.status is MessageStatus.COMPLETE and words in reply.text
        assert "fast tab" in second.view.visible_text()


async def test_quit_mid_reply_saves_the_partial_reply(config: Config) -> None:
    app = relay_app(config)
    async with run(app) as pilot:
        pane = pane_of(pilot)
        session_id = pane.conversation.session.id
        await submit(pilot, "[demo:slow=0.03] quit while I talk")
        await wait_for_text(pilot, pane)
        await tap(pilot, "ctrl+q")

    assert app.return_code == 0
    reply = SessionStore().open(session_id).messages[-1]
    assert reply.role == "assistant"
    assert reply.status is MessageStatus.INTERRUPTED
    assert reply.text


async def test_text_not_sent_comes_back_with_up_after_quitting(config: Config) -> None:
    app = relay_app(config)
    async with run(app) as pilot:
        first = pane_of(pilot)
        second = await open_new_tab(pilot)
        second.composer.composer.insert("a draft in the second tab")
        await wait_until(pilot, lambda: app.focused is second.composer.composer)
        await tap(pilot, "tab")  # to the messages: there Ctrl+W closes the tab (and keeps it)
        await wait_until(pilot, lambda: app.focused is second.view)
        await tap(pilot, "ctrl+w")
        await wait_until(pilot, lambda: app.panes == [first])
        first.composer.composer.insert("half a thought")
        await tap(pilot, "ctrl+q")

    again = relay_app(load_config())
    async with run(again) as pilot:
        composer = pane_of(pilot).composer.composer
        await tap(pilot, "up")
        await wait_until(pilot, lambda: composer.text == "half a thought")
        await tap(pilot, "up")
        await wait_until(pilot, lambda: composer.text == "a draft in the second tab")


async def test_ctrl_w_deletes_a_word_in_the_composer_and_slash_close_closes_the_tab(
    config: Config,
) -> None:
    app = relay_app(config)
    async with run(app) as pilot:
        first = pane_of(pilot)
        second = await open_new_tab(pilot)
        second.composer.composer.insert("keep this word")
        composer = second.composer.composer
        await tap(pilot, "ctrl+w")  # a binding: handled once the key has bubbled to the app
        await wait_until(pilot, lambda: composer.text == "keep this ")
        assert app.panes == [first, second]
        await tap(pilot, "ctrl+u")  # and Ctrl+U the rest of the line, as in a shell
        await wait_until(pilot, lambda: composer.text == "")

        await submit(pilot, "/close")
        await wait_until(pilot, lambda: app.panes == [first])
        await wait_until(pilot, lambda: app.focused is first.composer.composer)
        assert pane_of(pilot) is first
        await submit(pilot, "/close")  # the last tab stays
        await wait_until_shown(pilot, "last tab")
        assert app.panes == [first]


def test_the_composer_hides_no_app_key_but_the_ones_it_hands_on_or_documents() -> None:
    composer_keys = {
        key
        for widget in (Composer, ComposerBox)
        for key in widget._merged_bindings.key_to_bindings  # private, but the one merged map
    }
    shadowed = {
        key
        for binding in ClaudeTuiApp.BINDINGS
        if isinstance(binding, Binding) and not binding.priority
        for key in binding.key.split(",")
        if key in composer_keys
    }
    assert shadowed == {
        "escape",  # hides the slash list when shown, else reaches the app (tested)
        "ctrl+pageup",  # horizontal paging, skipped in a composer that wraps
        "ctrl+pagedown",
        "f6",  # bound by the composer to hand it on to the app
        "ctrl+w",  # deletes a word, as in a shell; README and palette say so
        "ctrl+c",  # bound by the composer to the same command (interrupt)
        "ctrl+v",  # bound by the composer to the same command (paste-image)
    }


def test_every_slash_command_is_handled() -> None:
    names = {command.name for command in SLASH_COMMANDS}
    assert names <= set(HANDLERS) == COMMAND_IDS


# -- resuming ----------------------------------------------------------------------------------


ANSWER_START = "A first paragraph.\n\nA second paragraph."


def save_long_session(store: SessionStore, turns: int) -> Session:
    messages: list[ChatMessage] = []
    for number in range(1, turns + 1):
        messages.append(ChatMessage.user(f"Question number {number}"))
        messages.append(
            ChatMessage(
                role="assistant",
                content=[{"type": "text", "text": f"{ANSWER_START}\n\nAnswer number {number}."}],
                model="claude-demo",
                profile="relay",
                usage=Usage(input_tokens=10 * number, output_tokens=5),
            )
        )
    return store.import_session(
        messages=messages,
        title="Thirty messages",
        settings=SessionSettings(profile="relay", model="claude-demo"),
    )


async def test_continue_latest_shows_the_end_and_prompt_history_persists(
    config: Config,
) -> None:
    session = save_long_session(SessionStore(), turns=15)

    app = ClaudeTuiApp(config, continue_latest=True)
    async with run(app) as pilot:
        pane = pane_of(pilot)
        assert pane.conversation.session.id == session.id
        assert tab_labels(pilot) == ["Thirty messages"]
        view = pane.view
        assert 0 < view.window_start < 30  # only the newest messages are laid out
        lines = [line.strip() for line in view.visible_text().splitlines() if line.strip()]
        assert lines[-2] == "Answer number 15."
        assert lines[-1].startswith("150 in · 5 out")  # the stats under the newest reply
        assert "Question number 1" not in lines
        assert " relay " in status_text(pilot)

        await send(pilot, f"{SHORT} one more question")
        assert len(saved(pane).messages) == 32

    again = ClaudeTuiApp(load_config(), continue_latest=True)
    async with run(again) as pilot:
        pane = pane_of(pilot)
        assert pane.conversation.session.id == session.id
        assert "one more question" in pane.view.visible_text()
        await pilot.press("up")
        assert pane.composer.composer.text == f"{SHORT} one more question"


async def test_a_window_closed_without_a_word_leaves_no_session(config: Config) -> None:
    earlier = save_long_session(SessionStore(), turns=1)
    app = relay_app(config)
    async with run(app) as pilot:
        session = pane_of(pilot).conversation.session
        await submit(pilot, "/thinking off")  # a setting changed, nothing said
        assert session.settings.thinking == "off"
        assert not session.on_disk
    assert [s.id for s in SessionStore().list()] == [earlier.id]

    again = ClaudeTuiApp(load_config(), continue_latest=True)  # -c finds the real one
    async with run(again) as pilot:
        assert pane_of(pilot).conversation.session.id == earlier.id


# -- palette and help --------------------------------------------------------------------------


async def test_command_palette_runs_retry(config: Config) -> None:
    app = relay_app(config)
    async with run(app) as pilot:
        pane = pane_of(pilot)
        await send(pilot, f"{SHORT} palette")
        first = pane.conversation.session.messages[-1]

        await pilot.press("ctrl+p", *"Retry the last")
        await wait_until_shown(pilot, "Ctrl+R · /retry")
        assert "Retry the last reply" in await screen_text(pilot)
        await tap(pilot, "enter")
        await wait_idle(pilot)

        messages = saved(pane).messages
        assert len(messages) == 2
        assert messages[-1].id == first.id
        assert messages[-1].version_count == 2
        assert messages[-1].status is MessageStatus.COMPLETE


async def test_every_slash_command_is_in_the_palette(config: Config) -> None:
    app = relay_app(config)
    async with run(app) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        listed = " ".join(entry.help for entry in ClaudeCommands(app.screen)._entries())
        await tap(pilot, "escape")
    named = set(re.findall(r"/([a-z-]+)", listed))
    assert named >= {command.name for command in SLASH_COMMANDS}


async def test_slash_rename_without_a_title_asks_for_one(config: Config) -> None:
    app = relay_app(config)
    async with run(app) as pilot:
        await send(pilot, f"{SHORT} name me")
        await submit(pilot, "/rename")
        await wait_until(pilot, lambda: isinstance(app.screen, RenameScreen))
        await tap(pilot, "ctrl+u", *"Kept notes", "enter")
        await wait_until(pilot, lambda: tab_labels(pilot) == ["Kept notes"])
        assert saved(pane_of(pilot)).title == "Kept notes"


async def test_palette_puts_the_system_prompt_in_the_composer_to_edit(config: Config) -> None:
    app = relay_app(config)
    async with run(app) as pilot:
        await send(pilot, "/system Be brief.")
        await pilot.press("ctrl+p", *"system prompt")
        await wait_until_shown(pilot, "Set the system prompt")
        composer = pane_of(pilot).composer.composer
        await tap(pilot, "enter")
        await wait_until(pilot, lambda: bool(composer.text))
        assert composer.text == "/system Be brief."
        assert app.focused is composer


async def test_f1_lists_keys_and_slash_commands(config: Config) -> None:
    app = relay_app(config)
    async with run(app) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = await screen_text(pilot)
        assert "keys and commands" in text
        assert "Ctrl+N" in text and "Open a new conversation tab" in text
        for usage in ("/new", "/close", "/profile [NAME]"):
            assert usage in text

        await pilot.press("end")
        text = await screen_text(pilot)
        assert "Ctrl+G" in text and "$EDITOR" in text  # the keys that are not commands
        assert "(messages focused)" in text

        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)

"""``[keys]`` in config.toml moves commands to other keys (through Textual's keymap), and
its mistakes stop the start like any config error; Ctrl+C stops, clears or quits."""

from __future__ import annotations

import pytest
from app_driving import (
    pane_of,
    relay_table,
    run,
    screen_text,
    submit,
    tab_labels,
    tap,
    wait_until,
    wait_until_shown,
)
from config_files import write_config

from claude_tui import paths
from claude_tui.chat_message import MessageStatus
from claude_tui.cli.main import main
from claude_tui.demo import DemoRelay
from claude_tui.profiles import Config, ConfigError, load_config
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.command_dispatch import HANDLERS, DoublePress
from claude_tui.ui.commands import palette_entries
from claude_tui.ui.keymap import parse_key, resolve_keymap
from claude_tui.ui.screens.help_screen import HelpScreen


def write_config_text(text: str) -> Config:
    return write_config(text)


def keys_error(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        resolve_keymap(write_config_text(text))
    return caught.value


def record_commands(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace every command's handler by one that notes its id."""
    ran: list[str] = []
    for command_id in HANDLERS:
        monkeypatch.setitem(
            HANDLERS,  # type: ignore[arg-type]
            command_id,
            lambda app, pane, argument, command_id=command_id: ran.append(command_id),
        )
    return ran


# -- reading [keys] ------------------------------------------------------------------------


def test_keys_table_moves_commands_and_keeps_the_rest() -> None:
    keymap = resolve_keymap(
        write_config_text(
            '[keys]\nnew = "f7"\nsessions = "Ctrl+S"\nhelp = ["f1", "f12"]\nstop = ""\n'
        )
    )
    assert keymap["new"] == ("f7",)
    assert keymap["sessions"] == ("ctrl+s",)
    assert keymap["help"] == ("f1", "f12")
    assert keymap["stop"] == ()
    assert keymap["quit"] == ("ctrl+q",)  # untouched


@pytest.mark.parametrize(
    ("text", "line", "key", "says"),
    [
        ('[keys]\nnwe = "f7"\n', 2, "keys.nwe", 'is not a command (did you mean "new"'),
        ('[keys]\n\nnew = "ctrl+flurb"\n', 3, "keys.new", "is not a key name"),
        ("[keys]\nnew = 7\n", 2, "keys.new", "must be a key name"),
        ('[keys]\nnew = "ctrl+b"\n', 2, "keys.new", "already the key of sessions"),
        ('[keys]\nnew = "f8"\ncost = "f8"\n', 3, "keys.cost", "already the key of new"),
        ('[keys]\nnew = "ctrl+a"\n', 2, "keys.new", "composer's cursor line start key"),
        ('[keys]\nnew = "x"\n', 2, "keys.new", "types a character in the composer"),
        ('[keys]\nhelp = "?"\n', 2, "keys.help", "types a character in the composer"),
        ('[keys]\nnew = "ctrl+p"\n', 2, "keys.new", "opens the command palette"),
        ("keys = 3\n", 1, "keys", "must be a table"),
    ],
)
def test_keys_mistakes_name_the_file_line_and_key(
    text: str, line: int, key: str, says: str
) -> None:
    error = keys_error(text)
    assert error.path == paths.config_file()
    assert error.line == line
    assert error.key == key
    assert says in str(error)
    assert str(error).startswith(f"{paths.config_file()}, line {line}: {key} ")


def test_a_key_may_stay_where_it_is_and_a_freed_key_may_be_reused() -> None:
    keymap = resolve_keymap(
        write_config_text('[keys]\nclose = "ctrl+w"\nsessions = "ctrl+s"\nnew = "ctrl+b"\n')
    )
    assert keymap["close"] == ("ctrl+w",)  # a composer key, but the default: allowed
    assert keymap["new"] == ("ctrl+b",)


def test_key_names_are_textuals() -> None:
    assert parse_key("Shift+Ctrl+X") == "ctrl+shift+x"
    assert parse_key("F7") == "f7"
    assert parse_key("?") == "question_mark"
    with pytest.raises(ValueError):
        parse_key("ctrl+ctrl+x")
    with pytest.raises(ValueError):
        parse_key("cmd+x")


def test_claude_tui_stops_before_the_screen_with_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config_text('[keys]\nnew = "ctrl+b"\n')

    def never(app: object) -> int:
        raise AssertionError("the app was started")

    monkeypatch.setattr("claude_tui.ui.launch.run_app", never)
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"{paths.config_file()}, line 2: keys.new gives" in err


# -- keys in the running app -----------------------------------------------------------------


@pytest.fixture
def relay_config_text(demo_relay: DemoRelay) -> str:
    import tomli_w

    return tomli_w.dumps({"profiles": {"relay": relay_table(demo_relay.base_url)}})


def relay_app(config: Config) -> ClaudeTuiApp:
    return ClaudeTuiApp(config, profile_name="relay")


async def test_a_remapped_key_works_the_old_one_is_gone_and_help_says_so(
    relay_config_text: str,
) -> None:
    config = write_config_text(
        relay_config_text + '\n[keys]\nnew = "f7"\nsessions = "ctrl+s"\ntoggle-thinking = ""\n'
    )
    app = relay_app(config)
    async with run(app) as pilot:
        composer = pane_of(pilot).composer.composer
        assert app.focused is composer
        await tap(pilot, "ctrl+n")
        await pilot.pause()
        assert len(app.panes) == 1  # Ctrl+N does nothing now

        await tap(pilot, "f7")  # in the composer, where TextArea would select all
        await wait_until(pilot, lambda: len(app.panes) == 2)

        footer = (await screen_text(pilot)).splitlines()[-1]
        assert "f7 New tab" in footer and "^s Sessions" in footer
        assert "Thinking" not in footer  # switched off: no key, not in the footer
        assert "^n" not in footer and "^b" not in footer

        await tap(pilot, "ctrl+s")
        await wait_until(pilot, lambda: app.sidebar_shown)

        entries = {entry.title: entry.help for entry in palette_entries(app)}
        assert "F7" in entries["New conversation tab"]

        await tap(pilot, "f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "F7" in await screen_text(pilot)
        rows = {row.usage: row for row in app.screen.commands}  # type: ignore[attr-defined]
        assert rows["/new"].keys == "F7"
        assert rows["/sessions"].keys == "Ctrl+S"
        assert rows["/toggle-thinking"].keys == ""


async def test_a_command_without_a_default_key_can_be_given_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran = record_commands(monkeypatch)
    app = ClaudeTuiApp(write_config_text('[keys]\ncost = "f12"\n'))
    async with run(app) as pilot:
        await tap(pilot, "f12")
        await wait_until(pilot, lambda: bool(ran))
        assert ran == ["cost"]


async def test_ctrl_c_moves_with_the_interrupt_command() -> None:
    app = ClaudeTuiApp(write_config_text('[keys]\ninterrupt = "f11"\n'))
    async with run(app) as pilot:
        composer = pane_of(pilot).composer.composer
        composer.insert("some words")
        await tap(pilot, "ctrl+c")  # no longer ours; TextArea's copy is gone too
        await pilot.pause()
        assert composer.text == "some words"
        await tap(pilot, "f11")
        await wait_until(pilot, lambda: composer.text == "")


# -- Ctrl+C --------------------------------------------------------------------------------


def test_a_double_press_is_two_presses_within_the_window_with_nothing_between() -> None:
    now = [0.0]
    press = DoublePress(window=1.0, clock=lambda: now[0])
    assert not press.press()
    now[0] = 0.9
    assert press.press()  # the second: acts, and starts over
    assert not press.press()
    now[0] = 2.0
    assert not press.press()  # too late: this one arms again
    press.reset()  # something else happened
    assert not press.press()


async def test_ctrl_c_stops_a_streaming_reply(relay_config_text: str) -> None:
    app = relay_app(write_config_text(relay_config_text))
    async with run(app) as pilot:
        pane = pane_of(pilot)
        await submit(pilot, "[demo:slow=0.03] please stop me")
        messages = pane.conversation.session.messages
        await wait_until(
            pilot, lambda: messages[-1].role == "assistant" and bool(messages[-1].text)
        )
        await tap(pilot, "ctrl+c")
        await wait_until(pilot, lambda: not pane.streaming)
        assert messages[-1].status is MessageStatus.INTERRUPTED
        assert app.is_running  # stopped the reply, did not quit


async def test_ctrl_c_clears_the_composer_into_the_prompt_history() -> None:
    app = ClaudeTuiApp(load_config())
    async with run(app) as pilot:
        composer = pane_of(pilot).composer.composer
        composer.insert("a thought to keep")
        await tap(pilot, "ctrl+c")
        await wait_until(pilot, lambda: composer.text == "")
        assert app.prompt_history.entries[-1] == "a thought to keep"
        await tap(pilot, "ctrl+c")  # one press on the empty composer: only a hint
        await wait_until_shown(pilot, "Press Ctrl+C again to quit")
        assert app.is_running
        await tap(pilot, "up")
        await wait_until(pilot, lambda: composer.text == "a thought to keep")


async def test_ctrl_c_twice_on_an_empty_composer_quits() -> None:
    app = ClaudeTuiApp(load_config())
    app.quit_press = DoublePress(clock=lambda: 100.0)  # however slow the machine: "at once"
    async with run(app) as pilot:
        await tap(pilot, "ctrl+c", "ctrl+c")
        await wait_until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 0


async def test_ctrl_c_presses_more_than_a_second_apart_do_not_quit() -> None:
    now = [100.0]
    app = ClaudeTuiApp(load_config())
    app.quit_press = DoublePress(clock=lambda: now[0])
    async with run(app) as pilot:
        await tap(pilot, "ctrl+c")
        now[0] += 1.5
        await tap(pilot, "ctrl+c")  # too late: arms again instead of quitting
        await pilot.pause()
        assert app.is_running and app.return_code is None
        now[0] += 0.5
        await tap(pilot, "ctrl+c")
        await wait_until(pilot, lambda: app.return_code is not None)


async def test_ctrl_c_on_the_messages_still_reaches_the_app() -> None:
    app = ClaudeTuiApp(load_config())
    async with run(app) as pilot:
        pane = pane_of(pilot)
        pane.composer.composer.insert("typed, then looked up")
        pane.view.focus()
        await pilot.pause()
        await tap(pilot, "ctrl+c")
        await wait_until(pilot, lambda: pane.composer.composer.text == "")
        assert tab_labels(pilot)  # still running


async def test_another_command_between_two_ctrl_c_does_not_quit() -> None:
    app = ClaudeTuiApp(load_config())
    app.quit_press = DoublePress(clock=lambda: 100.0)
    async with run(app) as pilot:
        await tap(pilot, "ctrl+c", "ctrl+t", "ctrl+c")  # thinking toggled in between
        await pilot.pause()
        assert app.return_code is None
        await tap(pilot, "ctrl+c")
        await wait_until(pilot, lambda: app.return_code is not None)

"""The command table is the one source of every command: completion, palette, help, keys,
dispatch and the README all show the same command with the same words."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from app_driving import pane_of, run, tap, wait_until
from textual.pilot import Pilot

from claude_tui.profiles import load_config
from claude_tui.ui.app import ClaudeTuiApp
from claude_tui.ui.command_dispatch import HANDLERS
from claude_tui.ui.command_reference import current_readme
from claude_tui.ui.command_table import (
    COMMAND_IDS,
    COMMANDS,
    FOOTER,
    describe_key,
    describe_keys,
    help_line,
)
from claude_tui.ui.commands import palette_entries
from claude_tui.ui.screens.help_screen import HelpScreen
from claude_tui.ui.slash_commands import completions

README = Path(__file__).resolve().parents[3] / "README.md"

KEYLESS_BY_DESIGN = {
    "thinking",  # takes a value: typed, or picked in the palette
    "system",
    "continue",
    "edit",
    "copy",
    "export",
    "rename",
    "clear",
    "cost",
    "messages",  # Tab moves the focus there already
    "attach",  # takes paths: typed (Tab completes them)
    "compact",  # rare, and takes instructions: typed, or picked in the palette
    "balance",  # a look now and then, like /cost: the status bar shows it after replies
}
KEY_ONLY = {"next-tab", "previous-tab", "interrupt", "messages"}
"""Commands with no slash form: stepping tabs, Ctrl+C and focusing are keys' work."""


def no_choices(name: str) -> Sequence[str]:
    return ()


def test_ids_are_unique_and_each_has_one_handler() -> None:
    ids = [command.id for command in COMMANDS]
    assert len(ids) == len(set(ids)) == len(COMMAND_IDS)
    assert set(HANDLERS) == COMMAND_IDS
    assert {command_id for command_id, _ in FOOTER} <= COMMAND_IDS
    for command in COMMANDS:
        assert command.title and command.help
        assert "\n" not in command.help


def test_every_slash_command_completes_with_its_help_line() -> None:
    offered = {c.label.split()[0]: c.description for c in completions("/", no_choices)}
    slash = {command for command in COMMANDS if command.slash}
    assert {command.id for command in COMMANDS} - {command.id for command in slash} == KEY_ONLY
    assert offered == {f"/{command.id}": command.help for command in slash}


def test_commands_without_a_key_are_the_ones_meant_to_have_none() -> None:
    assert {command.id for command in COMMANDS if not command.keys} == KEYLESS_BY_DESIGN


def test_keys_are_written_as_people_read_them() -> None:
    assert describe_key("ctrl+pagedown") == "Ctrl+PageDown"
    assert describe_key("escape") == "Esc"
    assert describe_key("f7") == "F7"
    assert describe_key("ctrl+n") == "Ctrl+N"
    assert describe_keys(("f1", "question_mark")) == "F1 / ?"


def test_the_readme_tables_are_written_from_the_table() -> None:
    text = README.read_text(encoding="utf-8")
    assert current_readme(text) == text, (
        "README.md's Keys or Slash commands table is stale: "
        "run `python -m claude_tui.ui.command_reference`"
    )
    for command in COMMANDS:
        if command.slash or command.keys:  # "messages" is only a palette entry
            assert command.help in text


async def test_every_command_is_in_the_palette_and_help_with_the_same_words() -> None:
    app = ClaudeTuiApp(load_config())
    async with run(app) as pilot:
        entries = palette_entries(app)
        for command in COMMANDS:
            helps = [entry.help for entry in entries if entry.help.startswith(command.help)]
            if command.id == "interrupt":
                assert not helps  # a key's behaviour, not something to pick from a list
                continue
            assert helps, command.id
            if command.palette and command.keys:
                assert any(describe_keys(command.keys) in text for text in helps)

        await pilot.press("f1")
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        rows = {row.help: row for row in screen.commands}
        for command in COMMANDS:
            row = rows[help_line(command, command.keys)]
            assert row.help.startswith(command.help)
            assert row.keys == describe_keys(command.keys)
            assert row.usage == (command.usage if command.slash else "")


async def test_textuals_own_theme_and_quit_leave_the_palette() -> None:
    app = ClaudeTuiApp(load_config())
    async with run(app):
        system = [command.title for command in app.get_system_commands(app.screen)]
        ours = [entry.title for entry in palette_entries(app)]
    assert "Theme" not in system and "Quit" not in system
    assert "Screenshot" in system and "Keys" in system  # nothing of ours does these
    assert ours.count("Quit") == 1


async def _focus_for(pilot: Pilot[Any], command_id: str) -> None:
    pane = pane_of(pilot)
    if command_id == "close":  # in the composer, Ctrl+W deletes a word
        pane.view.focus()
    else:
        pane.focus_composer()
    await pilot.pause()


@pytest.mark.parametrize("command", [c for c in COMMANDS if c.keys], ids=lambda c: c.id)
async def test_each_default_key_runs_its_command(
    command: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[str] = []
    for command_id in HANDLERS:
        monkeypatch.setitem(
            HANDLERS,  # type: ignore[arg-type]
            command_id,
            lambda app, pane, argument, command_id=command_id: ran.append(command_id),
        )
    app = ClaudeTuiApp(load_config())
    async with run(app) as pilot:
        await _focus_for(pilot, command.id)
        for key in command.keys:
            ran.clear()
            await tap(pilot, key)
            await wait_until(pilot, lambda: bool(ran))
            assert ran == [command.id], key

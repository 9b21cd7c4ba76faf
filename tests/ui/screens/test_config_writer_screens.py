"""The F6 profile manager keeps a hand-written config.toml's comments (driven with Pilot)."""

from __future__ import annotations

from typing import Any

from commented_config import COMMENTED, replaced
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from claude_tui import paths
from claude_tui.profiles import load_config
from claude_tui.ui.screens.profile_form import ProfileForm
from claude_tui.ui.screens.profile_manager import ProfileManager

SIZE = (120, 60)


class ManagerApp(App[None]):
    """Opens the profile manager on mount."""

    def on_mount(self) -> None:
        self.push_screen(ProfileManager())


def write_commented() -> None:
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(COMMENTED, encoding="utf-8")


async def edit(pilot: Pilot[Any], row: str, field: str, value: str) -> None:
    """Open ``row`` in the editor, put ``value`` in ``field`` and save."""
    table = pilot.app.screen.query_one("#profiles", DataTable)
    names = [key.value for key in table.rows]
    table.move_cursor(row=names.index(row))
    table.focus()
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, ProfileForm)
    form.query_one(field, Input).value = value
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ProfileManager)  # saved and closed


async def test_editing_a_profile_keeps_every_comment() -> None:
    write_commented()
    async with ManagerApp().run_test(size=SIZE) as pilot:
        await pilot.pause()
        await edit(pilot, "work", "#model", "claude-opus-4-5")
    text = paths.config_file().read_text(encoding="utf-8")
    assert text == replaced(
        COMMENTED, "timeout = 600.0\n", 'timeout = 600.0\nmodel = "claude-opus-4-5"\n'
    )
    assert load_config().profile("work").model == "claude-opus-4-5"


async def test_renaming_a_profile_keeps_its_table_and_comments_in_place() -> None:
    write_commented()
    async with ManagerApp().run_test(size=SIZE) as pilot:
        await pilot.pause()
        await edit(pilot, "work", "#name", "job")
    expected = replaced(COMMENTED, "[profiles.work]", "[profiles.job]")
    expected = replaced(expected, "[profiles.work.prices]", "[profiles.job.prices]")
    expected = replaced(expected, 'default_profile = "work"', 'default_profile = "job"')
    assert paths.config_file().read_text(encoding="utf-8") == expected

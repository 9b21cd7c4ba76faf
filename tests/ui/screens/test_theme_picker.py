"""The theme picker previews live, keeps with Enter, puts back with Esc; saving the choice."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.app import App
from textual.widgets import OptionList

from claude_tui import paths
from claude_tui.ui.screens.theme_picker import ThemePicker
from claude_tui.ui.theme_registry import register_bundled_themes, save_theme_choice

SIZE = (80, 40)
UNSET = "unset"


class PickerApp(App[None]):
    """Just the registered themes and the picker, opened on mount."""

    def __init__(self) -> None:
        super().__init__()
        register_bundled_themes(self)
        self.theme = "claude"
        self.result: str | None = UNSET

    def on_mount(self) -> None:
        self.push_screen(ThemePicker(), callback=self._picked)

    def _picked(self, name: str | None) -> None:
        self.result = name


def option_ids(app: App[None]) -> list[str | None]:
    option_list = app.screen.query_one("#themes", OptionList)
    return [option_list.get_option_at_index(i).id for i in range(option_list.option_count)]


async def test_moving_the_highlight_previews_the_theme() -> None:
    app = PickerApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ThemePicker)
        highlighted = app.screen.query_one("#themes", OptionList).highlighted_option
        assert highlighted is not None and highlighted.id == "claude"
        await pilot.press("down")
        assert app.theme == "claude-light"
        await pilot.press("down")
        assert app.theme == "claude-midnight"
        await pilot.press("up", "up")
        assert app.theme == "claude"
        assert app.result == UNSET  # still open


async def test_escape_puts_the_original_theme_back() -> None:
    app = PickerApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "down")
        assert app.theme != "claude"
        await pilot.press("escape")
        await pilot.pause()
        assert app.theme == "claude"
        assert app.result is None
        assert not isinstance(app.screen, ThemePicker)


async def test_enter_keeps_the_highlighted_theme() -> None:
    app = PickerApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.result == "claude-light"
        assert app.theme == "claude-light"


async def test_typing_filters_and_previews_the_first_match() -> None:
    app = PickerApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"paper")
        await pilot.pause()
        assert app.theme == "paper"
        await pilot.press("enter")
        await pilot.pause()
        assert app.result == "paper"


async def test_a_filter_matching_nothing_keeps_the_picker_open() -> None:
    app = PickerApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"zzz", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ThemePicker)
        assert app.result == UNSET
        await pilot.press("escape")
        await pilot.pause()
        assert app.theme == "claude"


async def test_lists_ours_first_then_textuals_including_user_themes() -> None:
    folder = paths.user_themes_dir()
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text('primary = "#123456"\n', encoding="utf-8")
    (folder / "nord.toml").write_text('primary = "#88C0D0"\n', encoding="utf-8")  # replaces
    app = PickerApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ids = option_ids(app)
        heading = ids.index(None, 1)  # the second (disabled) heading starts Textual's themes
        ours, textuals = ids[1:heading], ids[heading + 1 :]
        assert ours == sorted(ours)
        assert {"claude", "claude-light", "claude-midnight", "paper", "mine", "nord"} <= set(ours)
        assert {"textual-dark", "textual-light", "dracula"} <= set(textuals)
        assert "nord" not in textuals


# -- saving ------------------------------------------------------------------------------------


def test_saving_writes_the_theme_into_config_toml() -> None:
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('default_profile = "demo"\ntheme = "claude"\n', encoding="utf-8")
    assert save_theme_choice("paper") is None
    assert tomllib.loads(path.read_text("utf-8")) == {"default_profile": "demo", "theme": "paper"}
    assert path.stat().st_mode & 0o777 == 0o600


def test_saving_without_a_config_file_creates_one() -> None:
    assert save_theme_choice("claude-midnight") is None
    assert tomllib.loads(paths.config_file().read_text("utf-8")) == {"theme": "claude-midnight"}


def test_saving_into_a_broken_config_returns_a_message_and_keeps_the_file() -> None:
    path: Path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("theme = \n", encoding="utf-8")
    message = save_theme_choice("paper")
    assert message is not None
    assert message.startswith("Theme not saved: ")
    assert str(path) in message
    assert path.read_text("utf-8") == "theme = \n"

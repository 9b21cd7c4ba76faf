"""Paths as a user reads them: the home folder as ~ (the profile manager's title, save
errors, and so the screenshots, never show a machine's full temporary path)."""

from __future__ import annotations

from pathlib import Path

import pytest

from claude_tui import paths


def test_a_path_under_home_is_shown_with_a_tilde(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert paths.shown(tmp_path / ".config" / "claude-tui" / "config.toml") == (
        "~/.config/claude-tui/config.toml"
    )
    assert paths.shown(tmp_path) == "~"
    assert paths.shown(Path("/etc/claude-tui.toml")) == "/etc/claude-tui.toml"
    assert paths.shown(Path(str(tmp_path) + "-other/x")) == str(tmp_path) + "-other/x"


async def test_the_profile_manager_names_the_config_file_as_the_user_knows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.app import App
    from textual.widgets import Label

    from claude_tui.ui.screens.profile_manager import ProfileManager

    monkeypatch.setenv("HOME", str(tmp_path))
    config = tmp_path / ".config" / "claude-tui" / "config.toml"

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ProfileManager(config))

    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        title = str(app.screen.query_one("#title", Label).content)
    assert title == "Profiles in ~/.config/claude-tui/config.toml"

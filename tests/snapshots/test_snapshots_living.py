"""Snapshots of the sessions sidebar, the profile picker and manager, and themes.

Fixed sessions and config as in ``test_snapshots.py``; the sidebar's clock is frozen so its
ages ("1d ago") never change, and the profile manager's config folder is a relative path so
its title does not show the test's temporary folder. Update with ``--snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from app_driving import MOSSY_THEME
from textual.pilot import Pilot

from claude_tui import paths

from .fixed_sessions import (
    EXTRA_PROFILES,
    SIZE,
    freeze_sidebar_clock,
    save_reply_session,
    save_sidebar_sessions,
    snapshot_app,
    steady_cursor,
    steady_inputs,
    write_config,
)

SnapCompare = Callable[..., bool]


def opened_with(*keys: str) -> Callable[[Pilot[Any]], Any]:
    """A ``run_before`` that steadies the composer, presses ``keys``, then steadies the
    inputs of whatever they opened."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await steady_cursor(pilot)
        await pilot.press(*keys)
        await pilot.pause(0.1)
        await steady_inputs(pilot)

    return run_before


def test_sessions_sidebar(snap_compare: SnapCompare, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+B on the newest of three saved sessions: titles newest first, fixed ages."""
    config = write_config()
    newest = save_sidebar_sessions()[-1]
    freeze_sidebar_clock(monkeypatch)
    app = snapshot_app(config, resume=newest.id)
    assert snap_compare(app, terminal_size=SIZE, run_before=opened_with("ctrl+b"))


def test_profile_picker(snap_compare: SnapCompare) -> None:
    """F2 with three configured profiles (and the built-in demo), ``work`` current."""
    config = write_config(more_profiles=EXTRA_PROFILES)
    session = save_reply_session()
    app = snapshot_app(config, resume=session.id)
    assert snap_compare(app, terminal_size=SIZE, run_before=opened_with("f2"))


def test_profile_manager(
    snap_compare: SnapCompare, monkeypatch: pytest.MonkeyPatch, isolated_dirs: Path
) -> None:
    """F6 with the same three profiles: the table, the default marker, the actions."""
    isolated_dirs.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(isolated_dirs)
    monkeypatch.setenv("CLAUDE_TUI_CONFIG_DIR", "config")  # the title shows this path
    monkeypatch.delenv("BACKUP_KEY", raising=False)  # the Key column says whether it is set
    config = write_config(more_profiles=EXTRA_PROFILES)
    assert str(config.path) == str(Path("config", "config.toml"))
    session = save_reply_session()
    app = snapshot_app(config, resume=session.id)
    assert snap_compare(app, terminal_size=SIZE, run_before=opened_with("f6"))


def test_theme_picker(snap_compare: SnapCompare) -> None:
    """F4: every theme with its swatches, claude-tui's first, the current one highlighted."""
    config = write_config()
    session = save_reply_session()
    app = snapshot_app(config, resume=session.id)
    assert snap_compare(app, terminal_size=SIZE, run_before=opened_with("f4"))


def test_user_theme_applied(snap_compare: SnapCompare) -> None:
    """A theme file dropped in the user themes folder and named in config.toml."""
    folder = paths.user_themes_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mossy.toml").write_text(MOSSY_THEME, encoding="utf-8")
    config = write_config(theme="mossy")
    session = save_reply_session()
    app = snapshot_app(config, resume=session.id)
    assert snap_compare(app, terminal_size=SIZE, run_before=steady_cursor)

"""Registers claude-tui's own themes with the app, next to Textual's built-in ones."""

from __future__ import annotations

from textual.app import App
from textual.theme import Theme

CLAUDE_DARK = Theme(
    name="claude",
    primary="#D97757",
    secondary="#C2A58B",
    accent="#E8A87C",
    foreground="#E8E6E3",
    background="#1F1E1D",
    surface="#262624",
    panel="#30302E",
    success="#7FB069",
    warning="#E0B354",
    error="#E5604D",
    dark=True,
)

CLAUDE_LIGHT = Theme(
    name="claude-light",
    primary="#B95B3A",
    secondary="#8A6F57",
    accent="#C7663F",
    foreground="#1F1E1D",
    background="#FAF9F5",
    surface="#F0EEE6",
    panel="#E8E5DA",
    success="#3F7D3A",
    warning="#9A6B00",
    error="#B3261E",
    dark=False,
)


def register_bundled_themes(app: App[object]) -> None:
    """Make the bundled themes available by name."""
    for theme in (CLAUDE_DARK, CLAUDE_LIGHT):
        app.register_theme(theme)

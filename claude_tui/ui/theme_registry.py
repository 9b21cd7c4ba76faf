"""Registers claude-tui's themes with the app, beside Textual's own, and saves the choice.

The themes themselves are data: TOML files in the repository's ``themes/`` folder (bundled)
and in :func:`claude_tui.paths.user_themes_dir` (the user's own); see ``theme_files``.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from claude_tui import paths
from claude_tui.profiles import ConfigError, config_writer
from claude_tui.ui.theme_files import ThemeProblem, bundled_themes, user_themes

DEFAULT_THEME = "claude"


def register_bundled_themes(
    app: App[object], user_folder: Path | None = None
) -> list[ThemeProblem]:
    """Make the bundled and the user's themes available by name; return the skipped files.

    User themes are registered last, so a user file named like a bundled (or Textual)
    theme replaces it. The problems are meant for one notification
    (:func:`~claude_tui.ui.theme_files.format_theme_problems`); nothing here raises over
    a user's file.
    """
    for theme in bundled_themes():
        app.register_theme(theme)
    folder = user_folder if user_folder is not None else paths.user_themes_dir()
    themes, problems = user_themes(folder)
    for theme in themes:
        app.register_theme(theme)
    return problems


def save_theme_choice(name: str, config_path: Path | None = None) -> str | None:
    """Remember ``name`` as the theme in ``config.toml``; the reason it failed, or None.

    Returns a message for a notification instead of raising, so a config file the user
    broke by hand (which is then left untouched) cannot take the UI down with it.
    """
    try:
        config_writer.set_theme(name, config_path)
    except ConfigError as error:
        return f"Theme not saved: {error}"
    except OSError as error:
        return f"Theme not saved: {error.strerror or error}"
    return None

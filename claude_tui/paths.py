"""The one place that knows where claude-tui keeps files.

Everything is derived from platformdirs so XDG_CONFIG_HOME / XDG_DATA_HOME are honoured on
Linux. Tests point these at a temporary directory by setting those variables, or by setting
``CLAUDE_TUI_CONFIG_DIR`` / ``CLAUDE_TUI_DATA_DIR`` which win over everything.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "claude-tui"


def config_dir() -> Path:
    """Directory holding ``config.toml`` and user themes."""
    override = os.environ.get("CLAUDE_TUI_CONFIG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    """Directory holding sessions, the session index and prompt history."""
    override = os.environ.get("CLAUDE_TUI_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME))


def config_file() -> Path:
    """The user's ``config.toml``."""
    return config_dir() / "config.toml"


def user_themes_dir() -> Path:
    """Folder where users drop their own theme files."""
    return config_dir() / "themes"


def sessions_dir() -> Path:
    """Folder with one JSON Lines file per session."""
    return data_dir() / "sessions"


def attachments_dir() -> Path:
    """Attachment bytes, one file per content hash, shared by every session."""
    return data_dir() / "attachments"


def prompt_history_file() -> Path:
    """Prompts typed in the composer, recalled with Up across runs."""
    return data_dir() / "prompt_history.jsonl"


def model_cache_file() -> Path:
    """Model lists fetched from each profile's ``/v1/models``, cached for a day."""
    return data_dir() / "model_cache.json"


def ui_state_file() -> Path:
    """Small UI preferences the app writes itself (chosen theme, model caches)."""
    return data_dir() / "ui_state.json"


def rate_limits_file() -> Path:
    """The ``rpm``/``tpm`` token buckets, locked and shared by every claude-tui process
    using this data folder."""
    return data_dir() / "rate_limits.json"


def balance_sources_file() -> Path:
    """Which billing shape each profile's relay answered (``balance = "auto"``), by base URL."""
    return data_dir() / "balance_sources.json"


def shown(path: Path) -> str:
    """``path`` as a user would type it: the home folder written as ``~``."""
    home = os.path.expanduser("~")
    text = os.fspath(path)
    if home not in ("", "/") and (text == home or text.startswith(home + os.sep)):
        return "~" + text[len(home) :]
    return text

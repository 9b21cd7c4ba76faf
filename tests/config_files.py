"""The one way tests write ``config.toml``: into the test's own config folder (the autouse
``isolated_dirs`` fixture points ``CLAUDE_TUI_CONFIG_DIR`` there), mode 0600 as claude-tui
writes it, from TOML text or from tables."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomli_w

from claude_tui import paths
from claude_tui.profiles import Config, load_config


def write_config_file(content: str | Mapping[str, Any] = "", **top: Any) -> Path:
    """Write ``config.toml``: ``content`` is its text, or a ``{name: table}`` mapping of
    profiles (with ``top`` as top-level settings); returns its path."""
    if isinstance(content, str):
        assert not top, "top-level settings go into the text"
        text = content
    else:
        text = tomli_w.dumps({**top, "profiles": dict(content)})
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def write_config(content: str | Mapping[str, Any] = "", **top: Any) -> Config:
    """:func:`write_config_file`, then load it as the app would."""
    write_config_file(content, **top)
    return load_config()

"""Change ``config.toml`` from the app: save, rename or delete a profile, pick the default or theme.

Each change reads the file as it is now and edits only its own part of the text: the user's
comments, blank lines, key order and the way values were written (arrays over several lines,
inline tables, ``600.0``) survive everywhere else. A changed value keeps its line and its
trailing comment; a new key goes after the table's last key; a new profile is appended; a
deleted profile takes its own comments (the run directly above its header) with it; a renamed
one keeps them. The result is written atomically with mode 0600 (the file may hold keys).

A file that does not parse is never rewritten: the user's text is worth more than the change.
Every result is parsed again and must equal the intended settings before it is written; a
file laid out so unusually that the edit cannot be made without disturbing it is refused the
same way. The text editing itself is :mod:`.config_text_edits`.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from .. import paths
from ..atomic_write import write_atomic
from .config_file import RESERVED_PROFILE_NAMES, parse_config_text, read_config_text
from .config_text_edits import edited_config_text, same_settings
from .errors import ConfigError
from .profile import PROFILE_KEYS, Profile
from .value_checks import describe

CONFIG_FILE_MODE = 0o600


def save_profile(
    profile: Profile, path: Path | None = None, *, replacing: str | None = None
) -> None:
    """Write ``profile`` as ``[profiles.NAME]``, adding it or updating it in place.

    ``replacing`` is the profile's name in the file before this edit, for a rename: that
    table is renamed where it stands (its comments stay with it) and ``default_profile``
    follows it, all in one write.
    """
    if profile.name in RESERVED_PROFILE_NAMES or profile.is_demo:
        raise ConfigError(
            f"the built-in {describe(profile.name)} profile cannot be saved; "
            "save a copy under another name"
        )
    path, text, document = _load(path)
    expected = copy.deepcopy(document)
    profiles = _profiles_table(expected, path, create=True)
    renamed = replacing is not None and replacing != profile.name
    if renamed and replacing is not None:
        if replacing not in profiles:
            raise ConfigError(f"has no profile named {describe(replacing)} to rename", path=path)
        if profile.name in profiles:
            raise ConfigError(
                f"already has a profile named {describe(profile.name)}; pick another name",
                path=path,
            )
        old = profiles.pop(replacing)
        if expected.get("default_profile") == replacing:
            expected["default_profile"] = profile.name
    else:
        old = profiles.get(profile.name, {})
    if not isinstance(old, dict):
        old = {}
    profiles[profile.name] = _merge_profile_table(old, profile.to_toml_dict(include=old))
    rename = (replacing, profile.name) if renamed and replacing is not None else None
    _store(path, text, document, expected, rename=rename)


def delete_profile(name: str, path: Path | None = None) -> None:
    """Remove ``[profiles.NAME]``; if it was the default, the default falls back to demo."""
    path, text, document = _load(path)
    expected = copy.deepcopy(document)
    profiles = _profiles_table(expected, path, create=False)
    if name not in profiles:
        raise ConfigError(f"has no profile named {describe(name)} to delete", path=path)
    del profiles[name]
    if not profiles:
        expected.pop("profiles", None)
    if expected.get("default_profile") == name:
        # Leaving it would name a missing profile, and the next start would fail to load.
        del expected["default_profile"]
    _store(path, text, document, expected)


def set_default_profile(name: str, path: Path | None = None) -> None:
    """Make ``name`` (a profile in the file, ``demo`` or ``env``) the one the app starts with."""
    path, text, document = _load(path)
    expected = copy.deepcopy(document)
    profiles = _profiles_table(expected, path, create=False)
    if name not in profiles and name not in RESERVED_PROFILE_NAMES:
        raise ConfigError(
            f"cannot make {describe(name)} the default profile: no such profile", path=path
        )
    expected["default_profile"] = name
    _store(path, text, document, expected)


def set_theme(name: str, path: Path | None = None) -> None:
    """Remember ``name`` as the UI theme."""
    path, text, document = _load(path)
    expected = copy.deepcopy(document)
    expected["theme"] = name
    _store(path, text, document, expected)


# --- the intended settings ---------------------------------------------------------------


def _load(path: Path | None) -> tuple[Path, str, dict[str, Any]]:
    """The file's text and settings; ConfigError (and no write) if it cannot be parsed."""
    path = path if path is not None else paths.config_file()
    text = read_config_text(path)
    if text is None:
        return path, "", {}
    return path, text, parse_config_text(text, path)


def _profiles_table(document: dict[str, Any], path: Path, *, create: bool) -> dict[str, Any]:
    profiles = document.setdefault("profiles", {}) if create else document.get("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigError(
            "must be a table of [profiles.NAME] tables; fix it by hand first",
            path=path,
            key="profiles",
        )
    return profiles


def _merge_profile_table(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """``new`` laid out in ``old``'s key order, keeping keys this version does not know.

    A known key missing from ``new`` was unset (e.g. the system prompt removed), so it goes.
    """
    merged: dict[str, Any] = {}
    for key, value in old.items():
        if key in new:
            merged[key] = new[key]
        elif key not in PROFILE_KEYS:
            merged[key] = value
    for key, value in new.items():
        merged.setdefault(key, value)
    return merged


def _store(
    path: Path,
    text: str,
    document: dict[str, Any],
    expected: dict[str, Any],
    *,
    rename: tuple[str, str] | None = None,
) -> None:
    """Write ``expected`` by editing ``text`` as little as possible (nothing if no change)."""
    if path.exists() and same_settings(document, expected):
        return
    new_text = edited_config_text(text, expected, rename)
    if new_text is None:
        raise ConfigError(
            "is laid out in a way claude-tui cannot edit without disturbing it, so it was "
            "left unchanged; make this change by hand",
            path=path,
        )
    write_atomic(path, new_text, mode=CONFIG_FILE_MODE)

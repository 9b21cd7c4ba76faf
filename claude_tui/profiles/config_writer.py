"""Change ``config.toml`` from the app: save or delete a profile, pick the default or theme.

Each change reads the file as it is now, alters only its own part and writes the result
atomically with mode 0600 (the file may hold keys). Other profiles, unknown settings and
keys a user wrote explicitly are kept. A file that does not parse is never rewritten: the
user's text is worth more than the change. ``tomli_w`` does not keep comments, so a write
that would change nothing is skipped and the file stays exactly as the user left it.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import tomli_w

from .. import paths
from ..atomic_write import write_atomic
from .config_file import RESERVED_PROFILE_NAMES, parse_config_text, read_config_text
from .errors import ConfigError
from .profile import PROFILE_KEYS, Profile
from .value_checks import describe

CONFIG_FILE_MODE = 0o600


def save_profile(profile: Profile, path: Path | None = None) -> None:
    """Write ``profile`` as ``[profiles.NAME]``, adding it or updating it in place."""
    if profile.name in RESERVED_PROFILE_NAMES or profile.is_demo:
        raise ConfigError(
            f"the built-in {describe(profile.name)} profile cannot be saved; "
            "save a copy under another name"
        )
    path, document = _load(path)
    original = copy.deepcopy(document)
    profiles = _profiles_table(document, path, create=True)
    old = profiles.get(profile.name, {})
    if not isinstance(old, dict):
        old = {}
    profiles[profile.name] = _merge_profile_table(old, profile.to_toml_dict(include=old))
    _store(path, document, original)


def delete_profile(name: str, path: Path | None = None) -> None:
    """Remove ``[profiles.NAME]``; if it was the default, the default falls back to demo."""
    path, document = _load(path)
    original = copy.deepcopy(document)
    profiles = _profiles_table(document, path, create=False)
    if name not in profiles:
        raise ConfigError(f"has no profile named {describe(name)} to delete", path=path)
    del profiles[name]
    if not profiles:
        document.pop("profiles", None)
    if document.get("default_profile") == name:
        # Leaving it would name a missing profile, and the next start would fail to load.
        del document["default_profile"]
    _store(path, document, original)


def set_default_profile(name: str, path: Path | None = None) -> None:
    """Make ``name`` (a profile in the file, ``demo`` or ``env``) the one the app starts with."""
    path, document = _load(path)
    original = copy.deepcopy(document)
    profiles = _profiles_table(document, path, create=False)
    if name not in profiles and name not in RESERVED_PROFILE_NAMES:
        raise ConfigError(
            f"cannot make {describe(name)} the default profile: no such profile", path=path
        )
    document["default_profile"] = name
    _store(path, document, original)


def set_theme(name: str, path: Path | None = None) -> None:
    """Remember ``name`` as the UI theme."""
    path, document = _load(path)
    original = copy.deepcopy(document)
    document["theme"] = name
    _store(path, document, original)


def _load(path: Path | None) -> tuple[Path, dict[str, Any]]:
    """The current document; ConfigError (and no write) if the file cannot be parsed."""
    path = path if path is not None else paths.config_file()
    text = read_config_text(path)
    return path, (parse_config_text(text, path) if text is not None else {})


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


def _store(path: Path, document: dict[str, Any], original: dict[str, Any]) -> None:
    if document == original and path.exists():
        return
    write_atomic(path, tomli_w.dumps(document), mode=CONFIG_FILE_MODE)

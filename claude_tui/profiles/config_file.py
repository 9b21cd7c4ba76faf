"""Load and validate ``config.toml`` into a :class:`Config`.

Validation is strict and every failure is a :class:`ConfigError` whose text is one line
naming the file, the line and the dotted key, because the person reading it is about to open
that file in an editor. A missing file is not an error: it just means no user profiles.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import paths
from .demo_profile import DEMO_PROFILE_NAME, demo_profile
from .env_profile import ENV_PROFILE_NAME, env_profile
from .errors import ConfigError, ProfileValueError
from .profile import PROFILE_KEYS, Profile
from .toml_locator import TomlKeyLocator
from .value_checks import describe, did_you_mean, type_name

TOP_LEVEL_KEYS = ("default_profile", "theme", "profiles", "keys")  # [keys]: keymap_config
RESERVED_PROFILE_NAMES = (DEMO_PROFILE_NAME, ENV_PROFILE_NAME)
FALLBACK_PROFILE_NAME = DEMO_PROFILE_NAME

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


@dataclass(frozen=True)
class Config:
    """Everything ``config.toml`` says, plus the built-in profiles."""

    path: Path
    """Where the settings were (or would be) read from."""
    profiles: dict[str, Profile]
    """The file's profiles in file order, then ``env`` (when its variables are set), then
    ``demo`` (always)."""
    default_profile_name: str = FALLBACK_PROFILE_NAME
    """``default_profile`` from the file, else ``demo``."""
    theme: str | None = None
    """The UI theme the user picked, if any."""
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    """The parsed file as ``tomllib`` returned it (empty when there is no file)."""

    def profile(self, name: str) -> Profile:
        """The profile called ``name``; the error lists the names that do exist."""
        try:
            return self.profiles[name]
        except KeyError:
            hint = did_you_mean(name, list(self.profiles))
            raise ConfigError(
                f"there is no profile named {describe(name)}{hint}; "
                f"available profiles: {', '.join(self.profiles)}"
            ) from None

    @property
    def default_profile(self) -> Profile:
        """The profile to start with."""
        return self.profile(self.default_profile_name)

    @property
    def user_profile_names(self) -> list[str]:
        """Names of the profiles defined in the file (the ones a user may edit or delete)."""
        return [name for name in self.profiles if name not in RESERVED_PROFILE_NAMES]


def load_config(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """Read ``path`` (default: ``paths.config_file()``) and the environment into a Config.

    Raises :class:`ConfigError` for unreadable or invalid files and unusable ``ANTHROPIC_*``
    variables; a missing file yields just the built-in profiles.
    """
    path = path if path is not None else paths.config_file()
    environ = environ if environ is not None else os.environ
    text = read_config_text(path)
    raw = parse_config_text(text, path) if text is not None else {}
    where = _Locator(path, TomlKeyLocator(text or ""))

    for key in raw:
        if key not in TOP_LEVEL_KEYS:
            raise where.error((key,), f"is not a known setting{did_you_mean(key, TOP_LEVEL_KEYS)}")
    theme = raw.get("theme")
    if theme is not None and not isinstance(theme, str):
        raise where.error(("theme",), f"must be a theme name, not {describe(theme)}")

    profiles = _file_profiles(raw.get("profiles", {}), where)
    env = env_profile(environ)
    if env is not None:
        profiles[ENV_PROFILE_NAME] = env
    profiles[DEMO_PROFILE_NAME] = demo_profile()

    default = raw.get("default_profile", FALLBACK_PROFILE_NAME)
    if not isinstance(default, str):
        raise where.error(("default_profile",), f"must be a profile name, not {describe(default)}")
    if default not in profiles:
        hint = did_you_mean(default, list(profiles))
        raise where.error(
            ("default_profile",),
            f"names a profile that does not exist: {describe(default)}{hint}; "
            f"available profiles: {', '.join(profiles)}",
        )
    return Config(path=path, profiles=profiles, default_profile_name=default, theme=theme, raw=raw)


def read_config_text(path: Path) -> str | None:
    """The file's text, None when it does not exist, ConfigError when it cannot be read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ConfigError(f"cannot be read: {error.strerror or error}", path=path) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError("is not valid UTF-8 text", path=path, line=line) from None


def parse_config_text(text: str, path: Path) -> dict[str, Any]:
    """``tomllib.loads`` with its complaint turned into a one-line located ConfigError."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        line = column = None
        position = _TOML_POSITION.search(message)
        if position:
            line, column = int(position.group(1)), int(position.group(2))
            message = message[: position.start()]
        else:
            message = _TOML_AT_END.sub(" (at the end of the file)", message)
        message = message[:1].lower() + message[1:]
        raise ConfigError(f"invalid TOML: {message}", path=path, line=line, column=column) from None


def profile_from_table(name: str, table: object) -> Profile:
    """Build the profile ``[profiles.NAME]`` describes.

    Raises :class:`ProfileValueError` whose ``key`` is relative to the table.
    """
    if not isinstance(table, dict):
        raise ProfileValueError((), f"must be a table of settings, not {type_name(table)}")
    if not name.strip():
        raise ProfileValueError((), "needs a non-empty name")
    for key in table:
        if key not in PROFILE_KEYS:
            raise ProfileValueError(
                (key,), f"is not a profile setting{did_you_mean(key, PROFILE_KEYS)}"
            )
    return Profile(name=name, **table)


def _file_profiles(section: object, where: _Locator) -> dict[str, Profile]:
    if not isinstance(section, dict):
        raise where.error(
            ("profiles",), f"must be a table of [profiles.NAME] tables, not {describe(section)}"
        )
    profiles: dict[str, Profile] = {}
    for name, table in section.items():
        if name in RESERVED_PROFILE_NAMES:
            raise where.error(
                ("profiles", name),
                f"is reserved for the built-in {describe(name)} profile; rename this one",
            )
        try:
            profiles[name] = profile_from_table(name, table)
        except ProfileValueError as error:
            raise where.error(("profiles", name, *error.key), error.problem) from None
    return profiles


@dataclass(frozen=True)
class _Locator:
    """Builds ConfigErrors that point at the file and line of a key path."""

    path: Path
    lines: TomlKeyLocator

    def error(self, key: Sequence[str], problem: str) -> ConfigError:
        return ConfigError(
            problem, path=self.path, line=self.lines.line_of(key), key=dotted_key(key)
        )


def dotted_key(parts: Sequence[str]) -> str:
    """``profiles."my relay".model``: the key as it would be written in TOML."""
    return ".".join(
        part if _BARE_KEY.fullmatch(part) else json.dumps(part, ensure_ascii=False)
        for part in parts
    )

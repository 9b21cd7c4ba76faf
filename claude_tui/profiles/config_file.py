"""Load and validate ``config.toml`` into a :class:`Config`.

Validation is strict and every failure is a :class:`ConfigError` whose text is one line
naming the file, the line and the dotted key, because the person reading it is about to open
that file in an editor. A missing file is not an error: it just means no user profiles.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import stat
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import paths
from ..regular_files import NotARegularFile, open_regular_file, read_all
from .demo_profile import DEMO_PROFILE_NAME, demo_profile
from .env_profile import ENV_PROFILE_NAME, env_profile
from .errors import ConfigError, ProfileValueError
from .mcp_server_config import McpServerConfig, server_from_table, servers_from_json_file
from .profile import PROFILE_KEYS, Profile
from .toml_locator import TomlKeyLocator
from .value_checks import describe, did_you_mean, type_name

TOP_LEVEL_KEYS = ("default_profile", "theme", "profiles", "keys", "mcp_servers", "mcp_config")
# [keys]: keymap_config; [mcp_servers.NAME] and mcp_config: mcp_server_config
RESERVED_PROFILE_NAMES = (DEMO_PROFILE_NAME, ENV_PROFILE_NAME)
FALLBACK_PROFILE_NAME = DEMO_PROFILE_NAME

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)\s*$")
MAX_NESTING = 32
"""Deepest nesting of tables and arrays accepted; a real config needs four levels."""
_NESTED_TOO_DEEPLY = (
    f"arrays or inline tables are nested too deeply (more than {MAX_NESTING} levels)"
)


@dataclass(frozen=True)
class Config:
    """Everything ``config.toml`` says, plus the built-in profiles."""

    path: Path
    """Where the settings were (or would be) read from."""
    profiles: dict[str, Profile]
    """The file's profiles in file order, then ``env`` (when its variables are set), then
    ``demo`` (always)."""
    default_profile_name: str = FALLBACK_PROFILE_NAME
    """``default_profile`` from the file, else ``env`` when its variables are set, else
    ``demo`` (see :func:`default_profile_name`)."""
    default_is_fallback: bool = True
    """True when nothing chose the default: no ``default_profile`` and no ``env`` profile,
    so the demo answers (print mode says so on stderr)."""
    theme: str | None = None
    """The UI theme the user picked, if any."""
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    """The parsed file as ``tomllib`` returned it (empty when there is no file)."""
    warnings: tuple[str, ...] = ()
    """One-line problems that do not stop loading (a key file others can read), for the
    CLI to print on stderr and the UI to show once."""
    mcp_servers: dict[str, McpServerConfig] = field(default_factory=dict)
    """``[mcp_servers.NAME]`` tables, then the ``mcp_config`` file's other servers."""

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
    file = read_config_file(path)
    text = file.text if file is not None else None
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

    _check_fallbacks(profiles, where)
    default = raw.get("default_profile", default_profile_name(profiles))
    if not isinstance(default, str):
        raise where.error(("default_profile",), f"must be a profile name, not {describe(default)}")
    if default not in profiles:
        hint = did_you_mean(default, list(profiles))
        raise where.error(
            ("default_profile",),
            f"names a profile that does not exist: {describe(default)}{hint}; "
            f"available profiles: {', '.join(profiles)}",
        )
    warnings = _key_file_warnings(path, file.mode, profiles) if file is not None else ()
    mcp_servers, mcp_warnings = _mcp_servers(raw, path, where)
    return Config(
        path=path,
        profiles=profiles,
        default_profile_name=default,
        default_is_fallback="default_profile" not in raw and default == FALLBACK_PROFILE_NAME,
        theme=theme,
        raw=raw,
        warnings=warnings + mcp_warnings,
        mcp_servers=mcp_servers,
    )


def default_profile_name(profiles: Mapping[str, Profile]) -> str:
    """The default when the file names none: ``env`` when Claude Code's variables made it
    (a user who exported them means to use them), else the demo.

    Profiles in the file do not become the default by being there, even a single one: the
    choice stays explicit (``default_profile``), as it was before ``env`` took part.
    """
    return ENV_PROFILE_NAME if ENV_PROFILE_NAME in profiles else FALLBACK_PROFILE_NAME


@dataclass(frozen=True)
class ConfigFileText:
    """A config file's text and permission bits, read from one open descriptor."""

    text: str
    mode: int


def read_config_text(path: Path) -> str | None:
    """The file's text, None when it does not exist, ConfigError when it cannot be read."""
    file = read_config_file(path)
    return file.text if file is not None else None


def read_config_file(path: Path) -> ConfigFileText | None:
    """The file's text and mode, None when it does not exist, else ConfigError.

    Read through :mod:`claude_tui.regular_files`: a FIFO would hang the start-up forever
    and a device such as /dev/zero would never end, so only a regular file is read.
    """
    try:
        fd = open_regular_file(path)
    except FileNotFoundError:
        return None
    except NotARegularFile as error:
        raise ConfigError(
            f"is {error.kind}, not a regular file; it must be a plain text file", path=path
        ) from None
    except OSError as error:
        raise ConfigError(f"cannot be read: {error.strerror or error}", path=path) from None
    try:
        mode = stat.S_IMODE(os.fstat(fd).st_mode)
        data = read_all(fd)
    except OSError as error:
        raise ConfigError(f"cannot be read: {error.strerror or error}", path=path) from None
    finally:
        os.close(fd)
    try:
        return ConfigFileText(data.decode("utf-8"), mode)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError("is not valid UTF-8 text", path=path, line=line) from None


def _key_file_warnings(path: Path, mode: int, profiles: Mapping[str, Profile]) -> tuple[str, ...]:
    """Warn when the file holds an inline key and other users may read it."""
    holders = [
        name for name, profile in profiles.items() if profile.api_key and not profile.is_demo
    ]
    if not holders or not mode & (stat.S_IRGRP | stat.S_IROTH):
        return ()
    return (
        f"{path} holds an inline api_key (profile {describe(holders[0])}) and other users "
        f"can read it (mode {mode & 0o777:o}): run chmod 600 {shlex.quote(str(path))}",
    )


def parse_config_text(text: str, path: Path) -> dict[str, Any]:
    """``tomllib.loads`` with its complaint turned into a one-line located ConfigError.

    Nesting deeper than :data:`MAX_NESTING` is refused here too: ``tomllib`` (and every
    recursive walk after it) would otherwise die of a RecursionError traceback.
    """
    try:
        document = tomllib.loads(text)
    except RecursionError:
        raise ConfigError(f"invalid TOML: {_NESTED_TOO_DEEPLY}", path=path) from None
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
    too_deep = _too_deeply_nested(document)
    if too_deep is not None:
        raise ConfigError(
            f"is nested too deeply (more than {MAX_NESTING} levels of arrays or tables)",
            path=path,
            key=dotted_key(too_deep) or None,
        )
    return document


def _too_deeply_nested(document: dict[str, Any]) -> tuple[str, ...] | None:
    """The key path holding nesting deeper than MAX_NESTING, or None (walked without recursion)."""
    stack: list[tuple[object, tuple[str, ...], int]] = [(document, (), 0)]
    while stack:
        value, keys, depth = stack.pop()
        if depth > MAX_NESTING:
            return keys
        if isinstance(value, dict):
            stack.extend((item, (*keys, str(key)), depth + 1) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, keys, depth + 1) for item in value)
    return None


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


def _mcp_servers(
    raw: Mapping[str, Any], path: Path, where: _Locator
) -> tuple[dict[str, McpServerConfig], tuple[str, ...]]:
    """``[mcp_servers.NAME]`` tables, then the ``mcp_config`` JSON file's servers whose names
    the tables do not already use."""
    section = raw.get("mcp_servers", {})
    if not isinstance(section, dict):
        raise where.error(
            ("mcp_servers",),
            f"must be a table of [mcp_servers.NAME] tables, not {describe(section)}",
        )
    servers: dict[str, McpServerConfig] = {}
    for name, table in section.items():
        try:
            servers[name] = server_from_table(name, table)
        except ProfileValueError as error:
            raise where.error(("mcp_servers", name, *error.key), error.problem) from None
    json_path = raw.get("mcp_config")
    if json_path is None:
        return servers, ()
    if not isinstance(json_path, str) or not json_path.strip():
        raise where.error(("mcp_config",), f"must be a file path, not {describe(json_path)}")
    # A relative path is read beside config.toml, where the user wrote it.
    found, warnings = servers_from_json_file(path.parent / Path(json_path).expanduser())
    for name, server in found.items():
        servers.setdefault(name, server)
    return servers, warnings


def _check_fallbacks(profiles: Mapping[str, Profile], where: _Locator) -> None:
    """Every ``fallback`` name is another profile that exists: found at start, not when the
    first relay is down."""
    for name, profile in profiles.items():
        for index, other in enumerate(profile.fallback):
            if other == name:
                raise where.error(
                    ("profiles", name, "fallback"), f"names this profile itself ({describe(other)})"
                )
            if other not in profiles:
                hint = did_you_mean(other, list(profiles))
                raise where.error(
                    ("profiles", name, "fallback"),
                    f"names a profile that does not exist: {describe(other)}{hint} "
                    f"(item {index + 1}); available profiles: {', '.join(profiles)}",
                )


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

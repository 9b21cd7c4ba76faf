"""The ``[mcp_servers.NAME]`` tables of ``config.toml`` and a Claude Code style ``mcp_config``.

A server is either a program claude-tui starts and talks to over its stdin/stdout
(``command``, ``args``, ``env``, ``cwd``) or a URL it talks to over streamable HTTP (``url``,
``headers``). Both sources give the same :class:`McpServerConfig`; the TOML tables win over a
JSON entry of the same name. Problems are :class:`ProfileValueError` with the key path inside
the table, so the loader can say which file, line and key to fix.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .errors import ConfigError, ProfileValueError
from .profile_values import check_headers, check_str_list
from .value_checks import ValueProblem, describe, did_you_mean, type_name

McpTransport = Literal["stdio", "http"]

STDIO_KEYS = ("command", "args", "env", "cwd")
HTTP_KEYS = ("url", "headers")
SERVER_KEYS = (*STDIO_KEYS, *HTTP_KEYS)
JSON_ONLY_KEYS = ("type",)
"""Claude Code's files also say ``"type": "stdio" | "http" | "sse"``."""


@dataclass(frozen=True)
class McpServerConfig:
    """How to reach one MCP server."""

    name: str
    """The table name; tools are offered as ``NAME__TOOL``."""
    command: str | None = None
    """The program to start (stdio servers)."""
    args: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict, repr=False)
    """Added to claude-tui's own environment for the server (may hold keys)."""
    cwd: str | None = None
    """Working folder of the server process (default: claude-tui's)."""
    url: str | None = None
    """The streamable HTTP endpoint (``http://127.0.0.1:8000/mcp``)."""
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    """Sent with every HTTP request (``Authorization``); never shown."""
    source: str = "config.toml"
    """Where it was declared (config.toml or the mcp_config file), for messages."""

    @property
    def transport(self) -> McpTransport:
        """``stdio`` for a command, ``http`` for a URL."""
        return "stdio" if self.command is not None else "http"

    @property
    def target(self) -> str:
        """The command line or URL, for ``/tools`` (no env, no headers: they hold secrets)."""
        if self.command is not None:
            return " ".join((self.command, *self.args))
        return self.url or ""


def server_from_table(name: str, table: object, *, source: str = "config.toml") -> McpServerConfig:
    """Check ``[mcp_servers.NAME]`` (or one ``mcpServers`` entry) and build its config."""
    if not isinstance(table, dict):
        raise ProfileValueError((), f"must be a table of settings, not {type_name(table)}")
    if not name.strip():
        raise ProfileValueError((), "needs a non-empty name")
    allowed = SERVER_KEYS + (JSON_ONLY_KEYS if source != "config.toml" else ())
    for key in table:
        if key not in allowed:
            raise ProfileValueError(
                (key,), f"is not an MCP server setting{did_you_mean(key, allowed)}"
            )
    kind = table.get("type")
    if kind is not None and kind not in ("stdio", "http", "streamable-http"):
        raise ProfileValueError(
            ("type",),
            f"is {describe(kind)}; claude-tui speaks stdio and streamable HTTP "
            '("http"), not the older SSE transport',
        )
    command, url = table.get("command"), table.get("url")
    if (command is None) == (url is None):
        raise ProfileValueError(
            (), "needs either command (a program to start) or url (streamable HTTP), not both"
        )
    for key in HTTP_KEYS if command is not None else STDIO_KEYS:
        if key in table:
            raise ProfileValueError(
                (key,), f"belongs to {'HTTP' if key in HTTP_KEYS else 'stdio'} servers only"
            )
    try:
        return McpServerConfig(
            name=name,
            command=_text(table, "command"),
            args=_checked(table, "args", check_str_list, ()),
            env=_checked(table, "env", _check_env, {}),
            cwd=_text(table, "cwd"),
            url=_checked(table, "url", _check_url, None),
            headers=_checked(table, "headers", check_headers, {}),
            source=source,
        )
    except _KeyProblem as problem:
        raise ProfileValueError(problem.key, problem.problem) from None


def servers_from_json_file(path: Path) -> tuple[dict[str, McpServerConfig], tuple[str, ...]]:
    """The ``mcpServers`` of a Claude Code style JSON file, and warnings for skipped entries.

    ConfigError (naming the file and line, or the key) when the file cannot be read, is not
    JSON or holds a malformed entry. An SSE server is skipped with a warning rather than
    failing the whole config: the same file is Claude Code's, which speaks SSE.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            "does not exist (named by mcp_config in config.toml); fix the path", path=path
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot be read: {error}", path=path) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ConfigError(
            f"is not valid JSON: {error.msg}", path=path, line=error.lineno, column=error.colno
        ) from None
    servers = document.get("mcpServers") if isinstance(document, dict) else None
    if not isinstance(servers, dict):
        raise ConfigError('must be a JSON object with an "mcpServers" object of servers', path=path)
    found: dict[str, McpServerConfig] = {}
    warnings: list[str] = []
    for name, entry in servers.items():
        if isinstance(entry, dict) and entry.get("type") == "sse":
            warnings.append(
                f"{path}: MCP server {describe(name)} uses the SSE transport, which "
                "claude-tui does not speak; it was skipped (use its streamable HTTP URL)"
            )
            continue
        try:
            found[name] = server_from_table(name, entry, source=str(path))
        except ProfileValueError as error:
            key = ".".join(("mcpServers", name, *error.key))
            raise ConfigError(error.problem, path=path, key=key) from None
    return found, tuple(warnings)


class _KeyProblem(Exception):
    def __init__(self, key: tuple[str, ...], problem: str) -> None:
        super().__init__(problem)
        self.key = key
        self.problem = problem


def _checked(table: Mapping[str, Any], key: str, check: Any, default: Any) -> Any:
    if key not in table:
        return default
    try:
        return check(table[key])
    except ValueProblem as problem:
        raise _KeyProblem((key, *problem.subkey), problem.problem) from None


def _text(table: Mapping[str, Any], key: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _KeyProblem((key,), f"must be a non-empty string, not {describe(value)}")
    return value


def _check_env(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ValueProblem(f"must be a table of variable names to values, not {type_name(value)}")
    env: dict[str, str] = {}
    for name, item in value.items():
        if not isinstance(item, str):
            raise ValueProblem(f"must be a string, not {type_name(item)}", (str(name),))
        env[str(name)] = item
    return env


def _check_url(value: object) -> str:
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise ValueProblem(f"must be an http:// or https:// URL, not {describe(value)}")
    return value

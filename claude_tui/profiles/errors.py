"""The exceptions the profiles layer raises, arranged so callers catch at the level they need.

``ProfilesError`` catches everything; ``ConfigError`` is a broken ``config.toml`` (or a setting
coming from the environment), ``KeySourceError`` is a key that cannot be obtained right now,
and ``ProfileValueError`` is a program building a :class:`Profile` with a bad value.
Every message is a single line a user can act on, and never contains an API key.
"""

from __future__ import annotations

from pathlib import Path

from ..terminal_text import safe_for_terminal


class ProfilesError(Exception):
    """Base class for every error raised by ``claude_tui.profiles``."""


class ConfigError(ProfilesError):
    """A setting is missing, malformed or contradictory.

    ``str(error)`` is one line that says where (file, line, dotted key) and what is wrong,
    e.g. ``…/config.toml, line 7: profiles.relay.api_format must be "anthropic" or "openai",
    not "antropic"``. The parts are also kept as attributes for UIs that lay them out.
    """

    def __init__(
        self,
        problem: str,
        *,
        path: Path | None = None,
        line: int | None = None,
        column: int | None = None,
        key: str | None = None,
    ) -> None:
        self.problem = problem
        self.path = path
        self.line = line
        self.column = column
        self.key = key
        super().__init__(self._render())

    def _render(self) -> str:
        location = str(self.path) if self.path is not None else ""
        if self.line is not None:
            location += f", line {self.line}" if location else f"line {self.line}"
        if self.column is not None:
            location += f", column {self.column}"
        message = f"{self.key} {self.problem}" if self.key else self.problem
        text = f"{location}: {message}" if location else message
        # One line, always: a stray newline would break status bars and log records. And
        # no control sequences: a profile name in the message may come from a hostile file.
        return safe_for_terminal(" ".join(text.split()))


class KeySourceError(ProfilesError):
    """A profile's API key could not be obtained (unset variable, failing command, …).

    ``str(error)`` names the profile and what failed but never holds a key command's output:
    a failing helper often prints the key or a token in its complaint (``token sk-… expired``)
    and the message travels into replies' errors, session files and exports. ``detail`` is
    a short, masked excerpt of that output (long token-like words replaced) that a UI may
    show for a moment next to the message; it must never be saved or logged.
    """

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


def key_failure_detail(error: BaseException | None) -> str:
    """The masked :attr:`KeySourceError.detail` behind ``error`` (or ``""``).

    The wire layer wraps a KeySourceError in its own error (``raise … from exc``); this
    follows the chain so a UI can show the excerpt next to the message, without saving it.
    """
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, KeySourceError):
            return error.detail
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return ""


class ProfileValueError(ProfilesError, ValueError):
    """A :class:`Profile` was built with a value outside what its field allows.

    ``key`` is the field name (plus sub-keys for tables such as ``prices.input``) so the
    config loader can point at the right line; ``problem`` reads as a predicate on it.
    """

    def __init__(self, key: tuple[str, ...], problem: str) -> None:
        self.key = key
        self.problem = problem
        super().__init__(f"{'.'.join(key)} {problem}")

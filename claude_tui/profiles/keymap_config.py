"""The ``[keys]`` table of ``config.toml``: command id to key (or list of keys).

```toml
[keys]
new = "f7"
sessions = "ctrl+s"       # Ctrl+B is tmux's prefix
help = ["f1", "ctrl+h"]
stop = ""                 # no key at all
```

The profiles layer knows neither the commands nor Textual's key names, so the caller (the
UI, at start) hands in the command ids with their default keys, a parser for key names and
a test for keys that must stay free. Every problem is a :class:`ConfigError` pointing at the
file, line and dotted key, like any other config error, so the app does not start with keys
the user did not mean.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from .config_file import dotted_key
from .errors import ConfigError
from .toml_locator import TomlKeyLocator
from .value_checks import describe, did_you_mean, type_name

KeyParser = Callable[[str], str]
"""Returns a key name in canonical form; raises ValueError with a predicate (``is not a key
name …``) for one that cannot be pressed."""

KeyReserver = Callable[[str], "str | None"]
"""Says why a canonical key cannot be given to a command (``types a character in the
composer``), or None when it is free."""

Keymap = dict[str, tuple[str, ...]]
"""Command id to its keys, in canonical form; an empty tuple for none."""


def read_keymap(
    table: object,
    *,
    path: Path,
    defaults: Mapping[str, Sequence[str]],
    parse_key: KeyParser,
    why_reserved: KeyReserver,
) -> Keymap:
    """Every command's keys: ``defaults`` with ``[keys]`` (``table``) laid over them.

    Raises:
        ConfigError: ``table`` is not a table, names an unknown command, holds something
            that is not a key name, gives a command a key that must stay free, or leaves
            two commands on one key.
    """
    where = _Where(path)
    if not isinstance(table, dict):
        raise where.error((), f"must be a table of command = key, not {describe(table)}")
    keymap: Keymap = {command_id: tuple(keys) for command_id, keys in defaults.items()}
    for command_id, value in table.items():
        if command_id not in defaults:
            hint = did_you_mean(command_id, list(defaults))
            raise where.error(
                (command_id,),
                f"is not a command{hint}; commands: {', '.join(defaults)}",
            )
        named = _keys_of(value, command_id, parse_key, where)
        for name, key in named:
            reason = why_reserved(key)
            if reason and key not in defaults[command_id]:
                raise where.error((command_id,), f"cannot use {describe(name)}: that key {reason}")
        keymap[command_id] = tuple(dict.fromkeys(key for _, key in named))
    _check_clashes(keymap, table, where)
    return keymap


def _keys_of(
    value: object, command_id: str, parse_key: KeyParser, where: _Where
) -> list[tuple[str, str]]:
    """The keys ``value`` names, as written and canonical: a string (``"ctrl+s"``,
    ``"f7,ctrl+s"``, ``""`` for none) or a list of strings."""
    if isinstance(value, str):
        names = [name.strip() for name in value.split(",")] if value.strip() else []
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        names = [item.strip() for item in value]
    else:
        raise where.error(
            (command_id,),
            f'must be a key name such as "ctrl+s" or a list of them, not {type_name(value)}',
        )
    keys: list[tuple[str, str]] = []
    for name in names:
        try:
            keys.append((name, parse_key(name)))
        except ValueError as error:
            raise where.error((command_id,), f"{describe(name)} {error}") from None
    return keys


def _check_clashes(keymap: Keymap, table: Mapping[str, object], where: _Where) -> None:
    """Two commands on one key: report it at a line of ``[keys]`` that caused it."""
    owner: dict[str, str] = {}
    for command_id, keys in keymap.items():
        for key in keys:
            other = owner.setdefault(key, command_id)
            if other == command_id:
                continue
            blamed, kept = (command_id, other) if command_id in table else (other, command_id)
            advice = (
                "give one of them another key"
                if kept in table
                else f'give {kept} another key (or "" for none) in [keys]'
            )
            raise where.error(
                (blamed,), f"gives {describe(key)}, already the key of {kept}; {advice}"
            )


class _Where:
    """Builds located ConfigErrors for ``[keys]``; reads the file's text only on an error."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, key: Sequence[str], problem: str) -> ConfigError:
        parts = ("keys", *key)
        return ConfigError(
            problem, path=self.path, line=self._line_of(parts), key=dotted_key(parts)
        )

    def _line_of(self, parts: Sequence[str]) -> int | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        return TomlKeyLocator(text).line_of(parts)

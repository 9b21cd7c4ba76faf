"""The keys the commands are on: the app's bindings, built from the command table, and
the table's defaults with ``[keys]`` from config.toml laid over them.

:func:`resolve_keymap` is called when the app is built, before the screen is taken over,
so a ``[keys]`` mistake ends the start like any config error (one line, exit 2). What the
profiles layer cannot know is supplied here: Textual's key names, and the keys the
composer needs for editing, which no command may take from it.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

from textual.app import App
from textual.binding import Binding, BindingType
from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character

from claude_tui.profiles import Config
from claude_tui.profiles.keymap_config import Keymap, read_keymap
from claude_tui.ui.command_table import COMMANDS, FOOTER, command_by_id, default_keys, footer_label

MODIFIERS = ("alt", "ctrl", "hyper", "meta", "shift", "super")
"""In the order Textual writes them (sorted), so ``shift+ctrl+x`` is ``ctrl+shift+x``."""

_FREE_IN_COMPOSER = frozenset({"ctrl+pageup", "ctrl+pagedown", "escape"})
"""Keys the composer binds but passes on to the app when it has no use for them (TextArea
pages sideways only without soft wrap; Esc only closes an open suggestion list)."""

_WINDOW_KEYS = {
    "ctrl+p": "opens the command palette",
    "tab": "moves the focus",
    "shift+tab": "moves the focus",
}


def command_bindings() -> list[BindingType]:
    """The app's bindings: one per command that has a default key, its id the command's id
    (so Textual's ``set_keymap`` moves it), footer commands first, in the footer's order."""
    rank = {command_id: place for place, (command_id, _) in enumerate(FOOTER)}
    bound = sorted((c for c in COMMANDS if c.keys), key=lambda c: rank.get(c.id, len(rank)))
    return [
        Binding(
            ",".join(c.keys),
            c.action,
            footer_label(c.id) or c.title,
            show=bool(footer_label(c.id)),
            priority=c.priority,
            tooltip=c.help,
            id=c.id,
        )
        for c in bound
    ]


def apply_keymap(app: App[Any], keymap: Keymap) -> None:
    """Put the commands on ``keymap``'s keys: Textual's keymap moves the bindings a command
    has by default (wherever they are: the composer's Ctrl+C too); a command with none by
    default gets a binding of its own. A command switched off keeps its binding, which the
    app's ``check_action`` then refuses."""
    moved: dict[str, str] = {}
    for command_id, keys in keymap.items():
        declared = command_by_id(command_id)
        if keys == declared.keys or not keys:
            continue
        if declared.keys:
            moved[command_id] = ",".join(keys)
        else:
            app.bind(",".join(keys), declared.action, description=declared.title, show=False)
    if moved:
        app.set_keymap(moved)


def resolve_keymap(config: Config) -> Keymap:
    """Every command's keys, by id.

    Raises:
        ConfigError: ``[keys]`` names an unknown command or key, or leaves two commands on
            one key, or takes a key the composer or window needs.
    """
    table = config.raw.get("keys")
    if table is None:
        return default_keys()
    return read_keymap(
        table,
        path=config.path,
        defaults=default_keys(),
        parse_key=parse_key,
        why_reserved=why_reserved,
    )


def parse_key(name: str) -> str:
    """``name`` in Textual's canonical form (``Ctrl+S`` is ``ctrl+s``, ``?`` is
    ``question_mark``).

    Raises:
        ValueError: It names no key a terminal can send.
    """
    if not name:
        raise ValueError("is not a key name")
    *modifiers, base = name.split("+") if name != "+" else ["+"]
    modifiers = [modifier.lower() for modifier in modifiers]
    unknown = [modifier for modifier in modifiers if modifier not in MODIFIERS]
    if unknown or len(set(modifiers)) != len(modifiers):
        raise ValueError(
            f"is not a key name: modifiers are {', '.join(MODIFIERS)}, each at most once"
        )
    key = _base_key(base)
    if key is None:
        raise ValueError(
            'is not a key name (Textual\'s names: "f7", "ctrl+s", "pagedown", "question_mark")'
        )
    return "+".join([*sorted(modifiers), key])


def _base_key(base: str) -> str | None:
    """The key without modifiers, canonical, or None for a name Textual does not know."""
    if len(base) == 1:
        if base.isalnum():
            return base.lower() if base.isascii() else base
        if not base.isprintable():
            return None
        name = unicodedata.name(base, base).lower().replace("-", "_").replace(" ", "_")
        return KEY_NAME_REPLACEMENTS.get(name, name)
    lowered = base.lower()
    if lowered in _named_keys() or key_to_character(lowered) is not None:
        return lowered
    return None


@cache
def _named_keys() -> frozenset[str]:
    """Textual's names of keys that are not characters: ``f7``, ``pagedown``, ``escape``."""
    names = {key.value for key in Keys if "+" not in key.value}
    return frozenset(names | {"space", "enter", "tab", "backspace"})


def why_reserved(key: str) -> str | None:
    """Why ``key`` must stay with the composer or the window, or None when a command may
    have it."""
    if key in _WINDOW_KEYS:
        return _WINDOW_KEYS[key]
    *modifiers, base = key.split("+")
    if set(modifiers) <= {"shift"} and (len(base) == 1 or key_to_character(base) is not None):
        return "types a character in the composer"
    action = composer_keys().get(key)
    if action is not None:
        return f"is the composer's {action.replace('_', ' ')} key"
    return None


@cache
def composer_keys() -> dict[str, str]:
    """Keys the composer (and its suggestion list) binds, with their actions, except those
    it passes on to the app."""
    from claude_tui.ui.widgets.composer import HANDED_ON_KEYS, Composer
    from claude_tui.ui.widgets.composer_box import ComposerBox

    keys: dict[str, str] = {}
    for widget in (*reversed(Composer.__mro__), ComposerBox):
        for binding in Binding.make_bindings(getattr(widget, "__dict__", {}).get("BINDINGS", [])):
            keys[binding.key] = binding.action.split("(")[0].removeprefix("app.")
    for key in (*HANDED_ON_KEYS, *_FREE_IN_COMPOSER, "ctrl+c"):  # Ctrl+C is a command's
        keys.pop(key, None)
    return keys

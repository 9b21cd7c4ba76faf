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
same way. ``tomlkit`` does the in-place value edits; it is imported here, on the first write,
because it costs the launch time and a launch never writes.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import paths
from ..atomic_write import write_atomic
from .config_file import RESERVED_PROFILE_NAMES, dotted_key, parse_config_text, read_config_text
from .errors import ConfigError
from .profile import PROFILE_KEYS, Profile
from .toml_layout import KeyPath, TomlLayout
from .value_checks import describe

if TYPE_CHECKING:
    from tomlkit.items import Item

CONFIG_FILE_MODE = 0o600

Addition = tuple[KeyPath, str, Any]
"""A key to add: the table it goes in, the key, its plain value."""


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
    if path.exists() and _same(_comparable(document), _comparable(expected)):
        return
    new_text = _edited_text(text, expected, rename)
    if new_text is None:
        new_text = _edited_text(text, expected, rename, precise=False)
    if new_text is None:
        raise ConfigError(
            "is laid out in a way claude-tui cannot edit without disturbing it, so it was "
            "left unchanged; make this change by hand",
            path=path,
        )
    write_atomic(path, new_text, mode=CONFIG_FILE_MODE)


def _edited_text(
    text: str, expected: dict[str, Any], rename: tuple[str, str] | None, *, precise: bool = True
) -> str | None:
    """``text`` changed to say ``expected``, or None if the result would not say exactly that.

    The precise way cuts and inserts whole lines so comments stay with their tables; the
    other lets tomlkit place everything (still keeping comments), for layouts the line
    editor does not understand (profiles written as inline tables or dotted keys).
    """
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        if precise:
            if rename is not None:
                text = _rename_headers(text, *rename)
            text = _cut_removed_tables(text, expected)
        document = tomlkit.parse(text)
        header_paths = {s.path for s in TomlLayout(text).headers()} if precise else None
        additions: list[Addition] = []
        _update_in_place(document, expected, (), header_paths, additions)
        text = document.as_string()
        for addition in additions:
            text = _insert(text, addition)
    except (TOMLKitError, ValueError, LookupError):
        return None  # a layout either editor trips over; the other may manage, or we refuse
    try:
        result = parse_config_text(text, Path("config.toml"))
    except ConfigError:
        return None
    return text if _same(_comparable(result), _comparable(expected)) else None


def _comparable(document: dict[str, Any]) -> dict[str, Any]:
    """An empty ``profiles`` table says the same as none."""
    return {k: v for k, v in document.items() if not (k == "profiles" and v == {})}


def _same(a: object, b: object) -> bool:
    """Equal as settings: ``600`` is ``600.0``, but ``true`` is not ``1``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


# --- line edits: whole tables and new keys --------------------------------------------------


def _rename_headers(text: str, old: str, new: str) -> str:
    """``[profiles.OLD]`` (and its sub-tables' headers) renamed where they stand."""
    headers = TomlLayout(text).headers(("profiles", old))
    for header in reversed(headers):
        key = dotted_key(("profiles", new, *header.path[2:]))
        text = text[: header.key_start] + key + text[header.key_end :]
    return text


def _cut_removed_tables(text: str, expected: dict[str, Any]) -> str:
    """Cut the ``[tables]`` ``expected`` no longer has (a deleted profile, its prices...).

    Each goes with its own comments, the run directly above its header; tomlkit would
    instead keep those and take the next table's, which sit at the end of this one's body.
    """
    layout = TomlLayout(text)
    doomed = [h for h in layout.headers() if not _has_path(expected, h.path)]
    lines = list(layout.lines)
    for header in reversed(doomed):
        first, last = layout.table_lines(header)
        before, after = lines[:first], lines[last + 1 :]
        if not after:
            while before and not before[-1].strip():
                before.pop()
        elif not before or not before[-1].strip():
            while after and not after[0].strip():
                after.pop(0)
        lines = before + after
    return "".join(lines)


def _has_path(document: Mapping[str, Any], path: KeyPath) -> bool:
    """Whether ``path`` names something in ``document`` (anything inside an array counts)."""
    value: Any = document
    for part in path:
        if not isinstance(value, Mapping):
            return True
        if part not in value:
            return False
        value = value[part]
    return True


def _insert(text: str, addition: Addition) -> str:
    """Add one key (or a new profile's table) by inserting lines where a person would."""
    table, key, value = addition
    layout = TomlLayout(text)
    lines = list(layout.lines)
    newline = "\r\n" if "\r\n" in text else "\n"  # keep a Windows file's line ends
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += newline
    new_tables = _new_profile_tables(table, key, value)
    if new_tables is not None:
        for name, body in new_tables.items():
            if lines and lines[-1].strip():
                lines.append(newline)  # one blank line before the new table
            lines.append(f"[{dotted_key(('profiles', name))}]{newline}")
            lines.extend(_key_line(k, v, newline) for k, v in body.items())
        return "".join(lines)
    line = _key_line(key, value, newline)
    if table == ():
        top = layout.top_level_keys()
        headers = layout.headers()
        if top:
            at = top[-1].last_line + 1
        elif headers:
            at = layout.own_comments_start(headers[0])
            line += newline
        else:
            at = len(lines)
        lines.insert(at, line)
        return "".join(lines)
    header = next(h for h in layout.headers(table) if h.path == table)
    lines.insert(layout.last_key_line(header) + 1, line)
    return "".join(lines)


def _new_profile_tables(table: KeyPath, key: str, value: Any) -> dict[str, Any] | None:
    """The profiles an addition creates, each to be appended as its own table, or None."""
    if table == () and key == "profiles" and isinstance(value, dict):
        return value
    if table == ("profiles",) and isinstance(value, dict):
        return {key: value}
    return None


def _key_line(key: str, value: Any, newline: str) -> str:
    text = f"{dotted_key((key,))} = {_toml_item(value).as_string()}\n"
    return text.replace("\n", newline)


# --- tomlkit edits: values in place ------------------------------------------------------


def _update_in_place(
    container: MutableMapping[str, Any],
    new: Mapping[str, Any],
    path: KeyPath,
    header_paths: set[KeyPath] | None,
    additions: list[Addition],
) -> None:
    """Make ``container`` (a tomlkit table) say ``new``, touching only what differs.

    Keys that go lose their line; changed values keep their line and trailing comment; new
    keys of tables written with a header are left in ``additions`` for the line editor
    (tomlkit would put them after the comments that precede the next table).
    """
    from tomlkit.items import InlineTable

    for key in [k for k in container if k not in new]:
        del container[key]
    for key, value in new.items():
        if key in container:
            old = container[key]
            plain = old.unwrap() if hasattr(old, "unwrap") else old
            if _same(plain, value):
                continue
            if isinstance(old, InlineTable) or not isinstance(value, Mapping):
                # tomlkit's own edits inside ``{ }`` leave stray spaces: write it anew.
                container[key] = _toml_item(value, like=old)
            elif isinstance(old, MutableMapping):
                _update_in_place(old, value, (*path, key), header_paths, additions)
            else:
                container[key] = _toml_item(value, like=old)
        elif header_paths is not None and (path in ((), ("profiles",)) or path in header_paths):
            additions.append((path, key, value))
        else:
            container[key] = _toml_item(value)


def _toml_item(value: Any, like: object = None) -> Item:
    """``value`` as a tomlkit item written the way a person would, and the way ``like`` (the
    value it replaces) was: a float stays a float, an array over lines stays over lines,
    unchanged entries of an inline table keep their text."""
    import tomlkit
    from tomlkit.items import Array, Float

    if isinstance(value, Mapping):
        parsed: Item = tomlkit.parse(f"v = {_inline_table_text(value, like)}\n")["v"]
        return parsed
    if isinstance(value, list | tuple):
        array = tomlkit.array()
        array.extend(_toml_item(item) for item in value)
        if isinstance(like, Array) and "\n" in like.as_string():
            array.multiline(True)
        return array
    if isinstance(like, Float) and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    scalar: Item = tomlkit.item(value)
    return scalar


def _inline_table_text(value: Mapping[str, Any], like: object) -> str:
    """``{ key = value, ... }``, keeping the old table's key spelling and unchanged values."""
    from tomlkit.items import InlineTable

    old: dict[str, tuple[str, Any]] = {}
    padded = True
    if isinstance(like, InlineTable):
        text = like.as_string()
        padded = text.startswith("{ ") or text == "{}"
        for written_key, written in like.value.body:
            if written_key is not None:
                old[written_key.key] = (written_key.as_string().strip(), written)
    parts = []
    for key, item in value.items():
        spelled, old_item = old.get(key, (dotted_key((key,)), None))
        if old_item is not None and _same(old_item.unwrap(), item):
            shown = old_item.as_string().strip()
        else:
            shown = _toml_item(item, like=old_item).as_string()
        parts.append(f"{spelled} = {shown}")
    if not parts:
        return "{}"
    inner = ", ".join(parts)
    return f"{{ {inner} }}" if padded else f"{{{inner}}}"

"""Edit ``config.toml``'s text to say new settings while keeping everything else the user wrote.

Given the file's text and the settings it should hold afterwards, :func:`edited_config_text`
changes as little text as it can. Whole tables are cut, renamed and appended as lines (see
:mod:`.toml_layout` for which comments belong to a table); values are changed in place by
``tomlkit``, which keeps each line's trailing comment; new keys go after their table's last
key. The result is parsed again and returned only if it says exactly the intended settings.

``tomlkit`` is imported inside the functions: it costs launch time, and a launch never writes.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config_file import dotted_key, parse_config_text
from .errors import ConfigError
from .toml_layout import KeyPath, TomlLayout

if TYPE_CHECKING:
    from tomlkit.items import Item

Addition = tuple[KeyPath, str, Any]
"""A key to add: the table it goes in, the key, its plain value."""


def edited_config_text(
    text: str, expected: dict[str, Any], rename: tuple[str, str] | None = None
) -> str | None:
    """``text`` changed to hold ``expected``; None if that cannot be done faithfully.

    ``rename`` (old, new) says profile ``old`` became ``new``, so its table is renamed where
    it stands instead of being cut and appended again.
    """
    edited = _edited_text(text, expected, rename)
    return edited if edited is not None else _edited_text(text, expected, rename, precise=False)


def same_settings(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two parsed documents hold the same settings (an empty ``profiles`` is none)."""
    return _same(_comparable(a), _comparable(b))


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

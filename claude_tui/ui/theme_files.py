"""Themes as TOML files: the ones bundled with claude-tui and the ones users drop in a folder.

One theme per file, with keys mirroring :class:`textual.theme.Theme`::

    name = "mine"            # optional; defaults to the file name without ".toml"
    dark = true
    primary = "#D97757"      # required; every colour is anything Color.parse accepts
    background = "#1F1E1D"
    ...
    [variables]              # optional: single Textual design variables
    border = "#D97757"

A user's broken file never stops the app: :func:`user_themes` skips it and reports a
:class:`ThemeProblem` (the file and the bad key or value, on one line) for a notification.
This module only reads and checks files; registering them with the app is
``theme_registry``'s job.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.color import Color, ColorParseError
from textual.theme import Theme

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

THEME_SUFFIX = ".toml"
BUNDLED_PACKAGE = "claude_tui.bundled_themes"
"""Where the top-level ``themes/`` folder is installed (mapped in ``pyproject.toml``)."""

COLOUR_KEYS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
    "warning",
    "error",
    "success",
)
BOOL_KEYS = ("dark", "ansi")
FRACTION_KEYS = ("luminosity_spread", "text_alpha")
THEME_KEYS = ("name", *COLOUR_KEYS, *BOOL_KEYS, *FRACTION_KEYS, "variables")
"""Every key a theme file may hold: the fields of :class:`textual.theme.Theme`."""


class ThemeFileError(Exception):
    """A theme file that cannot be used; ``str(error)`` is one line naming file and key."""

    def __init__(self, path: str, problem: str, *, key: str | None = None) -> None:
        self.path = path
        self.key = key
        self.problem = problem
        message = f"{key} {problem}" if key else problem
        super().__init__(" ".join(f"{path}: {message}".split()))


@dataclass(frozen=True, slots=True)
class ThemeProblem:
    """A theme file that was skipped, and why, ready to show a user."""

    path: str
    """The file (or folder) as the user would find it."""
    reason: str
    """What is wrong, naming the key and value when one is to blame."""

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"

    @classmethod
    def from_error(cls, error: ThemeFileError) -> ThemeProblem:
        """The problem a :class:`ThemeFileError` describes."""
        reason = f"{error.key} {error.problem}" if error.key else error.problem
        return cls(error.path, " ".join(reason.split()))


def load_theme_file(
    path: Path | Traversable, *, check_applies: bool = True, shown: str | None = None
) -> Theme:
    """The theme in one TOML file; :class:`ThemeFileError` if it is unreadable or invalid.

    ``check_applies`` as in :func:`theme_from_table`; ``shown`` is how errors name the file
    (default: its full path).
    """
    shown = str(path) if shown is None else shown
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise ThemeFileError(shown, f"cannot be read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ThemeFileError(shown, "is not UTF-8 text") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ThemeFileError(shown, f"is not valid TOML: {error}") from None
    return theme_from_table(
        document,
        default_name=path.name.removesuffix(THEME_SUFFIX),
        path=shown,
        check_applies=check_applies,
    )


def theme_from_table(
    table: dict[str, Any], *, default_name: str, path: str, check_applies: bool = True
) -> Theme:
    """A :class:`Theme` from a parsed theme file, checking every key and value first.

    ``check_applies`` also builds the theme's full colour system, as the app does when the
    theme is chosen, so a user's file fails here rather than there. The bundled files skip
    it at launch (it costs about a millisecond per theme); the tests build every one.
    """
    for key in table:
        if key not in THEME_KEYS:
            raise ThemeFileError(path, _unknown_key(key, THEME_KEYS))
    values: dict[str, Any] = {"name": table.get("name", default_name)}
    if not isinstance(values["name"], str) or not values["name"].strip():
        raise ThemeFileError(
            path, f"must be a non-empty string, not {values['name']!r}", key="name"
        )
    if "primary" not in table:
        raise ThemeFileError(path, "is missing; every theme needs a primary colour", key="primary")
    for key in COLOUR_KEYS:
        if key in table:
            values[key] = _colour(table[key], key, path)
    for key in BOOL_KEYS:
        if key in table:
            if not isinstance(table[key], bool):
                raise ThemeFileError(path, f"must be true or false, not {table[key]!r}", key=key)
            values[key] = table[key]
    for key in FRACTION_KEYS:
        if key in table:
            values[key] = _fraction(table[key], key, path)
    if "variables" in table:
        values["variables"] = _variables(table["variables"], path)
    theme = Theme(**values)
    if not check_applies:
        return theme
    try:
        # What the app will do when the theme is chosen: fail here rather than there.
        theme.to_color_system().generate()
    except (ColorParseError, ValueError, TypeError, KeyError) as error:
        raise ThemeFileError(path, f"cannot be applied: {error}") from None
    return theme


def load_themes(
    files: Iterable[Path | Traversable],
    *,
    check_applies: bool = True,
    shown_as: Callable[[Path | Traversable], str] = str,
) -> tuple[list[Theme], list[ThemeProblem]]:
    """Every good theme in ``files`` plus a problem for each file that was skipped.

    Two files defining the same name keep the first (files are read in name order) and
    report the second, so a copied file nobody renamed does not silently win. ``shown_as``
    names a file in the problems (default: its full path).
    """
    themes: dict[str, Theme] = {}
    sources: dict[str, str] = {}
    problems: list[ThemeProblem] = []
    for file in sorted(files, key=lambda file: file.name):
        try:
            theme = load_theme_file(file, check_applies=check_applies, shown=shown_as(file))
        except ThemeFileError as error:
            problems.append(ThemeProblem.from_error(error))
            continue
        if theme.name in themes:
            problems.append(
                ThemeProblem(
                    shown_as(file),
                    f"name {theme.name!r} is already used by {sources[theme.name]}; skipped",
                )
            )
            continue
        themes[theme.name] = theme
        sources[theme.name] = shown_as(file)
    return list(themes.values()), problems


def theme_files_in(folder: Path | Traversable) -> list[Path | Traversable]:
    """The ``*.toml`` files directly in ``folder``, skipping hidden ones (editor backups)."""
    return [
        entry
        for entry in folder.iterdir()
        if entry.name.endswith(THEME_SUFFIX) and not entry.name.startswith(".") and entry.is_file()
    ]


def bundled_themes() -> list[Theme]:
    """The themes shipped with claude-tui, from the top-level ``themes/`` folder.

    These files are part of the program (the tests load and apply every one), so a broken
    one raises :class:`ThemeFileError` like any other bug instead of being skipped quietly.
    The folder is found from the package's ``__path__`` rather than through
    ``importlib.resources``, whose import and lookup cost about 2 ms of every launch.
    """
    folders = import_module(BUNDLED_PACKAGE).__path__
    files = [file for folder in folders for file in theme_files_in(Path(folder))]
    themes, problems = load_themes(files, check_applies=False)
    if problems:
        problem = problems[0]
        raise ThemeFileError(problem.path, problem.reason)
    return themes


def user_themes(folder: Path) -> tuple[list[Theme], list[ThemeProblem]]:
    """The good themes in the user's ``folder`` and a problem for each file skipped.

    A missing folder is normal (nobody made a theme yet) and yields nothing; one that
    cannot be listed is reported, never raised. Problems name a file as
    ``themes/NAME.toml``, relative to the config folder the user knows, rather than by a
    full path whose length (and so the toast's wrapping) depends on the machine.
    """
    try:
        files = theme_files_in(folder)
    except FileNotFoundError:
        return [], []
    except OSError as error:
        reason = f"cannot be read: {error.strerror or error}"
        return [], [ThemeProblem(str(folder), reason)]
    return load_themes(files, shown_as=lambda file: f"{folder.name}/{file.name}")


def format_theme_problems(problems: Iterable[ThemeProblem]) -> str:
    """One notification's text for the skipped theme files, one line each."""
    lines = [str(problem) for problem in problems]
    noun = "file" if len(lines) == 1 else "files"
    return "\n".join([f"Skipped {len(lines)} theme {noun}:", *lines])


def _colour(value: object, key: str, path: str) -> str:
    if not isinstance(value, str):
        raise ThemeFileError(
            path, f'must be a colour string such as "#D97757", not {value!r}', key=key
        )
    try:
        Color.parse(value)
    except ColorParseError:
        raise ThemeFileError(path, f"is not a colour: {value!r}", key=key) from None
    return value


def _fraction(value: object, key: str, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ThemeFileError(path, f"must be a number from 0 to 1, not {value!r}", key=key)
    return float(value)


def _variables(value: object, path: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ThemeFileError(
            path, "must be a [variables] table of names and values", key="variables"
        )
    for name, setting in value.items():
        if not isinstance(setting, str):
            raise ThemeFileError(
                path, f"must be a string, not {setting!r}", key=f"variables.{name}"
            )
    return dict(value)


def _unknown_key(key: str, known: Iterable[str]) -> str:
    import difflib  # only for a bad key; kept out of the launch

    guess = difflib.get_close_matches(key, list(known), n=1)
    hint = f" (did you mean {guess[0]!r}?)" if guess else ""
    return f"has an unknown key {key!r}{hint}"

"""The slash commands typed into the composer: parsing and completion.

Pure Python with no Textual import, so the rules for what counts as a command, and what
Tab offers, are unit-tested on their own. The commands themselves are declared in
:mod:`command_table`; the app decides what each one *does* (``command_dispatch``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from claude_tui.ui.command_table import COMMANDS, ArgumentChoice, Command

ArgumentChoices = Callable[[str], Sequence[str]]
"""Callback giving the current choices for a command's argument, by command name.

Called with ``"model"``, ``"profile"`` or ``"theme"``: lists that only the app knows (the
models of the active profile, the configured profiles, the installed themes).
"""

SlashCommand = Command
"""A command the composer understands: an entry of the command table."""

SLASH_COMMANDS: tuple[Command, ...] = tuple(command for command in COMMANDS if command.slash)
"""The commands typed as ``/name``, in the table's order."""

_NAME_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_INVOCATION_PATTERN = re.compile(r"/(\S*)(?:\s+(.*))?", re.DOTALL)
_ESCAPE = "//"

_BY_NAME: dict[str, Command] = {
    name: command for command in SLASH_COMMANDS for name in (command.name, *command.aliases)
}


def find_command(name: str) -> Command | None:
    """The command called ``name`` (without slash, any case, aliases included)."""
    return _BY_NAME.get(name.lower())


@dataclass(frozen=True)
class SlashInvocation:
    """A slash command as the user typed it, ready for the app to run."""

    name: str
    """The command's canonical name (aliases resolved), or the unknown name as typed."""
    argument: str
    """Everything after the name, outer whitespace removed, inner newlines kept."""
    unknown: bool = False
    """True when no command has this name; the app should say so instead of sending it."""
    suggestion: str | None = None
    """For an unknown command, the closest known name (without slash), if any is close."""

    @property
    def command(self) -> Command | None:
        """The registry entry, or None for an unknown command."""
        return None if self.unknown else find_command(self.name)


def parse_slash(text: str) -> SlashInvocation | None:
    """Read ``text`` as a slash command, or return None when it is an ordinary prompt.

    ``//text`` is an escape for a prompt that starts with a slash (see :func:`prompt_text`).
    A first word that cannot be a command name (``/usr/bin/env ...``) is treated as a prompt
    too, so pasting a path does not produce an "unknown command" error.
    """
    stripped = text.strip()
    if not stripped.startswith("/") or stripped.startswith(_ESCAPE):
        return None
    # Any whitespace ends the name, so "/system" may be followed by a multi-line prompt.
    match = _INVOCATION_PATTERN.fullmatch(stripped)
    if match is None:  # Unreachable: the pattern accepts anything starting with "/".
        return None
    head, argument = match.group(1), match.group(2) or ""
    if head and not _NAME_PATTERN.fullmatch(head):
        return None
    command = find_command(head)
    if command is not None:
        return SlashInvocation(command.name, argument)
    return SlashInvocation(head.lower(), argument, unknown=True, suggestion=_closest_name(head))


def prompt_text(text: str) -> str:
    """The prompt to send for composer text that is not a command: ``//x`` becomes ``/x``."""
    stripped = text.lstrip()
    if stripped.startswith(_ESCAPE):
        return stripped[1:]
    return text


def _closest_name(name: str) -> str | None:
    """The known command name nearest to a mistyped one, for "did you mean"."""
    if not name:
        return None
    import difflib  # only for a mistyped command; kept out of the launch

    matches = difflib.get_close_matches(name.lower(), list(_BY_NAME), n=1, cutoff=0.6)
    if not matches:
        return None
    return _BY_NAME[matches[0]].name


@dataclass(frozen=True)
class Completion:
    """One suggestion for the composer: what to put in it and how to show it."""

    text: str
    """The whole new composer value, e.g. ``"/model "``."""
    label: str
    """What the suggestion list shows in its first column."""
    description: str = ""
    """One line of explanation shown beside the label."""


def completions(text: str, argument_choices: ArgumentChoices) -> list[Completion]:
    """Suggestions for the composer text ``text``, or an empty list when there are none.

    While the command name is being typed, the matching commands; once a space follows a
    known command, the matching values of its first argument.
    """
    if "\n" in text or not text.startswith("/") or text.startswith(_ESCAPE):
        return []
    typed_name, space, typed_argument = text[1:].partition(" ")
    if not space:
        return _name_completions(typed_name)
    command = find_command(typed_name)
    if command is None or not command.takes_argument:
        return []
    typed_argument = typed_argument.lstrip()
    if command.arguments is not None and command.arguments.paths:
        return _path_completions(text, typed_argument)
    if any(character.isspace() for character in typed_argument):
        return []  # Past the first word of the argument: nothing sensible to offer.
    return _argument_completions(command, typed_argument, argument_choices)


def _path_completions(text: str, typed_argument: str) -> list[Completion]:
    """Paths for the last word of a paths argument (``/attach a.png sh`` -> ``shot.png``)."""
    import shlex
    from pathlib import Path

    from claude_tui.attachments.path_completion import complete_path

    ends_word = not typed_argument or typed_argument[-1].isspace()
    word = "" if ends_word else typed_argument.split()[-1]
    if "'" in word or '"' in word or "\\" in word:
        return []  # a quoted or escaped word: the user is writing it by hand
    stem = text[: len(text) - len(word)]
    return [
        Completion(stem + shlex.quote(path), path, "folder" if path.endswith("/") else "")
        for path in complete_path(word, Path.cwd())
        if path != word
    ]


def _name_completions(typed_name: str) -> list[Completion]:
    """Commands whose name starts with what has been typed so far."""
    prefix = typed_name.lower()
    return [
        Completion(
            text=f"/{command.name} " if command.takes_argument else f"/{command.name}",
            label=command.usage,
            description=command.description,
        )
        for command in SLASH_COMMANDS
        if command.name.startswith(prefix)
    ]


def _argument_completions(
    command: Command, typed_argument: str, argument_choices: ArgumentChoices
) -> list[Completion]:
    """The argument values for ``command`` that start with ``typed_argument``."""
    choices: list[ArgumentChoice] = list(command.choices)
    if command.dynamic_choices:
        choices.extend(ArgumentChoice(value) for value in argument_choices(command.name))
    prefix = typed_argument.lower()
    seen: set[str] = set()
    result: list[Completion] = []
    for choice in choices:
        value = choice.value
        # An exact match offers nothing new, and would keep the list open over a finished line.
        if value in seen or not value.lower().startswith(prefix) or value == typed_argument:
            continue
        seen.add(value)
        result.append(Completion(f"/{command.name} {value}", value, choice.description))
    return result

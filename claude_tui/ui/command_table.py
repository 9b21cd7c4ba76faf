"""Every command of claude-tui, declared once.

Slash completion and parsing, the command palette, the help screen, the app's key
bindings and footer, dispatch, the ``[keys]`` check and the README's Keys and Slash
commands sections are all built from :data:`COMMANDS`, so a command's name, key and
text cannot drift apart between them.

Pure data with no Textual import: it is read at launch (the bindings), and the rules it
states are unit-tested on their own. What each command *does* is in ``command_dispatch``.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Scope = Literal["app", "pane"]
"""``pane``: acts on the conversation in front (skipped while there is none);
``app``: acts on the window."""


class ArgumentChoice(NamedTuple):
    """A fixed value a command's argument may take, with a hint shown beside it."""

    value: str
    description: str = ""


class Arguments(NamedTuple):
    """What a command accepts after its name, and what completion offers for it."""

    hint: str
    """How the argument is written in help: ``NAME``, ``[N]``, ``off|adaptive|N``."""
    choices: tuple[ArgumentChoice, ...] = ()
    """Fixed values offered for completion."""
    dynamic: bool = False
    """Whether the app adds values it alone knows (profiles, models, themes)."""
    palette_title: str = ""
    """When set, the palette lists one entry per choice, titled with this format
    (``{value}`` is the choice, ``{label}`` its description or else the value)."""
    paths: bool = False
    """Whether the argument is file paths, each word completed from the file system."""


class Command(NamedTuple):
    """One command: its name, texts, argument, default keys and where it shows.

    (Named tuples rather than dataclasses here and in the palette: the table is built at
    every launch, and a dataclass costs a millisecond or so to create.)
    """

    id: str
    """The slash name (``/new``), the ``[keys]`` name and the key binding's id."""
    title: str
    """The command palette's entry."""
    help: str
    """One line, the same in completion, the palette, the help screen and the README."""
    keys: tuple[str, ...] = ()
    """Default keys in Textual's notation (``ctrl+n``); empty: none by design."""
    arguments: Arguments | None = None
    aliases: tuple[str, ...] = ()
    """Other slash names that run it (``/exit`` for ``/quit``)."""
    scope: Scope = "app"
    slash: bool = True
    """Whether it is typed as ``/id`` (key-only commands such as the tab steps are not)."""
    palette: bool = True
    """Whether the palette lists the command itself (its argument choices may be listed
    even when not, see :attr:`Arguments.palette_title`)."""
    key_note: str = ""
    """Said beside the default key, where it matters which widget has the focus."""
    priority: bool = False
    """The key works whatever has the focus, before any widget sees it (Ctrl+Q)."""

    # -- what the slash parser and completion read ----------------------------------------

    @property
    def name(self) -> str:
        """The slash name, without the slash."""
        return self.id

    @property
    def description(self) -> str:
        """The help line (the name completion and the registry's tests use)."""
        return self.help

    @property
    def argument_hint(self) -> str:
        """How the argument is written, or empty when it takes none."""
        return self.arguments.hint if self.arguments else ""

    @property
    def takes_argument(self) -> bool:
        """Whether the command accepts an argument (required or optional)."""
        return self.arguments is not None

    @property
    def choices(self) -> tuple[ArgumentChoice, ...]:
        """Fixed argument values offered for completion."""
        return self.arguments.choices if self.arguments else ()

    @property
    def dynamic_choices(self) -> bool:
        """Whether the argument's choices come from the app."""
        return self.arguments is not None and self.arguments.dynamic

    @property
    def usage(self) -> str:
        """The command as shown in help: ``/model NAME``."""
        return f"/{self.id} {self.argument_hint}".rstrip()

    @property
    def action(self) -> str:
        """The Textual action its key binding runs (``ClaudeTuiApp.action_run_command``)."""
        return f"run_command('{self.id}')"


_THINKING_CHOICES = (
    ArgumentChoice("off", "No extended thinking"),
    ArgumentChoice("adaptive", "Let the model decide how much to think"),
    ArgumentChoice("1024", "Thinking budget of 1,024 tokens"),
    ArgumentChoice("4096", "Thinking budget of 4,096 tokens"),
    ArgumentChoice("16384", "Thinking budget of 16,384 tokens"),
)

_COMPACT_CHOICES = (ArgumentChoice("undo", "Send the full history again"),)

_EXPORT_CHOICES = (
    ArgumentChoice("md", "Markdown"),
    ArgumentChoice("json", "JSON, as stored"),
)

COMMANDS: tuple[Command, ...] = (
    Command("new", "New conversation tab", "Open a new conversation tab", keys=("ctrl+n",)),
    Command(
        "close",
        "Close this tab",
        "Close this tab; the session stays saved and unsent text goes to the prompt history",
        keys=("ctrl+w",),
        scope="pane",
        key_note="with the messages focused; in the composer it deletes a word, as in a shell",
    ),
    Command("next-tab", "Next tab", "Show the next tab", keys=("ctrl+pagedown",), slash=False),
    Command(
        "previous-tab",
        "Previous tab",
        "Show the previous tab",
        keys=("ctrl+pageup",),
        slash=False,
    ),
    Command(
        "sessions",
        "Sessions sidebar",
        "Show or hide the saved sessions: filter, open, rename, fork, export, delete",
        keys=("ctrl+b",),
    ),
    Command(
        "profile",
        "Switch profile…",
        "Send the next message to another profile, with the whole history (no name: a picker)",
        keys=("f2",),
        arguments=Arguments("[NAME]", dynamic=True, palette_title="Switch profile: {value}"),
        scope="pane",
    ),
    Command(
        "profiles",
        "Manage profiles…",
        "Profile manager: add, edit, duplicate, delete, set the default, test",
        keys=("f6",),
    ),
    Command(
        "model",
        "Pick a model…",
        "Use another model from the next message on (no name: pick from the endpoint's list)",
        keys=("f3",),
        arguments=Arguments("[NAME]", dynamic=True),
        scope="pane",
    ),
    Command(
        "thinking",
        "Set extended thinking",
        "Set extended thinking: off, adaptive or a budget of N tokens",
        arguments=Arguments(
            "off|adaptive|N", choices=_THINKING_CHOICES, palette_title="Thinking: {value}"
        ),
        scope="pane",
        palette=False,
    ),
    Command(
        "toggle-thinking",
        "Expand or collapse thinking",
        "Expand or collapse every thinking block",
        keys=("ctrl+t",),
        scope="pane",
    ),
    Command(
        "thinking-viewer",
        "Open the thinking viewer",
        "Show the newest thinking full-screen, with search (/, then Enter or n for the next)",
        keys=("ctrl+o",),
        scope="pane",
    ),
    Command(
        "find",
        "Find in the conversation…",
        "Find text in the conversation (messages, replies and thinking): Enter or n for the "
        "older match, Shift+Enter or N for the newer, Esc to close",
        keys=("ctrl+f",),
        arguments=Arguments("[TEXT]"),
        scope="pane",
    ),
    Command(
        "system",
        "Set the system prompt…",
        "Set this session's system prompt (no text: edit the current one in the composer)",
        arguments=Arguments("[TEXT]"),
        scope="pane",
    ),
    Command(
        "retry", "Retry the last reply", "Regenerate the last reply", keys=("ctrl+r",), scope="pane"
    ),
    Command(
        "continue",
        "Continue the last reply",
        "Ask Claude to carry on from the last reply (an interrupted one, say)",
        scope="pane",
    ),
    Command(
        "edit",
        "Edit the last prompt",
        "Put your last prompt back in the composer to edit and resend",
        scope="pane",
    ),
    Command(
        "copy",
        "Copy the last reply",
        "Copy the last reply to the clipboard; /copy N copies its Nth code block",
        arguments=Arguments("[N]"),
        scope="pane",
    ),
    Command(
        "export",
        "Export the session",
        "Write the session to a file in the current folder, as Markdown (md) or JSON",
        arguments=Arguments(
            "[md|json]", choices=_EXPORT_CHOICES, palette_title="Export the session: {label}"
        ),
        scope="pane",
        palette=False,
    ),
    Command(
        "rename",
        "Rename this conversation…",
        "Rename the session (no title: a dialog)",
        arguments=Arguments("[TITLE]"),
        scope="pane",
    ),
    Command(
        "clear",
        "Start a fresh session in this tab",
        "Start a new session in this tab; the previous one stays saved",
        scope="pane",
    ),
    Command(
        "cost", "Show the session cost", "Show the tokens and cost of this session", scope="pane"
    ),
    Command(
        "theme",
        "Pick a theme…",
        "Switch the colour theme and save the choice (no name: a picker, previewed live)",
        keys=("f4",),
        arguments=Arguments("[NAME]", dynamic=True, palette_title="Theme: {value}"),
    ),
    Command(
        "stop",
        "Stop the reply",
        "Stop the streaming reply, keeping what arrived (else close an error card)",
        keys=("escape",),
        scope="pane",
    ),
    Command(
        "interrupt",
        "Stop, clear or quit",
        "Stop the streaming reply; else clear the composer (kept in the prompt history); "
        "pressed twice within a second on an empty composer, quit",
        keys=("ctrl+c",),
        slash=False,
        palette=False,
    ),
    Command(
        "messages",
        "Focus the messages",
        "Move the focus to the messages (Tab does it too)",
        scope="pane",
        slash=False,
    ),
    Command(
        "help",
        "Help: keys and commands",
        "List every key and command",
        keys=("f1",),
        key_note="? too, with the messages focused",
    ),
    Command(
        "quit",
        "Quit",
        "Quit; a streaming reply is saved first and unsent text goes to the prompt history",
        keys=("ctrl+q",),
        aliases=("exit",),
        priority=True,
    ),
    # -- attachments ---------------------------------------------------------------------
    Command(
        "attach",
        "Attach files…",
        "Attach files to the next message: PNG, JPEG, GIF, WebP, PDF, text and code "
        "(paths as a shell takes them; Tab completes; @path in a prompt does it too)",
        arguments=Arguments("PATH...", paths=True),
        scope="pane",
    ),
    Command(
        "paste-image",
        "Paste an image from the clipboard",
        "Attach the image on the system clipboard (through wl-paste, xclip or pbpaste)",
        keys=("ctrl+v",),
        scope="pane",
        key_note="in the composer",
    ),
    Command(
        "attachments",
        "Focus the attachments",
        "Move to the attachment chips above the composer: Left / Right pick one, Delete or "
        "Backspace removes it, Esc goes back",
        keys=("alt+a",),
        scope="pane",
        priority=True,  # the composer would type the "a" of a terminal's Alt+A
    ),
    # -- the context meter (issue 11) --
    Command(
        "context",
        "Show what the next request holds",
        "Show what the next request will send: system prompt, each message and attachment "
        "with its tokens, what trimming leaves out, and the total against the context window",
        keys=("f5",),
        scope="pane",
    ),
    # -- /compact ---------------------------------------------------------------------------
    Command(
        "compact",
        "Compact: summarise the earlier turns",
        "Summarise all but the newest keep_recent turns; requests then send the summary in "
        "their place (text after it: what the summary should keep; undo: send all again)",
        arguments=Arguments(
            "[undo|INSTRUCTIONS]", choices=_COMPACT_CHOICES, palette_title="Compact: {label}"
        ),
        scope="pane",
    ),
    # -- the request log (issue 12) --
    Command(
        "log",
        "Show the request log",
        "List this conversation's HTTP requests: time, status, latency, first token, try, "
        "failover, request id, tokens, size; Enter shows one in full, c copies it as curl",
        keys=("f8",),
        scope="pane",
    ),
    # -- relay balance (issue 12) ---------------------------------------------------------
    Command(
        "balance",
        "Show the relay balance",
        "Show what is left on the active profile's relay account (new-api or OpenRouter "
        "billing pages, or balance_command); the status bar shows it after replies",
        scope="pane",
    ),
    # -- usage and budgets (issue 12) ----------------------------------------------------------
    Command(
        "usage",
        "Usage: tokens and cost per day",
        "Show the last 30 days' tokens and cost: a column per day stacked by profile, the "
        "per-model table, the cache share and the days and replies past their alerts",
        keys=("f9",),
    ),
)

FOOTER: tuple[tuple[str, str], ...] = (
    ("quit", "Quit"),
    ("new", "New tab"),
    ("toggle-thinking", "Thinking"),
    ("sessions", "Sessions"),
    ("help", "Help"),
    ("profile", "Profile"),
)
"""The footer: command id and its short label, in the order shown."""

EDITING_KEYS: tuple[tuple[str, str], ...] = (
    ("Enter / Shift+Enter, Ctrl+J", "Send / start a new line"),
    ("Up, Down (composer)", "Earlier / later prompts (cursor on the first / last row)"),
    ("Ctrl+G", "Edit the prompt in $EDITOR"),
    ("Tab", "Move the focus between the composer and the messages"),
    ("Ctrl+P", "Command palette: every command, profile and theme"),
)
"""Keys of the composer and the window that are not commands (they cannot be remapped)."""

COMMAND_IDS: frozenset[str] = frozenset(command.id for command in COMMANDS)

_BY_ID: dict[str, Command] = {command.id: command for command in COMMANDS}


def command_by_id(command_id: str) -> Command:
    """The command with this id (KeyError for an unknown one: ids come from this table)."""
    return _BY_ID[command_id]


def footer_label(command_id: str) -> str:
    """The command's label in the footer, or empty when it is not shown there."""
    return dict(FOOTER).get(command_id, "")


def default_keys() -> dict[str, tuple[str, ...]]:
    """Every command's default keys, by id."""
    return {command.id: command.keys for command in COMMANDS}


_KEY_NAMES = {
    "escape": "Esc",
    "pageup": "PageUp",
    "pagedown": "PageDown",
    "question_mark": "?",
    "space": "Space",
    "backspace": "Backspace",
    "delete": "Delete",
    "insert": "Insert",
    "enter": "Enter",
    "tab": "Tab",
    "home": "Home",
    "end": "End",
    "up": "Up",
    "down": "Down",
    "left": "Left",
    "right": "Right",
    "slash": "/",
    "comma": ",",
    "full_stop": ".",
    "minus": "-",
    "plus": "+",
}


def describe_key(key: str) -> str:
    """A key as the help and README write it: ``ctrl+pagedown`` is ``Ctrl+PageDown``."""
    *modifiers, base = key.split("+")
    if base in _KEY_NAMES:
        name = _KEY_NAMES[base]
    elif len(base) == 1:
        name = base.upper() if modifiers else base
    else:
        name = base.upper() if base[:1] == "f" and base[1:].isdigit() else base.title()
    return "+".join([*(modifier.title() for modifier in modifiers), name])


def help_line(command: Command, keys: tuple[str, ...]) -> str:
    """The command's help, with its key note while it is on its default keys."""
    if command.key_note and keys and keys == command.keys:
        return f"{command.help} ({command.key_note})"
    return command.help


def describe_keys(keys: tuple[str, ...] | list[str]) -> str:
    """Several keys for one command: ``F1 / ?``; empty when there are none."""
    return " / ".join(describe_key(key) for key in keys)

"""The multi-line text box where prompts are typed.

Enter sends, Shift+Enter / Ctrl+J start a new line, Up and Down walk the prompt history
when the cursor is on the first or last row, and Ctrl+G hands the text to ``$EDITOR``.
Slash-command suggestions live one level up, in :class:`ComposerBox`.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual import events
from textual.actions import SkipAction
from textual.app import SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import TextArea

from claude_tui.ui.command_table import command_by_id
from claude_tui.ui.prompt_history import PromptHistory

_INTERRUPT = command_by_id("interrupt")
_PASTE_IMAGE = command_by_id("paste-image")

HANDED_ON_KEYS = ("f6", "f7")
"""Keys TextArea binds that the composer leaves to the app instead."""

PLACEHOLDER = "Message Claude…  (Enter send · Shift+Enter newline · / commands)"


class EditorError(Exception):
    """The external editor could not be run or did not finish cleanly."""


class Composer(TextArea):
    """A prompt box that grows with its text and posts :class:`Composer.Submitted` on Enter.

    The composer never clears itself on submit: its owner decides whether the text was
    accepted (and calls :meth:`clear_and_remember`) or used for something else.
    """

    DEFAULT_CSS = """
    Composer {
        height: auto;
        min-height: 3;
        max-height: 10;
        border: tall $border-blurred;
        &:focus {
            border: tall $border;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, so Enter is taken before TextArea turns it into a newline; remapping
        # this binding's key through a keymap gives Enter back to TextArea.
        Binding("enter", "submit", "Send", show=False, priority=True, id="composer.submit"),
        Binding("shift+enter,ctrl+j", "newline", "Newline", show=False, id="composer.newline"),
        Binding("ctrl+g", "open_editor", "Editor", show=False, id="composer.editor"),
        # TextArea binds F6 and F7 to "select line" and "select all", which would hide the
        # app's keys there (F6 opens the profile manager; a user may put a command on F7)
        # whenever the composer has focus, which is nearly always: hand them on instead.
        Binding(",".join(HANDED_ON_KEYS), "hand_on", show=False, id="composer.hand_on"),
        # TextArea's Ctrl+C copies; here it is the app's interrupt (stop, clear, quit), with
        # the command's id, so a [keys] remap moves it here as well as at the app.
        Binding("ctrl+c", f"app.{_INTERRUPT.action}", show=False, id=_INTERRUPT.id),
        # TextArea's Ctrl+V pastes its own clipboard; here it attaches the system clipboard's
        # image (text is pasted by the terminal, as ever), remapped with the command's id.
        Binding(
            ",".join(_PASTE_IMAGE.keys),
            f"app.{_PASTE_IMAGE.action}",
            show=False,
            id=_PASTE_IMAGE.id,
        ),
    ]

    class _TextMessage(Message):
        """A message about some text of a composer: ``control`` is the composer, for
        ``@on(..., selector)``."""

        def __init__(self, composer: Composer, text: str) -> None:
            super().__init__()
            self.composer = composer
            self.text = text

        @property
        def control(self) -> Composer:
            """The composer the text is about."""
            return self.composer

    class Submitted(_TextMessage):
        """The user pressed Enter on a composer holding some non-blank text (or none, when
        :attr:`Composer.sends_empty` says so); the composer is already cleared and the text
        (blank lines at the start and whitespace at the end removed) added to the prompt
        history."""

    class Pasted(_TextMessage):
        """Text was pasted into the composer (and is already in it)."""

    def __init__(
        self,
        history: PromptHistory | None = None,
        *,
        placeholder: str = PLACEHOLDER,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Create an empty composer; ``history`` defaults to the user's prompt history file."""
        super().__init__(
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            highlight_cursor_line=False,
            placeholder=placeholder,
            name=name,
            id=id,
            classes=classes,
        )
        self.prompt_history = history if history is not None else PromptHistory()
        self._theme_css_stale = True  # styles changed since the theme's fallbacks were set
        self._theme_css_key: tuple[int, int] | None = None  # (text-area theme, app theme)
        # The text last put here by Up/Down, to tell recall from the user's own typing.
        self._recalled: str | None = None
        self._blink_timeout: Timer | None = None
        self._resting = False  # the cursor stopped blinking because nobody typed
        self._steady = False  # a reply is streaming: the cursor does not blink meanwhile
        self.sends_empty: Callable[[], bool] = lambda: False
        """Asked on Enter with no text: whether to submit anyway (attachments wait to go
        alone). Its owner sets it."""
        self.submit_check: Callable[[str], str | None] | None = None
        """Called with the prompt on Enter, before anything is sent or remembered: returns
        the text to send (the same, or with secrets redacted), or None to hold it (the
        owner asks the user, then calls :meth:`send_reviewed`)."""
        self.unsent_filter: Callable[[str], str] | None = None
        """What unsent text becomes before it is kept in the prompt history (a tab closing,
        Ctrl+C): secrets redacted, unless redaction is off."""

    def render_lines(self, crop: Region) -> list[Strip]:
        """As TextArea's, but the theme's fallback styles are worked out again only when
        styles changed: TextArea does it on every render (a DOM walk for each component
        class, about 1 ms), and the composer is repainted on every keystroke."""
        theme = self._theme
        key = (id(theme), id(self.app.current_theme))
        if theme is not None and (self._theme_css_stale or key != self._theme_css_key):
            theme.apply_css(self)
            self._theme_css_stale = False
            self._theme_css_key = key
        return super(TextArea, self).render_lines(crop)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._theme_css_stale = True

    BLINK_SECONDS: ClassVar[float] = 10.0
    """How long the cursor blinks after the last key, click or focus; then it stays lit.

    As GTK's cursor-blink-timeout: a window left open all day then repaints nothing, where a
    blinking cursor costs two frames a second (about 1% of a core, measured).
    """

    @property
    def showing_recalled(self) -> bool:
        """True while the text is an unedited entry recalled from the history."""
        return self.prompt_history.is_browsing and self.text == self._recalled

    def set_text(self, text: str) -> None:
        """Replace the whole text (undoably) and put the cursor at the end.

        For "edit and resend" and for applying a completion; stops history browsing.
        """
        self.prompt_history.reset()
        self._recalled = None
        self._replace_all(text)

    def clear_and_remember(self, text: str) -> None:
        """Empty the composer after ``text`` was sent, adding it to the prompt history."""
        self.prompt_history.add(text)
        self._recalled = None
        self._replace_all("")

    def keep_unsent(self) -> None:
        """Put text typed but not sent into the prompt history (the window or tab is
        closing), so Up brings it back here or in the next run instead of it being lost."""
        text = _tidy(self.text)
        if text and not self.showing_recalled:
            if self.unsent_filter is not None:
                text = self.unsent_filter(text)
            self.prompt_history.add(text)

    def clear_to_history(self) -> bool:
        """Empty the composer (Ctrl+C), its text kept in the prompt history so Up brings it
        back; False when there was nothing to clear."""
        if not self.text:
            return False
        self.keep_unsent()
        self.prompt_history.reset()
        self._recalled = None
        self._replace_all("")
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The handed-on keys are not the composer's: Textual then tries the app's binding
        for them, and the footer shows that one."""
        if action == "hand_on":
            return False
        return super().check_action(action, parameters)

    def action_hand_on(self) -> None:
        """Let a key TextArea would take go on to the app's bindings."""
        raise SkipAction()  # not reached while check_action says no; kept as a fallback

    def on_focus(self) -> None:
        """Drop a history walk begun in another composer sharing this history (another tab).

        Otherwise Down here would hand this composer the other one's saved draft.
        """
        if self.prompt_history.is_browsing and not self.showing_recalled:
            self.prompt_history.reset()
        self._wake_cursor()

    def on_key(self, event: events.Key) -> None:
        self._wake_cursor()

    def on_paste(self, event: events.Paste) -> None:
        self._wake_cursor()
        self.post_message(self.Pasted(self, event.text))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self._wake_cursor()

    def hold_cursor_steady(self, steady: bool) -> None:
        """Keep the cursor lit without blinking while ``steady`` (a reply is streaming).

        Each blink repaints the screen: over a minute-long reply that is a hundred frames
        of Textual's compositor, a fifth of the reply's CPU. The text moving above is cue
        enough of where things are; the cursor blinks again once the reply ends.
        """
        if steady == self._steady:
            return
        self._steady = steady
        if steady:
            if self._blink_timeout is not None:
                self._blink_timeout.stop()
                self._blink_timeout = None
            self._rest_cursor()
        else:
            self._wake_cursor()

    def _wake_cursor(self) -> None:
        """Blink again (if resting) for another :attr:`BLINK_SECONDS`."""
        if self._steady:
            return
        if self._resting:
            self._resting = False
            self.cursor_blink = True
        if self._blink_timeout is None:
            self._blink_timeout = self.set_timer(self.BLINK_SECONDS, self._rest_cursor)
        else:
            self._blink_timeout.reset()

    def _rest_cursor(self) -> None:
        """Stop blinking, cursor shown. A blink someone else turned off (a snapshot test,
        a user's setting) is left alone, and is not turned back on by :meth:`_wake_cursor`."""
        self._blink_timeout = None
        if self.cursor_blink:
            self._resting = True
            self.cursor_blink = False

    def action_submit(self) -> None:
        """Send the text once the keys typed before Enter are in it.

        Enter is a priority binding, so the app runs this as soon as it reads the key, while
        the keys before it (a fast typist, a paste without bracketed paste, a text expander)
        may still wait in this widget's queue. Submitting from the end of that queue sends
        them too; and clearing there, before the keys typed after Enter are inserted, keeps
        those as the start of the next prompt.
        """
        self.call_later(self._submit)

    def _submit(self) -> None:
        text = _tidy(self.text)
        if not text and not self.sends_empty():
            return
        if text and self.submit_check is not None:
            checked = self.submit_check(text)
            if checked is None:
                return  # held: the owner asks what to do with it first
            text = checked
        self.send_reviewed(text)

    def send_reviewed(self, text: str) -> None:
        """Send ``text`` (the prompt as the user chose to send it): clear, remember, post."""
        self.clear_and_remember(text)
        self.post_message(self.Submitted(self, text))

    def action_newline(self) -> None:
        """Insert a line break at the cursor, replacing any selection."""
        self.replace("\n", *self.selection, maintain_selection_offset=False)

    def action_cursor_up(self, select: bool = False) -> None:
        """Move up a row, or recall an older prompt from the top row."""
        if not select and self.navigator.is_first_wrapped_line(self.cursor_location):
            recalled = self.prompt_history.previous(self.text)
            if recalled is not None:
                self._show_recalled(recalled)
                return
        super().action_cursor_up(select)

    def action_cursor_down(self, select: bool = False) -> None:
        """Move down a row, or step forward through the history from the bottom row."""
        if not select and self.navigator.is_last_wrapped_line(self.cursor_location):
            recalled = self.prompt_history.next()
            if recalled is not None:
                self._show_recalled(recalled)
                return
        super().action_cursor_down(select)

    def action_open_editor(self) -> None:
        """Edit the text in ``$VISUAL`` / ``$EDITOR`` (default ``vi``) and load the result.

        A real terminal is handed to the editor by suspending the app. A headless app (tests,
        ``run_test``) has no terminal to hand over, so the editor simply runs.
        """
        try:
            if self.app.is_headless:
                edited = edit_in_external_editor(self.text)
            else:
                with self.app.suspend():
                    edited = edit_in_external_editor(self.text)
        except SuspendNotSupported:
            self.notify(
                "This terminal cannot hand over to an editor.", title="Editor", severity="error"
            )
            return
        except EditorError as error:
            # No markup: the message quotes paths and commands, which may hold "[".
            self.notify(
                f"{error} Your text is unchanged.", title="Editor", severity="error", markup=False
            )
            return
        self.set_text(edited)
        self.focus()

    def _show_recalled(self, text: str) -> None:
        """Show a history entry with the cursor at its end."""
        self._recalled = text
        self._replace_all(text)

    def _replace_all(self, text: str) -> None:
        """Swap the document for ``text`` as one undoable edit, cursor at the end."""
        self.replace(text, self.document.start, self.document.end, maintain_selection_offset=False)
        self.move_cursor(self.document.end)


def edit_in_external_editor(text: str) -> str:
    """Open ``text`` in the user's editor and return what they saved.

    Raises:
        EditorError: The editor is missing, failed, or left a file that is not UTF-8.
    """
    import shlex  # only for Ctrl+G; kept out of the launch

    setting = (os.environ.get("VISUAL") or os.environ.get("EDITOR") or "").strip() or "vi"
    try:
        command = shlex.split(setting)  # "code --wait" is a command with an argument.
    except ValueError as error:
        raise EditorError(f"Cannot read the editor command {setting!r}: {error}.") from error
    handle, name = tempfile.mkstemp(prefix="claude-tui-prompt-", suffix=".md")
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        try:
            result = subprocess.run([*command, str(path)], check=False)
        except OSError as error:
            reason = error.strerror or error
            raise EditorError(f"Could not start editor {command[0]!r}: {reason}.") from error
        if result.returncode != 0:
            raise EditorError(f"Editor {command[0]!r} exited with status {result.returncode}.")
        try:
            edited = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise EditorError(f"Could not read the edited text: {error}.") from error
    finally:
        path.unlink(missing_ok=True)
    # Editors end files with a newline the user did not mean as part of the prompt.
    return edited.rstrip("\n")


def _tidy(text: str) -> str:
    """The text as a prompt: no leading blank lines or trailing whitespace, inner text intact."""
    lines = text.rstrip().split("\n")
    while lines and not lines[0].strip():
        del lines[0]
    return "\n".join(lines)

"""The card above the composer that asks what to do with a prompt holding secrets.

With ``redact = "ask"`` (the default), Enter on a prompt in which the scanner found a key,
a password or a card number does not send it: the composer keeps the text, the card lists
each finding (its kind, its line and a masked excerpt, never the secret itself) and offers
``r`` send redacted, ``s`` send as is and ``e`` / Esc edit. Nothing is sent or written to the
prompt history until one of those is chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static

from claude_tui.terminal_text import safe_for_terminal

if TYPE_CHECKING:
    from claude_tui.redaction import AttachmentSecrets, SecretFinding

RedactionChoice = Literal["redacted", "as_is", "edit"]
KEY_HINT = "r send redacted · s send as is · e or Esc edit"
MOST_LISTED = 6
"""Findings listed on the card; more are counted (the card must not push the composer off)."""


class RedactionCard(Static, can_focus=True):
    """Lists what was found in the prompt and takes the user's choice (``r``, ``s``, ``e``)."""

    DEFAULT_CLASSES = "hidden"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('redacted')", "Send redacted", id="redaction.send_redacted"),
        Binding("s", "choose('as_is')", "Send as is", id="redaction.send_as_is"),
        Binding("e,escape", "choose('edit')", "Edit", id="redaction.edit"),
    ]

    @dataclass
    class Chosen(Message):
        """The user chose what happens to the prompt under review."""

        choice: RedactionChoice

    def show_findings(
        self,
        text: str,
        findings: Sequence[SecretFinding],
        in_files: Sequence[AttachmentSecrets] = (),
    ) -> None:
        """Show the card for ``text`` (and the text attachments holding secrets, each line
        naming its file) and take the focus, so the next key is the choice."""
        from claude_tui.redaction import describe_all, preview_lines

        lines = preview_lines(text, findings)
        lines += [line for item in in_files for line in item.preview_lines()]
        body = Text()
        for line in lines[:MOST_LISTED]:
            body.append(f"• {safe_for_terminal(line)}\n")
        if len(lines) > MOST_LISTED:
            body.append(f"• and {len(lines) - MOST_LISTED} more\n")
        body.append("Not sent yet. ", style="bold")
        body.append(KEY_HINT, style="dim")
        self.border_title = (
            f"Found {describe_all(findings, in_files)} in {_where(findings, in_files)}"
        )
        self.update(body)
        self.remove_class("hidden")
        self.focus()

    def hide(self) -> None:
        """Take the card away (a choice was made)."""
        self.add_class("hidden")

    @property
    def shown(self) -> bool:
        """Whether the card is asking."""
        return not self.has_class("hidden")

    def action_choose(self, choice: RedactionChoice) -> None:
        self.post_message(self.Chosen(choice))


def _where(findings: Sequence[SecretFinding], in_files: Sequence[AttachmentSecrets]) -> str:
    """``this prompt``, ``notes.md`` or ``this prompt and 2 attachments``."""
    places = ["this prompt"] if findings else []
    if len(in_files) == 1:
        places.append(in_files[0].name)
    elif in_files:
        places.append(f"{len(in_files)} attachments")
    return " and ".join(places)

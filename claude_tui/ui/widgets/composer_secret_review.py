"""The composer box's side of secret redaction: the check on Enter, the card's choices,
and the redacted copies that take a text attachment's place.

A mixin of :class:`~claude_tui.ui.widgets.composer_box.ComposerBox`, kept apart so the box
stays about typing and sending. What the card shows is in
:mod:`claude_tui.ui.widgets.composer_redaction`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from textual.widgets.text_area import Selection

if TYPE_CHECKING:
    from textual.containers import Vertical

    from claude_tui.redaction import AttachmentSecrets, SecretFinding, SecretPolicy
    from claude_tui.ui.widgets.composer import Composer
    from claude_tui.ui.widgets.composer_attachments import AttachmentChips
    from claude_tui.ui.widgets.composer_redaction import RedactionCard

    _ReviewBase = Vertical
else:
    _ReviewBase = object


class ComposerSecretReview(_ReviewBase):
    """Mixin: what :class:`ComposerBox` does about secrets, checked on Enter before the
    prompt (and its text attachments) is sent or remembered. (A ``Vertical`` only to the
    type checker: the box is the widget.)"""

    _composer: Composer
    _chips: AttachmentChips | None
    _secret_policy: Callable[[], SecretPolicy] | None
    _redaction_card: RedactionCard | None
    _under_review: tuple[str, list[SecretFinding]] | None
    _redacted_from: dict[str, str]

    if TYPE_CHECKING:

        @property
        def attachments(self) -> list[dict[str, Any]]: ...

        def add_attachments(self, blocks: Sequence[Mapping[str, Any]]) -> int: ...

    @property
    def reviewing_secrets(self) -> bool:
        """Whether the card is asking what to do with a prompt that holds secrets."""
        return self._redaction_card is not None and self._redaction_card.shown

    def check_prompt(self, text: str) -> str | None:
        """Check a prompt that did not come through Enter (``claude-tui "a prompt"``) as
        Enter would: the text to send now, or None while the card asks about it (the text
        is then put in the composer; the choice sends it as ``ComposerBox.Submitted``)."""
        return self._check_for_secrets(text, commands_pass=False)

    def _check_for_secrets(self, text: str, *, commands_pass: bool = True) -> str | None:
        """The composer's submit check: the prompt to send, or None while the card asks.

        The waiting text attachments go through the same policy: under ``always`` (or
        "send redacted") a redacted copy takes each one's place among the chips, so what
        is sent, and saved, is the copy.
        """
        self._end_review()  # a new Enter: the card (if any) asks afresh, or goes
        if self._secret_policy is None:
            return text
        if commands_pass and text.startswith("/") and not text.startswith("//"):
            return text  # slash commands are the app's, not a prompt
        policy = self._secret_policy()
        if policy.mode == "off":
            return text
        findings = policy.findings(text) if text else []
        in_files = self._attachment_secrets(policy)
        if not findings and not in_files:
            return text
        from claude_tui.redaction import copies_note, describe_all, redact

        if policy.mode == "always":
            if not self._swap_in_redacted_copies(in_files):
                return None  # the copies could not be stored: nothing goes
            copies = copies_note(in_files)
            self.notify(
                f"Redacted {describe_all(findings, in_files)} before sending"
                + (f"; {copies}." if copies else "."),
                title="Secrets",
                markup=False,
            )
            return redact(text, findings) if findings else text
        self._ask_about(text, findings, in_files)
        return None

    def _attachment_secrets(self, policy: SecretPolicy) -> list[AttachmentSecrets]:
        """What the policy finds in the waiting text attachments."""
        blocks = self.attachments
        if not any(block.get("kind") == "text" for block in blocks):
            return []
        from claude_tui.redaction import find_attachment_secrets

        return find_attachment_secrets(blocks, policy)

    def _swap_in_redacted_copies(self, found: Sequence[AttachmentSecrets]) -> bool:
        """Store a redacted copy of each file in ``found`` and put it in the file's chip;
        False (said in a toast, nothing swapped) when a copy cannot be stored."""
        if not found or self._chips is None:
            return True
        from claude_tui.attachments import AttachmentError
        from claude_tui.redaction import redacted_copies

        try:
            copies = redacted_copies(found)
        except (AttachmentError, OSError) as error:
            self.notify(
                f"A redacted copy could not be stored, so nothing was sent: {error}",
                title="Secrets",
                severity="error",
                markup=False,
            )
            return False
        self._chips.swap(copies)
        self._redacted_from.update((copy["sha256"], original) for original, copy in copies.items())
        return True

    def originals_of(self, blocks: Sequence[Mapping[str, Any]]) -> set[str]:
        """The hashes of the files that redacted copies among ``blocks`` stand for (so a
        file an ``@path`` word names again is not sent beside its copy)."""
        return {
            self._redacted_from[str(block.get("sha256"))]
            for block in blocks
            if str(block.get("sha256")) in self._redacted_from
        }

    def check_mentioned(
        self, text: str, blocks: list[dict[str, Any]]
    ) -> list[dict[str, Any]] | None:
        """The files ``text``'s ``@path`` words name (read after Enter) as they may go:
        checked as chips are. ``always`` sends redacted copies, with a toast; ``ask`` gives
        ``None``: the text comes back with the files as chips and the card asks about them
        (its choice sends the prompt again, the chips standing for its mentions)."""
        policy = self._secret_policy() if self._secret_policy is not None else None
        if policy is None or policy.mode == "off":
            return blocks
        from claude_tui.redaction import find_attachment_secrets

        found = find_attachment_secrets(blocks, policy)
        if not found:
            return blocks
        if policy.mode == "ask":
            typed = self._composer.text
            self._composer.set_text(f"{text}\n{typed}" if typed.strip() else text)
            self.add_attachments(blocks)
            self.call_after_refresh(self._check_for_secrets, text, commands_pass=False)
            return None
        from claude_tui.attachments import AttachmentError
        from claude_tui.redaction import copies_note, describe_all, with_redacted_copies

        try:
            sent = with_redacted_copies(blocks, found)
        except (AttachmentError, OSError) as error:
            self._composer.set_text(text)
            self.notify(
                f"A redacted copy could not be stored, so nothing was sent: {error}",
                title="Secrets",
                severity="error",
                markup=False,
            )
            return None
        self.notify(
            f"Redacted {describe_all([], found)} before sending; {copies_note(found)}.",
            title="Secrets",
            markup=False,
        )
        return sent

    def _ask_about(
        self,
        text: str,
        findings: list[SecretFinding],
        in_files: list[AttachmentSecrets],
    ) -> None:
        """Show the card for ``text`` and the attachments, the composer marked and the
        first finding in it selected (when the prompt itself holds one)."""
        if text not in self._composer.text:
            self._composer.set_text(text)
        if self._redaction_card is None:
            from claude_tui.ui.widgets.composer_redaction import RedactionCard

            self._redaction_card = RedactionCard()
            self.mount(self._redaction_card, before=self._composer)
        self._under_review = (text, findings)
        if findings:
            self._composer.add_class("-secrets-found")
            self._select_finding(text, findings[0])
        self.call_after_refresh(self._redaction_card.show_findings, text, findings, in_files)

    def _select_finding(self, text: str, finding: SecretFinding) -> None:
        """Select a finding in the composer (where the text still is as reviewed)."""
        offset = self._composer.text.find(text)
        if offset == -1:
            return  # changed since (given back, edited): nothing to point at
        whole = self._composer.text
        start = _location(whole, offset + finding.start)
        self._composer.selection = Selection(start, _location(whole, offset + finding.end))

    def on_redaction_card_chosen(self, event: RedactionCard.Chosen) -> None:
        """Send redacted (r), as is (s), or go back to the text to edit it (e, Esc): the
        chips stay as they are until a choice sends them."""
        event.stop()
        review = self._under_review
        self._end_review()
        self._composer.focus()
        if review is None:
            return
        text, findings = review
        if event.choice == "redacted":
            from claude_tui.redaction import redact

            policy = self._secret_policy() if self._secret_policy is not None else None
            # The chips as they are now (one may have been removed or added since Enter).
            in_files = self._attachment_secrets(policy) if policy is not None else []
            if not self._swap_in_redacted_copies(in_files):
                return
            self._composer.send_reviewed(redact(text, findings) if findings else text)
        elif event.choice == "as_is":
            self._composer.send_reviewed(text)
        elif findings:
            self._select_finding(text, findings[0])

    def _end_review(self) -> None:
        """Take the card and the composer's mark away (a choice, a new Enter, an edit)."""
        self._under_review = None
        if self._redaction_card is not None:
            self._redaction_card.hide()
        self._composer.remove_class("-secrets-found")

    def _redact_unsent(self, text: str) -> str:
        """Unsent text kept in the prompt history holds no secret, unless redaction is off:
        nobody chose to send those secrets as is."""
        if self._secret_policy is None:
            return text
        from claude_tui.redaction import redact

        policy = self._secret_policy()
        findings = policy.findings(text)
        return redact(text, findings) if findings else text


def _location(text: str, index: int) -> tuple[int, int]:
    """The (row, column) of ``text[index]``, as TextArea counts them."""
    row = text.count("\n", 0, index)
    return row, index - (text.rfind("\n", 0, index) + 1)

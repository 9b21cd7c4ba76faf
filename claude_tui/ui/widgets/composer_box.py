"""The composer together with its slash-command suggestions: what the app mounts.

Keeps the suggestion list in step with the text, routes Tab, Up, Down, Enter and Escape
to the list while it is showing, and turns the composer's raw submit into
:class:`ComposerBox.Submitted` with the slash command already parsed.

The command registry and the list are loaded when the text first starts with ``/`` (or
is sent), not at launch: most prompts are not commands.

Attachments waiting for the next message show as chips above the composer
(``composer_attachments``); ``@path`` words complete to files under the working folder, and a
paste that is only file paths is offered as attachments (Tab takes the offer). The chips and
the offer are mounted when first needed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import TextArea

from claude_tui.ui.prompt_history import PromptHistory
from claude_tui.ui.widgets.composer import Composer
from claude_tui.ui.widgets.composer_secret_review import ComposerSecretReview

if TYPE_CHECKING:
    from claude_tui.redaction import SecretFinding, SecretPolicy
    from claude_tui.ui.slash_commands import ArgumentChoices, Completion, SlashInvocation
    from claude_tui.ui.widgets.composer_attachments import AttachmentChips, PasteOffer
    from claude_tui.ui.widgets.composer_redaction import RedactionCard
    from claude_tui.ui.widgets.slash_suggestions import SlashSuggestions

SecretPolicySource = Callable[[], "SecretPolicy"]
"""Where the box reads the conversation's ``redact`` setting and known keys, at each send
(the profile may change between sends)."""

# Actions that only apply while the suggestion list is showing; otherwise the key goes on
# to the composer (Up/Down history, Enter send) or the app (Escape stops a reply).
_SUGGESTION_ACTIONS = frozenset({"suggestion_up", "suggestion_down", "accept_highlighted"})


class ComposerBox(ComposerSecretReview, Vertical):
    """Suggestions above a :class:`Composer`; posts :class:`ComposerBox.Submitted`."""

    DEFAULT_CSS = """
    ComposerBox {
        height: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "complete", "Complete", show=False, id="composer.complete"),
        # Priority, so they are seen before the composer's history recall and submit.
        Binding("up", "suggestion_up", show=False, priority=True, id="composer.suggestion_up"),
        Binding(
            "down", "suggestion_down", show=False, priority=True, id="composer.suggestion_down"
        ),
        Binding("enter", "accept_highlighted", show=False, priority=True, id="composer.accept"),
        Binding("escape", "dismiss_suggestions", show=False, id="composer.dismiss"),
    ]

    class Submitted(Message):
        """The user sent a prompt or a slash command; the composer is already cleared."""

        def __init__(self, text: str, slash: SlashInvocation | None) -> None:
            super().__init__()
            self.text = text
            """For a prompt, the text to send (``//x`` already unescaped to ``/x``);
            for a slash command, the command line as typed."""
            self.slash = slash
            """The parsed command, or None for an ordinary prompt."""

    class FilesOffered(Message):
        """The user took the offer to attach the file paths they pasted (Tab)."""

        def __init__(self, paths: list[Path]) -> None:
            super().__init__()
            self.paths = paths

    def __init__(
        self,
        argument_choices: ArgumentChoices,
        history: PromptHistory | None = None,
        *,
        secret_policy: SecretPolicySource | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``argument_choices(command_name)`` lists model, profile or theme names for Tab;
        ``secret_policy()`` says how prompts are checked for secrets (None: not at all)."""
        super().__init__(name=name, id=id, classes=classes)
        self._argument_choices = argument_choices
        self._suggestions: SlashSuggestions | None = None
        self._composer = Composer(history)
        # With attachments waiting, Enter sends them even without a word (once checked).
        self._composer.sends_empty = self._attachments_may_go_alone
        # Text for which Escape closed the list; it stays closed until the text changes.
        self._dismissed_text: str | None = None
        self._chips: AttachmentChips | None = None
        self._paste_offer: PasteOffer | None = None
        self._secret_policy = secret_policy
        self._redaction_card: RedactionCard | None = None
        # The prompt the card asks about, and what was found in it.
        self._under_review: tuple[str, list[SecretFinding]] | None = None
        # Hash of each redacted copy put in a chip -> hash of the file it stands for.
        self._redacted_from: dict[str, str] = {}
        if secret_policy is not None:
            self._composer.submit_check = self._check_for_secrets
            self._composer.unsent_filter = self._redact_unsent

    def compose(self) -> ComposeResult:
        """The composer; the suggestions are mounted above it when first needed, so the
        box grows upward when docked."""
        yield self._composer

    @property
    def composer(self) -> Composer:
        """The text box itself."""
        return self._composer

    @property
    def suggestions(self) -> SlashSuggestions:
        """The completion list (made on first use, mounted when it first has something)."""
        if self._suggestions is None:
            from claude_tui.ui.widgets.slash_suggestions import SlashSuggestions

            self._suggestions = SlashSuggestions()
        return self._suggestions

    @property
    def history(self) -> PromptHistory:
        """The prompt history the composer recalls from and records into."""
        return self._composer.prompt_history

    def focus_composer(self) -> None:
        """Put the cursor in the composer."""
        self._composer.focus()

    @property
    def text(self) -> str:
        """What is typed in the composer now."""
        return self._composer.text

    def hold_cursor_steady(self, steady: bool) -> None:
        """No cursor blink while a reply streams (see :meth:`Composer.hold_cursor_steady`)."""
        self.composer.hold_cursor_steady(steady)

    def keep_unsent(self) -> None:
        """Text typed but not sent goes into the prompt history (the tab is closing)."""
        self._composer.keep_unsent()

    def clear_to_history(self) -> bool:
        """Empty the composer, its text kept in the prompt history; False if it was empty."""
        return self._composer.clear_to_history()

    def set_text(self, text: str) -> None:
        """Replace the composer text (e.g. a message to edit and resend) and focus it."""
        self._composer.set_text(text)
        self._composer.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Let list-only keys fall through to the composer and app when the list is hidden."""
        if action in _SUGGESTION_ACTIONS or action == "dismiss_suggestions":
            if self._suggestions is None:
                return False
            if action == "accept_highlighted":
                return self._suggestions.highlighted_completion is not None
            return self._suggestions.is_showing
        return True

    # -- attachments -----------------------------------------------------------------------

    @property
    def attachments(self) -> list[dict[str, Any]]:
        """The attachment blocks waiting to go with the next message."""
        return self._chips.blocks if self._chips is not None else []

    def add_attachments(self, blocks: Sequence[Mapping[str, Any]]) -> int:
        """Show ``blocks`` as chips above the composer; how many were new."""
        if self._chips is None:
            from claude_tui.ui.widgets.composer_attachments import AttachmentChips

            self._chips = AttachmentChips()
            self.mount(self._chips, before=self._composer)
        return self._chips.add(blocks)

    def take_attachments(self) -> list[dict[str, Any]]:
        """The waiting attachments, removed from above the composer (they are being sent)."""
        blocks = self.attachments
        if blocks and self._chips is not None:
            self._chips.clear()
        return blocks

    def _attachments_may_go_alone(self) -> bool:
        """Enter with no text: the waiting attachments go alone, once their text files are
        checked for secrets (False while the card asks about them, or with none waiting)."""
        return bool(self.attachments) and self._check_for_secrets("") is not None

    def focus_attachments(self) -> bool:
        """Put the focus on the first chip; False when no attachment is waiting."""
        return self._chips is not None and self._chips.focus_first()

    def on_attachment_chips_leave_requested(self, event: AttachmentChips.LeaveRequested) -> None:
        """Back to the composer; a key or paste typed on a chip is not lost, it lands there."""
        self._composer.focus()
        forward = event.forward
        if isinstance(forward, events.Key):
            self._composer.post_message(events.Key(forward.key, forward.character))
        elif forward is not None:
            self._composer.post_message(events.Paste(forward.text))

    @on(Composer.Pasted)
    def _pasted(self, event: Composer.Pasted) -> None:
        """A paste that is only paths of existing files is offered as attachments."""
        from claude_tui.attachments.pasted_paths import pasted_file_paths

        paths = pasted_file_paths(event.text, Path.cwd())
        if not paths:
            return
        if self._paste_offer is None:
            from claude_tui.ui.widgets.composer_attachments import PasteOffer

            self._paste_offer = PasteOffer()
            self.mount(self._paste_offer, before=self._composer)
        self._paste_offer.offer(paths, event.text, self._composer.text)

    @property
    def paste_offer_showing(self) -> bool:
        """Whether a pasted path is being offered as an attachment."""
        return self._paste_offer is not None and self._paste_offer.is_showing

    def _take_paste_offer(self) -> None:
        """Tab on the offer: the pasted text leaves the composer, the files are attached."""
        offer = self._paste_offer
        assert offer is not None
        paths, pasted = offer.paths, offer.pasted
        offer.withdraw()
        text = self._composer.text
        cut = text.rfind(pasted)
        if cut >= 0:
            self._composer.set_text(text[:cut] + text[cut + len(pasted) :])
        self.post_message(self.FilesOffered(paths))

    def action_complete(self) -> None:
        """Apply the highlighted completion, or the first one; Tab moves focus when none."""
        if self.paste_offer_showing:
            self._take_paste_offer()
            return
        # Tab asks explicitly, so it reopens a dismissed list; and it computes the list
        # afresh, because a fast typist's Tab can arrive before the list has caught up.
        self._dismissed_text = None
        offered = _completions(self._composer.text, self._argument_choices)
        if not offered:
            raise SkipAction()
        highlighted = self.suggestions.highlighted_completion
        self._apply(highlighted if highlighted in offered else offered[0])

    def action_accept_highlighted(self) -> None:
        """Enter on a highlighted completion applies it instead of sending."""
        highlighted = self.suggestions.highlighted_completion
        if highlighted is None or highlighted.text == self._composer.text:
            raise SkipAction()  # Nothing to change: Enter sends instead.
        self._apply(highlighted)

    def action_suggestion_up(self) -> None:
        """Move the highlight up the list."""
        self.suggestions.move_highlight(-1)

    def action_suggestion_down(self) -> None:
        """Move the highlight down the list."""
        self.suggestions.move_highlight(1)

    def action_dismiss_suggestions(self) -> None:
        """Hide the list until the text changes."""
        self._dismissed_text = self._composer.text
        self.suggestions.hide()

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        """Keep the list in step with what is typed."""
        if event.text_area is not self._composer:
            return
        review = self._under_review
        if review is not None and (
            review[0] not in self._composer.text or (not review[0] and self._composer.text)
        ):
            self._end_review()  # the text asked about is gone (edited, given back, cleared)
        if self._dismissed_text is not None and self._composer.text != self._dismissed_text:
            self._dismissed_text = None
        offer = self._paste_offer
        if offer is not None and offer.is_showing and self._composer.text != offer.text_after:
            offer.withdraw()  # typed on: the paste stays text
        self._refresh_suggestions()

    @on(Composer.Submitted)
    def _submitted(self, event: Composer.Submitted) -> None:
        """Tell the app what to do with the text (the composer is already cleared)."""
        from claude_tui.ui.slash_commands import parse_slash, prompt_text

        event.stop()
        text = event.text
        slash = parse_slash(text)
        if self._suggestions is not None:
            self._suggestions.hide()
        self.post_message(self.Submitted(text if slash else prompt_text(text), slash))

    def on_slash_suggestions_chosen(self, event: SlashSuggestions.Chosen) -> None:
        """A clicked completion is applied like Tab."""
        event.stop()
        self._apply(event.completion)

    def _apply(self, completion: Completion) -> None:
        """Put the completion in the composer; the list then shows what can follow it."""
        self._composer.set_text(completion.text)
        self._composer.focus()
        self.suggestions.hide()  # A fresh list, with nothing highlighted.
        self._refresh_suggestions()

    def _refresh_suggestions(self) -> None:
        """Show the completions for the current text, or hide the list.

        The list is mounted the first time there is something to offer: an option list
        costs launch time that most sessions never need.
        """
        offered = self._offered_completions()
        if self._suggestions is None or not self._suggestions.is_mounted:
            if not offered:
                return
            self.mount(self.suggestions, before=self._composer)
            self.call_after_refresh(self.suggestions.show_completions, offered)
            return
        self._suggestions.show_completions(offered)

    def _offered_completions(self) -> list[Completion]:
        """Completions to offer now: none after Escape or while browsing the history."""
        composer = self._composer
        if self._dismissed_text is not None or composer.showing_recalled:
            return []
        return _completions(composer.text, self._argument_choices)


def _completions(text: str, argument_choices: ArgumentChoices) -> list[Completion]:
    """:func:`~claude_tui.ui.slash_commands.completions`, loading the registry only for
    text that can be a command; or files under the working folder for an ``@path`` word
    being typed at the end of a prompt."""
    if not text.startswith("/"):
        return _mention_completions(text) if "@" in text else []
    from claude_tui.ui.slash_commands import completions

    return completions(text, argument_choices)


def _mention_completions(text: str) -> list[Completion]:
    """Files and folders under the working folder for the ``@path`` word ending ``text``."""
    from claude_tui.attachments.path_completion import complete_path, mention_being_typed
    from claude_tui.ui.slash_commands import Completion

    typed = mention_being_typed(text)
    if typed is None:
        return []
    stem = text[: len(text) - len(typed)]
    return [
        Completion(stem + path, "@" + path, "folder" if path.endswith("/") else "")
        for path in complete_path(typed, Path.cwd(), files_under_cwd=True)
        if path != typed and not any(character.isspace() for character in path)
    ]  # a mention ends at a space: a name with one could not be mentioned

"""The list of slash-command completions shown just above the composer."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from claude_tui.ui.slash_commands import Completion


class SlashSuggestions(OptionList):
    """Completions for the composer text; hidden whenever there are none.

    It never takes focus: the cursor stays in the composer, whose owner moves the highlight
    with :meth:`move_highlight` and reads :attr:`highlighted_completion`. A mouse click posts
    :class:`SlashSuggestions.Chosen`.
    """

    DEFAULT_CSS = """
    SlashSuggestions {
        display: none;
        height: auto;
        max-height: 8;
        border: none;
        padding: 0 1;
        background: $panel;
        &.-visible {
            display: block;
        }
    }
    """

    can_focus = False

    class Chosen(Message):
        """The user clicked a completion."""

        def __init__(self, completion: Completion) -> None:
            super().__init__()
            self.completion = completion

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        """Create an empty, hidden list."""
        super().__init__(name=name, id=id)
        self._completions: tuple[Completion, ...] = ()

    @property
    def completions(self) -> tuple[Completion, ...]:
        """The completions currently listed (empty when hidden)."""
        return self._completions

    @property
    def is_showing(self) -> bool:
        """Whether the list is visible, i.e. has completions to offer."""
        return bool(self._completions)

    @property
    def highlighted_completion(self) -> Completion | None:
        """The completion the user moved to with Up/Down, if any."""
        index = self.highlighted
        if index is None or not 0 <= index < len(self._completions):
            return None
        return self._completions[index]

    def show_completions(self, completions: Sequence[Completion]) -> None:
        """List ``completions`` with nothing highlighted; an empty sequence hides the list."""
        if tuple(completions) == self._completions:
            return  # Keep the highlight while typing does not change what is offered.
        self._completions = tuple(completions)
        label_width = max((len(completion.label) for completion in completions), default=0)
        self.clear_options()
        self.add_options(
            Option(_prompt(completion, label_width)) for completion in self._completions
        )
        self.highlighted = None
        self.set_class(self.is_showing, "-visible")

    def hide(self) -> None:
        """Empty and hide the list."""
        self.show_completions(())

    def move_highlight(self, step: int) -> None:
        """Move the highlight ``step`` rows; from the first row, Up goes back to none."""
        count = len(self._completions)
        if not count:
            return
        current = self.highlighted
        if current is None:
            self.highlighted = 0 if step > 0 else count - 1
        elif current + step < 0:
            self.highlighted = None
        else:
            self.highlighted = min(current + step, count - 1)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        """Turn a click on an option into :class:`Chosen` carrying the completion."""
        event.stop()
        if 0 <= event.option_index < len(self._completions):
            self.post_message(self.Chosen(self._completions[event.option_index]))


def _prompt(completion: Completion, label_width: int) -> Content:
    """One row: the label in bold, padded into a column, then the description, muted."""
    return Content.assemble(
        (completion.label.ljust(label_width), "bold"),
        "  ",
        (completion.description, "$foreground 60%"),
    )

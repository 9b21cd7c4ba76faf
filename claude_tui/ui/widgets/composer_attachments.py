"""The attachments waiting above the composer: one chip each, and the offer for a pasted path.

A chip says what will go with the next message (name, kind, size, estimated tokens). The
chips are reached from the keyboard (the ``attachments`` command, Alt+A by default): Left and
Right move between them, Delete or Backspace removes one, Esc or Down goes back to the
composer. Both widgets are mounted the first time they are needed, not at launch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static


def chip_label(block: Mapping[str, Any]) -> str:
    """``📎 shot.png · image · 47 KB · ~1.2k tokens``: the words of a chip (and of the
    transcript's line for an attachment)."""
    from claude_tui.attachments import attachment_label

    return f"📎 {attachment_label(block)}"


class AttachmentChip(Static, can_focus=True):
    """One attachment; focus it and press Delete or Backspace to remove it."""

    DEFAULT_CSS = """
    AttachmentChip {
        width: auto;
        max-width: 100%;
        height: 1;
        padding: 0 1;
        background: $boost;
        color: $text-muted;
        &:focus {
            background: $accent 30%;
            color: $text;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("delete,backspace", "remove", "Remove", id="attachments.remove"),
        Binding("left,up", "step(-1)", "Previous", show=False, id="attachments.previous"),
        Binding("right", "step(1)", "Next", show=False, id="attachments.next"),
        Binding("escape,down", "leave", "Back to the composer", id="attachments.leave"),
    ]

    def __init__(self, block: Mapping[str, Any]) -> None:
        super().__init__(chip_label(block) + "  ✕", markup=False)
        self.block = dict(block)

    def action_remove(self) -> None:
        self.post_message(AttachmentChips.RemoveRequested(self))

    def action_step(self, step: int) -> None:
        chips = list(self.parent.query(AttachmentChip)) if self.parent else [self]
        index = chips.index(self) + step
        if 0 <= index < len(chips):
            chips[index].focus()
        elif step > 0:
            self.action_leave()

    def action_leave(self) -> None:
        self.post_message(AttachmentChips.LeaveRequested())

    def on_key(self, event: events.Key) -> None:
        """A character typed on a chip was meant for the prompt: it goes to the composer."""
        if event.is_printable:
            event.stop()
            self.post_message(AttachmentChips.LeaveRequested(event))

    def on_paste(self, event: events.Paste) -> None:
        """A paste while a chip has the focus goes to the composer too."""
        event.stop()
        self.post_message(AttachmentChips.LeaveRequested(event))


class AttachmentChips(Vertical):
    """The chips of the attachments that go with the next message, in order."""

    DEFAULT_CSS = """
    AttachmentChips {
        height: auto;
        max-height: 6;
        overflow-y: auto;
        padding: 0 1;
        &.-empty {
            display: none;
        }
    }
    """

    class RemoveRequested(Message):
        """A chip asked to be removed (Delete or Backspace on it)."""

        def __init__(self, chip: AttachmentChip) -> None:
            super().__init__()
            self.chip = chip

    class LeaveRequested(Message):
        """The focus should go back to the composer (with the key or paste that was meant
        for it, if one was typed on a chip)."""

        def __init__(self, forward: events.Key | events.Paste | None = None) -> None:
            super().__init__()
            self.forward = forward

    class Changed(Message):
        """Attachments were added or removed."""

    def on_mount(self) -> None:
        self._update_empty()

    @property
    def blocks(self) -> list[dict[str, Any]]:
        """The attachment blocks, in the order they were added."""
        return [chip.block for chip in self.query(AttachmentChip)]

    def add(self, blocks: Sequence[Mapping[str, Any]]) -> int:
        """Add chips for ``blocks`` not already here (the same file twice goes once);
        how many were added."""
        held = {block.get("sha256") for block in self.blocks}
        fresh = []
        for block in blocks:
            if block.get("sha256") not in held:
                held.add(block.get("sha256"))
                fresh.append(AttachmentChip(block))
        if fresh:
            self.mount_all(fresh)
            self.set_class(False, "-empty")
            self.post_message(self.Changed())
        return len(fresh)

    def swap(self, copies: Mapping[str, Mapping[str, Any]]) -> None:
        """Put each block of ``copies`` (keyed by the hash of the block it stands for) in
        that chip's place: a redacted copy goes instead of the file, with its own label."""
        for chip in self.query(AttachmentChip):
            copy = copies.get(str(chip.block.get("sha256")))
            if copy is not None:
                chip.block = dict(copy)
                chip.update(chip_label(copy) + "  ✕")

    def clear(self) -> None:
        """Remove every chip."""
        self.remove_children(AttachmentChip)
        self.set_class(True, "-empty")
        self.post_message(self.Changed())

    def focus_first(self) -> bool:
        """Focus the first chip; False when there is none."""
        chips = list(self.query(AttachmentChip))
        if not chips:
            return False
        chips[0].focus()
        return True

    async def on_attachment_chips_remove_requested(self, event: RemoveRequested) -> None:
        event.stop()
        chips = list(self.query(AttachmentChip))
        index = chips.index(event.chip)
        await event.chip.remove()
        rest = chips[:index] + chips[index + 1 :]
        if rest:
            rest[min(index, len(rest) - 1)].focus()
        else:
            self.post_message(self.LeaveRequested())
        self._update_empty()
        self.post_message(self.Changed())

    def _update_empty(self) -> None:
        self.set_class(not self.query(AttachmentChip), "-empty")


class PasteOffer(Static):
    """Says that the text just pasted is file paths, and how to attach them instead."""

    DEFAULT_CSS = """
    PasteOffer {
        height: auto;
        padding: 0 1;
        color: $text-warning;
        background: $warning 10%;
        &.-hidden {
            display: none;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__("", markup=False, classes="-hidden")
        self.paths: list[Path] = []
        self.pasted = ""
        self.text_after = ""

    @property
    def is_showing(self) -> bool:
        """Whether an offer is standing."""
        return bool(self.paths)

    def offer(self, paths: list[Path], pasted: str, text_after: str) -> None:
        """Offer ``paths`` (the paste ``pasted`` left the composer holding ``text_after``)."""
        self.paths, self.pasted, self.text_after = paths, pasted, text_after
        names = ", ".join(path.name for path in paths[:3])
        more = f" and {len(paths) - 3} more" if len(paths) > 3 else ""
        noun = "a file path" if len(paths) == 1 else "file paths"
        self.update(
            f"📎 You pasted {noun} ({names}{more}). Tab attaches "
            f"{'it' if len(paths) == 1 else 'them'} (the path leaves the text); "
            "typing on keeps it as text."
        )
        self.set_class(False, "-hidden")

    def withdraw(self) -> None:
        """Drop the offer."""
        self.paths = []
        self.set_class(True, "-hidden")

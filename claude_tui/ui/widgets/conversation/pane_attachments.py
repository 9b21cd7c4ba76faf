"""What a conversation pane does with attachments: every way in ends in the composer's chips.

``/attach PATH...``, a pasted path (offered by the composer), Ctrl+V (the clipboard's image)
and ``@path`` words in a sent prompt all read and check files here, off the event loop (a
thread for files, the clipboard tool a subprocess in it), against the API's limits and the
profile's format (a PDF cannot go over the OpenAI format). What passes becomes a chip; what
does not is said in a toast naming the file and the rule, and nothing is sent.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from claude_tui.ui.widgets.composer_box import ComposerBox

if TYPE_CHECKING:
    from textual.worker import Worker

    from claude_tui.ui.widgets.conversation.pane_host import PaneHost

    class AttachmentHost(PaneHost, Protocol):
        """A pane, with the workers and the send that takes attachments."""

        def run_worker(self, work: Any, *, group: str = ...) -> Worker[Any]: ...

        def _add_read(self, blocks: list[dict[str, Any]], errors: list[str]) -> None: ...

        async def _attach_paths(self, paths: list[Path]) -> None: ...


Blocks = list[dict[str, Any]]


def read_attachment_files(paths: Sequence[Path], api_format: str) -> tuple[Blocks, list[str]]:
    """Blocks for the files that can go, and a sentence for each that cannot (blocking)."""
    from claude_tui.attachments import (
        AttachmentError,
        BlobStore,
        attachment_from_file,
        check_sendable,
    )

    store = BlobStore()
    blocks: Blocks = []
    errors: list[str] = []
    for path in paths:
        try:
            block = attachment_from_file(path, store)
            check_sendable(block, api_format)
        except AttachmentError as error:
            errors.append(str(error))
            continue
        except OSError as error:  # the store could not be written
            errors.append(f"{path.name} could not be stored: {error}")
            continue
        blocks.append(dict(block))
    return blocks, errors


def read_clipboard_image(api_format: str) -> tuple[Blocks, list[str]]:
    """The clipboard's image as a block, or why there is none (blocking)."""
    from claude_tui.attachments import AttachmentError, BlobStore, attachment_from_bytes
    from claude_tui.attachments.clipboard_image import clipboard_image

    try:
        data, name = clipboard_image()
        block = attachment_from_bytes(data, name, BlobStore())
    except AttachmentError as error:
        return [], [str(error)]
    except OSError as error:
        return [], [f"The clipboard's image could not be stored: {error}"]
    return [dict(block)], []


class PaneAttachments:
    """Mixin for :class:`ConversationPane` (typed against :class:`AttachmentHost`)."""

    def command_attach(self: AttachmentHost, argument: str) -> None:
        """``/attach PATH...``: paths as a shell takes them, relative to the working folder."""
        if not argument:
            self.composer.set_text("/attach ")
            self.notify("Type the paths to attach (Tab completes them), then Enter.")
            return
        import shlex  # only for /attach; kept out of the launch

        try:
            words = shlex.split(argument)
        except ValueError as error:
            self.notify(f"Could not read the paths: {error}.", severity="error")
            return
        cwd = Path.cwd()
        paths = [cwd / Path(os.path.expanduser(word)) for word in words]
        self.run_worker(self._attach_paths(paths), group="attach")

    def on_composer_box_files_offered(
        self: AttachmentHost, event: ComposerBox.FilesOffered
    ) -> None:
        """Tab on a pasted path: attach the files it named."""
        event.stop()
        self.run_worker(self._attach_paths(event.paths), group="attach")

    def command_paste_image(self: AttachmentHost, argument: str) -> None:
        """Ctrl+V: attach the system clipboard's image."""
        api_format = self.conversation.profile.api_format

        async def paste() -> None:
            blocks, errors = await asyncio.to_thread(read_clipboard_image, api_format)
            self._add_read(blocks, errors)

        self.run_worker(paste(), group="attach")

    def focus_attachments(self: AttachmentHost) -> None:
        """Alt+A: the chips above the composer, to pick and remove one."""
        if not self.composer.focus_attachments():
            self.notify(
                "No attachments wait for the next message: /attach PATH, @path in a prompt, "
                "a pasted file path or Ctrl+V add them."
            )

    def send_prompt(self: AttachmentHost, text: str) -> None:
        """Send ``text`` with the waiting chips and the files its ``@path`` words name (the
        words stay in the text). A mentioned file that cannot go stops the send: the text
        comes back to the composer and the reason is shown."""
        from claude_tui.attachments.path_completion import mentioned_files

        mentioned = mentioned_files(text, Path.cwd()) if "@" in text else []
        if not mentioned:
            chips = self.composer.take_attachments()
            if text.strip() or chips:  # attachments may go alone, but not nothing at all
                self.send(text, chips)
            return
        api_format = self.conversation.profile.api_format

        async def read_then_send() -> None:
            blocks, errors = await asyncio.to_thread(read_attachment_files, mentioned, api_format)
            if errors:
                typed = self.composer.text
                self.composer.set_text(f"{text}\n{typed}" if typed.strip() else text)
                for error in errors:
                    self.notify(f"{error} Not sent.", severity="error", timeout=10)
                return
            held = {block.get("sha256") for block in self.composer.attachments}
            held |= self.composer.originals_of(self.composer.attachments)
            checked = self.composer.check_mentioned(
                text, [b for b in blocks if b.get("sha256") not in held]
            )
            if checked is None:
                return  # back in the composer: the card asks about the files' secrets
            self.send(text, self.composer.take_attachments() + checked)

        self.run_worker(read_then_send(), group="attach")

    async def _attach_paths(self: AttachmentHost, paths: list[Path]) -> None:
        api_format = self.conversation.profile.api_format
        blocks, errors = await asyncio.to_thread(read_attachment_files, paths, api_format)
        self._add_read(blocks, errors)

    def _add_read(self: AttachmentHost, blocks: Blocks, errors: list[str]) -> None:
        for error in errors:
            self.notify(error, title="Not attached", severity="error", timeout=10)
        if blocks:
            added = self.composer.add_attachments(blocks)
            names = ", ".join(str(block.get("name")) for block in blocks)
            if added:
                self.notify(f"Attached {names}; it goes with your next message.")
            else:
                self.notify(f"{names} is already attached.")
        self.focus_composer()

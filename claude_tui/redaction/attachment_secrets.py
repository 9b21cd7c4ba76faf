"""Secrets in the text files attached to a prompt, and the redacted copies sent instead.

A text attachment leaves with the prompt, so it is checked by the same policy: its bytes
are read from the :class:`~claude_tui.attachments.BlobStore`, scanned, and under "send
redacted" (or ``always``, or print mode) replaced by a new blob holding the redacted text,
with a new attachment block of the same name. The session then saves the block that points
at the redacted copy: what is saved is what was sent. Images and PDFs are not scanned.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .redaction_policy import SEND_AS_IS_HINT, SecretPolicy, finding_line, shown_value
from .secret_finding import SecretFinding, describe_findings, kinds_in_order, redact

if TYPE_CHECKING:
    from ..attachments import BlobStore


@dataclass(frozen=True)
class AttachmentSecrets:
    """What was found in one text attachment (``block``), whose text is ``text``."""

    block: Mapping[str, Any]
    text: str
    findings: tuple[SecretFinding, ...]

    @property
    def name(self) -> str:
        return str(self.block.get("name", "the attached file"))

    def preview_lines(self) -> list[str]:
        """``notes.md line 3: aws-key AKIA…7VXA``: one line per finding, masked."""
        return [
            f"{self.name} line {finding_line(self.text, f)}: {f.kind} {shown_value(self.text, f)}"
            for f in self.findings
        ]

    def redacted_bytes(self) -> bytes:
        """The file's text with every finding replaced by ``[REDACTED:kind]``."""
        return redact(self.text, self.findings).encode("utf-8")


def find_attachment_secrets(
    blocks: Sequence[Mapping[str, Any]], policy: SecretPolicy, store: BlobStore | None = None
) -> list[AttachmentSecrets]:
    """The text attachments among ``blocks`` that hold secrets, in order (none when the
    policy is off). A blob that cannot be read is skipped: building the request reports it."""
    if policy.mode == "off":
        return []
    texts = [block for block in blocks if block.get("kind") == "text"]
    if not texts:
        return []
    from ..attachments import BlobStore, is_attachment

    store = store or BlobStore()
    found: list[AttachmentSecrets] = []
    for block in texts:
        if not is_attachment(block):
            continue
        try:
            text = store.read(str(block["sha256"])).decode("utf-8", errors="replace")
        except OSError:
            continue
        findings = policy.findings(text)
        if findings:
            found.append(AttachmentSecrets(block, text, tuple(findings)))
    return found


def redacted_copies(
    found: Sequence[AttachmentSecrets], store: BlobStore | None = None
) -> dict[str, dict[str, Any]]:
    """A redacted copy (a new blob, a new block of the same name) of each attachment in
    ``found``, keyed by the hash of the block it stands for. Raises ``OSError`` when the
    store cannot be written and ``AttachmentError`` when a copy is refused."""
    from ..attachments import BlobStore, attachment_from_bytes

    store = store or BlobStore()
    copies = {
        str(item.block.get("sha256")): dict(
            attachment_from_bytes(item.redacted_bytes(), item.name, store)
        )
        for item in found
    }
    _forget_originals(set(copies), store)
    return copies


def _forget_originals(hashes: set[str], store: BlobStore) -> None:
    """Remove the stored originals that no saved session refers to: the copy goes in their
    place, and a file holding a secret is kept nowhere the user did not choose to send it.
    (The same file attached to an earlier message stays: that session still needs it.)"""
    from .. import paths
    from ..sessions.attachment_refs import unreferenced

    for digest in unreferenced(hashes, paths.sessions_dir()):
        # A blob that cannot be removed costs space, never a secret sent: the copy goes.
        with contextlib.suppress(OSError):
            store.remove(digest)


def with_redacted_copies(
    blocks: Sequence[Mapping[str, Any]],
    found: Sequence[AttachmentSecrets],
    store: BlobStore | None = None,
) -> list[dict[str, Any]]:
    """``blocks`` with each attachment in ``found`` replaced, in its place, by its
    :func:`redacted_copies` copy."""
    copies = redacted_copies(found, store)
    return [copies.get(str(block.get("sha256")), dict(block)) for block in blocks]


def describe_all(prompt: Sequence[SecretFinding], found: Sequence[AttachmentSecrets]) -> str:
    """``3 secrets (aws-key, password)``, counting the prompt's and the files' together,
    kinds in the order they appear (the prompt first, then each file)."""
    every = [*prompt, *(f for item in found for f in item.findings)]
    if not found:
        return describe_findings(every)
    kinds: dict[str, None] = dict.fromkeys(kinds_in_order(prompt))
    for item in found:
        kinds.update(dict.fromkeys(kinds_in_order(item.findings)))
    noun = "secret" if len(every) == 1 else "secrets"
    return f"{len(every)} {noun} ({', '.join(kinds)})"


def copies_note(found: Sequence[AttachmentSecrets]) -> str:
    """``a redacted copy of notes.md goes instead`` (empty when no file held a secret)."""
    if not found:
        return ""
    names = ", ".join(item.name for item in found)
    if len(found) == 1:
        return f"a redacted copy of {names} goes instead"
    return f"redacted copies of {len(found)} files ({names}) go instead"


def attachments_note(found: Sequence[AttachmentSecrets]) -> str:
    """Print mode's stderr line: ``redacted 1 secret (aws-key) in notes.md before sending;
    set redact = …``."""
    parts = [f"{describe_findings(item.findings)} in {item.name}" for item in found]
    return f"redacted {'; '.join(parts)} before sending; {SEND_AS_IS_HINT}"

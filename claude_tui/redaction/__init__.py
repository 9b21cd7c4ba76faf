"""Secret redaction: find keys, passwords, tokens and card numbers in a prompt before it
leaves, and replace them with ``[REDACTED:kind]``.

A plain backend package (no Textual). The scanner is fast enough to run on every send: a
100 KB paste costs about a millisecond (``tests/perf/bench_redaction.py``).
"""

from __future__ import annotations

from .attachment_secrets import (
    AttachmentSecrets,
    attachments_note,
    copies_note,
    describe_all,
    find_attachment_secrets,
    redacted_copies,
    with_redacted_copies,
)
from .redaction_policy import (
    SEND_AS_IS_HINT,
    Redacted,
    SecretPolicy,
    masked_preview,
    preview_lines,
    redact_for_sending,
)
from .secret_finding import SecretFinding, describe_findings, kinds_in_order, redact
from .secret_scan import OWN_KEY_KIND, find_secrets

__all__ = [
    "OWN_KEY_KIND",
    "SEND_AS_IS_HINT",
    "AttachmentSecrets",
    "Redacted",
    "SecretFinding",
    "SecretPolicy",
    "attachments_note",
    "copies_note",
    "describe_all",
    "describe_findings",
    "find_attachment_secrets",
    "find_secrets",
    "kinds_in_order",
    "masked_preview",
    "preview_lines",
    "redact",
    "redact_for_sending",
    "redacted_copies",
    "with_redacted_copies",
]

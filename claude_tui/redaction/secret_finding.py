"""One secret found in a text, and the text with the found secrets replaced.

The scanner (:mod:`.secret_scan`) decides *what* is a secret; this module only holds the
result and applies it, so the composer, print mode and the tests share one way of writing
``[REDACTED:kind]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PLACEHOLDER_PREFIX = "[REDACTED:"
"""How every replacement starts; a value already redacted is never found again."""


@dataclass(frozen=True, order=True)
class SecretFinding:
    """A secret at ``text[start:end]``; ``kind`` names what it looked like (``aws-key``)."""

    start: int
    end: int
    kind: str

    @property
    def placeholder(self) -> str:
        """What :func:`redact` puts in its place."""
        return f"{PLACEHOLDER_PREFIX}{self.kind}]"


def redact(text: str, findings: Iterable[SecretFinding]) -> str:
    """``text`` with each finding replaced by ``[REDACTED:kind]``.

    Findings may come in any order; one that overlaps an earlier-starting one is skipped
    (:func:`~.secret_scan.find_secrets` never returns overlaps, but hand-made lists may).
    """
    pieces: list[str] = []
    position = 0
    for finding in sorted(findings):
        if finding.start < position:
            continue
        pieces.append(text[position : finding.start])
        pieces.append(finding.placeholder)
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces)


def kinds_in_order(findings: Sequence[SecretFinding]) -> list[str]:
    """The distinct kinds found, in the order they first appear in the text."""
    seen: dict[str, None] = {}
    for finding in sorted(findings):
        seen.setdefault(finding.kind, None)
    return list(seen)


def describe_findings(findings: Sequence[SecretFinding]) -> str:
    """``2 secrets (aws-key, password)``: how many and of which kinds, for notes and toasts."""
    count = len(findings)
    noun = "secret" if count == 1 else "secrets"
    return f"{count} {noun} ({', '.join(kinds_in_order(findings))})"

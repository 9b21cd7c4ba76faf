"""What a profile's ``redact`` setting means for one prompt, and the words that say so.

Shared by the composer (which asks, or redacts with a toast) and print mode (which cannot
ask, so it redacts and says so on stderr), so both count, name and mask findings alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..profiles.secret_mask import mask_key
from .secret_finding import SecretFinding, describe_findings, redact
from .secret_scan import find_secrets

if TYPE_CHECKING:
    from ..profiles.profile import Profile
    from ..profiles.profile_values import RedactMode

SEND_AS_IS_HINT = 'set redact = "off" on the profile to send as is'


@dataclass(frozen=True)
class SecretPolicy:
    """A profile's ``redact`` mode and the keys it knows, ready to check a prompt."""

    mode: RedactMode = "ask"
    own_keys: tuple[str, ...] = ()

    @classmethod
    def for_profile(cls, profile: Profile, more_keys: Sequence[str] = ()) -> SecretPolicy:
        """The policy a profile's prompts leave under: its ``redact`` mode and every key
        its key source has seen, plus ``more_keys`` (those a connection pool holds)."""
        from ..profiles.key_source import KeySource

        keys = [*KeySource(profile).known_secrets(), *more_keys]
        return cls(profile.redact, tuple(keys))

    def findings(self, text: str) -> list[SecretFinding]:
        """The secrets to act on in ``text``: none at all when redaction is off."""
        if self.mode == "off":
            return []
        return find_secrets(text, own_keys=self.own_keys)


@dataclass(frozen=True)
class Redacted:
    """A text after redaction and what was taken out of it."""

    text: str
    findings: tuple[SecretFinding, ...]

    @property
    def note(self) -> str:
        """``redacted 2 secrets (aws-key, password) before sending; set redact = …``."""
        return f"redacted {describe_findings(self.findings)} before sending; {SEND_AS_IS_HINT}"


def redact_for_sending(text: str, policy: SecretPolicy) -> Redacted:
    """``text`` as it may leave under ``policy`` when nobody can be asked (print mode,
    ``always``): every finding replaced, or the text unchanged when there is none."""
    findings = policy.findings(text)
    if not findings:
        return Redacted(text, ())
    return Redacted(redact(text, findings), tuple(findings))


def masked_preview(text: str, finding: SecretFinding) -> str:
    """How a finding is shown to the user: its line and a masked form of the value
    (``line 3: sk-ant-…7f3a``); short values show nothing of themselves."""
    return f"line {finding_line(text, finding)}: {shown_value(text, finding)}"


def finding_line(text: str, finding: SecretFinding) -> int:
    """The line of ``text`` (from 1) the finding starts on."""
    return text.count("\n", 0, finding.start) + 1


def shown_value(text: str, finding: SecretFinding) -> str:
    """A finding's value as it may be shown: masked (``sk-ant-…7f3a``, or ``••••`` when
    short); a key block's first line, which says what it is."""
    value = text[finding.start : finding.end]
    return value.split("\n", 1)[0].strip() if "\n" in value else mask_key(value)


def preview_lines(text: str, findings: Sequence[SecretFinding]) -> list[str]:
    """One ``kind  line N: masked`` line per finding, for the composer's card."""
    return [f"{f.kind}  {masked_preview(text, f)}" for f in findings]

"""One reading of a relay's balance, and the two ways it is written out.

``line()`` is the CLI's sentence (``relay: 17.66 USD left (25.00 limit, 7.35 used)``),
``short()`` the status bar's segment (``relay 17.66 USD``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

BalanceShape = Literal["new-api", "openrouter", "command"]
"""Where a reading came from."""

UNLIMITED_USD = 100_000_000.0
"""new-api reports a token with unlimited quota as this ``hard_limit_usd`` (or more)."""


@dataclass(frozen=True)
class BalanceReading:
    """What is left on one profile's account, in ``currency``.

    ``limit`` and ``used`` are known for the billing endpoints and for a command that prints
    them; ``left`` is None only for an unlimited new-api token, where just the use counts.
    """

    profile: str
    left: float | None
    currency: str
    shape: BalanceShape
    limit: float | None = None
    used: float | None = None

    @property
    def unlimited(self) -> bool:
        """True for a token with no quota limit (new-api's unlimited tokens)."""
        return self.left is None

    def line(self) -> str:
        """The sentence ``claude-tui profiles balance`` prints for this profile."""
        if self.left is None:
            used = f" ({self.used:.2f} {self.currency} used)" if self.used is not None else ""
            return f"{self.profile}: unlimited{used}"
        text = f"{self.profile}: {self.left:.2f} {self.currency} left"
        parts = []
        if self.limit is not None:
            parts.append(f"{self.limit:.2f} limit")
        if self.used is not None:
            parts.append(f"{self.used:.2f} used")
        return text + (f" ({', '.join(parts)})" if parts else "")

    def short(self) -> str:
        """The status bar's text: the profile and what is left."""
        if self.left is None:
            return f"{self.profile} unlimited"
        return f"{self.profile} {self.left:.2f} {self.currency}"

"""The arithmetic of one token bucket: a level refilled continuously up to its capacity.

Kept apart from the file and the clock so it can be checked with plain numbers: every
function takes ``now`` (seconds, wall clock) and returns a new value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

#: A level this close to what is needed counts as enough: refill arithmetic in floats
#: otherwise leaves a request waiting a microsecond (and a "sending in 1 s" note) for nothing.
EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class TokenBucket:
    """One budget: ``capacity`` per minute, refilled at ``capacity / 60`` per second.

    ``level`` may be below zero: a reply's output is charged once it is known, and the
    next request then waits until the debt is refilled.
    """

    capacity: float
    level: float
    updated: float
    """When ``level`` was last brought up to date (``time.time()`` seconds)."""

    @classmethod
    def full(cls, capacity: float, now: float) -> TokenBucket:
        """A bucket nobody has drawn from: a fresh start allows a minute's worth at once."""
        return cls(capacity, capacity, now)

    @property
    def rate(self) -> float:
        """Units refilled per second."""
        return self.capacity / 60.0

    def refilled(self, now: float, capacity: float | None = None) -> TokenBucket:
        """The bucket at ``now`` (with ``capacity`` if the setting changed since).

        A clock that went backwards (the wall clock was set back) refills nothing, and
        the bucket counts from ``now`` on, so it never waits for the lost time twice.
        """
        capacity = self.capacity if capacity is None else capacity
        elapsed = max(0.0, now - self.updated)
        level = min(capacity, self.level + elapsed * capacity / 60.0)
        return TokenBucket(capacity, level, now)

    def needed(self, amount: float) -> float:
        """What the level must reach before ``amount`` may be taken: a request larger than
        the whole bucket waits for a full bucket and then goes (never forever)."""
        return min(amount, self.capacity)

    def wait_for(self, amount: float) -> float:
        """Seconds until ``amount`` may be taken (0.0: now). Call on a refilled bucket."""
        missing = self.needed(amount) - self.level
        if missing <= EPSILON or self.capacity <= 0:
            return 0.0
        return missing / self.rate

    def taken(self, amount: float) -> TokenBucket:
        """The bucket after ``amount`` was drawn (may go below zero)."""
        return replace(self, level=self.level - amount)

    def is_full(self, now: float) -> bool:
        """True when, refilled to ``now``, the bucket is back at capacity: it then says
        nothing a fresh bucket would not, and need not be kept."""
        return self.refilled(now).level >= self.capacity - EPSILON

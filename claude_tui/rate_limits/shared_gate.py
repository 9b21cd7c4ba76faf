"""The client-side rate limit: ``rpm`` and ``tpm`` as token buckets shared by every process.

:class:`SharedRateGate` is the :class:`~claude_tui.wire.RequestGate` the endpoint pool gives
to clients of profiles with ``rpm`` or ``tpm``. Each profile has up to two buckets, one of
requests (capacity ``rpm``) and one of tokens (capacity ``tpm``), kept in the locked state
file of the data folder, so the app, a second window and a script calling ``claude-tui -p``
in a loop all draw from the same budget.

Buckets are keyed by the profile's name and base URL: two profiles pointing at one relay
count separately (each has its own setting), and a renamed profile or a changed URL starts
with a full bucket.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal, TypeVar

from claude_tui import paths
from claude_tui.profiles.profile import Profile
from claude_tui.rate_limits.bucket_file import BucketFile, Buckets
from claude_tui.rate_limits.token_bucket import TokenBucket

logger = logging.getLogger(__name__)

Limit = Literal["rpm", "tpm"]
Clock = Callable[[], float]
GO: tuple[float, str] = (0.0, "")
Result = TypeVar("Result")


def bucket_key(profile: Profile, limit: Limit) -> str:
    """The key of ``profile``'s ``limit`` bucket in the state file: name and base URL.

    The built-in demo listens on a new port each run, so its URL is left out of its key.
    """
    base_url = "demo" if profile.is_demo else profile.base_url.rstrip("/")
    return f"{limit} {profile.name} {base_url}"


class SharedRateGate:
    """Token buckets per profile in one state file, shared across processes.

    Never stops a send because of the file: when it cannot be read it starts fresh, and
    when it cannot be opened, locked or written the buckets are kept in memory for this
    process (both logged), so the limit still holds within the process.
    """

    def __init__(self, path: Path | None = None, *, clock: Clock = time.time) -> None:
        self.file = BucketFile(path if path is not None else paths.rate_limits_file())
        self._clock = clock
        self._memory: Buckets = {}
        self._file_failed = False

    def reserve(self, profile: Profile, tokens: int) -> tuple[float, str]:
        """Take one request and ``tokens`` from ``profile``'s buckets, or say how long to
        wait (taking nothing) and which limit holds the request back."""
        wanted = _wanted(profile, tokens)
        if not wanted:
            return GO

        def change(buckets: Buckets) -> tuple[float, str]:
            now = self._clock()
            current = {
                limit: _current(buckets, bucket_key(profile, limit), capacity, now)
                for limit, (capacity, _amount) in wanted.items()
            }
            seconds, limit = max(
                (current[limit].wait_for(amount), limit)
                for limit, (_capacity, amount) in wanted.items()
            )
            if seconds > 0:
                return seconds, limit
            for limit, (_capacity, amount) in wanted.items():
                buckets[bucket_key(profile, limit)] = current[limit].taken(amount)
            _drop_full(buckets, now)
            return GO

        return self._update(change, GO)

    def charge(self, profile: Profile, tokens: int) -> None:
        """Count a reply's ``tokens`` against ``profile``'s ``tpm`` (it may go below zero:
        the next request then waits until the debt is refilled)."""
        if profile.tpm <= 0 or tokens <= 0:
            return

        def change(buckets: Buckets) -> None:
            key = bucket_key(profile, "tpm")
            now = self._clock()
            buckets[key] = _current(buckets, key, profile.tpm, now).taken(tokens)
            _drop_full(buckets, now)

        self._update(change, None)

    def _update(self, change: Callable[[Buckets], Result], fallback: Result) -> Result:
        try:
            result = self.file.update(change)
        except OSError as error:
            if not self._file_failed:
                logger.warning(
                    "The rate-limit state %s cannot be used (%s); counting in this process only",
                    self.file.path,
                    error,
                )
                self._file_failed = True
            try:
                return change(self._memory)
            except Exception:  # never let the limiter itself stop a send
                logger.exception("The rate limiter failed; the request goes")
                return fallback
        self._file_failed = False
        return result


def _wanted(profile: Profile, tokens: int) -> dict[Limit, tuple[float, float]]:
    """``{limit: (capacity, amount to take)}`` for the limits ``profile`` sets."""
    wanted: dict[Limit, tuple[float, float]] = {}
    if profile.rpm > 0:
        wanted["rpm"] = (float(profile.rpm), 1.0)
    if profile.tpm > 0:
        wanted["tpm"] = (float(profile.tpm), float(max(0, tokens)))
    return wanted


def _current(buckets: Buckets, key: str, capacity: float, now: float) -> TokenBucket:
    """The bucket at ``key`` brought up to ``now`` (a full one if there is none yet)."""
    bucket = buckets.get(key)
    if bucket is None:
        return TokenBucket.full(capacity, now)
    return bucket.refilled(now, capacity)


def _drop_full(buckets: Buckets, now: float) -> None:
    """Forget buckets back at capacity: a missing bucket reads as full, so the file keeps
    only the profiles used within the last minute."""
    for key in [key for key, bucket in buckets.items() if bucket.is_full(now)]:
        del buckets[key]

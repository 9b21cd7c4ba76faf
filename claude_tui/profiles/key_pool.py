"""A profile's keys as a pool: ``api_keys`` or ``api_key_commands`` used round-robin.

Relay users often hold several keys (one per account, or a pool their relay hands out) and
want the client to spread requests over them and to step past one that is refused. Each
key of the pool is a :class:`KeySource` of its own (a command key keeps its own cache and
TTL); a key that answered 401, 403 or 429 *rests* for a while and the next one is used.
Keys are named by their 1-based position, never by value: that is what the request log
and the saved reply show.

A profile with one key (``api_key``, ``api_key_env``, ``api_key_command``) is a pool of one
that never rests, so the client has a single code path.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from .key_source import KeySource, redact
from .profile import Profile

REST_AFTER_REFUSAL = 300.0
"""Seconds a key refused with 401/403 rests: a revoked key stays revoked for a while."""
REST_AFTER_RATE_LIMIT = 60.0
"""Seconds a key answered 429 rests when the answer gave no ``retry-after``."""


def pool_profiles(profile: Profile) -> list[Profile]:
    """One single-key profile per key of ``profile``'s pool (itself when it has no pool)."""
    if profile.api_keys:
        return [profile.with_changes(api_keys=(), api_key=key) for key in profile.api_keys]
    if profile.api_key_commands:
        return [
            profile.with_changes(api_key_commands=(), api_key_command=command)
            for command in profile.api_key_commands
        ]
    return [profile]


class KeyPool:
    """The keys of one profile, who is resting, and whose turn it is."""

    def __init__(
        self,
        profile: Profile,
        *,
        first: KeySource | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``first`` replaces the source of position 1 (tests give one with a fake
        environment or clock)."""
        self.profile = profile
        members = pool_profiles(profile)
        self.sources = [KeySource(member) for member in members]
        if first is not None:
            self.sources[0] = first
        self._clock = clock
        self._rested_until = [0.0] * len(self.sources)
        self._next = 0
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        """How many keys the pool holds (1 without ``api_keys``/``api_key_commands``)."""
        return len(self.sources)

    @property
    def is_pool(self) -> bool:
        """Whether the profile names several keys (only then is a position worth saving)."""
        return len(self.sources) > 1

    def source(self, position: int) -> KeySource:
        """The key source at 1-based ``position``."""
        return self.sources[position - 1]

    def take(self) -> int:
        """The position of the key to use next, and its turn passes to the following one."""
        with self._lock:
            index = self._pick()
            self._next = (index + 1) % len(self.sources)
            return index + 1

    def peek(self) -> int:
        """The position :meth:`take` would give now, without taking it."""
        with self._lock:
            return self._pick() + 1

    def _pick(self) -> int:
        """The next index in turn that is not resting, or, when all rest, the one whose
        rest ends first."""
        now = self._clock()
        count = len(self.sources)
        for step in range(count):
            index = (self._next + step) % count
            if self._rested_until[index] <= now:
                return index
        return min(range(count), key=lambda i: self._rested_until[i])

    def rest(self, position: int, seconds: float) -> None:
        """Keep the key at ``position`` out of turn for ``seconds``."""
        with self._lock:
            self._rested_until[position - 1] = self._clock() + max(0.0, seconds)

    def resting(self, position: int) -> bool:
        """Whether the key at ``position`` is resting now."""
        return self._rested_until[position - 1] > self._clock()

    def any_awake(self) -> bool:
        """Whether some key is not resting."""
        now = self._clock()
        return any(until <= now for until in self._rested_until)

    def variable_for(self, position: int) -> str | None:
        """What a copied curl command puts in the key's place: the environment variable the
        key comes from, else ``$API_KEY`` (``$API_KEY_2`` for the second of a pool); None
        when the profile sends no key."""
        member = self.source(position).profile
        if not member.needs_key:
            return None
        if member.api_key_env:
            return f"${member.api_key_env}"
        return "$API_KEY" if not self.is_pool else f"$API_KEY_{position}"

    def known_secrets(self) -> list[str]:
        """Every key any member has seen, for masking."""
        return [secret for source in self.sources for secret in source.known_secrets()]

    def redact(self, text: str) -> str:
        """``text`` with every key of the pool masked."""
        return redact(text, self.known_secrets())

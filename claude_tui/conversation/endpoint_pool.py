"""One :class:`ChatClient` per profile, and the in-process demo relay behind ``demo``.

The pool is what makes switching profiles mid-conversation cheap: clients (and their
connection pools) are created on first use and reused after.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from claude_tui.profiles.profile import Profile

if TYPE_CHECKING:  # imported on first use: httpx and the relay cost start-up time
    from claude_tui.demo.relay_server import DemoRelay
    from claude_tui.rate_limits import SharedRateGate
    from claude_tui.wire import ChatClient

#: Seconds between deltas of the built-in demo: slow enough to watch it stream.
DEMO_CHUNK_DELAY = 0.012

_demo_lock = threading.Lock()
_demo_relay: DemoRelay | None = None


def demo_base_url() -> str:
    """Start the in-process demo relay once (on 127.0.0.1) and return its URL."""
    global _demo_relay
    from claude_tui.demo.relay_server import DemoRelay

    with _demo_lock:
        if _demo_relay is None:
            relay = DemoRelay(chunk_delay=DEMO_CHUNK_DELAY)
            relay.start()
            _demo_relay = relay
        return _demo_relay.base_url


def live_profile(profile: Profile) -> Profile:
    """The profile with its real base URL: the demo's is only known once it listens."""
    if profile.is_demo:
        return profile.with_changes(base_url=demo_base_url())
    return profile


class EndpointPool:
    """Clients keyed by profile name; closed together when the app exits.

    A profile with ``rpm`` or ``tpm`` gets a client that asks the pool's rate-limit gate
    (one per pool, made on first need) before every request.
    """

    def __init__(self) -> None:
        self._clients: dict[str, tuple[Profile, ChatClient]] = {}
        self._retired: list[ChatClient] = []  # replaced clients may still be streaming
        self._rate_gate: SharedRateGate | None = None

    def client(self, profile: Profile) -> ChatClient:
        """The client for ``profile``; a changed profile (edited settings) gets a new one."""
        live = live_profile(profile)
        cached = self._clients.get(profile.name)
        if cached is not None and cached[0] == live:
            return cached[1]
        if cached is not None:
            self._retired.append(cached[1])
        from claude_tui.wire import ChatClient

        client = ChatClient(live, gate=self.rate_gate() if live.rpm or live.tpm else None)
        self._clients[profile.name] = (live, client)
        return client

    def rate_gate(self) -> SharedRateGate:
        """The gate holding every profile to its ``rpm``/``tpm``, shared with the other
        claude-tui processes through the data folder (imported only when a profile sets one)."""
        if self._rate_gate is None:
            from claude_tui.rate_limits import SharedRateGate

            self._rate_gate = SharedRateGate()
        return self._rate_gate

    def known_secrets(self) -> list[str]:
        """Every key the clients have used or could use, for scrubbing crash reports."""
        clients = [client for _profile, client in self._clients.values()] + self._retired
        return [secret for client in clients for secret in client.key_source.known_secrets()]

    async def aclose(self) -> None:
        """Close every client's connections."""
        clients = [client for _profile, client in self._clients.values()] + self._retired
        for client in clients:
            await client.aclose()
        self._clients.clear()
        self._retired.clear()

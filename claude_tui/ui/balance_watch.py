"""The status bar's relay balance: read after a reply, at most once a minute per profile.

The read runs in a worker of the app (network and ``balance_command`` never block the UI or
the next send), and a failure is only logged: the bar simply keeps what it showed, and
``/balance`` or ``claude-tui profiles balance`` is where the reason is shown. The balance
package (and httpx with it) is imported on the first read, never at launch.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import Protocol

    from claude_tui.balance import BalanceReading
    from claude_tui.conversation.conversation import Conversation
    from claude_tui.profiles import Profile

    class WorkerHost(Protocol):
        """What the watch needs of the app: a place to run reads, and toasts (declared for
        the type checker only: building a Protocol class would cost the launch)."""

        def run_worker(
            self, work: Coroutine[Any, Any, Any], *, group: str = ..., exit_on_error: bool = ...
        ) -> object: ...

        def notify(self, message: str, *, title: str = "", **options: Any) -> None: ...


_log = logging.getLogger(__name__)

REFRESH_SECONDS = 60.0
"""A profile's balance is asked at most this often (after replies)."""


class BalanceWatch:
    """Balance figures by profile (name and base URL), and when each may be asked again."""

    def __init__(
        self,
        on_change: Callable[[], None],
        *,
        interval: float = REFRESH_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._on_change = on_change
        self._interval = interval
        self._clock = clock
        self._since = time.time()  # replies of resumed sessions are older: they cost nothing now
        self._figures: dict[tuple[str, str], str] = {}
        self._asked_at: dict[tuple[str, str], float] = {}
        self._last_reply: dict[tuple[str, str], str] = {}

    def figure(self, profile: Profile) -> str:
        """The status bar's text for ``profile`` (``relay 17.66 USD``), empty when unknown."""
        return self._figures.get(_key(profile), "")

    def after_reply(self, host: WorkerHost, conversation: Conversation) -> None:
        """A reply may have ended in ``conversation``: read its profile's balance in a
        worker when that reply is new and the last read is a minute old."""
        profile = conversation.profile
        if profile.balance == "off" or profile.is_demo:
            return
        reply = next(
            (m for m in reversed(conversation.session.messages) if m.role == "assistant"), None
        )
        if reply is None or reply.usage is None or reply.created < self._since:
            return  # no reply reached the endpoint in this run: nothing was spent
        key = _key(profile)
        if self._last_reply.get(key) == reply.id:
            return  # the same reply: the state changed for another reason
        self._last_reply[key] = reply.id
        now = self._clock()
        asked = self._asked_at.get(key)
        if asked is not None and now - asked < self._interval:
            return
        self._asked_at[key] = now
        host.run_worker(self._refresh(profile), group="balance", exit_on_error=False)

    def show_now(self, host: WorkerHost, profile: Profile) -> None:
        """``/balance``: read ``profile``'s balance now and show it (or why not) as a toast."""
        host.run_worker(self._show(host, profile), group="balance-now", exit_on_error=False)

    async def read(self, profile: Profile) -> BalanceReading:
        """Read the balance, keep it as the bar's figure, and return it (raises
        ``BalanceError``)."""
        from claude_tui.balance import NoBalanceSourceError, read_balance

        key = _key(profile)
        try:
            reading = await read_balance(profile)
        except NoBalanceSourceError:
            self._set(key, "")
            raise
        self._asked_at[key] = self._clock()
        self._set(key, reading.short())
        return reading

    async def _refresh(self, profile: Profile) -> None:
        from claude_tui.balance import BalanceError

        try:
            await self.read(profile)
        except BalanceError as error:
            _log.info("balance of profile %s not read: %s", profile.name, error)
        except Exception:  # a bug of ours: the bar stays as it was, the log says why
            _log.exception("reading the balance of profile %s failed", profile.name)

    async def _show(self, host: WorkerHost, profile: Profile) -> None:
        from claude_tui.balance import BalanceError

        try:
            reading = await self.read(profile)
        except BalanceError as error:
            host.notify(str(error), title="Balance", severity="warning")
            return
        host.notify(reading.line(), title="Balance")

    def _set(self, key: tuple[str, str], figure: str) -> None:
        if self._figures.get(key, "") != figure:
            self._figures[key] = figure
            self._on_change()


def _key(profile: Profile) -> tuple[str, str]:
    return profile.name, profile.base_url

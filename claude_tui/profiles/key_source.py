"""Resolve a profile's API key: inline, from an environment variable, or from a command.

A command's key (Claude Code's ``apiKeyHelper`` convention) is cached for the profile's
``api_key_ttl`` seconds; the wire layer calls :meth:`KeySource.invalidate` once after a 401
so a rotated key is fetched again ("dynamic key refresh"). Error messages name what to fix
but never contain the key or the command's output: that output is secret-bearing (a failing
helper's ``token sk-… expired``) and an error's text ends up in session files and exports.
A masked excerpt of it rides along in :attr:`KeySourceError.detail` for a UI to show briefly.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Callable, Mapping

from claude_tui.shell_command import ShellCommandError, exit_status, run_shell_command

from .errors import KeySourceError
from .profile import Profile
from .profile_values import api_key_problem
from .secret_mask import mask_key, masked_excerpt, redact

__all__ = ["DEFAULT_COMMAND_TIMEOUT", "KeySource", "mask_key", "redact"]

DEFAULT_COMMAND_TIMEOUT = 30.0
"""Seconds an ``api_key_command`` may run; a stuck password prompt must not hang the app."""
_RUN_IT_YOURSELF = "; run the command in a shell to see why"


class KeySource:
    """Gives the current key for one profile, running ``api_key_command`` only when needed.

    Safe to share between threads and tasks: concurrent callers of an expired command key
    wait for one run instead of starting one each.
    """

    def __init__(
        self,
        profile: Profile,
        *,
        environ: Mapping[str, str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        command_timeout: float = DEFAULT_COMMAND_TIMEOUT,
    ) -> None:
        self.profile = profile
        self._environ = environ
        self._clock = clock
        self._command_timeout = command_timeout
        self._lock = threading.Lock()
        self._cached: tuple[str, float] | None = None

    @property
    def source_label(self) -> str:
        """Where the key comes from, safe to show: ``none``, ``inline``, ``$VAR``, ``command``."""
        profile = self.profile
        if not profile.needs_key:
            return "none"
        if profile.api_key is not None:
            return "inline"
        if profile.api_key_env is not None:
            return f"${profile.api_key_env}"
        if profile.api_key_command is not None:
            return "command"
        if profile.api_keys:
            return f"{len(profile.api_keys)} keys (api_keys)"
        if profile.api_key_commands:
            return f"{len(profile.api_key_commands)} key commands"
        return "missing"

    def get(self) -> str | None:
        """The key to send, or None when the profile sends none.

        Raises :class:`KeySourceError` when the key cannot be obtained. May block for up to
        the command timeout; async code should use :meth:`aget`.
        """
        profile = self.profile
        if not profile.needs_key:
            return None
        if profile.api_key is not None:
            return profile.api_key
        if profile.api_key_env is not None:
            return self._from_environment(profile.api_key_env)
        # A pool (see key_pool) is used key by key by the chat client; anything else that
        # needs one key of it (the model list, the balance) uses the first.
        if profile.api_keys:
            return profile.api_keys[0]
        command = profile.api_key_command or next(iter(profile.api_key_commands), None)
        if command is not None:
            with self._lock:
                if self._cached is not None and self._is_fresh(self._cached[1]):
                    return self._cached[0]
                key = self._run_command(command)
                self._cached = (key, self._clock())
                return key
        raise KeySourceError(
            f'profile "{profile.name}" has no API key: set api_key_env, api_key_command '
            f'or api_key in [profiles.{profile.name}] of config.toml, or auth = "none"'
        )

    async def aget(self) -> str | None:
        """:meth:`get` without blocking the event loop while a command runs."""
        runs_command = self.profile.api_key_command or self.profile.api_key_commands
        if not runs_command or not self.profile.needs_key:
            return self.get()
        return await asyncio.to_thread(self.get)

    def invalidate(self, failed_key: str | None = None) -> None:
        """Forget the cached command key so the next :meth:`get` runs the command again.

        Pass the key that was just rejected: if another request already fetched a newer
        one, it is kept, so a burst of 401s causes one refresh, not one per request.
        """
        with self._lock:
            if self._cached is not None and failed_key in (None, self._cached[0]):
                self._cached = None

    def known_secrets(self) -> list[str]:
        """Key values this source has seen, for :func:`redact` before anything is logged."""
        secrets = [self.profile.api_key] if self.profile.api_key else []
        secrets.extend(self.profile.api_keys)
        if self.profile.api_key_env:
            value = self._environment().get(self.profile.api_key_env, "").strip()
            if value:
                secrets.append(value)
        cached = self._cached
        if cached is not None:
            secrets.append(cached[0])
        return secrets

    def redact(self, text: str) -> str:
        """``text`` with every key this source knows masked."""
        return redact(text, self.known_secrets())

    # --- internals -------------------------------------------------------------------------

    def _environment(self) -> Mapping[str, str]:
        # Read os.environ at call time, not construction time, so tests and users can set it.
        return self._environ if self._environ is not None else os.environ

    def _is_fresh(self, fetched_at: float) -> bool:
        return self._clock() - fetched_at < self.profile.api_key_ttl

    def _from_environment(self, variable: str) -> str:
        value = self._environment().get(variable, "").strip()
        if not value:
            state = "is empty" if variable in self._environment() else "is not set"
            raise KeySourceError(
                f'profile "{self.profile.name}" reads its API key from the environment '
                f"variable {variable}, which {state}: export {variable}=<your key> "
                "or change api_key_env in config.toml"
            )
        problem = api_key_problem(value)
        if problem is not None:
            raise KeySourceError(
                f'the API key of profile "{self.profile.name}" in ${variable} {problem}'
            )
        return value

    def _run_command(self, command: str) -> str:
        """Run the command through the shell and return the key it printed."""
        what = f'api_key_command of profile "{self.profile.name}"'
        try:
            run = run_shell_command(command, timeout=self._command_timeout)
        except ShellCommandError as error:
            raise KeySourceError(f"{what} {error}") from None
        return self._key_from_output(what, run.returncode, run.stdout, run.stderr)

    def _key_from_output(self, what: str, returncode: int, stdout: bytes, stderr: bytes) -> str:
        output = stdout.decode("utf-8", "replace")
        # stderr may echo the key (set -x, a chatty helper): mask everything stdout held,
        # and keep even the masked excerpt out of the message, which gets saved.
        stdout_lines = [line.strip() for line in output.splitlines()]
        detail = masked_excerpt(_last_line(stderr.decode("utf-8", "replace")), stdout_lines)
        if returncode != 0:
            raise KeySourceError(
                f"{what} {exit_status(returncode)}{_RUN_IT_YOURSELF}", detail=detail
            )
        # The key is the first non-blank line: `pass show` prints metadata after it, and a
        # line break inside a header value would be rejected (or worse, echoed) by httpx.
        for line in stdout_lines:
            if line:
                problem = api_key_problem(line)
                if problem is not None:
                    raise KeySourceError(
                        f"{what} printed a first line that {problem}", detail=detail
                    )
                return line
        raise KeySourceError(
            f"{what} printed nothing on standard output{_RUN_IT_YOURSELF}", detail=detail
        )


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""

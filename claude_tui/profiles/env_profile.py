"""The ``env`` profile, built from the variables Claude Code users already export.

``ANTHROPIC_BASE_URL``, ``ANTHROPIC_AUTH_TOKEN`` (sent as Bearer) and ``ANTHROPIC_API_KEY``
(sent as x-api-key) make the profile exist; ``ANTHROPIC_MODEL``, ``ANTHROPIC_CUSTOM_HEADERS``
and ``API_TIMEOUT_MS`` refine it. The key is referenced through ``api_key_env`` and read when
needed, never copied into the profile, so it cannot leak through a saved or printed profile.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import ConfigError, ProfileValueError
from .profile import DEFAULT_BASE_URL, DEFAULT_MODEL, Profile
from .profile_values import check_header_name
from .value_checks import describe

ENV_PROFILE_NAME = "env"
BASE_URL_VAR = "ANTHROPIC_BASE_URL"
AUTH_TOKEN_VAR = "ANTHROPIC_AUTH_TOKEN"
API_KEY_VAR = "ANTHROPIC_API_KEY"
MODEL_VAR = "ANTHROPIC_MODEL"
CUSTOM_HEADERS_VAR = "ANTHROPIC_CUSTOM_HEADERS"
TIMEOUT_VAR = "API_TIMEOUT_MS"
TRIGGER_VARS = (BASE_URL_VAR, AUTH_TOKEN_VAR, API_KEY_VAR)
"""Any of these being set (non-empty) makes the ``env`` profile exist."""

_ENV_KEYS = {
    "base_url": BASE_URL_VAR,
    "model": MODEL_VAR,
    "timeout": TIMEOUT_VAR,
    "headers": CUSTOM_HEADERS_VAR,
}


def env_profile(environ: Mapping[str, str]) -> Profile | None:
    """The ``env`` profile, or None when none of :data:`TRIGGER_VARS` is set.

    Raises :class:`ConfigError` naming the variable when one holds an unusable value.
    With only ``ANTHROPIC_BASE_URL`` set, no key is sent: that setup is a local proxy that
    adds the key itself.
    """
    value = {name: environ.get(name, "").strip() for name in TRIGGER_VARS}
    if not any(value.values()):
        return None
    settings: dict[str, Any] = {
        "base_url": value[BASE_URL_VAR] or DEFAULT_BASE_URL,
        "model": environ.get(MODEL_VAR, "").strip() or DEFAULT_MODEL,
    }
    if value[AUTH_TOKEN_VAR]:
        settings.update(auth="bearer", api_key_env=AUTH_TOKEN_VAR)
    elif value[API_KEY_VAR]:
        settings.update(auth="x-api-key", api_key_env=API_KEY_VAR)
    else:
        settings["auth"] = "none"
    if environ.get(CUSTOM_HEADERS_VAR, "").strip():
        settings["headers"] = parse_custom_headers(environ[CUSTOM_HEADERS_VAR])
    if environ.get(TIMEOUT_VAR, "").strip():
        settings["timeout"] = _timeout_seconds(environ[TIMEOUT_VAR])
    try:
        return Profile(name=ENV_PROFILE_NAME, **settings)
    except ProfileValueError as error:
        variable = _ENV_KEYS.get(error.key[0], error.key[0])
        raise ConfigError(error.problem, key=f"environment variable {variable}") from None


def parse_custom_headers(text: str) -> dict[str, str]:
    """Parse ``Name: Value`` lines (Claude Code's format); blank lines are skipped.

    Errors name the line number but never its content: these headers often carry keys.
    """
    headers: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, header_value = line.partition(":")
        try:
            if not colon:
                raise ValueError
            clean_name = check_header_name(name)
        except ValueError:
            raise ConfigError(
                f'line {number} is not of the form "Name: Value"',
                key=f"environment variable {CUSTOM_HEADERS_VAR}",
            ) from None
        headers[clean_name] = header_value.strip()
    return headers


def _timeout_seconds(raw: str) -> float:
    """``API_TIMEOUT_MS`` is milliseconds; profiles keep seconds."""
    try:
        milliseconds = float(raw.strip())
    except ValueError:
        milliseconds = -1.0
    if not milliseconds > 0 or milliseconds == float("inf"):
        raise ConfigError(
            f"must be a positive number of milliseconds, not {describe(raw)}",
            key=f"environment variable {TIMEOUT_VAR}",
        )
    return milliseconds / 1000.0

"""The value types a profile setting can hold, and the checks that turn raw input into them.

Both the config loader (raw TOML) and :class:`Profile` itself (values set by code, e.g.
``with_changes``) run these checks, so a profile can never hold a value that would fail the
next time the file is loaded. The generic checks they build on live in :mod:`.value_checks`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.util import find_spec
from typing import Any, Literal
from urllib.parse import SplitResult, urlsplit

from .value_checks import (
    ValueProblem,
    check_choice,
    check_int,
    check_number,
    check_single_line,
    check_str,
    check_text,
    describe,
    did_you_mean,
    number_for_toml,
    one_of,
    optional,
    type_name,
)

ApiFormat = Literal["anthropic", "openai"]
AuthStyle = Literal["x-api-key", "bearer", "none"]
Effort = Literal["low", "medium", "high", "xhigh", "max"]
ThinkingMode = Literal["off", "adaptive"]
Thinking = ThinkingMode | int
"""``"off"``, ``"adaptive"`` or a budget in tokens (>= 1024 and < max_tokens)."""
Prefill = Literal["auto"] | bool
OpenAIThinkingDialect = Literal["reasoning_effort", "openrouter", "anthropic", "none"]
"""How a Chat Completions request asks for thinking (see ``wire/thinking_dialects``)."""
ThinkingDialect = Literal["auto"] | OpenAIThinkingDialect
PromptCache = Literal["auto", "1h", "off"]
"""Prompt caching: breakpoints with the 5-minute TTL, with the 1-hour TTL, or none."""

API_FORMATS: tuple[ApiFormat, ...] = ("anthropic", "openai")
AUTH_STYLES: tuple[AuthStyle, ...] = ("x-api-key", "bearer", "none")
EFFORTS: tuple[Effort, ...] = ("low", "medium", "high", "xhigh", "max")
THINKING_DIALECTS: tuple[ThinkingDialect, ...] = (
    "auto",
    "reasoning_effort",
    "openrouter",
    "anthropic",
    "none",
)
PROMPT_CACHE_MODES: tuple[PromptCache, ...] = ("auto", "1h", "off")
RedactMode = Literal["ask", "always", "off"]
"""Before a prompt leaves: ask (send redacted / as is / edit), always redact, or never look."""
REDACT_MODES: tuple[RedactMode, ...] = ("ask", "always", "off")
BalanceSource = Literal["auto", "new-api", "openrouter", "command", "off"]
"""Where a relay's balance is read: the known billing endpoints, a command, or nowhere."""
BALANCE_SOURCES: tuple[BalanceSource, ...] = ("auto", "new-api", "openrouter", "command", "off")
OPENROUTER_HOST = "openrouter.ai"
MIN_THINKING_BUDGET = 1024
MAX_KEY_LENGTH = 4096
"""Longer than any real API key; a helper printing more is printing something else."""
PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")

_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
SOCKS_INSTALL_HINT = "pip install 'httpx[socks]'"
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Prices:
    """Explicit USD prices per million tokens, for relays that resell at their own rates."""

    input: float
    """Uncached input tokens."""
    output: float
    """Output tokens, thinking included."""
    cache_write: float | None = None
    """Prompt-cache writes; unset means the usual 1.25x the input price."""
    cache_read: float | None = None
    """Prompt-cache reads; unset means the usual 0.1x the input price."""

    @property
    def resolved_cache_write(self) -> float:
        """The cache-write price to bill, derived from ``input`` when not given."""
        return self.cache_write if self.cache_write is not None else self.input * 1.25

    @property
    def resolved_cache_read(self) -> float:
        """The cache-read price to bill, derived from ``input`` when not given."""
        return self.cache_read if self.cache_read is not None else self.input * 0.1

    def to_toml_dict(self) -> dict[str, float]:
        """The inline table written back to ``config.toml`` (unset cache prices left out)."""
        table = {"input": self.input, "output": self.output}
        if self.cache_write is not None:
            table["cache_write"] = self.cache_write
        if self.cache_read is not None:
            table["cache_read"] = self.cache_read
        return {key: number_for_toml(value) for key, value in table.items()}


# --- field-specific checks ---------------------------------------------------------------


def normalise_base_url(value: object) -> str:
    """An http(s) root URL without trailing slashes or a trailing ``/v1``.

    Users paste either ``https://relay`` or ``https://relay/v1`` (what OpenAI SDKs want);
    the wire layer appends ``/v1/...`` itself, so both must mean the same thing.
    """
    url = check_str(value).strip()
    parts = _checked_url(url, value, ("http", "https"), "an http:// or https:// URL")
    if parts.query or parts.fragment:
        raise ValueProblem(f"must not contain ?query or #fragment, not {describe(value)}")
    url = url.rstrip("/")
    if url.lower().endswith("/v1"):
        url = url[: -len("/v1")].rstrip("/")
    return url


def check_proxy(value: object) -> str:
    """A proxy URL httpx understands (``http://``, ``https://``, ``socks5://``).

    A SOCKS proxy needs the ``socksio`` package, which httpx leaves out unless installed
    with its ``socks`` extra: without it every request would fail with an ImportError.
    """
    url = check_str(value).strip()
    expected = f"a URL starting with {one_of([s + '://' for s in PROXY_SCHEMES])}"
    parts = _checked_url(url, value, PROXY_SCHEMES, expected)
    if parts.scheme.startswith("socks") and find_spec("socksio") is None:
        raise ValueProblem(
            f"is a SOCKS proxy, which needs httpx's SOCKS support: {SOCKS_INSTALL_HINT}"
        )
    return url


def _checked_url(url: str, value: object, schemes: tuple[str, ...], expected: str) -> SplitResult:
    """``url`` split, once it is known to be one httpx can send to (else ValueProblem).

    Caught here, not at the first request: a space inside the URL, a missing host or a port
    outside 1..65535 would otherwise pass the config and fail later as a traceback or a
    misleading "could not reach".
    """
    if _SPACE_OR_CONTROL.search(url):
        raise ValueProblem(
            f"must be {expected} without spaces or control characters, not {describe(value)}"
        )
    parts = urlsplit(url)
    if parts.scheme.lower() not in schemes or not parts.hostname:
        raise ValueProblem(f"must be {expected} with a host name, not {describe(value)}")
    try:
        parts.port  # noqa: B018 - raises ValueError past 65535 (0 stays: the demo placeholder)
    except ValueError:
        raise ValueProblem(f"has a port outside 1-65535: {describe(value)}") from None
    return parts


def api_key_problem(key: str) -> str | None:
    """Why ``key`` cannot be an API key (too long, spaces or control characters), or None.

    Never quotes the key. A key is sent in an HTTP header: a megabyte of output or a line
    with spaces in it would fail there with a misleading "could not reach" instead.
    """
    if len(key) > MAX_KEY_LENGTH:
        return f"is {len(key)} characters long, too long for an API key (at most {MAX_KEY_LENGTH})"
    if any(char.isspace() or not char.isprintable() for char in key):
        return "contains spaces or control characters, which an API key cannot hold"
    return None


def check_api_key(value: object) -> str:
    """An inline key: one line, of a length and alphabet a header can carry."""
    key = check_single_line(value, secret=True)
    problem = api_key_problem(key)
    if problem is not None:
        raise ValueProblem(f"{problem}; check what was pasted")
    return key


def check_api_key_list(value: object) -> tuple[str, ...]:
    """A pool of inline keys (``api_keys = ["sk-1", "sk-2"]``); never echoed."""
    if not isinstance(value, list | tuple):
        raise ValueProblem(f"must be a list of keys, not {type_name(value)}")
    return tuple(check_api_key(item) for item in value)


def check_header_name(value: object) -> str:
    """An HTTP header name (letters, digits and ``-``-like token characters)."""
    name = check_str(value).strip()
    if not _HEADER_NAME.fullmatch(name):
        raise ValueProblem(f"must be an HTTP header name such as X-Api-Key, not {describe(value)}")
    return name


def check_env_name(value: object) -> str:
    """An environment variable name; a leading ``$`` is forgiven."""
    name = check_str(value).strip().removeprefix("$")
    if not _ENV_NAME.fullmatch(name):
        raise ValueProblem(
            f"must be an environment variable name such as RELAY_KEY, not {describe(value)}"
        )
    return name


def check_thinking(value: object) -> Thinking:
    """``"off"``, ``"adaptive"`` or a budget of at least 1024 tokens.

    The upper bound (below ``max_tokens``) depends on another field and is checked by
    :func:`cross_field_problem`.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if value < MIN_THINKING_BUDGET:
            raise ValueProblem(f"budget must be at least {MIN_THINKING_BUDGET} tokens, not {value}")
        return value
    if value == "off" or value == "adaptive":
        return value
    hint = did_you_mean(value, ["off", "adaptive"]) if isinstance(value, str) else ""
    raise ValueProblem(
        f'must be "off", "adaptive" or a token budget (a whole number >= '
        f"{MIN_THINKING_BUDGET}), not {describe(value)}{hint}"
    )


def check_prefill(value: object) -> Prefill:
    """``"auto"``, ``true`` or ``false``."""
    if isinstance(value, bool) or value == "auto":
        return value
    raise ValueProblem(f'must be "auto", true or false, not {describe(value)}')


def check_str_list(value: object) -> tuple[str, ...]:
    """A list of non-empty strings, kept as a tuple so profiles stay immutable."""
    if not isinstance(value, list | tuple):
        raise ValueProblem(f"must be a list of strings, not {describe(value)}")
    items: list[str] = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise ValueProblem(
                f"must be a list of non-empty strings, but contains {describe(item)}"
            )
        items.append(item.strip())
    return tuple(items)


SERVER_TOOL_NAMES = ("web_search", "web_fetch", "code_execution")
"""Claude's server tools a profile may name in ``server_tools`` (``wire.server_tools``
holds their definitions)."""


def check_server_tools(value: object) -> tuple[str, ...]:
    """Names of Claude's server tools, each known and named once."""
    names = check_str_list(value)
    for name in names:
        if name not in SERVER_TOOL_NAMES:
            raise ValueProblem(
                f"names {describe(name)}, which is not one of Claude's server tools; use "
                f"{one_of(SERVER_TOOL_NAMES)}{did_you_mean(name, SERVER_TOOL_NAMES)}"
            )
    return tuple(dict.fromkeys(names))


def check_headers(value: object) -> dict[str, str]:
    """A table of header name to value. Values are never echoed: they often carry keys."""
    if not isinstance(value, Mapping):
        raise ValueProblem(f"must be a table of header names to values, not {type_name(value)}")
    headers: dict[str, str] = {}
    for name, header_value in value.items():
        try:
            clean_name = check_header_name(name)
        except ValueProblem as problem:
            raise ValueProblem(
                "has a name that is not a valid HTTP header name", (str(name),)
            ) from problem
        if not isinstance(header_value, str):
            raise ValueProblem(f"must be a string, not {type_name(header_value)}", (name,))
        if "\n" in header_value or "\r" in header_value:
            raise ValueProblem("must be on one line", (name,))
        headers[clean_name] = header_value.strip()
    return headers


PRICE_KEYS = ("input", "output", "cache_write", "cache_read")


def check_prices(value: object) -> Prices:
    """``{ input = …, output = …, cache_write = …, cache_read = … }`` in USD per Mtok."""
    if isinstance(value, Prices):
        value = value.to_toml_dict()
    if not isinstance(value, Mapping):
        raise ValueProblem(
            f"must be a table like {{ input = 3.0, output = 15.0 }}, not {type_name(value)}"
        )
    numbers: dict[str, float] = {}
    for key, number in value.items():
        if key not in PRICE_KEYS:
            raise ValueProblem(
                f"is not a price; use {one_of(PRICE_KEYS)}{did_you_mean(str(key), PRICE_KEYS)}",
                (str(key),),
            )
        try:
            numbers[key] = check_number(number)
        except ValueProblem as problem:
            raise ValueProblem(problem.problem, (key,)) from problem
    for required in ("input", "output"):
        if required not in numbers:
            raise ValueProblem(f"needs {required} (USD per million {required} tokens)")
    return Prices(
        input=numbers["input"],
        output=numbers["output"],
        cache_write=numbers.get("cache_write"),
        cache_read=numbers.get("cache_read"),
    )


def check_fraction(value: object) -> float:
    """A fraction from 0 to 1 (``auto_compact = 0.8``); 0 means off."""
    return check_number(value, maximum=1.0)


def resolved_thinking_dialect(dialect: ThinkingDialect, base_url: str) -> OpenAIThinkingDialect:
    """The dialect ``auto`` stands for at ``base_url``: OpenRouter's own ``reasoning`` object
    on openrouter.ai (it carries an exact budget), OpenAI's ``reasoning_effort`` elsewhere
    (the one field every Chat Completions server knows or is documented to ignore)."""
    if dialect != "auto":
        return dialect
    host = (urlsplit(base_url).hostname or "").lower()
    if host == OPENROUTER_HOST or host.endswith("." + OPENROUTER_HOST):
        return "openrouter"
    return "reasoning_effort"


def default_auth(api_format: ApiFormat) -> AuthStyle:
    """How a key is sent when the profile does not say: Anthropic's way, or OpenAI's."""
    return "x-api-key" if api_format == "anthropic" else "bearer"


FIELD_CHECKS: dict[str, Callable[[object], Any]] = {
    "base_url": normalise_base_url,
    "api_format": lambda v: check_choice(v, API_FORMATS),
    "auth": lambda v: check_choice(v, AUTH_STYLES),
    "auth_header": optional(check_header_name),
    "api_key": optional(check_api_key),
    "api_key_env": optional(check_env_name),
    "api_key_command": optional(check_str),
    "api_key_ttl": lambda v: check_number(v),
    "model": lambda v: check_str(v).strip(),
    "models": check_str_list,
    "max_tokens": lambda v: check_int(v, minimum=1),
    "thinking": check_thinking,
    "effort": optional(lambda v: check_choice(v, EFFORTS)),
    "thinking_dialect": lambda v: check_choice(v, THINKING_DIALECTS),
    "system": optional(check_text),
    "temperature": optional(lambda v: check_number(v, maximum=2.0)),
    "headers": check_headers,
    "user_agent": optional(check_single_line),
    "anthropic_beta": check_str_list,
    "proxy": optional(check_proxy),
    "timeout": lambda v: check_number(v, positive=True),
    "connect_timeout": lambda v: check_number(v, positive=True),
    "idle_timeout": lambda v: check_number(v, positive=True),
    "max_retries": lambda v: check_int(v, minimum=0),
    "max_messages": lambda v: check_int(v, minimum=0),
    "context_window": lambda v: check_int(v, minimum=1),
    "price_multiplier": lambda v: check_number(v),
    "prices": optional(check_prices),
    "prefill": check_prefill,
    # prompt caching (issue 11)
    "cache": lambda v: check_choice(v, PROMPT_CACHE_MODES),
    # /compact
    "compact_model": optional(lambda v: check_str(v).strip()),
    "keep_recent": lambda v: check_int(v, minimum=0),
    "auto_compact": check_fraction,
    # Secret redaction (issue 11): what happens when a prompt holds a key, password or card.
    "redact": lambda v: check_choice(v, REDACT_MODES),
    # Money and endpoints (issue 12): alerts, budgets, rate limits, balance, failover, keys.
    "alert_tokens": lambda v: check_int(v, minimum=0),
    "alert_daily_usd": lambda v: check_number(v),
    "daily_limit_usd": lambda v: check_number(v),
    "monthly_limit_usd": lambda v: check_number(v),
    "rpm": lambda v: check_int(v, minimum=0),
    "tpm": lambda v: check_int(v, minimum=0),
    "balance": lambda v: check_choice(v, BALANCE_SOURCES),
    "balance_command": optional(check_str),
    "currency": lambda v: check_single_line(v).strip(),
    "fallback": check_str_list,
    "api_keys": check_api_key_list,
    "api_key_commands": check_str_list,
    # tools (issue 13): the loop
    "max_tool_rounds": lambda v: check_int(v, minimum=1),
    "tool_timeout": lambda v: check_number(v, positive=True),
    "max_tool_result_chars": lambda v: check_int(v, minimum=1),
    # tools (issue 13): MCP servers
    "tools": check_str_list,
    "allowed_tools": check_str_list,
    # tools (issue 13): Claude's server tools
    "server_tools": check_server_tools,
}
"""Every key a ``[profiles.NAME]`` table may hold, in the order they are written back."""

KEY_SOURCES = ("api_key", "api_key_env", "api_key_command", "api_keys", "api_key_commands")


def cross_field_problem(values: Mapping[str, Any]) -> tuple[str, str] | None:
    """The first rule that spans two settings and is broken, as ``(key, problem)``.

    ``key`` is the setting to blame (the one whose line the error points at).
    """
    sources = [key for key in KEY_SOURCES if values.get(key)]
    if len(sources) > 1:
        return (
            sources[1],
            f"conflicts with {sources[0]}: set only one of api_key, api_key_env, "
            "api_key_command, api_keys or api_key_commands",
        )
    if values.get("balance") == "command" and not values.get("balance_command"):
        return ("balance", 'is "command", but no balance_command is set')
    thinking = values.get("thinking")
    max_tokens = values.get("max_tokens")
    if isinstance(thinking, int) and isinstance(max_tokens, int) and thinking >= max_tokens:
        return (
            "thinking",
            f"budget must be less than max_tokens ({max_tokens}), not {thinking}; "
            "lower it or raise max_tokens",
        )
    if values.get("prices") is not None and values.get("price_multiplier", 1.0) != 1.0:
        return (
            "price_multiplier",
            "cannot be combined with explicit prices: the prices table is used as is",
        )
    if values.get("auth_header") is not None and values.get("auth") == "none":
        return ("auth_header", 'needs a key to send, but auth = "none"')
    server_tools = values.get("server_tools")
    if server_tools and values.get("api_format") == "openai":
        return (
            "server_tools",
            f"names {server_tools[0]}, one of Claude's server tools, which only the anthropic "
            'api_format can send: remove server_tools or set api_format = "anthropic"',
        )
    return None

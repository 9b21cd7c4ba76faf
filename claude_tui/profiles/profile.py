"""A profile: everything needed to talk to one endpoint (official API or a relay).

Profiles are immutable values. Code changes one with :meth:`Profile.with_changes`, which runs
the same checks as the config loader, so an edited profile always saves to a file that loads.
The key itself is not here unless the user wrote it inline: :mod:`.key_source` resolves it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, cast

from .errors import ProfileValueError
from .profile_values import (
    FIELD_CHECKS,
    ApiFormat,
    AuthStyle,
    BalanceSource,
    Effort,
    OpenAIThinkingDialect,
    Prefill,
    Prices,
    PromptCache,
    RedactMode,
    Thinking,
    ThinkingDialect,
    cross_field_problem,
    default_auth,
    resolved_thinking_dialect,
)
from .value_checks import ValueProblem, check_str, number_for_toml

_AUTO_AUTH = cast(AuthStyle, "auto")
"""Placeholder meaning "the usual style for ``api_format``"; resolved in ``__post_init__``."""

DEFAULT_BASE_URL = "https://api.anthropic.com"
DEFAULT_MODEL = "claude-sonnet-4-5"


@dataclass(frozen=True)
class Profile:
    """One named endpoint configuration, as read from ``[profiles.NAME]``.

    Every field except ``name`` and ``is_demo`` is a key of that table; the defaults below
    are what a missing key means.
    """

    name: str
    """The table name, ``[profiles.NAME]``; ``demo`` and ``env`` are the built-in ones."""

    base_url: str = DEFAULT_BASE_URL
    """Root URL of the API; a trailing ``/v1`` is removed because the wire layer adds it."""
    api_format: ApiFormat = "anthropic"
    """``anthropic`` (Messages API) or ``openai`` (Chat Completions, for relays)."""
    auth: AuthStyle = _AUTO_AUTH
    """How the key is sent: ``x-api-key``, ``bearer`` or ``none``.

    When not given it follows ``api_format`` (x-api-key for anthropic, bearer for openai).
    """
    auth_header: str | None = None
    """Send the key raw in this custom header instead of ``auth``'s usual header."""
    api_key: str | None = field(default=None, repr=False)
    """The key written in the file. Discouraged; never shown in repr, logs or errors."""
    api_key_env: str | None = None
    """Name of the environment variable holding the key."""
    api_key_command: str | None = None
    """Shell command printing the key (``pass show relay``); re-run after ``api_key_ttl``."""
    api_key_ttl: float = 300.0
    """Seconds a key printed by ``api_key_command`` is reused before the command runs again."""
    model: str = DEFAULT_MODEL
    """Model used for new conversations."""
    models: tuple[str, ...] = ()
    """Manual model list for relays that do not serve ``/v1/models``."""
    max_tokens: int = 8192
    """Upper bound on one reply, thinking included."""
    thinking: Thinking = "off"
    """Extended thinking: ``"off"``, ``"adaptive"`` or a budget in tokens (< max_tokens)."""
    effort: Effort | None = None
    """With adaptive thinking, how hard the model tries; ignored otherwise."""
    thinking_dialect: ThinkingDialect = "auto"
    """How an ``openai`` profile asks for thinking; ignored by ``anthropic`` profiles.

    Chat Completions has no standard thinking field, so relays differ: ``reasoning_effort``
    (OpenAI's field; a budget becomes low/medium/high), ``openrouter`` (``reasoning:
    {max_tokens | effort}``), ``anthropic`` (the Messages API's ``thinking`` object passed
    through) or ``none`` (never sent; the status bar says so). ``auto`` picks ``openrouter``
    on openrouter.ai and ``reasoning_effort`` elsewhere: the field OpenAI-compatible servers
    and gateways (LiteLLM, vLLM, one-api) already map to Claude's thinking, and what this
    client sent before the setting existed.
    """
    system: str | None = None
    """Default system prompt for new conversations."""
    temperature: float | None = None
    """Sampling temperature 0..2; the wire layer leaves it out while thinking is on."""
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    """Extra HTTP headers (relays use them for groups or tenant ids; may hold secrets)."""
    user_agent: str | None = None
    """Replaces the default ``User-Agent`` (some relays allow-list clients by it)."""
    anthropic_beta: tuple[str, ...] = ()
    """Beta flags sent as the ``anthropic-beta`` header."""
    proxy: str | None = None
    """HTTP or SOCKS proxy URL for this profile's requests."""
    timeout: float = 600.0
    """Seconds allowed for a whole reply."""
    connect_timeout: float = 10.0
    """Seconds allowed to open the connection."""
    idle_timeout: float = 120.0
    """Seconds without a byte mid-reply before the stream is treated as stalled."""
    max_retries: int = 2
    """Retries for retryable failures before a reply has started streaming."""
    max_messages: int = 0
    """Send only the most recent this-many messages; 0 keeps the whole conversation."""
    context_window: int = 200_000
    """Model context size in tokens, for the usage gauge and trimming."""
    price_multiplier: float = 1.0
    """Scales the built-in price table (relays resell at their own rates)."""
    prices: Prices | None = None
    """Explicit prices, used as is instead of the built-in table."""
    prefill: Prefill = "auto"
    """May an interrupted reply be continued by assistant prefill? ``"auto"`` asks the model."""

    # prompt caching (issue 11)
    cache: PromptCache = "auto"
    """Prompt caching: ``"auto"`` marks the system prompt and the newest turns with
    ``cache_control`` so each turn reads the previous one's prefix from the cache (5-minute
    TTL); ``"1h"`` asks for the 1-hour TTL (writes cost 2x input instead of 1.25x);
    ``"off"`` sends no breakpoints. On the ``openai`` format breakpoints go only to Claude
    models (relays such as OpenRouter pass them on); other models cache by themselves."""
    # -- /compact ---------------------------------------------------------------------------
    compact_model: str | None = None
    """Model that writes ``/compact`` summaries (unset: the session's own model)."""
    keep_recent: int = 2
    """Newest turns (a prompt and its reply) ``/compact`` keeps as they are."""
    auto_compact: float = 0.0
    """Compact before a send whose request would pass this fraction of ``context_window``
    (``0.8``: 80%); 0 turns auto-compact off."""
    # Secret redaction (issue 11).
    redact: RedactMode = "ask"
    """Before a prompt leaves: ``"ask"`` (the composer shows what it found and offers send
    redacted / send as is / edit), ``"always"`` (replace each with ``[REDACTED:kind]``) or
    ``"off"``. Print mode cannot ask, so ``"ask"`` redacts there and says so on stderr."""
    # -- money and endpoints (issue 12) ------------------------------------------------------
    alert_tokens: int = 150_000
    """A reply whose tokens (input, cache and output together) pass this is flagged under
    the reply and in the usage screen; 0 turns the alert off."""
    alert_daily_usd: float = 20.0
    """A day whose cost on this profile passes this many USD is flagged; 0 turns it off."""
    daily_limit_usd: float = 0.0
    """Refuse a send once today's spend on this profile has reached this; 0 is no limit."""
    monthly_limit_usd: float = 0.0
    """Refuse a send once this month's spend on this profile has reached this; 0 is no limit."""
    rpm: int = 0
    """Requests per minute this client allows itself (a token bucket shared by every
    claude-tui process using the data folder); a send that would pass it waits. 0: none."""
    tpm: int = 0
    """Tokens per minute (estimated input, then the reply's output), as ``rpm``. 0: none."""
    balance: BalanceSource = "auto"
    """Where the relay's remaining balance is read: ``new-api`` (one-api style
    ``/dashboard/billing/*``), ``openrouter`` (``/api/v1/credits``), ``command``
    (``balance_command``), ``auto`` (try the known shapes once, remember which answered;
    never asked of the official API) or ``off``."""
    balance_command: str | None = None
    """Shell command printing the balance: a number, or ``{"balance": …, "currency": …}``.
    Run like ``api_key_command`` (stdin closed, stopped after 30 s); when set it is used
    whatever ``balance`` says, except ``off``."""
    currency: str = "USD"
    """Label for this profile's balance amounts (a command's ``currency`` wins)."""
    fallback: tuple[str, ...] = ()
    """Profiles a turn goes to, in order, when this one fails before any reply arrived with
    429, 5xx, 529 or a connection error (after its own retries)."""
    api_keys: tuple[str, ...] = field(default=(), repr=False)
    """A pool of inline keys used round-robin; one answered 401/403/429 rests a while."""
    api_key_commands: tuple[str, ...] = ()
    """A pool of key commands (each like ``api_key_command``), used as ``api_keys``."""
    # tools (issue 13): the loop
    max_tool_rounds: int = 25
    """Tool rounds one turn may run (a round: the model asks for calls, they run, the
    results go back); past it the turn stops and says so."""
    tool_timeout: float = 60.0
    """Seconds one tool call may run before it is stopped with an error result."""
    max_tool_result_chars: int = 100_000
    """A tool result longer than this is cut, with a note saying so."""
    # tools (issue 13): MCP servers
    tools: tuple[str, ...] = ()
    """Which MCP tools this profile offers: server names (all of that server's tools) or
    ``SERVER__TOOL`` names; empty offers every configured server's tools."""
    allowed_tools: tuple[str, ...] = ()
    """``SERVER__TOOL`` names that run without asking (saved by "always allow")."""
    # tools (issue 13): Claude's server tools
    server_tools: tuple[str, ...] = ()
    """Anthropic's server-side tools this profile offers (``web_search``, ``web_fetch``,
    ``code_execution``): run by the API, not by claude-tui; Anthropic format only."""

    is_demo: bool = False
    """True only for the built-in demo profile served by the in-process relay."""

    def __post_init__(self) -> None:
        try:
            check_str(self.name)
        except ValueProblem as problem:
            raise ProfileValueError(("name",), problem.problem) from None
        if self.auth == _AUTO_AUTH:
            object.__setattr__(self, "auth", default_auth(self.api_format))
        values: dict[str, Any] = {}
        for key, check in FIELD_CHECKS.items():
            try:
                values[key] = check(getattr(self, key))
            except ValueProblem as problem:
                raise ProfileValueError((key, *problem.subkey), problem.problem) from None
            object.__setattr__(self, key, values[key])
        broken = cross_field_problem(values)
        if broken is not None:
            raise ProfileValueError((broken[0],), broken[1])

    def __hash__(self) -> int:
        # The generated hash would fail on the ``headers`` dict; equal profiles share these.
        return hash((self.name, self.base_url, self.model))

    # --- derived views ---------------------------------------------------------------------

    @property
    def thinking_label(self) -> str:
        """Short text for the status bar: ``off``, ``adaptive`` or ``4096 tokens``."""
        if isinstance(self.thinking, int):
            return f"{self.thinking} tokens"
        return self.thinking

    @property
    def thinking_enabled(self) -> bool:
        """Whether requests ask for extended thinking at all."""
        return self.thinking != "off"

    @property
    def thinking_budget(self) -> int | None:
        """The token budget when thinking is a fixed budget, else None."""
        return self.thinking if isinstance(self.thinking, int) else None

    @property
    def openai_thinking_dialect(self) -> OpenAIThinkingDialect:
        """``thinking_dialect`` with ``auto`` resolved for this profile's ``base_url``."""
        return resolved_thinking_dialect(self.thinking_dialect, self.base_url)

    @property
    def can_send_thinking(self) -> bool:
        """Whether a request asking for thinking carries it to this endpoint at all.

        False only for an ``openai`` profile whose dialect is ``none``: the status bar and
        ``-p`` say that thinking is not sent rather than let it be ignored silently.
        """
        return self.api_format == "anthropic" or self.openai_thinking_dialect != "none"

    @property
    def needs_key(self) -> bool:
        """Whether requests carry a key (the demo and ``auth = "none"`` do not)."""
        if self.is_demo:
            return False
        return self.auth != "none" or self.auth_header is not None

    @property
    def v1_url(self) -> str:
        """``base_url`` plus ``/v1``: the prefix of every endpoint path."""
        return f"{self.base_url}/v1"

    # --- changing and saving -----------------------------------------------------------------

    def with_changes(self, **changes: Any) -> Profile:
        """A copy with ``changes`` applied and checked (raises :class:`ProfileValueError`).

        This is also how the runtime points the demo profile at its live relay:
        ``demo.with_changes(base_url=relay.url)``.
        """
        return dataclasses.replace(self, **changes)

    def to_toml_dict(self, include: Collection[str] = ()) -> dict[str, Any]:
        """The ``[profiles.NAME]`` table to write back.

        Settings equal to their default are left out to keep the file short, except those
        named in ``include`` (the writer passes the keys the user already had, so an
        explicit ``auth = "bearer"`` survives a save). Unset optional settings are omitted.
        """
        table: dict[str, Any] = {}
        for spec in fields(self):
            if spec.name not in FIELD_CHECKS:
                continue
            value = getattr(self, spec.name)
            if value is None:
                continue
            if spec.name not in include and value == _default_of(self, spec):
                continue
            table[spec.name] = _toml_value(value)
        return table


def _default_of(profile: Profile, spec: dataclasses.Field[Any]) -> Any:
    """What a missing key would load as, for leaving defaults out of the file."""
    if spec.name == "auth":
        return default_auth(profile.api_format)
    if spec.default_factory is not dataclasses.MISSING:
        return spec.default_factory()
    return spec.default


def _toml_value(value: Any) -> Any:
    """Turn a field value into something ``tomli_w`` writes the way a user would."""
    if isinstance(value, Prices):
        return value.to_toml_dict()
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, float):
        return number_for_toml(value)
    return value


PROFILE_KEYS: tuple[str, ...] = tuple(FIELD_CHECKS)
"""The keys a ``[profiles.NAME]`` table may hold."""

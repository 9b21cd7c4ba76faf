"""The failures and reply shapes the demo relay can be asked to produce.

Clients have to survive overloaded servers, dropped connections, relays that answer with HTML
and replies far longer than usual, and relays that are hostile outright. The relay makes each of
these reproducible two ways: a test queues a ``Fault`` object, and a human types a keyword such
as ``[demo:cut]`` in a prompt.

Keywords (``N`` a number, ``S`` seconds, ``URL`` an address):

- ``[demo:status=N]`` an HTTP error (default 529); ``[demo:html]`` / ``[demo:html=N]`` an nginx
  error page; ``[demo:json200]`` a 200 that is JSON, not a stream;
- ``[demo:cut]`` drop the connection mid-reply; ``[demo:error_event]`` an ``error`` event
  mid-reply; ``[demo:stall=S]`` go silent for S seconds (default 5) after three deltas;
  ``[demo:slow=S]`` S seconds between deltas; ``[demo:long=N]`` an N-token reply;
  ``[demo:markdown=N]`` an N-token markdown-heavy reply (sections, nested bullets, a long
  list, tables, code, quotes) in deltas of at most six characters;
- ``[demo:think_tags]`` / ``[demo:reasoning_field]`` where OpenAI-style reasoning goes;
  ``[demo:no_prefill]`` refuse a trailing assistant message;
- hostile relays: ``[demo:keepalive]`` / ``[demo:keepalive=S]`` after some text, only
  ``: keep-alive`` comments (and ``ping`` events) every S seconds (default 1), forever;
  ``[demo:trickle]`` / ``[demo:trickle=S]`` after some text, one byte every S seconds (default 1)
  of a line that never ends; ``[demo:endless_line]`` after some text, one line without a
  newline, as fast as the client reads, until 64 MiB or the client hangs up;
  ``[demo:redirect=URL]`` answer ``307`` to URL (a loopback ``http://127.0.0.1:PORT``, whose
  request path is kept, or a path): a client must not send its key to another origin;
  ``[demo:split_surrogate]`` emoji cut in half across two deltas (JSON ``"\ud83d"`` then
  ``"\ude00"``); ``[demo:escapes]`` reply text holding terminal escape sequences (clear screen,
  an OSC 0 title, an OSC 52 clipboard write, a C1 CSI, BEL, backspaces);
- tool calls, when the request offers ``tools`` (see ``tool_requests``): ``[demo:tool]`` one
  call of the first offered tool, ``[demo:tool=NAME]`` of that tool, ``[demo:tools=N]`` N calls
  in one round, ``[demo:tool_rounds=N]`` ask again until N rounds were answered; a request
  ending with the results gets a text quoting them; with ``[demo:cut]`` the connection drops
  right after the calls;
- Claude's server tools, when the request offers the ``web_search`` server tool (see
  ``server_tool_replies``): ``[demo:web_search]`` a search the server ran (the call, two
  results, a cited answer), with ``[demo:pause_turn]`` stopped after the call.

Unknown keywords, and keywords with a bad argument, are ignored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

from claude_tui.demo.http_protocol import reason_phrase

FaultKind = Literal[
    "status",
    "cut",
    "error_event",
    "html",
    "json200",
    "slow",
    "stall",
    "long",
    "markdown",
    "think_tags",
    "reasoning_field",
    "no_prefill",
    "keepalive",
    "trickle",
    "endless_line",
    "redirect",
    "split_surrogate",
    "escapes",
]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)

ReasoningStyle = Literal["reasoning_content", "reasoning", "think_tags"]

HangKind = Literal["keepalive", "trickle", "endless_line"]
"""Ways a hostile reply stops making progress without ever ending."""

# Faults that replace or break the response; dropped when a request resumes an earlier reply,
# so that resuming a ``[demo:cut]`` reply can succeed.
DISRUPTIVE_KINDS = frozenset(
    {
        "status",
        "cut",
        "error_event",
        "html",
        "json200",
        "stall",
        "keepalive",
        "trickle",
        "endless_line",
        "redirect",
    }
)

MIN_HANG_INTERVAL = 0.01
"""Keep-alive and trickle intervals are at least this, so the relay never spins."""

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

ERROR_TYPES: dict[int, str] = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    409: "conflict_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    504: "timeout_error",
    529: "overloaded_error",
}

_DEFAULT_MESSAGES: dict[str, str] = {
    "invalid_request_error": "There was an issue with the format or content of your request.",
    "authentication_error": "invalid x-api-key",
    "billing_error": "Your credit balance is too low to access the Anthropic API.",
    "permission_error": "Your API key does not have permission to use the specified resource.",
    "not_found_error": "The requested resource could not be found.",
    "conflict_error": "The request conflicts with the current state of the resource.",
    "request_too_large": "Request exceeds the maximum allowed number of bytes.",
    "rate_limit_error": "Number of request tokens has exceeded your per-minute rate limit.",
    "api_error": "Internal server error",
    "timeout_error": "Request timed out",
    "overloaded_error": "Overloaded",
}

_KEYWORD = re.compile(r"\[demo:([a-z_0-9]+)(?:=([^\]\s]*))?\]", re.IGNORECASE)


def error_type_for(status: int) -> str:
    """The Anthropic ``error.type`` for an HTTP status (``api_error`` for unlisted 5xx)."""
    if status in ERROR_TYPES:
        return ERROR_TYPES[status]
    return "api_error" if status >= 500 else "invalid_request_error"


@dataclass(frozen=True)
class Fault:
    """One scripted deviation from a normal reply.

    ``kind`` selects the behaviour; ``status``, ``seconds``, ``tokens`` and ``target`` are its
    argument (``status`` for ``status``, ``html`` and ``redirect``; ``seconds`` for ``slow``,
    ``stall``, ``keepalive`` and ``trickle``; ``tokens`` for ``long`` and ``markdown``;
    ``target`` the ``Location`` of a ``redirect``). ``headers``, ``message`` and ``body``
    customise an error response.
    """

    kind: FaultKind
    status: int | None = None
    seconds: float | None = None
    tokens: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    message: str | None = None
    body: str | bytes | Mapping[str, Any] | None = None
    """Replaces the error body entirely: bytes and str are sent as-is, a mapping as JSON."""
    target: str | None = None
    """Where a ``redirect`` points: a URL (its path kept from the request when it has none)."""

    @classmethod
    def redirect(cls, target: str, status: int = 307) -> Fault:
        """A redirect, e.g. ``Fault.redirect(other_relay.base_url)`` (another origin)."""
        if status not in REDIRECT_STATUSES:
            raise ValueError(f"not a redirect status: {status}")
        return cls("redirect", status=status, target=target)

    @classmethod
    def http_error(
        cls,
        status: int,
        *,
        headers: Mapping[str, str] | None = None,
        message: str | None = None,
        body: str | bytes | Mapping[str, Any] | None = None,
    ) -> Fault:
        """An HTTP error, e.g. ``Fault.http_error(529, headers={"retry-after-ms": "10"})``."""
        return cls("status", status=status, headers=dict(headers or {}), message=message, body=body)

    @classmethod
    def parse(cls, spec: str) -> Fault:
        """Build a fault from keyword syntax without brackets: ``"status=529"``, ``"cut"``.

        Raises ``ValueError`` with a readable message for an unknown name or a bad argument.
        """
        name, _, arg = spec.strip().partition("=")
        name = name.lower()
        if name not in FAULT_KINDS:
            raise ValueError(f"Unknown demo fault {name!r}; known: {', '.join(FAULT_KINDS)}")
        kind: FaultKind = name  # type: ignore[assignment]
        try:
            if kind == "status":
                code = int(arg) if arg else 529
                if not 400 <= code <= 599:
                    raise ValueError(f"not an error status: {code}")
                headers = {"retry-after": "1"} if code == 429 else {}
                return cls(kind, status=code, headers=headers)
            if kind == "html":
                return cls(kind, status=int(arg) if arg else 200)
            if kind in ("slow", "stall"):
                default = 0.1 if kind == "slow" else 5.0
                return cls(kind, seconds=max(0.0, float(arg)) if arg else default)
            if kind in ("keepalive", "trickle"):
                seconds = float(arg) if arg else 1.0
                return cls(kind, seconds=max(MIN_HANG_INTERVAL, seconds))
            if kind == "redirect":
                return cls.redirect(_loopback_target(arg))
            if kind in ("long", "markdown"):
                # Capped so a typo cannot make the relay build gigabytes of text.
                return cls(kind, tokens=min(max(1, int(arg)), 1_000_000) if arg else 20_000)
        except ValueError as exc:
            raise ValueError(f"Bad argument for demo fault {name!r}: {arg!r}") from exc
        return cls(kind)


def _loopback_target(arg: str) -> str:
    """``arg`` when it is a path or a loopback http(s) URL: the relay never points a client
    at another machine."""
    if arg.startswith("/"):
        return arg
    parts = urlsplit(arg)
    host = (parts.hostname or "").lower()
    loopback = host == "localhost" or host == "::1" or host.startswith("127.")
    if parts.scheme not in ("http", "https") or not loopback:
        raise ValueError(f"not a loopback URL: {arg!r}")
    return arg


def redirect_location(target: str, request_target: str) -> str:
    """The ``Location`` for a redirect to ``target``: a bare origin keeps the request's path."""
    if target.startswith("/"):
        return target
    if urlsplit(target).path in ("", "/"):
        return target.rstrip("/") + request_target
    return target


def parse_keywords(text: str) -> list[Fault]:
    """Every well-formed ``[demo:NAME]`` / ``[demo:NAME=ARG]`` in ``text``, in order.

    Unknown names are skipped rather than reported: the text is a chat prompt, and a prompt
    that happens to contain such a bracket must still get an answer.
    """
    faults = []
    for match in _KEYWORD.finditer(text):
        spec = match.group(1) + (f"={match.group(2)}" if match.group(2) is not None else "")
        try:
            faults.append(Fault.parse(spec))
        except ValueError:
            continue
    return faults


def strip_keywords(text: str) -> str:
    """``text`` without its ``[demo:...]`` keywords, for quoting back to the user."""
    return _KEYWORD.sub("", text).strip()


@dataclass(frozen=True)
class ReplyPlan:
    """The combined effect of the faults that apply to one request."""

    error: Fault | None = None
    """A ``status``, ``html`` or ``json200`` fault that replaces the whole response."""
    cut: bool = False
    error_event: bool = False
    delta_delay: float | None = None
    stall_seconds: float | None = None
    long_tokens: int | None = None
    markdown_tokens: int | None = None
    """``markdown=N``: the markdown stress reply; it wins over ``long``."""
    reasoning_style: ReasoningStyle = "reasoning_content"
    no_prefill: bool = False
    hang: HangKind | None = None
    """After some text, a reply that never ends (``keepalive``, ``trickle``, ``endless_line``)."""
    hang_interval: float = 1.0
    """Seconds between keep-alives or trickled bytes."""
    split_surrogates: bool = False
    escapes: bool = False


def plan_from_faults(faults: Iterable[Fault]) -> ReplyPlan:
    """Fold faults into one plan; for the same kind, the first fault wins."""
    fields: dict[str, Any] = {}
    for fault in faults:
        match fault.kind:
            case "status" | "html" | "json200" | "redirect":
                fields.setdefault("error", fault)
            case "cut":
                fields.setdefault("cut", True)
            case "error_event":
                fields.setdefault("error_event", True)
            case "slow":
                fields.setdefault("delta_delay", fault.seconds)
            case "stall":
                fields.setdefault("stall_seconds", fault.seconds)
            case "long":
                fields.setdefault("long_tokens", fault.tokens)
            case "markdown":
                fields.setdefault("markdown_tokens", fault.tokens)
            case "think_tags":
                fields.setdefault("reasoning_style", "think_tags")
            case "reasoning_field":
                fields.setdefault("reasoning_style", "reasoning")
            case "no_prefill":
                fields.setdefault("no_prefill", True)
            case "keepalive" | "trickle" | "endless_line":
                if "hang" not in fields:
                    fields["hang"] = fault.kind
                    fields["hang_interval"] = fault.seconds or 1.0
            case "split_surrogate":
                fields.setdefault("split_surrogates", True)
            case "escapes":
                fields.setdefault("escapes", True)
    return ReplyPlan(**fields)


def anthropic_error_body(error_type: str, message: str, request_id: str) -> dict[str, Any]:
    """The error body of the Anthropic API."""
    return {
        "type": "error",
        "error": {"type": error_type, "message": message},
        "request_id": request_id,
    }


def openai_error_body(error_type: str, message: str, status: int) -> dict[str, Any]:
    """The error body of OpenAI-compatible relays."""
    return {"error": {"message": message, "type": error_type, "code": str(status)}}


@dataclass(frozen=True)
class ErrorResponse:
    """A complete non-streaming response produced by a fault."""

    status: int
    content_type: str
    body: bytes
    headers: Mapping[str, str]


def error_response(
    status: int,
    message: str | None,
    request_id: str,
    openai: bool,
    headers: Mapping[str, str] | None = None,
) -> ErrorResponse:
    """An API error in the dialect the client spoke."""
    error_type = error_type_for(status)
    text = message or _DEFAULT_MESSAGES.get(error_type, "Error")
    body = (
        openai_error_body(error_type, text, status)
        if openai
        else anthropic_error_body(error_type, text, request_id)
    )
    return ErrorResponse(status, "application/json", _json_bytes(body), dict(headers or {}))


def fault_response(
    fault: Fault, request_id: str, openai: bool, request_target: str = "/"
) -> ErrorResponse:
    """The response for a ``status``, ``html``, ``json200`` or ``redirect`` fault."""
    if fault.kind == "redirect":
        location = redirect_location(fault.target or "/", request_target)
        headers = {"location": location, **fault.headers}
        note = f"Moved to {location}\n".encode()
        return ErrorResponse(fault.status or 307, "text/plain", note, headers)
    if fault.kind == "html":
        # A proxy in front of a failing relay: the page names a gateway error even when the
        # status line claims success.
        status = fault.status or 200
        page = _nginx_page(status if status >= 400 else 502)
        return ErrorResponse(status, "text/html", page, fault.headers)
    if fault.kind == "json200":
        # What some resellers answer when their upstream fails: 200, JSON, not a stream.
        body = {"code": 500, "msg": "upstream error: no available channel", "data": None}
        return ErrorResponse(200, "application/json", _json_bytes(body), fault.headers)
    status = fault.status or 500
    if fault.body is None:
        return error_response(status, fault.message, request_id, openai, fault.headers)
    if isinstance(fault.body, bytes):
        raw = fault.body
    elif isinstance(fault.body, str):
        raw = fault.body.encode()
    else:
        raw = _json_bytes(dict(fault.body))
    return ErrorResponse(status, "application/json", raw, fault.headers)


def _nginx_page(status: int) -> bytes:
    title = f"{status} {reason_phrase(status)}"
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n"
        "</body>\r\n</html>\r\n"
    ).encode()


def _json_bytes(value: Mapping[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()

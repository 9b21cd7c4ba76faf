"""Copy as curl: a request of the log as a shell command that sends it again.

The command carries every header as it was sent, except that the key is not there: the
header that carried it names the key's variable instead (``-H "x-api-key: $RELAY_KEY"``),
so the command can be pasted into a shell where that variable is set, and shown, shared or
pasted into an issue without leaking the key. Any other secret-looking header stays masked
as the record holds it. The body goes in a quoted heredoc (no expansion at all inside it),
or, when short and on one line, as one single-quoted ``--data-raw`` argument; either way
the shell hands curl the exact bytes, whatever quotes or dollars the prompt held.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claude_tui.wire import RequestRecord

INLINE_BODY_LIMIT = 2000
"""Bodies up to this many characters, on one line, go inline as ``--data-raw '...'``; a
longer one goes in a heredoc (one argument of a command line is capped at 128 KiB on
Linux, and a heredoc has no limit)."""

DEFAULT_KEY_VARIABLE = "$API_KEY"

_VARIABLE = re.compile(r"\$[A-Za-z_][A-Za-z0-9_]*")
_PLAIN_IN_DOUBLE_QUOTES = re.compile(r"[A-Za-z0-9 _:;,./+=@%-]*")
_AUTH_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def curl_command(record: RequestRecord) -> str:
    """``record`` as a curl command line (several lines, joined by ``\\``)."""
    parts = ["curl", "-sS", "-N"]  # -N: print the event stream as it arrives
    if record.method.upper() != "POST" or record.body is None:
        parts += ["-X", shlex.quote(record.method.upper())]
    parts.append(shlex.quote(record.url))
    lines = [" ".join(parts)]
    auth = (record.auth_header or "").lower()
    for name, value in record.request_headers.items():
        if auth and name.lower() == auth:
            lines.append(f"  -H {_key_header(name, value, record.key_variable)}")
        else:
            lines.append(f"  -H {shlex.quote(f'{name}: {value}')}")
    body = record.body
    if body is None:
        return " \\\n".join(lines)
    if len(body) <= INLINE_BODY_LIMIT and "\n" not in body and "\r" not in body:
        lines.append(f"  --data-raw {shlex.quote(body)}")
        return " \\\n".join(lines)
    delimiter = _heredoc_delimiter(body)
    lines.append(f"  --data-binary @- <<'{delimiter}'")
    # The heredoc adds one newline after the body; curl sends it, and JSON ignores it.
    return " \\\n".join(lines) + f"\n{body}\n{delimiter}"


def _key_header(name: str, masked_value: str, variable: str | None) -> str:
    """The key's header with the key's variable in its place, in double quotes so the
    shell fills it in; the scheme (``Bearer``) kept when the value had one."""
    variable = variable if variable and _VARIABLE.fullmatch(variable) else DEFAULT_KEY_VARIABLE
    scheme, space, _rest = masked_value.partition(" ")
    prefix = f"{name}: {scheme} " if space and _AUTH_SCHEME.fullmatch(scheme) else f"{name}: "
    if _PLAIN_IN_DOUBLE_QUOTES.fullmatch(prefix):
        return f'"{prefix}{variable}"'
    return f'{shlex.quote(prefix)}"{variable}"'  # an odd header name: quote it on its own


def _heredoc_delimiter(body: str) -> str:
    """``JSON``, or ``JSON_2`` and on if the body holds a line that would end it early."""
    lines = set(body.splitlines())
    delimiter, number = "JSON", 1
    while delimiter in lines:
        number += 1
        delimiter = f"JSON_{number}"
    return delimiter

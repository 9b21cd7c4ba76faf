"""Secrets that are only secret by where they stand: the value of a setting named like a
password, secret, API key or token (``password = "…"``, ``secret: …``, ``API_KEY=…``,
``"token": "…"``), and the token after ``Authorization: Bearer`` in a pasted curl command
or HTTP request.

The hard part is not finding these but not finding code. ``token = os.environ["TOKEN"]``,
``password: str | None = None``, ``api_key = "..."`` and ``secret: ${{ secrets.X }}`` are
ordinary work, so a value counts only when it looks like a real value: long enough, one
word, not a placeholder, not an expression, an identifier, a type or a reference to a
variable.

Keywords are found with ``str.find`` on a lower-cased copy of the text (a fraction of what
a regular expression costs on 100 KB: ``find`` skips ahead in C, a pattern tries every
position); only the few hits go through the patterns below.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from .secret_finding import PLACEHOLDER_PREFIX, SecretFinding

ORDERLY_RUN = 6
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

_STEMS = ("pass", "secret", "key", "token", "authorization")
"""What a secret setting's name ends in (``DB_PASSWORD``, ``client_secret``, ``x-api-key``,
``github_token``), each looked for with ``str.find``."""
_PASS_WORDS = re.compile(r"pass(?:word|wd|phrase)")
_KEY_OWNER = re.compile(
    r"(?:api|access|(?P<private>private)|(?P<secret>secret)[_-]?(?:access)?)[_-]?$"
)
"""What must come before ``key`` for a name to be a secret's: ``api_key``, ``SECRET_KEY``,
``aws_secret_access_key``; a plain ``key`` (a dict key, a sort key) is not."""
_NAME_CHAR = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
"""(lower-cased) characters that continue a name: after the keyword one means the name goes
on (``token_count``, ``password_hint``, ``secret_key`` seen from ``secret``)."""

_NAME_PART = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.-")
_NOT_SECRET_NAME = re.compile(
    r"(?:next|page|continuation|change|lock|client|request|idempotency|sync|cursor|csrf"
    r"|export|resume|max|num|count)[_.-]?token$"
)
"""Tokens that are not credentials: pagination cursors, idempotency and lock tokens."""

_SEPARATOR = re.compile(r"""["'\]]?[ \t]*(?::=|=>|=(?!=)|:(?![:/]))[ \t]*""")
"""``=``, ``:``, ``:=`` or ``=>``, after an optional closing quote (``"token": …``); not
``==`` (a comparison), ``::`` (a type path) or ``://`` (a URL)."""
_VALUE = re.compile(
    r"""
      "(?P<double>[^"\n\\]*)"
    | '(?P<single>[^'\n\\]*)'
    | (?P<bare>[^\s"',;)}\]\\]+)
    """,
    re.VERBOSE,
)
_BEARER_AFTER = re.compile(
    r"""["']?[ \t]*[:=][ \t]*["']?bearer[ \t]+(?P<token>[A-Za-z0-9._~+/=-]{16,})"""
)
"""The rest of ``Authorization: Bearer <token>``, matched on the lower-cased text."""

SHORTEST_VALUE = 6
"""Shorter values are not taken for secrets: ``password = "abc"`` in an example is not one."""
SHORTEST_KEY_VALUE = 8
"""Keys and tokens are long: ``api_key = "sk-demo"`` in a test or a tutorial is not one."""

_PLACEHOLDER = re.compile(
    r"""(?ix)
      ^(?: \.{2,} | …+ | [x*#?_.-]{3,} | <[^>]*> | \{[^}]*\} | \[[^\]]*\] )$
    | ^(?: \$ | % | @ | & | \* )                     # $VAR, ${VAR}, %(name)s, @secret, &ref
    | ^(?: \.{0,2}/ | ~/ )                         # a path: secret: /run/secrets/db
    | \{\{ | \$\{ | \$\(                             # templates anywhere: {{ x }}, ${X}, $(cmd)
    | change[_-]?me | your | example | placeholder | redacted | dummy | sample | fake
    | xxxx | \*\*\* | \.\.\. | …
    """
)
"""Values that stand for a secret instead of being one."""
_NOT_A_VALUE = frozenset(
    {
        *("none", "null", "nil", "true", "false", "undefined", "required", "optional"),
        *("string", "secret", "password", "token", "hidden", "masked", "empty", "unset"),
        "default",
    }
)
_IDENTIFIER = re.compile(
    r"""(?x)
      [A-Za-z_]+                                   # str, token_value
    | [A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+               # self.password, args.api_key
    | [A-Za-z]\w*_\w*                               # api_key_v2, GITHUB_TOKEN
    | [A-Z]\w*[a-z]\w*[A-Z]\w*                       # PKCS7PrivateKeyTypes: a type
    """
)
"""An unquoted value that is a name in code rather than a value: a variable, an attribute,
a constant or a type."""
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
_KEY_ALPHABET = re.compile(r"[A-Za-z0-9._~+/=:-]+")
"""What generated keys and tokens are made of (base64, hex, base64url, prefixes)."""
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d*)?")


def lowered_alike(text: str) -> str:
    """``text`` lower-cased with every offset unchanged (the keyword searches' copy)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer (İ)
        lowered = text.translate(_ASCII_LOWER)
    return lowered


def find_assigned_secrets(text: str, lowered: str | None = None) -> Iterator[SecretFinding]:
    """Every secret-named setting with a real-looking value, and every bearer token.

    ``lowered`` is :func:`lowered_alike` of ``text``, when the caller has it already.
    """
    if lowered is None:
        lowered = lowered_alike(text)
    for stem in _STEMS:
        position = lowered.find(stem)
        while position != -1:
            finding = _finding_at(text, lowered, position, stem)
            if finding is not None:
                yield finding
            position = lowered.find(stem, position + len(stem))


def _finding_at(text: str, lowered: str, position: int, stem: str) -> SecretFinding | None:
    """The secret set by the name whose keyword ``stem`` starts at ``position``, if any."""
    end = position + len(stem)
    if stem == "pass":
        word = _PASS_WORDS.match(lowered, position)
        if word is None:
            return None
        end = word.end()
    if end < len(lowered) and lowered[end] in _NAME_CHAR:
        return None  # the name goes on: token_count, password_hint
    before = _name_before(lowered, position)
    kind = _kind_of(stem)
    if stem == "key":
        owner = _KEY_OWNER.search(before)
        if owner is None:
            return None
        kind = "secret" if owner["secret"] else "private-key" if owner["private"] else "api-key"
    if stem == "authorization":
        return _bearer_token(text, lowered, end)
    if before.startswith((":", "/")) or _NOT_SECRET_NAME.search(before + stem):
        return None  # an ARN or a path (…:secret:name), a pagination or request token
    separator = _SEPARATOR.match(text, end)
    if separator is None:
        return None
    value = _VALUE.match(text, separator.end())
    if value is None:
        return None
    group = value.lastgroup or "bare"
    start, stop = value.span(group)
    if group == "bare" and text[stop : stop + 1] in ("(", "["):
        return None  # a call or a subscript: os.environ[...], get_password()
    if _real_value(text[start:stop], quoted=group != "bare", key_like=kind != "password"):
        return SecretFinding(start, stop, kind)
    return None


def _bearer_token(text: str, lowered: str, end: int) -> SecretFinding | None:
    """The token of ``Authorization: Bearer <token>`` whose header name ends at ``end``."""
    bearer = _BEARER_AFTER.match(lowered, end)
    if bearer is None:
        return None
    start, stop = bearer.span("token")
    if _real_value(text[start:stop], quoted=False, bearer=True):
        return SecretFinding(start, stop, "bearer-token")
    return None


def _name_before(lowered: str, keyword_start: int) -> str:
    """The part of a setting's name before its keyword, with the character before the name
    when that is ``:`` or ``/`` (so the caller can tell an ARN or a URL from a setting)."""
    start = keyword_start
    while start > 0 and lowered[start - 1] in _NAME_PART:
        start -= 1
    if start > 0 and lowered[start - 1] in ":/":
        start -= 1
    return lowered[start:keyword_start]


def has_orderly_run(value: str) -> bool:
    """True when ``value`` holds six characters counting up (``123456``, ``abcdef``): made up
    by a person for an example or a test, which a generated key all but never is."""
    run = 1
    for previous, char in itertools.pairwise(value):
        run = run + 1 if ord(char) == ord(previous) + 1 and char.isalnum() else 1
        if run >= ORDERLY_RUN:
            return True
    return False


def _kind_of(stem: str) -> str:
    """The finding's kind for a setting whose name ends in ``stem``."""
    return {"pass": "password", "secret": "secret", "token": "token"}.get(stem, "api-key")


def _real_value(value: str, *, quoted: bool, key_like: bool = True, bearer: bool = False) -> bool:
    """Whether ``value`` looks like a secret someone pasted rather than code or a stand-in.

    A password may be any word of six characters or more; a key or token (``key_like``)
    is longer and carries a digit, as generated ones do.
    """
    if len(value) < SHORTEST_VALUE or value.startswith(PLACEHOLDER_PREFIX):
        return False
    if key_like and (
        len(value) < SHORTEST_KEY_VALUE
        or not any(c.isdigit() for c in value)
        or not _KEY_ALPHABET.fullmatch(value)
    ):
        return False
    if has_orderly_run(value):
        return False
    if any(c.isspace() for c in value):
        return False  # prose: "must be at least 8 characters"
    if _PLACEHOLDER.search(value) or value.lower() in _NOT_A_VALUE:
        return False
    if len(set(value)) < 3:
        return False  # 000000, aaaaaa
    if _NUMBER.fullmatch(value):
        return False
    if bearer:
        return True
    if not quoted and _IDENTIFIER.fullmatch(value):
        return False  # a variable, a type or an attribute: token = token_value
    if quoted and _ENV_NAME.fullmatch(value):
        return False  # the name of an environment variable: token = "GITHUB_TOKEN"
    return not (not quoted and ("(" in value or "[" in value or "{" in value))

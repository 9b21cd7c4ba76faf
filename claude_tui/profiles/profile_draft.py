"""A profile as typed into an editor, and the checks that turn it into a :class:`Profile`.

An editor keeps every value as text. :meth:`ProfileDraft.build` parses the numbers and the
header lines, then applies them with :meth:`Profile.with_changes` (the config loader's own
checks), so what an editor accepts is exactly what loads next time. Problems come back per
form field, worded like config errors: ``base_url must be an http:// or https:// URL, …``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .config_file import RESERVED_PROFILE_NAMES
from .errors import ProfileValueError
from .profile import Profile
from .value_checks import describe, number_for_toml

KeyKind = Literal["env", "command", "inline", "none"]
"""Where the key comes from: ``api_key_env``, ``api_key_command``, ``api_key`` or nowhere."""
ThinkingChoice = Literal["off", "adaptive", "budget"]

KEY_FIELDS: dict[KeyKind, str] = {
    "env": "api_key_env",
    "command": "api_key_command",
    "inline": "api_key",
}
DRAFT_FIELDS = (
    "name",
    "base_url",
    "api_format",
    "auth",
    "key",
    "model",
    "thinking",
    "thinking_dialect",
    "max_tokens",
    "price_multiplier",
    "headers",
    "cache",
)
"""The fields a problem can be shown beside; anything else is reported under ``"other"``."""
_FIELD_OF_KEY = {
    "api_key": "key",
    "api_key_env": "key",
    "api_key_command": "key",
    "auth_header": "auth",
}


def key_kind_of(profile: Profile) -> KeyKind:
    """Which key source ``profile`` uses."""
    if profile.api_key is not None:
        return "inline"
    if profile.api_key_env is not None:
        return "env"
    if profile.api_key_command is not None:
        return "command"
    return "none"


def key_value_of(profile: Profile, kind: KeyKind) -> str:
    """The profile's value for key source ``kind`` (variable, command or key), else ``""``."""
    field = KEY_FIELDS.get(kind)
    value = getattr(profile, field) if field else None
    return value or ""


def editable_key_value(profile: Profile, kind: KeyKind) -> str:
    """What an editor's key field starts with: never a saved inline key.

    A password field's bullets would still give away the key's length; the editor shows a
    fixed-width mask as its placeholder instead, and an empty field keeps the saved key
    (see :meth:`ProfileDraft.build`).
    """
    return "" if kind == "inline" else key_value_of(profile, kind)


def headers_text(headers: Mapping[str, str]) -> str:
    """Headers as ``Name: Value`` lines (Claude Code's ``ANTHROPIC_CUSTOM_HEADERS`` format)."""
    return "\n".join(f"{name}: {value}" for name, value in headers.items())


def parse_headers(text: str) -> dict[str, str]:
    """``Name: Value`` lines into a table; the ValueError names the line, never its content."""
    headers: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            raise ValueError(f'line {number} is not of the form "Name: Value"')
        headers[name.strip()] = value.strip()
    return headers


@dataclass(frozen=True)
class ProfileDraft:
    """Every value of the profile editor, as typed or chosen."""

    name: str
    base_url: str
    api_format: str
    """``anthropic`` or ``openai``."""
    auth: str
    """``x-api-key``, ``bearer`` or ``none``."""
    key_kind: KeyKind
    key_value: str
    """The variable name, the command or the key itself, depending on ``key_kind``; an
    empty inline key keeps ``base``'s saved one."""
    model: str
    thinking: ThinkingChoice
    thinking_budget: str
    """Tokens, read only when ``thinking`` is ``"budget"``."""
    max_tokens: str
    price_multiplier: str
    headers: str
    """``Name: Value`` lines."""
    thinking_dialect: str = "auto"
    """How an ``openai`` profile asks for thinking (the editor shows it for those only)."""
    cache: str = "auto"
    """Prompt caching: ``auto``, ``1h`` or ``off``."""

    @classmethod
    def from_profile(cls, profile: Profile) -> ProfileDraft:
        """The draft an editor starts from to change ``profile``."""
        kind = key_kind_of(profile)
        budget = profile.thinking_budget
        thinking: ThinkingChoice = (
            "budget" if isinstance(profile.thinking, int) else profile.thinking
        )
        return cls(
            name=profile.name,
            base_url=profile.base_url,
            api_format=profile.api_format,
            auth=profile.auth,
            key_kind=kind,
            key_value=editable_key_value(profile, kind),
            model=profile.model,
            thinking=thinking,
            thinking_budget=str(budget) if budget is not None else "",
            max_tokens=str(profile.max_tokens),
            price_multiplier=str(number_for_toml(profile.price_multiplier)),
            headers=headers_text(profile.headers),
            thinking_dialect=profile.thinking_dialect,
            cache=profile.cache,
        )

    def build(
        self,
        base: Profile,
        *,
        original_name: str | None = None,
        taken_names: Collection[str] = (),
    ) -> tuple[Profile | None, dict[str, str]]:
        """``base`` changed as the draft says, or None, and the problems keyed by field.

        ``original_name`` is the name being edited (it may be kept); the draft may not take
        any other of ``taken_names`` nor a built-in name. Settings the draft does not cover
        are kept from ``base``; the result is never the demo profile.
        """
        errors: dict[str, str] = {}
        changes: dict[str, Any] = {
            "base_url": self.base_url,
            "api_format": self.api_format,
            "auth": self.auth,
            "model": self.model,
            "thinking_dialect": self.thinking_dialect,
            "cache": self.cache,
            "api_key": None,
            "api_key_env": None,
            "api_key_command": None,
        }
        name = self.name.strip()
        if not name:
            errors["name"] = "name must not be empty"
        elif name != original_name and name in RESERVED_PROFILE_NAMES:
            errors["name"] = f"name {describe(name)} is reserved for a built-in profile"
        elif name != original_name and name in taken_names:
            errors["name"] = f"there is already a profile named {describe(name)}"
        else:
            changes["name"] = name

        if self.key_kind != "none":
            if self.key_value.strip():
                changes[KEY_FIELDS[self.key_kind]] = self.key_value
            elif self.key_kind == "inline" and base.api_key is not None:
                changes["api_key"] = base.api_key  # the field was left as it opened
            else:
                errors["key"] = _missing_key_problem(self.key_kind)

        for field, text, parse in (
            ("max_tokens", self.max_tokens, _parse_int),
            ("price_multiplier", self.price_multiplier, _parse_number),
            ("thinking", self.thinking_budget, _parse_int),
            ("headers", self.headers, parse_headers),
        ):
            if field == "thinking" and self.thinking != "budget":
                changes["thinking"] = self.thinking
                continue
            try:
                changes[field] = parse(text)
            except ValueError as problem:
                label = "thinking budget" if field == "thinking" else field
                errors[field] = f"{label} {problem}"

        try:
            profile = base.with_changes(is_demo=False, **changes)
        except ProfileValueError as error:
            field = _FIELD_OF_KEY.get(error.key[0], error.key[0]) if error.key else "other"
            errors.setdefault(field if field in DRAFT_FIELDS else "other", str(error))
            return None, errors
        return (None if errors else profile), errors


def _missing_key_problem(kind: KeyKind) -> str:
    if kind == "env":
        return "key: enter the name of the environment variable holding the key"
    if kind == "command":
        return "key: enter the command that prints the key"
    return 'key: paste the key, or choose "No key"'


def _parse_int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ValueError(f"must be a whole number, not {describe(text)}") from None


def _parse_number(text: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise ValueError(f"must be a number, not {describe(text)}") from None

"""What a session asks of its endpoint: one typed record, saved in the session file.

A session's settings used to live in four shapes (the profile, the session header's strings,
the live settings of the UI, the request) with parsing between them, and a profile switch
saved only half of them. Now a :class:`SessionSettings` is the one record: the session file
holds it whole (header, then a ``meta`` record per change), :class:`Conversation` is its only
writer and the one place that turns it into a request, and print mode, the UI and resume
read it. It starts from a profile (:meth:`SessionSettings.from_profile`) and every change
after that is the session's own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, get_args

from claude_tui.profiles.profile_values import MIN_THINKING_BUDGET, Effort, Thinking

if TYPE_CHECKING:
    from claude_tui.profiles.profile import Profile

DEFAULT_MAX_TOKENS = 8192
"""Used only for a session whose file predates saved settings and names no profile."""

_EFFORTS = frozenset(get_args(Effort))


@dataclass(frozen=True, slots=True)
class SessionSettings:
    """Everything the next request of a session uses that the user can change."""

    profile: str
    """The profile (endpoint) the session talks to, by name."""
    model: str
    """The model the next request asks for."""
    thinking: Thinking = "off"
    """Extended thinking: ``"off"``, ``"adaptive"`` or a budget in tokens."""
    effort: Effort | None = None
    """Effort for adaptive thinking (``low`` ... ``max``), or None for the model's default."""
    system: str | None = None
    """The system prompt, or None for none."""
    max_tokens: int = DEFAULT_MAX_TOKENS
    """The most tokens one reply may use."""
    temperature: float | None = None
    """Sampling temperature, or None for the endpoint's default (never sent with thinking)."""

    @classmethod
    def from_profile(
        cls, profile: Profile, *, model: str | None = None, system: str | None = None
    ) -> SessionSettings:
        """A new session's settings: the profile's, with an optional model or system prompt."""
        return cls(
            profile=profile.name,
            model=model or profile.model,
            thinking=profile.thinking,
            effort=profile.effort,
            system=system or profile.system,
            max_tokens=profile.max_tokens,
            temperature=profile.temperature,
        )

    def switched_to(
        self, profile: Profile, *, model: str | None = None, previous: Profile | None = None
    ) -> SessionSettings:
        """These settings moved to ``profile``: ``/profile`` and F2 (``previous`` is the
        profile left), or an F6 edit of the session's own profile (``previous`` is how it
        was before the edit).

        Everything a profile defines (model, thinking, effort, max_tokens, temperature) comes
        from ``profile``. The system prompt stays when the session set its own (one that is
        not ``previous``'s); one that came from the profile is replaced by ``profile``'s.
        """
        own_system = self.system
        if previous is not None and own_system == previous.system:
            own_system = None
        return dataclasses.replace(
            SessionSettings.from_profile(profile, model=model),
            system=own_system or profile.system,
        )

    def changed(self, **changes: Any) -> SessionSettings:
        """A copy with ``changes`` applied (field names as above)."""
        return dataclasses.replace(self, **changes)

    @property
    def thinking_enabled(self) -> bool:
        """Whether the model is asked to think (a budget, or adaptive)."""
        return self.thinking != "off"

    @property
    def thinking_label(self) -> str:
        """Thinking as the status bar shows it: ``off``, ``adaptive``, ``4096 tok``."""
        if isinstance(self.thinking, int):
            return f"{self.thinking} tok"
        if self.thinking == "adaptive" and self.effort:
            return f"adaptive ({self.effort})"
        return self.thinking

    def to_json(self) -> dict[str, Any]:
        """The record as saved in a session file."""
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: object, *, fallback: SessionSettings) -> SessionSettings:
        """Settings read from a session file; a field that is missing or not valid keeps
        ``fallback``'s value, so a hand-edited or damaged file still loads."""
        if not isinstance(data, Mapping):
            return fallback
        values: dict[str, Any] = {}
        for name, check in _FIELD_CHECKS.items():
            if name in data and check(data[name]):
                values[name] = data[name]
        return dataclasses.replace(fallback, **values)

    @classmethod
    def from_legacy(
        cls,
        *,
        profile: str,
        model: str,
        system: str | None,
        thinking: str | None,
        fallback: SessionSettings | None = None,
    ) -> SessionSettings:
        """Settings from a header written before settings were saved whole (the thinking
        mode as a string, nothing of effort, max_tokens or temperature)."""
        base = fallback or cls(profile=profile, model=model)
        return dataclasses.replace(
            base, profile=profile, model=model, system=system, thinking=parse_thinking(thinking)
        )


def parse_thinking(value: object) -> Thinking:
    """A thinking setting from how older files spelled it (``"4096"``); "off" if unknown."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= MIN_THINKING_BUDGET:
        return value
    if isinstance(value, str):
        if value in ("off", "adaptive"):
            return value  # type: ignore[return-value]  # narrowed to the literal above
        if value.isdigit() and int(value) >= MIN_THINKING_BUDGET:
            return int(value)
    return "off"


def _is_thinking(value: object) -> bool:
    return value in ("off", "adaptive") or (
        isinstance(value, int) and not isinstance(value, bool) and value >= MIN_THINKING_BUDGET
    )


def _is_positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _is_optional_number(value: object) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


_FIELD_CHECKS: dict[str, Any] = {
    "profile": lambda value: isinstance(value, str),
    "model": lambda value: isinstance(value, str),
    "thinking": _is_thinking,
    "effort": lambda value: value is None or value in _EFFORTS,
    "system": lambda value: value is None or isinstance(value, str),
    "max_tokens": _is_positive_int,
    "temperature": _is_optional_number,
}

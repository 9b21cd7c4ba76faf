"""Generic checks for values read from TOML, and the wording of their failures.

Each check returns the value in its normalised form or raises :class:`ValueProblem` whose
text is a predicate ("must be a whole number, not \"8192\""), so the caller can put the
dotted key and its location in front of it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar, cast

_T = TypeVar("_T")


class ValueProblem(ValueError):
    """A value failed its check; ``subkey`` names the offending part inside a table."""

    def __init__(self, problem: str, subkey: tuple[str, ...] = ()) -> None:
        self.problem = problem
        self.subkey = subkey
        super().__init__(problem)


def number_for_toml(value: float) -> float:
    """Write ``600.0`` as ``600``: the loader reads either, and users wrote the short form."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


# --- describing values in messages -------------------------------------------------------


def describe(value: object) -> str:
    """Show a value the way the user wrote it in TOML, short enough for a one-line error."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return json.dumps(shown, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)
    return type_name(value)


def type_name(value: object) -> str:
    """A TOML-flavoured name for the type of ``value``, with its article."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "a table"
    return "a date or time"


def one_of(choices: Sequence[object]) -> str:
    """``"a" or "b"`` / ``"a", "b" or "c"`` for enum messages."""
    shown = [describe(choice) for choice in choices]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """`` (did you mean "x"?)`` when ``word`` looks like a typo of a choice, else ``""``."""
    import difflib  # only for a bad value; kept out of the launch

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


# --- scalar checks -----------------------------------------------------------------------


def check_str(value: object, *, secret: bool = False) -> str:
    """A non-empty string; ``secret`` keeps the value itself out of the message."""
    if not isinstance(value, str):
        shown = type_name(value) if secret else describe(value)
        raise ValueProblem(f"must be a string, not {shown}")
    if not value.strip():
        raise ValueProblem("must not be empty")
    return value


def check_single_line(value: object, *, secret: bool = False) -> str:
    """A non-empty string without line breaks (it ends up in an HTTP header)."""
    text = check_str(value, secret=secret)
    if "\n" in text or "\r" in text:
        raise ValueProblem("must be on one line (it is sent as an HTTP header)")
    return text.strip()


def check_text(value: object) -> str:
    """Any string, empty allowed (a system prompt may be deliberately blank)."""
    if not isinstance(value, str):
        raise ValueProblem(f"must be a string, not {describe(value)}")
    return value


def check_int(value: object, *, minimum: int = 0) -> int:
    """A whole number of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueProblem(f"must be a whole number, not {describe(value)}")
    if value < minimum:
        raise ValueProblem(f"must be at least {minimum}, not {value}")
    return value


def check_number(
    value: object, *, minimum: float = 0.0, maximum: float | None = None, positive: bool = False
) -> float:
    """A number (whole or decimal) in range; returned as a float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueProblem(f"must be a number, not {describe(value)}")
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueProblem("must be a finite number")
    if positive and number <= 0:
        raise ValueProblem(f"must be greater than 0, not {describe(value)}")
    if number < minimum or (maximum is not None and number > maximum):
        upper = f" and {number_for_toml(maximum)}" if maximum is not None else ""
        word = "between" if maximum is not None else "at least"
        raise ValueProblem(f"must be {word} {number_for_toml(minimum)}{upper}, not {value}")
    return number


def check_choice(value: object, choices: Sequence[_T]) -> _T:
    """One of ``choices`` (strings), with a did-you-mean hint for typos."""
    if value in choices and isinstance(value, str):
        return cast(_T, value)
    hint = did_you_mean(value, [str(c) for c in choices]) if isinstance(value, str) else ""
    raise ValueProblem(f"must be {one_of(choices)}, not {describe(value)}{hint}")


def optional(check: Callable[[object], _T]) -> Callable[[object], _T | None]:
    """Let ``None`` (an unset optional field) through ``check`` untouched."""

    def check_optional(value: object) -> _T | None:
        return None if value is None else check(value)

    return check_optional

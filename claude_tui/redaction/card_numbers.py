"""Payment card numbers: 13 to 19 digits, alone or grouped by spaces or dashes, that pass
the Luhn check and start like a card a network issues.

One random number in ten passes Luhn, so the check alone would flag every tenth order id
or timestamp in a log. What narrows it: the issuer prefix (2221-2720, 3, 4, 5, 6: a Unix
time in milliseconds or a snowflake id starts with 1), groups of one width throughout (a
date and a time have mixed separators), and no digit, letter, dot or comma touching the
run (a hex hash, a float's decimals, a longer digit string); and an unbroken run only
counts after a word that says "card".
"""

from __future__ import annotations

import re

from .secret_finding import SecretFinding

CARD_SEEDS = "|".join(
    [f"{d}[0-9]{{3}}[ -]?[0-9]{{4}}[ -]?[0-9]{{4}}[ -]?[0-9]" for d in "23456"]
    + ["3[0-9]{3}[ -]?[0-9]{6}[ -]?[0-9]{4}"]
)
"""Where a card number can start: the first 13 digits (or an Amex's 4-6-4), one
alternative per leading digit so that the combined pattern of :mod:`.secret_scan` keeps
starting every alternative with a literal (the engine's fast skip)."""
_CARD = re.compile(
    r"""(?x)
      [2-6][0-9]{3}(?P<sep>[ -]?)[0-9]{4}(?P=sep)[0-9]{4}(?P=sep)[0-9]{1,4}(?:(?P=sep)[0-9]{1,3})?
    | 3[0-9]{3}(?P<amex>[ -]?)[0-9]{6}(?P=amex)[0-9]{4,5}   # American Express / Diners: 4-6-5
    """
)
"""A whole card number, its groups one width apart throughout."""
_CARD_WORDS = re.compile(r"card|credit|debit|visa|master|amex|payment|billing|\bcc|\bpan\b")
"""Words that say an unbroken run of digits after them is a card number ("cc" and "pan" as
words of their own, not inside "access" or "company")."""
CARD_WORD_REACH = 40
"""How far before the number, on its line, the word may stand."""
_TOUCHING = frozenset("0123456789.,_+/:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
"""A character next to a card number that makes it part of something else."""
_LENGTHS_BY_PREFIX: tuple[tuple[str, range], ...] = (
    ("4", range(13, 20)),  # Visa 13, 16, 19
    ("5", range(16, 17)),  # Mastercard 51-55
    ("2", range(16, 17)),  # Mastercard 2221-2720
    ("34", range(15, 16)),  # American Express
    ("37", range(15, 16)),
    ("3", range(14, 20)),  # Diners 14-19, JCB 16-19
    ("6", range(16, 20)),  # Discover, UnionPay, Maestro
)


def card_number_at(text: str, lowered: str, start: int) -> SecretFinding | None:
    """The Luhn-valid card number starting at ``start`` (where a seed matched), if any.

    An unbroken run of digits counts only shortly after a card word on its line: a
    16-digit order id passes Luhn as often as one time in ten. ``lowered`` is ``text``
    lower-cased, offsets unchanged (searched in place: no copy per candidate).
    """
    if start > 0 and text[start - 1] in _TOUCHING:
        return None
    if text[start + 4] not in " -":
        line_start = max(lowered.rfind("\n", 0, start) + 1, start - CARD_WORD_REACH)
        if _CARD_WORDS.search(lowered, line_start, start) is None:
            return None  # unbroken digits (an order id, a seed) with no word saying "card"
    match = _CARD.match(text, start)
    if match is None:
        return None
    end = match.end()
    after = text[end : end + 2]
    if after[:1].isalnum() or after[:1] == "_" or (after[:1] in " -.,:/" and after[1:].isdigit()):
        return None  # a longer run, a longer group, a decimal
    if not is_card_number(re.sub(r"[ -]", "", match.group())):
        return None
    return SecretFinding(start, end, "card-number")


def is_card_number(digits: str) -> bool:
    """Whether a run of digits has a card's prefix and length and passes the Luhn check."""
    if not _has_card_shape(digits) or len(set(digits)) < 3:
        return False
    return luhn_valid(digits)


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check every card number carries in its last digit."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _has_card_shape(digits: str) -> bool:
    if digits.startswith("2") and not 2221 <= int(digits[:4]) <= 2720:
        return False
    if digits.startswith("5") and digits[1] not in "12345":
        return False
    for prefix, lengths in _LENGTHS_BY_PREFIX:
        if digits.startswith(prefix):
            return len(digits) in lengths
    return False

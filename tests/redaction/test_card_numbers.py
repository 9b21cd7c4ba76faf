"""Card numbers: Luhn-valid, 13-19 digits, grouped or not; and the ids, timestamps, hashes
and floats that are not cards."""

from __future__ import annotations

import pytest

from claude_tui.redaction import find_secrets
from claude_tui.redaction.card_numbers import is_card_number, luhn_valid

from . import secret_samples as s


def found(text: str) -> list[str]:
    return [text[f.start : f.end] for f in find_secrets(text) if f.kind == "card-number"]


def grouped(digits: str, sep: str, widths: tuple[int, ...] = (4, 4, 4, 4)) -> str:
    parts, position = [], 0
    for width in widths:
        parts.append(digits[position : position + width])
        position += width
    return sep.join(parts)


def test_luhn() -> None:
    assert luhn_valid(s.VISA)
    assert not luhn_valid(s.VISA[:-1] + str((int(s.VISA[-1]) + 1) % 10))
    assert is_card_number(s.AMEX)


@pytest.mark.parametrize("sep", [" ", "-"])
def test_grouped_card_numbers_are_found(sep: str) -> None:
    card = grouped(s.VISA, sep)
    assert found(f"charge {card} please") == [card]
    amex = grouped(s.AMEX, sep, (4, 6, 5))
    assert found(f"amex: {amex}.") == [amex]


def test_an_unbroken_card_number_is_found_after_a_word_saying_card() -> None:
    assert found(f'{{"card_number": "{s.VISA}"}}') == [s.VISA]
    assert found(f"my visa is {s.VISA}.") == [s.VISA]


@pytest.mark.parametrize(
    "text",
    [
        f"order={s.VISA} status=200",  # an unbroken id with no word saying card
        grouped(s.VISA[:-1] + str((int(s.VISA[-1]) + 1) % 10), " "),  # fails Luhn
        f"4{s.VISA}",  # part of a longer digit run
        f"{s.VISA}7",
        f"sha256 a{s.VISA}f",  # inside a hash
        f"card ratio 0.{s.VISA}",  # a float's decimals
        "card ts=1700000000000 and 1733011200000123",  # timestamps start with 1
        "card 2024-0105-1234-5678",  # 2024 is no issuer
        f"card {grouped(s.VISA, ' ', (4, 4, 4))}-{s.VISA[12:]}",  # mixed separators
        "card 4444 4444 4444 4444",  # one repeated digit
    ],
)
def test_numbers_that_are_not_cards_are_not_found(text: str) -> None:
    assert found(text) == []

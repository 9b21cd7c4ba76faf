"""Text from outside loses its terminal control sequences, even when split across deltas."""

from __future__ import annotations

import pytest

from claude_tui.terminal_text import TerminalTextFilter, safe_for_terminal

SEQUENCES = {
    "csi clear screen": "\x1b[2J\x1b[H",
    "csi colour": "\x1b[1;31m",
    "csi private mode": "\x1b[?1049h",
    "8-bit csi": "\x9b2J",
    "osc title, bel": "\x1b]0;pwned\x07",
    "osc title, st": "\x1b]2;pwned\x1b\\",
    "osc 52 clipboard": "\x1b]52;c;Y3VybCBldmlsLnNofHNo\x07",
    "osc 8 hyperlink": "\x1b]8;;https://evil.example\x1b\\",
    "8-bit osc, 8-bit st": "\x9d0;pwned\x9c",
    "dcs": "\x1bP1$r0m\x1b\\",
    "8-bit dcs": "\x90q#0;2;0;0;0\x9c",
    "apc": "\x1b_Gf=100;AAAA\x1b\\",
    "pm": "\x1b^private\x1b\\",
    "sos": "\x1bXstart of string\x1b\\",
    "full reset": "\x1bc",
    "charset": "\x1b(0",
    "keypad mode": "\x1b=",
}


@pytest.mark.parametrize("sequence", SEQUENCES.values(), ids=SEQUENCES.keys())
def test_every_sequence_kind_is_removed(sequence: str) -> None:
    assert safe_for_terminal(f"before{sequence}after") == "beforeafter"


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x08", "\r", "\x0b", "\x0c", "\x7f", "\x85"])
def test_stray_control_characters_are_removed(control: str) -> None:
    assert safe_for_terminal(f"a{control}b") == "ab"


def test_unterminated_string_sequence_is_removed_to_the_end() -> None:
    assert safe_for_terminal("visible\x1b]52;c;AAAA") == "visible"
    assert safe_for_terminal("visible\x1b[12") == "visible"
    assert safe_for_terminal("visible\x1b") == "visible"


@pytest.mark.parametrize(
    "text",
    [
        "plain ascii, with punctuation: [1;31m] ]0; \\ ^ _",
        "lines\nand\ttabs\n",
        "emoji 🎉👩‍💻 and flags 🇫🇷",
        "中文、日本語、한국어",
        "accents: café naïve Ünïcödé, math ∑ ≤ ∞",
        "",
    ],
)
def test_harmless_text_is_unchanged(text: str) -> None:
    assert safe_for_terminal(text) == text
    assert "".join(TerminalTextFilter().feed(ch) for ch in text) == text


def test_no_copy_when_nothing_to_remove() -> None:
    text = "nothing to do here " * 10
    assert safe_for_terminal(text) is text


def feed_all(deltas: list[str]) -> str:
    stream = TerminalTextFilter()
    return "".join(stream.feed(delta) for delta in deltas) + stream.flush()


@pytest.mark.parametrize("sequence", SEQUENCES.values(), ids=SEQUENCES.keys())
def test_a_sequence_split_at_every_point_is_still_removed(sequence: str) -> None:
    text = f"before{sequence}after"
    for cut in range(len(text) + 1):
        assert feed_all([text[:cut], text[cut:]]) == "beforeafter", cut
    assert feed_all(list(text)) == "beforeafter"


def test_text_before_a_split_sequence_is_not_held_back() -> None:
    stream = TerminalTextFilter()
    assert stream.feed("hello \x1b]0;ti") == "hello "
    assert stream.feed("tle\x07world") == "world"
    assert stream.feed("\x1b") == ""
    assert stream.feed("[31mred") == "red"


def test_an_unterminated_sequence_is_dropped_at_the_end_of_the_stream() -> None:
    stream = TerminalTextFilter()
    assert stream.feed("ok\x1b]52;c;") == "ok"
    assert stream.feed("AAAA" * 10) == ""
    assert stream.flush() == ""
    assert stream.feed("next reply") == "next reply"


def test_a_never_ending_sequence_holds_back_bounded_memory() -> None:
    stream = TerminalTextFilter()
    stream.feed("\x1b]52;c;")
    for _ in range(100):
        assert stream.feed("A" * 1000) == ""
    assert len(stream._held) <= 5000
    assert stream.feed("\x07after") == "after"

"""ThinkTagSplitter: ``<think>`` reasoning split out of streamed content, tags cut anywhere."""

from __future__ import annotations

import random

import pytest

from claude_tui.wire.think_tag_splitter import Segment, ThinkTagSplitter


def run(chunks: list[str]) -> list[Segment]:
    splitter = ThinkTagSplitter()
    segments: list[Segment] = []
    for piece in chunks:
        segments.extend(splitter.feed(piece))
    segments.extend(splitter.flush())
    return segments


def merged(segments: list[Segment]) -> list[Segment]:
    """Adjacent segments of the same kind joined: how they render."""
    out: list[Segment] = []
    for kind, text in segments:
        if out and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1] + text)
        else:
            out.append((kind, text))
    return out


def test_plain_text_passes_through() -> None:
    assert run(["hello ", "world"]) == [("text", "hello "), ("text", "world")]


def test_whole_tags_in_one_chunk() -> None:
    assert run(["<think>hmm</think>Answer"]) == [("thinking", "hmm"), ("text", "Answer")]


def test_text_before_think() -> None:
    assert merged(run(["Intro <think>x</think> outro"])) == [
        ("text", "Intro "),
        ("thinking", "x"),
        ("text", " outro"),
    ]


SAMPLE = "<think>reason about it</think>The answer is 4."


@pytest.mark.parametrize("cut", range(len(SAMPLE) + 1))
def test_split_at_every_position(cut: int) -> None:
    segments = run([SAMPLE[:cut], SAMPLE[cut:]])
    assert merged(segments) == [("thinking", "reason about it"), ("text", "The answer is 4.")]
    assert all(text for _kind, text in segments)  # never an empty segment


@pytest.mark.parametrize(
    ("first", "second"), [(i, j) for i in range(1, 30, 3) for j in range(2, 40, 5)]
)
def test_split_in_three_pieces(first: int, second: int) -> None:
    a, b = sorted((first, second))
    segments = run([SAMPLE[:a], SAMPLE[a:b], SAMPLE[b:]])
    assert merged(segments) == [("thinking", "reason about it"), ("text", "The answer is 4.")]


def test_one_character_at_a_time() -> None:
    segments = run(list(SAMPLE))
    assert merged(segments) == [("thinking", "reason about it"), ("text", "The answer is 4.")]


def test_partial_tag_is_held_back_until_decided() -> None:
    splitter = ThinkTagSplitter()
    assert splitter.feed("abc<thi") == [("text", "abc")]
    assert splitter.feed("nk>x") == [("thinking", "x")]
    assert splitter.feed("</") == []
    assert splitter.feed("think>y") == [("text", "y")]


@pytest.mark.parametrize(
    "text",
    ["a < b", "x<y", "<", "<t", "1 <= 2", "<thing>", "<thin k>", "<div>html</div>", "</think>"],
)
def test_less_than_that_is_not_a_tag_stays_text(text: str) -> None:
    assert merged(run([text])) == [("text", text)]
    assert merged(run(list(text))) == [("text", text)]


def test_held_back_lookalike_is_released_when_disproved() -> None:
    splitter = ThinkTagSplitter()
    assert splitter.feed("a <th") == [("text", "a ")]
    assert splitter.feed("ing") == [("text", "<thing")]


def test_unclosed_think_is_flushed_as_thinking() -> None:
    assert merged(run(["<think>still going"])) == [("thinking", "still going")]
    splitter = ThinkTagSplitter()
    splitter.feed("<think>cut mid </thi")
    assert splitter.flush() == [("thinking", "</thi")]


def test_partial_open_tag_at_end_is_text() -> None:
    splitter = ThinkTagSplitter()
    assert splitter.feed("tail <thin") == [("text", "tail ")]
    assert splitter.flush() == [("text", "<thin")]
    assert splitter.flush() == []


def test_several_think_sections() -> None:
    assert merged(run(["<think>a</think>b<think>c</think>d"])) == [
        ("thinking", "a"),
        ("text", "b"),
        ("thinking", "c"),
        ("text", "d"),
    ]


def test_empty_chunks_and_empty_think() -> None:
    assert run(["", "<think></think>", "", "x"]) == [("text", "x")]


def test_random_chunkings_preserve_content() -> None:
    rng = random.Random(1234)
    alphabet = ["<think>", "</think>", "<", ">", "/", "t", "h", "i", "n", "k", "a", " ", "é"]
    for _ in range(300):
        source = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        cuts = sorted(rng.sample(range(len(source) + 1), k=min(3, len(source) + 1)))
        pieces = [source[i:j] for i, j in zip([0, *cuts], [*cuts, len(source)], strict=True)]
        assert merged(run(pieces)) == reference(source), (source, pieces)


def reference(source: str) -> list[Segment]:
    """The whole text split at once: the meaning chunking must not change."""
    segments: list[Segment] = []
    thinking = False
    while source:
        tag = "</think>" if thinking else "<think>"
        position = source.find(tag)
        if position < 0:
            segments.append(("thinking" if thinking else "text", source))
            break
        segments.append(("thinking" if thinking else "text", source[:position]))
        source = source[position + len(tag) :]
        thinking = not thinking
    return merged([s for s in segments if s[1]])


@pytest.mark.parametrize(
    "chunks",
    [
        ["<think>\nreason\n</think>\n\nThe answer."],
        ["<think>\n", "reason", "\n</think>\n\n", "The answer."],
        ["<think>reason</think>\n", "\n", "\r\nThe answer."],
        ["<think>reason</", "think>", "\n\n", "The answer."],
    ],
    ids=["one-chunk", "demo-relay-chunks", "breaks-in-pieces", "tag-split"],
)
def test_no_blank_lines_open_the_reply_after_think(chunks: list[str]) -> None:
    text = "".join(piece for kind, piece in run(chunks) if kind == "text")
    assert text == "The answer."


def test_line_breaks_after_a_later_think_stay() -> None:
    assert merged(run(["Intro\n<think>x</think>\n\nmore"])) == [
        ("text", "Intro\n"),
        ("thinking", "x"),
        ("text", "\n\nmore"),
    ]


def test_line_breaks_inside_the_reply_stay() -> None:
    text = "".join(p for k, p in run(["<think>x</think>\n\nOne.\n\nTwo."]) if k == "text")
    assert text == "One.\n\nTwo."

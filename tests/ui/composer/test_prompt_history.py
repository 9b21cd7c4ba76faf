"""Prompt history: persistence, tolerance of damaged files, navigation (pure, no Textual)."""

from __future__ import annotations

import json
from pathlib import Path

from claude_tui import paths
from claude_tui.ui.prompt_history import PromptHistory


def test_default_path_is_the_data_folder_file() -> None:
    history = PromptHistory()
    history.add("hello")
    assert history.path == paths.prompt_history_file()
    assert paths.prompt_history_file().exists()


def test_prompts_persist_across_instances(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    first = PromptHistory(path)
    first.add("one")
    first.add("two\nlines")
    assert PromptHistory(path).entries == ("one", "two\nlines")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["text"] for line in lines] == ["one", "two\nlines"]


def test_blank_and_consecutive_duplicates_are_skipped(tmp_path: Path) -> None:
    history = PromptHistory(tmp_path / "h.jsonl")
    for text in ("a", "a", "  ", "", "b", "a"):
        history.add(text)
    assert history.entries == ("a", "b", "a")
    assert len((tmp_path / "h.jsonl").read_text().splitlines()) == 3


def test_torn_and_invalid_lines_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    path.write_text(
        '{"text": "good one"}\n'
        "not json\n"
        '{"other": 1}\n'
        '"a bare string"\n'
        '{"text": "good two"}\n'
        '{"text": "torn',
        encoding="utf-8",
    )
    history = PromptHistory(path)
    assert history.entries == ("good one", "good two")
    # The next append must not be glued onto the torn line.
    history.add("after")
    assert PromptHistory(path).entries == ("good one", "good two", "after")


def test_load_keeps_only_the_newest_limit(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    path.write_text("".join(json.dumps({"text": f"p{i}"}) + "\n" for i in range(10)))
    assert PromptHistory(path, limit=3).entries == ("p7", "p8", "p9")


def test_file_is_compacted_past_twice_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    history = PromptHistory(path, limit=3)
    for i in range(6):
        history.add(f"p{i}")
    assert len(path.read_text().splitlines()) == 6  # Not yet past 2 x limit.
    history.add("p6")
    assert len(path.read_text().splitlines()) == 3
    assert history.entries == ("p4", "p5", "p6")
    assert PromptHistory(path, limit=3).entries == ("p4", "p5", "p6")


def test_compaction_keeps_prompts_from_another_instance(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    ours = PromptHistory(path, limit=2)
    theirs = PromptHistory(path, limit=2)
    ours.add("a")
    ours.add("b")
    ours.add("c")
    theirs.add("from other")
    ours.add("d")  # 5 lines > 4: compaction reads the file again.
    assert PromptHistory(path, limit=2).entries == ("from other", "d")


def test_previous_walks_back_and_next_restores_the_draft(tmp_path: Path) -> None:
    history = PromptHistory(tmp_path / "h.jsonl")
    for text in ("first", "second", "third"):
        history.add(text)
    assert history.next() is None  # Not browsing yet.
    assert history.previous("my draft") == "third"
    assert history.is_browsing
    assert history.previous("ignored") == "second"
    assert history.previous("ignored") == "first"
    assert history.previous("ignored") is None  # Oldest reached; stays there.
    assert history.next() == "second"
    assert history.next() == "third"
    assert history.next() == "my draft"
    assert not history.is_browsing
    assert history.next() is None


def test_previous_on_empty_history(tmp_path: Path) -> None:
    history = PromptHistory(tmp_path / "h.jsonl")
    assert history.previous("draft") is None
    assert not history.is_browsing


def test_add_and_reset_stop_browsing(tmp_path: Path) -> None:
    history = PromptHistory(tmp_path / "h.jsonl")
    history.add("one")
    history.add("two")
    history.previous("draft")
    history.reset()
    assert not history.is_browsing
    assert history.previous("new draft") == "two"
    history.add("three")
    assert history.previous("") == "three"


def test_unwritable_history_keeps_working_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    history = PromptHistory(blocker / "h.jsonl")
    history.add("still remembered")
    assert history.entries == ("still remembered",)


def test_the_file_is_read_on_first_use_not_at_launch(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    history = PromptHistory(path)  # the app makes this while launching
    path.write_text(json.dumps({"text": "sent from another window"}) + "\n")
    assert history.previous("draft") == "sent from another window"

"""The pure parts of the ways in: path completion, @mentions, pasted paths, the clipboard."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from claude_tui.attachments import ClipboardError
from claude_tui.attachments.clipboard_image import clipboard_image
from claude_tui.attachments.pasted_paths import pasted_file_paths
from claude_tui.attachments.path_completion import (
    complete_path,
    mention_being_typed,
    mentioned_files,
)
from claude_tui.ui.slash_commands import completions

from . import sample_files


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "main.py").write_text("print()\n", encoding="utf-8")
    (tmp_path / "shot.png").write_bytes(sample_files.png())
    (tmp_path / "shots").mkdir()
    (tmp_path / ".hidden").write_text("x", encoding="utf-8")
    (tmp_path / "my shot.png").write_bytes(sample_files.png())
    return tmp_path


def test_paths_complete_with_folders_marked_and_hidden_files_on_request(tree: Path) -> None:
    assert complete_path("sh", tree) == ["shot.png", "shots/"]
    assert complete_path("src/m", tree) == ["src/main.py"]
    assert ".hidden" not in complete_path("", tree)
    assert complete_path(".h", tree) == [".hidden"]
    assert complete_path(f"{tree}/sr", Path("/")) == [f"{tree}/src/"]


def test_mentions_stay_under_the_working_folder(tree: Path) -> None:
    assert complete_path("../", tree, files_under_cwd=True) == []
    assert complete_path("/etc/", tree, files_under_cwd=True) == []
    assert mention_being_typed("look at @sr") == "sr"
    assert mention_being_typed("mail me@example") is None
    text = "compare @shot.png with @src/main.py, not @someone or @../secret"
    assert mentioned_files(text, tree) == [tree / "shot.png", tree / "src" / "main.py"]


def test_attach_completes_the_last_path_and_quotes_what_a_shell_would_need(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    offered = [c.text for c in completions("/attach shot.png my", lambda name: ())]
    assert offered == ["/attach shot.png 'my shot.png'"]
    assert [c.text for c in completions("/attach src/", lambda name: ())] == ["/attach src/main.py"]


def test_a_paste_of_existing_file_paths_is_recognised_as_a_terminal_drops_them(
    tree: Path,
) -> None:
    png, main = tree / "shot.png", tree / "src" / "main.py"
    assert pasted_file_paths(f"'{tree}/my shot.png'", tree) == [tree / "my shot.png"]
    assert pasted_file_paths(f"{tree}/my\\ shot.png", tree) == [tree / "my shot.png"]
    assert pasted_file_paths(f"{png} {main}\n", tree) == [png, main]
    assert pasted_file_paths(f"file://{png}", tree) == [png]


@pytest.mark.parametrize(
    "text",
    ["hello world", "shot.png", "/no/such/file.png", "see /tmp", "it's 'unclosed", ""],
)
def test_anything_else_pasted_stays_text(tree: Path, text: str) -> None:
    assert pasted_file_paths(text.replace("/tmp", str(tree)), tree) == []


def _tool(folder: Path, name: str, script: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def test_the_clipboard_image_comes_from_the_first_tool_that_has_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    image = tmp_path / "c.png"
    image.write_bytes(sample_files.png(5, 5))
    _tool(tmp_path, "wl-paste", 'echo "text/plain"\n')  # Wayland holds only text
    _tool(
        tmp_path,
        "xclip",
        f'case "$*" in *TARGETS*) echo image/png ;; *) exec /bin/cat "{image}" ;; esac\n',
    )
    monkeypatch.setenv("PATH", str(tmp_path))
    assert clipboard_image() == (sample_files.png(5, 5), "clipboard.png")


def test_a_clipboard_without_an_image_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tool(tmp_path, "pbpaste", "echo just words\n")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ClipboardError, match="holds no image: pbpaste found no image"):
        clipboard_image()


def test_no_clipboard_tool_names_the_ones_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ClipboardError, match=r"install wl-clipboard .* or xclip"):
        clipboard_image()

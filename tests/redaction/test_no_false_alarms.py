"""The project's own source, tests, themes and README are ordinary work: scanning them finds
no secret. Test files with positive examples build them at run time (secret_samples.py)."""

from __future__ import annotations

from pathlib import Path

from claude_tui.redaction import find_secrets

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("claude_tui", "tests", "themes")
TEXT_SUFFIXES = {".py", ".tcss", ".toml", ".json", ".md", ".txt", ".cfg", ".yaml", ".yml"}


def project_files() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "pyproject.toml"]
    for folder in SCANNED:
        files += [
            path
            for path in sorted((ROOT / folder).rglob("*"))
            if path.is_file() and path.suffix in TEXT_SUFFIXES and "__pycache__" not in path.parts
        ]
    return files


def test_the_project_itself_holds_no_secret() -> None:
    files = project_files()
    assert len(files) > 100  # the walk found the tree
    alarms = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for finding in find_secrets(text):
            line = text.count("\n", 0, finding.start) + 1
            alarms.append(f"{path.relative_to(ROOT)}:{line}: {finding.kind}")
    assert alarms == []

"""The layers' import rules, read from the source: a newcomer can trust the seams.

- Outside ``wire/`` the wire layer is reached only through its face, ``claude_tui.wire``.
- ``ui/`` never imports ``cli/``: what both front-ends need lives below them.
- Only ``ui/`` imports Textual, and the backend never imports ``ui/``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import claude_tui

PACKAGE = Path(claude_tui.__file__).parent
WIRE_SUBMODULES = {path.stem for path in (PACKAGE / "wire").glob("*.py")} - {"__init__"}


def imports_of(path: Path) -> Iterator[tuple[int, str, list[str]]]:
    """(line, module, names) for every import in ``path``, at any depth (lazy ones too)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module, [alias.name for alias in node.names]


def modules_under(*parts: str) -> list[Path]:
    return sorted(PACKAGE.joinpath(*parts).rglob("*.py"))


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(PACKAGE.parent)}:{line}"


def test_outside_wire_only_the_face_of_the_wire_layer_is_imported() -> None:
    offenders = []
    for path in modules_under():
        if path.is_relative_to(PACKAGE / "wire"):
            continue
        for line, module, names in imports_of(path):
            reaches_in = module.startswith("claude_tui.wire.") or (
                module == "claude_tui.wire" and WIRE_SUBMODULES.intersection(names)
            )
            if reaches_in:
                offenders.append(where(path, line))
    assert offenders == []


def test_the_ui_never_imports_the_command_line() -> None:
    offenders = [
        where(path, line)
        for path in modules_under("ui")
        for line, module, _names in imports_of(path)
        if module == "claude_tui.cli" or module.startswith("claude_tui.cli.")
    ]
    assert offenders == []


def test_only_the_ui_imports_textual_and_the_backend_never_imports_the_ui() -> None:
    offenders = []
    for path in modules_under():
        if path.is_relative_to(PACKAGE / "ui"):
            continue
        for line, module, _names in imports_of(path):
            if module == "textual" or module.startswith("textual."):
                offenders.append(where(path, line))
            # The command line launches the UI; nothing below it may.
            if module.startswith("claude_tui.ui") and not path.is_relative_to(PACKAGE / "cli"):
                offenders.append(where(path, line))
    assert offenders == []


def test_tests_import_their_helpers_as_pytest_puts_them_on_the_path() -> None:
    """``pytest`` (the README's command, not ``python -m pytest``) puts ``tests/`` on the path,
    not the project root: a ``from tests.…`` import works only under ``python -m pytest``."""
    tests_root = Path(__file__).parent
    offenders = [
        str(path.relative_to(tests_root))
        for path in tests_root.rglob("*.py")
        if re.search(r"^\s*(from|import) tests\.", path.read_text("utf-8"), re.MULTILINE)
    ]
    assert offenders == []

"""The installed package holds every subpackage: ``pip install .`` (the README's first command)
copies only the packages ``pyproject.toml`` lists, so one left out imports fine from a checkout
and fails for a user."""

from __future__ import annotations

import tomllib
from pathlib import Path

import claude_tui


def test_every_subpackage_is_listed_in_pyproject() -> None:
    root = Path(claude_tui.__file__).parent
    pyproject = tomllib.loads((root.parent / "pyproject.toml").read_text("utf-8"))
    listed = set(pyproject["tool"]["setuptools"]["packages"])
    found = {
        ".".join(("claude_tui", *init.parent.relative_to(root).parts))
        for init in root.rglob("__init__.py")
    }
    assert found - listed == set()

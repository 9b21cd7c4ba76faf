"""Theme files: the bundled ones load and ship; a user's override; broken files are skipped."""

from __future__ import annotations

import dataclasses
import tomllib
from importlib import resources
from pathlib import Path

import pytest
from textual.app import App
from textual.color import Color
from textual.theme import Theme

from claude_tui import paths
from claude_tui.ui.theme_files import (
    BUNDLED_PACKAGE,
    THEME_KEYS,
    ThemeFileError,
    ThemeProblem,
    bundled_themes,
    format_theme_problems,
    load_theme_file,
    theme_files_in,
    user_themes,
)
from claude_tui.ui.theme_registry import DEFAULT_THEME, register_bundled_themes

REPO = Path(__file__).resolve().parents[3]
MINIMAL = 'primary = "#112233"\n'


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of an opaque colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = Color.parse(colour).rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# -- bundled themes ----------------------------------------------------------------------------


def test_every_bundled_file_loads() -> None:
    files = theme_files_in(resources.files(BUNDLED_PACKAGE))
    assert len(files) >= 4
    for file in files:
        theme = load_theme_file(file)
        assert theme.name == file.name.removesuffix(".toml")  # names match file names


def test_the_installed_package_is_the_repository_folder() -> None:
    installed = {file.name for file in theme_files_in(resources.files(BUNDLED_PACKAGE))}
    in_repo = {path.name for path in (REPO / "themes").glob("*.toml")}
    assert installed == in_repo


def test_bundled_themes_include_claude_light_and_dark() -> None:
    themes = {theme.name: theme for theme in bundled_themes()}
    assert len(themes) >= 4
    assert {"claude", "claude-light", "claude-midnight", "paper", "terminal-green"} <= set(themes)
    assert any(not theme.dark for theme in themes.values())
    assert sum(theme.dark for theme in themes.values()) >= 3
    # Claude's own colours, unchanged from when they were defined in code.
    claude = themes[DEFAULT_THEME]
    assert (claude.primary, claude.background, claude.foreground, claude.dark) == (
        "#D97757",
        "#1F1E1D",
        "#E8E6E3",
        True,
    )
    light = themes["claude-light"]
    assert (light.primary, light.background, light.dark) == ("#B95B3A", "#FAF9F5", False)


@pytest.mark.parametrize("theme", bundled_themes(), ids=lambda theme: theme.name)
def test_bundled_themes_are_readable(theme: Theme) -> None:
    assert theme.foreground is not None and theme.background is not None
    minimum = 12.0 if theme.name == "claude-midnight" else 7.0  # WCAG AAA is 7
    assert contrast(theme.foreground, theme.background) >= minimum
    assert contrast(theme.primary, theme.background) >= 3.0


def test_file_keys_mirror_textual_theme() -> None:
    assert set(THEME_KEYS) == {field.name for field in dataclasses.fields(Theme)}


def test_pyproject_lists_every_package() -> None:
    """The package list is explicit (for the themes/ mapping), so a new one must be added."""
    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    on_disk = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "claude_tui").rglob("__init__.py")
    }
    assert set(setuptools["packages"]) == on_disk | {BUNDLED_PACKAGE}
    assert setuptools["package-dir"] == {BUNDLED_PACKAGE: "themes"}


# -- one file ----------------------------------------------------------------------------------


def test_name_defaults_to_the_file_stem_and_every_key_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "ocean.toml",
        """\
dark = false
primary = "#1E6091"
secondary = "rgb(10, 20, 30)"
background = "hsl(200, 30%, 95%)"
foreground = "black"
boost = "#FFFFFF10"
luminosity_spread = 0.2
text_alpha = 1

[variables]
border = "#1E6091"
""",
    )
    theme = load_theme_file(path)
    assert theme.name == "ocean"
    assert theme.dark is False
    assert theme.secondary == "rgb(10, 20, 30)"
    assert theme.text_alpha == 1.0
    assert theme.variables == {"border": "#1E6091"}


def test_an_explicit_name_wins_over_the_stem(tmp_path: Path) -> None:
    path = write(tmp_path, "whatever.toml", 'name = "mine"\n' + MINIMAL)
    assert load_theme_file(path).name == "mine"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('primary = "#112233\n', "is not valid TOML"),
        ('primary = "#11223"\n', "primary is not a colour: '#11223'"),
        ('primary = "#112233"\nsurface = "chartreusy"\n', "surface is not a colour: 'chartreusy'"),
        ("primary = 0x112233\n", "primary must be a colour string"),
        (
            'primary = "#112233"\nbackgrund = "#000000"\n',
            "unknown key 'backgrund' (did you mean 'background'?)",
        ),
        ('primary = "#112233"\nfont = "Fira"\n', "unknown key 'font'"),
        ('secondary = "#112233"\n', "primary is missing"),
        ('primary = "#112233"\ndark = "yes"\n', "dark must be true or false, not 'yes'"),
        ('primary = "#112233"\ntext_alpha = 2\n', "text_alpha must be a number from 0 to 1"),
        ('name = ""\nprimary = "#112233"\n', "name must be a non-empty string"),
        ('primary = "#112233"\nvariables = "x"\n', "variables must be a [variables] table"),
        ('primary = "#112233"\n[variables]\nborder = 3\n', "variables.border must be a string"),
    ],
)
def test_a_broken_file_names_the_file_and_the_key(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, "broken.toml", text)
    with pytest.raises(ThemeFileError) as caught:
        load_theme_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert "\n" not in message


def test_a_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'name = "caf\xe9"\nprimary = "#112233"\n')
    with pytest.raises(ThemeFileError, match="not UTF-8"):
        load_theme_file(path)


# -- the user's folder -------------------------------------------------------------------------


def test_a_missing_user_folder_is_not_a_problem(tmp_path: Path) -> None:
    assert user_themes(tmp_path / "nowhere") == ([], [])


def test_a_user_folder_that_is_a_file_is_reported(tmp_path: Path) -> None:
    not_a_folder = write(tmp_path, "themes", "")
    themes, problems = user_themes(not_a_folder)
    assert themes == []
    assert [problem.path for problem in problems] == [str(not_a_folder)]


def test_broken_user_files_are_skipped_and_reported_not_raised(tmp_path: Path) -> None:
    folder = tmp_path / "themes"
    write(folder, "good.toml", MINIMAL)
    write(folder, "bad-toml.toml", "primary = \n")
    write(folder, "bad-colour.toml", 'primary = "#GGGGGG"\n')
    write(folder, "typo.toml", MINIMAL + 'accnet = "#FF0000"\n')
    write(folder, "notes.txt", "not a theme")  # other files are ignored
    write(folder, ".good.toml.swp.toml", "editor junk")  # and hidden ones
    themes, problems = user_themes(folder)
    assert [theme.name for theme in themes] == ["good"]
    reasons = {Path(problem.path).name: problem.reason for problem in problems}
    assert set(reasons) == {"bad-toml.toml", "bad-colour.toml", "typo.toml"}
    assert reasons["bad-colour.toml"] == "primary is not a colour: '#GGGGGG'"
    assert reasons["typo.toml"] == "has an unknown key 'accnet' (did you mean 'accent'?)"
    assert reasons["bad-toml.toml"].startswith("is not valid TOML")
    for problem in problems:
        assert str(problem) == f"{problem.path}: {problem.reason}"


def test_two_files_with_one_name_keep_the_first(tmp_path: Path) -> None:
    folder = tmp_path / "themes"
    write(folder, "a.toml", 'name = "twin"\nprimary = "#111111"\n')
    write(folder, "b.toml", 'name = "twin"\nprimary = "#222222"\n')
    themes, problems = user_themes(folder)
    assert [(theme.name, theme.primary) for theme in themes] == [("twin", "#111111")]
    assert len(problems) == 1
    assert problems[0].path == "themes/b.toml"
    assert problems[0].reason == "name 'twin' is already used by themes/a.toml; skipped"


def test_user_theme_files_are_named_relative_to_the_config_folder(tmp_path: Path) -> None:
    # A full temporary path would make the toast's wrapping depend on the machine.
    folder = tmp_path / "deep" / ("x" * 80) / "themes"
    write(folder, "broken.toml", 'primary = "nope"\n')
    _, problems = user_themes(folder)
    assert [problem.path for problem in problems] == ["themes/broken.toml"]


def test_problems_read_as_one_notification() -> None:
    problems = [ThemeProblem("/a.toml", "primary is missing"), ThemeProblem("/b.toml", "x")]
    assert format_theme_problems(problems) == (
        "Skipped 2 theme files:\n/a.toml: primary is missing\n/b.toml: x"
    )
    assert format_theme_problems(problems[:1]).startswith("Skipped 1 theme file:\n")


# -- registering with the app ------------------------------------------------------------------


def test_user_themes_register_beside_the_bundled_ones_and_override_them() -> None:
    folder = paths.user_themes_dir()
    write(folder, "claude.toml", 'primary = "#00FF00"\n')  # replaces the bundled `claude`
    write(folder, "mine.toml", 'primary = "#123456"\ndark = false\n')
    write(folder, "broken.toml", 'primary = "nope"\n')
    app: App[object] = App()
    problems = register_bundled_themes(app)
    available = app.available_themes
    assert {"claude", "claude-light", "paper", "mine", "textual-dark"} <= set(available)
    assert available["claude"].primary == "#00FF00"
    assert available["mine"].dark is False
    assert [Path(problem.path).name for problem in problems] == ["broken.toml"]
    assert "primary is not a colour: 'nope'" in str(problems[0])


def test_without_user_themes_there_are_no_problems() -> None:
    app: App[object] = App()
    assert register_bundled_themes(app) == []
    assert app.get_theme(DEFAULT_THEME) is not None

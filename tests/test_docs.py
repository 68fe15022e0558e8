"""Every command has help text and is documented in the README, as sqlite-utils does."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import build

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(build.cli.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help(name):
    command = build.cli.commands[name]
    assert command.help and command.help.strip()
    result = CliRunner().invoke(build.cli, [name, "--help"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_documented(name):
    assert f"python build.py {name}" in README


def test_readme_names_exactly_two_setup_commands():
    first_section = README.split("\n## ")[1]
    block = first_section.split("```sh")[1].split("```")[0]
    commands = [line for line in block.splitlines() if line.strip()]
    assert [c.split("#")[0].strip() for c in commands] == ["make site", "make test"]
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci

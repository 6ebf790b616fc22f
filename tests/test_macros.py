"""macros/: the VBA buttons call Python functions that exist, xlwings.conf names the UDF module."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from lga_xl import udfs

ROOT = Path(__file__).resolve().parent.parent
BAS = ROOT / "macros" / "lga_xl.bas"
CONF = ROOT / "macros" / "xlwings.conf"
GUIDE = ROOT / "README.md"  # its section "Using the functions in Excel"
UDF_NAMES = [name for name in udfs.__all__ if name != "UdfInputError"]


@pytest.fixture(scope="module")
def bas_lines() -> list[str]:
    raw = BAS.read_bytes()
    # The VBA editor's File > Import needs Windows line endings (with bare LFs it
    # does not see the Attribute line and names the module Module1).
    assert raw.count(b"\n") == raw.count(b"\r\n") > 0
    return raw.decode("ascii").split("\r\n")


def procedures(lines: list[str]) -> list[tuple[str, str, str]]:
    """(kind, name, body) of each Sub and Function, checking each one is closed."""
    found, current = [], None
    for line in lines:
        start = re.match(r"^(?:(?:Public|Private) )?(Sub|Function) (\w+)\(", line)
        if start:
            assert current is None, f"{start.group(2)} starts inside {current[1]}"
            current = (start.group(1), start.group(2), [])
        elif current and line == f"End {current[0]}":
            found.append((current[0], current[1], "\n".join(current[2])))
            current = None
        elif current:
            current[2].append(line)
    assert current is None, f"{current[1]} has no End {current[0]}"
    return found


def test_the_module_is_valid_looking_vba(bas_lines):
    assert bas_lines[0] == 'Attribute VB_Name = "lga_xl"'
    assert "Option Explicit" in bas_lines
    assert all(len(line) <= 1023 for line in bas_lines)  # the VBA editor's limit
    kinds = [kind for kind, _, _ in procedures(bas_lines)]
    code = [line.split("'")[0] for line in bas_lines]  # without comments
    assert sum(line.strip().startswith(("Sub ", "Public Sub ", "Private Sub ")) for line in code) == kinds.count("Sub")
    assert sum(line.strip() == "End Sub" for line in code) == kinds.count("Sub")
    assert sum(line.strip() == "End Function" for line in code) == kinds.count("Function")


def test_the_buttons_are_public_macros(bas_lines):
    public = {name for kind, name, _ in procedures(bas_lines) if kind == "Sub"} & {
        re.match(r"Public Sub (\w+)", line).group(1) for line in bas_lines if line.startswith("Public Sub ")}
    assert public == {"ValidateThisWorkbook", "RefreshRatings"}
    refresh = dict((name, body) for _, name, body in procedures(bas_lines))["RefreshRatings"]
    assert "Application.CalculateFull" in refresh


def test_every_python_command_names_a_function_that_exists(bas_lines):
    commands = re.findall(r'"(import [^"]+)"', "\n".join(bas_lines))
    assert commands, "no RunPython command found"
    for command in commands:
        match = re.fullmatch(r"import ([\w.]+); ?([\w.]+)\.(\w+)\(\)", command)
        assert match, f"unexpected command {command!r}"
        module_name, called_module, function_name = match.groups()
        assert called_module == module_name
        function = getattr(importlib.import_module(module_name), function_name)
        assert callable(function), command


def test_python_failures_get_a_message_saying_what_to_install(bas_lines):
    text = "\n".join(bas_lines)
    assert "On Error GoTo AddinMissing" in text  # the add-in is called late-bound, so its absence is trappable
    assert "Application.Run(\"'\" & XLWINGS_ADDIN & \"'!RunPython\"" in text
    assert 'pip install "".[excel]""' in text
    assert "xlwings addin install" in text
    assert "If exitCode = -1 Then MsgBox PythonHelp()" in text


def read_conf(path: Path) -> dict[str, str]:
    """xlwings.conf as xlwings reads it: one "KEY","VALUE" pair a line, keys in any case."""
    config = {}
    for line in path.read_bytes().decode("ascii").splitlines():
        match = re.fullmatch(r'"([^"]*)","([^"]*)"', line)
        assert match, f"not a \"KEY\",\"VALUE\" line: {line!r}"
        config[match.group(1).upper()] = match.group(2)
    return config


def test_xlwings_conf_names_the_udf_module():
    config = read_conf(CONF)
    assert config == {"UDF MODULES": "lga_xl.udfs"}
    for module_name in config["UDF MODULES"].split(";"):
        module = importlib.import_module(module_name)
        for name in UDF_NAMES:
            assert callable(getattr(module, name)), name


def test_the_guide_covers_every_function_and_macro():
    guide = GUIDE.read_text("utf-8")
    for name in [*UDF_NAMES, "ValidateThisWorkbook", "RefreshRatings"]:
        assert f"`{name}" in guide or f"={name}(" in guide, name
    for phrase in ('pip install ".[excel]"', "xlwings addin install", "Trust access to the VBA project object model",
                   "Import Functions", "Object required", "requirements.txt"):
        assert phrase in guide, phrase

"""The README's promises: its commands, the issue-code table, the store tables."""

from __future__ import annotations

import re
from pathlib import Path

from lga_xl.issues import ISSUE_CODES
from lga_xl.store import BASE_SCHEMA, LATEST_VIEW, kind_tables

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
BEGIN, END = "<!-- issue-codes: generated from lga_xl/issues.py; tests/test_readme.py checks it -->", \
    "<!-- end issue-codes -->"


def issue_code_table() -> str:
    rows = ["| code | severity | meaning |", "|---|---|---|"]
    rows += [f"| `{c.code}` | {c.severity} | {c.meaning} |" for c in ISSUE_CODES.values()]
    return "\n".join(rows)


def test_readme_opens_with_install_and_demo_then_the_tests():
    commands = re.search(r"```sh\n(.*?)\n```", README, re.S).group(1).splitlines()
    assert "lga-xl demo" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    readme_pytest = re.search(r"(\.venv/bin/python -m pytest[^\n]*)", README).group(1)
    ci = (REPO / ".ci" / "run").read_text()
    assert readme_pytest in ci.splitlines()
    assert "LGA_XL_REQUIRE_LIBREOFFICE=1" in ci


def test_issue_code_table_matches_the_code():
    documented = README.split(BEGIN)[1].split(END)[0].strip()
    assert documented == issue_code_table(), "regenerate the table: python -c 'from tests.test_readme import " \
                                             "issue_code_table; print(issue_code_table())'"


def test_every_store_table_is_documented():
    tables = re.findall(r"CREATE (?:TABLE|VIEW)(?: IF NOT EXISTS)? (\w+)", BASE_SCHEMA + LATEST_VIEW)
    tables += [table.name for table in kind_tables()]
    assert len(tables) >= 9
    for table in tables:
        assert f"`{table}`" in README, table

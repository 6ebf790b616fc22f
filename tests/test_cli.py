"""The command line: output shape and exit codes (0 clean, 1 errors or unreadable, 2 misuse)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from lga_xl.cli import main
from lga_xl.maturity import load_edition
from lga_xl.readers.self_assessment import read_self_assessment
from lga_xl.writers.self_assessment import new_self_assessment

MODEL = load_edition()


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def complete_return(path, **overrides):
    options = dict(org_name="Exampleshire", region="London", answers={e.id: "Achieved" for e in MODEL.scored_elements},
                   targets={s: "Mature" for s in MODEL.strand_names})
    options.update(overrides)
    return new_self_assessment(path, **options)


def test_read_json_is_the_library_result_serialised(tmp_path):
    path = complete_return(tmp_path / "a.xlsx", answers={"LC-D1": "Yes"})
    result = run("read", path, "--json")
    assert result.exit_code == 1  # the unknown status is an error
    printed = json.loads(result.output)
    assert printed == read_self_assessment(path).model_dump(mode="json")
    assert {"organisation", "region", "assessment_type", "strands", "issues"} <= set(printed)
    assert set(printed["strands"][0]) >= {"strand", "current", "score", "target"}
    assert set(printed["issues"][0]) >= {"severity", "code", "message", "sheet", "cell"}
    assert any(i["code"] == "unknown-status" and i["cell"] == "E5" for i in printed["issues"])


def test_validate_exit_codes(tmp_path):
    clean = complete_return(tmp_path / "clean.xlsx")
    with_error = complete_return(tmp_path / "error.xlsx", region="Atlantis")
    unreadable = tmp_path / "notes.xlsx"
    unreadable.write_text("Organisation,Region\n")

    assert run("validate", clean).exit_code == 0
    result = run("validate", clean, with_error)
    assert result.exit_code == 1
    assert "Cover!B6" in result.output and "unknown-region" in result.output
    result = run("validate", clean, with_error, unreadable)
    assert result.exit_code == 1  # an unreadable file is an issue of that file; the others are still checked
    assert "not-xlsx" in result.output and "CSV" in result.output
    assert f"{clean}: OK" in result.output and "unknown-region" in result.output


def test_validate_json_lines_name_file_sheet_and_cell(tmp_path):
    path = complete_return(tmp_path / "e.xlsx", org_name=None)
    result = run("validate", "--json", path)
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert lines == [{"file": str(path), "readable": True, "kind": "self-assessment", "issues": [
        {"severity": "error", "code": "missing-org-name", "message": "the organisation name is blank",
         "file": str(path), "sheet": "Cover", "cell": "B4", "table": None, "column": None, "row": None,
         "name": "OrgName"}]}]


def test_usage_errors_exit_2(tmp_path):
    assert run("validate").exit_code == 2
    assert run("read").exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_read_prints_ratings_readably(tmp_path):
    result = run("read", complete_return(tmp_path / "a.xlsx"))
    assert result.exit_code == 0
    assert "Exampleshire (London)" in result.output and "Mature" in result.output


def test_codes_lists_every_issue_code():
    from lga_xl.issues import ISSUE_CODES

    output = run("codes").output
    assert all(code in output for code in ISSUE_CODES)


def test_a_file_that_cannot_be_opened_is_explained(tmp_path, monkeypatch):
    path = complete_return(tmp_path / "locked.xlsx")
    real_open = type(path).open

    def locked(self, *args, **kwargs):
        if self.name == "locked.xlsx":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(type(path), "open", locked)  # the forked reader processes inherit the patch
    result = run("validate", path)
    assert result.exit_code == 1
    assert "cannot-open" in result.output and "Permission denied" in result.output


def test_writing_where_nothing_can_be_written_is_an_error_not_a_traceback(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for args in (["new", "self-assessment", "-o", blocker / "x.xlsx"], ["new", "levy-plan", "-o", blocker / "x.xlsx"],
                 ["demo", "--out", blocker / "demo"]):
        result = run(*args)
        assert result.exit_code == 2, args
        assert "Error:" in result.output and "Traceback" not in result.output

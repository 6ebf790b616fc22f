"""Safe outputs: no input or store overwritten, no silent replacement, no name Excel refuses, no half file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import openpyxl
import pytest

from lga_xl import outputs
from lga_xl.outputs import OutputError, atomic_write, check_output, is_inside, prepare_output_folder, same_path


def refused(call, *args, **kwargs) -> str:
    with pytest.raises(OutputError) as caught:
        call(*args, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    return message


# check_output: extensions.


@pytest.mark.parametrize(("name", "message"), [
    ("plan.xls", "plan.xls: Excel will not open .xlsx content named .xls; name the file plan.xlsx"),
    ("plan.csv", "plan.csv: Excel will not open .xlsx content named .csv; name the file plan.xlsx"),
    ("plan.xlsm", "plan.xlsm: Excel will not open .xlsx content named .xlsm; name the file plan.xlsx"),
    ("plan", "plan: the name does not end in .xlsx; name the file plan.xlsx"),
    ("plan.v2", "plan.v2: the name does not end in .xlsx; name the file plan.v2.xlsx"),
])
def test_a_name_excel_will_not_open_is_refused_with_the_name_to_use(tmp_path, monkeypatch, name, message):
    monkeypatch.chdir(tmp_path)
    assert refused(check_output, name, force=True) == message


def test_extension_case_does_not_matter(tmp_path):
    assert check_output(tmp_path / "PLAN.XLSX", force=False) == tmp_path / "PLAN.XLSX"


def test_other_allowed_suffixes(tmp_path):
    assert check_output(tmp_path / "store.db", force=False, allowed_suffixes=(".sqlite", ".db")).name == "store.db"
    assert refused(check_output, tmp_path / "store.xlsx", force=False, allowed_suffixes=(".sqlite", ".db")) == (
        f"{tmp_path / 'store.xlsx'}: the name must end in .sqlite or .db, not .xlsx; "
        f"name the file {tmp_path / 'store.sqlite'}")


# check_output: existing files, folders, inputs and the store.


def test_an_existing_file_is_replaced_only_with_force(tmp_path):
    filled = tmp_path / "filled.xlsx"
    openpyxl.Workbook().save(filled)
    assert refused(check_output, filled, force=False) == (
        f"{filled}: already exists; choose another name, or use --force to replace it")
    assert check_output(filled, force=True) == filled


def test_a_folder_or_a_missing_folder_is_refused(tmp_path):
    assert refused(check_output, tmp_path, force=True) == f"{tmp_path}: is a folder; name a file in it ending in .xlsx"
    assert refused(check_output, tmp_path / "nowhere" / "plan.xlsx", force=False) == (
        f"{tmp_path / 'nowhere' / 'plan.xlsx'}: the folder {tmp_path / 'nowhere'} does not exist")


def test_the_store_is_never_the_output_even_with_force(tmp_path, monkeypatch):
    # `lga-xl import returns --db same.xlsx --out same.xlsx`, and the same through another spelling of the path.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "returns").mkdir()
    (tmp_path / "same.xlsx").write_bytes(b"SQLite format 3\x00")
    for out in ("same.xlsx", "./returns/../same.xlsx", str(tmp_path / "same.xlsx")):
        assert refused(check_output, out, force=True, store="same.xlsx") == (
            f"{Path(out)}: is the same file as the store same.xlsx; choose another name")
    # as the issue reported it: the store's own name is refused before anything is opened
    assert refused(check_output, "same.sqlite", force=True, store="same.sqlite") == (
        "same.sqlite: Excel will not open .xlsx content named .sqlite; name the file same.xlsx")


def test_a_store_not_yet_created_is_still_recognised(tmp_path):
    assert "is the same file as the store" in refused(
        check_output, tmp_path / "new.xlsx", force=False, store=tmp_path / "sub" / ".." / "new.xlsx")


def test_an_input_is_never_the_output_even_with_force(tmp_path):
    plan = tmp_path / "plan.xlsx"
    openpyxl.Workbook().save(plan)
    assert refused(check_output, plan, force=True, inputs=[tmp_path / "schools.csv", plan]) == (
        f"{plan}: is the same file as the input {plan}; writing it would replace the input, so choose another name")


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_an_input_reached_through_a_symbolic_link_or_another_case(tmp_path):
    real = tmp_path / "return.xlsx"
    openpyxl.Workbook().save(real)
    (tmp_path / "link.xlsx").symlink_to(real)
    assert "is the same file as the input" in refused(check_output, tmp_path / "link.xlsx", force=True,
                                                      inputs=[real])
    assert "is the same file as the input" in refused(check_output, tmp_path / "RETURN.xlsx", force=True,
                                                      inputs=[real])


def test_an_unrelated_input_does_not_stop_the_output(tmp_path):
    (tmp_path / "schools.csv").write_text("URN,School,Type\n")
    assert check_output(tmp_path / "plan.xlsx", force=False, inputs=[tmp_path / "schools.csv"],
                        store=tmp_path / "returns.sqlite") == tmp_path / "plan.xlsx"


# same_path and is_inside.


def test_same_path_uses_the_file_system_when_both_exist(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    a.write_bytes(b"x")
    os.link(a, b)  # a hard link: two names, one file
    assert same_path(a, b)
    c = tmp_path / "c.xlsx"
    c.write_bytes(b"x")
    assert not same_path(a, c)


def test_is_inside(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "returns").mkdir()
    assert is_inside("returns/consolidated.xlsx", ["other", "returns"])
    assert is_inside("returns", ["returns"])
    assert is_inside(tmp_path / "returns" / "csv" / "ratings.csv", ["./returns/"])
    assert is_inside("RETURNS/x.xlsx", ["returns"])
    assert not is_inside("returns-2025/x.xlsx", ["returns"])
    assert not is_inside("x.xlsx", [])
    assert not is_inside(tmp_path, ["returns"])


# atomic_write.


def test_atomic_write_replaces_only_on_success(tmp_path):
    out = tmp_path / "consolidated.xlsx"
    out.write_bytes(b"previous")
    with atomic_write(out) as partial:
        assert partial.parent == tmp_path and partial.suffix == ".xlsx" and partial.name.startswith("~$")
        assert out.read_bytes() == b"previous"  # untouched while the new one is written
        book = openpyxl.Workbook()
        book.active["A1"] = "new"
        book.save(partial)
    assert openpyxl.load_workbook(out).active["A1"].value == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["consolidated.xlsx"]


@pytest.mark.parametrize("failure", [RuntimeError("writer failed"), KeyboardInterrupt()])
def test_atomic_write_leaves_the_old_file_and_no_partial_on_failure(tmp_path, failure):
    out = tmp_path / "consolidated.xlsx"
    out.write_bytes(b"previous")
    with pytest.raises(type(failure)):
        with atomic_write(out) as partial:
            partial.write_bytes(b"half")
            raise failure
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["consolidated.xlsx"]


def test_atomic_write_creates_a_new_file(tmp_path):
    with atomic_write(tmp_path / "new.xlsx") as partial:
        partial.write_bytes(b"data")
    assert (tmp_path / "new.xlsx").read_bytes() == b"data"


def test_a_workbook_open_in_excel_on_windows_is_reported_after_retries(tmp_path, monkeypatch):
    calls = []

    def locked(source, target):
        calls.append(target)
        raise PermissionError(13, "The process cannot access the file because it is being used by another process")

    monkeypatch.setattr(outputs, "_WINDOWS", True)
    monkeypatch.setattr(outputs.os, "replace", locked)
    monkeypatch.setattr(outputs.time, "sleep", lambda seconds: None)
    out = tmp_path / "consolidated.xlsx"
    out.write_bytes(b"previous")
    with pytest.raises(OutputError) as caught:
        with atomic_write(out) as partial:
            partial.write_bytes(b"new")
    assert str(caught.value) == (f"{out}: cannot be replaced: it is open in another program (close it in Excel "
                                 "and try again) or is read-only")
    assert len(calls) == outputs._REPLACE_ATTEMPTS
    assert out.read_bytes() == b"previous" and [p.name for p in tmp_path.iterdir()] == ["consolidated.xlsx"]


def test_a_brief_windows_lock_is_ridden_out(tmp_path, monkeypatch):
    real_replace, attempts = os.replace, []

    def scanned_once(source, target):
        attempts.append(target)
        if len(attempts) == 1:
            raise PermissionError(13, "held by the virus scanner")
        real_replace(source, target)

    monkeypatch.setattr(outputs, "_WINDOWS", True)
    monkeypatch.setattr(outputs.os, "replace", scanned_once)
    monkeypatch.setattr(outputs.time, "sleep", lambda seconds: None)
    with atomic_write(tmp_path / "plan.xlsx") as partial:
        partial.write_bytes(b"new")
    assert (tmp_path / "plan.xlsx").read_bytes() == b"new" and len(attempts) == 2


def test_permission_denied_elsewhere_is_one_line(tmp_path, monkeypatch):
    def denied(source, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(outputs, "_WINDOWS", False)
    monkeypatch.setattr(outputs.os, "replace", denied)
    with pytest.raises(OutputError, match="cannot be written: permission denied$"):
        with atomic_write(tmp_path / "plan.xlsx") as partial:
            partial.write_bytes(b"new")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_written_names_the_output_not_the_temporary(tmp_path):
    with pytest.raises(OutputError) as caught:
        with atomic_write(tmp_path / "plan.xlsx") as partial:
            raise PermissionError(13, "Permission denied", str(partial))  # as open(partial, "wb") raises it
    assert str(caught.value) == f"{tmp_path / 'plan.xlsx'}: cannot be written: permission denied"


# prepare_output_folder.


def test_output_folder_is_created_or_must_be_empty(tmp_path):
    csv_folder = tmp_path / "out" / "csv"
    assert prepare_output_folder(csv_folder, force=False) == csv_folder and csv_folder.is_dir()
    assert prepare_output_folder(csv_folder, force=False) == csv_folder  # still empty
    (csv_folder / ".DS_Store").write_bytes(b"")
    (csv_folder / "Thumbs.db").write_bytes(b"")
    assert prepare_output_folder(csv_folder, force=False) == csv_folder  # only what the system put there
    (csv_folder / "ratings.csv").write_text("old")
    assert refused(prepare_output_folder, csv_folder, force=False) == (
        f"{csv_folder}: is not empty; choose a new or empty folder, or use --force to write into it "
        "(files of the same name are replaced)")
    assert prepare_output_folder(csv_folder, force=True) == csv_folder
    assert (csv_folder / "ratings.csv").read_text() == "old"  # force deletes nothing


def test_output_folder_that_is_a_file_or_an_input(tmp_path):
    (tmp_path / "csv").write_text("x")
    assert refused(prepare_output_folder, tmp_path / "csv", force=True) == (
        f"{tmp_path / 'csv'}: is a file, not a folder")
    (tmp_path / "returns").mkdir()
    assert refused(prepare_output_folder, tmp_path / "returns", force=True, inputs=[tmp_path / "returns"]) == (
        f"{tmp_path / 'returns'}: is the input folder {tmp_path / 'returns'}; choose another folder for the output")

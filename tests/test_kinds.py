"""The kind registry and the contracts: every kind declared once, written, read and stored through them."""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from pydantic import TypeAdapter

from lga_xl import levy
from lga_xl.bulk import import_returns
from lga_xl.cli import main
from lga_xl.contract import META_SHEET
from lga_xl.issues import WorkbookError
from lga_xl.kinds import KINDS, UnknownKind, kind
from lga_xl.models import WorkbookResult
from lga_xl.readers import read_workbook, validate
from lga_xl.store import SCHEMA_VERSION, ReturnStore, StoreError
from lga_xl.writers.levy_plan import new_levy_plan
from lga_xl.writers.self_assessment import new_self_assessment

REPO = Path(__file__).resolve().parents[1]
RELEASE_0_1_0 = REPO / "tests" / "data" / "release-0.1.0"


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("samples")
    return {name: KINDS[name].sample(folder / f"{name}.xlsx", seed=5) for name in KINDS}


def test_readers_never_import_writers():
    for path in (REPO / "lga_xl" / "readers").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                imported = [f"{node.module or ''}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            else:
                continue
            assert not any("writers" in name.split(".") for name in imported), f"{path.name} imports {imported}"


def test_an_unknown_kind_name_is_its_own_error():
    with pytest.raises(UnknownKind, match="growth-tracker-v9"):
        kind("growth-tracker-v9")


@pytest.mark.parametrize("name", list(KINDS))
def test_read_json_loads_back_as_a_workbook_result(name, samples):
    result = CliRunner().invoke(main, ["read", "--json", str(samples[name])])
    assert result.exit_code == 0, result.output
    loaded = TypeAdapter(WorkbookResult).validate_json(result.output)
    assert loaded.kind == name
    assert loaded == read_workbook(samples[name])


@pytest.mark.parametrize("name", list(KINDS))
def test_the_workbook_is_laid_out_as_its_contract_says(name, samples):
    contract = KINDS[name].current
    wb = openpyxl.load_workbook(samples[name])
    for named in contract.names():
        sheet, cell = contract.address(named.name)
        destination = next(wb.defined_names[named.name].destinations)
        assert (destination[0], destination[1].replace("$", "")) == (sheet, cell), named.name
    for table in contract.tables:
        excel = wb[table.sheet].tables[table.name]
        assert excel.ref.split(":")[0] == table.cell(table.columns[0].key, table.header_row)
        header = next(wb[table.sheet].iter_rows(min_row=table.header_row, max_row=table.header_row,
                                                min_col=table.first_column + 1,
                                                max_col=table.first_column + len(table.columns), values_only=True))
        assert header == table.headers


@pytest.mark.parametrize("name", list(KINDS))
def test_a_return_is_flattened_into_every_store_table_of_its_kind(name, samples, tmp_path):
    report = import_returns([samples[name]], db=tmp_path / "store.sqlite")
    assert report.counts["imported"] == 1
    with ReturnStore(tmp_path / "store.sqlite") as store:
        counts = store.table_counts()
        for table in KINDS[name].store_tables:
            assert counts[table.name] >= 1, table.name
            columns = store.columns(table.name)
            assert [c.name for c in table.columns] == [c for c in columns if c != "return_id"][:len(table.columns)]


def test_an_issue_at_an_element_status_names_its_table_column_and_row(tmp_path):
    path = new_self_assessment(tmp_path / "a.xlsx", org_name="Exampleshire", region="London",
                               answers={"LC-D2": "Yes"})
    [issue] = [i for i in read_workbook(path).issues if i.code == "unknown-status"]
    assert (issue.sheet, issue.cell, issue.table, issue.column, issue.row) == ("Assessment", "E6", "Elements",
                                                                                "Status", 2)
    printed = json.loads(CliRunner().invoke(main, ["read", "--json", str(path)]).output)
    [shown] = [i for i in printed["issues"] if i["code"] == "unknown-status"]
    assert (shown["table"], shown["column"], shown["row"]) == ("Elements", "Status", 2)


def test_a_named_cell_issue_names_the_defined_name(tmp_path):
    path = new_self_assessment(tmp_path / "a.xlsx", region="Atlantis")
    [issue] = [i for i in read_workbook(path).issues if i.code == "unknown-region"]
    assert (issue.sheet, issue.name, issue.table) == ("Cover", "Region", None)


def test_a_workbook_of_an_unknown_kind_is_refused_not_routed(tmp_path):
    path = new_self_assessment(tmp_path / "a.xlsx", org_name="Exampleshire")
    wb = openpyxl.load_workbook(path)
    wb[META_SHEET]["B1"] = "growth-tracker-v9"
    wb.save(path)
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path)
    assert caught.value.issue.code == "unknown-kind" and "growth-tracker-v9" in caught.value.issue.message
    assert [issue.code for issue in validate(path)] == ["unknown-kind"]


def test_true_in_a_date_cell_is_a_bad_date_as_in_a_number_cell(tmp_path):
    path = new_self_assessment(tmp_path / "a.xlsx", org_name="Exampleshire", region="London")
    sheet, cell = KINDS["self-assessment"].current.address("AssessmentDate")
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = True
    wb.save(path)
    [issue] = [i for i in read_workbook(path).issues if i.name == "AssessmentDate"]
    assert issue.code == "bad-date" and "TRUE" in issue.message


def formulas(path: Path) -> str:
    wb = openpyxl.load_workbook(path)
    return "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row
                     if isinstance(c.value, str) and c.value.startswith("="))


def test_policy_numbers_in_formulas_come_from_the_levy_rules(tmp_path, monkeypatch):
    before = formulas(new_levy_plan(tmp_path / "before.xlsx"))
    # The levy allowance is an input from template 2.0: its default and maximum come from the rules.
    assert "DATE(2026,8,1)" in before and '="",15000,' in before and "DATE(2024,4,22),0.5" in before
    monkeypatch.setattr(levy, "TOP_UP_END", dt.date(2027, 1, 1))
    monkeypatch.setattr(levy, "LEVY_ALLOWANCE", levy.Decimal(12000))
    monkeypatch.setattr(levy, "TRANSFER_RATES", (*levy.TRANSFER_RATES, (dt.date(2027, 4, 6), levy.Decimal("0.6"))))
    after = formulas(new_levy_plan(tmp_path / "after.xlsx"))
    assert "DATE(2027,1,1)" in after and '="",12000,' in after and "DATE(2027,4,6),0.6" in after


def fields_of(now: object, then: object) -> object:
    """``now`` with only the fields ``then`` has, at every level: fields added since are not compared."""
    if isinstance(then, dict) and isinstance(now, dict):
        return {key: fields_of(now[key], value) if key in now else "(missing)" for key, value in then.items()}
    if isinstance(then, list) and isinstance(now, list) and len(now) == len(then):
        return [fields_of(item, old) for item, old in zip(now, then)]
    return now


def test_returns_of_release_0_1_0_read_as_they_did():
    for name in ("self_assessment", "external_assessment", "levy_plan"):
        path = RELEASE_0_1_0 / f"{name}.xlsx"
        then = json.loads((RELEASE_0_1_0 / f"{name}.read.json").read_text(encoding="utf-8"))
        now = read_workbook(path, display=then["file"]).model_dump(mode="json")
        # 0.1.0 wrote money as strings ("277520.00"); JSON numbers now, the same amounts.
        then = fields_of(TypeAdapter(WorkbookResult).validate_python(then).model_dump(mode="json"), then)
        # Field for field: 0.1.0's issues had no structured location beyond sheet and cell, and the
        # fields added since (new template versions' figures) are not in its output.
        assert fields_of(now, then) == then, name


def test_a_store_from_release_0_1_0_upgrades_in_place_and_takes_a_further_import(tmp_path):
    db = tmp_path / "returns.sqlite"
    shutil.copy(RELEASE_0_1_0 / "returns.sqlite", db)
    with sqlite3.connect(db) as old:
        assert old.execute("PRAGMA user_version").fetchone()[0] == 1
        returns_before = old.execute("SELECT id, org_key, kind, content_hash FROM returns ORDER BY id").fetchall()
        ratings_before = old.execute("SELECT * FROM strand_ratings ORDER BY return_id, position").fetchall()
    with ReturnStore(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert {"table_name", "column_name", "table_row", "defined_name"} <= set(store.columns("issues"))
        assert store.table_counts()["returns"] == len(returns_before)
        _, rows = store.query("SELECT id, org_key, kind, content_hash FROM returns ORDER BY id")
        assert list(rows) == returns_before
        _, rows = store.query("SELECT * FROM strand_ratings ORDER BY return_id, position")
        assert list(rows) == ratings_before
    # The same files again are the same returns (their content hash did not change); a new one is added.
    report = import_returns([RELEASE_0_1_0 / f"{n}.xlsx" for n in ("self_assessment", "levy_plan")], db=db)
    assert report.counts["unchanged"] == 2
    new = new_self_assessment(tmp_path / "new.xlsx", org_name="Newshire", region="London")
    assert import_returns([new], db=db).counts == {"read": 1, "imported": 1, "unchanged": 0, "rejected": 0,
                                                   "skipped": 0}
    with ReturnStore(db) as store:  # a blank return: its strands are not rated, with no score
        _, rows = store.query("SELECT s.current, s.score FROM strand_ratings s JOIN returns r ON r.id = s.return_id "
                              "WHERE r.organisation = 'Newshire'")
        assert list(rows) == [("Not rated", None)] * 5


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_store_from_a_newer_lga_xl_is_refused_and_left_untouched(tmp_path):
    db = tmp_path / "returns.sqlite"
    ReturnStore(db).close()
    with sqlite3.connect(db) as newer:
        newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = sha(db)
    with pytest.raises(StoreError, match="newer lga_xl"):
        ReturnStore(db)
    assert sha(db) == before


def test_a_file_that_is_not_a_store_is_refused_and_left_untouched(tmp_path):
    not_a_store = new_self_assessment(tmp_path / "returns.sqlite")
    before = sha(not_a_store)
    with pytest.raises(StoreError, match="not an lga_xl store"):
        ReturnStore(not_a_store)
    assert sha(not_a_store) == before

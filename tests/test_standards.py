"""Loading the apprenticeship standards list: Skills England JSON, CSV, bad files, the sample."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources

import openpyxl
import pytest
from click.testing import CliRunner

from lga_xl.cli import main
from lga_xl.contracts.levy_plan import SPARE_STANDARD_ROWS, STANDARDS
from lga_xl.readers.levy_plan import read_levy_plan
from lga_xl.standards import Standard, StandardsError, load_standards, sample_standards


def api_standard(reference, title, level, funding, *, version="1.0", status="Approved for delivery", **extra):
    """One standard as the Skills England API gives it (a few of its many fields)."""
    return {"referenceNumber": reference, "title": title, "level": level, "maxFunding": funding,
            "typicalDuration": 12, "version": version, "status": status, "larsCode": 1, "route": "Business",
            "keywords": ["x"], **extra}


def write(tmp_path, name, content, encoding="utf-8"):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content, indent=2), encoding=encoding)
    return path


# --- Skills England JSON ----------------------------------------------------------------------


def test_json_export_keeps_the_latest_approved_version(tmp_path):
    path = write(tmp_path, "standards.json", [
        api_standard("ST0072", "Customer service practitioner", 2, 3500, version="1.1"),
        api_standard("ST0072", "Customer service practitioner", 2, 3000, version="1.0"),
        api_standard("ST0070", "Business administrator", 3, 5000, version="1.9"),
        api_standard("ST0070", "Business administrator", 3, 5500, version="1.10"),
        api_standard("ST0999", "Retired role", 2, 2000, status="Retired"),
        api_standard("ST0998", "Future role", 4, 9000, status="In development"),
    ])
    assert load_standards(path) == [
        Standard("ST0070", "Business administrator", 3, Decimal("5500"), 12, "1.10"),
        Standard("ST0072", "Customer service practitioner", 2, Decimal("3500"), 12, "1.1"),
    ]


def test_json_export_in_the_newer_shape(tmp_path):
    """The newer export wraps the list and spells funding and duration as proposed values."""
    item = {"referenceNumber": "st0454", "title": "Teaching assistant", "level": 3, "proposedMaxFunding": 7000,
            "proposedTypicalDuration": 18, "versionNumber": "1.2", "status": "Approved for delivery"}
    path = write(tmp_path, "export.json", {"apprenticeships": [item], "foundationApprenticeships": []})
    assert load_standards(path) == [Standard("ST0454", "Teaching assistant", 3, Decimal("7000"), 18, "1.2")]


def test_the_format_is_read_from_the_content(tmp_path):
    path = write(tmp_path, "standards.txt", [api_standard("ST0072", "Customer service practitioner", 2, 3500)])
    assert [s.reference for s in load_standards(path)] == ["ST0072"]


@pytest.mark.parametrize(("content", "message"), [
    ('[\n  {"referenceNumber": "ST0072",\n  "title": }\n]', "standards.json line 3: not valid JSON"),
    ({"data": []}, "expected a list of standards"),
    ([api_standard("ST0072", "Customer service practitioner", 2, None)],
     "item 1 (ST0072): ST0072 max funding is blank"),
    ([api_standard("ST0072", "Customer service practitioner", 2, 3500), api_standard("ST0070", "", 3, 5000)],
     "item 2 (ST0070): ST0070 has no title"),
    ([api_standard("ST0072", "Customer service practitioner", "two", 3500)], "ST0072 level 'two' is not a number"),
    ([api_standard("S72", "Customer service practitioner", 2, 3500)], "reference 'S72' is not like ST0072"),
    ([api_standard("ST0072", "Customer service practitioner", 2, -1)], "is not an amount of 0 or more"),
    (["ST0072"], "item 1: expected an object"),
    ([api_standard("ST0999", "Retired", 2, 100, status="Retired")], "no standard approved for delivery"),
])
def test_bad_json_is_explained(tmp_path, content, message):
    with pytest.raises(StandardsError) as caught:
        load_standards(write(tmp_path, "standards.json", content))
    assert message in str(caught.value)


# --- CSV --------------------------------------------------------------------------------------


def test_csv_with_forgiving_headers_comments_and_money(tmp_path):
    path = write(tmp_path, "standards.csv",
                 "\ufeff# exported 1 November 2026\n\n"
                 "Reference Number, Title ,LEVEL,Max funding (£),Typical duration\n"
                 "st0072,Customer service practitioner,2,\"£3,500\",12\n"
                 "ST0454,Teaching assistant,3,7000,\n"
                 ",,,,\n")
    assert load_standards(path) == [
        Standard("ST0072", "Customer service practitioner", 2, Decimal("3500"), 12),
        Standard("ST0454", "Teaching assistant", 3, Decimal("7000"), None),
    ]


@pytest.mark.parametrize(("content", "message"), [
    ("Reference,Title,Level\nST0072,Customer service practitioner,2\n",
     "standards.csv line 1: missing column Max funding (accepted: Max funding, Maximum funding"),
    ("# only comments\n", "the file is empty; its first line must name the columns Reference, Title, Level, Max funding"),
    ("Reference,Title,Level,Max funding\n", "a header but no standards"),
    ("Reference,Title,Level,Max funding\nST0072,Customer service practitioner,2,3500\nST0070,Business administrator,"
     "three,5000\n", "line 3: ST0070 level 'three' is not a number"),
    ("Reference,Title,Level,Max funding\nST0072,Customer service practitioner,2,3500\nST0072,Again,2,3500\n",
     "line 3: ST0072 is listed twice (first on line 2)"),
    ("# comment\nReference,Title,Level,Max funding\nST0072,Customer service practitioner,9,3500\n",
     "line 3: ST0072 level 9 is not between 1 and 8"),
    ("Reference,Title,Level,Max funding\nST0072,Customer service practitioner,2,lots\n",
     "line 2: ST0072 max funding 'lots' is not a number"),
    ("Reference,Title,Level,Max funding,Typical duration\nST0072,Customer service practitioner,2,3500,12.5\n",
     "line 2: ST0072 typical duration '12.5' is not a whole number"),
])
def test_bad_csv_names_the_line(tmp_path, content, message):
    with pytest.raises(StandardsError) as caught:
        load_standards(write(tmp_path, "standards.csv", content))
    assert message in str(caught.value)


def test_many_bad_lines_are_listed_up_to_a_limit(tmp_path):
    rows = "".join(f"ST{i:04d},Title,x,1\n" for i in range(30))
    with pytest.raises(StandardsError) as caught:
        load_standards(write(tmp_path, "standards.csv", "Reference,Title,Level,Max funding\n" + rows))
    text = str(caught.value)
    assert "30 bad entries" in text and "line 21:" in text and "line 22:" not in text and "and 10 more" in text


def test_files_that_cannot_be_read(tmp_path):
    with pytest.raises(StandardsError, match="no such file"):
        load_standards(tmp_path / "missing.csv")
    with pytest.raises(StandardsError, match="the file is empty"):
        load_standards(write(tmp_path, "empty.csv", "  \n"))
    binary = tmp_path / "standards.xlsx"
    binary.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe")
    with pytest.raises(StandardsError, match="not a text file"):
        load_standards(binary)


# --- the shipped sample -----------------------------------------------------------------------


def test_the_sample_is_small_real_looking_and_marked_illustrative():
    standards = sample_standards()
    assert 20 <= len(standards) <= 30
    by_reference = {s.reference: s for s in standards}
    assert len(by_reference) == len(standards)
    assert by_reference["ST0072"] == Standard("ST0072", "Customer service practitioner", 2, Decimal("3500"), 12)
    for reference in ("ST0454", "ST0575", "ST0005", "ST0239", "ST0070"):  # schools and councils' common ones
        assert reference in by_reference
    assert all(2 <= s.level <= 7 and 1500 <= s.max_funding <= 27000 for s in standards)  # the 30 bands
    header = (resources.files("lga_xl") / "data" / "standards_sample.csv").read_text().splitlines()[0]
    assert "ILLUSTRATIVE" in header


# --- in the workbook --------------------------------------------------------------------------


def test_cli_puts_a_loaded_list_in_the_workbook(tmp_path):
    source = write(tmp_path, "standards.json", [api_standard("ST0072", "Customer service practitioner", 2, 3500),
                                                api_standard("ST0777", "Invented role", 5, 11000)])
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(main, ["new", "levy-plan", "--org", "Exampleshire", "--standards", str(source),
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    ws = wb[STANDARDS.sheet]
    first = STANDARDS.first_row
    assert [ws[STANDARDS.cell("reference", r)].value for r in (first, first + 1, first + 2)] == [
        "ST0072", "ST0777", None]
    assert "standards.json" in ws["A2"].value
    assert ws.tables["Standards"].ref == STANDARDS.ref(2 + SPARE_STANDARD_ROWS)  # two standards and the spare rows
    assert read_levy_plan(out).issues  # still a blank plan, but it reads


def test_cli_refuses_a_bad_standards_file(tmp_path):
    source = write(tmp_path, "standards.csv", "Reference,Title\nST0072,Customer service practitioner\n")
    result = CliRunner().invoke(main, ["new", "levy-plan", "--standards", str(source), "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2
    assert "--standards" in result.output and "missing columns Level (accepted: Level); Max funding" in result.output

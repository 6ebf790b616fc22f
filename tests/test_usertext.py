"""Users' CSV and JSON files as Excel and people make them: encodings, delimiters, headers, errors."""

from __future__ import annotations

import os
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from lga_xl.standards import sample_standards
from lga_xl.usertext import (
    SCHOOLS_CSV_FIELDS,
    STANDARDS_CSV_FIELDS,
    Field,
    UserJson,
    UserRowsError,
    UserTable,
    UserTextError,
    decode_user_bytes,
    match_header,
    money_text,
    parse_user_csv,
    read_json_or_csv,
    read_user_csv,
    read_user_file,
)
from tests.support.libreoffice import soffice

DATA = Path(__file__).parent / "data"


def schools(text: str, encoding: str = "utf-8") -> UserTable:
    return parse_user_csv(decode_user_bytes(text.encode(encoding), "schools.csv"), SCHOOLS_CSV_FIELDS)


def error_of(call, *args, **kwargs) -> UserTextError:
    with pytest.raises(UserTextError) as caught:
        call(*args, **kwargs)
    return caught.value


# Encodings.


def test_windows_1252_csv_from_excel_reads_with_pound_and_accents(tmp_path):
    # Excel's "CSV (Comma delimited)" on an English Windows: Windows-1252, CRLF line endings.
    path = tmp_path / "schools.csv"
    path.write_bytes("URN,School,Type,Pay bill (£)\r\n100001,École Élémentaire,Community,£1250\r\n".encode("cp1252"))
    table = read_user_csv(path, SCHOOLS_CSV_FIELDS)
    assert table.encoding == "cp1252"
    assert "Windows-1252" in read_user_file(path).encoding_name
    assert [(row.line, dict(row.values)) for row in table.rows] == [
        (2, {"urn": "100001", "name": "École Élémentaire", "type": "Community", "pay_bill": "£1250",
             "headcount": ""}),
    ]


def test_utf8_with_bom_from_excel_csv_utf8_has_no_bom_in_the_first_header(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_bytes(b"\xef\xbb\xbfURN,School,Type\r\n100001,\xc3\x89cole,Community\r\n")
    table = read_user_csv(path, SCHOOLS_CSV_FIELDS)
    assert (table.encoding, table.header[0], table.rows[0]["name"]) == ("utf-8-sig", "URN", "École")


def test_plain_utf8_is_not_taken_for_windows_1252():
    decoded = decode_user_bytes("URN,School,Type\n1,Ysgol Gymraeg Bro Dŵr,Community\n".encode(), "s.csv")
    assert decoded.encoding == "utf-8"
    assert "Dŵr" in decoded.text


def test_excel_unicode_text_utf16_tab_separated():
    data = "URN\tSchool\tType\r\n100001\tÉcole\tCommunity\r\n".encode("utf-16")  # with its BOM, as Excel writes
    table = parse_user_csv(decode_user_bytes(data, "schools.txt"), SCHOOLS_CSV_FIELDS)
    assert (table.encoding, table.delimiter, table.rows[0]["name"]) == ("utf-16", "\t", "École")


@pytest.mark.parametrize(("data", "expected"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "an old Excel .xls file"),
    (b"URN,School\x00,Type\n", "not a text file (it holds binary data)"),
    (b"\xef\xbb\xbfURN,\xff\xfe\x81,Type\n", "not text in UTF-8; "),
    (b"URN,School,Type\n1,\x81\x8d\x8f,x\n", "not text in UTF-8 or Windows-1252; "),
])
def test_binary_or_undecodable_bytes_are_refused_with_a_reason(data, expected):
    error = error_of(decode_user_bytes, data, "schools.csv")
    assert expected in error.reason
    assert "CSV UTF-8" in error.reason and error.line is None


def test_a_real_workbook_and_a_real_xls_given_as_csv_are_named_as_workbooks(tmp_path):
    xlsx = tmp_path / "schools.csv"
    openpyxl.Workbook().save(xlsx)
    assert error_of(read_user_csv, xlsx, SCHOOLS_CSV_FIELDS).reason.startswith("this is an Excel workbook")
    assert error_of(read_user_csv, DATA / "legacy.xls", SCHOOLS_CSV_FIELDS).reason.startswith("this is an old Excel")


def test_missing_file_and_folder(tmp_path):
    assert str(error_of(read_user_file, tmp_path / "nope.csv")) == f"{tmp_path / 'nope.csv'}: no such file"
    assert error_of(read_user_file, tmp_path).reason == "is a folder, not a file"


# Delimiters, quotes, blank lines and line numbers.


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_taken_from_the_header(delimiter):
    text = delimiter.join(["URN", "School", "Type", "PayBill"]) + "\n" + delimiter.join(
        ["100001", '"Ash, Oak; Elm"', "Community", '"1,250.50"']) + "\n"
    table = schools(text)
    assert table.delimiter == delimiter
    assert dict(table.rows[0].values) == {"urn": "100001", "name": "Ash, Oak; Elm", "type": "Community",
                                          "pay_bill": "1,250.50", "headcount": ""}


def test_delimiters_inside_quoted_headers_do_not_count():
    table = schools('"School, name";"URN";"Type, of establishment"\n"Ash";100001;"Community"\n')
    assert table.delimiter == ";"
    assert table.columns == {"name": 0, "urn": 1, "type": 2}


def test_excel_sep_line_names_the_delimiter_and_counts_as_a_line():
    table = schools("sep=,\r\nURN,School,Type\r\n100001,Ash;Oak,Community\r\n")
    assert (table.delimiter, table.header_line, table.rows[0].line, table.rows[0]["name"]) == (",", 2, 3, "Ash;Oak")


def test_blank_lines_comments_and_quoted_line_breaks_keep_line_numbers():
    text = ("# exported 2026-04-01\r\n\r\nURN,School,Type\r\n\r\n100001,Ash,Community\r\n,,\r\n"
            '100002,"Oak\r\nAnnexe",Community\r\n100003,Elm,Community')
    table = schools(text)
    assert table.header_line == 3
    assert [(row.line, row["urn"]) for row in table.rows] == [(5, "100001"), (7, "100002"), (9, "100003")]
    assert table.rows[1]["name"] == "Oak\r\nAnnexe"


def test_old_mac_line_endings():
    assert [row.line for row in schools("URN,School,Type\r1,A,x\r\r2,B,y\r").rows] == [2, 4]


def test_a_quote_never_closed_is_reported_at_its_line():
    error = error_of(schools, 'URN,School,Type\n100001,"Ash,Community\n100002,Oak,Community\n')
    assert (error.line, error.reason) == (2, 'a quote (") opened on this line is never closed')


def test_text_after_a_closing_quote_is_reported_at_its_line():
    error = error_of(schools, 'URN,School,Type\n100001,Ash,Community\n100002,"Oak" Primary,Community\n')
    assert error.line == 3 and "quote the whole value" in error.reason


def test_empty_file_and_blank_only_file():
    for text in ("", "\r\n\r\n  \r\n", "# only a comment\n"):
        error = error_of(schools, text)
        assert error.reason.startswith("the file is empty; its first line must name the columns URN, School, Type")


# Headers.


@pytest.mark.parametrize(("header", "expected"), [
    ("URN,School,Type,PayBill,Headcount", ("URN", "School", "Type", "PayBill", "Headcount")),
    ("Unique reference number,School Name,School type,Pay Bill (£),Head count",
     ("Unique reference number", "School Name", "School type", "Pay Bill (£)", "Head count")),
    ("urn,name,establishment type,pay_bill,staff", ("urn", "name", "establishment type", "pay_bill", "staff")),
    ("URN ,  School ,TYPE,Pay bill GBP,Number of staff",
     ("URN", "School", "TYPE", "Pay bill GBP", "Number of staff")),
    ("School URN,Establishment name,Type of establishment,Pay bill in £,Staff headcount",
     ("School URN", "Establishment name", "Type of establishment", "Pay bill in £", "Staff headcount")),
])
def test_header_spellings_people_use(header, expected):
    table = schools(header + "\n1,2,3,4,5\n")
    names = ("urn", "name", "type", "pay_bill", "headcount")
    assert tuple(table.header[table.columns[name]].strip() for name in names) == expected


def test_a_get_information_about_schools_download_loads_as_it_is():
    header = ("URN,LA (code),LA (name),EstablishmentNumber,EstablishmentName,TypeOfEstablishment (code),"
              "TypeOfEstablishment (name),EstablishmentTypeGroup (name)")
    table = schools(header + "\n100001,201,City of London,3614,Sir John Cass,02,Voluntary aided school,"
                    "Local authority maintained schools\n", "cp1252")
    assert table.columns == {"urn": 0, "name": 4, "type": 6}
    assert table.rows[0]["type"] == "Voluntary aided school"


def test_missing_columns_are_named_with_their_spellings_and_what_was_found():
    error = error_of(schools, "URN,Name,Kind,PayBill\n1,A,x,5\n")
    assert error.line == 1 and "\n" not in str(error)
    assert str(error) == (
        "schools.csv line 1: missing column Type (accepted: Type, School type, Establishment type, "
        "Type of establishment, TypeOfEstablishment (name)); found: URN, Name, Kind, PayBill")


def test_missing_columns_after_a_comment_are_named_at_the_header_line():
    error = error_of(schools, "# schools\nReference,Title\n")
    assert error.line == 2
    assert error.reason.startswith("missing columns URN (accepted: URN, Unique reference number, School URN); "
                                   "School (accepted: ")


def test_a_long_header_is_shown_shortened():
    header = ",".join(f"Column {n}" for n in range(30))
    assert error_of(schools, header + "\n").reason.endswith("Column 10, Column 11 and 18 more")


def test_two_columns_for_one_field_are_refused_not_guessed():
    error = error_of(schools, "URN,Name,School name,Type\n1,A,B,x\n")
    assert error.line == 1
    assert error.reason == "columns 'Name', 'School name' could each be School; rename or remove all but one"


def test_full_time_equivalents_are_not_taken_for_a_headcount():
    table = schools("URN,School,Type,Staff (FTE)\n1,A,x,12.5\n")
    assert "headcount" not in table.columns and table.rows[0]["headcount"] == ""
    assert schools("URN,School,Type,Staff (persons)\n1,A,x,13\n").rows[0]["headcount"] == "13"


def test_a_column_serves_one_field():
    fields = (Field("title", ("Name",)), Field("name", ("Name", "Title")))
    assert match_header(["Name", "Title"], fields, source="x.csv") == {"title": 0, "name": 1}


# Rows.


def test_parse_rows_reports_every_bad_row_with_its_line_and_unquoted_commas():
    table = schools("URN,School,Type,PayBill\n1,A,x,5\nB,C,y,6\n\n3,D,z,1,250\n")

    def urn(row):
        if not row["urn"].isdigit():
            raise ValueError(f"URN {row['urn']!r} is not a number")
        return int(row["urn"])

    with pytest.raises(UserRowsError) as caught:
        table.parse_rows(urn)
    assert [(e.line, e.reason) for e in caught.value.errors] == [
        (3, "URN 'B' is not a number"),
        (5, "5 values but the header has 4 columns (is there a comma inside a value? quote that value)"),
    ]
    assert caught.value.line == 3
    assert str(caught.value).splitlines() == [
        "schools.csv: 2 bad rows",
        "  line 3: URN 'B' is not a number",
        "  line 5: 5 values but the header has 4 columns (is there a comma inside a value? quote that value)",
    ]


def test_trailing_empty_cells_are_not_extra_values():
    table = schools("URN,School,Type\n1,A,x,,,\n")
    assert table.parse_rows(lambda row: row["urn"]) == ["1"]


def test_many_bad_rows_show_twenty_and_count_the_rest():
    table = schools("URN,School,Type\n" + "".join(f"{n},A,x\n" for n in range(25)))

    def refuse(row):
        raise ValueError("bad")

    with pytest.raises(UserRowsError) as caught:
        table.parse_rows(refuse)
    lines = str(caught.value).splitlines()
    assert lines[0] == "schools.csv: 25 bad rows" and lines[-1] == "  ... and 5 more" and len(lines) == 22


def test_the_shipped_standards_sample_reads_as_the_standards_module_reads_it():
    from importlib import resources

    data = (resources.files("lga_xl") / "data" / "standards_sample.csv").read_bytes()
    table = parse_user_csv(decode_user_bytes(data, "standards_sample.csv"), STANDARDS_CSV_FIELDS)
    assert [row["reference"] for row in table.rows] == [s.reference for s in sample_standards()]
    assert [Decimal(row["max_funding"]) for row in table.rows] == [s.max_funding for s in sample_standards()]


# JSON or CSV.


def test_json_or_csv_is_told_by_content(tmp_path):
    as_json = tmp_path / "standards.csv"  # misnamed: JSON inside
    as_json.write_bytes('{"standards": [{"referenceNumber": "ST0072", "title": "Café worker"}]}'.encode("cp1252"))
    result = read_json_or_csv(as_json, STANDARDS_CSV_FIELDS)
    assert isinstance(result, UserJson)
    assert (result.encoding, result.data["standards"][0]["title"]) == ("cp1252", "Café worker")
    as_csv = tmp_path / "standards.json"
    as_csv.write_text("Reference,Title,Level,Max funding (£)\nST0072,Customer service practitioner,2,3500\n")
    table = read_json_or_csv(as_csv, STANDARDS_CSV_FIELDS)
    assert isinstance(table, UserTable) and table.rows[0]["max_funding"] == "3500"


@pytest.mark.parametrize(("text", "line", "reason"), [
    ('[{"title": "A"},\n {"title": "B"}\n {"title": "C"}]', 3, "not valid JSON at character 2: a comma is missing"),
    ('[{"title": "A"}] x', 1, "not valid JSON at character 18: there is more after the end of the JSON"),
    ('[{"title": "A}]', 1, "not valid JSON at character 12: a text in double quotes is never closed"),
])
def test_bad_json_is_explained_at_its_line(tmp_path, text, line, reason):
    path = tmp_path / "standards.json"
    path.write_text(text)
    error = error_of(read_json_or_csv, path, STANDARDS_CSV_FIELDS)
    assert (error.line, error.reason) == (line, reason)


# Money typed in a CSV.


@pytest.mark.parametrize(("text", "amount"), [
    ("£1,250.00", Decimal("1250.00")),
    (" 1 250 ", Decimal("1250")),
    ("1\u00a0250", Decimal("1250")),  # Excel's thousands separator in some locales: a non-breaking space
    ("£ 3,000", Decimal("3000")),
    ("", None),
    ("   ", None),
])
def test_money_text(text, amount):
    assert money_text(text, "PayBill") == amount


@pytest.mark.parametrize("text", ["twelve", "-5", "£1.2.3"])
def test_money_text_refuses_what_is_not_an_amount(text):
    with pytest.raises(ValueError, match=f"^PayBill '{text}' is not"):
        money_text(text, "PayBill")


# A CSV as LibreOffice (like Excel) saves it from a workbook.


@pytest.mark.libreoffice
def test_a_workbook_saved_as_semicolon_windows_1252_csv_by_a_spreadsheet(tmp_path, libreoffice):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["URN", "School Name", "School type", "Head count", "Pay Bill (£)"])
    sheet.append([100001, "École Élémentaire, Ash", "Community", 42, 1250000.5])
    sheet.append([])
    sheet.append([100002, 'St Mary\'s "Juniors"', "Voluntary controlled", 30, 900000])
    sheet["E2"].number_format = "£#,##0.00"
    book.save(tmp_path / "schools.xlsx")
    profile = tmp_path / "profile"
    # Filter options: ';' (59) between fields, '"' (34) around text, Windows-1252 (1), from line 1.
    subprocess.run([soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):59,34,1,1", "--outdir", str(tmp_path / "out"),
                    str(tmp_path / "schools.xlsx")], check=True, capture_output=True, timeout=300,
                   env={**os.environ, "HOME": str(profile)})
    table = read_user_csv(tmp_path / "out" / "schools.csv", SCHOOLS_CSV_FIELDS)
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    rows = [(row.line, row["urn"], row["name"], row["type"], money_text(row["pay_bill"], "PayBill"),
             row["headcount"]) for row in table.rows]
    assert rows == [
        (2, "100001", "École Élémentaire, Ash", "Community", Decimal("1250000.50"), "42"),
        (4, "100002", 'St Mary\'s "Juniors"', "Voluntary controlled", Decimal("900000"), "30"),
    ]


"""The send-out: one personalised workbook per council, last year's answers carried forward from the store."""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from lga_xl.answers import CARRIED_FROM, SENT_HASH
from lga_xl.blanks import template
from lga_xl.bulk import import_returns
from lga_xl.cli import main
from lga_xl.contract import SEND_OUT_HEADING
from lga_xl.contracts.self_assessment import CONTRACT, ELEMENTS, RATINGS, SEND_OUT
from lga_xl.kinds import KINDS, kind
from lga_xl.maturity import load_edition
from lga_xl.outputs import OutputError
from lga_xl.readers import read_workbook, validate
from lga_xl.readers.package import open_package
from lga_xl.reference import ORG_TYPES, REGIONS
from lga_xl.samples import sample_answers
from lga_xl.sendout import (
    WINDOWS_RESERVED,
    Council,
    SendOutError,
    read_councils,
    safe_file_stem,
    send_out,
)
from lga_xl.usertext import UserTextError
from lga_xl.writers.fill import Template

MODEL = load_edition()
# (name as typed, region as typed, type as typed): awkward names, loose regions and types.
AWKWARD = [
    ("King's Lynn & West Norfolk", "east", "district"),
    ("Brighton / Hove", "South-East", "Unitary"),
    ("Brighton: Hove", "south east", "unitary authority"),  # the same file name as the one above, but for "(2)"
    ("CON", "London", "London Borough"),
    ("Ynys Môn", "E12000009", "Other public body"),
    ("St. Helens.", "north west", "Metropolitan borough"),
    ('=HYPERLINK("http://evil.example")', "Yorkshire & Humber", "County"),
    ("  Hull   City  Council ", "yorkshire and the humber", "UNITARY AUTHORITY"),
    ("a" * 150, "THE NORTH EAST", "combined authority"),
    ("Tab\there", "West Mids", "fire and rescue authority"),
    ("Aux", "east midlands", "District council"),
    ("lpt1.council", "South West", "county council"),
    ("Newcastle upon Tyne | North Tyneside", "North East", "metropolitan borough council"),
    ('Quote "Council"', "London", "london borough council"),
    ("Ćity of Ŵestminster", "london", "London borough"),
]


def council_rows(count: int) -> list[tuple[str, str, str]]:
    rows = list(AWKWARD)
    while len(rows) < count:
        index = len(rows)
        rows.append((f"Council number {index}", REGIONS[index % 9], ORG_TYPES[index % 3]))
    return rows[:count]


def write_csv(path: Path, rows: list[tuple[str, ...]], header: str = "Email,Type,ORGANISATION,region,Contact Name"
              ) -> Path:
    """As Excel's CSV UTF-8 saves it: a BOM, Windows line endings, the columns in the order given."""
    columns = [column.strip() for column in header.split(",")]
    lines = []
    for index, (name, region, org_type) in enumerate(rows):
        values = {"Email": f"officer{index}@example.gov.uk", "Type": org_type, "ORGANISATION": name,
                  "region": region, "Contact Name": f"Officer {index}"}
        lines.append([values[column] for column in columns])
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(columns)
        writer.writerows(lines)
    return path


def filled_return(path: Path, name: str, region: str, org_type: str, seed: int, date: dt.date) -> Path:
    answers, evidence, targets = sample_answers(random.Random(seed))
    values = {CONTRACT.address("OrgName"): name, CONTRACT.address("Region"): region,
              CONTRACT.address("OrgType"): org_type, CONTRACT.address("AssessmentDate"): date}
    for row, element in enumerate(MODEL.scored_elements, start=ELEMENTS.first_row):
        values[(ELEMENTS.sheet, ELEMENTS.cell("status", row))] = answers.get(element.id)
        values[(ELEMENTS.sheet, ELEMENTS.cell("evidence", row))] = evidence.get(element.id)
    for row, strand in enumerate(MODEL.strand_names, start=RATINGS.first_row):
        values[(RATINGS.sheet, RATINGS.cell("target", row))] = targets[strand]
    return template("self-assessment").fill(path, values)


@pytest.fixture(scope="module")
def round_of_30(tmp_path_factory):
    """30 councils; a store with an earlier return of every other one, and an External assessment of one more."""
    folder = tmp_path_factory.mktemp("round")
    rows = council_rows(30)
    councils = read_councils(write_csv(folder / "councils.csv", rows))
    returned = {}
    for index, council in enumerate(councils):
        if index % 2 == 0:
            returned[council.organisation] = filled_return(
                folder / "returns" / f"{index}.xlsx", council.organisation, council.region, council.type, index,
                dt.date(2025, 10, 1 + index))
    # An External assessment is not the council's own: it is not carried forward.
    external = filled_return(folder / "returns" / "external.xlsx", councils[1].organisation, councils[1].region,
                             councils[1].type, 99, dt.date(2025, 11, 1))
    Template.from_path(external).fill(external, {CONTRACT.address("AssessmentType"): "External"})
    report = import_returns([folder / "returns"], db=folder / "returns.sqlite")
    assert report.counts["imported"] == len(returned) + 1, report.files
    sent = send_out("self-assessment", folder / "councils.csv", folder / "out", db=folder / "returns.sqlite",
                    deadline="30/10/2026", contact="Sam Adviser, sam.adviser@example.gov.uk")
    return folder, councils, returned, sent


def test_thirty_awkward_councils_each_get_a_workbook_that_reads_back_as_theirs(round_of_30):
    _, councils, _, report = round_of_30
    assert len(report.sent) == len({sent.path.name.casefold() for sent in report.sent}) == 30
    for council, sent in zip(councils, report.sent):
        assert sent.council == council and sent.path.is_file()
        result = read_workbook(sent.path)
        assert (result.organisation, result.region, result.org_type, result.assessment_type) == \
            (council.organisation, council.region, council.type, "Self")
        assert not result.has_errors


def test_loose_regions_types_and_names_are_read_as_meant(round_of_30):
    _, councils, _, _ = round_of_30
    assert [(c.region, c.type) for c in councils[:4]] == [
        ("East of England", "District council"), ("South East", "Unitary authority"),
        ("South East", "Unitary authority"), ("London", "London borough council")]
    assert councils[4].region == "South West"  # E12000009, the ONS code
    assert councils[7].organisation == "Hull City Council"  # runs of spaces, as the store compares names
    assert councils[9].region == "West Midlands" and councils[9].organisation == "Tab here"
    assert councils[0].contact == "Officer 0" and councils[0].email == "officer0@example.gov.uk"


def test_file_names_are_safe_on_windows_and_unique(round_of_30):
    _, _, _, report = round_of_30
    names = [sent.path.name for sent in report.sent]
    assert names[:3] == ["Kings Lynn and West Norfolk - self-assessment.xlsx", "Brighton Hove - self-assessment.xlsx",
                         "Brighton Hove (2) - self-assessment.xlsx"]
    for name in names:
        stem = name.removesuffix(".xlsx")
        assert not set('<>:"/\\|?*\t') & set(name) and name.isascii() and len(name) < 120
        assert stem.split(".")[0].strip().upper() not in WINDOWS_RESERVED and not stem.endswith((" ", "."))


@pytest.mark.parametrize(("name", "stem"), [
    ("CON", "CON_"), ("nul.txt", "nul_.txt"), ("COM1", "COM1_"), ("Lpt9", "Lpt9_"), ("Council.", "Council"),
    ("a<b>c:d\"e/f\\g|h?i*j", "a b c d e f g h i j"), ("\u00a0 ", "council"), ("Œuvre & Co.", "OEuvre and Co"),
])
def test_safe_file_stems(name, stem):
    assert safe_file_stem(name) == stem


def test_the_cover_says_who_it_is_for_the_deadline_whom_to_contact_and_what_was_carried(round_of_30):
    _, councils, returned, report = round_of_30
    for council, sent in zip(councils[:2], report.sent[:2]):
        ws = openpyxl.load_workbook(sent.path)[SEND_OUT.sheet]
        shown = {named.name: ws[SEND_OUT.cell(named.name)].value for named in SEND_OUT.names}
        labels = {named.name: ws.cell(row=SEND_OUT.row(named.name), column=SEND_OUT.label_column + 1).value
                  for named in SEND_OUT.names}
        assert ws.cell(row=SEND_OUT.first_row - 1, column=1).value == SEND_OUT_HEADING
        assert shown["PreparedFor"] == f"{council.contact} ({council.email})"
        assert shown["ReturnBy"] == dt.datetime(2026, 10, 30)
        assert shown["ReturnTo"] == "Sam Adviser, sam.adviser@example.gov.uk"
        assert labels["PreparedFor"] == "Prepared for" and labels["ReturnBy"] == "Please return by"
    carried, blank = (openpyxl.load_workbook(sent.path)[SEND_OUT.sheet][SEND_OUT.cell("CarriedForward")].value
                      for sent in report.sent[:2])
    assert carried == "From your return of 01/10/2025: check and update every answer before you send it back."
    assert blank is None  # council 1 has only an External assessment: nothing of its own to carry


def test_councils_with_a_return_get_their_answers_back_exactly_and_the_rest_blanks(round_of_30):
    _, councils, returned, report = round_of_30
    for council, sent in zip(councils, report.sent):
        result = read_workbook(sent.path)
        if council.organisation in returned:
            before = read_workbook(returned[council.organisation])
            assert [(e.id, e.status, e.evidence) for e in result.elements] == \
                [(e.id, e.status, e.evidence) for e in before.elements]
            assert [(s.strand, s.target) for s in result.strands] == [(s.strand, s.target) for s in before.strands]
            assert [(s.current, s.score) for s in result.strands] == [(s.current, s.score) for s in before.strands]
            assert result.assessment_date is None  # a new assessment: the date is the council's to fill in
            assert sent.carried_from == before.assessment_date.isoformat()
            assert sent.carried == (f"{sum(e.status is not None for e in before.elements)} statuses, "
                                    f"{sum(e.evidence is not None for e in before.elements)} evidence notes, 5 targets")
        else:
            assert all(e.status is None and e.evidence is None for e in result.elements)
            assert all(s.target is None for s in result.strands)
            assert sent.carried_from is None


def test_the_manifest_lists_council_file_and_what_was_carried(round_of_30):
    folder, councils, returned, report = round_of_30
    with report.manifest.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["file"] for row in rows] == [sent.path.name for sent in report.sent]
    assert rows[0]["carried_from"] == "2025-10-01" and rows[0]["carried"].endswith("5 targets")
    assert rows[1]["carried"] == "nothing: no earlier return in the store"
    assert rows[6]["organisation"] == "'" + councils[6].organisation  # formula-like text stays text in Excel
    assert {row["region"] for row in rows} <= set(REGIONS)


def test_what_was_sent_is_recorded_in_the_hidden_sheet(round_of_30):
    _, _, _, report = round_of_30
    with open_package(report.sent[0].path) as pkg:
        assert pkg.meta[CARRIED_FROM] == "2025-10-01"
        assert pkg.meta[SENT_HASH] == pkg.input_hash(CONTRACT)
    with open_package(report.sent[1].path) as pkg:
        assert SENT_HASH not in pkg.meta  # nothing carried: a blank sent back is a blank return


def test_a_carried_return_sent_back_unchanged_is_not_a_new_return(round_of_30, tmp_path):
    folder, councils, returned, report = round_of_30
    unchanged, changed = report.sent[0].path, report.sent[2].path
    back = tmp_path / "back"
    back.mkdir()
    shutil.copy(unchanged, back / "unchanged.xlsx")
    Template.from_path(changed).fill(back / "changed.xlsx", {(ELEMENTS.sheet, ELEMENTS.cell("evidence", 5)): "New"})
    db = Path(shutil.copy(folder / "returns.sqlite", tmp_path / "returns.sqlite"))
    import_report = import_returns([back], db=db)
    outcomes = {Path(o.path).name: o for o in import_report.files}
    assert outcomes["unchanged.xlsx"].outcome == "unchanged-since-sent"
    assert outcomes["unchanged.xlsx"].return_id is None and "check and update" in outcomes["unchanged.xlsx"].reason
    assert outcomes["changed.xlsx"].outcome == "imported"
    assert import_report.counts["unchanged"] == 1 and import_report.exit_code == 0  # the earlier return stands
    assert [issue.code for issue in validate(back / "unchanged.xlsx")] == ["unchanged-since-sent"]
    assert "unchanged-since-sent" not in [issue.code for issue in validate(back / "changed.xlsx")]


def test_an_existing_folder_is_never_written_into_without_force(round_of_30):
    folder, _, _, report = round_of_30
    before = report.sent[0].path.read_bytes()
    with pytest.raises(OutputError, match="is not empty"):
        send_out("self-assessment", folder / "councils.csv", folder / "out")
    assert report.sent[0].path.read_bytes() == before
    again = send_out("self-assessment", [Council("Exampleshire", "London")], folder / "out", force=True)
    assert again.sent[0].path.is_file() and report.sent[0].path.read_bytes() == before  # only its own file written


def test_a_councils_csv_with_bad_rows_names_each_line(tmp_path):
    rows = [("Ashford", "Wessex", "County"), ("", "London", "County"), ("Bramley", "London", "Parish"),
            ("bramley", "london", "county")]
    with pytest.raises(UserTextError) as raised:
        read_councils(write_csv(tmp_path / "bad.csv", rows))
    message = str(raised.value)
    assert "4 bad rows" in message and "line 2: region 'Wessex' is not one of the nine English regions" in message
    assert "line 3: no organisation name" in message and "line 4: type 'Parish' is not one of" in message
    assert "line 5: 'bramley' is listed twice (also on line 4)" in message
    (tmp_path / "short.csv").write_text("Organisation,Region\nAshford,London\n")
    with pytest.raises(UserTextError, match="missing column Type"):
        read_councils(tmp_path / "short.csv")


def test_a_kind_that_is_not_sent_out_and_options_of_another_kind_are_refused(tmp_path):
    with pytest.raises(SendOutError, match="role-map workbooks are not sent out"):
        send_out("role-map", [Council("Exampleshire", "London")], tmp_path / "a")
    with pytest.raises(SendOutError, match="for levy plans"):
        send_out("self-assessment", [Council("Exampleshire", "London")], tmp_path / "b", tax_year="2026-27")
    with pytest.raises(SendOutError, match="not written like"):
        send_out("levy-plan", [Council("Exampleshire", "London")], tmp_path / "c", tax_year="next year")


@pytest.fixture(scope="module")
def other_kinds(tmp_path_factory):
    """A store with a levy plan and a tracker of two councils."""
    folder = tmp_path_factory.mktemp("kinds")
    for name in ("levy-plan", "tracker"):
        for seed in range(2):
            KINDS[name].sample(folder / "returns" / f"{name}-{seed}.xlsx", seed=seed)
    import_returns([folder / "returns"], db=folder / "returns.sqlite")
    return folder


@pytest.mark.parametrize(("tax_year", "previous"), [("2027/28", "funds_in"), ("2026-27", "previous_year_funds"),
                                                    ("2029-30", None)])
def test_a_levy_plan_carries_schools_pay_bill_and_last_years_funds(other_kinds, tax_year, previous, tmp_path):
    old = read_workbook(other_kinds / "returns" / "levy-plan-0.xlsx")
    report = send_out("levy-plan", [Council(old.organisation, old.region)], tmp_path / "out",
                      db=other_kinds / "returns.sqlite", tax_year=tax_year)
    new = read_workbook(report.sent[0].path)
    assert new.tax_year == tax_year.replace("/", "-") and new.organisation == old.organisation
    assert (new.total_pay_bill, new.english_percent, new.headcount) == \
        (old.total_pay_bill, old.english_percent, old.headcount)
    assert [(s.urn, s.name, s.type, s.pay_bill, s.headcount) for s in new.schools] == \
        [(s.urn, s.name, s.type, s.pay_bill, s.headcount) for s in old.schools]
    assert new.planned_starts == [] and new.opening_balance is None  # this year's, not carried
    expected = None if previous is None else getattr(old, previous)
    assert new.previous_year_funds == expected
    assert report.sent[0].notes == (() if previous else (
        f"Funds that entered last tax year: the plan carried forward is for {old.tax_year}, not the year before "
        "2029-30, so they were not carried",))


def test_a_tracker_carries_targets_actuals_and_actions(other_kinds, tmp_path):
    old = read_workbook(other_kinds / "returns" / "tracker-1.xlsx")
    report = send_out("tracker", [Council(old.organisation, "London")], tmp_path / "out",
                      db=other_kinds / "returns.sqlite")
    new = read_workbook(report.sent[0].path)
    assert new.strategy == old.strategy and new.region == "London"
    fields = ("id", "measure", "unit", "direction", "baseline_date", "baseline", "target_date", "target", "note")
    assert [tuple(getattr(t, f) for f in fields) for t in new.targets] == \
        [tuple(getattr(t, f) for f in fields) for t in old.targets]
    assert [(a.target_id, a.date, a.value, a.source, a.note) for a in new.actuals] == \
        [(a.target_id, a.date, a.value, a.source, a.note) for a in old.actuals]
    assert [(a.number, a.action, a.accountable, a.due, a.status, a.update) for a in new.actions] == \
        [(a.number, a.action, a.accountable, a.due, a.status, a.update) for a in old.actions]
    assert new.reporting_date is None  # the new quarter's, for the council to fill in
    assert report.sent[0].carried.startswith(f"{len(old.targets)} targets, {len(old.actuals)} actuals")


def test_a_long_schools_list_gets_a_longer_table(tmp_path):
    from lga_xl.writers.levy_plan import SchoolEntry, new_levy_plan

    schools = [SchoolEntry(100_000 + i, f"School {i}", "Community school", 1_000_000, 30) for i in range(75)]
    new_levy_plan(tmp_path / "returns" / "plan.xlsx", org_name="Exampleshire", region="London", schools=schools,
                  total_pay_bill=200_000_000, english_percent=1)
    import_returns([tmp_path / "returns"], db=tmp_path / "returns.sqlite")
    report = send_out("levy-plan", [Council("Exampleshire", "London")], tmp_path / "out",
                      db=tmp_path / "returns.sqlite")
    assert [s.urn for s in read_workbook(report.sent[0].path).schools] == [str(100_000 + i) for i in range(75)]


def test_the_command_line_send_out(round_of_30, tmp_path):
    folder, _, _, _ = round_of_30
    result = CliRunner().invoke(main, ["send-out", "self-assessment", "--councils", str(folder / "councils.csv"),
                                       "--out-dir", str(tmp_path / "out"), "--db", str(folder / "returns.sqlite"),
                                       "--deadline", "30 Oct 2026", "--contact", "Sam"])
    assert result.exit_code == 0, result.output
    assert "30 self-assessment workbooks written" in result.output and "15 with answers carried forward" in result.output
    again = CliRunner().invoke(main, ["send-out", "self-assessment", "--councils", str(folder / "councils.csv"),
                                      "--out-dir", str(tmp_path / "out")])
    assert again.exit_code == 2 and "is not empty" in again.output
    bad = CliRunner().invoke(main, ["send-out", "levy-plan", "--councils", str(folder / "councils.csv"),
                                    "--out-dir", str(tmp_path / "levy"), "--deadline", "someday"])
    assert bad.exit_code == 2 and "deadline" in bad.output
    assert kind("self-assessment").carrier is not None and kind("role-map").carrier is None

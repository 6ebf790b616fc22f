"""Returns of an older template upgraded to the current one: the same answers in a fresh template."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from lga_xl.answers import UPGRADED_FROM, Answers, Migration, MigrationError, migrate
from lga_xl.cli import main
from lga_xl.contracts.self_assessment import CONTRACT_1_0
from lga_xl.kinds import KINDS, kind
from lga_xl.outputs import OutputError
from lga_xl.readers import read_workbook
from lga_xl.readers.package import open_package
from lga_xl.upgrade import upgrade_workbooks
from lga_xl.writers.fill import Template

RELEASE_0_1_0 = Path(__file__).resolve().parent / "data" / "release-0.1.0"
RETURNS = ("self_assessment", "external_assessment", "levy_plan")
LEVY_INPUTS = ("organisation", "region", "tax_year", "plan_start", "total_pay_bill", "english_percent", "headcount",
               "previous_year_funds", "opening_balance", "transfers_committed")
LEVY_FIGURES = ("annual_levy", "funds_in", "planned_spend", "planned_starts_in_year", "transfer_allowance_statutory",
                "transfers_planned", "transfers_total", "headroom_10", "headroom_25", "headroom_statutory",
                "over_committed", "schools_pay_bill", "schools_levy_share", "schools_planned_spend")


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("upgraded")
    digests = {name: hashlib.sha256((RELEASE_0_1_0 / f"{name}.xlsx").read_bytes()).digest() for name in RETURNS}
    report = upgrade_workbooks([RELEASE_0_1_0 / f"{name}.xlsx" for name in RETURNS], folder / "out")
    return report, digests


def test_each_0_1_0_return_becomes_the_current_template(upgraded):
    report, digests = upgraded
    assert [(item.source.stem, item.from_version, item.to_version) for item in report.upgraded] == \
        [(name, "1.0", kind(item.kind).current.version) for name, item in zip(RETURNS, report.upgraded)]
    for item in report.upgraded:
        with open_package(item.path) as pkg:
            assert pkg.meta["template_version"] == kind(item.kind).current.version
            assert pkg.meta[UPGRADED_FROM] == "1.0"
    assert report.exit_code == 0 and "3 of 3 files upgraded" in report.summary()
    assert {name: hashlib.sha256((RELEASE_0_1_0 / f"{name}.xlsx").read_bytes()).digest() for name in RETURNS} == \
        digests  # the returns themselves are only read


@pytest.mark.parametrize("name", ["self_assessment", "external_assessment"])
def test_a_self_assessment_reads_back_with_identical_statuses_and_ratings(upgraded, name):
    report, _ = upgraded
    item = next(item for item in report.upgraded if item.source.stem == name)
    before, after = read_workbook(item.source), read_workbook(item.path)
    assert [(e.id, e.status, e.evidence) for e in after.elements] == [(e.id, e.status, e.evidence) for e in before.elements]
    assert after.strands == before.strands and after.overall_score == before.overall_score
    assert (after.organisation, after.region, after.org_type, after.assessment_type, after.assessor,
            after.assessment_date) == (before.organisation, before.region, before.org_type, before.assessment_type,
                                       before.assessor, before.assessment_date)
    assert after.issues == [] and item.not_carried == ()


def test_a_levy_plan_reads_back_with_identical_inputs_and_figures(upgraded):
    report, _ = upgraded
    item = next(item for item in report.upgraded if item.source.stem == "levy_plan")
    before, after = read_workbook(item.source), read_workbook(item.path)
    assert {f: getattr(after, f) for f in LEVY_INPUTS} == {f: getattr(before, f) for f in LEVY_INPUTS}
    assert after.english_percent == Decimal(100)  # 100 in 1.0's 0-100 cell, 100% (held as 1) in 2.0's
    assert {f: getattr(after, f) for f in LEVY_FIGURES} == {f: getattr(before, f) for f in LEVY_FIGURES}
    assert [(s.urn, s.name, s.pay_bill, s.headcount, s.in_council_levy, s.levy_share, s.planned_spend)
            for s in after.schools] == [(s.urn, s.name, s.pay_bill, s.headcount, s.in_council_levy, s.levy_share,
                                         s.planned_spend) for s in before.schools]
    assert {s.type for s in after.schools} <= {"Community school", "Voluntary controlled school",
                                               "Community special school", "Local authority nursery school",
                                               "Foundation school", "Voluntary aided school", "Academy",
                                               "Free schools"}
    costed = ("standard", "start_date", "duration_months", "price", "band_max", "in_year_cost")
    assert [(s.urn, *(getattr(s, f) for f in costed)) for s in after.planned_starts] == \
        [(s.urn, *(getattr(s, f) for f in costed)) for s in before.planned_starts]
    assert [(t.recipient, t.type, *(getattr(t, f) for f in costed)) for t in after.transfers] == \
        [(t.recipient, "Transfer", *(getattr(t, f) for f in costed)) for t in before.transfers]
    assert [i.code for i in after.issues] == [i.code for i in before.issues]


def test_what_cannot_be_carried_is_reported(tmp_path):
    from lga_xl.contracts.levy_plan_v1 import INPUTS, SCHOOLS

    odd = Template.from_path(RELEASE_0_1_0 / "levy_plan.xlsx").fill(tmp_path / "odd.xlsx", {
        ("Plan", INPUTS.cell("EnglishPercent")): "most of it",
        (SCHOOLS.sheet, SCHOOLS.cell("type", SCHOOLS.first_row)): "Shop",
    })
    ratings = CONTRACT_1_0.table("Ratings")
    score = ratings.cell("score", ratings.first_row)
    typed_over = Template.from_path(RELEASE_0_1_0 / "self_assessment.xlsx").fill(
        tmp_path / "typed_over.xlsx", {(ratings.sheet, score): 4})  # a score typed over its formula
    report = upgrade_workbooks([odd, typed_over], tmp_path / "out")
    item = report.upgraded[0]
    assert item.path is not None
    school = read_workbook(odd).schools[0].name
    assert "Plan: the English percentage 'most of it' is not a number; it was copied as typed" in item.not_carried
    assert (f"Schools: {school}'s type 'Shop' is not an establishment type; it was copied as typed: pick the type "
            "from the list") in item.not_carried
    [note] = report.upgraded[1].not_carried
    assert note.startswith(f"{ratings.sheet}!{score}: Leadership and Culture: the workbook shows Score 4")
    assert note.endswith("; the upgraded workbook has the formula again")
    assert not read_workbook(report.upgraded[1].path).issues
    after = read_workbook(item.path)
    assert after.schools[0].type == "Shop" and "unknown-school-type" in {i.code for i in after.issues}
    assert after.annual_levy == read_workbook(RELEASE_0_1_0 / "levy_plan.xlsx").annual_levy


def test_a_current_return_or_an_unreadable_file_is_not_upgraded(tmp_path):
    current = KINDS["self-assessment"].sample(tmp_path / "current.xlsx", seed=1)
    (tmp_path / "notes.xlsx").write_text("not a workbook")
    report = upgrade_workbooks([current, tmp_path / "notes.xlsx"], tmp_path / "out")
    assert [item.path for item in report.upgraded] == [None, None]
    assert report.upgraded[0].problem == "already on the current self-assessment template (2.0)"
    assert "not an Excel workbook" in report.upgraded[1].problem and report.exit_code == 2


def test_an_upgrade_never_writes_over_a_return(tmp_path):
    with pytest.raises(OutputError, match="would replace the input"):
        upgrade_workbooks([RELEASE_0_1_0 / "levy_plan.xlsx"], RELEASE_0_1_0, force=True)


def test_every_older_template_version_has_a_way_to_the_current_one():
    for workbook_kind in KINDS.values():
        for version in workbook_kind.versions:
            moved = migrate(Answers(workbook_kind.name, version, {}, {}), workbook_kind.migrations,
                            workbook_kind.current.version)
            assert moved.version == workbook_kind.current.version
        assert all(m.summary for m in workbook_kind.migrations)


def test_a_missing_or_circular_migration_is_an_error():
    def back(answers):
        return answers.moved("1.0")

    with pytest.raises(MigrationError, match="from template 1.0 to 3.0"):
        migrate(Answers("x", "1.0", {}, {}), (Migration("1.0", "2.0", lambda a: a.moved("2.0"), "up"),
                                              Migration("2.0", "1.0", back, "down")), "3.0")


def test_the_self_assessment_migration_keeps_every_answer():
    answers = Answers("self-assessment", CONTRACT_1_0.version, {"OrgName": "Exampleshire"},
                      {"Elements": [{"id": "LC-D1", "status": "Achieved"}], "Ratings": [{"strand": "Engagement",
                                                                                          "target": "Mature"}]})
    moved = migrate(answers, kind("self-assessment").migrations, "2.0")
    assert (moved.names, moved.tables, moved.notes) == (answers.names, answers.tables, [])


def test_the_command_line_upgrade(tmp_path):
    result = CliRunner().invoke(main, ["upgrade", str(RELEASE_0_1_0 / "levy_plan.xlsx"), "--out-dir",
                                       str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "levy-plan template 1.0 -> 2.0" in result.output and (tmp_path / "out" / "levy_plan.xlsx").is_file()

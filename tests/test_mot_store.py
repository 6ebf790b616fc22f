"""The MOT from the returns store: a round of generated returns from 60 councils across the nine
regions, imported; each report's figures are compared with the same figures worked out here, from
the store, in plain SQL and Python (never by the code under test); what is missing is said; the
command line; LibreOffice lays the report out on a few pages with its chart."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import statistics
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook
from PIL import Image

import lga_xl
from lga_xl.bulk import import_returns
from lga_xl.cli import main
from lga_xl.maturity import load_edition
from lga_xl.mot.from_store import PLAN_SOURCE, TRACKER_SOURCE, MotInputs, UnknownOrganisation
from lga_xl.mot.peers import LEVY_MEASURES, STARTS_MEASURES
from lga_xl.mot.reports import report_names, write_mot_reports
from lga_xl.mot.sections import COLOURS
from lga_xl.mot.wording import figure, long_date
from lga_xl.reference import REGIONS
from lga_xl.samples import council, sample_round
from lga_xl.writers.levy_plan import sample_levy_plan
from lga_xl.writers.tracker import PublicSectorYear, new_tracker
from tests.test_mot_report import EXAMPLE_SURVEY, SECTION_TITLES, pages

COUNCILS = 60
FULL = council(0)[0]  # sample_round: self, external and previous assessments, and a levy plan
ONLY_SELF = council(14)[0]  # a self-assessment and nothing else
RESENT_PLAN = 18  # a council of FULL's region that sends its levy plan again, changed
STRANDS = load_edition().strand_names
MISSING = ("There is no external assessment by the LGA to compare with.",
           "There is no earlier self-assessment from the council in the returns",
           "The council has not returned a schools levy plan",
           "No starts or headcount figures are available for the council",
           "No apprentice survey was run for this MOT")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("mot-store")
    sample_round(folder / "returns", COUNCILS)
    db = folder / "returns.sqlite"
    assert import_returns([folder / "returns"], db=db).counts["rejected"] == 0
    name, _, region = council(RESENT_PLAN)
    sample_levy_plan(folder / "later" / "levy_plan_resent.xlsx", org_name=name, region=region, seed=1000)
    assert import_returns([folder / "later"], db=db).counts["imported"] == 1
    return db


@pytest.fixture(scope="module")
def written(store: Path, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("mot-reports")
    paths = {"full.docx": folder / "full.docx", "full.xlsx": folder / "full.xlsx",
             "self.docx": folder / "self.docx"}
    for key, organisation, survey in (("full.docx", FULL, EXAMPLE_SURVEY), ("full.xlsx", FULL, EXAMPLE_SURVEY),
                                      ("self.docx", ONLY_SELF, None)):
        lga_xl.write_mot_report(organisation, db=store, out=paths[key], survey=survey,
                                prepared_on=dt.date(2026, 11, 30))
    return paths


# --- what the store holds, worked out independently ------------------------------------------


def query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql, params).fetchall()


def key(name: str) -> str:
    return " ".join(name.casefold().split())


def newest(db: Path, kind: str, assessment_type: str = "") -> dict[str, tuple[int, str | None]]:
    """Each council's newest imported return of a kind: {org_key: (return id, region)}; newest by
    date (tax year for a levy plan), then by the later import."""
    best: dict[str, tuple[tuple, int, str | None]] = {}
    for return_id, org, region, day, year in query(
            db, "SELECT id, org_key, region, assessment_date, tax_year FROM returns "
                "WHERE status = 'imported' AND kind = ? AND assessment_type = ?", (kind, assessment_type)):
        rank = (day or year or "", return_id)
        if org not in best or rank > best[org][0]:
            best[org] = (rank, return_id, region)
    return {org: (return_id, region) for org, (_, return_id, region) in best.items()}


def half_up(value: float, places: int = 2) -> float:
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def expected(db: Path, name: str) -> dict:
    """Every figure of the council's MOT, from the store."""
    org = key(name)
    selfs = newest(db, "self-assessment", "Self")
    region = {o: r for o, (_, r) in selfs.items()}
    scores = {o: dict(query(db, "SELECT strand, score FROM strand_ratings WHERE return_id = ?", (i,)))
              for o, (i, _) in selfs.items()}
    own_id = selfs[org][0]
    [(own_date, assessor)] = query(db, "SELECT r.assessment_date, a.assessor FROM returns r JOIN self_assessments a "
                                       "ON a.return_id = r.id WHERE r.id = ?", (own_id,))
    before = query(db, "SELECT id, assessment_date FROM returns WHERE org_key = ? AND kind = 'self-assessment' "
                       "AND assessment_type = 'Self' AND status = 'imported' AND assessment_date < ? "
                       "ORDER BY assessment_date DESC, id DESC LIMIT 1", (org, own_date))
    lga = newest(db, "self-assessment", "External").get(org)
    in_region = [o for o in selfs if region[o] == region[org]]
    maturity = {}
    for strand in STRANDS:
        rating, target = query(db, "SELECT current, target FROM strand_ratings WHERE return_id = ? AND strand = ?",
                               (own_id, strand))[0]
        maturity[strand] = {
            "rating": rating, "target": target,
            "lga": query(db, "SELECT current FROM strand_ratings WHERE return_id = ? AND strand = ?",
                         (lga[0], strand))[0][0] if lga else None,
            "previous": query(db, "SELECT current FROM strand_ratings WHERE return_id = ? AND strand = ?",
                              (before[0][0], strand))[0][0] if before else None,
            "regional": half_up(statistics.fmean(scores[o][strand] for o in in_region)),
            "national": half_up(statistics.fmean(scores[o][strand] for o in selfs)),
        }

    plans = newest(db, "levy-plan")
    figures = {}
    for o, (return_id, _) in plans.items():
        (funds, spend, allowance, transfers, expiring, schools, engaged, headcount, starts), = query(
            db, "SELECT funds_in, planned_spend, transfer_allowance_statutory, transfers_total, expiring_funds, "
                "schools, schools_engaged, headcount, planned_starts_in_year FROM levy_plans WHERE return_id = ?",
            (return_id,))
        figures[o] = {"funds_in": funds, "spend_share": spend / funds, "transfer_used_share": transfers / allowance,
                      "expiring_funds": expiring, "expiring_share": expiring / funds, "schools": schools,
                      "schools_engaged_share": engaged / schools, "starts": starts, "headcount": headcount,
                      "starts_share": starts / headcount}
    peers = {}
    for measure, values in figures.get(org, {}).items():
        regional = [figures[o][measure] for o in figures if region.get(o, plans[o][1]) == region[org]]
        peers[measure] = {"council": values, "regional": statistics.median(regional), "regional_n": len(regional),
                          "national": statistics.median(f[measure] for f in figures.values()),
                          "national_n": len(figures)}
    return {"region": region[org], "councils": len(selfs), "in_region": len(in_region), "date": own_date,
            "assessor": assessor, "previous_date": before[0][1] if before else None, "maturity": maturity,
            "peers": peers, "lga": lga}


def sheet_rows(path: Path, sheet: str) -> dict[str, list]:
    """A report workbook's table rows by their first cell (the first row of that name: a strand also
    heads a group of rows further down the Maturity sheet); headings and text are left out."""
    rows: dict[str, list] = {}
    for row in load_workbook(path)[sheet].iter_rows(values_only=True):
        if row[0] and any(value is not None for value in row[1:]):
            rows.setdefault(row[0], list(row[1:]))
    return rows


def docx_text(path: Path) -> str:
    doc = Document(path)
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])


# --- the round of returns ----------------------------------------------------------------------


def test_the_round_has_councils_in_every_region_and_the_returns_the_reports_need(store):
    selfs = newest(store, "self-assessment", "Self")
    assert len(selfs) == COUNCILS
    assert {region for _, region in selfs.values()} == set(REGIONS)
    assert min(sum(1 for _, r in selfs.values() if r == region) for region in REGIONS) >= 6
    kinds = {org: {(kind, kind_type) for kind, kind_type in query(
        store, "SELECT kind, assessment_type FROM returns WHERE org_key = ?", (org,))} for org in (key(FULL),
                                                                                                  key(ONLY_SELF))}
    assert kinds[key(FULL)] == {("self-assessment", "Self"), ("self-assessment", "External"), ("levy-plan", "")}
    assert len(query(store, "SELECT id FROM returns WHERE org_key = ? AND assessment_type = 'Self'",
                     (key(FULL),))) == 2
    assert kinds[key(ONLY_SELF)] == {("self-assessment", "Self")}


# --- a full report: every section, the store's figures -------------------------------------------


def test_a_full_report_has_every_section_and_says_nothing_is_missing(written):
    doc = Document(written["full.docx"])
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == SECTION_TITLES
    text = docx_text(written["full.docx"])
    assert not [phrase for phrase in MISSING if phrase in text]
    assert len(doc.inline_shapes) == 3  # maturity, levy and the survey
    assert load_workbook(written["full.xlsx"]).sheetnames == [
        "Cover", "Summary", "Maturity", "Progress", "Levy and schools", "Starts", "Apprentice experience",
        "Improvement priorities", "LGA support"]


def test_the_cover_names_the_returns_used_with_their_dates_and_assessors(store, written):
    want = expected(store, FULL)
    cover = sheet_rows(written["full.xlsx"], "Cover")
    assert cover["Region"][0] == want["region"]
    assert cover["Self-assessment"][0] == f"{long_date(dt.date.fromisoformat(want['date']))}, by {want['assessor']}"
    lga_date, lga_assessor = query(store, "SELECT r.assessment_date, a.assessor FROM returns r JOIN self_assessments a"
                                          " ON a.return_id = r.id WHERE r.id = ?", (want["lga"][0],))[0]
    assert cover["External assessment (LGA)"][0] == f"{long_date(dt.date.fromisoformat(lga_date))}, by {lga_assessor}"
    assert cover["Previous self-assessment"][0].startswith(long_date(dt.date.fromisoformat(want["previous_date"])))
    assert cover["Regional and national figures"][0].startswith(
        f"Self-assessments of {want['councils']} councils in England, {want['in_region']} of them")
    assert cover["Apprentice survey"][0].startswith("25 responses")


def test_maturity_and_progress_are_the_stores_ratings_and_means(store, written):
    want = expected(store, FULL)
    maturity = sheet_rows(written["full.xlsx"], "Maturity")
    header = next(r for r in maturity.values() if r and r[0] == "Council")
    assert f"{want['region']} mean ({want['in_region']} councils)" in header
    assert f"England mean ({want['councils']} councils)" in header
    progress = sheet_rows(written["full.xlsx"], "Progress")
    [word_table] = [t for t in Document(written["full.docx"]).tables if t.rows[0].cells[0].text == "Strand"
                    and "Target" in [c.text for c in t.rows[0].cells]]
    word = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in word_table.rows[1:]}
    for strand, figures in want["maturity"].items():
        assert maturity[strand][:5] == [figures["rating"], figures["lga"], figures["target"], figures["regional"],
                                        figures["national"]], strand
        assert word[strand] == [figures["rating"], figures["lga"], figures["target"],
                                figure(figures["regional"], "mean"), figure(figures["national"], "mean")], strand
        change = progress[strand][2]
        assert progress[strand][:2] == [figures["previous"], figures["rating"]], strand
        assert change in ("Up", "Down", "Same")


@pytest.mark.parametrize(("sheet", "measures"), [("Levy and schools", LEVY_MEASURES), ("Starts", STARTS_MEASURES)])
def test_levy_schools_and_starts_are_the_stores_figures_against_medians_counted_once_each(store, written, sheet,
                                                                                           measures):
    want = expected(store, FULL)["peers"]
    rows = sheet_rows(written["full.xlsx"], sheet)
    cells = {c.text for t in Document(written["full.docx"]).tables for r in t.rows for c in r.cells}
    for measure in measures:
        figures = want[measure.key]
        council, regional, regional_n, national, national_n = rows[measure.label][:5]
        assert council == pytest.approx(figures["council"], rel=1e-12), measure.key
        assert regional == pytest.approx(figures["regional"], rel=1e-12), measure.key
        assert national == pytest.approx(figures["national"], rel=1e-12), measure.key
        assert (regional_n, national_n) == (figures["regional_n"], figures["national_n"]), measure.key
        assert {figure(figures[f], measure.unit) for f in ("council", "regional", "national")} <= cells, measure.key
    # Each council once: the council that sent its plan twice counts by its newer plan only.
    assert want["funds_in"]["national_n"] == len({org for (org,) in query(
        store, "SELECT org_key FROM returns WHERE kind = 'levy-plan' AND status = 'imported'")})


def test_a_council_with_only_a_self_assessment_gets_every_section_saying_what_is_missing(store, written):
    doc = Document(written["self.docx"])
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == SECTION_TITLES
    text = docx_text(written["self.docx"])
    assert [phrase for phrase in MISSING if phrase not in text] == []
    assert "None yet" in text and "None in the returns" in text and "None returned" in text
    want = expected(store, ONLY_SELF)
    for strand, figures in want["maturity"].items():
        assert figure(figures["regional"], "mean") in text and figures["rating"] in text, strand


def test_a_regional_figure_from_fewer_than_three_councils_is_not_shown(store, tmp_path):
    fewer = tmp_path / "fewer.sqlite"
    shutil.copy(store, fewer)
    region = expected(store, FULL)["region"]
    others = [org for org, (_, r) in newest(store, "levy-plan").items() if r == region and org != key(FULL)]
    with sqlite3.connect(fewer) as connection:  # rejected returns are kept, but never counted
        connection.execute(f"UPDATE returns SET status = 'rejected' WHERE kind = 'levy-plan' AND org_key IN "
                           f"({', '.join('?' * (len(others) - 1))})", others[1:])
    report = lga_xl.load_mot_report(fewer, FULL)
    spend = report.benchmarks.get("spend_share")
    assert (spend.regional.value, spend.regional.councils) == (None, 2)
    text = docx_text(lga_xl.write_mot_report(FULL, db=fewer, out=tmp_path / "few.docx"))
    assert f"A median is not shown where only 2 councils in the {region} have this figure; at least 3 are needed." \
        in text


def test_the_trackers_actual_starts_are_used_when_the_store_has_them_and_compared_like_for_like(store, tmp_path):
    tracked = tmp_path / "tracker.sqlite"
    shutil.copy(store, tracked)
    region = expected(store, FULL)["region"]
    selfs = newest(store, "self-assessment", "Self")
    councils = [key(FULL), *[o for o, (_, r) in selfs.items() if r == region and o != key(FULL)][:3],
                *[o for o, (_, r) in selfs.items() if r != region][:3]]
    figures, trackers = {}, []
    names = {key(name): name for name in (council(seed)[0] for seed in range(80))}
    for number, org in enumerate(councils):
        years = (("2023-24", 4000 + number, 50 + number), ("2024-25", 4100 + 7 * number, 60 + 3 * number))
        trackers.append(new_tracker(
            tmp_path / "trackers" / f"tracker_{number}.xlsx", org_name=names[org], region=selfs[org][1],
            reporting_date=dt.date(2026, 9, 30),
            public_sector=[PublicSectorYear(year, headcount_start=headcount, starts_council=starts)
                           for year, headcount, starts in years]))
        figures[org] = years[-1]
    assert import_returns(trackers, db=tracked).counts["imported"] == len(trackers)
    inputs = MotInputs.load(tracked)
    report = inputs.report(FULL)
    assert (report.starts.period, report.starts.headcount, report.starts.starts, report.starts.source) == \
        (*figures[key(FULL)], TRACKER_SOURCE)
    share = report.benchmarks.get("starts_share")
    in_region = [starts / headcount for org, (_, headcount, starts) in figures.items() if selfs[org][1] == region]
    assert (share.regional.value, share.regional.councils) == (statistics.median(in_region), 4)
    assert (share.national.value, share.national.councils) == (
        statistics.median(s / h for _, h, s in figures.values()), len(figures))
    untracked = next(o for o, (_, r) in selfs.items() if r == region and o not in figures
                     and o in newest(store, "levy-plan"))
    other = inputs.report(untracked)
    assert other.starts.source == PLAN_SOURCE  # its levy plan, against the levy plans' planned starts
    assert other.benchmarks.get("starts_share").national.councils == len(newest(store, "levy-plan"))


# --- the command line and the library --------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(main, ["mot", *map(str, args)])


def test_an_organisation_not_in_the_store_exits_2_naming_the_closest(store, tmp_path):
    result = run("Ashfrod Citty Council", "--db", store, "-o", tmp_path / "x.docx")
    assert result.exit_code == 2
    assert "'Ashfrod Citty Council' is not in the store; the closest: Ashford City Council" in result.output
    assert not (tmp_path / "x.docx").exists()
    with pytest.raises(UnknownOrganisation) as caught:
        lga_xl.load_mot_report(store, "Ashfrod Citty Council")
    assert caught.value.matches[0] == FULL


def test_a_council_with_no_self_assessment_of_its_own_is_named_and_refused(store, tmp_path):
    external_only = tmp_path / "external.sqlite"
    shutil.copy(store, external_only)
    with sqlite3.connect(external_only) as connection:
        connection.execute("UPDATE returns SET status = 'rejected' WHERE org_key = ? AND assessment_type = 'Self'",
                           (key(FULL),))
    result = run(FULL, "--db", external_only, "-o", tmp_path / "x.docx")
    assert result.exit_code == 2
    assert (f"{FULL} has no self-assessment of its own in the store (only a schools apprenticeship levy plan, "
            "an External assessment)") in result.output


def test_a_report_is_never_written_over_without_force(store, tmp_path):
    out = tmp_path / "report.docx"
    out.write_bytes(b"the adviser's edited report")
    result = run(FULL, "--db", store, "-o", out)
    assert result.exit_code == 2 and result.output.strip() == \
        f"Error: {out}: already exists; choose another name, or use --force to replace it"
    assert out.read_bytes() == b"the adviser's edited report"
    assert run(FULL, "--db", store, "-o", out, "--force").exit_code == 0
    assert Document(out).paragraphs[0].text == "Apprenticeship MOT"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.docx"]  # no partial file left


@pytest.mark.parametrize(("args", "message"), [
    (["--db", "missing.sqlite", "-o", "x.docx"], "missing.sqlite: no such store"),
    (["-o", "x.pdf"], "x.pdf: the name must end in .docx or .xlsx"),
    (["-o", "x.docx", "--survey", "no-such-export.csv"], "no-such-export.csv: no such file"),
])
def test_errors_are_one_line_naming_the_file(store, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    if "--db" not in args:
        args = ["--db", str(store), *args]
    result = run(FULL, *args)
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and message in result.output and result.output.count("\n") == 1


@pytest.mark.parametrize("args", [[], [FULL, "--all"], ["--all", "-o", "x.docx"], [FULL], [FULL, "--out-dir", "d"],
                                  ["--all", "--out-dir", "d", "--survey", "s.csv"]])
def test_usage_errors_exit_2(store, args):
    assert run(*args, "--db", store).exit_code == 2


def test_all_writes_one_report_per_council_with_a_self_assessment(store, tmp_path):
    result = run("--all", "--db", store, "--out-dir", tmp_path / "mot", "--format", "xlsx", "--jobs", "2")
    assert result.exit_code == 0, result.output
    names = sorted(name for _, name in MotInputs.load(store).councils())
    assert result.output.startswith(f"{COUNCILS} MOT reports written to {tmp_path / 'mot'} in ")
    assert sorted(p.name for p in (tmp_path / "mot").iterdir()) == sorted(report_names(names, "xlsx"))
    again = run("--all", "--db", store, "--out-dir", tmp_path / "mot", "--format", "xlsx")
    assert again.exit_code == 2 and "is not empty" in again.output


def test_a_report_that_fails_is_listed_and_the_others_are_still_written(store, tmp_path, monkeypatch):
    original = MotInputs.report

    def failing(self, organisation, **options):
        if organisation == key(ONLY_SELF):
            raise RuntimeError("disk full")
        return original(self, organisation, **options)

    monkeypatch.setattr(MotInputs, "report", failing)
    done = []
    result = write_mot_reports(db=store, out_dir=tmp_path / "mot", fmt="xlsx", jobs=1,
                               progress=lambda n, total: done.append((n, total)))
    assert result.failed == [(ONLY_SELF, "RuntimeError: disk full")] and result.exit_code == 1
    assert len(result.written) == COUNCILS - 1 and all(path.exists() for _, path in result.written)
    assert done[-1] == (COUNCILS, COUNCILS)


# --- LibreOffice: the pages a reader sees ------------------------------------------------------


@pytest.mark.libreoffice
def test_libreoffice_lays_the_report_from_the_store_out_on_3_to_8_pages_with_its_chart(libreoffice, written,
                                                                                          tmp_path):
    pdfs = libreoffice.pdf([written["full.docx"], written["self.docx"]], tmp_path)
    assert 3 <= pages(pdfs[written["full.docx"]]) <= 8
    assert 3 <= pages(pdfs[written["self.docx"]]) <= 8
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: the pages were counted, not looked at")
    # The maturity chart is on page 2: its council-blue columns are in the picture LibreOffice drew.
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "2", "-l", "2", str(pdfs[written["full.docx"]]),
                    str(tmp_path / "page")], check=True)
    [png] = tmp_path.glob("page*.png")
    blue = tuple(int(COLOURS["council"][i:i + 2], 16) for i in (1, 3, 5))
    colours = Image.open(png).convert("RGB").getcolors(1_000_000)
    assert sum(n for n, c in colours if all(abs(a - b) <= 12 for a, b in zip(c, blue))) > 200

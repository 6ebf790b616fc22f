"""The standards export in full: statuses, job titles, keywords, start dates, dated funding bands, the diff."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from lga_xl.standards import (
    APPROVED_FOR_DELIVERY,
    IN_DEVELOPMENT,
    RETIRED,
    STATUSES,
    WITHDRAWN,
    FundingBand,
    Standard,
    StandardsError,
    load_standards,
    sample_export,
)
from lga_xl.standards_diff import BandChange, Change, diff_standards

DATA = Path(__file__).parent / "data"
D = dt.date


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content, indent=2), encoding="utf-8")
    return path


def item(reference="ST0384", title="Team leader", level=3, funding=5000, *, version="1.4",
         status=APPROVED_FOR_DELIVERY, **extra):
    """One standard as Skills England's export gives it."""
    return {"referenceNumber": reference, "title": title, "level": level, "maxFunding": funding, "version": version,
            "status": status, "typicalDuration": 15, **extra}


def band(cap, start, end=None):
    return {"maxEmployerLevyCap": cap, "effectiveFrom": start, "effectiveTo": end}


TEAM_LEADER_BANDS = (FundingBand(D(2018, 8, 1), D(2025, 7, 31), Decimal("4500")),
                     FundingBand(D(2025, 8, 1), None, Decimal("5000")))


# --- JSON: every field -----------------------------------------------------------------------


def test_json_reads_every_field_matching_and_planning_need(tmp_path):
    path = write(tmp_path, "export.json", {"standards": [item(
        route="Business and administration", typicalJobTitles=["Team leader", "Supervisor", "Shift supervisor"],
        keywords=["management", "leadership"], earliestStartDate="2024-04-01T00:00:00",
        latestStartDate="2027-03-31T00:00:00",
        apprenticeshipFunding=[band(5000, "2025-08-01T00:00:00"), band(4500, "2018-08-01", "2025-07-31T00:00:00")],
    )]})
    [standard] = load_standards(path)
    assert standard == Standard("ST0384", "Team leader", 3, Decimal("5000"), 15, "1.4", APPROVED_FOR_DELIVERY,
                                earliest_start_date=D(2024, 4, 1), latest_start_date=D(2027, 3, 31),
                                funding_bands=TEAM_LEADER_BANDS)  # bands sorted oldest first
    assert standard.route == "Business and administration"
    assert standard.typical_job_titles == ("Team leader", "Supervisor", "Shift supervisor")
    assert standard.keywords == ("management", "leadership")


def test_job_titles_and_keywords_as_a_list_or_as_text_separated_by_bars(tmp_path):
    """The Skills England export gives lists; the Find apprenticeship training API joins them with '|'."""
    as_lists = item(typicalJobTitles=["Team leader", "Supervisor"], keywords=["management", "CMI"])
    as_text = item(typicalJobTitles="Team leader|Supervisor", keywords=" management | CMI |")
    [from_lists] = load_standards(write(tmp_path, "lists.json", [as_lists]))
    [from_text] = load_standards(write(tmp_path, "text.json", [as_text]))
    assert from_lists.typical_job_titles == from_text.typical_job_titles == ("Team leader", "Supervisor")
    assert from_lists.keywords == from_text.keywords == ("management", "CMI")


def test_the_find_apprenticeship_training_shape(tmp_path):
    """ifateReferenceNumber, version details and standard dates nested, lists as text, no maxFunding."""
    export = {"standards": [{
        "ifateReferenceNumber": "ST0005", "title": "Adult care worker", "level": 2, "version": "2.0",
        "status": "approved for delivery", "typicalJobTitles": "Care worker|Care assistant|Care worker",
        "keywords": "care|support", "route": "Care services",
        "versionDetail": {"earliestStartDate": "2025-08-01T00:00:00", "latestStartDate": None,
                          "typicalDuration": 12},
        "standardDates": {"lastDateStarts": "2027-07-31T00:00:00", "effectiveFrom": "2017-05-01T00:00:00"},
        "apprenticeshipFunding": [band(3000, "2017-05-01T00:00:00", "2025-07-31T00:00:00"),
                                  band(4500, "2025-08-01T00:00:00")],
    }]}
    [standard] = load_standards(write(tmp_path, "export.json", export))
    assert standard == Standard(
        "ST0005", "Adult care worker", 2, Decimal("4500"), 12, "2.0", APPROVED_FOR_DELIVERY,
        earliest_start_date=D(2025, 8, 1), latest_start_date=D(2027, 7, 31),
        funding_bands=(FundingBand(D(2017, 5, 1), D(2025, 7, 31), Decimal("3000")),
                       FundingBand(D(2025, 8, 1), None, Decimal("4500"))))
    assert standard.typical_job_titles == ("Care worker", "Care assistant")  # repeats dropped
    assert standard.route == "Care services"


def test_equality_leaves_out_the_words_used_only_for_matching():
    plain = Standard("ST0384", "Team leader", 3, Decimal("5000"))
    described = Standard("ST0384", "Team leader", 3, Decimal("5000"), route="Business", keywords=("management",),
                         typical_job_titles=("Supervisor",))
    assert plain == described
    assert plain != Standard("ST0384", "Team leader", 3, Decimal("5000"), funding_bands=TEAM_LEADER_BANDS)
    assert plain != Standard("ST0384", "Team leader", 3, Decimal("5000"), status=RETIRED)


@pytest.mark.parametrize(("funding", "message"), [
    ([band(4500, "2018-08-01"), band(5000, "2025-08-01")],
     "ST0384 funding bands from 01/08/2018 and 01/08/2025 overlap"),
    ([band(4500, "2018-08-01", "2025-08-01"), band(5000, "2025-08-01")], "overlap"),
    ([band(5000, "2025-08-01", "2025-07-31")], "ST0384 funding band 1 ends (31/07/2025) before it starts (01/08/2025)"),
    ([band(5000, None)], "ST0384 funding band 1 has no effectiveFrom"),
    ([band(5000, "1 August 2025")], "effectiveFrom '1 August 2025' is not a date like 2026-08-01 or 01/08/2026"),
    ([band(5000, "2025-02-30")], "effectiveFrom '2025-02-30' is not a real date"),
    ([band("lots", "2025-08-01")], "ST0384 funding band 1 maxEmployerLevyCap 'lots' is not a number"),
    ([5000], "ST0384 funding band 1 is not an object"),
    ({"maxEmployerLevyCap": 5000}, "apprenticeshipFunding is not a list of funding bands"),
])
def test_bad_funding_bands_are_explained_with_the_item(tmp_path, funding, message):
    path = write(tmp_path, "standards.json", [item("ST0072", "Customer service practitioner", 2, 4000),
                                              item(apprenticeshipFunding=funding)])
    with pytest.raises(StandardsError) as caught:
        load_standards(path)
    assert "standards.json: 1 bad entry" in str(caught.value)
    assert "item 2 (ST0384): " in str(caught.value) and message in str(caught.value)


@pytest.mark.parametrize(("extra", "message"), [
    ({"earliestStartDate": "2027-01-01", "latestStartDate": "2026-12-31"},
     "ST0384 latest start date 31/12/2026 is before its earliest start date 01/01/2027"),
    ({"latestStartDate": "31st March"}, "ST0384 latest start date '31st March' is not a date"),
    ({"typicalJobTitles": [1, 2]}, "ST0384 typical job titles are not a list of text"),
])
def test_bad_dates_and_lists_are_explained(tmp_path, extra, message):
    with pytest.raises(StandardsError, match="item 1 \\(ST0384\\)") as caught:
        load_standards(write(tmp_path, "standards.json", [item(**extra)]))
    assert message in str(caught.value)


def test_the_band_of_the_latest_effective_from_stands_for_a_missing_max_funding(tmp_path):
    export = [item(funding=None, apprenticeshipFunding=[band(4500, "2018-08-01", "2025-07-31"),
                                                        band(5000, "2025-08-01")])]
    [standard] = load_standards(write(tmp_path, "export.json", export))
    assert standard.max_funding == Decimal("5000")


# --- statuses and versions ---------------------------------------------------------------------


EXPORT = [
    item("ST0005", "Adult care worker", 2, 3000, version="1.2", status="Retired"),
    item("ST0005", "Adult care worker", 2, 4500, version="2.0"),
    item("ST0454", "Teaching assistant", 3, 7000, version="1.1"),
    item("ST0454", "Teaching assistant", 3, 8000, version="1.2", status="In development"),
    item("ST0072", "Customer service practitioner", 2, 4000, version="1.0", status="Retired"),
    item("ST0072", "Customer service practitioner", 2, 4000, version="1.1", status="RETIRED "),
    item("ST0969", "Electoral services officer", 3, None, version="1.0", status="Withdrawn"),
    item("ST1472", "Administration assistant", 2, None, version="1.0", status="In development"),
    item("ST0702", "Pharmacist (degree)", 7, None, version="1.0", status="Proposal in development"),
]


def test_by_default_only_the_latest_approved_version_of_standards_approved_for_delivery(tmp_path):
    standards = load_standards(write(tmp_path, "export.json", EXPORT))
    assert [(s.reference, s.version, s.max_funding) for s in standards] == [
        ("ST0005", "2.0", Decimal("4500")), ("ST0454", "1.1", Decimal("7000"))]


def test_include_inactive_keeps_every_status_and_the_latest_approved_version_where_there_is_one(tmp_path):
    standards = load_standards(write(tmp_path, "export.json", EXPORT), include_inactive=True)
    assert [(s.reference, s.version, s.status, s.max_funding) for s in standards] == [
        ("ST0005", "2.0", APPROVED_FOR_DELIVERY, Decimal("4500")),
        ("ST0072", "1.1", RETIRED, Decimal("4000")),  # status read in its standard spelling
        ("ST0454", "1.1", APPROVED_FOR_DELIVERY, Decimal("7000")),  # the revision in development is not it yet
        ("ST0702", "1.0", "Proposal in development", Decimal("0")),
        ("ST0969", "1.0", WITHDRAWN, Decimal("0")),  # no band: no start can be made on it
        ("ST1472", "1.0", IN_DEVELOPMENT, Decimal("0")),
    ]
    approved = load_standards(write(tmp_path, "export.json", EXPORT))
    assert [s for s in standards if s.approved] == approved


def test_an_approved_standard_still_needs_a_funding_band(tmp_path):
    with pytest.raises(StandardsError, match="item 2 \\(ST0454\\): ST0454 max funding is blank"):
        load_standards(write(tmp_path, "export.json", [EXPORT[0], item("ST0454", "Teaching assistant", 3, None)]),
                       include_inactive=True)


def test_an_unknown_status_is_kept_as_written_and_is_not_approved(tmp_path):
    [standard] = load_standards(write(tmp_path, "export.json", [item(status="Approved for delivery - paused")]),
                                include_inactive=True)
    assert standard.status == "Approved for delivery - paused"
    assert not standard.approved and not standard.retired_or_withdrawn
    assert not standard.available_on(D(2026, 9, 1))


# --- band_on and available_on --------------------------------------------------------------


TEAM_LEADER = Standard("ST0384", "Team leader", 3, Decimal("5000"), funding_bands=TEAM_LEADER_BANDS)


@pytest.mark.parametrize(("day", "expected"), [
    (D(2018, 8, 1), "4500"),  # first day of the first band
    (D(2025, 7, 31), "4500"),  # its effectiveTo is inclusive
    (D(2025, 8, 1), "5000"),  # effectiveFrom of the next
    (D(2040, 1, 1), "5000"),  # an open-ended band runs on
    (dt.datetime(2025, 7, 31, 23, 59), "4500"),  # a datetime counts as its day
])
def test_band_on_uses_the_band_in_force_on_the_start_date(day, expected):
    assert TEAM_LEADER.band_on(day) == Decimal(expected)


def test_band_on_without_dated_bands_is_the_max_funding_and_outside_every_band_an_error():
    assert Standard("ST0072", "Customer service practitioner", 2, Decimal("4000")).band_on(D(2010, 1, 1)) == 4000
    with pytest.raises(ValueError, match="ST0384 has no funding band in force on 31/07/2018"):
        TEAM_LEADER.band_on(D(2018, 7, 31))
    gap = Standard("ST0384", "Team leader", 3, Decimal("5000"), funding_bands=(
        FundingBand(D(2018, 8, 1), D(2025, 6, 30), Decimal("4500")), FundingBand(D(2025, 8, 1), None, Decimal("5000"))))
    with pytest.raises(ValueError, match="no funding band in force on 15/07/2025"):
        gap.band_on(D(2025, 7, 15))
    assert not gap.available_on(D(2025, 7, 15)) and gap.available_on(D(2025, 8, 1))


def test_available_on_needs_approval_the_start_dates_and_a_band():
    window = Standard("ST0005", "Adult care worker", 2, Decimal("4500"), earliest_start_date=D(2025, 8, 1),
                      latest_start_date=D(2027, 7, 31))
    assert [window.available_on(day) for day in (D(2025, 7, 31), D(2025, 8, 1), D(2027, 7, 31), D(2027, 8, 1))] == [
        False, True, True, False]
    for status in (IN_DEVELOPMENT, RETIRED, WITHDRAWN, "Proposal in development"):
        standard = Standard("ST0005", "Adult care worker", 2, Decimal("4500"), status=status)
        assert not standard.available_on(D(2026, 1, 1))
        assert standard.retired_or_withdrawn == (status in (RETIRED, WITHDRAWN))
    assert not TEAM_LEADER.available_on(D(2018, 7, 31)) and TEAM_LEADER.available_on(D(2018, 8, 1))


# --- CSV optional columns ------------------------------------------------------------------


CSV_WITH_EVERY_COLUMN = "\n".join([
    "# exported by hand from the standards list",
    "Reference,Title,Level,Max funding,Typical duration,Status,Route,Typical job titles,Keywords,"
    "Effective from,Effective to,Earliest start date,Latest start date",
    "ST0384,Team leader,3,4500,15,Approved for delivery,Business and administration,Team leader|Supervisor,"
    "management;CMI,01/08/2018,31/07/2025,,",
    'ST0384,Team leader,3,"£5,000",15,Approved for delivery,Business and administration,Team leader|Supervisor,'
    "management;CMI,2025-08-01,,,31/03/2027",
    "ST0072,Customer service practitioner,2,4000,12,retired,,Customer service advisor,,,,,31/07/2025",
    "ST0454,Teaching assistant,3,7000,18,,,Teaching assistant; Learning support assistant ,schools,,,2019-01-01,",
]) + "\n"


def test_csv_optional_columns_with_a_row_per_funding_band(tmp_path):
    path = write(tmp_path, "standards.csv", CSV_WITH_EVERY_COLUMN)
    team_leader, teaching = load_standards(path)
    assert teaching == Standard("ST0454", "Teaching assistant", 3, Decimal("7000"), 18,
                                earliest_start_date=D(2019, 1, 1))
    assert teaching.typical_job_titles == ("Teaching assistant", "Learning support assistant")
    assert teaching.keywords == ("schools",)
    assert team_leader == Standard("ST0384", "Team leader", 3, Decimal("5000"), 15, None, APPROVED_FOR_DELIVERY,
                                   latest_start_date=D(2027, 3, 31), funding_bands=TEAM_LEADER_BANDS)
    assert team_leader.route == "Business and administration"
    assert team_leader.typical_job_titles == ("Team leader", "Supervisor")
    assert team_leader.keywords == ("management", "CMI")
    retired = {s.reference: s for s in load_standards(path, include_inactive=True)}["ST0072"]
    assert (retired.status, retired.latest_start_date) == (RETIRED, D(2025, 7, 31))


@pytest.mark.parametrize(("rows", "message"), [
    ("ST0384,Team leader,3,5000,2025-08-01,\nST0384,Team leader,3,5000,2025-08-01,\n",
     "line 3: ST0384 funding bands from 01/08/2025 and 01/08/2025 overlap"),
    ("ST0384,Team leader,3,4500,2018-08-01,\nST0384,Team leader,3,5000,,\n",
     "line 3: ST0384 is listed twice (first on line 2)"),
    ("ST0384,Team leader,3,4500,2018-08-01,2025-07-31\nST0384,Team leader or supervisor,3,5000,2025-08-01,\n",
     "line 2: ST0384 title 'Team leader' differs from line 3 ('Team leader or supervisor')"),
    ("ST0384,Team leader,3,4500,,2025-07-31\n", "line 2: ST0384 has an effective to date but no effective from date"),
    ("ST0384,Team leader,3,4500,31/02/2025,\n", "line 2: ST0384 effective from '31/02/2025' is not a real date"),
    ("ST0384,Team leader,3,4500,2025-08-01,2025-07-01\n",
     "line 2: ST0384 funding band ends (01/07/2025) before it starts (01/08/2025)"),
])
def test_bad_csv_bands_name_the_line(tmp_path, rows, message):
    path = write(tmp_path, "standards.csv", "Reference,Title,Level,Max funding,Effective from,Effective to\n" + rows)
    with pytest.raises(StandardsError) as caught:
        load_standards(path)
    assert f"standards.csv: 1 bad entry:\n  {message}" in str(caught.value)


def test_a_csv_of_retired_standards_only_has_nothing_to_plan_with(tmp_path):
    path = write(tmp_path, "standards.csv",
                 "Reference,Title,Level,Max funding,Status\nST0072,Customer service,2,,Retired\n")
    with pytest.raises(StandardsError, match="no standard approved for delivery"):
        load_standards(path)
    assert [s.max_funding for s in load_standards(path, include_inactive=True)] == [Decimal("0")]


# --- the shipped sample ---------------------------------------------------------------------


def test_the_sample_export_is_illustrative_dated_and_sourced():
    document = json.loads((resources.files("lga_xl") / "data" / "standards_sample.json").read_text(encoding="utf-8"))
    assert "ILLUSTRATIVE" in document["sample"]
    assert dt.date.fromisoformat(document["figuresAsAt"]) == D(2026, 7, 2)
    assert "Skills England" in document["source"]
    everything = sample_export(include_inactive=True)
    assert 60 <= len(everything) <= 100
    assert len({s.reference for s in everything}) == len(everything)
    statuses = {s.status for s in everything}
    assert statuses <= set(STATUSES) and {RETIRED, WITHDRAWN, IN_DEVELOPMENT} <= statuses
    assert all(2 <= s.level <= 7 for s in everything)
    approved = sample_export()
    assert approved == [s for s in everything if s.approved]
    assert all(s.typical_job_titles and s.keywords and s.route for s in approved)
    assert all(1500 <= s.max_funding <= 27000 for s in approved)  # the funding bands' range
    assert len([s for s in everything if len(s.funding_bands) == 2]) >= 3


def test_the_sample_covers_council_services():
    by_reference = {s.reference: s for s in sample_export(include_inactive=True)}
    for reference in ("ST0005", "ST0006", "ST0008", "ST0510", "ST0517",  # adult social care
                      "ST0070", "ST0071", "ST0238", "ST0002", "ST0003", "ST0001", "ST0073",  # corporate services
                      "ST0505", "ST0127", "ST0116", "ST0118", "ST0865",  # ICT
                      "ST0091", "ST0053", "ST0336", "ST0936", "ST0536", "ST0234", "ST0332",  # place
                      "ST0664", "ST0888", "ST0135", "ST0454", "ST0575", "ST0906", "ST0522",  # people
                      "ST0631", "ST0714", "ST0998", "ST0430",  # public health and regulation
                      "ST0384", "ST0385", "ST0272", "ST0310", "ST0810", "ST0617", "ST0589", "ST0225",
                      "ST1025", "ST0486", "ST0245", "ST0246", "ST0311", "ST0526", "ST0093"):
        assert reference in by_reference, reference
    assert by_reference["ST0072"].status == RETIRED and by_reference["ST0969"].status == WITHDRAWN
    team_leader = by_reference["ST0384"]
    assert (team_leader.band_on(D(2025, 7, 31)), team_leader.band_on(D(2025, 8, 1))) == (4500, 5000)


# --- diff between two exports --------------------------------------------------------------


def refresh():
    june = load_standards(DATA / "standards_export_2026-06.json", include_inactive=True)
    july = load_standards(DATA / "standards_export_2026-07.json", include_inactive=True)
    return diff_standards(june, july)


def test_diff_reports_added_retired_withdrawn_rebanded_relevelled_and_new_versions():
    diff = refresh()
    assert [(s.reference, s.status) for s in diff.added] == [
        ("ST0888", APPROVED_FOR_DELIVERY),  # new in the list
        ("ST1472", APPROVED_FOR_DELIVERY),  # was in development (its new band and version are not reported)
    ]
    assert diff.retired_or_withdrawn == (
        Change("ST0072", "Customer service practitioner", APPROVED_FOR_DELIVERY, RETIRED),
        Change("ST0239", "HR support", APPROVED_FOR_DELIVERY, None),  # no longer listed
        Change("ST0969", "Electoral services officer", APPROVED_FOR_DELIVERY, WITHDRAWN),
    )
    assert diff.rebanded == (
        BandChange("ST0005", "Adult care worker", Decimal("3000"), Decimal("4500"), (), (
            FundingBand(D(2017, 5, 1), D(2025, 7, 31), Decimal("3000")),
            FundingBand(D(2025, 8, 1), None, Decimal("4500")))),
        BandChange("ST0384", "Team leader or supervisor", Decimal("4500"), Decimal("5000"),
                   (FundingBand(D(2018, 8, 1), None, Decimal("4500")),), TEAM_LEADER_BANDS),
    )
    assert diff.relevelled == (Change("ST0007", "Lead practitioner in adult care", 4, 5),)
    assert diff.new_versions == (Change("ST0005", "Adult care worker", "1.2", "2.0"),
                                 Change("ST0384", "Team leader or supervisor", "1.3", "1.4"))
    assert diff.summary() == "2 added, 3 retired or withdrawn, 2 re-banded, 1 re-levelled, 2 new versions"


def test_diff_reports_nothing_else():
    """ST0070's job titles, keywords and route changed, ST0384's title, ST0454's revision in development,
    ST0545 stayed retired: none of it is a change to report."""
    diff = refresh()
    reported = {s.reference for s in diff.added} | {c.reference for kind in (
        diff.retired_or_withdrawn, diff.rebanded, diff.relevelled, diff.new_versions) for c in kind}
    assert reported == {"ST0005", "ST0007", "ST0072", "ST0239", "ST0384", "ST0888", "ST0969", "ST1472"}
    june = load_standards(DATA / "standards_export_2026-06.json", include_inactive=True)
    assert not diff_standards(june, june)


def test_diff_as_json():
    data = json.loads(refresh().to_json())
    assert list(data) == ["added", "retired_or_withdrawn", "rebanded", "relevelled", "new_versions"]
    assert data["added"][0] == {"reference": "ST0888", "title": "Early years practitioner", "level": 2,
                                "max_funding": "5000", "version": "1.1", "status": APPROVED_FOR_DELIVERY}
    assert data["retired_or_withdrawn"][1] == {"reference": "ST0239", "title": "HR support",
                                               "before": APPROVED_FOR_DELIVERY, "after": None}
    assert data["rebanded"][1]["bands_after"] == [
        {"effective_from": "2018-08-01", "effective_to": "2025-07-31", "max_funding": "4500"},
        {"effective_from": "2025-08-01", "effective_to": None, "max_funding": "5000"}]
    assert data["relevelled"] == [{"reference": "ST0007", "title": "Lead practitioner in adult care",
                                   "before": 4, "after": 5}]


def test_diff_of_lists_loaded_without_inactive_standards_sees_retirements_as_missing():
    june = load_standards(DATA / "standards_export_2026-06.json")
    july = load_standards(DATA / "standards_export_2026-07.json")
    assert [(c.reference, c.after) for c in diff_standards(june, july).retired_or_withdrawn] == [
        ("ST0072", None), ("ST0239", None), ("ST0969", None)]


def test_diff_refuses_a_list_naming_a_standard_twice():
    standard = Standard("ST0384", "Team leader", 3, Decimal("5000"))
    with pytest.raises(ValueError, match="the new standards list names ST0384 twice"):
        diff_standards([standard], [standard, standard])

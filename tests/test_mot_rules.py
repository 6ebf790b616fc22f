"""The MOT's rules on hand-made inputs: peer figures, priorities, disagreements, findings, support."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal

import pytest

from lga_xl import mot
from lga_xl.maturity import load_edition
from lga_xl.mot import compare
from lga_xl.mot.findings import MAX_FINDINGS, MIN_FINDINGS, summary_findings
from lga_xl.mot.model import (
    Assessment,
    Benchmark,
    Benchmarks,
    Council,
    LevyFigures,
    MotReport,
    PeerFigures,
    StartsFigures,
    StrandRating,
    peer_benchmark,
)
from lga_xl.mot.peers import PeerCouncil, build_benchmarks, score_key
from lga_xl.mot.priorities import improvement_priorities
from lga_xl.mot.sample import sample_report
from lga_xl.mot.support import LEVY_TOPIC, levy_conditions, support_for
from lga_xl.mot.wording import listing, money, percent
from lga_xl.rating import Status, count_levels, rate

MODEL = load_edition()
LC, PP, WD, PD, EN = MODEL.strand_names
COUNCIL = Council("Exampleshire County Council", "East of England", "County council")


def assessment(kind: str, labels: list[str], targets: list[str | None] | None = None,
               statuses: dict[str, str | None] | None = None, day: dt.date = dt.date(2026, 9, 14)) -> Assessment:
    targets = targets or [None] * len(labels)
    return Assessment(kind, day, None, tuple(StrandRating(s, label, target)
                                             for s, label, target in zip(MODEL.strand_names, labels, targets)),
                      statuses or {})


def levy(funds: str = "100000", spend: str = "62000", allowance: str = "50000", used: str = "10000",
         expiring: str = "0", schools: int = 20, engaged: int = 5) -> LevyFigures:
    return LevyFigures("2026-27", Decimal(funds), Decimal(spend), Decimal(allowance), Decimal(used),
                       Decimal(expiring), schools, engaged)


def statuses_for(strand: str, **by_level: list[str | None]) -> dict[str, str | None]:
    """Statuses of one strand's elements, level by level in the model's order (D=, MG=, MA=)."""
    codes = {"D": "Developing", "MG": "Maturing", "MA": "Mature"}
    found = {}
    for code, values in by_level.items():
        elements = [e for e in MODEL.scored_elements if e.strand == strand and e.level == codes[code]]
        assert len(values) == len(elements), f"{strand} {code} has {len(elements)} elements"
        found.update({e.id: v for e, v in zip(elements, values)})
    return found


def rated(strand: str, statuses: dict[str, str | None]) -> str:
    """The label the rating rule gives those statuses, so tests never state a rating by hand."""
    pairs = [(e.level, Status(statuses[e.id]) if statuses.get(e.id) else None)
             for e in MODEL.scored_elements if e.strand == strand]
    return rate(count_levels(pairs)).label


# --- peer figures: each council once, none from fewer than three ------------------------------


def test_a_regional_figure_needs_three_councils():
    assert peer_benchmark("London", [0.5, 0.7, 0.9], "median").value == 0.7
    two = peer_benchmark("London", [0.5, None, 0.9], "median")
    assert (two.value, two.councils, two.shown) == (None, 2, False)
    assert two.reason == "only 2 councils in London have this figure; at least 3 are needed"
    assert peer_benchmark("London", [0.5], "mean").reason == \
        "only 1 council in London has this figure; at least 3 are needed"
    assert peer_benchmark("London", [None], "mean").reason == "no council in London has this figure"
    with pytest.raises(ValueError, match="from 2 councils cannot be shown"):
        Benchmark("London", 2, "mean", 2.5)


def test_benchmarks_count_each_council_once_and_only_where_it_has_the_figure():
    peers = [
        PeerCouncil("a", "North East", {LC: 2.0}, levy(spend="50000")),
        PeerCouncil("b", "North East", {LC: 3.0}, None),  # no levy plan: not in the levy figures
        PeerCouncil("c", "London", {LC: 2.5}, levy(spend="70000")),
        PeerCouncil("d", "London", {LC: 3.5}, levy(spend="90000")),
        PeerCouncil("e", "London", {LC: 1.0}, levy(spend="80000")),
    ]
    london = build_benchmarks("London", peers)
    spend = london.get("spend_share")
    assert (spend.regional.value, spend.regional.councils) == (0.8, 3)  # median of 0.7, 0.9, 0.8
    assert (spend.national.value, spend.national.councils) == (0.75, 4)  # median of 0.5, 0.7, 0.9, 0.8
    lc = london.get(score_key(LC))
    assert (lc.regional.value, lc.national.value, lc.national.councils) == (2.33, 2.4, 5)
    north_east = build_benchmarks("North East", peers).get(score_key(LC)).regional
    assert (north_east.value, north_east.councils) == (None, 2)
    with pytest.raises(ValueError, match="'c' is given twice"):
        build_benchmarks("London", [*peers, PeerCouncil("c", "London", {LC: 4.0})])


def test_mean_scores_round_half_away_from_zero_as_the_consolidated_workbook():
    # 8 councils scoring 17 in all: 2.125, which Python's round() would make 2.12.
    scores = [2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.5, 2.5]
    peers = [PeerCouncil(str(i), "London", {LC: s}) for i, s in enumerate(scores)]
    assert build_benchmarks("London", peers).get(score_key(LC)).national.value == 2.13


def test_an_unknown_region_has_no_regional_figure_and_says_why():
    peers = [PeerCouncil(str(i), "London", {LC: 2.0}) for i in range(3)]
    assert build_benchmarks(None, peers).get(score_key(LC)).regional.reason == "the council's region is not recorded"
    assert build_benchmarks("Wessex", peers).get(score_key(LC)).regional.reason == \
        "'Wessex' is not one of the nine English regions"


def test_the_overall_score_counts_only_complete_assessments():
    full = {s: 2.0 for s in MODEL.strand_names}
    peers = [PeerCouncil(str(i), "London", full) for i in range(3)] + [PeerCouncil("part", "London", {LC: 4.0})]
    overall = build_benchmarks("London", peers).get("overall_score").regional
    assert (overall.value, overall.councils) == (2.0, 3)


# --- progress and disagreements ---------------------------------------------------------------


def test_progress_says_up_down_or_same_per_strand_and_nothing_without_a_previous_assessment():
    now = assessment("Self", ["Developing +", "Developing", "Early +", "Maturing", "Mature"])
    before = assessment("Self", ["Developing", "Developing", "Developing", "Maturing", "Maturing +"],
                        day=dt.date(2025, 9, 1))
    rows = compare.progress(MotReport(COUNCIL, now, previous=before))
    assert [r.change for r in rows] == ["up", "same", "down", "same", "up"]
    assert compare.progress(MotReport(COUNCIL, now)) == []


def test_disagreements_are_elements_counted_differently_not_every_different_word():
    own_statuses = {"EN-D1": "Achieved", "EN-D2": "In progress", "EN-D3": "Not applicable", "EN-D4": None,
                    "EN-D5": "Achieved"}
    lga_statuses = {"EN-D1": "In progress", "EN-D2": "Not started", "EN-D3": None, "EN-D4": "Not started",
                    "EN-D5": "Achieved"}
    own = assessment("Self", ["Early +"] * 5, statuses=own_statuses)
    lga = assessment("External", ["Early +"] * 5, statuses=lga_statuses)
    found = compare.disagreements(MotReport(COUNCIL, own, external=lga))
    assert [(d.element.id, d.council, d.lga) for d in found[EN]] == [
        ("EN-D1", "Achieved", "In progress"), ("EN-D3", "Not applicable", None)]
    without = assessment("External", ["Early +"] * 5)
    assert compare.disagreements_missing(MotReport(COUNCIL, own, external=without)) == \
        "The element statuses of the LGA's assessment are not available, so only the ratings can be compared."


# --- improvement priorities -------------------------------------------------------------------


def test_priorities_are_the_next_levels_open_elements_in_progress_first_in_the_models_words():
    statuses = statuses_for(PP, D=["Achieved"] * 3,
                            MG=["Achieved", "Not started", "In progress", None, "In progress"], MA=["Not started"] * 6)
    label = rated(PP, statuses)
    assert label == "Developing"  # 1 of 5 Maturing elements: no +
    own = Assessment("Self", dt.date(2026, 9, 14), None, (StrandRating(PP, label, "Maturing"),), statuses)
    [priority] = improvement_priorities(MotReport(COUNCIL, own))
    assert priority.next_level == "Maturing"
    assert [(p.element.id, p.status) for p in priority.elements] == [
        ("PP-MG3", "In progress"), ("PP-MG5", "In progress"), ("PP-MG2", "Not started"), ("PP-MG4", None)]
    assert priority.elements[0].element.text == MODEL.element("PP-MG3").text
    assert priority.more == 0


def test_at_most_five_priorities_a_strand_and_not_applicable_ones_are_left_out():
    statuses = statuses_for(LC, D=["Achieved"] * 5, MG=["Achieved"] * 7,
                            MA=["Achieved", "Not started", "Not applicable", "Not started", "Not started",
                                "Not started", "In progress", "Not started", "In progress"])
    own = Assessment("Self", None, None, (StrandRating(LC, rated(LC, statuses)),), statuses)
    [priority] = improvement_priorities(MotReport(COUNCIL, own))
    assert [p.element.id for p in priority.elements] == ["LC-MA7", "LC-MA9", "LC-MA2", "LC-MA4", "LC-MA5"]
    assert priority.more == 2  # LC-MA6 and LC-MA8


def test_strands_are_ordered_by_gap_to_target_then_by_how_far_below_the_region():
    own = assessment("Self", ["Developing", "Developing", "Developing", "Mature", "Developing"],
                     ["Maturing", "Developing +", "Developing +", "Mature", None])
    benchmarks = Benchmarks("London", {
        score_key(s): PeerFigures(Benchmark("London", 5, "mean", mean), Benchmark("England", 50, "mean", 2.2))
        for s, mean in zip(MODEL.strand_names, (2.1, 2.3, 2.8, 3.0, 3.5))
    })
    order = improvement_priorities(MotReport(COUNCIL, own, benchmarks=benchmarks))
    # LC: gap 1; WD and PP: gap 0.5, WD further below London (0.8 against 0.3); EN: no target but 1.5 below;
    # PD: Mature, nothing higher.
    assert [p.strand for p in order] == [LC, WD, PP, EN, PD]
    assert order[-1].next_level is None and order[-1].note == "Rated Mature: there is no higher level in the model."
    assert order[0].note == "The element statuses of the self-assessment are not available."


def test_below_the_region_falls_back_to_england_when_the_region_is_not_shown():
    own = assessment("Self", ["Developing"] * 5)
    hidden = Benchmark("North East", 2, "mean", None, "only 2 councils in the North East have this figure")
    benchmarks = Benchmarks("North East", {score_key(s): PeerFigures(hidden, Benchmark("England", 40, "mean", 2.5))
                                           for s in MODEL.strand_names})
    first = improvement_priorities(MotReport(COUNCIL, own, benchmarks=benchmarks))[0]
    assert (first.below_region, first.compared_with) == (0.5, "England")


# --- summary findings -------------------------------------------------------------------------


def test_a_different_lga_rating_is_said_in_plain_english():
    own = assessment("Self", ["Developing", "Developing +", "Maturing", "Developing", "Developing +"])
    lga = assessment("External", ["Developing", "Developing +", "Maturing", "Developing", "Developing"])
    found = {f.topic: f.text for f in summary_findings(MotReport(COUNCIL, own, external=lga))}
    assert found["external"] == "Engagement is rated Developing + by the council and Developing by the LGA."

    lga = assessment("External", ["Early +", "Developing", "Maturing", "Developing +", "Developing +"])
    found = {f.topic: f.text for f in summary_findings(MotReport(COUNCIL, own, external=lga))}
    assert found["external"] == ("Leadership and Culture is rated Developing by the council and Early + by the LGA. "
                                 "The ratings differ on 3 of the 5 strands: the LGA's is lower on 2 and higher on 1.")


def test_the_levy_finding_gives_the_unspent_share_against_the_medians_and_what_expires():
    own = assessment("Self", ["Developing"] * 5)
    report = MotReport(COUNCIL, own, levy=levy(spend="62000", expiring="142000"))
    peers = [PeerCouncil.of_report(report)]
    peers += [PeerCouncil(f"r{i}", "East of England", levy=levy(spend=s)) for i, s in enumerate(("79000", "85000",
                                                                                                  "90000"))]
    peers += [PeerCouncil(f"n{i}", "London", levy=levy(spend=s)) for i, s in enumerate(("40000", "50000"))]
    report = MotReport(COUNCIL, own, levy=report.levy, benchmarks=build_benchmarks("East of England", peers))
    found = {f.topic: f.text for f in summary_findings(report)}
    # Region: 0.62, 0.79, 0.85, 0.90 -> median 0.82, 18% unspent; England adds 0.40 and 0.50 -> median
    # (0.62 + 0.79) / 2 = 0.705, 29.5% unspent, which rounds half away from zero to 30%.
    assert found["levy"] == ("The council's levy plan for 2026-27 leaves 38% of its funds unspent, against a "
                             "regional median of 18% (4 councils) and a national median of 30% (6 councils); "
                             "£142,000 of levy funds is forecast to expire unspent over the plan's 36 months.")


def test_a_regional_figure_from_too_few_councils_is_not_quoted_and_that_is_said():
    own = assessment("Self", ["Developing"] * 5)
    report = MotReport(COUNCIL, own, levy=levy(spend="62000"))
    peers = [PeerCouncil.of_report(report), PeerCouncil("r", "East of England", levy=levy(spend="80000"))]
    peers += [PeerCouncil(f"n{i}", "London", levy=levy(spend="90000")) for i in range(2)]
    report = MotReport(COUNCIL, own, levy=report.levy, benchmarks=build_benchmarks("East of England", peers))
    found = {f.topic: f.text for f in summary_findings(report)}
    assert found["levy"] == ("The council's levy plan for 2026-27 leaves 38% of its funds unspent, against a "
                             "national median of 15% (4 councils; too few councils in the East of England for a "
                             "regional figure).")


def test_gap_to_target_progress_and_strongest_strand_findings():
    own = assessment("Self", ["Developing +", "Developing", "Maturing", "Early +", "Developing"],
                     ["Maturing", "Developing", "Maturing", "Maturing", None])
    before = assessment("Self", ["Developing", "Developing", "Maturing +", "Early +", "Early +"],
                        day=dt.date(2025, 9, 18))
    found = {f.topic: f.text for f in summary_findings(MotReport(COUNCIL, own, previous=before), limit=20)}
    assert found["target"] == ("The widest gap to target is on Planning, Delivery Structures and Processes: rated "
                               "Early +, with a target of Maturing. 2 of the 5 strands are below their target.")
    assert found["progress"] == ("Since the previous self-assessment on 18 September 2025, the council's rating has "
                                 "gone up on Leadership and Culture and Engagement and down on Workforce Development; "
                                 "2 other strands are unchanged.")
    assert found["strands"] == ("The council's strongest strand is Workforce Development (Maturing) and its weakest "
                                "Planning, Delivery Structures and Processes (Early +).")
    no_targets = assessment("Self", ["Developing"] * 5)
    found = {f.topic: f.text for f in summary_findings(MotReport(COUNCIL, no_targets))}
    assert found["target"] == "No target ratings were set, so the gap to target cannot be shown."
    assert found["strands"] == "All 5 strands are rated Developing."


def test_starts_finding_sets_the_share_of_headcount_against_the_peers():
    own = assessment("Self", ["Developing"] * 5)
    starts = StartsFigures("2025-26", 96, 7850)
    peers = [PeerCouncil(str(i), "London", starts=StartsFigures("2025-26", n, 5000)) for i, n in enumerate((80, 90,
                                                                                                           100))]
    report = MotReport(COUNCIL, own, starts=starts, benchmarks=build_benchmarks("London", peers))
    found = {f.topic: f.text for f in summary_findings(report, limit=20)}
    # 96 / 7,850 = 1.22%; the three peers 1.6%, 1.8%, 2.0%: median 1.8%.
    assert found["starts"] == ("Apprenticeship starts in 2025-26 were 1.2% of headcount (96 of 7,850), against a "
                               "regional median of 1.8% (3 councils) and a national median of 1.8% (3 councils).")


def test_three_to_six_findings_whatever_is_missing():
    minimal = MotReport(COUNCIL, assessment("Self", ["Developing", "Early +", "Maturing", "Developing", "Early"]))
    assert MIN_FINDINGS <= len(summary_findings(minimal)) <= MAX_FINDINGS
    full = sample_report()
    findings = summary_findings(full)
    assert len(findings) == MAX_FINDINGS
    assert {"overall", "progress", "levy"} <= {f.topic for f in findings}  # one from each area there is


# --- where LGA support can help ---------------------------------------------------------------


def test_offers_follow_the_priority_elements_words_or_else_the_strand():
    statuses = statuses_for(EN, D=["Achieved"] * 5, MG=["Achieved", "Achieved", "Achieved", "In progress",
                                                         "In progress"])
    own = Assessment("Self", None, None, (StrandRating(EN, rated(EN, statuses)),), statuses)
    support = support_for(MotReport(COUNCIL, own))
    matches = [(m.topic, m.offer.id, m.elements) for m in support.matches]
    # EN-MG5 is about maintained schools: the schools offers answer it.
    assert matches == [(EN, "webinar-schools", ("EN-MG5",)), (EN, "schools-toolkit", ("EN-MG5",))]
    assert [o.id for o in support.general] == ["maturity-model", "mot", "khub"]

    statuses = statuses_for(EN, D=["Achieved"] * 5, MG=["Achieved", "Achieved", "Achieved", "In progress",
                                                         "Achieved"])
    own = Assessment("Self", None, None, (StrandRating(EN, rated(EN, statuses)),), statuses)
    matches = [(m.offer.id, m.elements) for m in support_for(MotReport(COUNCIL, own)).matches]
    assert matches == [("webinar-schools", ()), ("schools-toolkit", ())]  # the strand's offers as a whole


def test_levy_conditions_name_the_transfer_and_schools_offers():
    assert levy_conditions(levy(expiring="5000", used="10000", allowance="50000", schools=4, engaged=4)) == \
        {"funds-expiring", "transfer-allowance-unused"}
    assert levy_conditions(levy(expiring="0", schools=4, engaged=1)) == {"schools-without-starts"}
    own = assessment("Self", ["Mature"] * 5)
    matches = support_for(MotReport(COUNCIL, own, levy=levy(expiring="5000", schools=4, engaged=4))).matches
    assert {(m.topic, m.offer.id) for m in matches} == {
        (LEVY_TOPIC, "webinar-funding-rules"), (LEVY_TOPIC, "webinar-transfers")}


# --- wording ----------------------------------------------------------------------------------


def test_figures_round_half_away_from_zero_when_written():
    assert (percent(0.125), percent(0.0125), percent(0.05), percent(0.995)) == ("13%", "1.3%", "5%", "100%")
    assert (money(Decimal("142000.50")), money(-12.5)) == ("£142,001", "-£13")
    assert listing([LC, PD, EN]) == \
        "Leadership and Culture; Planning, Delivery Structures and Processes; and Engagement"


# --- the package ------------------------------------------------------------------------------


def test_the_rule_modules_load_without_the_report_writers_libraries():
    code = ("import sys, lga_xl.mot.sections, lga_xl.mot.survey; "
            "print(sorted(m for m in ('openpyxl', 'docx', 'matplotlib', 'xlsxwriter', 'pandas', 'sqlite3') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_every_public_name_of_the_mot_package_resolves():
    for name in mot.__all__:
        assert getattr(mot, name) is not None, name

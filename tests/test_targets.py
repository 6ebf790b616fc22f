"""Growth-strategy targets (lga_xl.targets), their Excel functions, and their formulas in LibreOffice."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
import textwrap
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lga_xl import targets
from lga_xl.targets import (
    ACADEMIC,
    ACTION_STATUSES,
    AMBER,
    COMPLETE,
    DECREASE,
    DOWN,
    FLAT,
    GREEN,
    INCREASE,
    NO_DATA,
    NOT_SET,
    NOT_STARTED,
    RED,
    UP,
    Actual,
    PublicSectorFigures,
    Target,
    action_rag,
    assess,
    check_value,
    combine_figures,
    expected_now,
    load_example,
    parse_value,
    progress,
    public_sector_share,
    public_sector_shares,
    reporting_period,
    target_rag,
    trend,
    year_end,
)
from lga_xl.udfs import TARGET_RAG, TARGET_TRAJECTORY, UdfInputError

D = dt.date
JULY_22, JULY_23, JULY_25 = D(2022, 7, 31), D(2023, 7, 31), D(2025, 7, 31)
EPOCH = D(1899, 12, 30)


def serial(day: dt.date) -> float:
    """A date as Excel (1900 system) passes it to xlwings Lite."""
    return float((day - EPOCH).days)


def exact_expected(baseline, baseline_date, target, target_date, on_date) -> Fraction:
    """The straight line in exact rational arithmetic, days clamped to the baseline-to-target period."""
    span = (target_date - baseline_date).days
    elapsed = min(max((on_date - baseline_date).days, 0), span)
    b, t = Fraction(str(baseline)), Fraction(str(target))
    return b + (t - b) * Fraction(elapsed, span)


def expected_as_ruled(baseline, baseline_date, target, target_date, on_date) -> Decimal:
    """The exact line as the rule rounds it: the baseline plus the change so far, that change rounded half away
    from zero to 0.0001 (so a decrease is an increase turned upside down: from 2 units down to 1, halfway is 1)."""
    start = Fraction(str(baseline))
    return half_up(start) + half_up(exact_expected(baseline, baseline_date, target, target_date, on_date) - start)


def half_up(value: Fraction, places: int = 4) -> Decimal:
    """Round half away from zero to ``places`` decimals, as Excel's ROUND."""
    scaled = value * 10**places
    whole = (abs(scaled.numerator) * 2 + scaled.denominator) // (2 * scaled.denominator)
    return Decimal(whole if scaled >= 0 else -whole) / 10**places


# Worked examples (docs/targets.md).


def test_worked_example_an_increase_behind_the_line_but_within_the_band_is_amber():
    """Residents starting: 5,435 (2021/22) to 7,609 (2024/25), 6,120 a year in."""
    assert (JULY_25 - JULY_22).days == 1096 and (JULY_23 - JULY_22).days == 365
    expected = expected_now(5435, JULY_22, 7609, JULY_25, JULY_23)
    # 5,435 + 2,174 x 365 / 1,096 = 5,435 + 724.00547...
    assert expected == Decimal("6159.0055") == half_up(Fraction(5435) + Fraction(2174 * 365, 1096))
    assert target_rag(6120, expected, 5435, 7609) == AMBER  # 39.0055 behind; the band is 217.4
    assert target_rag(Decimal("5941.6055"), expected, 5435, 7609) == AMBER  # exactly 217.4 behind
    assert target_rag(Decimal("5941.6054"), expected, 5435, 7609) == RED
    assert target_rag(Decimal("6159.0055"), expected, 5435, 7609) == GREEN  # exactly on the line
    assert progress(6120, 5435, 7609) == Decimal("0.315")  # 685 / 2,174 = 0.31508


def test_worked_example_a_decrease_mirrors_the_rule():
    """Teachers' lack of confidence: 74% (2021/22) down to 40% (2024/25)."""
    expected = expected_now("0.74", JULY_22, "0.40", JULY_25, JULY_23)
    assert expected == Decimal("0.6268")  # 0.74 - 0.34 x 365 / 1,096 = 0.62677
    assert target_rag("0.62", expected, "0.74", "0.40", DECREASE) == GREEN
    assert target_rag("0.6268", expected, "0.74", "0.40", DECREASE) == GREEN
    assert target_rag("0.6269", expected, "0.74", "0.40", DECREASE) == AMBER
    assert target_rag("0.6608", expected, "0.74", "0.40", DECREASE) == AMBER  # the band: 10% of 0.34
    assert target_rag("0.6609", expected, "0.74", "0.40", DECREASE) == RED
    assert progress("0.62", "0.74", "0.40") == Decimal("0.353")  # -0.12 / -0.34
    assert trend("0.66", "0.62") == DOWN


def test_before_the_baseline_date_expected_is_the_baseline_and_after_the_target_date_the_target():
    assert expected_now(5435, JULY_22, 7609, JULY_25, D(2020, 1, 1)) == 5435
    assert expected_now(5435, JULY_22, 7609, JULY_25, JULY_22) == 5435
    assert expected_now(5435, JULY_22, 7609, JULY_25, JULY_25) == 7609
    assert expected_now(5435, JULY_22, 7609, JULY_25, D(2030, 1, 1)) == 7609


def test_the_line_is_rounded_to_4_decimals_halves_away_from_zero():
    # 0.0001 x 2 / 4 days = 0.00005 exactly: a tie, rounded away from zero in both directions
    assert expected_now(0, D(2024, 1, 1), "0.0001", D(2024, 1, 5), D(2024, 1, 3)) == Decimal("0.0001")
    assert expected_now(0, D(2024, 1, 1), "-0.0001", D(2024, 1, 5), D(2024, 1, 3)) == Decimal("-0.0001")
    assert expected_now(0, D(2024, 1, 1), 1, D(2024, 1, 4), D(2024, 1, 2)) == Decimal("0.3333")


def test_halfway_along_a_one_unit_decrease_the_change_is_rounded_not_the_value():
    start, end = D(2022, 7, 31), D(2023, 5, 31)  # 304 days; halfway is 152 days in
    halfway = start + dt.timedelta(152)
    assert expected_now("0.0002", start, "0.0001", end, halfway) == Decimal("0.0001")
    assert expected_now("-0.0002", start, "-0.0001", end, halfway) == Decimal("-0.0001")
    assert expected_now("0.0001", start, "0.0002", end, halfway) == Decimal("0.0002")


def test_exact_comparison_where_floating_point_would_flip_the_rag():
    """Cases where latest equals the exact trajectory but naive float arithmetic puts it below."""
    flips = []
    for tenths in range(1, 10):
        for span in range(2, 40):
            for days in range(1, span):
                b, t = tenths / 10, 1.0
                exact = exact_expected(Decimal(str(b)), D(2024, 1, 1), 1, D(2024, 1, 1) + dt.timedelta(span),
                                       D(2024, 1, 1) + dt.timedelta(days))
                if (exact * 10**4).denominator != 1:
                    continue  # only latest values that lie exactly on the line
                latest = float(exact)
                if latest < b + (t - b) * days / span:
                    flips.append((b, t, span, days, latest))
    assert flips, "expected some float flips to guard against"
    for b, t, span, days, latest in flips:
        start = D(2024, 1, 1)
        expected = expected_now(b, start, t, start + dt.timedelta(span), start + dt.timedelta(days))
        assert target_rag(latest, expected, b, t) == GREEN, (b, t, span, days)


# Missing figures.


def test_not_set_without_figures_and_no_data_without_an_actual():
    assert target_rag(100, None, None, 7609) == NOT_SET
    assert target_rag(100, None, 5435, None) == NOT_SET
    assert target_rag(None, None, None, None) == NOT_SET  # Not set wins over No data
    assert target_rag(None, None, 5435, 7609) == NO_DATA
    assert target_rag(100, None, 5435, 7609) == NOT_SET  # figures but no dates: no expected value


def test_assess_a_target_to_be_agreed_is_not_set_even_with_actuals():
    agreed_later = Target("T3", "Non-levy payers recruiting apprentices (measure to be agreed)")
    status = assess(agreed_later, [Actual("T3", JULY_23, Decimal(12))])
    assert (status.rag, status.expected, status.progress, status.latest) == (NOT_SET, None, None, Decimal(12))
    no_dates = Target("T", "m", baseline=Decimal(1), target=Decimal(2))
    assert assess(no_dates, [Actual("T", JULY_23, Decimal(2))]).rag == NOT_SET


def test_assess_without_actuals_is_no_data_and_ignores_other_targets_actuals():
    starts = Target("T1", "Starts", baseline=Decimal(5435), baseline_date=JULY_22, target=Decimal(7609),
                    target_date=JULY_25)
    status = assess(starts, [Actual("T2", JULY_23, Decimal(640))])
    assert (status.rag, status.latest_date, status.expected, status.trend) == (NO_DATA, None, None, None)


# Trend and assess.


def test_assess_takes_latest_and_previous_by_date_not_by_order():
    starts = Target("T1", "Starts", baseline=Decimal(5435), baseline_date=JULY_22, target=Decimal(7609),
                    target_date=JULY_25)
    actuals = [Actual("T1", D(2023, 4, 30), Decimal(5905)), Actual("T1", JULY_23, Decimal(6120)),
               Actual("T1", D(2022, 10, 31), Decimal(5610))]
    status = assess(starts, actuals)
    assert (status.latest_date, status.latest, status.previous_date, status.previous) == (
        JULY_23, 6120, D(2023, 4, 30), 5905)
    assert (status.expected, status.progress, status.rag, status.trend) == (
        Decimal("6159.0055"), Decimal("0.315"), AMBER, UP)
    with pytest.raises(ValueError, match="T1 has two actuals dated 2023-07-31"):
        assess(starts, [*actuals, Actual("T1", JULY_23, Decimal(6000))])


def test_trend_compares_to_4_decimals():
    assert [trend(1, 2), trend(2, 1), trend(2, 2), trend("0.12344", "0.12341")] == [UP, DOWN, FLAT, FLAT]
    assert trend(None, 2) is None and trend(2, None) is None


# Inputs: units, direction, amber, bounds.


def test_units_and_typed_values():
    assert parse_value("1 in 10", targets.RATIO) == Decimal("0.1")
    assert parse_value("5-in-10", targets.RATIO) == Decimal("0.5")
    assert parse_value("74%", targets.PERCENT) == Decimal("0.74")
    assert parse_value(0.74, targets.PERCENT) == Decimal("0.74")
    assert parse_value("£250,000", targets.MONEY) == Decimal(250000)
    assert parse_value("5,435", targets.NUMBER) == Decimal(5435)
    with pytest.raises(ValueError, match=r"^value must be a % from 0% to 100% \(0.74 or 74% for 74%\), not 74$"):
        check_value(74, targets.PERCENT)
    with pytest.raises(ValueError, match=r"not 1.01$"):
        parse_value("101%", targets.PERCENT)
    with pytest.raises(ValueError, match="must be a ratio from 0 to 1"):
        parse_value("11 in 10", targets.RATIO)
    with pytest.raises(ValueError, match="'lots' is not"):
        check_value(1, "lots")
    with pytest.raises(ValueError, match=r"^value must be a number, not 'about 5'$"):
        parse_value("about 5", targets.NUMBER)


def test_direction_is_inferred_must_agree_and_decides_only_a_flat_target():
    assert target_rag(5, 5, 5, 5) == GREEN and target_rag(4, 5, 5, 5) == RED  # keep at least 5
    assert target_rag(6, 5, 5, 5, DECREASE) == RED and target_rag(4, 5, 5, 5, DECREASE) == GREEN  # at most 5
    assert target_rag("0.62", "0.6268", "0.74", "0.40") == GREEN  # inferred decrease
    with pytest.raises(ValueError, match=r"Increase but the target \(0.4\) is below the baseline \(0.74\)"):
        target_rag("0.62", "0.6268", "0.74", "0.40", INCREASE)
    with pytest.raises(ValueError, match="direction 'down' is not Increase or Decrease"):
        target_rag(1, 1, 1, 2, "down")


def test_amber_within():
    assert target_rag(90, 100, 0, 200, amber_within="0.05") == AMBER  # band 10
    assert target_rag(Decimal("89.9999"), 100, 0, 200, amber_within="0.05") == RED
    assert target_rag(Decimal("99.9999"), 100, 0, 200, amber_within=0) == RED
    assert target_rag(75, 100, 0, 200, amber_within="0.125") == AMBER  # band 25
    with pytest.raises(ValueError, match=r"steps of 0.1% \(such as 10% or 12.5%\), not 12.34%"):
        target_rag(1, 1, 0, 2, amber_within="0.1234")
    with pytest.raises(ValueError, match=r"from 0% to 100% \(0 to 1\), not 1000%"):
        target_rag(1, 1, 0, 2, amber_within=10)


def test_bounds_that_keep_the_arithmetic_exact():
    assert expected_now(-100_000_000, D(2020, 1, 1), 100_000_000, D(2030, 1, 1), D(2025, 1, 1)) == Decimal(
        str(half_up(Fraction(-10**8) + Fraction(2 * 10**8 * 1827, 3653))))
    with pytest.raises(ValueError, match="baseline must be between -100,000,000 and 100,000,000, not 100000001"):
        expected_now(100_000_001, D(2020, 1, 1), 0, D(2021, 1, 1), D(2020, 6, 1))
    with pytest.raises(ValueError, match=r"at most ten years \(3653 days\) after baseline_date, not 3654 days"):
        expected_now(0, D(2020, 1, 1), 1, D(2030, 1, 2), D(2021, 1, 1))
    with pytest.raises(ValueError, match=r"target_date \(2020-01-01\) must be after baseline_date \(2020-01-01\)"):
        expected_now(0, D(2020, 1, 1), 1, D(2020, 1, 1), D(2021, 1, 1))


def test_year_labels_are_stored_as_the_date_the_year_ends():
    assert year_end("2021/22") == D(2022, 7, 31) == year_end("2021-22", ACADEMIC) == year_end("2022")
    assert year_end("2023/24", targets.FINANCIAL) == D(2024, 3, 31)
    assert year_end("1999/00", targets.FINANCIAL) == D(2000, 3, 31)
    assert year_end("2024", targets.CALENDAR) == D(2024, 12, 31)
    for label in ("2021/23", "21/22", "2021/2023"):
        with pytest.raises(ValueError, match="is not a year like 2021/22"):
            year_end(label)
    with pytest.raises(ValueError, match="not a calendar year"):
        year_end("2021/22", targets.CALENDAR)


# Properties.

VALUES = st.decimals(min_value=-10**6, max_value=10**6, places=4, allow_nan=False, allow_infinity=False)
DAYS = st.integers(min_value=1, max_value=targets.MAX_SPAN_DAYS)
AMBERS = st.integers(min_value=0, max_value=1000).map(lambda per_mille: Decimal(per_mille) / 1000)
RANK = {RED: 0, AMBER: 1, GREEN: 2}


@settings(max_examples=300, deadline=None)
@given(VALUES, VALUES, VALUES, DAYS, st.integers(min_value=-50, max_value=4000), AMBERS,
       st.sampled_from([INCREASE, DECREASE]))
def test_a_decrease_is_the_increase_with_values_negated(b, t, latest, span, elapsed, amber, flat_direction):
    start = D(2022, 7, 31)
    end, on = start + dt.timedelta(span), start + dt.timedelta(elapsed)
    expected = expected_now(b, start, t, end, on)
    assert expected_now(-b, start, -t, end, on) == -expected
    assert expected == expected_as_ruled(b, start, t, end, on)
    direction = INCREASE if t > b else DECREASE if t < b else flat_direction  # it decides only a flat target
    mirrored = DECREASE if direction == INCREASE else INCREASE
    rag = target_rag(latest, expected, b, t, direction, amber)
    assert target_rag(-latest, -expected, -b, -t, mirrored, amber) == rag


@settings(max_examples=300, deadline=None)
@given(VALUES, VALUES, VALUES, VALUES, AMBERS)
def test_rag_is_monotone_in_the_latest_value(b, t, expected, latest, amber):
    better = latest + Decimal("0.0001") * (1 if t >= b else -1)
    assert RANK[target_rag(better, expected, b, t, amber_within=amber)] >= RANK[
        target_rag(latest, expected, b, t, amber_within=amber)]


@settings(max_examples=200, deadline=None)
@given(VALUES, VALUES, DAYS, st.integers(min_value=0, max_value=4000))
def test_the_line_stays_between_baseline_and_target_and_ends_at_both(b, t, span, elapsed):
    start = D(2022, 7, 31)
    end = start + dt.timedelta(span)
    on = start + dt.timedelta(min(elapsed, span))
    assert min(b, t) <= expected_now(b, start, t, end, on) <= max(b, t)
    if t != b:
        assert progress(b, b, t) == 0 and progress(t, b, t) == 1


# Actions.


@pytest.mark.parametrize(("status", "due", "on_date", "rag"), [
    ("On track", JULY_23, D(2023, 3, 31), GREEN),
    ("At risk", JULY_23, D(2023, 3, 31), AMBER),
    ("Off track", JULY_23, D(2023, 3, 31), RED),
    ("Complete", JULY_23, D(2023, 3, 31), GREEN),
    ("Complete", JULY_23, D(2024, 3, 31), GREEN),  # finished late: still complete
    ("On track", JULY_23, JULY_23, GREEN),  # due today is not overdue
    ("On track", JULY_23, D(2023, 8, 1), RED),  # overdue
    ("At risk", JULY_23, D(2023, 8, 1), RED),
    ("Not started", JULY_23, D(2023, 4, 30), AMBER),  # EDATE(30 Apr, 3) = 30 Jul: due after it
    ("Not started", JULY_23, D(2023, 5, 1), RED),  # EDATE(1 May, 3) = 1 Aug: due within 3 months
    ("Not started", D(2024, 2, 29), D(2023, 11, 30), RED),  # EDATE(30 Nov 2023, 3) = 29 Feb 2024
    ("Not started", D(2024, 3, 1), D(2023, 11, 30), AMBER),
    ("Not started", None, D(2023, 5, 1), AMBER),  # no due date: never overdue
    ("On track", None, D(2030, 1, 1), GREEN),
    ("  on TRACK ", JULY_23, D(2023, 3, 31), GREEN),  # typed loosely
    (None, JULY_23, D(2030, 1, 1), NO_DATA),
    ("", JULY_23, D(2030, 1, 1), NO_DATA),
])
def test_action_rag(status, due, on_date, rag):
    assert action_rag(status, due, on_date) == rag


def test_action_rag_rejects_an_unknown_status():
    with pytest.raises(ValueError, match="'Done' is not an action status; use Not started, On track, At risk"):
        action_rag("Done", JULY_23, JULY_22)


# Public sector figures (das-public-sector-reporting).


def test_public_sector_percentages_match_the_collections_own_test():
    """WhenPercentageUpdateIsRequested: 11.67, 36.00 and 7.20 from these figures."""
    figures = PublicSectorFigures(employees_at_start=250, employees_at_end=300, new_employees=50,
                                  apprentices_at_start=20, apprentices_at_end=35, apprenticeship_starts=18)
    shares = public_sector_shares(figures)
    assert shares.apprentices_of_headcount == Decimal("0.1167")
    assert shares.starts_of_new_employees == Decimal("0.36")
    assert shares.starts_of_headcount == Decimal("0.072")
    assert (shares.benchmark_starts, shares.meets_benchmark) == (6, True)  # 2.3% of 250 = 5.75, rounded up


@pytest.mark.parametrize(("part", "whole", "share"), [
    (50, 0, 0), (0, 250, 0), (0, 0, 0),  # the collection's "0.00" cases
    (1, 800, Decimal("0.0013")),  # 0.125%: a tie, rounded away from zero as .NET formats F2
    (1, 8, Decimal("0.125")), (2, 3, Decimal("0.6667")), (1, 3, Decimal("0.3333")), (7, 7, 1),
])
def test_public_sector_share_rounding(part, whole, share):
    assert public_sector_share(part, whole) == share


def test_council_and_schools_add_up_and_the_reporting_year_is_the_last_one_ended():
    council = PublicSectorFigures(4000, 4100, 500, 60, 80, 90)
    schools = PublicSectorFigures(3000, 2950, 400, 5, 9, 12)
    whole = combine_figures(council, schools)
    assert whole == PublicSectorFigures(7000, 7050, 900, 65, 89, 102)
    assert public_sector_shares(whole).starts_of_headcount == Decimal("0.0146")  # 102 / 7,000
    assert reporting_period(D(2024, 3, 31)) == (D(2022, 4, 1), D(2023, 3, 31))
    assert reporting_period(D(2024, 4, 1)) == (D(2023, 4, 1), D(2024, 3, 31))
    with pytest.raises(ValueError, match="apprenticeship_starts must be 0 or more, not -1"):
        public_sector_shares(PublicSectorFigures(1, 1, 1, 1, 1, -1))


# The Hertfordshire example.

SEED_TARGETS = {  # id: (unit, direction, baseline, baseline year, target, target year)
    "T1": ("Number", INCREASE, 5435, "2021/22", 7609, "2024/25"),
    "T2": ("Number", INCREASE, 547, "2021/22", 750, "2024/25"),
    "T3": ("Number", INCREASE, None, None, None, None),
    "T4": ("%", INCREASE, Decimal("0.52"), "2022", Decimal("0.67"), "2024/25"),
    "T5": ("Number", INCREASE, 2601, "2020/21", 3121, "2024/25"),
    "T6": ("Number", INCREASE, 2144, "2020/21", 3000, "2024/25"),
    "T7": ("£", INCREASE, 0, None, 250000, "2024/25"),
    "T8": ("Ratio", INCREASE, Decimal("0.1"), "2022", Decimal("0.5"), "2024/25"),
    "T9": ("%", DECREASE, Decimal("0.74"), "2021/22", Decimal("0.40"), "2024/25"),
    "T10": ("Number", INCREASE, 500, "2020/21", 575, "2024/25"),
}


def test_the_hertfordshire_example_has_every_target_as_the_strategy_states_it():
    strategy = load_example("hertfordshire")
    assert strategy.year_type == ACADEMIC
    assert {t.id: (t.unit, t.direction, t.baseline, t.baseline_year, t.target, t.target_year)
            for t in strategy.targets} == SEED_TARGETS
    by_id = {t.id: t for t in strategy.targets}
    assert by_id["T1"].measure == ("Increase the total number of Hertfordshire residents accessing apprenticeships "
                                   "by 40%, from 5,435 in 2021/22 to 7,609 in 2024/25.")
    assert by_id["T3"].measure.endswith("(measure to be agreed).")
    assert by_id["T9"].measure.startswith("Decrease teachers\u2019 lack of confidence")
    assert (by_id["T8"].baseline_stated, by_id["T8"].target_stated) == ("1-in-10", "5-in-10")
    assert parse_value(by_id["T8"].baseline_stated, by_id["T8"].unit) == by_id["T8"].baseline
    assert by_id["T7"].target_stated == "£250,000" and by_id["T7"].baseline_stated is None
    for target in strategy.targets:
        for year, day in ((target.baseline_year, target.baseline_date), (target.target_year, target.target_date)):
            if year is not None:
                assert day == year_end(year, strategy.year_type), target.id
        if target.baseline is None:
            assert target.baseline_date is None and target.note  # says why
    assert by_id["T7"].baseline_date == year_end("2021/22")  # assumed: the strategy's start


def test_the_hertfordshire_example_has_six_objectives_and_every_numbered_action():
    strategy = load_example()
    assert [(o.number, o.theme) for o in strategy.objectives] == [
        ("1", "YOUNG PEOPLE"), ("2", "ADULTS"), ("3", "EMPLOYERS"), ("4", "PROVIDERS"), ("5", "PARTNERSHIPS"),
        ("6", "SOCIAL MOBILITY/LDD")]
    assert [a.number for a in strategy.actions] == [
        "1.1", "1.2", "1.3", "2.1", "2.2", "3.1", "3.2", "3.3", "3.4", "3.5", "4.1", "4.2", "4.3", "4.4", "4.5",
        "5.1", "5.2", "5.3", "6.1", "6.2", "6.3"]
    first = strategy.actions[0]
    assert first.measure == ("Increase the percentage of young people who move onto an apprenticeship from "
                             "full-time education.")
    assert first.action.startswith("Develop and widely disseminate a clear strategy")
    assert first.accountability == "Careers Hub; Hertfordshire County Council; Herts4Learning; HOP"
    assert (first.timescale, first.due) == ("Throughout the 2022/23 academic year.", year_end("2022/23"))
    assert all(a.objective for a in strategy.actions)
    assert action_rag(NOT_STARTED, first.due, D(2023, 5, 1)) == RED


def test_the_hertfordshire_actuals_are_illustrative_quarterly_and_show_every_rag():
    strategy = load_example()
    assert strategy.actuals_note.startswith("ILLUSTRATIVE")
    with_figures = {t.id for t in strategy.targets if t.baseline is not None}
    for target_id in with_figures:
        dates = [a.on for a in strategy.actuals if a.target_id == target_id]
        assert dates == [D(2022, 10, 31), D(2023, 1, 31), D(2023, 4, 30), JULY_23], target_id
    assert {a.target_id for a in strategy.actuals} == with_figures
    statuses = {t.id: assess(t, strategy.actuals) for t in strategy.targets}
    assert {s.rag for s in statuses.values()} == {GREEN, AMBER, RED, NOT_SET}
    for target in strategy.targets:  # each against the exact line and band
        status = statuses[target.id]
        if status.rag == NOT_SET:
            continue
        exact = expected_as_ruled(target.baseline, target.baseline_date, target.target, target.target_date,
                                  status.latest_date)
        sign = 1 if target.direction == INCREASE else -1
        band = half_up(Fraction(abs(target.target - target.baseline)) / 10)
        ahead = sign * (status.latest - exact)
        assert status.rag == (GREEN if ahead >= 0 else AMBER if ahead >= -band else RED), target.id


def test_a_strategy_file_with_a_bad_value_is_refused(tmp_path):
    text = (targets.resources.files("lga_xl") / "data/examples/hertfordshire.json").read_text("utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(text.replace('"value": 0.74', '"value": 74'), "utf-8")
    with pytest.raises(ValueError, match="target T9 baseline must be a % from 0% to 100%"):
        targets.load_strategy(bad)


# The Excel functions.


@pytest.mark.parametrize("baseline_date", [JULY_22, dt.datetime(2022, 7, 31, 9, 30), serial(JULY_22),
                                           serial(JULY_22) + 0.5, "2022-07-31", "31/07/2022", [[serial(JULY_22)]]])
def test_target_trajectory_reads_dates_as_excel_passes_them(baseline_date):
    assert TARGET_TRAJECTORY(5435, baseline_date, 7609, serial(JULY_25), "2023-07-31") == 6159.0055


@pytest.mark.parametrize(("baseline", "target", "plain"), [
    ("5,435", "7,609", (5435, 7609)), (5435.0, [[7609.0]], (5435, 7609)),
    ("74%", "40%", ("0.74", "0.4")), (0.74, 0.4, ("0.74", "0.4")),
    ("1 in 10", "5-in-10", ("0.1", "0.5")), ("£0", "£250,000", (0, 250_000)),
])
def test_target_trajectory_reads_values_as_typed(baseline, target, plain):
    assert TARGET_TRAJECTORY(baseline, JULY_22, target, JULY_25, JULY_23) == float(
        expected_as_ruled(plain[0], JULY_22, plain[1], JULY_25, JULY_23))


@pytest.mark.parametrize("blank", [None, "", "  ", [[None]]])
def test_target_trajectory_is_blank_when_an_input_is(blank):
    assert TARGET_TRAJECTORY(blank, JULY_22, 7609, JULY_25, JULY_23) == ""
    assert TARGET_TRAJECTORY(5435, JULY_22, 7609, blank, JULY_23) == ""
    assert TARGET_TRAJECTORY(5435, JULY_22, 7609, JULY_25, blank) == ""


def test_target_rag_as_excel_passes_values():
    expected = TARGET_TRAJECTORY(5435, JULY_22, 7609, JULY_25, JULY_23)
    assert TARGET_RAG(6120, expected, 5435, 7609) == AMBER
    assert TARGET_RAG("6,159.0055", expected, "5,435", "7,609") == GREEN
    assert TARGET_RAG(5941.6055, expected, 5435, 7609, None, "10%") == AMBER
    assert TARGET_RAG(5941.6055, expected, 5435, 7609, "", [[0.1]]) == AMBER
    assert TARGET_RAG(5941.6055, expected, 5435, 7609, "increase", 0.05) == RED
    assert TARGET_RAG("62%", 0.6268, "74%", "40%") == GREEN
    assert TARGET_RAG(0.62, 0.6268, 0.74, 0.4, " decrease ") == GREEN
    assert TARGET_RAG(None, expected, 5435, 7609) == NO_DATA
    assert TARGET_RAG(6120, "", 5435, 7609) == NOT_SET
    assert TARGET_RAG(6120, "", None, None) == NOT_SET


@pytest.mark.parametrize(("call", "message"), [
    (lambda: TARGET_RAG("lots", 1, 0, 2), "latest must be a number, not 'lots'"),
    (lambda: TARGET_RAG(1, 1, 0, 2, "up"), "direction 'up' is not Increase or Decrease"),
    (lambda: TARGET_RAG(1, 1, 0, 2, "Decrease"), "direction is Decrease but the target (2) is above the baseline (0)"),
    (lambda: TARGET_RAG(1, 1, 0, 2, None, 10), "amber_within must be from 0% to 100% (0 to 1), not 1000%"),
    (lambda: TARGET_RAG(1, 1, 0, 2, None, "12.34%"),
     "amber_within must be in steps of 0.1% (such as 10% or 12.5%), not 12.34%"),
    (lambda: TARGET_RAG(1, 1, 0, 2, None, "soon"), "amber_within must be a number, not 'soon'"),
    (lambda: TARGET_RAG([[1, 2]], 1, 0, 2), "latest must be one cell, not a range of 2 cells"),
    (lambda: TARGET_RAG(1, 1, "1 in 0", 2), "baseline '1 in 0' is not a ratio: nothing is '1 in 0'"),
    (lambda: TARGET_TRAJECTORY(1, "next year", 2, JULY_25, JULY_23),
     "baseline_date must be a date (a date cell, or text like 2026-08-01 or 01/08/2026), not 'next year'"),
    (lambda: TARGET_TRAJECTORY(1, JULY_25, 2, JULY_22, JULY_23),
     "target_date (2022-07-31) must be after baseline_date (2025-07-31)"),
    (lambda: TARGET_TRAJECTORY(1e9, JULY_22, 2, JULY_25, JULY_23),
     "baseline must be between -100,000,000 and 100,000,000, not 1000000000.0"),
    (lambda: TARGET_TRAJECTORY(True, JULY_22, 2, JULY_25, JULY_23), "baseline must be a number, not True"),
])
def test_bad_target_inputs_say_what_is_wrong(call, message):
    with pytest.raises(UdfInputError) as caught:
        call()
    assert str(caught.value) == message


def test_the_target_functions_work_without_the_packages_xlwings_lite_cannot_load():
    code = textwrap.dedent("""
        import importlib.abc, sys
        BLOCKED = {"openpyxl", "python_calamine", "pandas", "pydantic", "pydantic_core"}

        class Block(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in BLOCKED:
                    raise ImportError(name + " is blocked (not available in xlwings Lite)")
                return None

        sys.meta_path.insert(0, Block())
        from lga_xl.udfs import TARGET_RAG, TARGET_TRAJECTORY
        from lga_xl.targets import load_example
        expected = TARGET_TRAJECTORY(5435, 44773, 7609, 45869, 45138)
        print(TARGET_RAG(6120, expected, 5435, 7609), len(load_example().targets))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["Amber", "10"]


# The formulas, recalculated by LibreOffice, against Python.

TRACKERS = 240


def random_value(rng: random.Random) -> Decimal:
    kind = rng.choice(["count", "share", "money", "huge"])
    if kind == "count":
        return Decimal(rng.randint(0, 20_000))
    if kind == "share":
        return Decimal(rng.randint(0, 10_000)) / 10_000
    if kind == "money":
        return Decimal(rng.randint(0, 100_000_000)) / 100
    return Decimal(rng.randint(-10**12, 10**12)) / 10_000  # up to the 100,000,000 bound, 4 decimals


def random_tracker(rng: random.Random, number: int) -> tuple[Target, list[Actual]]:
    baseline_date = D(2015, 1, 1) + dt.timedelta(rng.randint(0, 4000))
    span = rng.choice([1, 2, 3, 365, 1096, 1461, targets.MAX_SPAN_DAYS, rng.randint(1, targets.MAX_SPAN_DAYS)])
    b = random_value(rng)
    t = rng.choice([b, random_value(rng), -b, b + Decimal("0.0001")])
    if abs(t) > targets.MAX_ABS_VALUE:
        t = b
    direction = DECREASE if t < b or (t == b and rng.random() < 0.5) else INCREASE
    amber = rng.choice([targets.DEFAULT_AMBER_WITHIN, Decimal("0.05"), Decimal("0.125"), Decimal(0), Decimal(1),
                        Decimal(rng.randint(0, 1000)) / 1000])
    missing = rng.random()
    target = Target(f"T{number}", "random", baseline=None if missing < 0.04 else b,
                    baseline_date=None if 0.04 <= missing < 0.06 else baseline_date,
                    target=None if 0.06 <= missing < 0.08 else t, target_date=baseline_date + dt.timedelta(span),
                    direction=direction, amber_within=amber)
    count = rng.choice([0, 1, 1, 2, 3, 4, 6])
    offsets = rng.sample(range(-100, span + 100), min(count, span + 200))
    actuals = [Actual(target.id, baseline_date + dt.timedelta(offset), random_value(rng)) for offset in offsets]
    if actuals and rng.random() < 0.6:  # put the latest on an edge: on the line, on the band, one unit outside
        latest = max(actuals, key=lambda a: a.on)
        exact = expected_as_ruled(b, baseline_date, t, target.target_date, latest.on)
        band = half_up(Fraction(abs(t - b)) * Fraction(amber))
        sign = -1 if direction == DECREASE else 1
        outside = band + Decimal("0.0001")
        edge = rng.choice([exact, exact - sign * band, exact - sign * band, exact - sign * outside,
                           exact + sign * Decimal("0.0001"), exact - sign * Decimal("0.0001")])
        if abs(edge) <= targets.MAX_ABS_VALUE:
            actuals[actuals.index(latest)] = Actual(target.id, latest.on, edge)
    return target, actuals


def cell_value(value):
    return None if value == "" else value


def as_day(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    return EPOCH + dt.timedelta(days=int(value))


def number_or_none(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(repr(float(value)))


@pytest.mark.libreoffice
def test_the_formulas_agree_with_python_in_libreoffice(tmp_path, libreoffice):
    rng = random.Random(13)
    trackers = [random_tracker(rng, n) for n in range(1, TRACKERS + 1)]
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "Targets"
    actual_sheet = wb.create_sheet("Actuals")
    actual_sheet.append(["Target", "Date", "Value"])
    for target, actuals in trackers:
        for actual in actuals:
            actual_sheet.append([target.id, actual.on, float(actual.value)])
    last = actual_sheet.max_row
    ids, dates, values = (f"Actuals!${col}$2:${col}${last}" for col in "ABC")
    header = ["Id", "Baseline", "Baseline date", "Target", "Target date", "Direction", "Amber", "Latest date",
              "Latest", "Previous date", "Previous", "Expected", "Progress", "RAG", "Trend", "RAG default"]
    sheet.append(header)
    for row, (target, _) in enumerate(trackers, start=2):
        amber = None if target.amber_within == targets.DEFAULT_AMBER_WITHIN and row % 2 else float(target.amber_within)
        sheet.append([target.id, None if target.baseline is None else float(target.baseline), target.baseline_date,
                      None if target.target is None else float(target.target), target.target_date,
                      target.direction, amber])
        sheet[f"H{row}"] = targets.latest_date_formula(ids, dates, values, f"A{row}")
        sheet[f"I{row}"] = targets.value_on_formula(ids, dates, values, f"A{row}", f"H{row}")
        sheet[f"J{row}"] = targets.previous_date_formula(ids, dates, values, f"A{row}", f"H{row}")
        sheet[f"K{row}"] = targets.value_on_formula(ids, dates, values, f"A{row}", f"J{row}")
        sheet[f"L{row}"] = targets.expected_formula(f"B{row}", f"C{row}", f"D{row}", f"E{row}", f"H{row}")
        sheet[f"M{row}"] = targets.progress_formula(f"I{row}", f"B{row}", f"D{row}")
        sheet[f"N{row}"] = targets.rag_formula(f"I{row}", f"L{row}", f"B{row}", f"D{row}", f"F{row}", f"G{row}",
                                               baseline_date=f"C{row}", target_date=f"E{row}")
        sheet[f"O{row}"] = targets.trend_formula(f"K{row}", f"I{row}")
        sheet[f"P{row}"] = targets.rag_formula(f"I{row}", f"L{row}", f"B{row}", f"D{row}")

    actions = action_cases(rng)
    action_sheet = wb.create_sheet("Actions")
    for row, (status, due, on_date) in enumerate(actions, start=1):
        action_sheet.append([status, due, on_date])
        action_sheet[f"D{row}"] = targets.action_rag_formula(f"A{row}", f"B{row}", f"C{row}")
    shares = [(rng.randint(0, 5000), rng.randint(0, 200_000)) for _ in range(200)]
    shares += [(1, 800), (1, 8), (0, 5), (5, 0), (3, 80_000), (2, 3), (999_999, 1_000_000)]
    share_sheet = wb.create_sheet("Public")
    for row, (part, whole) in enumerate(shares, start=1):
        share_sheet.append([part, whole])
        share_sheet[f"C{row}"] = targets.public_sector_share_formula(f"A{row}", f"B{row}")
    path = tmp_path / "targets_parity.xlsx"
    wb.save(path)

    result = openpyxl.load_workbook(libreoffice([path])[path], data_only=True)
    rows = list(result["Targets"].iter_rows(min_row=2, values_only=True))
    rags = set()
    for (target, actuals), row in zip(trackers, rows, strict=True):
        status = assess(target, actuals)
        got = dict(zip(header, row))
        assert as_day(got["Latest date"]) == status.latest_date, target.id
        assert as_day(got["Previous date"]) == status.previous_date, target.id
        assert number_or_none(got["Latest"]) == status.latest, target.id
        assert number_or_none(got["Expected"]) == status.expected, target.id
        assert number_or_none(got["Progress"]) == status.progress, target.id
        assert (got["RAG"], cell_value(got["Trend"])) == (status.rag, status.trend), target.id
        assert got["RAG default"] == target_rag(status.latest, status.expected, target.baseline, target.target)
        rags.add(status.rag)
    assert rags == {GREEN, AMBER, RED, NOT_SET, NO_DATA}

    for (status, due, on_date), (*_, got) in zip(actions, result["Actions"].iter_rows(values_only=True), strict=True):
        assert got == action_rag(status, due, on_date), (status, due, on_date)
    for (part, whole), (*_, got) in zip(shares, result["Public"].iter_rows(values_only=True), strict=True):
        assert Decimal(repr(float(got))) == public_sector_share(part, whole), (part, whole)


def action_cases(rng: random.Random) -> list[tuple[str | None, dt.date | None, dt.date]]:
    cases = []
    for _ in range(300):
        on_date = D(2022, 1, 1) + dt.timedelta(rng.randint(0, 1500))
        due = rng.choice([None, on_date + dt.timedelta(rng.randint(-200, 200)), targets._add_months(on_date, 3),
                          targets._add_months(on_date, 3) + dt.timedelta(1), on_date, on_date - dt.timedelta(1)])
        cases.append((rng.choice([None, *ACTION_STATUSES]), due, on_date))
    cases += [(NOT_STARTED, D(2024, 2, 29), D(2023, 11, 30)), (NOT_STARTED, D(2024, 3, 1), D(2023, 11, 30)),
              (COMPLETE, D(2020, 1, 1), D(2024, 1, 1))]
    return cases

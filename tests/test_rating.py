"""The rating rule (docs/rating.md), its worked examples and properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lga_xl.rating import (
    LABELS,
    NOT_RATED,
    STATUSES,
    LevelCount,
    Status,
    StatusError,
    count_levels,
    label_score,
    overall_score,
    parse_status,
    rate,
    rate_statuses,
    score_label,
)


def leadership(dev: int, mat: int, mre: int):
    """Leadership and Culture counts (D=5, G=7, M=9) with this many achieved."""
    return [LevelCount(5, dev), LevelCount(7, mat), LevelCount(9, mre)]


@pytest.mark.parametrize(
    ("dev", "mat", "mre", "label", "rule"),
    [
        (5, 4, 0, "Developing +", "half"),  # all D, 4 of 7 G
        (5, 3, 0, "Developing", None),  # all D, 3 of 7 G
        (5, 1, 1, "Developing +", "spread"),  # all D, 1 G, 1 M
        (2, 0, 0, "Early", None),  # 2 of 5 D
        (3, 0, 0, "Early +", "half"),  # 3 of 5 D
        (4, 7, 0, "Maturing", None),  # all G, 4 of 5 D: levels are not cumulative
    ],
)
def test_worked_examples_from_domain(dev, mat, mre, label, rule):
    rating = rate(leadership(dev, mat, mre))
    assert (rating.label, rating.plus_rule) == (label, rule)
    assert rating.score == label_score(label)


def test_mature_never_gets_a_plus_and_scores_four():
    rating = rate(leadership(5, 7, 9))
    assert (rating.label, rating.score, rating.plus) == ("Mature", 4.0, False)


def test_maturing_plus_needs_half_of_mature():
    assert rate(leadership(5, 7, 5)).label == "Maturing +"
    assert rate(leadership(5, 7, 4)).label == "Maturing"


def test_spread_rule_from_early_needs_two_higher_levels():
    assert rate(leadership(1, 1, 0)).label == "Early +"
    assert rate(leadership(1, 0, 0)).label == "Early"
    assert rate(leadership(0, 1, 1)).label == "Early +"


def test_a_level_with_nothing_applicable_is_never_complete():
    counts = [LevelCount(0, 0), LevelCount(7, 7), LevelCount(0, 0)]
    assert rate(counts).label == "Maturing"
    assert rate([LevelCount(0, 0)] * 3).label == "Early"


def test_counting_ignores_not_applicable_and_early():
    pairs = [
        ("Early", Status.ACHIEVED),
        ("Developing", Status.ACHIEVED),
        ("Developing", Status.NOT_APPLICABLE),
        ("Developing", None),
        ("Maturing", Status.IN_PROGRESS),
    ]
    assert count_levels(pairs) == [LevelCount(2, 1, answered=2), LevelCount(1, 0, answered=1),
                                   LevelCount(0, 0, answered=0)]
    with pytest.raises(ValueError, match="not a level"):
        count_levels([("Advanced", Status.ACHIEVED)])


def test_a_strand_without_an_answer_is_not_rated_and_has_no_score():
    blank = rate_statuses(["Developing", "Maturing", "Mature"], [None, "", "  "])
    assert (blank.label, blank.score, blank.base_level, blank.rated) == (NOT_RATED, None, None, False)
    # one answer of any kind rates the strand, Not applicable included
    for status in STATUSES:
        rating = rate_statuses(["Developing", "Maturing", "Mature"], [None, status, None])
        assert rating.rated and rating.label in LABELS, status
    # counts that do not say what was answered are rated as before
    assert rate([LevelCount(5, 0), LevelCount(7, 0), LevelCount(9, 0)]).label == "Early"
    with pytest.raises(ValueError):
        label_score(NOT_RATED)  # not a rating anyone can aim for


@pytest.mark.parametrize(("scores", "overall"), [
    ([2.0, 2.5, 2.0, 3.0, 2.0], 2.3),
    ([1.0, 1.0, 1.5, None, None], 1.17),  # the mean of the rated strands only
    ([1.0, 1.0, 1.0, 1.5, None], 1.13),  # 1.125: half away from zero, as Excel's ROUND
    ([None, 4.0, None, None, None], 4.0),
    ([None] * 5, None),
])
def test_overall_score_is_the_mean_of_the_rated_strands(scores, overall):
    assert overall_score(scores) == overall


def test_labels_and_scores_round_trip():
    assert [label_score(label) for label in LABELS] == [1, 1.5, 2, 2.5, 3, 3.5, 4]
    assert [score_label(label_score(label)) for label in LABELS] == list(LABELS)
    with pytest.raises(ValueError, match="not a rating"):
        label_score("Developing+")
    with pytest.raises(ValueError, match="not a rating score"):
        score_label(2.25)


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("achieved", Status.ACHIEVED),
        (" Achieved ", Status.ACHIEVED),
        ("IN PROGRESS", Status.IN_PROGRESS),
        ("in-progress", Status.IN_PROGRESS),
        ("Not  started", Status.NOT_STARTED),
        ("N/A", Status.NOT_APPLICABLE),
        ("not applicable", Status.NOT_APPLICABLE),
    ],
)
def test_loose_statuses_are_normalised_and_flagged(typed, status):
    assert parse_status(typed) == (parse_status(typed).__class__(status, normalised=True))


@pytest.mark.parametrize("exact", STATUSES)
def test_exact_statuses_are_not_flagged(exact):
    parsed = parse_status(exact)
    assert parsed.status.value == exact and not parsed.normalised


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_blank_is_unanswered(blank):
    assert parse_status(blank).status is None


@pytest.mark.parametrize("bad", ["Yes", "Done", "Achieved!", 1.0, True])
def test_anything_else_is_reported_not_guessed(bad):
    with pytest.raises(StatusError, match="is not a status; use Achieved, In progress, Not started or Not applicable"):
        parse_status(bad)


def test_rate_statuses_counts_loose_spellings_the_same_as_exact_ones():
    levels = ["Developing"] * 3 + ["Maturing"] * 2
    exact = ["Achieved", "Achieved", "Achieved", "Achieved", "Not started"]
    loose = [" achieved", "ACHIEVED", "Achieved", "achieved ", "not started"]
    assert rate_statuses(levels, exact) == rate_statuses(levels, loose)
    assert rate_statuses(levels, exact).label == "Developing +"


def test_rate_statuses_rejects_unequal_columns():
    with pytest.raises(ValueError):
        rate_statuses(["Developing"] * 2, ["Achieved"])


LEVEL_SIZES = (5, 7, 9)
status_lists = st.tuples(
    *(st.lists(st.sampled_from([*Status, None]), min_size=n, max_size=n) for n in LEVEL_SIZES)
)


def _score(levels):
    """The strand's score; 0 while it is not rated (below Early, for ordering)."""
    pairs = [(name, status) for name, statuses in zip(("Developing", "Maturing", "Mature"), levels) for status in statuses]
    score = rate(count_levels(pairs)).score
    return 0 if score is None else score


@given(status_lists, st.data())
def test_achieving_one_more_element_never_lowers_the_score(levels, data):
    open_spots = [(i, j) for i, statuses in enumerate(levels) for j, s in enumerate(statuses) if s is not Status.ACHIEVED]
    if not open_spots:
        return
    i, j = data.draw(st.sampled_from(open_spots))
    improved = [list(statuses) for statuses in levels]
    improved[i][j] = Status.ACHIEVED
    assert _score(improved) >= _score(levels)


@given(status_lists)
def test_score_is_always_a_label_score(levels):
    answered = any(status is not None for statuses in levels for status in statuses)
    assert _score(levels) in ({label_score(label) for label in LABELS} if answered else {0})

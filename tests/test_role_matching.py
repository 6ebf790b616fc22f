"""Matching council job titles to apprenticeship standards."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lga_xl.role_matching import RoleMatcher, Suggestion, normalise_title, suggest_standards
from lga_xl.standards import IN_DEVELOPMENT, RETIRED, Standard, sample_export

DATA = Path(__file__).parent / "data"
EVERYTHING = sample_export(include_inactive=True)  # retired and withdrawn too: the matcher must leave them out
BY_REFERENCE = {standard.reference: standard for standard in EVERYTHING}
CLOSED = {standard.reference for standard in EVERYTHING if standard.retired_or_withdrawn}
MATCHER = RoleMatcher(EVERYTHING)


def council_job_titles() -> list[dict[str, str]]:
    lines = (DATA / "council_job_titles.csv").read_text(encoding="utf-8").splitlines(True)
    return list(csv.DictReader(io.StringIO("".join(line for line in lines if not line.startswith("#")))))


TITLES = council_job_titles()


# --- normalising a job title -----------------------------------------------------------------


@pytest.mark.parametrize(("written", "words"), [
    ("Snr Social Worker", ("senior", "social", "worker")),
    ("HR Asst", ("hr", "assistant")),
    ("Human Resources Assistant", ("hr", "assistant")),
    ("Personnel Assistant", ("hr", "assistant")),
    ("ICT support technician", ("it", "support", "technician")),
    ("Information Technology Support Tech", ("it", "support", "technician")),
    ("Admin Officer - Revenues", ("admin", "officer", "revenue")),
    ("Administrative Ofr (Revs)", ("admin", "officer", "revenue")),
    ("Teaching Assistants (Level 3)", ("teaching", "assistant")),
    ("TA L3", ("teaching", "assistant")),
    ("LSA", ("learning", "support", "assistant")),
    ("Highways Maint Operative", ("highway", "maintenance", "operative")),
    ("Ops Mgr", ("operation", "manager")),
    ("Dept Mngr", ("department", "manager")),
    ("Jnr Software Dev", ("junior", "software", "developer")),
    ("Customer Svcs Coord", ("customer", "service", "coordinator")),
    ("Safeguarding Co-ordinator", ("safeguarding", "coordinator")),
    ("Re-ablement Worker", ("reablement", "worker")),
    ("Children's Services Practitioner", ("children", "service", "practitioner")),
    ("Libraries & Archives Assistant", ("library", "archive", "assistant")),
    ("Civil Eng.", ("civil", "engineer")),
    ("Apprentice Business Administrator", ("business", "admin")),
    ("EHO", ("environmental", "health", "officer")),
])
def test_normalise_title(written, words):
    assert normalise_title(written) == words


def test_word_order_case_punctuation_and_plurals_do_not_count():
    assert set(normalise_title("Worker, Social (SENIOR)")) == set(normalise_title("senior social workers"))
    assert normalise_title("") == () and normalise_title("Level 3 (FTE 0.5)") == ()


# --- the council's job titles ----------------------------------------------------------------


def test_the_job_titles_file_is_what_the_test_says():
    assert len(TITLES) == 50
    for row in TITLES:
        standard = BY_REFERENCE[row["expected"]]
        assert standard.approved, row
        if row["typical job title"]:  # the title it spells is really one of the standard's
            assert row["typical job title"].casefold() in {t.casefold() for t in standard.typical_job_titles}, row


def test_a_title_spelling_a_typical_job_title_gets_its_standard_first():
    spelling_one = [row for row in TITLES if row["typical job title"]]
    assert len(spelling_one) >= 30
    first = [row for row in spelling_one if MATCHER.suggest(row["job title"])[0].reference == row["expected"]]
    assert len(first) / len(spelling_one) >= 0.9, [row["job title"] for row in spelling_one if row not in first]


def test_every_council_job_title_has_its_standard_in_the_three_suggestions():
    missed = [row["job title"] for row in TITLES
              if row["expected"] not in [s.reference for s in MATCHER.suggest(row["job title"])]]
    assert missed == []


def test_suggestions_say_why():
    best = MATCHER.suggest("Snr Social Worker")[0]
    assert (best.reference, best.title, best.level) == ("ST0510", "Social worker (integrated degree)", 6)
    assert (best.matched_on, best.matched_text, best.matched_words) == ("typical job title", "Social worker",
                                                                        ("social", "worker"))
    assert best.reason == 'typical job title "Social worker" (social, worker)'
    assert 0 < best.score < 100
    by_keyword = MATCHER.suggest("HR Asst")[0]
    assert (by_keyword.reference, by_keyword.matched_on, by_keyword.matched_text) == (
        "ST0238", "keyword", "human resources")


# --- never a retired or withdrawn standard -----------------------------------------------------


@pytest.mark.parametrize("title", [
    "Customer Service Advisor",  # a typical job title of the retired ST0072
    "HR Assistant",  # of the retired ST0239
    "Electoral Services Officer",  # of the withdrawn ST0969
    "Waste Collection Operative", "Refuse Collection Operative",  # of the retired ST0545
    "Chartered Surveyor",  # of the retired ST0331
    "Street Lighting Electrician",  # of the retired ST0052
    "Chief Executive Officer",  # of the retired ST0480
])
def test_retired_and_withdrawn_standards_are_never_suggested(title):
    assert not {s.reference for s in MATCHER.suggest(title, limit=10)} & CLOSED


WORDS = sorted({word for standard in EVERYTHING
                for phrase in (standard.title, *standard.typical_job_titles, *standard.keywords)
                for word in phrase.split()})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS) | st.text(max_size=12), max_size=6).map(" ".join),
       st.sampled_from([None, dt.date(2024, 4, 1), dt.date(2026, 9, 1)]))
def test_any_title_gets_at_most_three_current_standards_best_first(title, on):
    suggestions = MATCHER.suggest(title, on=on)
    assert len(suggestions) <= 3
    assert not {s.reference for s in suggestions} & CLOSED
    assert all(0 < s.score <= 100 for s in suggestions)
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)
    if on is not None:
        assert all(BY_REFERENCE[s.reference].available_on(on) for s in suggestions)
    assert MATCHER.suggest(title, on=on) == suggestions  # the same answer every time


# --- dates, limits, ties ---------------------------------------------------------------------


def test_a_start_date_leaves_out_standards_not_open_for_starts():
    anytime = MATCHER.suggest("Higher Level Teaching Assistant")
    assert (anytime[0].reference, anytime[0].status) == ("ST1414", IN_DEVELOPMENT)
    on_a_day = MATCHER.suggest("Higher Level Teaching Assistant", on=dt.date(2026, 9, 1))
    assert "ST1414" not in [s.reference for s in on_a_day] and on_a_day[0].reference == "ST0454"


def test_a_latest_start_date_closes_a_standard_for_later_starts():
    closing = [Standard("ST0072", "Customer service practitioner", 2, Decimal("4000"),
                        typical_job_titles=("Customer service advisor",), latest_start_date=dt.date(2026, 7, 31))]
    assert [s.reference for s in suggest_standards("Customer Service Advisor", closing, on=dt.date(2026, 7, 31))] == [
        "ST0072"]
    assert suggest_standards("Customer Service Advisor", closing, on=dt.date(2026, 8, 1)) == []


def test_equal_scores_come_in_reference_order_and_limit_counts():
    twins = [Standard(reference, "Street cleansing operative", 2, Decimal("5000"),
                      typical_job_titles=("Street cleaner",)) for reference in ("ST9002", "ST9001", "ST9003")]
    suggestions = RoleMatcher(twins).suggest("Street Cleaner")
    assert [s.reference for s in suggestions] == ["ST9001", "ST9002", "ST9003"]
    assert len({s.score for s in suggestions}) == 1
    assert [s.reference for s in RoleMatcher(twins).suggest("Street Cleaner", limit=1)] == ["ST9001"]


def test_typical_job_titles_weigh_more_than_keywords_and_keywords_more_than_titles():
    by_job_title = Standard("ST9001", "Alpha", 3, Decimal("5000"), typical_job_titles=("Grants officer",))
    by_keyword = Standard("ST9002", "Beta", 3, Decimal("5000"), keywords=("grants officer",))
    by_title = Standard("ST9003", "Grants officer", 3, Decimal("5000"))
    suggestions = RoleMatcher([by_title, by_keyword, by_job_title]).suggest("Grants Officer")
    assert [(s.reference, s.matched_on) for s in suggestions] == [
        ("ST9001", "typical job title"), ("ST9002", "keyword"), ("ST9003", "title")]
    assert [s.score for s in suggestions] == [50.0, 33.3, 16.7]


def test_nothing_known_nothing_suggested():
    assert MATCHER.suggest("") == [] and MATCHER.suggest("Zxqv Wibble") == []
    assert RoleMatcher([]).suggest("Care worker") == []


def test_suggest_many_and_suggest_standards_agree_with_suggest():
    titles = [row["job title"] for row in TITLES[:5]]
    assert MATCHER.suggest_many(titles) == [MATCHER.suggest(title) for title in titles]
    assert suggest_standards("Care Worker", EVERYTHING) == MATCHER.suggest("Care Worker")
    assert isinstance(MATCHER.suggest("Care Worker")[0], Suggestion)


def test_a_retired_standard_in_the_list_changes_nothing_but_word_weights():
    """Leaving retired standards out of the index is the same as not loading them."""
    current = [s for s in EVERYTHING if s.status != RETIRED]
    for row in TITLES:
        assert [s.reference for s in RoleMatcher(current).suggest(row["job title"])] == [
            s.reference for s in MATCHER.suggest(row["job title"])]

"""The 2017 Maturity Model as data: counts, order, IDs (docs/rating.md)."""

from collections import Counter

import pytest

from lga_xl.maturity import available_editions, load_edition

# Elements per strand and level, counted from the LGA's 2017 Maturity Model form.
EXPECTED_COUNTS = {
    "Leadership and Culture": (5, 5, 7, 9),
    "Procurement and Provider Management": (2, 3, 5, 6),
    "Workforce Development": (4, 4, 5, 6),
    "Planning, Delivery Structures and Processes": (4, 4, 7, 6),
    "Engagement": (5, 5, 5, 6),
}


def test_counts_per_strand_and_level_match_the_seed():
    model = load_edition("lga-2017")
    counts = Counter((e.strand, e.level) for e in model.elements)
    for strand, expected in EXPECTED_COUNTS.items():
        assert tuple(counts[strand, lv] for lv in ("Early", "Developing", "Maturing", "Mature")) == expected
    assert len(model.elements) == 103
    assert len(model.scored_elements) == 83
    assert model.edition == "LGA 2017"


def test_strands_are_in_the_seed_order():
    assert load_edition().strand_names == tuple(EXPECTED_COUNTS)


def test_ids_are_unique_and_numbered_in_seed_order():
    model = load_edition()
    ids = [e.id for e in model.elements]
    assert len(set(ids)) == len(ids)
    assert model.element("LC-D1").text == "Secured basic political and senior leadership support"
    assert model.element("LC-MA9").text.startswith("Measure apprenticeships")
    assert model.element("EN-MA6").text == "Completed individual Schools Apprenticeship Plans with all maintained schools"
    assert model.element("PP-E2").text == "No joint working on procurement"
    assert not model.element("PP-E2").scored


def test_obvious_typos_are_corrected_and_nothing_else_changed():
    model = load_edition()
    texts = " ".join(e.text for e in model.elements)
    assert "care leaves" not in texts and "care leavers" in texts
    assert "other the LAs" not in texts


def test_edition_can_be_found_by_key_or_name_and_unknown_is_refused():
    assert "lga-2017" in available_editions()
    assert load_edition("LGA 2017") is load_edition("lga-2017")
    with pytest.raises(ValueError, match="unknown model edition"):
        load_edition("NHS 2019")

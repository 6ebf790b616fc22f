"""match_region: the nine English regions however they are typed, and never the wrong one."""

from __future__ import annotations

import pytest

from lga_xl.reference import _REGION_ALIASES, REGIONS, match_region


@pytest.mark.parametrize(("text", "region"), [
    # as the issue reported them
    ("Yorkshire and Humber", "Yorkshire and the Humber"),
    ("Yorkshire & The Humber", "Yorkshire and the Humber"),
    # case, spaces, hyphens, "&", "the"
    ("yorkshire and the humber", "Yorkshire and the Humber"),
    ("  YORKSHIRE  &  HUMBER ", "Yorkshire and the Humber"),
    ("Yorkshire/Humber", "Yorkshire and the Humber"),
    ("Yorks & Humber", "Yorkshire and the Humber"),
    ("Yorkshire and Humberside", "Yorkshire and the Humber"),
    ("Yorkshire", "Yorkshire and the Humber"),
    ("north-east", "North East"),
    ("NorthEast", "North East"),
    ("The North East", "North East"),
    ("North East England", "North East"),
    ("North West Region", "North West"),
    ("south east", "South East"),
    ("South-West", "South West"),
    ("South West of England", "South West"),
    ("East Mids", "East Midlands"),
    ("the West Midlands", "West Midlands"),
    ("West Midlands region", "West Midlands"),
    # the East of England's other names
    ("East of England", "East of England"),
    ("east of england", "East of England"),
    ("East", "East of England"),
    ("Eastern", "East of England"),
    ("East England", "East of England"),
    ("The East of England", "East of England"),
    # London
    ("London", "London"),
    ("Greater London", "London"),
    ("LONDON REGION", "London"),
    # ONS codes
    ("E12000001", "North East"),
    ("e12000003", "Yorkshire and the Humber"),
    ("E12000006", "East of England"),
    ("E12000007", "London"),
    ("E12000009", "South West"),
])
def test_loose_names(text, region):
    assert match_region(text) == region


@pytest.mark.parametrize("text", [
    # could be two regions, or none: no guess
    "Midlands", "West", "North", "South", "England", "the", "", "   ", "E12000010", "E12000000",
    "North Yorkshire", "Humber", "East Anglia", "Inner London", "Wales", "Scotland", "South Yorkshire",
    "Northeast Lincolnshire", "West of England", "Eastern Midlands", "Nort East",
    None, 3, 12000001.0,
])
def test_unclear_or_other_names_match_nothing(text):
    assert match_region(text) is None


def test_every_region_matches_itself_and_only_itself():
    for region in REGIONS:
        assert match_region(region) == region
        assert match_region(region.upper()) == region
        assert match_region(region.replace(" and ", " & ")) == region
        assert match_region(region.replace(" ", "")) == region


def test_an_alias_is_never_taken_by_another_region():
    for alias, region in _REGION_ALIASES.items():
        assert match_region(alias) == region

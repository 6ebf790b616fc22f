"""Reference lists shared by the workbooks, readers and checks (domain.md)."""

from __future__ import annotations

# The nine English regions (domain.md section 4), in the ONS order.
REGIONS = (
    "North East",
    "North West",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
)

ORG_TYPES = (
    "County council",
    "District council",
    "Unitary authority",
    "Metropolitan borough council",
    "London borough council",
    "Combined authority",
    "Fire and rescue authority",
    "Other public body",
)

ASSESSMENT_TYPES = ("Self", "External")

# Schools whose staff the council employs, so whose pay bill is in the
# council's levy (domain.md "Councils and schools").
COUNCIL_SCHOOL_TYPES = (
    "Community",
    "Voluntary controlled",
    "Community special",
    "Maintained nursery",
)
# Schools that employ their own staff: listed so officers can pick them and be
# told why they do not belong, rather than typing free text.
OTHER_SCHOOL_TYPES = (
    "Foundation",
    "Voluntary aided",
    "Academy",
    "Free school",
)
SCHOOL_TYPES = COUNCIL_SCHOOL_TYPES + OTHER_SCHOOL_TYPES


# Other names people give the regions, as _region_key folds them: the ONS codes
# (E12000001 to E12000009 in the order above) and older or longer names. A name that
# could be two regions ("Midlands", "West", "North") is left out: no match is better
# than the wrong region.
_REGION_ALIASES = {
    **{f"e1200000{number}": region for number, region in enumerate(REGIONS, start=1)},
    "yorkshire": "Yorkshire and the Humber",
    "yorkshirehumberside": "Yorkshire and the Humber",  # the region's name until 1994
    "eastern": "East of England",  # the former Government Office's name
    "greaterlondon": "London",
}


def match_region(text: object) -> str | None:
    """The English region ``text`` names, spelt as in :data:`REGIONS`; None if none or unclear.

    Forgiven: case, spaces, hyphens and punctuation, ``&`` for ``and``, a
    missing or extra ``the``, ``region`` and a trailing ``England`` or ``of
    England`` (so ``East`` is the East of England, as the ONS labels it),
    ``Yorks`` and ``Mids``, and the aliases above.

    Example:
        >>> match_region("Yorkshire & Humber"), match_region("east"), match_region("Midlands")
        ('Yorkshire and the Humber', 'East of England', None)
    """
    if not isinstance(text, str):
        return None
    key = _region_key(text)
    letters = _letters(text)  # "EastofEngland", typed without spaces, has no words to drop
    for region in REGIONS:
        if key == _region_key(region) or letters == _letters(region):
            return region
    return _REGION_ALIASES.get(key)


def _letters(text: str) -> str:
    return "".join(char for char in text.casefold() if char.isalnum())


def _region_key(text: str) -> str:
    """The words of a region name that tell regions apart, lower case, run together."""
    words = "".join(char if char.isalnum() else " " for char in text.casefold().replace("&", " and ")).split()
    words = [{"yorks": "yorkshire", "mids": "midlands"}.get(word, word) for word in words
             if word not in ("the", "and", "of", "region")]
    while words and words[-1] == "england":
        words.pop()
    return "".join(words)

"""Reference lists shared by the workbooks, readers and checks."""

from __future__ import annotations

import re

from .text import squash

# The nine English regions, in the ONS order (ONS "Regions (former GORs)").
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
# council's levy (docs/levy.md, "Councils and schools").
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


# Who employs a school's staff for levy purposes, so whose levy account pays for their
# apprenticeships.  In community, voluntary controlled, community special and maintained
# nursery schools the local authority employs the staff (The School Staffing (England)
# Regulations 2009), and in pupil referral units too; foundation, foundation special and
# voluntary aided schools employ their own through the governing body; academies and free
# schools through their academy trust (DfE guidance for schools on the apprenticeship levy,
# GOV.UK).  Independent schools, colleges and the rest are other employers.
EMPLOYER_COUNCIL = "Council"
EMPLOYER_GOVERNING_BODY = "Governing body"
EMPLOYER_TRUST = "Academy trust"
EMPLOYER_OTHER = "Other employer"

# Every establishment type Get Information about Schools (GIAS) uses, by its GIAS name, with
# who employs the staff; "Academy" is for a list that does not say which kind of academy.
ESTABLISHMENT_TYPES = {
    "Community school": EMPLOYER_COUNCIL,
    "Voluntary controlled school": EMPLOYER_COUNCIL,
    "Community special school": EMPLOYER_COUNCIL,
    "Local authority nursery school": EMPLOYER_COUNCIL,
    "Pupil referral unit": EMPLOYER_COUNCIL,
    "Foundation school": EMPLOYER_GOVERNING_BODY,
    "Foundation special school": EMPLOYER_GOVERNING_BODY,
    "Voluntary aided school": EMPLOYER_GOVERNING_BODY,
    "Academy": EMPLOYER_TRUST,
    "Academy converter": EMPLOYER_TRUST,
    "Academy sponsor led": EMPLOYER_TRUST,
    "Academy special converter": EMPLOYER_TRUST,
    "Academy special sponsor led": EMPLOYER_TRUST,
    "Academy alternative provision converter": EMPLOYER_TRUST,
    "Academy alternative provision sponsor led": EMPLOYER_TRUST,
    "Academy 16-19 converter": EMPLOYER_TRUST,
    "Academy 16 to 19 sponsor led": EMPLOYER_TRUST,
    "Free schools": EMPLOYER_TRUST,
    "Free schools special": EMPLOYER_TRUST,
    "Free schools alternative provision": EMPLOYER_TRUST,
    "Free schools 16 to 19": EMPLOYER_TRUST,
    "Studio schools": EMPLOYER_TRUST,
    "University technical college": EMPLOYER_TRUST,
    "City technology college": EMPLOYER_OTHER,
    "Non-maintained special school": EMPLOYER_OTHER,
    "Other independent school": EMPLOYER_OTHER,
    "Other independent special school": EMPLOYER_OTHER,
    "Further education": EMPLOYER_OTHER,
    "Sixth form centres": EMPLOYER_OTHER,
    "Special post 16 institution": EMPLOYER_OTHER,
    "Higher education institutions": EMPLOYER_OTHER,
    "Online provider": EMPLOYER_OTHER,
    "Secure units": EMPLOYER_OTHER,
    "Institution funded by other government department": EMPLOYER_OTHER,
    "Service children's education": EMPLOYER_OTHER,
    "Offshore schools": EMPLOYER_OTHER,
    "British schools overseas": EMPLOYER_OTHER,
    "Welsh establishment": EMPLOYER_OTHER,
    "Miscellaneous": EMPLOYER_OTHER,
}
COUNCIL_ESTABLISHMENT_TYPES = tuple(name for name, employer in ESTABLISHMENT_TYPES.items()
                                    if employer == EMPLOYER_COUNCIL)

# Other ways a council's list writes a type: the levy plan's own short names and abbreviations.
_ESTABLISHMENT_ALIASES = {
    "Maintained nursery": "Local authority nursery school",
    "LA nursery": "Local authority nursery school",
    "Nursery school": "Local authority nursery school",
    "PRU": "Pupil referral unit",
    "VC": "Voluntary controlled school",
    "VA": "Voluntary aided school",
    "UTC": "University technical college",
    "CTC": "City technology college",
    "Sponsored academy": "Academy sponsor led",
    "Converter academy": "Academy converter",
    "Special academy": "Academy special converter",
    "Alternative provision academy": "Academy alternative provision converter",
    "Independent school": "Other independent school",
    "FE college": "Further education",
}


def establishment_type(text: str | None) -> str | None:
    """The GIAS establishment type a council's list means, or None.

    Ignores case, spaces, hyphens, apostrophes, "school" or "schools" at the
    end and "to" between ages; knows the levy plan's short names and a few
    abbreviations (PRU, VA, VC, UTC).

    Example:
        >>> establishment_type("community"), establishment_type("Maintained nursery")
        ('Community school', 'Local authority nursery school')
        >>> [establishment_type(text) for text in ("academy 16-19 sponsor-led", "Free school", "Shop")]
        ['Academy 16 to 19 sponsor led', 'Free schools', None]
        >>> ESTABLISHMENT_TYPES[establishment_type("VA")]
        'Governing body'
    """
    return _ESTABLISHMENT_KEYS.get(_establishment_key(text))


def _establishment_key(text: str | None) -> str:
    key = re.sub(r"['\u2019]", "", squash(text)).replace("schools", "school")
    key = re.sub(r"(\d+)to(\d+)", r"\1\2", key)
    return re.sub(r"school$", "", key)


_ESTABLISHMENT_KEYS = {
    **{_establishment_key(name): name for name in ESTABLISHMENT_TYPES},
    **{_establishment_key(alias): name for alias, name in _ESTABLISHMENT_ALIASES.items()},
}
